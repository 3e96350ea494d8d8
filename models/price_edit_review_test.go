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

// editWorld is a campaign without co-funded coupons (so registering needs
// no review and prices can be edited at once), a shop with a seller, and
// two reviewers.
type editWorld struct {
	db        *gorm.DB
	store     *models.Store
	campaign  models.Campaign
	shop      models.Shop
	seller    models.User
	reviewer  models.User
	reviewer2 models.User
}

func newEditWorld(t *testing.T) *editWorld {
	t.Helper()
	db := modeltest.NewDB(t)
	w := &editWorld{db: db, store: models.NewStore(db)}
	spec := modeltest.OpenCampaign("Black Friday")
	spec.CoFunded = false
	w.campaign = modeltest.Campaign(t, db, spec)
	w.shop = modeltest.Shop(t, db, "Maple & Co", "4.6", "25")
	w.seller = modeltest.User(t, db, "seller@x.test", models.RoleSeller, w.shop.ID)
	w.reviewer = modeltest.User(t, db, "riley@x.test", models.RoleReviewer, 0)
	w.reviewer2 = modeltest.User(t, db, "sam@x.test", models.RoleReviewer, 0)
	return w
}

// edit registers a new product of the shop with one SKU (retail and
// lookback low 20.00, so the Regular maximum is 20.00) at 19.00, and asks
// for newPrice.
func (w *editWorld) edit(t *testing.T, shop models.Shop, seller models.User, newPrice string) models.PriceEditRequest {
	t.Helper()
	p, skus := modeltest.Product(t, w.db, shop.ID, fmt.Sprintf("Product %d", time.Now().UnixNano()), "20.00")
	now := time.Now()
	reg, _, err := w.store.OpenDraft(bg, shop, w.campaign.ID, now)
	if err != nil {
		t.Fatalf("open draft: %v", err)
	}
	stock := 5
	item := models.DraftItem{ProductID: p.ID, SKUID: skus[0].ID, Price: decimal.NewNullDecimal(decimal.RequireFromString("19.00")), Stock: &stock}
	if _, err := w.store.AddToDraft(bg, shop.ID, reg.ID, []models.DraftItem{item}, models.SourcePick, now); err != nil {
		t.Fatalf("add to draft: %v", err)
	}
	res, err := w.store.SubmitDraft(bg, shop, reg.ID, true, fmt.Sprintf("key-%d", time.Now().UnixNano()), now)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if res.Registration.Status != models.RegistrationRegistered {
		t.Fatalf("registration is %s, want registered (no review)", res.Registration.Status)
	}
	var rsID int64
	if err := w.db.Raw(`SELECT id FROM registration_skus WHERE registration_id = ? AND sku_id = ?`, reg.ID, skus[0].ID).Scan(&rsID).Error; err != nil {
		t.Fatal(err)
	}
	req, err := w.store.RequestPriceEdit(bg, shop.ID, seller.ID, reg.ID, rsID,
		models.PriceEditInput{NewPrice: decimal.RequireFromString(newPrice), ExpectedPrice: decimal.RequireFromString("19.00")}, now)
	if err != nil {
		t.Fatalf("request price edit: %v", err)
	}
	return req
}

