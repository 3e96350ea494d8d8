#!/usr/bin/env bash
# The seller API's "done means" walkthrough (issue 18), for real: a portal
# on a scratch database with the demo data and a demo shop of 569 SKUs; a
# seller signs in by curl and makes a key on the API keys page; then, with
# curl alone and the reference page's requests (/api/docs), the seller
# registers 500 SKUs into a campaign (a dry run first, the refused rows
# fixed), submits, the reviewer approves on the review screen, the seller
# follows the decision on the events feed, orders for those SKUs come in
# through `portal orders import`, and the seller reads their fees through
# the API; the seller's Manage page must show the same state. Each step is
# printed; any mismatch exits non-zero. Run on demand, not in the tests:
#
#   scripts/api-walkthrough.sh            # database wt_api, ports 8110-8119
#   WALK_DB=mydb WALK_PORTS="9000 9001" scripts/api-walkthrough.sh
#
# Needs go, curl, jq, psql (createdb/dropdb through it) and PostgreSQL at
# PGHOST (default 127.0.0.1, user postgres). The database is dropped and
# made again.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${WALK_DB:-wt_api}
PORTS=${WALK_PORTS:-$(seq 8110 8119)}
PGHOST=${PGHOST:-127.0.0.1}
export DATABASE_URL="postgres://postgres@${PGHOST}:5432/${DB}?sslmode=disable"
SKUS=500 # the SKUs to register
work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() {
	printf 'MISMATCH: %s\n' "$*" >&2
	if [ -s "$work/serve.log" ]; then echo "--- the portal's log (last lines):" >&2; tail -20 "$work/serve.log" >&2; fi
	exit 1
}
expect() { # expect WHAT GOT WANT
	if [ "$2" != "$3" ]; then fail "$1: got $2, want $3"; fi
	say "$1: $2"
}

step "Build the portal, a scratch database $DB with the demo data, and a shop with a large catalogue"
go build -o "$work/portal" ./cmd/portal
psql -h "$PGHOST" -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
"$work/portal" demo 2>/dev/null | grep -E '^Demo data loaded' | sed 's/^/   /'
# The demo's shops have fewer than 500 SKUs (Maple & Co: 479); the demo
# generator's load-test shops take a catalogue size: 300 products, 569 SKUs.
"$work/portal" demo shops --count 1 --products 300 2>/dev/null | grep -E '^Demo shops added' | sed 's/^/   /'
SHOP=RUSH-0001 SELLER=rush-1@demo.test

step "Serve it on a free port"
PORT=""
for p in $PORTS; do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || fail "no free port in $PORTS"
PORT=$PORT "$work/portal" serve >"$work/serve.log" 2>&1 &
server=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$BASE/healthz" >/dev/null || fail "the portal did not start"
say "$BASE (pid $server)"

# signin EMAIL JAR: the login form's CSRF token, then the form post.
signin() {
	local csrf code
	csrf=$(curl -fs -c "$2" -b "$2" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$2" -b "$2" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$1" \
		--data-urlencode "password=demo" "$BASE/login")
	[ "$code" = 303 ] || fail "signing in as $1 answered $code"
}
# csrf_of JAR PATH: a page's CSRF token (its forms carry it).
csrf_of() { curl -fs -c "$1" -b "$1" "$BASE$2" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }

step "The seller signs in by curl and makes a key on the API keys page"
SJ=$work/seller.jar
signin "$SELLER" "$SJ"
csrf=$(csrf_of "$SJ" /api-keys)
curl -fs -c "$SJ" -b "$SJ" --data-urlencode "_csrf=$csrf" --data-urlencode "name=Walkthrough ERP" \
	-d scope=campaigns:read -d scope=registrations:write -d scope=finance:read "$BASE/api-keys" >"$work/keys.html"
