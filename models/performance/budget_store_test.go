package performance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/models/performance"

	"github.com/shopspring/decimal"
)

// budgetCase is one order through the real import, with what the coupon
// should cost by the money rules (SplitCoupon: 20% off $100+, cap $50,
// 50/50, the maximum seller funding lowered to $15 for the test; FIX-10:
// $10 off, 60/40, at most $4 from the seller).
type budgetCase struct {
	id       string
	shop     string // "maple" or "north"
	at       time.Time
	qty      int
	price    string
	coupon   string // "TEST-20PCT", "FIX-10" or ""
	event    string // "", "cancelled" or "returned" (one unit)
	claimed  bool
	capped   bool
	discount string // net of reversals, when the case has no return ("" to skip)
	seller   string
	platform string
}

func TestBudgetBurnDownEqualsSettledRecords(t *testing.T) {
	t.Parallel()
	w := newPlatformWorld(t)
	db, ctx := w.DB, context.Background()
	if err := db.Exec(`UPDATE coupons SET max_seller_funding = 15 WHERE id = ?`, w.Coupon).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, seller_share_pct,
			platform_share_pct, max_seller_funding, total_quantity) VALUES (?, 'FIX-10', 'fixed', 10, 0, 60, 40, 4, 100)`,
		w.Campaign.ID).Error; err != nil {
		t.Fatal(err)
	}
	codes := map[string]int64{"TEST-20PCT": w.Coupon}
	var fix int64
	db.Raw(`SELECT id FROM coupons WHERE code = 'FIX-10' AND campaign_id = ?`, w.Campaign.ID).Scan(&fix)
	codes["FIX-10"] = fix
	day1 := w.Placed.Add(-20 * time.Hour) // Nov 30 in Los Angeles
	day2 := w.Placed                      // Dec 1
	cases := []budgetCase{
		{"B-1", "maple", day1, 1, "100.00", "TEST-20PCT", "", true, false, "20.00", "10.00", "10.00"},
		// $300: 20% = $60, capped at $50; the seller's $25 stops at $15.
		{"B-2", "maple", day1, 3, "100.00", "TEST-20PCT", "", true, true, "50.00", "15.00", "35.00"},
		// Below the minimum purchase: no claim, nothing paid.
		{"B-3", "maple", day2, 1, "70.00", "TEST-20PCT", "", false, false, "", "", ""},
		// $10 off: the seller's $6 stops at $4, the platform pays $6.
		{"B-4", "maple", day2, 1, "70.00", "FIX-10", "", true, true, "10.00", "4.00", "6.00"},
		// Cancelled: the claim stays (the coupon is not given back), the
		// split is reversed.
		{"B-5", "maple", day2, 2, "100.00", "TEST-20PCT", "cancelled", true, false, "0.00", "0.00", "0.00"},
		// One of two units returned: the coupon reverses in proportion.
		{"B-6", "maple", day2, 2, "100.00", "TEST-20PCT", "returned", true, false, "", "", ""},
		{"B-7", "north", day2, 3, "50.00", "TEST-20PCT", "", true, false, "30.00", "15.00", "15.00"},
	}
	shops := map[string]models.Shop{"maple": w.Shop, "north": w.north}
	skus := map[string]models.SKU{"maple": w.SKUs[0], "north": w.northSKU}
	for _, c := range cases {
		coupon := ""
		if c.coupon != "" {
			coupon = fmt.Sprintf(`, "coupon_id": "%d"`, codes[c.coupon])
		}
		body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": %d,
			"unit_price": %q, "seller_discount": "0"}], "shipping_paid": "0"%s}`,
			c.id, shops[c.shop].PublicID, c.at.Format(time.RFC3339), skus[c.shop].SKUCode, c.qty, c.price, coupon)
		res := w.Import(t, []byte(body))
		if res.Outcome != orders.ImportCreated {
			t.Fatalf("%s: %s %+v", c.id, res.Outcome, res.Problems)
		}
		at := c.at.Add(time.Hour)
		switch c.event {
		case "cancelled":
			if _, err := w.Orders.AddOrderEvent(ctx, shops[c.shop].PublicID, c.id, orders.OrderEvent{Kind: orders.OrderEventCancelled, At: at}); err != nil {
				t.Fatal(err)
			}
		case "returned":
			if _, err := w.Orders.AddOrderEvent(ctx, shops[c.shop].PublicID, c.id, orders.OrderEvent{Kind: orders.OrderEventCompleted, At: at}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Orders.AddOrderEvent(ctx, shops[c.shop].PublicID, c.id, orders.OrderEvent{Kind: orders.OrderEventReturned, At: at.Add(time.Hour),
				Lines: []orders.ReturnLine{{SKU: skus[c.shop].SKUCode, Quantity: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
		// The settled record says what the money rules say.
		var got struct{ Status, Discount, Seller, Platform string }
		db.Raw(`SELECT coalesce(coupon_status, '') AS status, (discount - discount_reversed)::text AS discount,
				(seller_share - seller_share_reversed)::text AS seller, (platform_share - platform_share_reversed)::text AS platform
			FROM orders WHERE external_id = ?`, c.id).Scan(&got)
		if (got.Status == "applied") != c.claimed {
			t.Errorf("%s: coupon %q, want claimed %v", c.id, got.Status, c.claimed)
		}
		if c.discount != "" && (got.Discount != c.discount || got.Seller != c.seller || got.Platform != c.platform) {
			t.Errorf("%s: settled %s = %s + %s, want %s = %s + %s", c.id, got.Discount, got.Seller, got.Platform, c.discount, c.seller, c.platform)
		}
	}
	if err := w.Core.SetCouponBudget(ctx, 1, w.Campaign.ID, w.Coupon, "60.00"); err != nil {
		t.Fatal(err)
	}

	check := func(when string) {
		t.Helper()
		p, err := w.perf.CampaignPlatform(ctx, w.Campaign.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		// A moment after the run: every day is complete.
		burns := p.Burns(w.Placed.Add(72 * time.Hour))
		if len(burns) != 2 {
			t.Fatalf("%s: %d burn-downs, want 2 (both coupons have a platform share)", when, len(burns))
		}
		for _, b := range burns {
			// The settled records, by the coupon campaign's day.
			var want []struct {
				Day                time.Time
				Claims, Capped     int64
				Discount, Platform decimal.Decimal
			}
			db.Raw(`SELECT (o.placed_at AT TIME ZONE 'America/Los_Angeles')::date AS day, count(*) AS claims,
					sum(o.discount - o.discount_reversed) AS discount, sum(o.platform_share - o.platform_share_reversed) AS platform
				FROM orders o WHERE o.coupon_id = ? AND o.coupon_status = 'applied' GROUP BY 1 ORDER BY 1`, b.Coupon.ID).Scan(&want)
			byDay := map[string]int{}
			for i, d := range want {
				byDay[d.Day.Format(time.DateOnly)] = i
			}
			var claims int64
			spent := decimal.Zero
			for _, d := range b.Days {
				i, ok := byDay[d.Day.Format(time.DateOnly)]
				if !ok {
					if d.Claims != 0 || !d.PlatformShare.IsZero() {
						t.Errorf("%s %s %s: %+v on a day without settled claims", when, b.Coupon.Code, d.Day.Format(time.DateOnly), d)
					}
					continue
				}
				sr := want[i]
				spent = spent.Add(sr.Platform)
				claims += d.Claims
				if d.Claims != sr.Claims || !d.Discount.Equal(sr.Discount) || !d.PlatformShare.Equal(sr.Platform) {
					t.Errorf("%s %s %s: burn %d claims %s off %s platform, settled %d %s %s", when, b.Coupon.Code, d.Day.Format(time.DateOnly),
						d.Claims, d.Discount, d.PlatformShare, sr.Claims, sr.Discount, sr.Platform)
				}
				if b.Coupon.PlatformBudget.Valid && !d.Left.Equal(b.Coupon.PlatformBudget.Decimal.Sub(spent)) {
					t.Errorf("%s %s %s: left %s, want %s", when, b.Coupon.Code, d.Day.Format(time.DateOnly), d.Left, b.Coupon.PlatformBudget.Decimal.Sub(spent))
				}
			}
			if claims != int64(b.Coupon.ClaimedQuantity)-claimedBefore(b.Coupon.Code) {
				t.Errorf("%s %s: %d claims in the burn-down, the coupon counts %d new", when, b.Coupon.Code, claims, int64(b.Coupon.ClaimedQuantity)-claimedBefore(b.Coupon.Code))
			}
		}
		var test, fixed performance.CouponBurn
		for _, b := range burns {
			if b.Coupon.Code == "TEST-20PCT" {
				test = b
			} else {
				fixed = b
			}
		}
		// TEST-20PCT: B-1 10 + B-2 35 + B-5 0 (cancelled) + B-6 ($40 off, the
		// seller's $20 stopped at $15, platform 25, half returned: 12.50) +
		// B-7 15. B-2, B-5 and B-6 were capped when claimed.
		wantMoney(t, when+" TEST-20PCT platform share", test.PlatformShare, "72.50")
		wantMoney(t, when+" TEST-20PCT left", test.Left, "-12.50")
		if test.Claims != 5 || test.Capped != 3 {
			t.Errorf("%s TEST-20PCT: %d claims, %d capped; want 5, 3", when, test.Claims, test.Capped)
		}
		if !test.Exhausted() || test.Forecast.Kind != performance.ForecastSpent || test.Forecast.Day.Format(time.DateOnly) != "2025-12-01" {
			t.Errorf("%s TEST-20PCT: exhausted %v, forecast %+v; want spent on Dec 1", when, test.Exhausted(), test.Forecast)
		}
		if fixed.Exhausted() || fixed.Forecast.Kind != performance.ForecastNoBudget || fixed.Capped != 1 {
			t.Errorf("%s FIX-10: exhausted %v, forecast %s, capped %d", when, fixed.Exhausted(), fixed.Forecast.Kind, fixed.Capped)
		}
		wantMoney(t, when+" FIX-10 platform share", fixed.PlatformShare, "6.00")

		// The sellers' side: each shop its own usage only.
		for _, s := range []struct {
			shop           models.Shop
			claims, capped int64
			seller         string
		}{
			// Maple: 10 + 15 + 0 + 7.50; at most $15 an order from then on.
			{w.Shop, 4, 3, "32.50"},
			{w.north, 1, 0, "15.00"},
		} {
			sc, err := w.Core.SellerCampaign(ctx, s.shop, w.Campaign.ID)
			if err != nil {
				t.Fatal(err)
			}
			used := models.CouponsUsed(sc.Campaign.Coupons, sc.CouponUsage)
			var u models.CouponUsed
			for _, x := range used {
				if x.Coupon.Code == "TEST-20PCT" {
					u = x
				}
			}
			if u.Claims != s.claims || u.Capped != s.capped {
				t.Errorf("%s %s: %d claims %d capped, want %d %d", when, s.shop.Name, u.Claims, u.Capped, s.claims, s.capped)
			}
			wantMoney(t, when+" "+s.shop.Name+" used", u.SellerShare, s.seller)
			most := decimal.NewFromInt(15).Mul(decimal.NewFromInt(int64(u.Coupon.QuantityLeft())))
			if !u.Limited || !u.MostLeft.Equal(most) {
				t.Errorf("%s %s: most left %s (limited %v), want %s", when, s.shop.Name, u.MostLeft, u.Limited, most)
			}
		}
	}
	check("after the imports")
	if _, err := w.Orders.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a rebuild")
}

// claimedBefore is what the fixture's coupons had claimed before the test.
func claimedBefore(code string) int64 {
	if code == "TEST-20PCT" {
		return 100
	}
	return 0
}
