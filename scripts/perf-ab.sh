#!/usr/bin/env bash
# Two builds of the portal against the same database, turn about, under the
# same load: the CPU a request costs each (from the process's own CPU time
# around each run, which holds better than req/s on a shared machine), with
# req/s, p50 and p99.
#
#   scripts/perf-ab.sh OLD_BINARY NEW_BINARY COOKIE URL_PATH...
#
# DATABASE_URL names a database both can serve (same migrations); SESSION_KEYS
# must be the keys the COOKIE was signed with. A URL_PATH of the form
# POST:/path?body sends that body as the price table's htmx does
# (HX-Request, X-CSRF-Token from CSRF=..., form-encoded). ROUNDS (default 2)
# and DURATION (default 8s), CONNECTIONS (default 8). Never run by the tests.
set -euo pipefail
OLD=$1 NEW=$2 COOKIE=$3; shift 3
ROUNDS=${ROUNDS:-2} DURATION=${DURATION:-8s} CONNS=${CONNECTIONS:-8} PORT=${PERF_PORT:-18077}
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
serve() {
	PORT=$PORT COOKIE_SECURE=false LOG_LEVEL=warn "$1" serve >"$WORK/log" 2>&1 &
	echo $! >"$WORK/pid"
	for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
	echo "the portal did not start:" >&2; cat "$WORK/log" >&2; exit 1
}
one() { # BIN PATH: prints "µs/req req/s p50 p99"
	local bin=$1 path=$2 script=() url pid t0 t1 out
	serve "$bin"; pid=$(cat "$WORK/pid")
	url="http://127.0.0.1:$PORT${path#POST:}"
	if [[ $path == POST:* ]]; then
		cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "${url#*\?}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.headers["X-CSRF-Token"] = "${CSRF:-}"
LUA
		url=${url%%\?*}; script=(-s "$WORK/post.lua")
	fi
	curl -fs -o /dev/null -b "$COOKIE" "$url" || true # warm
	t0=$(cut -d' ' -f14,15 /proc/$pid/stat)
	out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "${script[@]}" -H "Cookie: $COOKIE" "$url")
	t1=$(cut -d' ' -f14,15 /proc/$pid/stat)
	kill "$pid"; wait "$pid" 2>/dev/null || true
	echo "$out" | grep -q "Non-2xx" && echo "$path: non-2xx answers" >&2
	awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v out="$out" 'BEGIN {
		split(a, x, " "); split(b, y, " "); n = split(out, l, "\n")
		for (i = 1; i <= n; i++) { split(l[i], f, " ")
			if (f[2] == "requests" && f[3] == "in") reqs = f[1]
			if (f[1] == "Requests/sec:") rps = f[2]
			if (f[1] == "50%") p50 = f[2]
			if (f[1] == "99%") p99 = f[2] }
		printf "%.0f %s %s %s", (y[1] + y[2] - x[1] - x[2]) * 1e6 / hz / reqs, rps, p50, p99 }'
}
echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNS -d$DURATION, $ROUNDS rounds, turn about"
echo "| page | build | portal CPU µs/req | req/s | p50 | p99 |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for path in "$@"; do
	for r in $(seq 1 "$ROUNDS"); do
		for b in old new; do
			bin=$OLD; [ $b = new ] && bin=$NEW
			read -r us rps p50 p99 <<<"$(one "$bin" "$path")"
			echo "| ${path%%\?*} | $b | $us | $rps | $p50 | $p99 |"
		done
	done
done
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
