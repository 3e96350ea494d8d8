#!/usr/bin/env bash
# Every page under load, as a share of the HTTP ceiling measured in the same run.
#
#   scripts/perf-pages.sh [DURATION]          (default 8s per page)
#
# On a scratch database (portal_perf_pages, dropped first and at the end)
# with the demo data, it serves the portal and an echo hello-world server
# (scripts/perf/hello) side by side, signs in as the demo seller, reviewer
# and manager, and runs wrk (-t2 -c32, CONNECTIONS to change) against each
# page: requests per second, the share of hello-world's (measured before
# and after the pages; the lower of the two is the ceiling), p50 and p99.
# It also counts the SQL statements one request of each page sends (the
# portal's own portal_db_statements_total, read from /metrics around it).
# Results go to stdout as a Markdown table; copy them into
# docs/performance.md. Never run by the tests.
#
# LARGE=1 adds the issue's large pages: ORDERS (default 1,000,000) more
# orders for the demo seller (generated and imported as
# scripts/perf-performance.sh does), so settled
# records and View data run over them, and a shop of 999 products
# (`portal demo shops --count 1 --products 999`, about 2,000 SKUs) whose
# seller puts every product in a draft, priced 10 % under the low with
# stock 5 by the price table's own bulk actions: its price table.
set -euo pipefail

