#!/usr/bin/env bash
# What keeping the campaign rollups costs the order import.
#
#   scripts/perf-import-overhead.sh [BEFORE [ORDERS [ROUNDS]]]
#       (defaults: 6c6ad28, the last commit before the rollups; 100000; 3)
#   ORDER=time scripts/perf-import-overhead.sh …   orders in time order
#
# Builds `portal` from HEAD ("after") and from BEFORE (in a temporary git
# worktree, removed at the end), generates ORDERS orders for Maple & Co
# spread over the ended campaigns Maple registered in that both demos have
# (genorders -plan, with the shop's other products on three lines in ten),
# in random order (the rollups' worst case: a batch touches every day; with
# ORDER=time sorted by placed_at, as a live feed sends them), then
# ROUNDS times (after one round not counted), before then after: a fresh
# scratch database, a copy of one with the demo data loaded by that binary,
# and `portal orders import` of the same file, timed by the import itself.
# Prints every run with the load average, and the ratio after / before.
# The scratch databases (portal_perf_import_*) are dropped at the end.
# Never run by the tests.
set -euo pipefail

BEFORE=${1:-6c6ad28}
N=${2:-100000}
ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGURL=${PERF_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
WORK=$(mktemp -d)
cleanup() {
	git -C "$ROOT" worktree remove --force "$WORK/before-src" 2>/dev/null || true
	for db in before after demo_before demo_after; do
		psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS portal_perf_import_$db WITH (FORCE)" >/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

cd "$ROOT"
echo "== build after ($(git rev-parse --short HEAD)) and before ($BEFORE)"
go build -o "$WORK/portal-after" ./cmd/portal
go build -o "$WORK/genorders" ./scripts/perf/genorders
git worktree add --detach "$WORK/before-src" "$BEFORE" >/dev/null 2>&1
cp -r static/node_modules "$WORK/before-src/static/"
(cd "$WORK/before-src" && go build -o "$WORK/portal-before" ./cmd/portal)
git worktree remove --force "$WORK/before-src"

echo "== the demo data, loaded by each binary (load $(load))"
for v in before after; do
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS portal_perf_import_demo_$v WITH (FORCE)" >/dev/null
	DATABASE_URL="$PGURL/portal_perf_import_demo_$v?sslmode=disable" LOG_LEVEL=warn "$WORK/portal-$v" demo >/dev/null
done
fresh() { # variant: a scratch database, a copy of that binary's demo database
	psql "$PGURL/postgres" -qAtX -c "DROP DATABASE IF EXISTS portal_perf_import_$1 WITH (FORCE)" \
		-c "CREATE DATABASE portal_perf_import_$1 TEMPLATE portal_perf_import_demo_$1" -c "CHECKPOINT" >/dev/null
}

echo "== $N orders over the campaigns both demos have"
PSQL=(psql "$PGURL/portal_perf_import_demo_before" -qAtX -v ON_ERROR_STOP=1)
SHOP=$("${PSQL[@]}" -c "SELECT public_id FROM shops WHERE name = 'Maple & Co'")
SHOP_ID=$("${PSQL[@]}" -c "SELECT id FROM shops WHERE name = 'Maple & Co'")
"${PSQL[@]}" -F' ' -c "SELECT greatest(1, round(extract(epoch FROM c.run_ends_at - c.run_starts_at) / 86400))::int,
		to_char(c.run_starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
		extract(epoch FROM c.run_ends_at - c.run_starts_at)::bigint || 's',
		coalesce((SELECT min(cp.id)::text FROM coupons cp WHERE cp.campaign_id = c.id), '-'),
		(SELECT string_agg(s.sku_code, ',' ORDER BY s.id) FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id WHERE rs.registration_id = r.id)
	FROM campaigns c JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $SHOP_ID
	WHERE r.status = 'registered' AND c.run_ends_at < now() ORDER BY c.run_starts_at" > "$WORK/plan.txt"
OTHERS=$("${PSQL[@]}" -c "SELECT string_agg(sku_code, ',' ORDER BY id) FROM skus WHERE shop_id = $SHOP_ID")
awk '{printf "  weight %s, from %s for %s, coupon %s, %d SKUs\n", $1, $2, $3, $4, split($5, a, ",")}' "$WORK/plan.txt"
"$WORK/genorders" -n "$N" -shop "$SHOP" -plan "$WORK/plan.txt" -others "$OTHERS" -other-share 0.3 > "$WORK/orders.ndjson"
if [ "${ORDER:-random}" = time ]; then # placed_at is the 12th field between double quotes
	sort -s -t'"' -k12,12 "$WORK/orders.ndjson" > "$WORK/sorted.ndjson" && mv "$WORK/sorted.ndjson" "$WORK/orders.ndjson"
fi
echo "orders in ${ORDER:-random} order"

declare -A runs
for round in $(seq 0 "$ROUNDS"); do # round 0 warms the caches and is not counted
	for v in before after; do
		fresh "$v"
		l=$(load)
		DATABASE_URL="$PGURL/portal_perf_import_$v?sslmode=disable" LOG_LEVEL=warn \
			"$WORK/portal-$v" orders import "$WORK/orders.ndjson" >"$WORK/out.txt"
		grep -q "$N created" "$WORK/out.txt" || { cat "$WORK/out.txt"; exit 1; }
		s=$(grep -o ' in [^:]*' "$WORK/out.txt" | sed 's/ in //') # 8.123s, or 1m2.345s
		s=$(echo "$s" | awk '{ if (sub(/m/, " ")) { split($0, a, " "); sub(/s$/, "", a[2]); print a[1]*60 + a[2] } else { sub(/s$/, ""); print } }')
		printf 'round %d %-6s %s s  (load %s)\n' "$round" "$v" "$s" "$l"
		[ "$round" = 0 ] || runs[$v]+="$s "
	done
done
echo "== summary"
for v in before after; do
	echo "$v: ${runs[$v]}" | awk '{n=split($0, a, " "); delete b; for (i=2;i<=n;i++) b[i-1]=a[i]; m=n-1; asort(b);
		printf "%-7s best %.2f s, median %.2f s, worst %.2f s\n", a[1], b[1], b[int((m+1)/2)], b[m]}'
done
paste <(echo "${runs[before]}" | tr ' ' '\n') <(echo "${runs[after]}" | tr ' ' '\n') | awk 'NF==2 {r[++n]=$2/$1} END {
	asort(r); printf "after / before, round by round: best %.2f, median %.2f, worst %.2f\n", r[1], r[int((n+1)/2)], r[n]}'
echo "== done (load $(load))"
