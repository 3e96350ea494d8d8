package orders_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// The campaign-line rule through the import, read from the database as
// registered: each product's state at placed_at decides its line, with the
// boundary on both sides.
func TestCampaignLineVerdictsThroughTheImport(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	seller := modeltest.User(t, w.db, "verdicts@x.test", models.RoleSeller, w.shop.ID)
	var reg models.Registration
	if err := w.db.Where("campaign_id = ? AND shop_id = ?", w.campaign.ID, w.shop.ID).Take(&reg).Error; err != nil {
		t.Fatal(err)
	}
	run := orders.Run{StartsAt: w.placed.Add(-24 * time.Hour), EndsAt: w.placed.Add(24 * time.Hour)}
	// Two more campaigns running at placed_at: one approved exactly then,
	// one a second after.
	otherCampaign := func(name string, approvedAt time.Time) (models.Campaign, models.Registration) {
		c := modeltest.Campaign(t, w.db, modeltest.OpenCampaign(name))
		modeltest.SetCampaignRun(t, w.db, c.ID, run)
		return c, modeltest.Register(t, w.db, c.ID, w.shop.ID, models.RegistrationRegistered)
	}
	onTime, onTimeReg := otherCampaign("Approved on time", w.placed)
	_, lateReg := otherCampaign("Approved late", w.placed.Add(time.Second))

	approved := w.placed.Add(-48 * time.Hour)
	sku := func(title string) models.SKU {
		_, s := modeltest.Product(t, w.db, w.shop.ID, title, "50.00")
		return s[0]
	}
	withdraw := func(rpID int64, kind string, effective time.Time) {
		t.Helper()
		if err := w.db.Exec(`UPDATE registration_products SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?`, effective, rpID).Error; err != nil {
			t.Fatal(err)
		}
		if err := w.db.Exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at, requested_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, reg.ID, rpID, w.shop.ID, kind, effective, effective, seller.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	setStatus := func(rpID int64, status string, skuErrorAt *time.Time) {
		t.Helper()
		if err := w.db.Exec(`UPDATE registration_products SET status = ?, sku_error_at = ?,
			decision_reason = CASE WHEN ? = 'rejected' THEN 'Rejected in a test' ELSE decision_reason END WHERE id = ?`,
			status, skuErrorAt, status, rpID).Error; err != nil {
			t.Fatal(err)
		}
	}
	ptr := func(x time.Time) *time.Time { return &x }

	type scenario struct {
		name     string
		sku      models.SKU
		placedAt time.Time
		campaign int64
		reason   orders.NotCampaignReason
		reasonAt *time.Time
	}
	var tests []scenario
	add := func(name string, placedAt time.Time, campaign int64, reason orders.NotCampaignReason, reasonAt *time.Time, setup func(models.SKU) int64) {
		s := sku(name)
		setup(s)
		tests = append(tests, scenario{name, s, placedAt, campaign, reason, reasonAt})
	}
	inCampaign := func(s models.SKU) int64 { return modeltest.RegisterSKU(t, w.db, reg, s, "40.00", approved) }

	add("registered and approved", w.placed, w.campaign.ID, "", nil, inCampaign)
	add("withdrawn exactly at placed_at", w.placed, 0, orders.Withdrawn, ptr(w.placed), func(s models.SKU) int64 {
		rp := inCampaign(s)
		withdraw(rp, "product", w.placed)
		return rp
	})
	add("withdrawn a second after placed_at", w.placed, w.campaign.ID, "", nil, func(s models.SKU) int64 {
		rp := inCampaign(s)
		withdraw(rp, "product", w.placed.Add(time.Second))
		return rp
	})
	add("the whole campaign withdrawn before placed_at", w.placed, 0, orders.Withdrawn, ptr(w.placed.Add(-time.Hour)), func(s models.SKU) int64 {
		rp := inCampaign(s)
		withdraw(rp, "campaign", w.placed.Add(-time.Hour))
		return rp
	})
	add("in SKU error since placed_at", w.placed, 0, orders.InSKUError, ptr(w.placed), func(s models.SKU) int64 {
		rp := inCampaign(s)
		setStatus(rp, "sku_error", ptr(w.placed))
		return rp
	})
	add("in SKU error a second after placed_at", w.placed, w.campaign.ID, "", nil, func(s models.SKU) int64 {
		rp := inCampaign(s)
		setStatus(rp, "sku_error", ptr(w.placed.Add(time.Second)))
		return rp
	})
	add("still pending", w.placed, 0, orders.NotRegistered, nil, func(s models.SKU) int64 {
		rp := inCampaign(s)
		setStatus(rp, "pending", nil)
		return rp
	})
	add("rejected", w.placed, 0, orders.NotRegistered, nil, func(s models.SKU) int64 {
		rp := inCampaign(s)
		setStatus(rp, "rejected", nil)
		return rp
	})
	add("approved exactly at placed_at", w.placed, onTime.ID, "", nil, func(s models.SKU) int64 {
		return modeltest.RegisterSKU(t, w.db, onTimeReg, s, "40.00", w.placed)
	})
	add("approved a second after placed_at", w.placed, 0, orders.NotApproved, nil, func(s models.SKU) int64 {
		return modeltest.RegisterSKU(t, w.db, lateReg, s, "40.00", w.placed.Add(time.Second))
	})
	add("placed when the run starts", run.StartsAt, w.campaign.ID, "", nil, inCampaign)
	add("placed a second before the run", run.StartsAt.Add(-time.Second), 0, orders.OutsideRun, nil, inCampaign)
	add("placed a second before the run ends", run.EndsAt.Add(-time.Second), w.campaign.ID, "", nil, inCampaign)
	add("placed when the run ends", run.EndsAt, 0, orders.OutsideRun, nil, inCampaign)
	add("in two campaigns: the lowest campaign price", w.placed, onTime.ID, "", nil, func(s models.SKU) int64 {
		inCampaign(s)
		return modeltest.RegisterSKU(t, w.db, onTimeReg, s, "39.99", w.placed)
	})
	add("in two campaigns at the same price: the earliest registration", w.placed, w.campaign.ID, "", nil, func(s models.SKU) int64 {
		modeltest.RegisterSKU(t, w.db, onTimeReg, s, "40.00", w.placed)
		return inCampaign(s)
	})
	add("a later approval never counts backwards", w.placed.Add(-time.Second), 0, orders.NotApproved, nil, func(s models.SKU) int64 {
		return modeltest.RegisterSKU(t, w.db, onTimeReg, s, "40.00", w.placed)
	})

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fmt.Sprintf(`{"order_id": "V-%d", "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
				"unit_price": "50.00", "seller_discount": "0"}], "shipping_paid": "0"}`, i, w.shop.PublicID, tt.placedAt.Format(time.RFC3339), tt.sku.SKUCode)
			res := w.importBody(t, []byte(body))
			if res.Outcome != orders.ImportCreated {
				t.Fatalf("outcome %s %+v", res.Outcome, res.Problems)
			}
			// What is stored, not only what the import answered.
			v, err := w.store.OrderByExternalID(ctx, w.shop.PublicID, fmt.Sprintf("V-%d", i))
			if err != nil {
				t.Fatal(err)
			}
			got := v.Settlement.Lines[0].Campaign
			if got.CampaignID != tt.campaign || got.Reason != tt.reason {
				t.Fatalf("campaign %d reason %q, want %d %q", got.CampaignID, got.Reason, tt.campaign, tt.reason)
			}
			if (got.ReasonAt == nil) != (tt.reasonAt == nil) || (got.ReasonAt != nil && !got.ReasonAt.Equal(*tt.reasonAt)) {
				t.Errorf("reason at %v, want %v", got.ReasonAt, tt.reasonAt)
			}
			wantFee := "0.00"
			if tt.campaign != 0 {
				wantFee = "0.50" // 1% × 50.00
			}
			if v.Settlement.Fee.StringFixed(2) != wantFee {
				t.Errorf("fee %s, want %s", v.Settlement.Fee.StringFixed(2), wantFee)
			}
		})
	}
}

