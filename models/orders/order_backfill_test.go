package orders_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models/orders"
)

// A back-fill over a batch boundary (BatchChunk orders a transaction)
// stores, column by column, what it answered: the amounts to the cent, the
// coupon's outcome with the stock running out in the second batch, each
// line's verdict, the order's campaign rows; and running the same file
// again replays every order and changes nothing.
func TestBackfillStoresWhatItAnswersAcrossBatches(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	n := orders.BatchChunk + 150
	// One order in three asks for the coupon; 400 are left, fewer than the
	// orders it applies to, so the stock runs out on the way.
	const left = 400
	if err := w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity - ? WHERE id = ?`, left, w.coupon).Error; err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	var file bytes.Buffer
	for i := range n {
		var lines []string
		for j := range 1 + rng.Intn(3) {
			q, price := 1+rng.Intn(5), 1+rng.Intn(40000)
			disc := rng.Intn(q*price/4 + 1)
			lines = append(lines, fmt.Sprintf(`{"sku_id": %q, "quantity": %d, "unit_price": "%d.%02d", "seller_discount": "%d.%02d"}`,
				w.skus[(i+j)%len(w.skus)].SKUCode, q, price/100, price%100, disc/100, disc%100))
		}
		placed := w.placed.Add(time.Duration(rng.Intn(40*3600)-20*3600) * time.Second).Add(time.Duration(rng.Intn(1e6)) * time.Microsecond)
		if i%17 == 0 {
			placed = w.placed.Add(-72 * time.Hour) // before the run: no campaign line
		}
		extra := ""
		if i%3 == 0 {
			extra = fmt.Sprintf(`, "coupon_id": %d`, w.coupon)
		}
		fmt.Fprintf(&file, `{"order_id": "B-%d", "shop_id": %q, "placed_at": %q, "lines": [%s], "shipping_paid": "%d.%02d"%s}`+"\n",
			i, w.shop.PublicID, placed.Format(time.RFC3339Nano), strings.Join(lines, ","), rng.Intn(20), rng.Intn(100), extra)
	}
	results := map[string]orders.ImportResult{}
	run := func() orders.BatchSummary {
		sum, err := w.store.BackfillNDJSON(context.Background(), bytes.NewReader(file.Bytes()), func(_ int, r orders.ImportResult) error {
			if r.Outcome == orders.ImportCreated {
				results[r.OrderID] = r
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := run(); sum.Created != n {
		t.Fatalf("first run: %+v", sum)
	}

	type stored struct {
		ExternalID, Status, CouponStatus                                 string
		PlacedAt                                                         time.Time
		Shipping, Merchandise, Fee, Discount, SellerShare, PlatformShare string
		Payout, Lines, Campaigns                                         string
	}
	var rows []stored
	if err := w.db.Raw(`SELECT o.external_id, o.status, coalesce(o.coupon_status, '') AS coupon_status, o.placed_at,
			o.shipping_paid::text AS shipping, o.merchandise::text AS merchandise, o.fee::text AS fee, o.discount::text AS discount,
			o.seller_share::text AS seller_share, o.platform_share::text AS platform_share, o.payout::text AS payout,
			(SELECT string_agg(concat_ws(' ', l.line_no, l.sku_id, l.quantity, l.unit_price, l.seller_discount, l.campaign_id,
				l.registration_id, l.campaign_price, l.fee_rate, l.fee_policy, l.not_campaign), '; ' ORDER BY l.line_no)
				FROM order_lines l WHERE l.order_id = o.id) AS lines,
			coalesce((SELECT string_agg(concat_ws(' ', c.campaign_id, c.shop_id, c.day = (c.placed_at AT TIME ZONE cp.timezone)::date,
				c.placed_at = o.placed_at), '; ' ORDER BY c.campaign_id)
				FROM order_campaigns c JOIN campaigns cp ON cp.id = c.campaign_id WHERE c.order_id = o.id), '') AS campaigns
		FROM orders o WHERE o.external_id LIKE 'B-%'`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != n {
		t.Fatalf("%d orders stored, want %d", len(rows), n)
	}
	applied, exhausted, lastApplied, firstExhausted := 0, 0, -1, n
	cents := func(d decimal.Decimal) string { return d.StringFixed(2) }
	for _, r := range rows {
		res := results[r.ExternalID]
		s := res.Order.Settlement
		var wantLines []string
		for j, l := range s.Lines {
			c := l.Campaign
			if c.IsCampaign() {
				wantLines = append(wantLines, fmt.Sprintf("%d %d %d %s %s %d %d %s %s %s", j+1, res.Order.SKUIDs[j], l.Quantity, cents(l.UnitPrice),
					cents(l.SellerDiscount), c.CampaignID, c.RegistrationID, cents(c.CampaignPrice), c.Rate.StringFixed(4), c.Policy))
			} else {
				wantLines = append(wantLines, fmt.Sprintf("%d %d %d %s %s %s", j+1, res.Order.SKUIDs[j], l.Quantity, cents(l.UnitPrice),
					cents(l.SellerDiscount), c.Reason))
			}
		}
		var wantCampaigns []string
		for _, cid := range s.CampaignIDs {
			wantCampaigns = append(wantCampaigns, fmt.Sprintf("%d %d t t", cid, w.shop.ID))
		}
		discount, coupon := decimal.Zero, ""
		if s.Coupon != nil {
			coupon = string(s.Coupon.Status)
			if s.Coupon.Status == orders.CouponApplied {
				discount = s.Coupon.Discount
			}
			var line int
			fmt.Sscanf(r.ExternalID, "B-%d", &line)
			switch s.Coupon.Status {
			case orders.CouponApplied:
				applied, lastApplied = applied+1, max(lastApplied, line)
			case orders.CouponExhausted:
				exhausted, firstExhausted = exhausted+1, min(firstExhausted, line)
			}
		}
		want := stored{ExternalID: r.ExternalID, Status: string(s.Status), CouponStatus: coupon, PlacedAt: r.PlacedAt,
			Shipping: cents(s.Shipping), Merchandise: cents(s.Merchandise), Fee: cents(s.Fee), Discount: cents(discount),
			SellerShare: cents(s.SellerShare()), PlatformShare: cents(s.PlatformShare()), Payout: cents(s.Payout()),
			Lines: strings.Join(wantLines, "; "), Campaigns: strings.Join(wantCampaigns, "; ")}
		if !r.PlacedAt.Equal(s.PlacedAt.Truncate(time.Microsecond)) {
			t.Errorf("%s: placed_at stored %s, answered %s", r.ExternalID, r.PlacedAt, s.PlacedAt)
		}
		if r != want {
			t.Errorf("%s:\nstored   %+v\nanswered %+v", r.ExternalID, r, want)
		}
	}
	if applied != left || exhausted == 0 || firstExhausted < lastApplied {
		t.Errorf("coupons: %d applied (want the %d left), %d found the stock gone; the first of those is line %d, the last applied %d",
			applied, left, exhausted, firstExhausted, lastApplied)
	}

	// Events on some orders move them between totals rows (-1 and +1).
	i := 0
	for id, r := range results {
		if i++; i > 90 {
			break
		}
		at := r.Order.Settlement.PlacedAt.Add(time.Hour)
		evs := []orders.OrderEvent{{Kind: orders.OrderEventCancelled, At: at}}
		switch i % 3 {
		case 1:
			evs = []orders.OrderEvent{{Kind: orders.OrderEventCompleted, At: at}}
		case 2:
			evs = []orders.OrderEvent{{Kind: orders.OrderEventCompleted, At: at}, {Kind: orders.OrderEventReturned, At: at.Add(time.Hour)}}
		}
		for _, ev := range evs {
			if _, err := w.store.AddOrderEvent(context.Background(), w.shop.PublicID, id, ev); err != nil {
				t.Fatalf("%s: %+v: %v", id, ev, err)
			}
		}
	}
	// The shop's running totals are the sums over its stored orders, to the cent.
	var wrong []string
	if err := w.db.Raw(`WITH o AS (SELECT shop_id, status, (placed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS orders,
			sum(merchandise) AS m, sum(shipping_paid) AS s, sum(merchandise_reversed + shipping_reversed) AS r, sum(merchandise_reversed) AS mr,
			sum(fee) AS f, sum(fee_refunded) AS fr, sum(seller_share - seller_share_reversed) AS ss,
			sum(platform_share - platform_share_reversed) AS ps, sum(payout) AS p FROM orders GROUP BY 1, 2, 3),
		t AS (SELECT shop_id, status, day, orders, merchandise AS m, shipping AS s, reversed AS r, merchandise_reversed AS mr, fee AS f,
			fee_refunded AS fr, seller_share AS ss, platform_share AS ps, payout AS p FROM settled_totals
			WHERE campaign_id = 0 AND NOT (orders = 0 AND merchandise = 0 AND shipping = 0 AND reversed = 0 AND merchandise_reversed = 0
				AND fee = 0 AND fee_refunded = 0 AND seller_share = 0 AND platform_share = 0 AND payout = 0))
		SELECT concat_ws(' ', o.status, o.day, o.orders, o.m, o.s, o.r, o.mr, o.f, o.fr, o.ss, o.ps, o.p, '| kept:', t.status, t.day, t.orders,
			t.m, t.s, t.r, t.mr, t.f, t.fr, t.ss, t.ps, t.p)
		FROM o FULL JOIN t USING (shop_id, status, day)
		WHERE (o.orders, o.m, o.s, o.r, o.mr, o.f, o.fr, o.ss, o.ps, o.p) IS DISTINCT FROM (t.orders, t.m, t.s, t.r, t.mr, t.f, t.fr, t.ss, t.ps, t.p)
		LIMIT 5`).Scan(&wrong).Error; err != nil {
		t.Fatal(err)
	}
	for _, row := range wrong {
		t.Errorf("settled totals differ from the orders: %s", row)
	}

	state := func() string {
		var s struct {
			Orders, Lines, Campaigns, Claimed, Totals, SKUDays int64
			Payout                                             string
		}
		w.db.Raw(`SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines,
			(SELECT count(*) FROM order_campaigns) AS campaigns, (SELECT claimed_quantity FROM coupons WHERE id = ?) AS claimed,
			(SELECT sum(orders) FROM settled_totals) AS totals, (SELECT sum(orders) FROM campaign_sku_days) AS sku_days,
			(SELECT sum(payout)::text FROM settled_totals) AS payout`, w.coupon).Scan(&s)
		return fmt.Sprintf("%+v", s)
	}
	before := state()
	if sum := run(); sum.Replayed != n {
		t.Errorf("second run: %+v, want every order replayed", sum)
	}
	if after := state(); after != before {
		t.Errorf("running the back-fill again changed %s into %s", before, after)
	}
}
