#!/usr/bin/env bash
# The deadline rush (issue #15): many sellers registering and editing
# prices at once, against one portal and then against two on one database.
#
#   scripts/perf-rush.sh [DURATION]        (default 60s per run)
#
# On a scratch database (portal_perf_rush, dropped first and at the end)
# it loads the demo, adds SELLERS shops (`portal demo shops`, default 200),
# starts ONE portal and runs the rush driver (scripts/perf/rush): every
# seller signs in through /login, then, through the price table's htmx
# requests and forms, picks products, saves price rows, submits and asks for
# price edits, for DURATION. Then a SECOND portal process joins on the same
# database (same SESSION_KEYS) and the rush runs again, each seller's
# requests alternating between the two. Each run prints requests, req/s,
# p50/p99/max, errors by kind and lost writes (checked in PostgreSQL);
# the last line is the two/one throughput ratio. THINK (default 0: the
# next request as soon as the last answered) paces the sellers. Results go
# to stdout; copy them into docs/performance.md. With PPROF_ADDR (e.g.
# 127.0.0.1:6060) the first portal serves its profiles there and a 20 s CPU
# profile of the one-portal rush is written to PROFILE_OUT
# (/tmp/perf-rush-cpu.pprof). Never run by the tests.
set -euo pipefail

DURATION=${1:-60s}
SELLERS=${SELLERS:-200}
THINK=${THINK:-0s}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB=${PERF_DB:-portal_perf_rush}
export DATABASE_URL="$PGURL/$DB?sslmode=disable"
WORK=$(mktemp -d)
PORT1=${PERF_PORT:-18090}
PORT2=${PERF_PORT2:-18091}
# Fixed keys (test-only), so both instances read each other's sessions.
export SESSION_KEYS=${SESSION_KEYS:-$(printf '%064d' 1),$(printf '%032d' 2)}
cleanup() {
	for p in ${PID2:-} ${PID1:-}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
}
trap cleanup EXIT

cd "$ROOT"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/rush" ./scripts/perf/rush
psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
LOG_LEVEL=warn "$WORK/portal" demo >/dev/null
LOG_LEVEL=warn "$WORK/portal" demo shops --count "$SELLERS"

# start PORT [PPROF]: a portal in the background; prints its pid.
start() {
	PORT=$1 PPROF_ADDR=${2:-} COOKIE_SECURE=false LOG_LEVEL=warn "$WORK/portal" serve >>"$WORK/portal-$1.log" 2>&1 &
	echo $!
}
wait_up() { for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return; sleep 0.2; done; echo "portal on $1 did not start" >&2; cat "$WORK/portal-$1.log" >&2; exit 1; }
rush() { "$WORK/rush" -db "$DATABASE_URL" -sellers "$SELLERS" -duration "$DURATION" -think "$THINK" "$@"; }

PID1=$(start "$PORT1" "${PPROF_ADDR:-}")
wait_up "$PORT1"
echo "== one portal. Load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $SELLERS sellers, $DURATION, think $THINK"
if [ -n "${PPROF_ADDR:-}" ]; then
	# A CPU profile of the one portal, from 5 s into the rush, 20 s long.
	(sleep 5; curl -fs -o "${PROFILE_OUT:-/tmp/perf-rush-cpu.pprof}" "http://$PPROF_ADDR/debug/pprof/profile?seconds=20") &
fi
rush -label one -base "http://127.0.0.1:$PORT1" | tee "$WORK/one.txt"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"

PID2=$(start "$PORT2")
wait_up "$PORT2"
echo
echo "== two portals on one database. Load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rush -label two -base "http://127.0.0.1:$PORT1,http://127.0.0.1:$PORT2" | tee "$WORK/two.txt"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"

rps() { awk '/^RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) { sub(/rps=/, "", $i); print $i } }' "$1"; }
R1=$(rps "$WORK/one.txt")
R2=$(rps "$WORK/two.txt")
echo
awk -v a="$R1" -v b="$R2" 'BEGIN { printf "throughput: one portal %.1f req/s, two portals %.1f req/s, two/one %.2f\n", a, b, b / a }'
if grep -q 'portal.*level=ERROR\|level=ERROR' "$WORK"/portal-*.log; then
	echo "the portals logged errors:"; grep -h 'level=ERROR' "$WORK"/portal-*.log | head -20
fi
