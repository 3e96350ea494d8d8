#!/usr/bin/env bash
# The order import against a plain COPY of the same rows, in one run.
#
#   scripts/perf-import-copy.sh [ORDERS [ROUNDS]]     (defaults: 200000, 3)
#   PERF_DB=name           prefix of the scratch databases (portal_perf_importcopy)
#   PROFILE_DIR=dir        also write the import's Go CPU profile of each round there (HEAD's build)
#   BEFORE_BIN=path        also time this portal binary's import each round (an
#                          older build), as a row of its own against the same COPY
#
# Loads the demo data once into PERF_DB_demo, generates ORDERS orders as
# scripts/perf-orders.sh does (Maple & Co's SKUs of the Autumn Flash Sale and
# Singles' Day plus ten unregistered ones, placed during the sale, a quarter
# with its coupon), then, one warm-up round (not counted) and ROUNDS rounds:
#
#   import     a fresh copy of the demo database; `portal orders import` of
#              the file (the import's own time: parse, check, settle, coupons,
#              the rows, settled_totals and the campaign rollups)
#   COPY       a fresh copy of the demo database; one transaction of psql
#              \copy of the import's rows of orders, order_lines and
#              order_campaigns (exported once, after the warm-up import) into
#              the same tables: the same indexes, checks, foreign keys and
#              the demo rows already there. Nothing else is written.
#   COPY binary  the same, the rows in COPY's binary format (exported so),
#              as the importer sends them
#   COPY bare  the same rows (text) into LIKE copies of the three tables in that
#              database (same indexes and checks, no foreign keys): the
#              baseline of scripts/perf-orders.sh.
#
# Each with the load average before and the CPU time PostgreSQL spent for it
# (its connections, read from /proc: the server must be on this machine).
# Prints a table; ratios are within a round. Drops its databases at the end.
# Never run by the tests.
set -euo pipefail
export PGOPTIONS='-c client_min_messages=warning'

N=${1:-200000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
P=${PERF_DB:-portal_perf_importcopy}
WORK=$(mktemp -d)
cleanup() {
	[ -n "${PGCPU_PID:-}" ] && kill "$PGCPU_PID" 2>/dev/null || true
	for db in demo import copy; do
		psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS ${P}_$db WITH (FORCE)" >/dev/null 2>&1 || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
ms() { echo $(($(date +%s%N) / 1000000)); }
tick=$(getconf CLK_TCK)

cd "$ROOT"
echo "== build ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with uncommitted changes'))"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/genorders" ./scripts/perf/genorders

echo "== demo data in ${P}_demo (load $(load))"
psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS ${P}_demo WITH (FORCE)" >/dev/null
DATABASE_URL="$PGURL/${P}_demo?sslmode=disable" LOG_LEVEL=warn "$WORK/portal" demo >/dev/null
PSQL=(psql "$PGURL/${P}_demo" -qAtX -v ON_ERROR_STOP=1)
SHOP=$("${PSQL[@]}" -c "SELECT public_id FROM shops WHERE name = 'Maple & Co'")
SHOP_ID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
SKUS=$("${PSQL[@]}" -c "SELECT string_agg(sku_code, ',') FROM (
	(SELECT s.sku_code FROM skus s JOIN registration_skus rs ON rs.sku_id = s.id JOIN registrations r ON r.id = rs.registration_id
	 JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug IN ('autumn-flash-sale-demo', 'singles-day-deals-demo'))
	UNION ALL
	(SELECT s.sku_code FROM skus s WHERE s.shop_id = $SHOP_ID AND NOT EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.sku_id = s.id)
	 ORDER BY s.id LIMIT 10)) x")
CAMPAIGN=$("${PSQL[@]}" -c "SELECT id FROM campaigns WHERE slug = 'autumn-flash-sale-demo'")
COUPON=$("${PSQL[@]}" -c "SELECT id FROM coupons WHERE campaign_id = $CAMPAIGN")
FROM=$("${PSQL[@]}" -c "SELECT to_char(run_starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM campaigns WHERE id = $CAMPAIGN")
"$WORK/genorders" -n "$N" -shop "$SHOP" -skus "$SKUS" -coupon "$COUPON" -from "$FROM" -spread 336h >"$WORK/orders.ndjson"
echo "$N orders, $(ls -l "$WORK/orders.ndjson" | awk '{printf "%.0f MB", $5/1048576}') of NDJSON"

fresh() { # a scratch database: a copy of the demo database
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS ${P}_$1 WITH (FORCE)" \
		-c "CREATE DATABASE ${P}_$1 TEMPLATE ${P}_demo" -c "CHECKPOINT" >/dev/null
}
# The CPU time of the backends connected to a database, sampled from /proc
# until they exit (the last value of each counts).
pgcpu_start() {
	while :; do
		for pid in $(psql "$PGURL/postgres" -qAtX -c "SELECT pid FROM pg_stat_activity WHERE datname = '$1'"); do
			[ -r "/proc/$pid/stat" ] && echo "$pid $(cut -d' ' -f14,15 "/proc/$pid/stat")"
		done
		sleep 0.2
	done >"$WORK/pgcpu" 2>/dev/null &
	PGCPU_PID=$!
}
pgcpu_stop() {
	kill "$PGCPU_PID" 2>/dev/null || true
	wait "$PGCPU_PID" 2>/dev/null || true
	PGCPU_PID=
	awk -v tick="$tick" '{t[$1] = $2 + $3} END {s = 0; for (p in t) s += t[p]; printf "%.1f", s / tick}' "$WORK/pgcpu"
}
secs() { # the import's "in 8.123s" or "in 1m2.345s", in seconds
	grep -o ' in [^:]*' "$1" | sed 's/ in //' | awk '{ if (sub(/m/, " ")) { split($0, a, " "); sub(/s$/, "", a[2]); print a[1]*60 + a[2] }
		else if (sub(/ms$/, "")) print $0/1000; else { sub(/s$/, ""); print } }'
}

