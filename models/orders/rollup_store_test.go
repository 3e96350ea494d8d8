package orders_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// rollupWorld: Maple & Co in two running campaigns. Cyber Week (Los
// Angeles, two sub-campaign runs, co-funded 20% coupon) has two SKUs; Flash
// (UTC, fees not refunded) has one of them at a lower price and one of its
// own; one SKU is in no campaign.
type rollupWorld struct {
	*orderWorld
	flash     models.Campaign
	flashSKU  models.SKU
	runs      []orders.Run
	flashCode int64
}

func newRollupWorld(t *testing.T) *rollupWorld {
	t.Helper()
	w := &rollupWorld{orderWorld: newOrderWorld(t)}
	db := w.db
	// Cyber Week: two runs of two days around w.placed.
	w.runs = []orders.Run{{StartsAt: w.placed.Add(-48 * time.Hour), EndsAt: w.placed}, {StartsAt: w.placed, EndsAt: w.placed.Add(48 * time.Hour)}}
	modeltest.SetCampaignRun(t, db, w.campaign.ID, w.runs...)
	spec := modeltest.OpenCampaign("Flash")
	spec.Timezone = "UTC"
	w.flash = modeltest.Campaign(t, db, spec)
	modeltest.SetCampaignRun(t, db, w.flash.ID, orders.Run{StartsAt: w.placed.Add(-24 * time.Hour), EndsAt: w.placed.Add(24 * time.Hour)})
	if err := db.Exec(`UPDATE campaigns SET fee_rate = 0.015, fee_refund_policy = 'no_refund' WHERE id = ?`, w.flash.ID).Error; err != nil {
		t.Fatal(err)
	}
	reg := modeltest.Register(t, db, w.flash.ID, w.shop.ID, models.RegistrationRegistered)
	_, own := modeltest.Product(t, db, w.shop.ID, "Flash kettle", "40.00")
	w.flashSKU = own[0]
	modeltest.RegisterSKU(t, db, reg, w.skus[1], "65.00", w.placed.Add(-72*time.Hour))
	modeltest.RegisterSKU(t, db, reg, w.flashSKU, "35.00", w.placed.Add(-72*time.Hour))
	if err := db.Raw(`SELECT id FROM coupons WHERE campaign_id = ?`, w.flash.ID).Scan(&w.flashCode).Error; err != nil {
		t.Fatal(err)
	}
	return w
}

