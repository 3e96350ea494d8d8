package orders

import (
	"campaignportal/models"
	"campaignportal/models/pgsql"
	"context"
	"sort"

	"github.com/shopspring/decimal"
)

// The coupons' rollup (coupon_days): per coupon, shop and day of the
// coupon's campaign, the orders that claimed it and what it cost, net of
// reversals. It moves with campaign_days, in the same delta: an order's
// claim is added once at import, and an event takes its old contribution
// away and adds the new one (the claim itself stays: a cancelled or
// returned order does not give its coupon back).

type couponDayKey struct {
	coupon, shop int64
	day          string
}

type couponSums struct {
	claims, capped                       int64
	discount, sellerShare, platformShare centsSum
}

// SellerShareCapped reports whether the maximum seller funding stopped
// the seller's share of this order's coupon (the ratio's part, rounded,
// was above it).
func (c CouponSettlement) SellerShareCapped() bool {
	if c.Status != CouponApplied || c.MaxSellerFunding == nil {
		return false
	}
	max, err := decimal.NewFromString(*c.MaxSellerFunding)
	if err != nil {
		return false
	}
	return models.RoundCents(c.Discount.Mul(c.SellerSharePct).Div(hundred)).GreaterThan(max)
}

// addCoupon records the order's claim of its coupon, on the day the order
// has in the coupon's campaign.
func (d *rollupDelta) addCoupon(shopID int64, places []OrderPlacement, s Settlement, sign int64) {
	c := s.Coupon
	if c == nil || c.Status != CouponApplied {
		return
	}
	for _, p := range places {
		if p.CampaignID != c.CampaignID {
			continue
		}
		k := couponDayKey{coupon: c.ID, shop: shopID, day: p.Day}
		cur := d.coupons[k]
		if cur == nil {
			cur = &couponSums{}
			d.coupons[k] = cur
		}
		cur.claims += sign
		if c.SellerShareCapped() {
			cur.capped += sign
		}
		r := s.Reversed
		cur.discount.add(c.Discount, sign)
		cur.discount.add(r.Discount, -sign)
		cur.sellerShare.add(c.SellerShare, sign)
		cur.sellerShare.add(r.SellerShare, -sign)
		cur.platformShare.add(c.PlatformShare, sign)
		cur.platformShare.add(r.PlatformShare, -sign)
		return
	}
}

// flushCoupons upserts the coupons' rows in key order (concurrent writers
// never deadlock). A row never empties: claims only grow.
func (d *rollupDelta) flushCoupons(ctx context.Context, q pgsql.Querier) error {
	if len(d.coupons) == 0 {
		return nil
	}
	keys := make([]couponDayKey, 0, len(d.coupons))
	for k := range d.coupons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch {
		case a.coupon != b.coupon:
			return a.coupon < b.coupon
		case a.shop != b.shop:
			return a.shop < b.shop
		}
		return a.day < b.day
	})
	n := len(keys)
	coupons, shops, claims, capped := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	days, disc, ss, ps := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, k := range keys {
		a := d.coupons[k]
		coupons[i], shops[i], days[i], claims[i], capped[i] = k.coupon, k.shop, k.day, a.claims, a.capped
		disc[i], ss[i], ps[i] = a.discount.String(), a.sellerShare.String(), a.platformShare.String()
	}
	_, err := q.Exec(ctx, `INSERT INTO coupon_days AS t (coupon_id, shop_id, day, claims, capped, discount, seller_share, platform_share)
		SELECT u.coupon_id, u.shop_id, u.day::date, u.claims, u.capped, u.d::numeric, u.ss::numeric, u.ps::numeric
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[])
			AS u(coupon_id, shop_id, day, claims, capped, d, ss, ps)
		ON CONFLICT (coupon_id, shop_id, day) DO UPDATE SET
			claims = t.claims + EXCLUDED.claims, capped = t.capped + EXCLUDED.capped,
			discount = t.discount + EXCLUDED.discount, seller_share = t.seller_share + EXCLUDED.seller_share,
			platform_share = t.platform_share + EXCLUDED.platform_share`,
		coupons, shops, days, claims, capped, disc, ss, ps)
	return err
}
