package orders

import (
	"campaignportal/models/pgsql"
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Campaign performance rollups (campaign_days, campaign_sku_days): every
// write to an order adds its new contribution and takes its old one away
// in the same transaction, like settled_totals. The keys of an order's
// contribution are frozen on order_campaigns (its day in the campaign's
// timezone and its sub-campaign), so taking a contribution away always
// hits the rows that adding it hit.

// OrderPlacement is where an order falls in one of its campaigns.
type OrderPlacement struct {
	CampaignID    int64
	Day           string // YYYY-MM-DD in the campaign's timezone
	SubCampaignID int64  // 0: in no sub-campaign's run
}

// CampaignCalendar is what placing an order in a campaign needs.
type CampaignCalendar struct {
	Location *time.Location
	Runs     []SubCampaignRun // in position order
}

// SubCampaignRun is one sub-campaign's run, [StartsAt, EndsAt).
type SubCampaignRun struct {
	ID               int64
	StartsAt, EndsAt time.Time
}

// Place finds the calendar day (in the campaign's timezone) and the
// sub-campaign of an order placed at t.
func (c CampaignCalendar) Place(campaignID int64, t time.Time) OrderPlacement {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	p := OrderPlacement{CampaignID: campaignID, Day: t.In(loc).Format(time.DateOnly)}
	for _, r := range c.Runs {
		if !t.Before(r.StartsAt) && t.Before(r.EndsAt) {
			p.SubCampaignID = r.ID
			break
		}
	}
	return p
}

// loadCalendars reads the timezone and sub-campaign runs of campaigns not
// in cals yet.
func loadCalendars(ctx context.Context, q pgsql.Querier, ids []int64, cals map[int64]CampaignCalendar) error {
	var need []int64
	for _, id := range ids {
		if _, ok := cals[id]; !ok {
			need = append(need, id)
		}
	}
	if len(need) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, `SELECT id, timezone FROM campaigns WHERE id = ANY($1)`, need)
	if err != nil {
		return err
	}
	var id int64
	var tz string
	if _, err := pgx.ForEachRow(rows, []any{&id, &tz}, func() error {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = time.UTC
		}
		cals[id] = CampaignCalendar{Location: loc}
		return nil
	}); err != nil {
		return err
	}
	rows, err = q.Query(ctx, `SELECT campaign_id, id, starts_at, ends_at FROM sub_campaigns WHERE campaign_id = ANY($1)
		ORDER BY campaign_id, position, id`, need)
	if err != nil {
		return err
	}
	var r SubCampaignRun
	_, err = pgx.ForEachRow(rows, []any{&id, &r.ID, &r.StartsAt, &r.EndsAt}, func() error {
		c := cals[id]
		c.Runs = append(c.Runs, r)
		cals[id] = c
		return nil
	})
	return err
}

type campaignDayKey struct {
	shop, campaign int64
	day            string
	sub            int64
	status         OrderStatus
	lead           bool
}

// CampaignDayAmounts are the sums of a set of orders in the rollup.
type CampaignDayAmounts struct {
	Orders              int64
	Units               int64
	Merchandise         decimal.Decimal
	MerchandiseReversed decimal.Decimal
	Shipping            decimal.Decimal
	ShippingReversed    decimal.Decimal
	Fee                 decimal.Decimal
	FeeRefunded         decimal.Decimal
	SellerShare         decimal.Decimal // net of reversals
	PlatformShare       decimal.Decimal // net of reversals
	Payout              decimal.Decimal
}

// Sales is the merchandise kept: after seller discounts, net of returns
// and cancellations.
func (a CampaignDayAmounts) Sales() decimal.Decimal { return a.Merchandise.Sub(a.MerchandiseReversed) }

// FeeNet is the campaign service fee net of refunds.
func (a CampaignDayAmounts) FeeNet() decimal.Decimal { return a.Fee.Sub(a.FeeRefunded) }

type campaignSKUKey struct {
	shop, campaign int64
	day            string
	sku            int64
	campaignLine   bool
}

// rollupDelta gathers contributions to the rollups before one upsert.
type rollupDelta struct {
	days    map[campaignDayKey]*daySums
	skus    map[campaignSKUKey]*skuSums
	coupons map[couponDayKey]*couponSums
}

func newRollupDelta() *rollupDelta {
	return &rollupDelta{days: map[campaignDayKey]*daySums{}, skus: map[campaignSKUKey]*skuSums{},
		coupons: map[couponDayKey]*couponSums{}}
}

