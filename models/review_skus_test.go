package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// pendingSKUs submits one product with a SKU per price and returns its
// registration, the registration product and its registration SKU ids (in
// the order of prices).
func (w *reviewWorld) pendingSKUs(t *testing.T, shop models.Shop, prices ...string) (models.Registration, int64, []int64, []models.SKU) {
	t.Helper()
	reg, skus := w.submit(t, shop, prices...)
	var rows []struct{ ID, RegistrationProductID, SKUID int64 }
	if err := w.db.Raw(`SELECT id, registration_product_id, sku_id FROM registration_skus WHERE registration_id = ? ORDER BY sku_id`, reg.ID).
		Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(prices) {
		t.Fatalf("%d registration SKUs, want %d", len(rows), len(prices))
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return reg, rows[0].RegistrationProductID, ids, skus
}

func TestRejectingOneSKURegistersTheProductWithTheOthers(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	seller := modeltest.User(t, w.db, "maple@x.test", models.RoleSeller, w.shop.ID)
	reg, rp, rs, skus := w.pendingSKUs(t, w.shop, "19.00", "18.00", "17.00")

	res, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{{
		RegistrationProductID: rp, Decision: models.DecisionApproved,
		RejectSKUs: []models.SKURejection{{RegistrationSKUID: rs[1], ReasonCode: "stock-insufficient", ReasonText: " Only 2 left. "}},
	}}, "", time.Now())
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	if res.Approved != 1 || res.Rejected != 0 || res.RejectedSKUs != 1 || res.Status != models.RegistrationRegistered {
		t.Fatalf("result = %+v", res)
	}
	// The seller reads the SKU's decision, and the registration is partly registered.
	mv, err := w.store.Manage(bg, w.shop.ID, reg.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := models.RegistrationStatusLabel(mv.Registration.Status, mv.Counts, mv.SKUsOut); got != "Partly registered" {
		t.Errorf("seller's status = %q, want Partly registered", got)
	}
	if len(mv.Products) != 1 || mv.Products[0].Status != models.ProductRegistered || len(mv.Products[0].SKUs) != 3 {
		t.Fatalf("manage = %+v", mv.Products)
	}
	for _, s := range mv.Products[0].SKUs {
		want := ""
		if s.ID == rs[1] {
			want = "Not enough stock for the campaign: Only 2 left."
		}
		if s.RejectionReason != want || s.KeptOut() != (want != "") {
			t.Errorf("SKU %s reads %q (kept out %v), want %q", s.SKUCode, s.RejectionReason, s.KeptOut(), want)
		}
	}
	// Audited: the product's approval and the SKU's rejection, naming it.
	var audit []struct {
		Decision, ReasonCode string
		RegistrationSKUID    *int64 `gorm:"column:registration_sku_id"`
	}
	w.db.Raw(`SELECT decision, reason_code, registration_sku_id FROM review_decisions WHERE registration_id = ? ORDER BY id`, reg.ID).Scan(&audit)
	if len(audit) != 2 || audit[0].Decision != "rejected" || audit[0].RegistrationSKUID == nil || *audit[0].RegistrationSKUID != rs[1] ||
		audit[0].ReasonCode != "stock-insufficient" || audit[1].Decision != "approved" || audit[1].RegistrationSKUID != nil {
		t.Errorf("audit = %+v", audit)
	}
	// The notice names the SKU and its reason.
	notes := notificationsOf(t, w.db, seller.ID, models.NotifyReviewDecision)
	if len(notes) != 1 || !strings.HasPrefix(notes[0].Title, "Partly registered: ") ||
		!strings.Contains(notes[0].Body, "SKUs not registered of ") ||
		!strings.Contains(notes[0].Body, skus[1].SKUCode+" (Not enough stock for the campaign: Only 2 left)") {
		t.Fatalf("notifications = %+v", notes)
	}
	// The kept-out SKU's price cannot be edited; the others' can.
	in := models.PriceEditInput{NewPrice: decimal.RequireFromString("16.00"), ExpectedPrice: decimal.RequireFromString("18.00")}
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, rs[1], in, time.Now()); !errors.Is(err, models.ErrConflict) {
		t.Errorf("a price edit of the kept-out SKU: err = %v, want refused", err)
	}
	in.ExpectedPrice = decimal.RequireFromString("19.00")
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, rs[0], in, time.Now()); err != nil {
		t.Errorf("a price edit of a registered SKU: %v", err)
	}
	// The reviewer's page shows the SKU kept out, and the status.
	d, err := w.store.ReviewRegistration(bg, reg.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.SKUsOut != 1 || d.Products[0].SKUs[1].KeptOut == "" || d.Products[0].SKUs[0].KeptOut != "" {
		t.Errorf("review page: %d SKUs out, SKUs %+v", d.SKUsOut, d.Products[0].SKUs)
	}
}