func (w *editWorld) campaignPrice(t *testing.T, rsID int64) string {
	t.Helper()
	var p decimal.Decimal
	if err := w.db.Raw(`SELECT campaign_price FROM registration_skus WHERE id = ?`, rsID).Scan(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.StringFixed(2)
}

func (w *editWorld) request(t *testing.T, id int64) models.PriceEditRequest {
	t.Helper()
	var r models.PriceEditRequest
	if err := w.db.Where("id = ?", id).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func notificationsOf(t *testing.T, db *gorm.DB, userID int64, kind models.NotificationKind) []models.Notification {
	t.Helper()
	var out []models.Notification
	if err := db.Where("user_id = ? AND kind = ?", userID, kind).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPriceEditQueueShowsTheLimitsOldestDueFirst(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	recent := w.edit(t, w.shop, w.seller, "18.00")
	old := w.edit(t, w.shop, w.seller, "17.50")
	now := time.Now().UTC()
	past := now.AddDate(0, 0, -10)
	if err := w.db.Exec(`UPDATE price_edit_requests SET submitted_at = ?, due_at = ? WHERE id = ?`, past, models.ReviewDueAt(past), old.ID).Error; err != nil {
		t.Fatal(err)
	}
	queue, err := w.store.PriceEditQueue(bg, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].ID != old.ID || queue[1].ID != recent.ID {
		t.Fatalf("queue = %+v, want the overdue request first", queue)
	}
	if !queue[0].Overdue || queue[1].Overdue {
		t.Errorf("overdue = %v, %v; want true, false", queue[0].Overdue, queue[1].Overdue)
	}
	r := queue[1]
	if r.ShopName != "Maple & Co" || r.CampaignName != "Black Friday" || !strings.HasPrefix(r.ProductTitle, "Product ") || r.SKUCode == "" ||
		r.OldPrice.StringFixed(2) != "19.00" || r.NewPrice.StringFixed(2) != "18.00" || r.MaxAtRequest.StringFixed(2) != "20.00" ||
		r.Live.Low.StringFixed(2) != "20.00" || r.Live.Max.StringFixed(2) != "20.00" || r.AboveLiveMax || !r.InCampaign() ||
		!r.DueAt.Equal(models.ReviewDueAt(r.SubmittedAt)) {
		t.Errorf("queue row = %+v", r)
	}
	regs, edits, _, err := w.store.ReviewCounts(bg)
	if err != nil || regs != 0 || edits != 2 {
		t.Errorf("counts = %d registrations, %d price edits (%v); want 0 and 2", regs, edits, err)
	}
}

func TestApprovePriceEditSetsTheCampaignPrice(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	req := w.edit(t, w.shop, w.seller, "18.00")
	now := time.Now()
	if err := w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionApproved, "", "", now); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if got := w.campaignPrice(t, req.RegistrationSKUID); got != "18.00" {
		t.Errorf("campaign price = %s, want 18.00", got)
	}
	got := w.request(t, req.ID)
	if got.Status != models.EditApproved || got.DecidedBy == nil || *got.DecidedBy != w.reviewer.ID || got.DecidedAt == nil ||
		got.ReasonCode != "" || got.ReasonText != "" {
		t.Errorf("request after approval = %+v", got)
	}
	// The seller sees the decision on the Manage page and gets one notice.
	mv, err := w.store.Manage(bg, w.shop.ID, req.RegistrationID, "")
	if err != nil {
		t.Fatal(err)
	}
	sku := mv.Products[0].SKUs[0]
	if sku.OpenEdit != nil || sku.LastDecided == nil || sku.LastDecided.Status != models.EditApproved {
		t.Errorf("manage SKU = open %+v, last %+v", sku.OpenEdit, sku.LastDecided)
	}
	notes := notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)
	if len(notes) != 1 || !strings.Contains(notes[0].Title, "approved") || !strings.Contains(notes[0].Body, "$18.00") ||
		notes[0].Link != fmt.Sprintf("/registrations/%d#sku-%d", req.RegistrationID, req.RegistrationSKUID) {
		t.Errorf("notifications = %+v", notes)
	}
	if queue, _ := w.store.PriceEditQueue(bg, time.Now()); len(queue) != 0 {
		t.Errorf("the approved request is still queued: %+v", queue)
	}
	// Deciding again is refused, naming who decided and when, and changes nothing.
	err = w.store.DecidePriceEdit(bg, w.reviewer2.ID, req.ID, models.DecisionRejected, "incomplete", "", time.Now())
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "Already decided by "+w.reviewer.DisplayName) {
		t.Fatalf("deciding again: %v", err)
	}
	if got := w.request(t, req.ID); got.Status != models.EditApproved || *got.DecidedBy != w.reviewer.ID {
		t.Errorf("the first decision was overwritten: %+v", got)
	}
	if n := len(notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)); n != 1 {
		t.Errorf("%d notifications after a refused decision, want 1", n)
	}
	recent, err := w.store.RecentPriceEditDecisions(bg, 10)
	if err != nil || len(recent) != 1 || recent[0].ReviewerName != w.reviewer.DisplayName || recent[0].Status != models.EditApproved {
		t.Errorf("audit = %+v (%v)", recent, err)
	}
}