// add records an order's contribution (sign +1) or takes it away (-1):
// skuIDs are its lines' SKUs, places its placement in each of its
// campaigns (s.CampaignIDs).
func (d *rollupDelta) add(shopID int64, skuIDs []int64, places []OrderPlacement, s Settlement, sign int64) {
	if len(places) == 0 {
		return
	}
	order := orderDaySums(s)
	lines := lineSums(s)
	for _, p := range places {
		k := campaignDayKey{shop: shopID, campaign: p.CampaignID, day: p.Day, sub: p.SubCampaignID, status: s.Status,
			lead: len(s.CampaignIDs) > 0 && s.CampaignIDs[0] == p.CampaignID}
		cur := d.days[k]
		if cur == nil {
			cur = &daySums{}
			d.days[k] = cur
		}
		cur.merge(&order, sign)
		for i, l := range s.Lines {
			sk := campaignSKUKey{shop: shopID, campaign: p.CampaignID, day: p.Day, sku: skuIDs[i],
				campaignLine: l.Campaign.IsCampaign() && l.Campaign.CampaignID == p.CampaignID}
			sc := d.skus[sk]
			if sc == nil {
				sc = &skuSums{}
				d.skus[sk] = sc
			}
			sc.merge(&lines[i], sign)
		}
	}
	d.addCoupon(shopID, places, s, sign)
}

// flush upserts the contributions, in key order so concurrent writers
// never deadlock, and drops the day rows no order is in any more (an
// order whose status changed leaves its old status's row).
func (d *rollupDelta) flush(ctx context.Context, q pgsql.Querier) error {
	if err := d.flushDays(ctx, q); err != nil {
		return err
	}
	if err := d.flushSKUs(ctx, q); err != nil {
		return err
	}
	return d.flushCoupons(ctx, q)
}