// Only a coupon that applies takes one from stock: not when it does not
// apply, not when the order is below the minimum, not when none is left
// (and the checks run in that order); a cancellation or a return does not
// give it back.
func TestCouponStockTakenOnlyWhenApplied(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	claimed := func() int {
		var n int
		w.db.Raw(`SELECT claimed_quantity FROM coupons WHERE id = ?`, w.coupon).Scan(&n)
		return n
	}
	order := func(id, sku, unit, discount string) []byte {
		return []byte(fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
			"unit_price": %q, "seller_discount": %q}], "shipping_paid": "0", "coupon_id": "%d"}`,
			id, w.shop.PublicID, w.placed.Format(time.RFC3339), sku, unit, discount, w.coupon))
	}
	campaignSKU, plainSKU := w.skus[0].SKUCode, w.skus[2].SKUCode
	event := func(id string, ev orders.OrderEvent) {
		t.Helper()
		if _, err := w.store.AddOrderEvent(ctx, w.shop.PublicID, id, ev); err != nil {
			t.Fatalf("%s %s: %v", id, ev.Kind, err)
		}
	}
	start := claimed()
	steps := []struct {
		name    string
		body    []byte
		status  orders.CouponStatus
		claimed int // taken since the start
	}{
		{"not applicable (no line in the coupon's campaign)", order("C-1", plainSKU, "500.00", "0"), orders.CouponNotApplicable, 0},
		{"below the minimum by a cent", order("C-2", campaignSKU, "109.99", "10.00"), orders.CouponBelowMinPurchase, 0},
		{"the minimum exactly", order("C-3", campaignSKU, "110.00", "10.00"), orders.CouponApplied, 1},
		{"applied again", order("C-4", campaignSKU, "150.00", "0"), orders.CouponApplied, 2},
	}
	for _, s := range steps {
		res := w.importBody(t, s.body)
		if res.Outcome != orders.ImportCreated {
			t.Fatalf("%s: %s %+v", s.name, res.Outcome, res.Problems)
		}
		if got := res.Order.Settlement.Coupon.Status; got != s.status {
			t.Errorf("%s: coupon %s, want %s", s.name, got, s.status)
		}
		if got := claimed() - start; got != s.claimed {
			t.Errorf("%s: %d taken, want %d", s.name, got, s.claimed)
		}
	}
	// A cancellation and a whole return give nothing back.
	event("C-3", orders.OrderEvent{Kind: orders.OrderEventCancelled, At: w.placed.Add(time.Hour)})
	event("C-4", orders.OrderEvent{Kind: orders.OrderEventCompleted, At: w.placed.Add(time.Hour)})
	event("C-4", orders.OrderEvent{Kind: orders.OrderEventReturned, At: w.placed.Add(2 * time.Hour)})
	if got := claimed() - start; got != 2 {
		t.Errorf("after a cancellation and a return: %d taken, want still 2", got)
	}
	// None left: not applicable and below the minimum still say so (they
	// come first); an order that would get one is exhausted.
	w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity WHERE id = ?`, w.coupon)
	full := claimed()
	for _, s := range []struct {
		name   string
		body   []byte
		status orders.CouponStatus
	}{
		{"none left, not applicable", order("C-5", plainSKU, "500.00", "0"), orders.CouponNotApplicable},
		{"none left, below the minimum", order("C-6", campaignSKU, "109.99", "10.00"), orders.CouponBelowMinPurchase},
		{"none left, the minimum met", order("C-7", campaignSKU, "110.00", "10.00"), orders.CouponExhausted},
	} {
		res := w.importBody(t, s.body)
		if res.Outcome != orders.ImportCreated || res.Order.Settlement.Coupon.Status != s.status {
			t.Errorf("%s: %s, coupon %+v", s.name, res.Outcome, res.Order.Settlement.Coupon)
		}
	}
	if claimed() != full {
		t.Errorf("stock moved with none left: %d, want %d", claimed(), full)
	}
}
