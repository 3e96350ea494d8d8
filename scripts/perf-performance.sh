#!/usr/bin/env bash
# Speed of Manage your campaigns and View data over a shop with many orders.
#
#   scripts/perf-performance.sh [ORDERS]        (default 1000000)
#
# On a scratch database (portal_perf_performance, dropped first and at the
# end) with the demo data, it generates ORDERS orders for Maple & Co spread
# over the eight ended campaigns Maple registered in (two years, each
# campaign's share by the length of its run, placed during the run, its
# registered SKUs plus the shop's other products on three lines in ten, a
# quarter with the campaign's coupon), imports them through the bulk path
# (`portal orders import`), accepts events for one order in EVENT_EVERY
# (default 20: completions, cancellations, returns; each event is a
# transaction of its own), then serves the portal, signs in as the seller
# and times the pages over loopback: curl's time_starttransfer, 3 warm-ups
# then 15 requests, best / median / p90. Then EXPLAIN (ANALYZE, BUFFERS) of
# View data's SKU table and by-day queries, and `portal rollups rebuild`
# checked against the rollups the import and events kept. Results go to
# stdout; copy them into docs/performance.md. Never run by the tests.
set -euo pipefail

N=${1:-1000000}
EVENT_EVERY=${EVENT_EVERY:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB=${PERF_DB:-portal_perf_performance}
KEEP=${PERF_KEEP_DB:-}
export DATABASE_URL="$PGURL/$DB?sslmode=disable"
PSQL=(psql "$PGURL/$DB" -qAtX -v ON_ERROR_STOP=1)
WORK=$(mktemp -d)
PORT=${PERF_PORT:-18091}
cleanup() {
	if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
	if [ -z "$KEEP" ]; then psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true; fi
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

cd "$ROOT"
echo "== build (load $(load))"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/genorders" ./scripts/perf/genorders
go build -o "$WORK/orderevents" ./scripts/perf/orderevents

echo "== scratch database $DB with the demo data"
psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
LOG_LEVEL=warn "$WORK/portal" demo >/dev/null

SHOP=$("${PSQL[@]}" -c "SELECT public_id FROM shops WHERE name = 'Maple & Co'")
SHOP_ID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
# One window a campaign Maple registered in whose run has ended: weight
# its days, placed during the run, its coupon, its registered SKUs.
"${PSQL[@]}" -F' ' -c "SELECT greatest(1, round(extract(epoch FROM c.run_ends_at - c.run_starts_at) / 86400))::int,
		to_char(c.run_starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
		extract(epoch FROM c.run_ends_at - c.run_starts_at)::bigint || 's',
		coalesce((SELECT min(cp.id)::text FROM coupons cp WHERE cp.campaign_id = c.id), '-'),
		(SELECT string_agg(s.sku_code, ',' ORDER BY s.id) FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id WHERE rs.registration_id = r.id)
	FROM campaigns c JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $SHOP_ID
	WHERE r.status = 'registered' AND c.run_ends_at < now() ORDER BY c.run_starts_at" > "$WORK/plan.txt"
OTHERS=$("${PSQL[@]}" -c "SELECT string_agg(sku_code, ',' ORDER BY id) FROM skus WHERE shop_id = $SHOP_ID")
echo "shop $SHOP: $(wc -l < "$WORK/plan.txt") campaigns, $(echo "$OTHERS" | tr ',' '\n' | wc -l) SKUs in all"
awk '{printf "  weight %s, from %s for %s, coupon %s, %d SKUs\n", $1, $2, $3, $4, split($5, a, ",")}' "$WORK/plan.txt"

echo "== generate $N orders, events for one in $EVENT_EVERY"
"$WORK/genorders" -n "$N" -shop "$SHOP" -plan "$WORK/plan.txt" -others "$OTHERS" -other-share 0.3 \
	-events "$WORK/events.ndjson" -event-every "$EVENT_EVERY" > "$WORK/orders.ndjson"
ls -l "$WORK/orders.ndjson" | awk '{printf "%.0f MB of NDJSON, ", $5/1048576}'
echo "$(wc -l < "$WORK/events.ndjson") events"

echo "== import through the bulk path (load $(load))"
/usr/bin/time -f "import: %e s wall, %M KB max RSS (the portal process)" \
	env LOG_LEVEL=warn "$WORK/portal" orders import "$WORK/orders.ndjson" 2>&1 | grep -v "^line "
echo "== events (load $(load))"
"$WORK/orderevents" -shop "$SHOP" -workers 4 "$WORK/events.ndjson"
for t in orders order_lines order_campaigns settled_totals campaign_days campaign_sku_days; do "${PSQL[@]}" -c "VACUUM ANALYZE $t"; done
"${PSQL[@]}" -c "SELECT 'stored: ' || sum(n) || ' orders of the shop (' || string_agg(status || ' ' || n, ', ') || ')' FROM
	(SELECT status, count(*) AS n FROM orders WHERE shop_id = $SHOP_ID GROUP BY 1 ORDER BY 2 DESC) s"
"${PSQL[@]}" -c "SELECT 'rows: ' || (SELECT count(*) FROM order_campaigns) || ' order_campaigns, ' || (SELECT count(*) FROM campaign_days) ||
	' campaign_days, ' || (SELECT count(*) FROM campaign_sku_days) || ' campaign_sku_days, ' || (SELECT count(*) FROM settled_totals) || ' settled_totals'"
"${PSQL[@]}" -c "SELECT 'per campaign: ' || string_agg(slug || ' ' || days || ' days ' || o || ' orders ' || r || ' SKU rows', '; ' ORDER BY id) FROM
	(SELECT c.id, c.slug, count(DISTINCT d.day) AS days, sum(d.orders) AS o,
		(SELECT count(*) FROM campaign_sku_days s WHERE s.shop_id = $SHOP_ID AND s.campaign_id = c.id) AS r
	 FROM campaign_days d JOIN campaigns c ON c.id = d.campaign_id WHERE d.shop_id = $SHOP_ID GROUP BY c.id, c.slug) x"

# The biggest campaign: the most orders.
BIG=$("${PSQL[@]}" -c "SELECT campaign_id FROM campaign_days WHERE shop_id = $SHOP_ID GROUP BY 1 ORDER BY sum(orders) DESC LIMIT 1")
read -r BIG_NAME BIG_FROM BIG_TO BIG_REG < <("${PSQL[@]}" -F' ' -c "SELECT c.slug, (c.run_starts_at AT TIME ZONE c.timezone)::date,
	((c.run_ends_at - interval '1 microsecond') AT TIME ZONE c.timezone)::date, r.id
	FROM campaigns c JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $SHOP_ID WHERE c.id = $BIG")
MID_FROM=$(date -d "$BIG_FROM + 3 days" +%F)
MID_TO=$(date -d "$BIG_FROM + 6 days" +%F)
YEAR=$(date +%Y)
echo "biggest campaign: $BIG_NAME (id $BIG), run $BIG_FROM to $BIG_TO; narrowed range $MID_FROM to $MID_TO"

echo "== the pages over $("${PSQL[@]}" -c "SELECT count(*) FROM orders WHERE shop_id = $SHOP_ID") orders (load $(load))"
LOG_LEVEL=warn PORT=$PORT COOKIE_SECURE=false "$WORK/portal" serve >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
JAR="$WORK/cookies"
TOKEN=$(curl -fs -c "$JAR" "http://127.0.0.1:$PORT/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_csrf=$TOKEN" --data-urlencode "email=seller@demo.test" \
	--data-urlencode "password=demo" "http://127.0.0.1:$PORT/login"
page() { # name, path: best, median and p90 of 15 requests after 3 warm-ups (time to the first byte)
	local times=() t
	for i in $(seq 1 18); do
		t=$(curl -fs -b "$JAR" -o "$WORK/page.html" -w '%{time_starttransfer}' "http://127.0.0.1:$PORT$2")
		[ "$i" -gt 3 ] && times+=("$t")
	done
	grep -q 'data-testid' "$WORK/page.html" || { echo "$1: not the page (signed out?)"; exit 1; }
	printf '%s\n' "${times[@]}" | sort -n | awk -v name="$1" -v ld="$(load)" -v kb="$(( $(wc -c < "$WORK/page.html") / 1024 ))" \
		'{a[NR]=$1} END {printf "%-44s best %5.1f ms, median %5.1f ms, p90 %5.1f ms  (%d KB; load %s)\n", name, a[1]*1000, a[int((NR+1)/2)]*1000, a[int(NR*0.9+0.5)]*1000, kb, ld}'
}
for round in 1 2 3; do
	echo "-- round $round"
	page "Manage your campaigns, $YEAR" "/campaigns/performance?year=$YEAR"
	page "Manage your campaigns, $((YEAR - 1))" "/campaigns/performance?year=$((YEAR - 1))"
	page "View data, whole run" "/campaigns/$BIG/performance?from=$BIG_FROM&to=$BIG_TO"
	page "View data, days 4-7" "/campaigns/$BIG/performance?from=$MID_FROM&to=$MID_TO"
	page "View data, whole run, sorted by units asc" "/campaigns/$BIG/performance?from=$BIG_FROM&to=$BIG_TO&sort=units&dir=asc"
	page "View data, whole run, others=1" "/campaigns/$BIG/performance?from=$BIG_FROM&to=$BIG_TO&others=1"
done
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

echo "== query plans (View data, whole run of $BIG_NAME; load $(load))"
echo "-- the SKU table (perfSKUs)"
"${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT d.sku_id, s.sku_code, p.id, p.title, p.pid, d.campaign_line, sum(d.orders), sum(d.units),
		sum(d.units_returned), sum(d.units_cancelled), sum(d.sales), sum(d.fee), sum(d.seller_share), sum(d.platform_share),
		coalesce((SELECT rs.campaign_stock FROM registration_skus rs WHERE rs.registration_id = $BIG_REG AND rs.sku_id = d.sku_id), 0)
	FROM campaign_sku_days d JOIN skus s ON s.id = d.sku_id JOIN products p ON p.id = s.product_id
	WHERE d.shop_id = $SHOP_ID AND d.campaign_id = $BIG AND d.day >= '$BIG_FROM'::date AND d.day <= '$BIG_TO'::date
	GROUP BY d.sku_id, s.sku_code, p.id, p.title, p.pid, d.campaign_line
	ORDER BY d.campaign_line DESC, sum(d.sales) DESC, d.sku_id"
echo "-- by day (perfDays)"
"${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT day, status, sum(orders), sum(units), sum(merchandise), sum(merchandise_reversed),
	sum(shipping), sum(shipping_reversed), sum(fee), sum(fee_refunded), sum(seller_share), sum(platform_share), sum(payout)
	FROM campaign_days WHERE shop_id = $SHOP_ID AND campaign_id = $BIG AND day >= '$BIG_FROM'::date AND day <= '$BIG_TO'::date GROUP BY 1, 2"
echo "-- the year (ShopYearPerformance)"
"${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT campaign_id, extract(year FROM day)::int, lead, status, sum(orders), sum(units),
	sum(merchandise), sum(merchandise_reversed), sum(shipping), sum(shipping_reversed), sum(fee), sum(fee_refunded), sum(seller_share),
	sum(platform_share), sum(payout)
	FROM campaign_days WHERE shop_id = $SHOP_ID AND day >= '$((YEAR - 1))-01-01'::date AND day < '$((YEAR + 1))-01-01'::date GROUP BY 1, 2, 3, 4"

echo "== rebuild the rollups from the orders and compare (load $(load))"
"${PSQL[@]}" -c "CREATE TABLE kept_days AS SELECT * FROM campaign_days" -c "CREATE TABLE kept_sku_days AS SELECT * FROM campaign_sku_days"
LOG_LEVEL=warn "$WORK/portal" rollups rebuild
"${PSQL[@]}" -c "SELECT 'rows that differ: ' || (SELECT count(*) FROM ((TABLE kept_days EXCEPT TABLE campaign_days) UNION ALL
	(TABLE campaign_days EXCEPT TABLE kept_days)) x) || ' day rows, ' || (SELECT count(*) FROM ((TABLE kept_sku_days EXCEPT TABLE campaign_sku_days)
	UNION ALL (TABLE campaign_sku_days EXCEPT TABLE kept_sku_days)) x) || ' SKU rows'"
echo "== done (load $(load)); the database $DB is dropped${KEEP:+ — no, kept (PERF_KEEP_DB)}"
