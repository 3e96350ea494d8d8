package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

func nd(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}

func TestCostFloorFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ price, cost, want string }{
		{"8.00", "9.50", "Campaign price $8.00 is below the shop's cost of goods $9.50."},
		{"9.49", "9.50", "Campaign price $9.49 is below the shop's cost of goods $9.50."},
		{"9.50", "9.50", ""}, // at cost: not below
		{"12.00", "9.50", ""},
		{"8.00", "", ""}, // no cost given
		{"", "9.50", ""}, // no price yet
	} {
		if got := models.CostFloorFlag(nd(tc.price), nd(tc.cost)); got != tc.want {
			t.Errorf("price %s, cost %s: %q, want %q", tc.price, tc.cost, got, tc.want)
		}
	}
}

func TestStackedBuyerPriceAndFloor(t *testing.T) {
	t.Parallel()
	pct20 := models.Coupon{Code: "BF-20PCT", DiscountType: models.CouponPercent, Value: decimal.NewFromInt(20), MinPurchase: decimal.NewFromInt(50),
		Cap: nd("15.00"), SellerSharePct: decimal.NewFromInt(50), PlatformSharePct: decimal.NewFromInt(50)}
	off5 := models.Coupon{Code: "BF-5OFF", DiscountType: models.CouponFixed, Value: decimal.NewFromInt(5), MinPurchase: decimal.NewFromInt(20),
		SellerSharePct: decimal.NewFromInt(30), PlatformSharePct: decimal.NewFromInt(70)}
	platformOnly := models.Coupon{Code: "PLATFORM-30", DiscountType: models.CouponFixed, Value: decimal.NewFromInt(30),
		SellerSharePct: decimal.Zero, PlatformSharePct: decimal.NewFromInt(100)}
	coupons := []models.Coupon{pct20, off5, platformOnly}
	for _, tc := range []struct {
		name, price, extra      string
		wantExtra, wantSelling  string
		wantCoupon, wantDisc    string
		wantBuyer, retail, pctF string
		wantFlag                string
	}{
		// $60 − 10% ($6.00) = $54.00; 20% of $54.00 = $10.80 beats $5; $43.20.
		{"percent coupon reached", "60.00", "10", "6", "54", "BF-20PCT", "10.8", "43.2", "80.00", "60",
			"Stacked buyer price $43.20 (campaign price $60.00 − extra discount $6.00 − coupon BF-20PCT $10.80) is below the campaign's floor of $48.00 (60% of the $80.00 retail price)."},
		// $45 does not reach the $50 minimum: only the $5 coupon applies. $40.00 vs a $40.00 floor: at the floor, no flag.
		{"minimum not reached", "45.00", "", "0", "45", "BF-5OFF", "5", "40", "80.00", "50", ""},
		// The cap stops the percent coupon at $15: $100 − $15 = $85 below 90% of $100.
		{"cap", "100.00", "", "0", "100", "BF-20PCT", "15", "85", "100.00", "90",
			"Stacked buyer price $85.00 (campaign price $100.00 − coupon BF-20PCT $15.00) is below the campaign's floor of $90.00 (90% of the $100.00 retail price)."},
		// Under every minimum: no coupon; and no floor set means no flag.
		{"no coupon, no floor", "10.00", "", "0", "10", "", "0", "10", "80.00", "", ""},
	} {
		sp := models.StackBuyerPrice(decimal.RequireFromString(tc.price), nd(tc.extra), coupons)
		if sp.ExtraDiscount.String() != tc.wantExtra || sp.Selling.String() != tc.wantSelling || sp.Coupon != tc.wantCoupon ||
			sp.CouponDiscount.String() != tc.wantDisc || sp.Buyer.String() != tc.wantBuyer {
			t.Errorf("%s: stacked = %+v", tc.name, sp)
		}
		if got := models.BuyerFloorFlag(sp, decimal.RequireFromString(tc.retail), nd(tc.pctF)); got != tc.wantFlag {
			t.Errorf("%s: flag %q, want %q", tc.name, got, tc.wantFlag)
		}
	}
	// The floor rounds to the cent, half up: 33.33% of $10.00 = $3.333 → $3.33.
	if got := models.BuyerFloor(decimal.RequireFromString("10.00"), decimal.RequireFromString("33.33")); got.StringFixed(2) != "3.33" {
		t.Errorf("floor = %s", got)
	}
	if got := models.BuyerFloor(decimal.RequireFromString("0.15"), decimal.RequireFromString("50")); got.StringFixed(2) != "0.08" {
		t.Errorf("floor of $0.15 at 50%% = %s, want 0.08 (half up)", got)
	}
}