KEY=$(grep -o 'cpk_[0-9a-f]\{64\}' "$work/keys.html" | head -1)
[ -n "$KEY" ] || fail "the API keys page showed no new key"
say "key ${KEY:0:10}… (shown once)"
curl -fs -c "$SJ" -b "$SJ" "$BASE/api/docs" >"$work/docs.html"
for op in listCampaigns getCampaign openDraft addProducts getRegistration removeSKUs bulkSKUs submitRegistration listEvents \
	listSettledRecords getOrder; do
	grep -q "id=\"op-$op\"" "$work/docs.html" || fail "the reference page has no $op"
done
say "the reference page documents every operation used below, each with its curl example"

# api METHOD PATH [BODY] [extra curl args…]: one request as the
# reference page's examples make it; the body goes to $work/out, the
# status to stdout.
api() {
	local method=$1 path=$2 body=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=(-s -o "$work/out" -D "$work/headers" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $KEY")
	if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "@$body"); fi
	curl "${args[@]}" "$@" "$BASE$path"
}
header() { grep -i "^$1:" "$work/headers" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

step "Find a campaign: open, the shop eligible, with review, not registered yet"
expect "GET /api/v1/seller/campaigns?eligible_only=true" "$(api GET '/api/v1/seller/campaigns?eligible_only=true')" 200
CAMPAIGN=""
for id in $(jq -r '.items[] | select(.registration == null) | .id' "$work/out"); do
	[ "$(api GET "/api/v1/seller/campaigns/$id")" = 200 ] || fail "campaign $id"
	if [ "$(jq -r '.rules.review_required and .eligibility.eligible' "$work/out")" = true ]; then CAMPAIGN=$id; break; fi
done
[ -n "$CAMPAIGN" ] || fail "no open campaign with review for the shop"
say "campaign $CAMPAIGN: $(jq -r '.name' "$work/out"), run $(jq -r '.run_starts_at' "$work/out") to $(jq -r '.run_ends_at' "$work/out")"
RUN_START=$(jq -r '.run_starts_at' "$work/out")
FEE_PCT=$(jq -r '.fee_policy.rate_pct' "$work/out")
REG=/api/v1/seller/campaigns/$CAMPAIGN/registration

step "Create the draft"
expect "POST $REG/draft" "$(api POST "$REG/draft" '' -H 'Idempotency-Key: walk-draft')" 200
expect "the registration's status" "$(jq -r .status "$work/out")" draft

step "Add products (by PID, from the seller's catalogue) until the draft holds at least $SKUS SKUs"
# The demo generator's PIDs of shop 1 are 90001001…90001300.
seq -f '90001%03g' 1 300 | jq -R '{pid: .}' | jq -s '{items: .}' >"$work/products.json"
expect "POST $REG/products (300 PIDs)" "$(api POST "$REG/products?limit=1" "$work/products.json")" 200
# skus_of: every SKU of the registration, page by page, as JSON lines.
skus_of() {
	local cursor="" q
	: >"$work/skus.jsonl"
	while :; do
		q="limit=500"
		if [ -n "$cursor" ]; then q="$q&cursor=$cursor"; fi
		[ "$(api GET "$REG?$q")" = 200 ] || fail "GET $REG?$q"
		jq -c '.products[] | . as $p | .skus[] | {pid: $p.pid, product: $p.id, product_status: $p.status, sku: .sku_code,
			max: .max_price, available: .available_stock, price: .campaign_price, stock: .campaign_stock}' "$work/out" >>"$work/skus.jsonl"
		cursor=$(jq -r '.next_cursor // empty' "$work/out")
		[ -n "$cursor" ] || break
	done
}
skus_of
have=$(wc -l <"$work/skus.jsonl")
say "the draft holds $(jq -r '.product_counts.draft' "$work/out") products, $have SKUs"
[ "$have" -ge "$SKUS" ] || fail "only $have SKUs"
tail -n +$((SKUS + 1)) "$work/skus.jsonl" | jq -s '{skus: map(.sku)}' >"$work/remove.json"
expect "POST $REG/skus/remove (the $((have - SKUS)) SKUs past $SKUS)" "$(api POST "$REG/skus/remove" "$work/remove.json")" 200
skus_of
expect "SKUs in the draft" "$(wc -l <"$work/skus.jsonl" | tr -d ' ')" "$SKUS"
PRODUCTS=$(jq -s 'map(.product) | unique | length' "$work/skus.jsonl")