func TestSKUDecisionsRefuseWhatCannotBe(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, rp, rs, _ := w.pendingSKUs(t, w.shop, "19.00", "18.00")
	_, _, otherRS, _ := w.pendingSKUs(t, modeltest.Shop(t, w.db, "Northwind", "4.0", "20"), "19.00", "18.00")
	cases := []struct {
		name  string
		ds    []models.ProductDecision
		field string // the message's field; "" for not found
	}{
		{"every SKU rejected", []models.ProductDecision{{RegistrationProductID: rp, Decision: models.DecisionApproved, RejectSKUs: []models.SKURejection{
			{RegistrationSKUID: rs[0], ReasonCode: "incomplete"}, {RegistrationSKUID: rs[1], ReasonCode: "incomplete"}}}},
			models.ProductField("decision", rp)},
		{"a SKU without a reason", []models.ProductDecision{{RegistrationProductID: rp, Decision: models.DecisionApproved, RejectSKUs: []models.SKURejection{
			{RegistrationSKUID: rs[0]}}}}, models.SKUField("reason_code", rs[0])},
		{"other reason without words", []models.ProductDecision{{RegistrationProductID: rp, Decision: models.DecisionApproved, RejectSKUs: []models.SKURejection{
			{RegistrationSKUID: rs[0], ReasonCode: models.ReasonOther}}}}, models.SKUField("reason_text", rs[0])},
		{"SKUs rejected without approving", []models.ProductDecision{{RegistrationProductID: rp, RejectSKUs: []models.SKURejection{
			{RegistrationSKUID: rs[0], ReasonCode: "incomplete"}}}}, models.ProductField("decision", rp)},
		{"another shop's SKU", []models.ProductDecision{{RegistrationProductID: rp, Decision: models.DecisionApproved, RejectSKUs: []models.SKURejection{
			{RegistrationSKUID: otherRS[0], ReasonCode: "incomplete"}}}}, ""},
	}
	for _, tc := range cases {
		_, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, tc.ds, "", time.Now())
		var invalid *models.ValidationError
		switch {
		case tc.field == "" && !errors.Is(err, models.ErrNotFound):
			t.Errorf("%s: err = %v, want not found", tc.name, err)
		case tc.field != "" && (!errors.As(err, &invalid) || invalid.Fields[tc.field] == ""):
			t.Errorf("%s: err = %v, want a message at %s", tc.name, err, tc.field)
		}
	}
	if status, products := w.statuses(t, reg.ID); status != models.RegistrationPending || strings.Join(products, ",") != "pending" {
		t.Errorf("refused steps changed %s %v", status, products)
	}
	var out int64
	w.db.Table("registration_skus").Where("rejected_at IS NOT NULL").Count(&out)
	if out != 0 {
		t.Errorf("%d SKUs marked rejected by refused steps", out)
	}
	// The schema backs it: a product under review has no SKU decided, and
	// a registered product keeps one SKU in.
	if err := w.db.Exec(`UPDATE registration_skus SET rejected_at = now(), rejected_by = ?, rejection_reason = 'x' WHERE id = ?`,
		w.reviewer.ID, rs[0]).Error; err == nil || !strings.Contains(err.Error(), "a SKU of a product under review has no decision yet") {
		t.Errorf("a pending product's SKU rejected directly: err = %v", err)
	}
	err := w.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE registration_skus SET rejected_at = now(), rejected_by = ?, rejection_reason = 'x' WHERE registration_product_id = ?`,
			w.reviewer.ID, rp).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE registration_products SET status = 'registered', decided_by = ?, decided_at = now() WHERE id = ?`, w.reviewer.ID, rp).Error
	})
	if err == nil || !strings.Contains(err.Error(), "a registered product keeps at least one SKU") {
		t.Errorf("a registered product with every SKU out: err = %v", err)
	}
}

