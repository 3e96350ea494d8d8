#!/usr/bin/env bash
# Speed of the order import and of Finance › Settled records.
#
#   scripts/perf-orders.sh [ORDERS]        (default 1000000)
#
# On a scratch database (portal_perf_orders, dropped first) with the demo
# data, it generates ORDERS orders (about 2.5 lines each, a quarter with a
# coupon) for Maple & Co's SKUs during the demo's Autumn Flash Sale, imports
# them through the bulk path (`portal orders import`, the code behind
# POST /api/v1/orders:batch), then measures a plain COPY of the same rows
# into copies of the tables (same indexes and checks, no foreign keys), and
# the settled records page over the shop. Results go to stdout; copy them
# into docs/performance.md. Never run by the tests.
#
# With the server on this machine (readable /proc), it also reports the CPU
# time PostgreSQL spent for the import (its connections) and for the plain
# COPY, beside the load average: on a shared machine the wall times vary
# with the others' load, the CPU times much less.
set -euo pipefail

N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB=portal_perf_orders
export DATABASE_URL="$PGURL/$DB?sslmode=disable"
PSQL=(psql "$PGURL/$DB" -qAtX -v ON_ERROR_STOP=1)
WORK=$(mktemp -d)
PORT=${PERF_PORT:-18090}
trap 'for pid in ${SERVER_PID:-} ${PGCPU_PID:-}; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

cd "$ROOT"
echo "== build"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/genorders" ./scripts/perf/genorders

echo "== scratch database $DB with the demo data"
psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
LOG_LEVEL=warn "$WORK/portal" demo >/dev/null

SHOP=$("${PSQL[@]}" -c "SELECT public_id FROM shops WHERE name = 'Maple & Co'")
SHOP_ID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
# The SKUs registered in the Autumn Flash Sale and Singles' Day (campaign
# lines), and ten that are not.
SKUS=$("${PSQL[@]}" -c "SELECT string_agg(sku_code, ',') FROM (
	(SELECT s.sku_code FROM skus s JOIN registration_skus rs ON rs.sku_id = s.id JOIN registrations r ON r.id = rs.registration_id
	 JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug IN ('autumn-flash-sale-demo', 'singles-day-deals-demo'))
	UNION ALL
	(SELECT s.sku_code FROM skus s WHERE s.shop_id = $SHOP_ID AND NOT EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.sku_id = s.id)
	 ORDER BY s.id LIMIT 10)) x")
CAMPAIGN=$("${PSQL[@]}" -c "SELECT id FROM campaigns WHERE slug = 'autumn-flash-sale-demo'")
COUPON=$("${PSQL[@]}" -c "SELECT id FROM coupons WHERE campaign_id = $CAMPAIGN")
FROM=$("${PSQL[@]}" -c "SELECT to_char(run_starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM campaigns WHERE id = $CAMPAIGN")
echo "shop $SHOP, $(echo "$SKUS" | tr ',' '\n' | wc -l) SKUs, Autumn Flash Sale from $FROM, coupon $COUPON"

echo "== generate $N orders"
"$WORK/genorders" -n "$N" -shop "$SHOP" -skus "$SKUS" -coupon "$COUPON" -from "$FROM" -spread 336h > "$WORK/orders.ndjson"
ls -l "$WORK/orders.ndjson" | awk '{printf "%.0f MB of NDJSON\n", $5/1048576}'

