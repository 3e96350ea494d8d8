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

// With withdrawal review the fee follows the approval, to the second: an
// order placed after the request but a second before the approval pays the
// fee, one placed at the approval second pays none. Through the real
// request, decision and import.
func TestWithdrawalReviewFeeStopsAtTheApprovalSecond(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	core := models.NewStore(w.db)
	seller := modeltest.User(t, w.db, "wr-seller@x.test", models.RoleSeller, w.shop.ID)
	reviewer := modeltest.User(t, w.db, "wr-reviewer@x.test", models.RoleReviewer, 0)
	if err := w.db.Exec(`UPDATE campaigns SET withdrawal_review = true WHERE id = ?`, w.campaign.ID).Error; err != nil {
		t.Fatal(err)
	}
	var reg models.Registration
	if err := w.db.Where("campaign_id = ? AND shop_id = ?", w.campaign.ID, w.shop.ID).Take(&reg).Error; err != nil {
		t.Fatal(err)
	}
	_, skus := modeltest.Product(t, w.db, w.shop.ID, "Reviewed lamp", "50.00")
	rpID := modeltest.RegisterSKU(t, w.db, reg, skus[0], "40.00", w.placed.Add(-48*time.Hour))

	requested := w.placed.Add(-time.Hour)
	approved := w.placed
	res, err := core.Withdraw(ctx, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{rpID}, requested)
	if err != nil || res.Requested != 1 || res.Withdrawn != 0 {
		t.Fatalf("withdraw with review: %+v %v", res, err)
	}
	var status string
	w.db.Raw(`SELECT status FROM registration_products WHERE id = ?`, rpID).Scan(&status)
	if status != string(models.ProductRegistered) {
		t.Fatalf("product while requested = %s, want registered", status)
	}
	var wID int64
	w.db.Raw(`SELECT id FROM withdrawals WHERE registration_product_id = ? AND status = 'requested'`, rpID).Scan(&wID)
	if err := core.DecideWithdrawal(ctx, reviewer.ID, wID, models.DecisionApproved, "", "", approved); err != nil {
		t.Fatal(err)
	}

	for i, tt := range []struct {
		name     string
		placedAt time.Time
		fee      string
		reason   orders.NotCampaignReason
	}{
		{"after the request, before the approval", requested.Add(time.Second), "0.40", ""},
		{"a second before the approval", approved.Add(-time.Second), "0.40", ""},
		{"at the approval second", approved, "0.00", orders.Withdrawn},
		{"a second after the approval", approved.Add(time.Second), "0.00", orders.Withdrawn},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprintf("WR-%d", i)
			body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
				"unit_price": "40.00", "seller_discount": "0"}], "shipping_paid": "0"}`, id, w.shop.PublicID, tt.placedAt.Format(time.RFC3339), skus[0].SKUCode)
			if r := w.importBody(t, []byte(body)); r.Outcome != orders.ImportCreated {
				t.Fatalf("outcome %s %+v", r.Outcome, r.Problems)
			}
			v, err := w.store.OrderByExternalID(ctx, w.shop.PublicID, id)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Settlement.Fee.StringFixed(2); got != tt.fee {
				t.Errorf("fee %s, want %s", got, tt.fee)
			}
			line := v.Settlement.Lines[0].Campaign
			if line.Reason != tt.reason {
				t.Errorf("reason %q, want %q", line.Reason, tt.reason)
			}
			if tt.reason == orders.Withdrawn && (line.ReasonAt == nil || !line.ReasonAt.Equal(approved)) {
				t.Errorf("withdrawn at %v, want the approval %v", line.ReasonAt, approved)
			}
		})
	}
}

// A declined or cancelled request never stops the fee.
func TestWithdrawalDeclinedOrCancelledKeepsTheFee(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	core := models.NewStore(w.db)
	seller := modeltest.User(t, w.db, "wr2-seller@x.test", models.RoleSeller, w.shop.ID)
	reviewer := modeltest.User(t, w.db, "wr2-reviewer@x.test", models.RoleReviewer, 0)
	w.db.Exec(`UPDATE campaigns SET withdrawal_review = true WHERE id = ?`, w.campaign.ID)
	var reg models.Registration
	if err := w.db.Where("campaign_id = ? AND shop_id = ?", w.campaign.ID, w.shop.ID).Take(&reg).Error; err != nil {
		t.Fatal(err)
	}
	_, declinedSKUs := modeltest.Product(t, w.db, w.shop.ID, "Declined", "50.00")
	_, cancelledSKUs := modeltest.Product(t, w.db, w.shop.ID, "Cancelled", "50.00")
	declined := modeltest.RegisterSKU(t, w.db, reg, declinedSKUs[0], "40.00", w.placed.Add(-48*time.Hour))
	cancelled := modeltest.RegisterSKU(t, w.db, reg, cancelledSKUs[0], "40.00", w.placed.Add(-48*time.Hour))
	at := w.placed.Add(-time.Hour)
	if _, err := core.Withdraw(ctx, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{declined, cancelled}, at); err != nil {
		t.Fatal(err)
	}
	idOf := func(rpID int64) int64 {
		var id int64
		w.db.Raw(`SELECT id FROM withdrawals WHERE registration_product_id = ? AND status = 'requested'`, rpID).Scan(&id)
		return id
	}
	if err := core.DecideWithdrawal(ctx, reviewer.ID, idOf(declined), models.DecisionRejected, "campaign-commitment", "", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := core.CancelWithdrawal(ctx, w.shop.ID, seller.ID, reg.ID, idOf(cancelled), at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for i, sku := range []models.SKU{declinedSKUs[0], cancelledSKUs[0]} {
		id := fmt.Sprintf("WK-%d", i)
		body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
			"unit_price": "40.00", "seller_discount": "0"}], "shipping_paid": "0"}`, id, w.shop.PublicID, w.placed.Format(time.RFC3339), sku.SKUCode)
		r := w.importBody(t, []byte(body))
		if r.Outcome != orders.ImportCreated || r.Order.Settlement.Fee.StringFixed(2) != "0.40" {
			t.Errorf("%s: outcome %s, fee %v; want the fee 0.40", sku.SKUCode, r.Outcome, r.Order)
		}
	}
}