DURATION=${1:-8s}
CONNS=${CONNECTIONS:-32}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB=${PERF_DB:-portal_perf_pages}
export DATABASE_URL="$PGURL/$DB?sslmode=disable"
PSQL=(psql "$PGURL/$DB" -qAtX -v ON_ERROR_STOP=1)
WORK=$(mktemp -d)
PORT=${PERF_PORT:-18098}
HELLO=${PERF_HELLO_PORT:-18099}
METRICS=${PERF_METRICS_PORT:-18097}
BASE="http://127.0.0.1:$PORT"
cleanup() {
	for p in ${SERVER_PID:-} ${HELLO_PID:-}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

cd "$ROOT"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/hello" ./scripts/perf/hello
psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
LOG_LEVEL=warn "$WORK/portal" demo >/dev/null
if [ "${LARGE:-}" = 1 ]; then
	echo "Loading the large data (${ORDERS:-1000000} orders, a 999-product shop)…" >&2
	# The orders as scripts/perf-performance.sh makes them: generated for
	# Maple's ended campaigns (scripts/perf/genorders), imported through
	# the bulk path.
	go build -o "$WORK/genorders" ./scripts/perf/genorders
	SHOP_PUB=$("${PSQL[@]}" -c "SELECT public_id FROM shops WHERE name = 'Maple & Co'")
	SID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
	"${PSQL[@]}" -F' ' -c "SELECT greatest(1, round(extract(epoch FROM c.run_ends_at - c.run_starts_at) / 86400))::int,
			to_char(c.run_starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
			extract(epoch FROM c.run_ends_at - c.run_starts_at)::bigint || 's',
			coalesce((SELECT min(cp.id)::text FROM coupons cp WHERE cp.campaign_id = c.id), '-'),
			(SELECT string_agg(s.sku_code, ',' ORDER BY s.id) FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id WHERE rs.registration_id = r.id)
		FROM campaigns c JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $SID
		WHERE r.status = 'registered' AND c.run_ends_at < now() ORDER BY c.run_starts_at" > "$WORK/plan.txt"
	OTHERS=$("${PSQL[@]}" -c "SELECT string_agg(sku_code, ',' ORDER BY id) FROM skus WHERE shop_id = $SID")
	"$WORK/genorders" -n "${ORDERS:-1000000}" -shop "$SHOP_PUB" -plan "$WORK/plan.txt" -others "$OTHERS" -other-share 0.3 > "$WORK/orders.ndjson"
	LOG_LEVEL=warn "$WORK/portal" orders import "$WORK/orders.ndjson" 2>&1 | grep -v "^line " >&2
	rm -f "$WORK/orders.ndjson"
	for t in orders order_lines order_campaigns settled_totals campaign_days campaign_sku_days; do "${PSQL[@]}" -c "VACUUM ANALYZE $t"; done
	LOG_LEVEL=warn "$WORK/portal" demo shops --count 1 --products 999 >/dev/null
fi

PORT=$PORT METRICS_ADDR=127.0.0.1:$METRICS COOKIE_SECURE=false LOG_LEVEL=warn "$WORK/portal" serve >"$WORK/portal.log" 2>&1 &
SERVER_PID=$!
"$WORK/hello" -addr "127.0.0.1:$HELLO" &
HELLO_PID=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$HELLO/" >/dev/null 2>&1 && break; sleep 0.2; done

# signin EMAIL: prints the Cookie header of a signed-in session.
signin() {
	local jar="$WORK/jar-$1" token
	token=$(curl -fs -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
	curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "email=$1" \
		--data-urlencode "password=demo" "$BASE/login"
	awk '!/^#/ || /^#HttpOnly_/ { sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar"
}
SELLER=$(signin seller@demo.test)
REVIEWER=$(signin reviewer@demo.test)
MANAGER=$(signin manager@demo.test)

# Pages with ids from the demo data.
CAMP=$("${PSQL[@]}" -c "SELECT id FROM campaigns WHERE slug LIKE 'bfcm-%' ORDER BY id DESC LIMIT 1")
SHOP_ID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
REG=$("${PSQL[@]}" -c "SELECT id FROM registrations WHERE shop_id = $SHOP_ID AND status <> 'draft' ORDER BY id LIMIT 1")
PRODUCT=$("${PSQL[@]}" -c "SELECT id FROM products WHERE shop_id = $SHOP_ID ORDER BY id LIMIT 1")
ENDED=$("${PSQL[@]}" -c "SELECT c.id FROM campaigns c JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $SHOP_ID WHERE c.run_ends_at < now() ORDER BY c.run_ends_at DESC LIMIT 1")
PENDING=$("${PSQL[@]}" -c "SELECT id FROM registrations WHERE status = 'pending' ORDER BY id LIMIT 1")
ORDER=$("${PSQL[@]}" -c "SELECT id FROM orders WHERE shop_id = $SHOP_ID ORDER BY placed_at DESC LIMIT 1")
CSS=$(curl -fs -b "$SELLER" "$BASE/account" | grep -o '/static/app\.[0-9a-f]*\.css' | head -1)
# The seller's price table with the recommended products in it.
TOKEN=$(curl -fs -b "$SELLER" "$BASE/campaigns/$CAMP/register" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$SELLER" -o /dev/null --data-urlencode "_csrf=$TOKEN" "$BASE/campaigns/$CAMP/register/recommended" || true
LARGE_PAGES=()
if [ "${LARGE:-}" = 1 ]; then
	BIG=$(signin rush-1@demo.test)
	BIG_SHOP=$("${PSQL[@]}" -c "SELECT shop_id FROM users WHERE email = 'rush-1@demo.test'")
	TOKEN=$(curl -fs -b "$BIG" "$BASE/campaigns/$CAMP/register" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
	ARGS=(--data-urlencode "_csrf=$TOKEN")
	for id in $("${PSQL[@]}" -c "SELECT id FROM products WHERE shop_id = $BIG_SHOP ORDER BY id"); do ARGS+=(--data-urlencode "product_id=$id"); done
	curl -fs -b "$BIG" -o /dev/null "${ARGS[@]}" "$BASE/campaigns/$CAMP/register/pick"
	curl -fs -b "$BIG" -o /dev/null --data-urlencode "_csrf=$TOKEN" -d action=percent-off -d scope=all -d value=10 "$BASE/campaigns/$CAMP/register/bulk"
	curl -fs -b "$BIG" -o /dev/null --data-urlencode "_csrf=$TOKEN" -d action=set-stock -d scope=all -d value=5 "$BASE/campaigns/$CAMP/register/bulk"
	BIG_SKUS=$("${PSQL[@]}" -c "SELECT count(*) FROM registration_skus rs JOIN registrations r ON r.id = rs.registration_id WHERE r.shop_id = $BIG_SHOP AND r.campaign_id = $CAMP AND rs.campaign_price IS NOT NULL")
	SHOP_ORDERS=$("${PSQL[@]}" -c "SELECT count(*) FROM orders WHERE shop_id = $SHOP_ID")
	"${PSQL[@]}" -c "ANALYZE" >/dev/null
	LARGE_PAGES=(
		"price table, $BIG_SKUS SKUs priced|$BASE/campaigns/$CAMP/register|$BIG"
		"price table, $BIG_SKUS SKUs, page 20|$BASE/campaigns/$CAMP/register?page=20|$BIG"
		"settled records, $SHOP_ORDERS orders|$BASE/finance/settled-records|$SELLER"
		"View data, $SHOP_ORDERS orders|$BASE/campaigns/$ENDED/performance|$SELLER"
		"/campaigns/performance, $SHOP_ORDERS orders|$BASE/campaigns/performance|$SELLER"
	)
fi

# run NAME URL [COOKIE]: one wrk run; prints "req/s p50 p99" (ms).
run() {
	local out
	if [ -n "${3:-}" ]; then
		out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Cookie: $3" "$2")
	else
		out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$2")
	fi
	if echo "$out" | grep -q "Non-2xx or 3xx responses"; then
		echo "$1: wrk saw non-2xx/3xx answers" >&2
		echo "$out" >&2
	fi
	local rps p50 p99 reqs
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	reqs=$(echo "$out" | awk '/requests in/ {print $1}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	echo "$rps $(tomillis "$p50") $(tomillis "$p99") $reqs"
}
tomillis() { # wrk prints 812.00us, 1.23ms or 1.02s
	case "$1" in
	*us) awk -v v="${1%us}" 'BEGIN { printf "%.2f", v / 1000 }' ;;
	*ms) awk -v v="${1%ms}" 'BEGIN { printf "%.2f", v }' ;;
	*s) awk -v v="${1%s}" 'BEGIN { printf "%.0f", v * 1000 }' ;;
	*) echo "$1" ;;
	esac
}
# statements URL COOKIE: the SQL statements one request of the page sends
# (the portal's portal_db_statements_total, read around it; nothing else
# runs meanwhile).
counter() { curl -fs "http://127.0.0.1:$METRICS/metrics" | awk '$1 == "portal_db_statements_total" {print $2}'; }
statements() {
	curl -fs -b "${2:-}" -o /dev/null "$1" # warm
	local before after
	before=$(counter)
	curl -fs -b "${2:-}" -o /dev/null "$1"
	after=$(counter)
	awk -v a="$after" -v b="$before" 'BEGIN { printf "%d", a - b }'
}

# ticks PID...: CPU time (user + system, clock ticks) of the processes.
ticks() {
	local t=0 f
	for pid in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null) || continue
		t=$((t + ${f% *} + ${f#* }))
	done
	echo "$t"
}
HZ=$(getconf CLK_TCK)
# The last two columns are the CPU a request cost the portal and
# PostgreSQL, in microseconds: the CPU time of the portal process and of
# the PostgreSQL backends connected to the scratch database, read around
# each run (a backend that starts during the run counts from zero).
declare -A PG_BEFORE
pg_backends() { "${PSQL[@]}" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()"; }
pg_mark() { PG_BEFORE=(); for pid in $(pg_backends); do PG_BEFORE[$pid]=$(ticks "$pid"); done; }
pg_spent() {
	local t=0 now
	for pid in $(pg_backends); do
		now=$(ticks "$pid")
		t=$((t + now - ${PG_BEFORE[$pid]:-0}))
	done
	echo "$t"
}

echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNS -d$DURATION; $(nproc) cores"
read -r H1 _ _ <<<"$(run hello "http://127.0.0.1:$HELLO/")"
PAGES=(
	"echo hello-world (ceiling)|http://127.0.0.1:$HELLO/|"
	"static CSS|$BASE$CSS|"
	"/healthz|$BASE/healthz|"
	"/login (no session)|$BASE/login|"
	"/account|$BASE/account|$SELLER"
	"/notifications|$BASE/notifications|$SELLER"
	"/campaigns|$BASE/campaigns|$SELLER"
	"/campaigns?tab=registered|$BASE/campaigns?tab=registered|$SELLER"
	"/campaigns/:id (details)|$BASE/campaigns/$CAMP|$SELLER"
	"/campaigns/:id/register (price table)|$BASE/campaigns/$CAMP/register|$SELLER"
	"/campaigns/:id/register/pick|$BASE/campaigns/$CAMP/register/pick|$SELLER"
	"/registrations/:id (manage)|$BASE/registrations/$REG|$SELLER"
	"/products|$BASE/products|$SELLER"
	"/products/:id|$BASE/products/$PRODUCT|$SELLER"
	"/finance/settled-records|$BASE/finance/settled-records|$SELLER"
	"/finance/orders/:id|$BASE/finance/orders/$ORDER|$SELLER"
	"/campaigns/performance|$BASE/campaigns/performance|$SELLER"
	"/campaigns/:id/performance (View data)|$BASE/campaigns/$ENDED/performance|$SELLER"
	"/review (queue)|$BASE/review|$REVIEWER"
	"/review/registrations/:id|$BASE/review/registrations/$PENDING|$REVIEWER"
	"/review/price-edits|$BASE/review/price-edits|$REVIEWER"
	"/manager|$BASE/manager|$MANAGER"
	"/manager/campaigns/:id|$BASE/manager/campaigns/$CAMP|$MANAGER"
	"/manager/campaigns/:id/performance|$BASE/manager/campaigns/$ENDED/performance|$MANAGER"
	"${LARGE_PAGES[@]}"
)
ROWS=()
for p in "${PAGES[@]}"; do
	IFS='|' read -r name url cookie <<<"$p"
	p0=$(ticks "$SERVER_PID"); pg_mark
	read -r rps p50 p99 reqs <<<"$(run "$name" "$url" "$cookie")"
	p1=$(ticks "$SERVER_PID"); g=$(pg_spent)
	cpu=$(awk -v p=$((p1 - p0)) -v g="$g" -v n="$reqs" -v hz="$HZ" \
		'BEGIN { if (n > 0) printf "%.0f|%.0f", p * 1e6 / hz / n, g * 1e6 / hz / n; else print "-|-" }')
	n="-"
	case "$name" in echo*|static*) ;; *) n=$(statements "$url" "$cookie") ;; esac
	ROWS+=("$name|$rps|$p50|$p99|$n|$cpu")
done
read -r H2 _ _ <<<"$(run hello "http://127.0.0.1:$HELLO/")"
CEIL=$(awk -v a="$H1" -v b="$H2" 'BEGIN { print (a < b ? a : b) }')
echo "Hello-world before $H1 req/s, after $H2 req/s; ceiling $CEIL. Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| page | req/s | share of hello-world | p50 ms | p99 ms | SQL statements | portal CPU µs/req | PostgreSQL CPU µs/req |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${ROWS[@]}"; do
	IFS='|' read -r name rps p50 p99 n pcpu gcpu <<<"$r"
	share=$(awk -v r="$rps" -v c="$CEIL" 'BEGIN { printf "%.1f %%", 100 * r / c }')
	echo "| $name | $rps | $share | $p50 | $p99 | $n | $pcpu | $gcpu |"
done