step "A bulk dry run of prices and stock: every SKU at its maximum, but 7 rows above it and 3 with more stock than there is"
# Row i: price = the SKU's maximum (its lowest price of the lookback), stock
# 20 (or what there is); rows 50, 100 … 350 one dollar above the maximum;
# rows 400, 450, 499 one unit more than is available.
jq -s --argjson n "$SKUS" 'to_entries | map(.key as $i | .value | {sku, campaign_price: .max, campaign_stock: ([.available, 20] | min)}
	+ (if ($i > 0 and $i % 50 == 0 and $i <= 350) then {campaign_price: ((.max | tonumber) + 1 | . * 100 | round / 100 | tostring)} else {} end)
	+ (if ($i == 400 or $i == 450 or $i == 499) then {campaign_stock: (.available + 1)} else {} end)) | {items: .}' \
	"$work/skus.jsonl" >"$work/bulk.json"
expect "GET $REG (its ETag)" "$(api GET "$REG?limit=1")" 200
ETAG=$(header ETag)
expect "POST $REG/skus/bulk?dry_run=true" "$(api POST "$REG/skus/bulk?dry_run=true" "$work/bulk.json")" 200
expect "rows passed" "$(jq .passed "$work/out")" $((SKUS - 10))
expect "rows refused" "$(jq .refused "$work/out")" 10
expect "refusal codes" "$(jq -r '[.rows[] | .errors[] | .code] | group_by(.) | map("\(.[0])×\(length)") | join(" ")' "$work/out")" \
	"price_above_max×7 stock_above_available×3"
say "e.g. row $(jq -r '[.rows[] | select(.valid | not)][0] | "\(.index) \(.sku): \(.errors[0].field) \(.errors[0].detail)"' "$work/out")"
jq '[.rows[] | select(.valid | not) | .index]' "$work/out" >"$work/refused.json"
expect "saved by the dry run" "$(jq .saved "$work/out")" 0
expect "GET $REG after the dry run" "$(api GET "$REG?limit=1")" 200
expect "the registration's version (ETag) after the dry run" "$(header ETag)" "$ETAG"

step "Fix the refused rows (price down to the maximum, stock to what is available) and save, If-Match the version read"
jq --slurpfile skus <(jq -s . "$work/skus.jsonl") --slurpfile refused "$work/refused.json" \
	'.items |= (to_entries | map(if (.key as $k | $refused[0] | index($k)) then
		.value + {campaign_price: $skus[0][.key].max, campaign_stock: ([$skus[0][.key].available, 20] | min)} else .value end))' \
	"$work/bulk.json" >"$work/fixed.json"
expect "POST $REG/skus/bulk?dry_run=true (the fixed rows)" "$(api POST "$REG/skus/bulk?dry_run=true" "$work/fixed.json")" 200
expect "rows refused now" "$(jq .refused "$work/out")" 0
expect "POST $REG/skus/bulk (If-Match)" "$(api POST "$REG/skus/bulk" "$work/fixed.json" -H "If-Match: $ETAG" -H 'Idempotency-Key: walk-bulk')" 200
expect "rows saved" "$(jq .saved "$work/out")" "$SKUS"
ETAG=$(jq -r .etag "$work/out")
expect "the same request again (a replay)" "$(api POST "$REG/skus/bulk" "$work/fixed.json" -H "If-Match: $ETAG" -H 'Idempotency-Key: walk-bulk')" 200
expect "Idempotent-Replayed" "$(header Idempotent-Replayed)" true

step "Submit, accepting the campaign's coupons"
echo '{"accept_coupons": true}' >"$work/submit.json"
expect "POST $REG/submit" "$(api POST "$REG/submit" "$work/submit.json" -H "If-Match: $ETAG")" 200
expect "the registration's status" "$(jq -r .status "$work/out")" pending
expect "products under review" "$(jq -r '.product_counts.pending' "$work/out")" "$PRODUCTS"
REG_ID=$(jq -r .id "$work/out")
expect "GET /api/v1/seller/events (before the review)" "$(api GET /api/v1/seller/events)" 200
CURSOR=$(jq -r .next_cursor "$work/out")
say "events cursor $CURSOR"