func TestRejectPriceEditNeedsAReasonAndKeepsThePrice(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	req := w.edit(t, w.shop, w.seller, "18.00")
	var invalid *models.ValidationError
	err := w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionRejected, "", "Too low", time.Now())
	if !errors.As(err, &invalid) || invalid.Fields["reason_code"] == "" {
		t.Fatalf("reject without a reason: %v", err)
	}
	err = w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionRejected, models.ReasonOther, "  ", time.Now())
	if !errors.As(err, &invalid) || invalid.Fields["reason_text"] == "" {
		t.Fatalf("other without text: %v", err)
	}
	if got := w.request(t, req.ID); got.Status != models.EditUnderReview {
		t.Fatalf("an invalid decision changed the request to %s", got.Status)
	}
	if err := w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionRejected, "price-above-maximum",
		" Your 60-day low is lower. ", time.Now()); err != nil {
		t.Fatalf("reject: %v", err)
	}
	if got := w.campaignPrice(t, req.RegistrationSKUID); got != "19.00" {
		t.Errorf("campaign price = %s after a rejection, want 19.00", got)
	}
	want := "Campaign price above the maximum allowed: Your 60-day low is lower."
	mv, err := w.store.Manage(bg, w.shop.ID, req.RegistrationID, "")
	if err != nil {
		t.Fatal(err)
	}
	last := mv.Products[0].SKUs[0].LastDecided
	if last == nil || last.Status != models.EditRejected || last.ReasonCode != "price-above-maximum" || last.ReasonText != want {
		t.Errorf("seller reads %+v, want the reason %q", last, want)
	}
	notes := notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)
	if len(notes) != 1 || !strings.Contains(notes[0].Title, "rejected") || !strings.Contains(notes[0].Body, want) {
		t.Errorf("notifications = %+v", notes)
	}
}

func TestConcurrentPriceEditDecisionsOneWins(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	for round := range 5 {
		req := w.edit(t, w.shop, w.seller, fmt.Sprintf("18.%02d", round))
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2)
		who := []models.User{w.reviewer, w.reviewer2}
		decisions := []models.Decision{models.DecisionApproved, models.DecisionRejected}
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = w.store.DecidePriceEdit(bg, who[i].ID, req.ID, decisions[i], "incomplete", "", time.Now())
			}()
		}
		close(start)
		wg.Wait()
		wins, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, models.ErrConflict) && strings.Contains(err.Error(), "Already decided by"):
				conflicts++
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins and %d conflicts, want 1 and 1 (%v)", round, wins, conflicts, errs)
		}
		got := w.request(t, req.ID)
		wantPrice := "19.00"
		if got.Status == models.EditApproved {
			wantPrice = req.NewPrice.StringFixed(2)
		}
		if price := w.campaignPrice(t, req.RegistrationSKUID); price != wantPrice {
			t.Errorf("round %d: %s request left the price at %s, want %s", round, got.Status, price, wantPrice)
		}
	}
	if n := len(notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)); n != 5 {
		t.Errorf("%d notifications for 5 decisions, want 5", n)
	}
}

func TestReplacedOrWithdrawnPriceEditsAreRefused(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	first := w.edit(t, w.shop, w.seller, "18.00")
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, w.seller.ID, first.RegistrationID, first.RegistrationSKUID,
		models.PriceEditInput{NewPrice: decimal.RequireFromString("17.00"), ExpectedPrice: decimal.RequireFromString("19.00"), ExpectedRequest: first.ID},
		time.Now()); err != nil {
		t.Fatal(err)
	}
	err := w.store.DecidePriceEdit(bg, w.reviewer.ID, first.ID, models.DecisionApproved, "", "", time.Now())
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "replaced") {
		t.Fatalf("approving a replaced request: %v", err)
	}
	if got := w.campaignPrice(t, first.RegistrationSKUID); got != "19.00" {
		t.Errorf("campaign price = %s, want 19.00", got)
	}

	other := w.edit(t, w.shop, w.seller, "18.50")
	var rpID int64
	w.db.Raw(`SELECT registration_product_id FROM registration_skus WHERE id = ?`, other.RegistrationSKUID).Scan(&rpID)
	if _, err := w.store.Withdraw(bg, w.shop.ID, w.seller.ID, other.RegistrationID, models.WithdrawProduct, []int64{rpID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	err = w.store.DecidePriceEdit(bg, w.reviewer.ID, other.ID, models.DecisionRejected, "incomplete", "", time.Now())
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "withdrawn") {
		t.Fatalf("rejecting the request of a withdrawn product: %v", err)
	}
	if err := w.store.DecidePriceEdit(bg, w.reviewer.ID, 999999, models.DecisionApproved, "", "", time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("deciding a missing request: %v", err)
	}
	manager := modeltest.User(t, w.db, "boss@x.test", models.RoleManager, 0)
	queue, _ := w.store.PriceEditQueue(bg, time.Now())
	if len(queue) != 1 {
		t.Fatalf("queue = %+v, want the newer edit only", queue)
	}
	if err := w.store.DecidePriceEdit(bg, manager.ID, queue[0].ID, models.DecisionApproved, "", "", time.Now()); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a manager's decision: %v", err)
	}
	if n := len(notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)); n != 0 {
		t.Errorf("%d notifications for refused decisions, want 0", n)
	}
}

