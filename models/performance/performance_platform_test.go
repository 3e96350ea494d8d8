package performance_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
	"campaignportal/models/performance"
)

// platformWorld: Cyber Week (Los Angeles) from orderWorld, with Maple &
// Co and Northwind registered and selling, Oak pending, Pine rejected,
// Birch withdrawn from the whole campaign and Elm still in draft.
// Northwind withdrew one of its two products.
type platformWorld struct {
	*modeltest.OrderWorld
	perf     *performance.Store
	north    models.Shop
	northSKU models.SKU
}

func newPlatformWorld(t *testing.T) *platformWorld {
	t.Helper()
	w := &platformWorld{OrderWorld: modeltest.NewOrderWorld(t)}
	w.perf = performance.NewStore(w.DB)
	db, ctx := w.DB, context.Background()
	approved := w.Placed.Add(-48 * time.Hour)
	w.north = modeltest.Shop(t, db, "Northwind Goods", "4.8", "25")
	northUser := modeltest.User(t, db, "north@x.test", models.RoleSeller, w.north.ID)
	northReg := modeltest.Register(t, db, w.Campaign.ID, w.north.ID, models.RegistrationRegistered)
	_, sold := modeltest.Product(t, db, w.north.ID, "Tea set", "60.00")
	w.northSKU = sold[0]
	modeltest.RegisterSKU(t, db, northReg, w.northSKU, "50.00", approved)
	_, left := modeltest.Product(t, db, w.north.ID, "Teapot", "40.00", "45.00")
	leftRP := modeltest.RegisterSKU(t, db, northReg, left[0], "35.00", approved)
	modeltest.RegisterSKU(t, db, northReg, left[1], "40.00", approved)

	birch := modeltest.Shop(t, db, "Birch Home", "4.5", "25")
	birchUser := modeltest.User(t, db, "birch@x.test", models.RoleSeller, birch.ID)
	birchReg := modeltest.Register(t, db, w.Campaign.ID, birch.ID, models.RegistrationRegistered)
	_, bs := modeltest.Product(t, db, birch.ID, "Vase", "20.00")
	modeltest.RegisterSKU(t, db, birchReg, bs[0], "18.00", approved)

	modeltest.Register(t, db, w.Campaign.ID, modeltest.Shop(t, db, "Oak Store", "4.4", "25").ID, models.RegistrationPending)
	pine := modeltest.Register(t, db, w.Campaign.ID, modeltest.Shop(t, db, "Pine Store", "4.4", "25").ID, models.RegistrationRejected)
	modeltest.Register(t, db, w.Campaign.ID, modeltest.Shop(t, db, "Elm Store", "4.4", "25").ID, models.RegistrationDraft)

	reviewer := modeltest.User(t, db, "reviewer@x.test", models.RoleReviewer, 0)
	var mapleReg int64
	db.Raw(`SELECT id FROM registrations WHERE campaign_id = ? AND shop_id = ?`, w.Campaign.ID, w.Shop.ID).Scan(&mapleReg)
	for _, d := range []struct {
		reg      int64
		decision string
	}{{mapleReg, "approved"}, {northReg.ID, "approved"}, {birchReg.ID, "approved"}, {pine.ID, "rejected"}} {
		if err := db.Exec(`INSERT INTO review_decisions (registration_id, reviewer_id, decision, decided_at) VALUES (?, ?, ?, ?)`,
			d.reg, reviewer.ID, d.decision, approved).Error; err != nil {
			t.Fatal(err)
		}
	}
	// A decision on another campaign's registration is not this one's.
	other := modeltest.Campaign(t, db, modeltest.OpenCampaign("Other"))
	otherReg := modeltest.Register(t, db, other.ID, w.Shop.ID, models.RegistrationRejected)
	db.Exec(`INSERT INTO review_decisions (registration_id, reviewer_id, decision) VALUES (?, ?, 'rejected')`, otherReg.ID, reviewer.ID)

	now := time.Now()
	if _, err := w.Core.Withdraw(ctx, w.north.ID, northUser.ID, northReg.ID, models.WithdrawProduct, []int64{leftRP}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Core.Withdraw(ctx, birch.ID, birchUser.ID, birchReg.ID, models.WithdrawCampaign, nil, now); err != nil {
		t.Fatal(err)
	}
	return w
}

// orders imports three orders through the real import path: Maple's M-1
// with the coupon on Dec 1 (Los Angeles), Maple's M-2 on Nov 30, then
// cancelled, and Northwind's N-1 with the coupon late on Dec 1 in Los
// Angeles (Dec 2 in UTC).
func (w *platformWorld) orders(t *testing.T) {
	t.Helper()
	coupon := fmt.Sprintf(`, "coupon_id": "%d"`, w.Coupon)
	for _, o := range []struct {
		id     string
		shop   models.Shop
		at     time.Time
		sku    models.SKU
		qty    int
		price  string
		disc   string
		coupon string
	}{
		{"M-1", w.Shop, w.Placed, w.SKUs[0], 2, "100.00", "10.00", coupon},
		{"M-2", w.Shop, w.Placed.Add(-20 * time.Hour), w.SKUs[1], 1, "70.00", "0", ""},
		{"N-1", w.north, w.Placed.Add(12 * time.Hour), w.northSKU, 3, "50.00", "0", coupon},
	} {
		body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": %d,
			"unit_price": %q, "seller_discount": %q}], "shipping_paid": "0"%s}`,
			o.id, o.shop.PublicID, o.at.Format(time.RFC3339), o.sku.SKUCode, o.qty, o.price, o.disc, o.coupon)
		if res := w.Import(t, []byte(body)); res.Outcome != orders.ImportCreated {
			t.Fatalf("%s: %s %+v", o.id, res.Outcome, res.Problems)
		}
	}
	if _, err := w.Orders.AddOrderEvent(context.Background(), w.Shop.PublicID, "M-2",
		orders.OrderEvent{Kind: orders.OrderEventCancelled, At: w.Placed.Add(-19 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

func wantMoney(t *testing.T, what string, got interface{ StringFixed(int32) string }, want string) {
	t.Helper()
	if s := got.StringFixed(2); s != want {
		t.Errorf("%s = %s, want %s", what, s, want)
	}
}

func TestPlatformCampaignFigures(t *testing.T) {
	t.Parallel()
	w := newPlatformWorld(t)
	w.orders(t)
	ctx := context.Background()
	p, err := w.perf.CampaignPlatform(ctx, w.Campaign.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Campaign.Name != "Cyber Week" || p.Campaign.Timezone != "America/Los_Angeles" || p.Status != models.CampaignPublished {
		t.Errorf("campaign %+v status %s", p.Campaign, p.Status)
	}
	// The run is Nov 30 10:00 to Dec 2 10:00 in Los Angeles.
	if got := p.From.Format(time.DateOnly) + " " + p.To.Format(time.DateOnly); got != "2025-11-30 2025-12-02" || len(p.Days) != 3 {
		t.Fatalf("range %s, %d days", got, len(p.Days))
	}
	if want := (performance.PlatformRegistrations{Pending: 1, Registered: 2, Rejected: 1, Withdrawn: 1}); p.Registrations != want {
		t.Errorf("registrations %+v, want %+v", p.Registrations, want)
	}
	// Maple's two SKUs and Northwind's tea set; the teapot's two SKUs and
	// Birch's vase were withdrawn.
	if p.SKUs != 3 {
		t.Errorf("SKUs registered %d, want 3", p.SKUs)
	}
	if p.Approvals != 3 || p.Rejections != 1 {
		t.Errorf("decisions: %d approved, %d rejected", p.Approvals, p.Rejections)
	}
	if want := (performance.PlatformWithdrawals{Product: 1, Campaign: 1, CampaignShops: 1}); p.Withdrawals != want || p.Withdrawals.Products() != 2 {
		t.Errorf("withdrawals %+v, want %+v", p.Withdrawals, want)
	}
	// Orders: M-1 190.00 (coupon 38.00, 19.00 each; fee 1.90), M-2 70.00
	// cancelled before completion (no fee), N-1 150.00 (coupon 30.00, 15.00
	// each; fee 1.50).
	f := p.Figures
	if f.Orders != 3 || f.Cancelled != 1 || f.Kept() != 2 {
		t.Errorf("orders %d, cancelled %d", f.Orders, f.Cancelled)
	}
	wantMoney(t, "sales", f.Sales(), "340.00")
	wantMoney(t, "fee", f.Fee(), "3.40")
	wantMoney(t, "platform subsidy", f.PlatformShare, "34.00")
	wantMoney(t, "shop coupon cost", f.SellerShare, "34.00")
	// Days in Los Angeles: N-1 is Dec 2 in UTC but Dec 1 here.
	day := func(i int) performance.PerfFigures { return p.Days[i].Figures }
	if day(0).Orders != 1 || day(0).Cancelled != 1 || !day(0).Sales().IsZero() {
		t.Errorf("Nov 30: %+v", day(0))
	}
	if day(1).Orders != 2 || day(1).Sales().StringFixed(2) != "340.00" || day(1).PlatformShare.StringFixed(2) != "34.00" {
		t.Errorf("Dec 1: %+v", day(1))
	}
	if day(2).Orders != 0 {
		t.Errorf("Dec 2: %+v", day(2))
	}
	// Coupons: 100 claimed before, two more by M-1 and N-1.
	if len(p.Coupons) != 1 || p.Coupons[0].Code != "TEST-20PCT" {
		t.Fatalf("coupons %+v", p.Coupons)
	}
	if claimed, issued := p.CouponsClaimed(); claimed != 102 || issued != 1000 {
		t.Errorf("coupons %d of %d", claimed, issued)
	}
	if len(p.TopShops) != 2 || p.TopShops[0].Name != "Maple & Co" || p.TopShops[1].Name != "Northwind Goods" {
		t.Fatalf("top shops %+v", p.TopShops)
	}
	maple, north := p.TopShops[0].Figures, p.TopShops[1].Figures
	if maple.Orders != 2 || maple.Cancelled != 1 || north.Orders != 1 {
		t.Errorf("top shop orders: %d (%d cancelled), %d", maple.Orders, maple.Cancelled, north.Orders)
	}
	wantMoney(t, "Maple sales", maple.Sales(), "190.00")
	wantMoney(t, "Maple fee", maple.Fee(), "1.90")
	wantMoney(t, "Maple subsidy", maple.PlatformShare, "19.00")
	wantMoney(t, "Northwind sales", north.Sales(), "150.00")
	wantMoney(t, "Northwind fee", north.Fee(), "1.50")
	wantMoney(t, "Northwind subsidy", north.PlatformShare, "15.00")
}

func TestPlatformCampaignRange(t *testing.T) {
	t.Parallel()
	w := newPlatformWorld(t)
	w.orders(t)
	ctx := context.Background()
	nov30 := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	p, err := w.perf.CampaignPlatform(ctx, w.Campaign.ID, nov30, nov30)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Days) != 1 || p.Figures.Orders != 1 || p.Figures.Cancelled != 1 || !p.Figures.Sales().IsZero() {
		t.Errorf("Nov 30: %d days, %+v", len(p.Days), p.Figures)
	}
	if len(p.TopShops) != 1 || p.TopShops[0].Name != "Maple & Co" {
		t.Errorf("top shops %+v", p.TopShops)
	}
	// Counts do not depend on the range.
	if p.Registrations.Registered != 2 || p.SKUs != 3 {
		t.Errorf("counts %+v, %d SKUs", p.Registrations, p.SKUs)
	}
	if _, err := w.perf.CampaignPlatform(ctx, w.Campaign.ID+1000, time.Time{}, time.Time{}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown campaign: %v", err)
	}
}
