package orders

import (
	"campaignportal/models/pgsql"
	"context"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// settled_totals keeps, per shop, status and UTC day of placed_at, the
// sums the settled records page shows (its campaign column is always 0
// now: campaign_days keeps a campaign's sums). Every
// write to an order adds its new contribution and subtracts its old one in
// the same transaction.

type totalsKey struct {
	shop, campaign int64
	status         OrderStatus
	day            string
}

// TotalsAmounts are the sums over a set of orders.
type TotalsAmounts struct {
	Orders        int64
	Merchandise   decimal.Decimal
	Shipping      decimal.Decimal
	Reversed      decimal.Decimal // merchandise and shipping given back
	MerchReversed decimal.Decimal // the merchandise part of Reversed
	Fee           decimal.Decimal
	FeeRefunded   decimal.Decimal
	SellerShare   decimal.Decimal // net of reversals
	PlatformShare decimal.Decimal // net of reversals
	Payout        decimal.Decimal
}

// Sales is the merchandise kept: net of returns and cancellations.
func (a TotalsAmounts) Sales() decimal.Decimal { return a.Merchandise.Sub(a.MerchReversed) }

// totalsSums are a totals row's changes, summed exactly in cents (a
// batch adds up ten amounts an order; as decimals every addition
// allocated).
type totalsSums struct {
	orders                                            int64
	merchandise, shipping, reversed, merchReversed    centsSum
	fee, feeRefunded, sellerShare, platformShare, pay centsSum
}

type totalsDelta map[totalsKey]*totalsSums

// add records an order's contribution (sign +1) or takes it away (-1):
// its merchandise and shipping, what was given back of them, the fee and
// its refund, the coupon's shares net of their reversals, the payout.
// Only the shop-wide row (campaign 0): a campaign's orders are summed in
// campaign_days, by day in the campaign's timezone.
func (d totalsDelta) add(shopID int64, placedAt time.Time, s Settlement, sign int64) {
	k := totalsKey{shop: shopID, status: s.Status, day: placedAt.UTC().Format(time.DateOnly)}
	cur := d[k]
	if cur == nil {
		cur = &totalsSums{}
		d[k] = cur
	}
	r := s.Reversed
	cur.orders += sign
	cur.merchandise.add(s.Merchandise, sign)
	cur.shipping.add(s.Shipping, sign)
	cur.reversed.add(r.Merchandise, sign)
	cur.reversed.add(r.Shipping, sign)
	cur.merchReversed.add(r.Merchandise, sign)
	cur.fee.add(s.Fee, sign)
	cur.feeRefunded.add(r.FeeRefunded, sign)
	cur.sellerShare.add(s.SellerShare(), sign)
	cur.sellerShare.add(r.SellerShare, -sign)
	cur.platformShare.add(s.PlatformShare(), sign)
	cur.platformShare.add(r.PlatformShare, -sign)
	cur.pay.add(r.Payout, sign)
}

// flush upserts the deltas, in key order so concurrent writers never
// deadlock on the totals rows.
func (d totalsDelta) flush(ctx context.Context, q pgsql.Querier) error {
	if len(d) == 0 {
		return nil
	}
	keys := make([]totalsKey, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.shop != b.shop {
			return a.shop < b.shop
		}
		if a.campaign != b.campaign {
			return a.campaign < b.campaign
		}
		if a.status != b.status {
			return a.status < b.status
		}
		return a.day < b.day
	})
	n := len(keys)
	shops, camps, orders := make([]int64, n), make([]int64, n), make([]int64, n)
	statuses, days := make([]string, n), make([]string, n)
	cols := make([][]string, 9)
	for i := range cols {
		cols[i] = make([]string, n)
	}
	for i, k := range keys {
		a := d[k]
		shops[i], camps[i], statuses[i], days[i], orders[i] = k.shop, k.campaign, string(k.status), k.day, a.orders
		for j, v := range []*centsSum{&a.merchandise, &a.shipping, &a.reversed, &a.fee, &a.feeRefunded, &a.sellerShare, &a.platformShare, &a.pay, &a.merchReversed} {
			cols[j][i] = v.String()
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO settled_totals AS t (shop_id, campaign_id, status, day, orders, merchandise, shipping, reversed,
			fee, fee_refunded, seller_share, platform_share, payout, merchandise_reversed)
		SELECT u.shop_id, u.campaign_id, u.status, u.day::date, u.orders, u.m::numeric, u.s::numeric, u.r::numeric, u.f::numeric,
			u.fr::numeric, u.ss::numeric, u.ps::numeric, u.p::numeric, u.mr::numeric
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) AS u(shop_id, campaign_id, status, day, orders, m, s, r, f, fr, ss, ps, p, mr)
		ON CONFLICT (shop_id, campaign_id, status, day) DO UPDATE SET
			orders = t.orders + EXCLUDED.orders, merchandise = t.merchandise + EXCLUDED.merchandise,
			shipping = t.shipping + EXCLUDED.shipping, reversed = t.reversed + EXCLUDED.reversed, fee = t.fee + EXCLUDED.fee,
			fee_refunded = t.fee_refunded + EXCLUDED.fee_refunded, seller_share = t.seller_share + EXCLUDED.seller_share,
			platform_share = t.platform_share + EXCLUDED.platform_share, payout = t.payout + EXCLUDED.payout,
			merchandise_reversed = t.merchandise_reversed + EXCLUDED.merchandise_reversed`,
		shops, camps, statuses, days, orders, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8])
	return err
}