copy_rows() { # database, table prefix[, format]: one transaction of the three \copy, timed with the PostgreSQL CPU of its connection
	local start fmt=${3:-text} ext=tsv
	[ "$fmt" = binary ] && ext=bin
	start=$(ms)
	psql "$PGURL/$1" -qAtX -v ON_ERROR_STOP=1 -f - <<EOF
SELECT pg_backend_pid() \g $WORK/copy.pid
BEGIN;
\copy ${2}orders FROM '$WORK/orders.$ext' WITH (FORMAT $fmt)
\copy ${2}order_lines FROM '$WORK/lines.$ext' WITH (FORMAT $fmt)
\copy ${2}order_campaigns FROM '$WORK/campaigns.$ext' WITH (FORMAT $fmt)
COMMIT;
\! cut -d' ' -f14,15 /proc/\$(cat $WORK/copy.pid)/stat > $WORK/copy.cpu 2>/dev/null
EOF
	echo "$(($(ms) - start)) $(awk -v tick="$tick" '{printf "%.1f", ($1 + $2) / tick}' "$WORK/copy.cpu")"
}

run_import() { # binary, label: a fresh database, the import timed; sets imp, pgi, gocpu, l1
	fresh import
	l1=$(load)
	pgcpu_start "${P}_import"
	prof=()
	[ -n "${PROFILE_DIR:-}" ] && [ "$2" = after ] && mkdir -p "$PROFILE_DIR" && prof=(--cpuprofile "$PROFILE_DIR/import-$2-$round.pprof")
	/usr/bin/time -f "%U %S" -o "$WORK/gocpu" env DATABASE_URL="$PGURL/${P}_import?sslmode=disable" LOG_LEVEL=warn \
		"$1" orders import "${prof[@]}" "$WORK/orders.ndjson" >"$WORK/out.txt"
	pgi=$(pgcpu_stop)
	grep -q "$N created" "$WORK/out.txt" || { cat "$WORK/out.txt"; exit 1; }
	imp=$(secs "$WORK/out.txt")
	gocpu=$(awk '{printf "%.1f", $1 + $2}' "$WORK/gocpu")
}
printf '\n| round | orders | lines | import s | COPY s | import / COPY | COPY binary s | import / COPY binary | COPY bare s | import / COPY bare | PG CPU import / COPY / binary / bare s | Go CPU s | load before import / COPY |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
for round in $(seq 0 "$ROUNDS"); do # round 0 warms the caches and is not counted
	if [ -n "${BEFORE_BIN:-}" ]; then
		run_import "$BEFORE_BIN" before
		b_imp=$imp b_pgi=$pgi b_go=$gocpu b_l1=$l1
		psql "$PGURL/postgres" -qAtX -c "DROP DATABASE ${P}_import WITH (FORCE)" >/dev/null
	fi
	run_import "$WORK/portal" after
	IPSQL=(psql "$PGURL/${P}_import" -qAtX -v ON_ERROR_STOP=1)
	if [ "$round" = 0 ]; then
		PERF="SELECT id FROM orders WHERE external_id LIKE 'PERF-%'"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM orders WHERE external_id LIKE 'PERF-%') TO '$WORK/orders.tsv'"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM order_lines WHERE order_id IN ($PERF)) TO '$WORK/lines.tsv'"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM order_campaigns WHERE order_id IN ($PERF)) TO '$WORK/campaigns.tsv'"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM orders WHERE external_id LIKE 'PERF-%') TO '$WORK/orders.bin' WITH (FORMAT binary)"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM order_lines WHERE order_id IN ($PERF)) TO '$WORK/lines.bin' WITH (FORMAT binary)"
		"${IPSQL[@]}" -c "\copy (SELECT * FROM order_campaigns WHERE order_id IN ($PERF)) TO '$WORK/campaigns.bin' WITH (FORMAT binary)"
	fi
	lines=$(wc -l <"$WORK/lines.tsv")
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE ${P}_import WITH (FORCE)" >/dev/null

	fresh copy
	CPSQL=(psql "$PGURL/${P}_copy" -qAtX -v ON_ERROR_STOP=1)
	"${CPSQL[@]}" -c "CREATE TABLE bare_orders (LIKE orders INCLUDING ALL);
		CREATE TABLE bare_order_lines (LIKE order_lines INCLUDING ALL);
		CREATE TABLE bare_order_campaigns (LIKE order_campaigns INCLUDING ALL);"
	l2=$(load)
	read -r cms cpg <<<"$(copy_rows "${P}_copy" "")"
	read -r bms bpg <<<"$(copy_rows "${P}_copy" "bare_")"
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE ${P}_copy WITH (FORCE)" >/dev/null
	fresh copy
	read -r yms ypg <<<"$(copy_rows "${P}_copy" "" binary)"
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE ${P}_copy WITH (FORCE)" >/dev/null
	row() { # label, import s, PG CPU, Go CPU, load
		awk -v r="$round" -v what="$1" -v n="$N" -v lines="$lines" -v i="$2" -v c="$cms" -v b="$bms" -v y="$yms" -v pgi="$3" -v cpg="$cpg" \
			-v bpg="$bpg" -v ypg="$ypg" -v go="$4" -v l1="$5" -v l2="$l2" 'BEGIN {
			printf "| %s%s | %d | %d | %.2f | %.2f | **%.2f** | %.2f | %.2f | %.2f | %.2f | %s / %s / %s / %s | %s | %s / %s |\n",
				(r == 0 ? "0 (warm-up)" : r), what, n, lines, i, c / 1000, i / (c / 1000), y / 1000, i / (y / 1000), b / 1000, i / (b / 1000),
				pgi, cpg, ypg, bpg, go, l1, l2 }'
	}
	[ -n "${BEFORE_BIN:-}" ] && row " before" "$b_imp" "$b_pgi" "$b_go" "$b_l1"
	row "" "$imp" "$pgi" "$gocpu" "$l1"
done
echo
echo "== done (load $(load))"