// Two reviewers decide the same SKU at once: one rejects it (approving the
// product with the other SKU), the other approves the whole product. One
// wins; the other is told who decided, and nothing of its step is written.
func TestConcurrentSKUDecisionsOneWinsAndTheOtherIsToldWho(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	for round := range 4 {
		shop := modeltest.Shop(t, w.db, fmt.Sprintf("Shop %d", round), "4.0", "20")
		reg, rp, rs, _ := w.pendingSKUs(t, shop, "19.00", "18.00")
		who := []models.User{w.reviewer, w.reviewer2}
		steps := [][]models.ProductDecision{
			{{RegistrationProductID: rp, Decision: models.DecisionApproved,
				RejectSKUs: []models.SKURejection{{RegistrationSKUID: rs[1], ReasonCode: "price-above-maximum"}}}},
			{{RegistrationProductID: rp, Decision: models.DecisionApproved}},
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				<-start
				_, errs[i] = w.store.DecideProducts(bg, who[i].ID, reg.ID, steps[i], "", time.Now())
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: both steps won", round)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no step won: %v", round, errs)
		}
		loser := errs[1-winner]
		if want := "already decided by " + who[winner].DisplayName; !errors.Is(loser, models.ErrConflict) || !strings.Contains(loser.Error(), want) {
			t.Fatalf("round %d: the losing step got %v, want a conflict saying %q", round, loser, want)
		}
		var out, audits int64
		w.db.Table("registration_skus").Where("registration_id = ? AND rejected_at IS NOT NULL", reg.ID).Count(&out)
		w.db.Table("review_decisions").Where("registration_id = ?", reg.ID).Count(&audits)
		wantOut, wantAudits := int64(1), int64(2)
		if winner == 1 {
			wantOut, wantAudits = 0, 1
		}
		if out != wantOut || audits != wantAudits {
			t.Fatalf("round %d: winner %d left %d SKUs out and %d audit rows, want %d and %d", round, winner, out, audits, wantOut, wantAudits)
		}
	}
}

func TestSubmittingAgainClearsSKUDecisions(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, rp, rs, _ := w.pendingSKUs(t, w.shop, "19.00", "18.00")
	if _, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{{RegistrationProductID: rp, Decision: models.DecisionApproved,
		RejectSKUs: []models.SKURejection{{RegistrationSKUID: rs[0], ReasonCode: "incomplete"}}}}, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	// Orders of the kept-out SKU are not campaign orders: the settlement
	// lookup skips it (checked by the orders package's query filter).
	var inCampaign int64
	w.db.Raw(`SELECT count(*) FROM registration_skus WHERE registration_id = ? AND rejected_at IS NULL`, reg.ID).Scan(&inCampaign)
	if inCampaign != 1 {
		t.Fatalf("%d SKUs in the campaign, want 1", inCampaign)
	}
	// Back to the draft (as the SKU error path does) and submitted again:
	// the reviewer decides afresh.
	w.db.Exec(`UPDATE registration_products SET status = 'draft', decided_by = NULL, decided_at = NULL WHERE id = ?`, rp)
	if _, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, fmt.Sprintf("again-%d", time.Now().UnixNano()), time.Now()); err != nil {
		t.Fatalf("submit again: %v", err)
	}
	var out int64
	w.db.Table("registration_skus").Where("registration_id = ? AND rejected_at IS NOT NULL", reg.ID).Count(&out)
	if out != 0 {
		t.Errorf("%d SKU decisions survived a new submission", out)
	}
}