// randomBody makes an order of one to three distinct SKUs placed in the
// runs, sometimes with a coupon.
func (w *rollupWorld) randomBody(rng *rand.Rand, id string) []byte {
	skus := []models.SKU{w.skus[0], w.skus[1], w.skus[2], w.flashSKU}
	rng.Shuffle(len(skus), func(i, j int) { skus[i], skus[j] = skus[j], skus[i] })
	var lines []string
	for _, s := range skus[:1+rng.IntN(3)] {
		q := 1 + rng.IntN(4)
		unit := decimal.New(int64(500+rng.IntN(15000)), -2)
		disc := decimal.Zero
		if rng.IntN(3) == 0 {
			disc = unit.Mul(decimal.NewFromInt(int64(q))).Mul(decimal.New(int64(rng.IntN(30)), -2)).Round(2)
		}
		lines = append(lines, fmt.Sprintf(`{"sku_id": %q, "quantity": %d, "unit_price": %q, "seller_discount": %q}`,
			s.SKUCode, q, unit.StringFixed(2), disc.StringFixed(2)))
	}
	placed := w.placed.Add(-47*time.Hour + time.Duration(rng.IntN(94*60))*time.Minute)
	coupon := ""
	switch rng.IntN(4) {
	case 0:
		coupon = fmt.Sprintf(`, "coupon_id": "%d"`, w.coupon)
	case 1:
		coupon = fmt.Sprintf(`, "coupon_id": "%d"`, w.flashCode)
	}
	return []byte(fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [%s], "shipping_paid": "%d.%02d"%s}`,
		id, w.shop.PublicID, placed.Format(time.RFC3339), strings.Join(lines, ","), rng.IntN(9), rng.IntN(100), coupon))
}

// randomEvents sends a random life to an order: cancelled, or completed
// and then maybe returned in one or several goes.
func (w *rollupWorld) randomEvents(t *testing.T, rng *rand.Rand, v orders.OrderView) {
	t.Helper()
	ctx := context.Background()
	at := v.Settlement.PlacedAt.Add(time.Hour)
	send := func(ev orders.OrderEvent) {
		t.Helper()
		if _, err := w.store.AddOrderEvent(ctx, w.shop.PublicID, v.OrderID, ev); err != nil {
			t.Fatalf("order %s event %+v: %v", v.OrderID, ev, err)
		}
		at = at.Add(time.Hour)
	}
	switch rng.IntN(5) {
	case 0:
		return // still placed
	case 1:
		send(orders.OrderEvent{Kind: orders.OrderEventCancelled, At: at})
		return
	}
	send(orders.OrderEvent{Kind: orders.OrderEventCompleted, At: at})
	if rng.IntN(2) == 0 {
		return
	}
	if rng.IntN(3) == 0 {
		send(orders.OrderEvent{Kind: orders.OrderEventReturned, At: at}) // everything
		return
	}
	for _, l := range v.Settlement.Lines {
		if rng.IntN(2) == 0 {
			n := 1 + rng.IntN(l.Quantity)
			send(orders.OrderEvent{Kind: orders.OrderEventReturned, At: at, Lines: []orders.ReturnLine{{SKU: l.SKU, Quantity: n}}})
		}
	}
}

// rollupRows is every row of both rollups as text, in key order.
func rollupRows(t *testing.T, w *rollupWorld) string {
	t.Helper()
	var out bytes.Buffer
	for _, q := range []string{
		`SELECT concat_ws(' ', shop_id, campaign_id, day, sub_campaign_id, status, lead, orders, units, merchandise, merchandise_reversed,
			shipping, shipping_reversed, fee, fee_refunded, seller_share, platform_share, payout) FROM campaign_days
			ORDER BY shop_id, campaign_id, day, sub_campaign_id, status, lead`,
		`SELECT concat_ws(' ', shop_id, campaign_id, day, sku_id, campaign_line, orders, units, units_returned, units_cancelled, sales,
			fee, seller_share, platform_share) FROM campaign_sku_days ORDER BY shop_id, campaign_id, day, sku_id, campaign_line`,
	} {
		var rows []string
		if err := w.db.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out.WriteString(strings.Join(rows, "\n"))
		out.WriteString("\n--\n")
	}
	return out.String()
}

// TestRollupsIncrementalEqualRebuilt: after random imports (one at a time
// and in a batch), cancellations and returns, the rollups kept by the
// imports equal the rollups rebuilt from the orders; the SKU rows add up
// to the day rows; and the day rows add up to Settled records filtered to
// the campaign.
func TestRollupsIncrementalEqualRebuilt(t *testing.T) {
	t.Parallel()
	w := newRollupWorld(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 29))
	var views []orders.OrderView
	for i := range 40 {
		res := w.importBody(t, w.randomBody(rng, fmt.Sprintf("R-%d", i)))
		if res.Outcome != orders.ImportCreated {
			t.Fatalf("order %d: %s %+v", i, res.Outcome, res.Problems)
		}
		views = append(views, *res.Order)
	}
	var nd bytes.Buffer
	for i := range 40 {
		nd.Write(w.randomBody(rng, fmt.Sprintf("B-%d", i)))
		nd.WriteByte('\n')
	}
	if _, err := w.store.ImportNDJSON(ctx, &nd, true, func(_ int, res orders.ImportResult) error {
		if res.Outcome != orders.ImportCreated {
			return fmt.Errorf("batch: %s %+v", res.Outcome, res.Problems)
		}
		views = append(views, *res.Order)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		w.randomEvents(t, rng, v)
	}
	incremental := rollupRows(t, w)
	if strings.Count(incremental, "\n") < 20 {
		t.Fatalf("too few rollup rows to mean anything:\n%s", incremental)
	}
	sum, err := w.store.RebuildRollups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Orders == 0 || sum.DayRows == 0 || sum.SKURows == 0 {
		t.Fatalf("rebuild summary %+v", sum)
	}
	if rebuilt := rollupRows(t, w); rebuilt != incremental {
		t.Fatalf("rebuilt rollups differ from the incremental ones\nincremental:\n%s\nrebuilt:\n%s", incremental, rebuilt)
	}

	for _, c := range []int64{w.campaign.ID, w.flash.ID} {
		var days, skus struct {
			Orders, Units                          int64
			Sales, Fee, SellerShare, PlatformShare decimal.Decimal
		}
		if err := w.db.Raw(`SELECT sum(orders) AS orders, sum(units) AS units, sum(merchandise - merchandise_reversed) AS sales,
			sum(fee - fee_refunded) AS fee, sum(seller_share) AS seller_share, sum(platform_share) AS platform_share
			FROM campaign_days WHERE campaign_id = ?`, c).Scan(&days).Error; err != nil {
			t.Fatal(err)
		}
		if err := w.db.Raw(`SELECT 0 AS orders, sum(units) AS units, sum(sales) AS sales, sum(fee) AS fee,
			sum(seller_share) AS seller_share, sum(platform_share) AS platform_share FROM campaign_sku_days WHERE campaign_id = ?`, c).
			Scan(&skus).Error; err != nil {
			t.Fatal(err)
		}
		if days.Units != skus.Units || !days.Sales.Equal(skus.Sales) || !days.Fee.Equal(skus.Fee) ||
			!days.SellerShare.Equal(skus.SellerShare) || !days.PlatformShare.Equal(skus.PlatformShare) {
			t.Errorf("campaign %d: SKU rows %+v do not add up to the day rows %+v", c, skus, days)
		}
		// Settled records filtered to the campaign: the same orders.
		var n int64
		merch, fee, fr, ss, ps, pay := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
		if err := w.store.EachSettledRecord(ctx, w.shop.ID, orders.SettledFilter{CampaignID: c}, func(r orders.SettledRow) error {
			n++
			merch, fee, fr = merch.Add(r.Amounts.Merchandise), fee.Add(r.Amounts.Fee), fr.Add(r.Amounts.FeeRefunded)
			ss, ps, pay = ss.Add(r.Amounts.SellerShare), ps.Add(r.Amounts.PlatformShare), pay.Add(r.Amounts.Payout)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var d struct {
			Merchandise, Fee, FeeRefunded, Payout decimal.Decimal
		}
		w.db.Raw(`SELECT sum(merchandise) AS merchandise, sum(fee) AS fee, sum(fee_refunded) AS fee_refunded, sum(payout) AS payout
			FROM campaign_days WHERE campaign_id = ?`, c).Scan(&d)
		if n == 0 || n != days.Orders || !merch.Equal(d.Merchandise) || !fee.Equal(d.Fee) || !fr.Equal(d.FeeRefunded) ||
			!ss.Equal(days.SellerShare) || !ps.Equal(days.PlatformShare) || !pay.Equal(d.Payout) {
			t.Errorf("campaign %d: settled records (%d orders, merchandise %s, fee %s, refunded %s, seller %s, platform %s, payout %s) "+
				"differ from the rollup (%d, %s, %s, %s, %s, %s, %s)", c, n, merch, fee, fr, ss, ps, pay,
				days.Orders, d.Merchandise, d.Fee, d.FeeRefunded, days.SellerShare, days.PlatformShare, d.Payout)
		}
	}
}

// TestRollupDayInCampaignTimezone: an order at 23:30 on a Los Angeles day
// belongs to that day, though in UTC it is the next; its sub-campaign is
// the run that contains it (the second starts at w.placed).
func TestRollupDayInCampaignTimezone(t *testing.T) {
	t.Parallel()
	w := newRollupWorld(t)
	la, _ := time.LoadLocation("America/Los_Angeles")
	// w.placed is 2025-12-01 18:00 UTC = 10:00 in Los Angeles.
	late := time.Date(2025, 12, 1, 23, 30, 0, 0, la) // 2025-12-02 07:30 UTC
	early := w.placed.Add(-time.Minute)              // 09:59 LA, still the first run
	for i, at := range []time.Time{late, early} {
		body := fmt.Sprintf(`{"order_id": "TZ-%d", "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
			"unit_price": "50.00", "seller_discount": "0"}], "shipping_paid": "0"}`, i, w.shop.PublicID, at.Format(time.RFC3339), w.skus[0].SKUCode)
		if res := w.importBody(t, []byte(body)); res.Outcome != orders.ImportCreated {
			t.Fatalf("%s %+v", res.Outcome, res.Problems)
		}
	}
	var rows []struct {
		Day           time.Time
		SubCampaignID int64
		Orders        int64
	}
	if err := w.db.Raw(`SELECT day, sub_campaign_id, orders FROM campaign_days WHERE campaign_id = ? ORDER BY sub_campaign_id`, w.campaign.ID).
		Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var subs []int64
	w.db.Raw(`SELECT id FROM sub_campaigns WHERE campaign_id = ? ORDER BY position`, w.campaign.ID).Scan(&subs)
	if len(rows) != 2 || len(subs) != 2 {
		t.Fatalf("rows %+v subs %v", rows, subs)
	}
	for i, want := range []struct {
		sub int64
		day string
	}{{subs[0], "2025-12-01"}, {subs[1], "2025-12-01"}} {
		if rows[i].SubCampaignID != want.sub || rows[i].Day.Format(time.DateOnly) != want.day || rows[i].Orders != 1 {
			t.Errorf("row %d: %+v, want sub %d day %s", i, rows[i], want.sub, want.day)
		}
	}
}
