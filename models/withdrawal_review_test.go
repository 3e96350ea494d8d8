package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// reviewedWithdrawals is a registered product in a campaign whose
// withdrawals need review, with a reviewer.
func reviewedWithdrawals(t *testing.T) (*regWorld, models.Registration, models.User, models.User, int64) {
	t.Helper()
	w, reg, seller := registered(t, false)
	w.db.Exec(`UPDATE campaigns SET withdrawal_review = true WHERE id = ?`, w.camp.ID)
	reviewer := modeltest.User(t, w.db, "wr-rev@x.test", models.RoleReviewer, 0)
	p, _ := firstSKU(t, w, reg.ID)
	return w, reg, seller, reviewer, p.ID
}

func openWithdrawalID(t *testing.T, w *regWorld, rpID int64) int64 {
	t.Helper()
	var id int64
	w.db.Raw(`SELECT id FROM withdrawals WHERE registration_product_id = ? AND status = 'requested'`, rpID).Scan(&id)
	if id == 0 {
		t.Fatal("no open withdrawal request")
	}
	return id
}

func TestWithdrawalReviewRequestAndRules(t *testing.T) {
	t.Parallel()
	w, reg, seller, reviewer, rpID := reviewedWithdrawals(t)
	now := time.Now().UTC().Truncate(time.Second)
	res, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{rpID}, now)
	if err != nil || res.Requested != 1 || res.Withdrawn != 0 {
		t.Fatalf("request: %+v %v", res, err)
	}
	p, sku := firstSKU(t, w, reg.ID)
	if p.Status != models.ProductRegistered || p.OpenWithdrawal == nil || !p.OpenWithdrawal.RequestedAt.Equal(now) {
		t.Fatalf("product while requested: %s %+v", p.Status, p.OpenWithdrawal)
	}
	// One open request per product: asking again, the whole campaign, or
	// the discount alone is refused while it waits.
	for _, kind := range []models.WithdrawKind{models.WithdrawProduct, models.WithdrawCampaign, models.WithdrawDiscount} {
		if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, kind, []int64{rpID}, now); !errors.Is(err, models.ErrConflict) {
			t.Errorf("%s while a request waits: %v", kind, err)
		}
	}
	// The schema holds it too.
	if err := w.db.Exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, status, requested_at, requested_by)
		VALUES (?, ?, ?, 'product', 'requested', now(), ?)`, reg.ID, rpID, w.shop.ID, seller.ID).Error; err == nil {
		t.Error("a second open request was stored")
	}
	if err := w.db.Exec(`UPDATE withdrawals SET status = 'approved', effective_at = requested_at - interval '1 second' WHERE registration_product_id = ?`,
		rpID).Error; err == nil {
		t.Error("an approval before the request was stored")
	}
	// Price edits wait while the product's withdrawal is requested.
	in := models.PriceEditInput{NewPrice: decimal.RequireFromString("8.00"), ExpectedPrice: decimal.RequireFromString("9.00")}
	var locked *models.EditLockedError
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, now); !errors.As(err, &locked) {
		t.Errorf("price edit while requested: %v", err)
	}
	// Another shop cannot cancel or see it.
	id := openWithdrawalID(t, w, rpID)
	if err := w.store.CancelWithdrawal(bg, w.other.ID, seller.ID, reg.ID, id, now); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's cancel: %v", err)
	}
	// A decline needs a reason and keeps the product.
	var invalid *models.ValidationError
	if err := w.store.DecideWithdrawal(bg, reviewer.ID, id, models.DecisionRejected, "", "", now); !errors.As(err, &invalid) {
		t.Errorf("decline without a reason: %v", err)
	}
	if err := w.store.DecideWithdrawal(bg, seller.ID, id, models.DecisionApproved, "", "", now); err == nil {
		t.Error("a seller approved a withdrawal")
	}
	later := now.Add(time.Hour)
	if err := w.store.DecideWithdrawal(bg, reviewer.ID, id, models.DecisionRejected, "other", "Stock is promised to the event.", later); err != nil {
		t.Fatal(err)
	}
	mv, err := w.store.Manage(bg, w.shop.ID, reg.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	got := mv.Withdrawals[0]
	if mv.Products[0].Status != models.ProductRegistered || mv.Products[0].OpenWithdrawal != nil || got.Status != models.WithdrawalDeclined ||
		got.DecidedAt == nil || !got.DecidedAt.Equal(later) || got.DecisionReason != "Stock is promised to the event." || got.EffectiveAt != nil {
		t.Errorf("after the decline: %s %+v", mv.Products[0].Status, got)
	}
	var notes int64
	w.db.Table("notifications").Where("title LIKE 'Withdrawal declined%'").Count(&notes)
	if notes != 1 {
		t.Errorf("%d decline notifications, want 1", notes)
	}
	// Asking again, then approving: the product leaves at the approval.
	if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawCampaign, nil, later); err != nil {
		t.Fatal(err)
	}
	approvedAt := later.Add(time.Minute)
	if err := w.store.DecideWithdrawal(bg, reviewer.ID, openWithdrawalID(t, w, rpID), models.DecisionApproved, "", "", approvedAt); err != nil {
		t.Fatal(err)
	}
	mv, _ = w.store.Manage(bg, w.shop.ID, reg.ID, "")
	got = mv.Withdrawals[0]
	if mv.Products[0].Status != models.ProductWithdrawn || got.Status != models.WithdrawalApproved || got.EffectiveAt == nil ||
		!got.EffectiveAt.Equal(approvedAt) || !got.RequestedAt.Equal(later) || mv.Registration.Status != models.RegistrationWithdrawn {
		t.Errorf("after the approval: %s %s %+v", mv.Products[0].Status, mv.Registration.Status, got)
	}
}

// Withdrawal review off (the default): approved at the instant asked.
func TestWithdrawalWithoutReviewIsApprovedAtOnce(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, false)
	p, _ := firstSKU(t, w, reg.ID)
	now := time.Now().UTC().Truncate(time.Second)
	res, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{p.ID}, now)
	if err != nil || res.Withdrawn != 1 || res.Requested != 0 {
		t.Fatalf("withdraw: %+v %v", res, err)
	}
	mv, _ := w.store.Manage(bg, w.shop.ID, reg.ID, "")
	got := mv.Withdrawals[0]
	if got.Status != models.WithdrawalApproved || got.EffectiveAt == nil || !got.EffectiveAt.Equal(now) || !got.RequestedAt.Equal(now) {
		t.Errorf("withdrawal = %+v, want approved at %v", got, now)
	}
}

// Two reviewers deciding the same request: one wins, the other is told
// who decided and when; nothing of the loser's is written.
func TestWithdrawalConcurrentDecisions(t *testing.T) {
	t.Parallel()
	w, reg, seller, reviewer, rpID := reviewedWithdrawals(t)
	other := modeltest.User(t, w.db, "wr-rev2@x.test", models.RoleReviewer, 0)
	now := time.Now().UTC().Truncate(time.Second)
	if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{rpID}, now); err != nil {
		t.Fatal(err)
	}
	id := openWithdrawalID(t, w, rpID)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []models.User{reviewer, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, code := models.DecisionApproved, ""
			if i == 1 {
				d, code = models.DecisionRejected, "incomplete"
			}
			errs[i] = w.store.DecideWithdrawal(bg, r.ID, id, d, code, "", now.Add(time.Minute))
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		var conflict *models.ConflictError
		switch {
		case err == nil:
			won++
		case errors.As(err, &conflict):
			if !strings.HasPrefix(conflict.Message, "Already decided by ") {
				t.Errorf("loser told %q", conflict.Message)
			}
		default:
			t.Errorf("decision: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d decisions won, want 1 (%v)", won, errs)
	}
	var n int64
	w.db.Table("notifications").Where("title LIKE 'Withdrawal%'").Count(&n)
	if n != 1 {
		t.Errorf("%d notifications, want 1", n)
	}
}

// The seller cancelling while a reviewer approves: exactly one happens,
// and the other is refused with what happened.
func TestWithdrawalCancelRacesApproval(t *testing.T) {
	t.Parallel()
	for round := range 3 {
		w, reg, seller, reviewer, rpID := reviewedWithdrawals(t)
		now := time.Now().UTC().Truncate(time.Second)
		if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{rpID}, now); err != nil {
			t.Fatal(err)
		}
		id := openWithdrawalID(t, w, rpID)
		var wg sync.WaitGroup
		var approveErr, cancelErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			approveErr = w.store.DecideWithdrawal(bg, reviewer.ID, id, models.DecisionApproved, "", "", now)
		}()
		go func() {
			defer wg.Done()
			cancelErr = w.store.CancelWithdrawal(bg, w.shop.ID, seller.ID, reg.ID, id, now)
		}()
		wg.Wait()
		if (approveErr == nil) == (cancelErr == nil) {
			t.Fatalf("round %d: approve %v, cancel %v; want exactly one to succeed", round, approveErr, cancelErr)
		}
		var status, product string
		w.db.Raw(`SELECT status FROM withdrawals WHERE id = ?`, id).Scan(&status)
		w.db.Raw(`SELECT status FROM registration_products WHERE id = ?`, rpID).Scan(&product)
		switch {
		case approveErr == nil && (status != "approved" || product != "withdrawn" || !errors.Is(cancelErr, models.ErrConflict)):
			t.Errorf("round %d: approved, then %s / %s, cancel %v", round, status, product, cancelErr)
		case cancelErr == nil && (status != "cancelled" || product != "registered" || !errors.Is(approveErr, models.ErrConflict)):
			t.Errorf("round %d: cancelled, then %s / %s, approve %v", round, status, product, approveErr)
		}
	}
}

// The events feed follows a reviewed withdrawal: one event for the
// request, one for the approval, each with its status and instants.
func TestWithdrawalReviewStepsReachTheEventsFeed(t *testing.T) {
	t.Parallel()
	w, reg, seller, reviewer, rpID := reviewedWithdrawals(t)
	now := time.Now().UTC().Truncate(time.Second)
	if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{rpID}, now); err != nil {
		t.Fatal(err)
	}
	id := openWithdrawalID(t, w, rpID)
	if err := w.store.DecideWithdrawal(bg, reviewer.ID, id, models.DecisionApproved, "", "", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	events, _, err := w.store.SellerEvents(bg, w.shop.ID, models.EventCursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range events {
		if e.Kind == "withdrawal" {
			steps = append(steps, e.Data)
		}
	}
	if len(steps) != 2 || !strings.Contains(steps[0], `"status": "requested"`) || !strings.Contains(steps[1], `"status": "approved"`) ||
		strings.Contains(steps[1], `"effective_at": null`) || !strings.Contains(steps[0], `"effective_at": null`) {
		t.Fatalf("withdrawal events: %q", steps)
	}
}