func (d *rollupDelta) flushDays(ctx context.Context, q pgsql.Querier) error {
	if len(d.days) == 0 {
		return nil
	}
	keys := make([]campaignDayKey, 0, len(d.days))
	for k := range d.days {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch {
		case a.shop != b.shop:
			return a.shop < b.shop
		case a.campaign != b.campaign:
			return a.campaign < b.campaign
		case a.day != b.day:
			return a.day < b.day
		case a.sub != b.sub:
			return a.sub < b.sub
		case a.status != b.status:
			return a.status < b.status
		}
		return !a.lead && b.lead
	})
	n := len(keys)
	shops, camps, subs, orders, units := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	days, statuses, leads := make([]string, n), make([]string, n), make([]bool, n)
	cols := make([][]string, 9)
	for i := range cols {
		cols[i] = make([]string, n)
	}
	for i, k := range keys {
		a := d.days[k]
		shops[i], camps[i], days[i], subs[i], statuses[i], leads[i] = k.shop, k.campaign, k.day, k.sub, string(k.status), k.lead
		orders[i], units[i] = a.orders, a.units
		for j, v := range []*centsSum{&a.merchandise, &a.merchandiseReversed, &a.shipping, &a.shippingReversed, &a.fee,
			&a.feeRefunded, &a.sellerShare, &a.platformShare, &a.payout} {
			cols[j][i] = v.String()
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO campaign_days AS t (shop_id, campaign_id, day, sub_campaign_id, status, lead, orders, units,
			merchandise, merchandise_reversed, shipping, shipping_reversed, fee, fee_refunded, seller_share, platform_share, payout)
		SELECT u.shop_id, u.campaign_id, u.day::date, u.sub, u.status, u.lead, u.orders, u.units, u.m::numeric, u.mr::numeric,
			u.s::numeric, u.sr::numeric, u.f::numeric, u.fr::numeric, u.ss::numeric, u.ps::numeric, u.p::numeric
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bool[], $7::bigint[], $8::bigint[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
			AS u(shop_id, campaign_id, day, sub, status, lead, orders, units, m, mr, s, sr, f, fr, ss, ps, p)
		ON CONFLICT (shop_id, campaign_id, day, sub_campaign_id, status, lead) DO UPDATE SET
			orders = t.orders + EXCLUDED.orders, units = t.units + EXCLUDED.units,
			merchandise = t.merchandise + EXCLUDED.merchandise, merchandise_reversed = t.merchandise_reversed + EXCLUDED.merchandise_reversed,
			shipping = t.shipping + EXCLUDED.shipping, shipping_reversed = t.shipping_reversed + EXCLUDED.shipping_reversed,
			fee = t.fee + EXCLUDED.fee, fee_refunded = t.fee_refunded + EXCLUDED.fee_refunded,
			seller_share = t.seller_share + EXCLUDED.seller_share, platform_share = t.platform_share + EXCLUDED.platform_share,
			payout = t.payout + EXCLUDED.payout`,
		shops, camps, days, subs, statuses, leads, orders, units,
		cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8])
	if err != nil {
		return err
	}
	// Only a status change empties a row: the rows that lost orders.
	var gone []int
	for i, o := range orders {
		if o < 0 {
			gone = append(gone, i)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	pick := func(all []int64) []int64 {
		out := make([]int64, len(gone))
		for j, i := range gone {
			out[j] = all[i]
		}
		return out
	}
	gDays, gStatuses, gLeads := make([]string, len(gone)), make([]string, len(gone)), make([]bool, len(gone))
	for j, i := range gone {
		gDays[j], gStatuses[j], gLeads[j] = days[i], statuses[i], leads[i]
	}
	_, err = q.Exec(ctx, `DELETE FROM campaign_days t USING unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bool[])
			AS u(shop_id, campaign_id, day, sub, status, lead)
		WHERE t.shop_id = u.shop_id AND t.campaign_id = u.campaign_id AND t.day = u.day::date AND t.sub_campaign_id = u.sub
			AND t.status = u.status AND t.lead = u.lead AND t.orders = 0`,
		pick(shops), pick(camps), gDays, pick(subs), gStatuses, gLeads)
	return err
}

func (d *rollupDelta) flushSKUs(ctx context.Context, q pgsql.Querier) error {
	if len(d.skus) == 0 {
		return nil
	}
	keys := make([]campaignSKUKey, 0, len(d.skus))
	for k := range d.skus {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch {
		case a.shop != b.shop:
			return a.shop < b.shop
		case a.campaign != b.campaign:
			return a.campaign < b.campaign
		case a.day != b.day:
			return a.day < b.day
		case a.sku != b.sku:
			return a.sku < b.sku
		}
		return !a.campaignLine && b.campaignLine
	})
	n := len(keys)
	shops, camps, skus := make([]int64, n), make([]int64, n), make([]int64, n)
	orders, units, returned, cancelled := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	days, lines := make([]string, n), make([]bool, n)
	cols := make([][]string, 4)
	for i := range cols {
		cols[i] = make([]string, n)
	}
	for i, k := range keys {
		a := d.skus[k]
		shops[i], camps[i], days[i], skus[i], lines[i] = k.shop, k.campaign, k.day, k.sku, k.campaignLine
		orders[i], units[i], returned[i], cancelled[i] = a.orders, a.units, a.unitsReturned, a.unitsCancelled
		for j, v := range []*centsSum{&a.sales, &a.fee, &a.sellerShare, &a.platformShare} {
			cols[j][i] = v.String()
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO campaign_sku_days AS t (shop_id, campaign_id, day, sku_id, campaign_line, orders, units,
			units_returned, units_cancelled, sales, fee, seller_share, platform_share)
		SELECT u.shop_id, u.campaign_id, u.day::date, u.sku_id, u.line, u.orders, u.units, u.ret, u.can, u.sales::numeric,
			u.fee::numeric, u.ss::numeric, u.ps::numeric
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bool[], $6::bigint[], $7::bigint[], $8::bigint[],
			$9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[])
			AS u(shop_id, campaign_id, day, sku_id, line, orders, units, ret, can, sales, fee, ss, ps)
		ON CONFLICT (shop_id, campaign_id, day, sku_id, campaign_line) DO UPDATE SET
			orders = t.orders + EXCLUDED.orders, units = t.units + EXCLUDED.units,
			units_returned = t.units_returned + EXCLUDED.units_returned, units_cancelled = t.units_cancelled + EXCLUDED.units_cancelled,
			sales = t.sales + EXCLUDED.sales, fee = t.fee + EXCLUDED.fee, seller_share = t.seller_share + EXCLUDED.seller_share,
			platform_share = t.platform_share + EXCLUDED.platform_share`,
		shops, camps, days, skus, lines, orders, units, returned, cancelled, cols[0], cols[1], cols[2], cols[3])
	return err
}