func TestApprovalChecksTheMaximumNow(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	req := w.edit(t, w.shop, w.seller, "18.00")
	var skuID int64
	w.db.Raw(`SELECT sku_id FROM registration_skus WHERE id = ?`, req.RegistrationSKUID).Scan(&skuID)
	// After asking, the seller lowers the retail price to 17.00: the
	// maximum now is 17.00, below the requested 18.00.
	cut := time.Now().UTC().Add(-time.Hour)
	for _, q := range []string{
		`UPDATE price_history SET valid_to = ? WHERE sku_id = ? AND valid_to IS NULL`,
		`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 17.00, ?)`,
	} {
		args := []any{cut, skuID}
		if strings.HasPrefix(q, "INSERT") {
			args = []any{skuID, cut}
		}
		if err := w.db.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	queue, err := w.store.PriceEditQueue(bg, time.Now())
	if err != nil || len(queue) != 1 || !queue[0].AboveLiveMax || queue[0].Live.Max.StringFixed(2) != "17.00" ||
		queue[0].MaxAtRequest.StringFixed(2) != "20.00" {
		t.Fatalf("queue = %+v (%v), want the request flagged above 17.00", queue, err)
	}
	err = w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionApproved, "", "", time.Now())
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "above the maximum of $17.00") {
		t.Fatalf("approving above the maximum now: %v", err)
	}
	approved, skipped, err := w.store.BulkApprovePriceEdits(bg, w.reviewer.ID, []int64{req.ID}, time.Now())
	if err != nil || approved != 0 || len(skipped) != 1 || !strings.Contains(skipped[0], "above the maximum") {
		t.Errorf("bulk approval = %d, %q, %v; want it skipped", approved, skipped, err)
	}
	if err := w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionRejected, "price-above-maximum", "", time.Now()); err != nil {
		t.Fatalf("rejecting is still possible: %v", err)
	}
	if got := w.campaignPrice(t, req.RegistrationSKUID); got != "19.00" {
		t.Errorf("campaign price = %s, want 19.00", got)
	}
}