load() { cut -d' ' -f1-3 /proc/loadavg; }
tick=$(getconf CLK_TCK)
# The CPU time of the backends connected to $DB, sampled from /proc until
# they exit (the last value of each counts).
pgcpu_start() {
	while :; do
		for pid in $("${PSQL[@]}" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()"); do
			[ -r "/proc/$pid/stat" ] && echo "$pid $(cut -d' ' -f14,15 "/proc/$pid/stat")"
		done
		sleep 0.5
	done >"$WORK/pgcpu" 2>/dev/null &
	PGCPU_PID=$!
}
pgcpu_stop() {
	kill "$PGCPU_PID" 2>/dev/null || true
	wait "$PGCPU_PID" 2>/dev/null || true
	awk -v tick="$tick" '{t[$1] = $2 + $3} END {s = 0; for (p in t) s += t[p]; if (NR) printf "%.1f s", s / tick; else print "n/a"}' "$WORK/pgcpu"
}

echo "== import through the bulk path (load average before: $(load))"
pgcpu_start
/usr/bin/time -f "import: %e s wall, %U s user + %S s system CPU, %M KB max RSS (the portal process)" \
	env LOG_LEVEL=warn "$WORK/portal" orders import "$WORK/orders.ndjson" 2>&1 | grep -v "^line "
echo "import: PostgreSQL CPU $(pgcpu_stop) (the import's connections); load average after: $(load)"
"${PSQL[@]}" -c "SELECT 'stored: ' || count(*) || ' orders, ' || (SELECT count(*) FROM order_lines) || ' lines, ' ||
	(SELECT count(*) FROM order_campaigns) || ' order campaigns' FROM orders"
"${PSQL[@]}" -c "VACUUM ANALYZE orders" -c "VACUUM ANALYZE order_lines" -c "VACUUM ANALYZE order_campaigns" -c "VACUUM ANALYZE settled_totals"

echo "== a plain COPY of the same rows (same indexes and checks, no foreign keys)"
PERF="SELECT id FROM orders WHERE external_id LIKE 'PERF-%'"
"${PSQL[@]}" -c "\copy (SELECT * FROM orders WHERE external_id LIKE 'PERF-%') TO '$WORK/orders.tsv'"
"${PSQL[@]}" -c "\copy (SELECT * FROM order_lines WHERE order_id IN ($PERF)) TO '$WORK/lines.tsv'"
"${PSQL[@]}" -c "\copy (SELECT * FROM order_campaigns WHERE order_id IN ($PERF)) TO '$WORK/campaigns.tsv'"
"${PSQL[@]}" -c "DROP TABLE IF EXISTS copy_orders, copy_order_lines, copy_order_campaigns;
	CREATE TABLE copy_orders (LIKE orders INCLUDING ALL);
	CREATE TABLE copy_order_lines (LIKE order_lines INCLUDING ALL);
	CREATE TABLE copy_order_campaigns (LIKE order_campaigns INCLUDING ALL);"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
echo "(load average before: $(load))"
start=$(ms)
"${PSQL[@]}" -f - <<EOF
SELECT pg_backend_pid() \g $WORK/copy.pid
BEGIN;
\copy copy_orders FROM '$WORK/orders.tsv'
\copy copy_order_lines FROM '$WORK/lines.tsv'
\copy copy_order_campaigns FROM '$WORK/campaigns.tsv'
COMMIT;
\! cut -d' ' -f14,15 /proc/\$(cat $WORK/copy.pid)/stat > $WORK/copy.cpu 2>/dev/null
EOF
echo "plain COPY: $(( $(ms) - start )) ms, PostgreSQL CPU $(awk -v tick="$tick" '{printf "%.1f s", ($1 + $2) / tick}' "$WORK/copy.cpu" 2>/dev/null || echo n/a); load average after: $(load)"
"${PSQL[@]}" -c "DROP TABLE copy_orders, copy_order_lines, copy_order_campaigns"

echo "== settled records over the shop ($("${PSQL[@]}" -c "SELECT count(*) FROM orders WHERE shop_id = $SHOP_ID") orders)"
LOG_LEVEL=warn PORT=$PORT COOKIE_SECURE=false "$WORK/portal" serve >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
JAR="$WORK/cookies"
TOKEN=$(curl -fs -c "$JAR" "http://127.0.0.1:$PORT/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_csrf=$TOKEN" --data-urlencode "email=seller@demo.test" \
	--data-urlencode "password=demo" "http://127.0.0.1:$PORT/login"
page() { # name, path: the best and the median of 15 requests after 3 warm-ups
	local times=()
	for i in $(seq 1 18); do
		t=$(curl -fs -b "$JAR" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT$2")
		[ "$i" -gt 3 ] && times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v name="$1" '{a[NR]=$1} END {printf "%-40s best %.1f ms, median %.1f ms\n", name, a[1]*1000, a[int((NR+1)/2)]*1000}'
}
AFTER=$("${PSQL[@]}" -c "SELECT (extract(epoch FROM placed_at) * 1000000)::bigint || '_' || id FROM orders WHERE shop_id = $SHOP_ID
	ORDER BY placed_at DESC, id DESC OFFSET $((N / 2)) LIMIT 1")
# Exports: the first days of the sale, about 100,000 rows for a million orders.
XLSX_TO=$("${PSQL[@]}" -c "SELECT to_char((run_starts_at AT TIME ZONE 'UTC') + interval '1 day', 'YYYY-MM-DD') FROM campaigns WHERE id = $CAMPAIGN")
page "first page" "/finance/settled-records"
page "page after half the rows (keyset)" "/finance/settled-records?after=$AFTER"
page "filtered to the campaign" "/finance/settled-records?campaign=$CAMPAIGN"
page "filtered to a status" "/finance/settled-records?status=placed"
page "filtered to one day" "/finance/settled-records?from=${FROM:0:10}&to=${FROM:0:10}"
start=$(ms)
curl -fs -b "$JAR" -o "$WORK/export.csv" "http://127.0.0.1:$PORT/finance/settled-records.csv?from=${FROM:0:10}&to=${XLSX_TO}"
echo "CSV export: $(( $(wc -l < "$WORK/export.csv") - 1 )) rows in $(( $(ms) - start )) ms"
start=$(ms)
curl -fs -b "$JAR" -o "$WORK/export.xlsx" "http://127.0.0.1:$PORT/finance/settled-records.xlsx?from=${FROM:0:10}&to=${XLSX_TO}"
echo "XLSX export of the same rows: $(ls -l "$WORK/export.xlsx" | awk '{print $5}') bytes in $(( $(ms) - start )) ms"
echo "server memory after the exports: $(ps -o rss= -p $SERVER_PID) KB RSS"
echo "== done (the database $DB is left for inspection; drop it when finished)"