step "The reviewer signs in by curl and approves every product on the review screen"
RJ=$work/reviewer.jar
signin reviewer@demo.test "$RJ"
curl -fs -c "$RJ" -b "$RJ" "$BASE/review/registrations/$REG_ID" >"$work/review.html"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/review.html" | head -1 | sed 's/.*value="//;s/"$//')
grep -o 'name="product" value="[0-9]*"' "$work/review.html" | sed 's/.*value="//;s/"$//' | sort -u >"$work/review-products"
expect "products on the review screen" "$(wc -l <"$work/review-products" | tr -d ' ')" "$PRODUCTS"
form=(--data-urlencode "_csrf=$csrf")
while read -r rp; do form+=(-d "product=$rp" -d "decision_$rp=approved"); done <"$work/review-products"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$RJ" -b "$RJ" "${form[@]}" "$BASE/review/registrations/$REG_ID/decision")
expect "POST /review/registrations/$REG_ID/decision" "$code" 303

step "The seller follows the decision on the events feed"
decided=0
cursor=$CURSOR
for _ in $(seq 20); do
	[ "$(api GET "/api/v1/seller/events?after=$cursor&limit=500")" = 200 ] || fail "events"
	n=$(jq "[.items[] | select(.kind == \"decision\" and .registration_id == $REG_ID and .data.status == \"registered\")] | length" "$work/out")
	decided=$((decided + n))
	cursor=$(jq -r .next_cursor "$work/out")
	[ "$decided" -lt "$PRODUCTS" ] || break
	[ "$(jq '.items | length' "$work/out")" -gt 0 ] || sleep 0.5
done
expect "decision events (registered)" "$decided" "$PRODUCTS"
expect "GET $REG" "$(api GET "$REG?limit=1")" 200
expect "the registration's status" "$(jq -r .status "$work/out")" registered
expect "products registered" "$(jq -r '.product_counts.registered' "$work/out")" "$PRODUCTS"
skus_of
expect "SKUs registered at their saved price" "$(jq -s "map(select(.product_status == \"registered\" and .price != null)) | length" "$work/skus.jsonl")" "$SKUS"

step "Orders for those SKUs come in through the order import (portal orders import), placed during the campaign's run"
placed=$(date -u -d "$RUN_START + 1 day" +%Y-%m-%dT%H:%M:%SZ)
jq -s -c --arg shop "$SHOP" --arg at "$placed" 'to_entries | map(select(.key % 100 == 7)) | map({order_id: "WALK-\(.key)", shop_id: $shop,
	placed_at: $at, lines: [{sku_id: .value.sku, quantity: 2, unit_price: .value.price, seller_discount: "0.00"}], shipping_paid: "0.00"}) | .[]' \
	"$work/skus.jsonl" >"$work/orders.ndjson"
"$work/portal" orders import --results "$work/results.ndjson" "$work/orders.ndjson" 2>/dev/null | sed 's/^/   /'
ORDERS=$(wc -l <"$work/orders.ndjson" | tr -d ' ')
expect "orders stored" "$(jq -s 'map(select(.status == 201)) | length' "$work/results.ndjson")" "$ORDERS"