func TestApprovalRaisesTheStoredMaximumToToday(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	req := w.edit(t, w.shop, w.seller, "19.50")
	// The maximum stored at registration was lower than today's (its window
	// held a lower price that has since left it).
	if err := w.db.Exec(`UPDATE registration_skus SET max_price = 19.00 WHERE id = ?`, req.RegistrationSKUID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.store.DecidePriceEdit(bg, w.reviewer.ID, req.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatalf("approve: %v", err)
	}
	var sku models.RegistrationSKU
	w.db.Where("id = ?", req.RegistrationSKUID).Take(&sku)
	if sku.CampaignPrice.Decimal.StringFixed(2) != "19.50" || sku.MaxPrice.StringFixed(2) != "20.00" {
		t.Errorf("SKU = price %s, max %s; want 19.50 and 20.00", sku.CampaignPrice.Decimal.StringFixed(2), sku.MaxPrice.StringFixed(2))
	}
}

func TestBulkApprovePriceEditsSkipsDecidedOnes(t *testing.T) {
	t.Parallel()
	w := newEditWorld(t)
	north := modeltest.Shop(t, w.db, "Northwind", "4.0", "20")
	northSeller := modeltest.User(t, w.db, "north@x.test", models.RoleSeller, north.ID)
	a := w.edit(t, w.shop, w.seller, "18.00")
	b := w.edit(t, north, northSeller, "17.00")
	c := w.edit(t, north, northSeller, "16.00")
	if err := w.store.DecidePriceEdit(bg, w.reviewer2.ID, b.ID, models.DecisionRejected, "incomplete", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	var invalid *models.ValidationError
	if _, _, err := w.store.BulkApprovePriceEdits(bg, w.reviewer.ID, nil, time.Now()); !errors.As(err, &invalid) || invalid.Fields["edit_id"] == "" {
		t.Errorf("an empty selection: %v", err)
	}
	approved, skipped, err := w.store.BulkApprovePriceEdits(bg, w.reviewer.ID, []int64{c.ID, a.ID, b.ID, a.ID, 999999}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if approved != 2 {
		t.Errorf("approved = %d, want 2", approved)
	}
	if len(skipped) != 2 || !strings.Contains(skipped[0], "Northwind") || !strings.Contains(skipped[0], "Already decided by "+w.reviewer2.DisplayName) ||
		!strings.Contains(skipped[1], "#999999") {
		t.Errorf("skipped = %q", skipped)
	}
	for _, r := range []models.PriceEditRequest{a, c} {
		got := w.request(t, r.ID)
		if got.Status != models.EditApproved || got.ReasonCode != models.ReasonBulk || *got.DecidedBy != w.reviewer.ID {
			t.Errorf("request %d after bulk approval = %+v", r.ID, got)
		}
		if price := w.campaignPrice(t, r.RegistrationSKUID); price != r.NewPrice.StringFixed(2) {
			t.Errorf("request %d: campaign price %s, want %s", r.ID, price, r.NewPrice.StringFixed(2))
		}
	}
	if got := w.request(t, b.ID); got.Status != models.EditRejected {
		t.Errorf("the rejected request became %s", got.Status)
	}
	if got := w.campaignPrice(t, b.RegistrationSKUID); got != "19.00" {
		t.Errorf("the rejected request's price = %s, want 19.00", got)
	}
	// One notice per decision: Maple's approval; Northwind's rejection and approval.
	if n := len(notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)); n != 1 {
		t.Errorf("Maple has %d notices, want 1", n)
	}
	if n := len(notificationsOf(t, w.db, northSeller.ID, models.NotifyPriceEditDecision)); n != 2 {
		t.Errorf("Northwind has %d notices, want 2", n)
	}
	// Approving the same selection again approves nothing and notifies no one.
	approved, skipped, err = w.store.BulkApprovePriceEdits(bg, w.reviewer.ID, []int64{a.ID, c.ID}, time.Now())
	if err != nil || approved != 0 || len(skipped) != 2 {
		t.Errorf("second bulk approval = %d, %q, %v", approved, skipped, err)
	}
	if n := len(notificationsOf(t, w.db, w.seller.ID, models.NotifyPriceEditDecision)); n != 1 {
		t.Errorf("Maple has %d notices after a repeated bulk approval, want 1", n)
	}
}

func TestRegistrationDecisionsNotifyTheShopOnce(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	seller := modeltest.User(t, w.db, "maple@x.test", models.RoleSeller, w.shop.ID)
	approvedReg, _ := w.submit(t, w.shop, "19.00")
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, approvedReg.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	_ = w.store.DecideRegistration(bg, w.reviewer2.ID, approvedReg.ID, models.DecisionRejected, "incomplete", "", time.Now())
	notes := notificationsOf(t, w.db, seller.ID, models.NotifyReviewDecision)
	if len(notes) != 1 || notes[0].Title != "Registration approved: Black Friday" || notes[0].Link != fmt.Sprintf("/registrations/%d", approvedReg.ID) {
		t.Fatalf("notifications = %+v", notes)
	}

	north := modeltest.Shop(t, w.db, "Northwind", "4.0", "20")
	northSeller := modeltest.User(t, w.db, "north@x.test", models.RoleSeller, north.ID)
	rejected, _ := w.submit(t, north, "19.00")
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, rejected.ID, models.DecisionRejected, "stock-insufficient", "Keep 10.", time.Now()); err != nil {
		t.Fatal(err)
	}
	notes = notificationsOf(t, w.db, northSeller.ID, models.NotifyReviewDecision)
	if len(notes) != 1 || notes[0].Title != "Registration rejected: Black Friday" ||
		!strings.Contains(notes[0].Body, "(Not enough stock for the campaign: Keep 10)") || !strings.HasPrefix(notes[0].Body, "Rejected: ") {
		t.Fatalf("notifications = %+v", notes)
	}
	if n := len(notificationsOf(t, w.db, seller.ID, models.NotifyReviewDecision)); n != 1 {
		t.Errorf("Maple was told about Northwind's decision: %d notices", n)
	}

	// Bulk approvals notify each shop too.
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	freshSeller := modeltest.User(t, w.db, "fresh@x.test", models.RoleSeller, fresh.ID)
	bulk, _ := w.submit(t, fresh, "19.00")
	if _, _, err := w.store.BulkApprove(bg, w.reviewer.ID, []int64{bulk.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := len(notificationsOf(t, w.db, freshSeller.ID, models.NotifyReviewDecision)); n != 1 {
		t.Errorf("bulk approval sent %d notices, want 1", n)
	}
}