func TestReviewPageFlagsCostOfGoodsAndTheBuyerFloor(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	seller := modeltest.User(t, w.db, "maple@x.test", models.RoleSeller, w.shop.ID)
	w.db.Exec(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, seller_share_pct, platform_share_pct, total_quantity)
		VALUES (?, 'TEST-5OFF', 'fixed', 5, 10, 50, 50, 100)`, w.campaign.ID)
	w.db.Exec(`UPDATE campaigns SET buyer_price_floor_pct = 80 WHERE id = ?`, w.campaign.ID)
	reg, _, _, skus := w.pendingSKUs(t, w.shop, "19.00", "12.00")

	// The shop gives a cost of goods for the first SKU: no SKU error, no
	// new version (buyers see nothing of it).
	cost := decimal.NewNullDecimal(decimal.RequireFromString("19.50"))
	if err := w.store.EditSKU(bg, w.shop.ID, seller.ID, skus[0].ID, models.SKUEdit{CostOfGoods: &cost}, "", time.Now()); err != nil {
		t.Fatalf("set the cost: %v", err)
	}
	var after models.SKU
	w.db.Where("id = ?", skus[0].ID).Take(&after)
	if !after.CostOfGoods.Valid || after.CostOfGoods.Decimal.StringFixed(2) != "19.50" || after.Version != skus[0].Version {
		t.Fatalf("after the edit: cost %v, version %d (was %d)", after.CostOfGoods, after.Version, skus[0].Version)
	}
	if status, products := w.statuses(t, reg.ID); status != models.RegistrationPending || products[0] != "pending" {
		t.Fatalf("a cost edit changed the registration: %s %v", status, products)
	}
	bad := decimal.NewNullDecimal(decimal.RequireFromString("0"))
	var invalid *models.ValidationError
	if err := w.store.EditSKU(bg, w.shop.ID, seller.ID, skus[0].ID, models.SKUEdit{CostOfGoods: &bad}, "", time.Now()); !errors.As(err, &invalid) ||
		invalid.Fields["cost_of_goods"] == "" {
		t.Errorf("a $0.00 cost: err = %v", err)
	}
	other := modeltest.Shop(t, w.db, "Northwind", "4.0", "20")
	if err := w.store.EditSKU(bg, other.ID, seller.ID, skus[0].ID, models.SKUEdit{CostOfGoods: &cost}, "", time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's SKU: err = %v, want not found", err)
	}

	d, err := w.store.ReviewRegistration(bg, reg.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := d.Products[0].SKUs
	if want := "Campaign price $19.00 is below the shop's cost of goods $19.50."; got[0].CostFlag != want {
		t.Errorf("cost flag %q, want %q", got[0].CostFlag, want)
	}
	if got[1].CostFlag != "" {
		t.Errorf("a SKU without a cost is flagged: %q", got[1].CostFlag)
	}
	// $19.00 − TEST-5OFF $5.00 = $14.00, below 80% of $20.00 ($16.00);
	// TEST-20PCT needs $100. $12.00 − $5.00 = $7.00 likewise.
	if want := "Stacked buyer price $14.00 (campaign price $19.00 − coupon TEST-5OFF $5.00) is below the campaign's floor of $16.00 (80% of the $20.00 retail price)."; got[0].FloorFlag != want {
		t.Errorf("floor flag %q, want %q", got[0].FloorFlag, want)
	}
	if got[1].FloorFlag == "" {
		t.Errorf("the $12.00 SKU is not flagged")
	}
	// Without a floor, no flag.
	w.db.Exec(`UPDATE campaigns SET buyer_price_floor_pct = NULL WHERE id = ?`, w.campaign.ID)
	if d, _ = w.store.ReviewRegistration(bg, reg.ID, time.Now()); d.Products[0].SKUs[0].FloorFlag != "" {
		t.Errorf("no floor, yet flagged: %q", d.Products[0].SKUs[0].FloorFlag)
	}
}

func TestBuyerFloorFlagWithNothingStacked(t *testing.T) {
	t.Parallel()
	sp := models.StackBuyerPrice(decimal.RequireFromString("22.79"), decimal.NullDecimal{}, nil)
	want := "Stacked buyer price $22.79 (campaign price $22.79; no extra discount, and no co-funded coupon reaches it) is below the campaign's floor of $25.64 (90% of the $28.49 retail price)."
	if got := models.BuyerFloorFlag(sp, decimal.RequireFromString("28.49"), nd("90")); got != want {
		t.Errorf("flag %q, want %q", got, want)
	}
}