step "The seller reads their fees through the API"
expect "GET /api/v1/seller/settled-records?campaign=$CAMPAIGN" "$(api GET "/api/v1/seller/settled-records?campaign=$CAMPAIGN")" 200
expect "settled records in the campaign" "$(jq '.items | length' "$work/out")" "$ORDERS"
jq -r '.items[] | "\(.id) \(.merchandise) \(.fee)"' "$work/out" >"$work/records"
total=0
while read -r id merch fee; do
	[ "$(api GET "/api/v1/seller/orders/$id")" = 200 ] || fail "GET /api/v1/seller/orders/$id"
	[ "$(jq -r '[.lines[] | .campaign.id] | unique | join(",")' "$work/out")" = "$CAMPAIGN" ] || fail "order $id: its line is not in campaign $CAMPAIGN"
	rate=$(jq -r '.lines[0].campaign.rate' "$work/out")
	[ "$(jq -rn --arg r "$rate" --arg p "$FEE_PCT" '($r | tonumber) * 100 == ($p | tonumber)')" = true ] ||
		fail "order $id: rate $rate is not the campaign's $FEE_PCT%"
	bfee=$(jq -r '.fee' "$work/out")
	# The fee: rate × merchandise (no shipping paid), half up to the cent.
	want=$(jq -rn --arg m "$merch" --arg r "$rate" '($m | tonumber) * ($r | tonumber) * 100 + 0.5 | floor')
	got=$(jq -rn --arg f "$bfee" '($f | tonumber) * 100 | round')
	[ "$got" = "$want" ] || fail "order $id: fee $bfee, want $rate × $merch"
	[ "$bfee" = "$fee" ] || fail "order $id: the breakdown's fee $bfee is not the settled record's $fee"
	total=$(jq -rn --arg t "$total" --arg f "$fee" '($t | tonumber) + ($f | tonumber) | . * 100 | round / 100')
done <"$work/records"
say "$ORDERS orders, fees total \$$total (each: the campaign's $FEE_PCT% of its merchandise, the breakdown equal to the settled record)"

step "A price edit of one registered SKU, with the price read as expected_price"
first=$(head -1 "$work/skus.jsonl")
EDIT_SKU=$(jq -r .sku <<<"$first")
old_price=$(jq -r .price <<<"$first")
new_price=$(jq -rn --arg p "$old_price" '($p | tonumber) * 0.95 * 100 | floor / 100 | tostring | if test("\\.") then . else . + ".00" end')
jq -n --arg s "$EDIT_SKU" --arg n "$new_price" --arg e "$old_price" '{sku: $s, new_price: $n, expected_price: $e, expected_request: null}' >"$work/edit.json"
expect "POST $REG/price-edits ($EDIT_SKU: $old_price → $new_price)" "$(api POST "$REG/price-edits" "$work/edit.json" -H 'Idempotency-Key: walk-edit')" 201
EDIT_ID=$(jq -r .id "$work/out")
expect "the same edit from the same (now stale) read, another key" "$(api POST "$REG/price-edits" "$work/edit.json" -H 'Idempotency-Key: walk-edit-2')" 409
expect "its problem code" "$(jq -r .code "$work/out")" price_changed
expect "GET $REG/price-edits/$EDIT_ID" "$(api GET "$REG/price-edits/$EDIT_ID")" 200
expect "the edit's status" "$(jq -r .status "$work/out")" under_review

step "The screens show the same state: the seller's Manage page"
curl -fs -c "$SJ" -b "$SJ" "$BASE/registrations/$REG_ID" >"$work/manage.html"
expect "SKU rows on the Manage page" "$(grep -o 'data-testid="manage-sku"' "$work/manage.html" | wc -l | tr -d ' ')" "$SKUS"
expect "products shown Registered" "$(grep -o 'data-testid="product-status"[^>]*>[^<]*<' "$work/manage.html" | grep -c '>Registered<')" "$PRODUCTS"
page_sum=$(grep -o 'data-testid="campaign-price"[^>]*>[^<]*<' "$work/manage.html" | sed 's/.*>\$\{0,1\}//;s/<$//;s/,//g' |
	jq -Rn '[inputs | tonumber] | add * 100 | round')
api_sum=$(jq -s 'map(.price | tonumber) | add * 100 | round' "$work/skus.jsonl")
expect "campaign prices on the page = through the API (cents)" "$page_sum" "$api_sum"
expect "open price edits on the page" "$(grep -o 'data-testid="edit-summary"' "$work/manage.html" | wc -l | tr -d ' ')" 1
grep -q "$EDIT_SKU" "$work/manage.html" || fail "the Manage page does not show $EDIT_SKU"
printf '\nThe walkthrough passed: %s SKUs in %s products registered in campaign %s, %s orders with their fees.\n' \
	"$SKUS" "$PRODUCTS" "$CAMPAIGN" "$ORDERS"
