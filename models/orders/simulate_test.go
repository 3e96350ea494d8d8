package orders_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// TestSimulationMatchesImportedOrders: each simulated order, imported
// through the real import path, settles to the same fee, coupon split and
// payout. The world: SKU 0 in Cyber Week at $100 (20% off $100+, cap $50,
// 50/50, max $25) and in Holiday Deals at $95 (1.5%, $30 off $50+, 80/20,
// max seller funding $20; 10% off $200+, cap $15, 50/50), so Holiday's
// lower price applies; SKU 1 only in Cyber Week at $70; SKU 2 in none.
func TestSimulationMatchesImportedOrders(t *testing.T) {
	t.Parallel()
	w := modeltest.NewOrderWorld(t)
	ctx := context.Background()
	holiday := modeltest.Campaign(t, w.DB, modeltest.OpenCampaign("Holiday Deals"))
	modeltest.SetCampaignRun(t, w.DB, holiday.ID, orders.Run{StartsAt: w.Placed.Add(-12 * time.Hour), EndsAt: w.Placed.Add(12 * time.Hour)})
	w.DB.Exec(`UPDATE campaigns SET fee_rate = 0.015 WHERE id = ?`, holiday.ID)
	w.DB.Exec(`DELETE FROM coupons WHERE campaign_id = ?`, holiday.ID)
	w.DB.Exec(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, cap, seller_share_pct, platform_share_pct,
			max_seller_funding, total_quantity, claimed_quantity)
		VALUES (?, 'HOL-30OFF', 'fixed', 30, 50, NULL, 80, 20, 20, 1000, 0), (?, 'HOL-10PCT', 'percent', 10, 200, 15, 50, 50, NULL, 1000, 0)`,
		holiday.ID, holiday.ID)
	reg := modeltest.Register(t, w.DB, holiday.ID, w.Shop.ID, models.RegistrationRegistered)
	modeltest.RegisterSKU(t, w.DB, reg, w.SKUs[0], "95.00", w.Placed.Add(-6*time.Hour))

	for i, tc := range []struct {
		name           string
		sku            int
		qty            int
		sellerDiscount string
		shipping       string
		at             time.Duration // from Placed
		wantCampaign   string
		wantCoupon     string // the chosen coupon's code, "" none
		wantSeller     string
		wantPayout     string
	}{
		// Two campaigns: Holiday's $95 applies; the fixed coupon's 80% of
		// $30 is $24, stopped at the $20 maximum seller funding.
		{"two campaigns, fixed coupon, max seller funding", 0, 1, "0", "0", 0, "Holiday Deals", "HOL-30OFF", "20.00", "73.57"},
		// $285: $30 off beats 10% (capped at $15); the fee is 1.5% of 285 + 5.
		{"both coupon types, the larger applies", 0, 3, "0", "5.00", 0, "Holiday Deals", "HOL-30OFF", "20.00", "265.65"},
		// Holiday's run is over: Cyber Week's $100 and its percentage
		// coupon, capped at $50 on $400, the seller's $25 share at its maximum.
		{"after one campaign's run: cap", 0, 4, "0", "0", 18 * time.Hour, "Cyber Week", "TEST-20PCT", "25.00", "371.00"},
		// $70 − a $5 seller coupon is below the $100 minimum: no coupon.
		{"below the minimum purchase, seller coupon stacks", 1, 1, "5.00", "4.00", 0, "Cyber Week", "", "0.00", "68.31"},
		// $140 − $10 = $130: the seller coupon counts against the minimum and the percentage.
		{"seller coupon and percentage coupon", 1, 2, "10.00", "0", 0, "Cyber Week", "TEST-20PCT", "13.00", "115.70"},
		{"no campaign", 2, 2, "0", "3.00", 0, "", "", "0.00", "63.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := w.Placed.Add(tc.at)
			setup, err := w.Orders.SimulationSetup(ctx, w.Shop.ID, w.SKUs[tc.sku].ID, at)
			if err != nil {
				t.Fatal(err)
			}
			in := setup.Input
			in.Quantity, in.SellerDiscount, in.ShippingPaid = tc.qty, decimal.RequireFromString(tc.sellerDiscount), decimal.RequireFromString(tc.shipping)
			sim, err := orders.Simulate(in)
			if err != nil {
				t.Fatal(err)
			}
			line, coupon := sim.Order()
			if sim.Line.CampaignName != tc.wantCampaign {
				t.Errorf("campaign %q, want %q", sim.Line.CampaignName, tc.wantCampaign)
			}
			code, couponField := "", ""
			if coupon != nil {
				code, couponField = coupon.Code, fmt.Sprintf(`, "coupon_id": "%d"`, coupon.ID)
			}
			if code != tc.wantCoupon {
				t.Errorf("coupon %q, want %q", code, tc.wantCoupon)
			}
			if got := sim.Settlement.SellerShare().StringFixed(2); got != tc.wantSeller {
				t.Errorf("seller share %s, want %s", got, tc.wantSeller)
			}
			if got := sim.Settlement.Payout().StringFixed(2); got != tc.wantPayout {
				t.Errorf("payout %s, want %s", got, tc.wantPayout)
			}
			body := fmt.Sprintf(`{"order_id": "SIM-%d", "shop_id": %q, "placed_at": %q,
				"lines": [{"sku_id": %q, "quantity": %d, "unit_price": %q, "seller_discount": %q}], "shipping_paid": %q%s}`,
				i, w.Shop.PublicID, at.Format(time.RFC3339), line.SKU, line.Quantity, line.UnitPrice.StringFixed(2),
				line.SellerDiscount.StringFixed(2), tc.shipping, couponField)
			res := w.Import(t, []byte(body))
			if res.Outcome != orders.ImportCreated {
				t.Fatalf("import: %s %+v", res.Outcome, res.Problems)
			}
			got := res.Order.Settlement
			want := sim.Settlement
			if got.Lines[0].Campaign.CampaignID != want.Lines[0].Campaign.CampaignID {
				t.Errorf("imported campaign %d, simulated %d", got.Lines[0].Campaign.CampaignID, want.Lines[0].Campaign.CampaignID)
			}
			for _, f := range []struct{ name, got, want string }{
				{"fee", got.Fee.StringFixed(2), want.Fee.StringFixed(2)},
				{"seller share", got.SellerShare().StringFixed(2), want.SellerShare().StringFixed(2)},
				{"platform share", got.PlatformShare().StringFixed(2), want.PlatformShare().StringFixed(2)},
				{"payout", got.Payout().StringFixed(2), want.Payout().StringFixed(2)},
				{"merchandise", got.Merchandise.StringFixed(2), want.Merchandise.StringFixed(2)},
			} {
				if f.got != f.want {
					t.Errorf("%s: imported %s, simulated %s", f.name, f.got, f.want)
				}
			}
		})
	}
}

// TestSimulationSetupIsScopedToTheShop: another shop's SKU is not found.
func TestSimulationSetupIsScopedToTheShop(t *testing.T) {
	t.Parallel()
	w := modeltest.NewOrderWorld(t)
	other := modeltest.Shop(t, w.DB, "Other shop", "4.0", "20")
	if _, err := w.Orders.SimulationSetup(context.Background(), other.ID, w.SKUs[0].ID, w.Placed); err != models.ErrNotFound {
		t.Fatalf("another shop's SKU: %v, want not found", err)
	}
}
