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

func TestCheckDecision(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", models.MaxReasonLength+1)
	tests := []struct {
		name      string
		decision  models.Decision
		code      string
		text      string
		wantField string // "" when valid
	}{
		{"approve with nothing", models.DecisionApproved, "", "", ""},
		{"approve with a note", models.DecisionApproved, "", "Checked the lows by hand.", ""},
		{"approve ignores a reason code", models.DecisionApproved, "nonsense", "", ""},
		{"approve with an overlong note", models.DecisionApproved, "", long, "reason_text"},
		{"reject with a standard reason", models.DecisionRejected, "price-above-maximum", "", ""},
		{"reject with a reason and text", models.DecisionRejected, "stock-insufficient", "Only 3 left.", ""},
		{"reject without a reason", models.DecisionRejected, "", "Too expensive", "reason_code"},
		{"reject with an unknown reason", models.DecisionRejected, "because", "", "reason_code"},
		{"other without text", models.DecisionRejected, models.ReasonOther, "", "reason_text"},
		{"other with blank text", models.DecisionRejected, models.ReasonOther, "   \n ", "reason_text"},
		{"other with text", models.DecisionRejected, models.ReasonOther, "Brand not authorised.", ""},
		{"reject with overlong text", models.DecisionRejected, "incomplete", long, "reason_text"},
		{"text of exactly the maximum", models.DecisionRejected, "incomplete", strings.Repeat("a", models.MaxReasonLength), ""},
		{"no decision", "", "", "", "decision"},
		{"unknown decision", "maybe", "", "", "decision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := models.CheckDecision(tt.decision, tt.code, tt.text)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("err = %v, want valid", err)
				}
				return
			}
			var invalid *models.ValidationError
			if !errors.As(err, &invalid) || invalid.Fields[tt.wantField] == "" {
				t.Fatalf("err = %v, want a message for %q", err, tt.wantField)
			}
		})
	}
}

func TestDecisionReasonText(t *testing.T) {
	t.Parallel()
	tests := []struct{ code, text, want string }{
		{"price-above-maximum", "", "Campaign price above the maximum allowed"},
		{"price-above-maximum", "  The 60-day low is $15.00.  ", "Campaign price above the maximum allowed: The 60-day low is $15.00."},
		{models.ReasonOther, "Brand not authorised.", "Brand not authorised."},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := models.DecisionReasonText(tt.code, tt.text); got != tt.want {
			t.Errorf("DecisionReasonText(%q, %q) = %q, want %q", tt.code, tt.text, got, tt.want)
		}
	}
	for _, r := range models.RejectReasons {
		if label, ok := models.RejectReasonLabel(r.Code); !ok || label != r.Label || label == "" {
			t.Errorf("reason %q has no label", r.Code)
		}
	}
}

func TestReviewDueAtAndOverdue(t *testing.T) {
	t.Parallel()
	wed := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	due := models.ReviewDueAt(wed)
	if want := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC); !due.Equal(want) {
		t.Fatalf("due = %s, want %s (5 business days, weekend skipped)", due, want)
	}
	tests := []struct {
		now  time.Time
		want bool
	}{
		{due.Add(-time.Second), false},
		{due, false}, // the due moment itself is on time
		{due.Add(time.Second), true},
	}
	for _, tt := range tests {
		if got := models.ReviewOverdue(due, tt.now); got != tt.want {
			t.Errorf("overdue at %s = %v, want %v", tt.now, got, tt.want)
		}
	}
	soon := []struct {
		now  time.Time
		want bool
	}{
		{due.Add(-25 * time.Hour), false},
		{due.Add(-23 * time.Hour), true},
		{due, true},
		{due.Add(time.Minute), false}, // overdue, not "soon"
	}
	for _, tt := range soon {
		if got := models.ReviewDueSoon(due, tt.now); got != tt.want {
			t.Errorf("due soon at %s = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestLiveMaxPrice(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	lowAt := now.Add(-72 * time.Hour)
	featured := models.TierRule{Tier: models.TierFeatured, MaxPricePct: decimal.NewFromInt(85), RecommendedPct: decimal.NewFromInt(80), MinStock: 10}
	regular := models.TierRule{Tier: models.TierRegular, MaxPricePct: decimal.NewFromInt(100), RecommendedPct: decimal.NewFromInt(95), MinStock: 3}
	d := decimal.RequireFromString
	price := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(d(s)) }
	tests := []struct {
		name      string
		rule      models.TierRule
		low       models.LookbackLow
		retail    string
		price     decimal.NullDecimal
		wantLow   string
		wantAt    time.Time
		wantMax   string
		wantAbove bool
	}{
		{"regular at the low passes", regular, models.LookbackLow{Price: d("15.00"), At: lowAt}, "20.00", price("15.00"), "15.00", lowAt, "15.00", false},
		{"regular a cent above fails", regular, models.LookbackLow{Price: d("15.00"), At: lowAt}, "20.00", price("15.01"), "15.00", lowAt, "15.00", true},
		{"featured rounds the maximum down", featured, models.LookbackLow{Price: d("19.99"), At: lowAt}, "25.00", price("16.99"), "19.99", lowAt, "16.99", false},
		{"featured above", featured, models.LookbackLow{Price: d("19.99"), At: lowAt}, "25.00", price("17.00"), "19.99", lowAt, "16.99", true},
		{"no history falls back to retail now", regular, models.LookbackLow{}, "12.50", price("12.50"), "12.50", now, "12.50", false},
		{"no price entered is not above", regular, models.LookbackLow{Price: d("10.00"), At: lowAt}, "10.00", decimal.NullDecimal{}, "10.00", lowAt, "10.00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := models.LiveMaxPrice(tt.rule, tt.low, d(tt.retail), now)
			if l.Low.StringFixed(2) != tt.wantLow || !l.LowAt.Equal(tt.wantAt) || l.Max.StringFixed(2) != tt.wantMax {
				t.Errorf("limit = low %s at %s, max %s; want %s at %s, max %s", l.Low.StringFixed(2), l.LowAt, l.Max.StringFixed(2),
					tt.wantLow, tt.wantAt, tt.wantMax)
			}
			if got := l.AboveMax(tt.price); got != tt.wantAbove {
				t.Errorf("above = %v, want %v", got, tt.wantAbove)
			}
		})
	}
}

// reviewWorld is a campaign that needs review, a shop and two reviewers.
type reviewWorld struct {
	db        *gorm.DB
	store     *models.Store
	shop      models.Shop
	campaign  models.Campaign
	reviewer  models.User
	reviewer2 models.User
}

func newReviewWorld(t *testing.T) *reviewWorld {
	t.Helper()
	db := modeltest.NewDB(t)
	w := &reviewWorld{db: db, store: models.NewStore(db)}
	w.shop = modeltest.Shop(t, db, "Maple & Co", "4.6", "25")
	w.campaign = modeltest.Campaign(t, db, modeltest.OpenCampaign("Black Friday"))
	if !w.campaign.ReviewRequired {
		t.Fatal("fixture campaign does not need review")
	}
	w.reviewer = modeltest.User(t, db, "riley@x.test", models.RoleReviewer, 0)
	w.reviewer2 = modeltest.User(t, db, "sam@x.test", models.RoleReviewer, 0)
	return w
}

// submit registers a new product of the shop with one SKU per price (retail
// 20.00, the lookback low) and submits it; the registration is pending.
func (w *reviewWorld) submit(t *testing.T, shop models.Shop, prices ...string) (models.Registration, []models.SKU) {
	t.Helper()
	retail := make([]string, len(prices))
	for i := range retail {
		retail[i] = "20.00"
	}
	p, skus := modeltest.Product(t, w.db, shop.ID, fmt.Sprintf("Product %d", time.Now().UnixNano()), retail...)
	now := time.Now()
	reg, _, err := w.store.OpenDraft(bg, shop, w.campaign.ID, now)
	if err != nil {
		t.Fatalf("open draft: %v", err)
	}
	stock := 5
	var items []models.DraftItem
	for i, sk := range skus {
		items = append(items, models.DraftItem{ProductID: p.ID, SKUID: sk.ID, Price: decimal.NewNullDecimal(decimal.RequireFromString(prices[i])), Stock: &stock})
	}
	if _, err := w.store.AddToDraft(bg, shop.ID, reg.ID, items, models.SourcePick, now); err != nil {
		t.Fatalf("add to draft: %v", err)
	}
	res, err := w.store.SubmitDraft(bg, shop, reg.ID, true, fmt.Sprintf("key-%d", time.Now().UnixNano()), now)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if res.Registration.Status != models.RegistrationPending {
		t.Fatalf("submitted registration is %s, want pending", res.Registration.Status)
	}
	return res.Registration, skus
}

func (w *reviewWorld) statuses(t *testing.T, regID int64) (models.RegistrationStatus, []string) {
	t.Helper()
	var reg models.Registration
	if err := w.db.Where("id = ?", regID).Take(&reg).Error; err != nil {
		t.Fatal(err)
	}
	var products []string
	if err := w.db.Table("registration_products").Where("registration_id = ?", regID).Order("id").Pluck("status", &products).Error; err != nil {
		t.Fatal(err)
	}
	return reg.Status, products
}

func TestApproveRegistersThePendingProducts(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, _ := w.submit(t, w.shop, "19.00", "20.00")

	queue, err := w.store.ReviewQueue(bg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 {
		t.Fatalf("queue has %d rows, want 1", len(queue))
	}
	q := queue[0]
	if q.RegistrationID != reg.ID || q.ShopName != "Maple & Co" || q.CampaignName != "Black Friday" || q.Products != 1 || q.SKUs != 2 ||
		q.AboveMax != 0 || q.Overdue || !q.DueAt.Equal(models.ReviewDueAt(q.SubmittedAt)) {
		t.Fatalf("queue row = %+v", q)
	}

	now := time.Now()
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionApproved, "", "  Looks fine. ", now); err != nil {
		t.Fatalf("approve: %v", err)
	}
	status, products := w.statuses(t, reg.ID)
	if status != models.RegistrationRegistered || strings.Join(products, ",") != "registered" {
		t.Fatalf("after approval: %s with products %v", status, products)
	}
	d, err := w.store.ReviewRegistration(bg, reg.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.Registration.DecidedBy == nil || *d.Registration.DecidedBy != w.reviewer.ID || d.Registration.DecidedAt == nil ||
		d.DecidedByName != w.reviewer.DisplayName || d.Registration.DecisionReason != "" {
		t.Errorf("decision not recorded on the registration: %+v", d.Registration)
	}
	if len(d.History) != 1 || d.History[0].Decision != models.DecisionApproved || d.History[0].ReasonText != "Looks fine." ||
		d.History[0].ReasonCode != "" || d.History[0].ReviewerName != w.reviewer.DisplayName {
		t.Errorf("audit = %+v", d.History)
	}
	if queue, _ := w.store.ReviewQueue(bg, time.Now()); len(queue) != 0 {
		t.Errorf("the approved registration is still queued: %+v", queue)
	}
	// A second decision is refused with who decided and when.
	err = w.store.DecideRegistration(bg, w.reviewer2.ID, reg.ID, models.DecisionRejected, "incomplete", "", time.Now())
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "Already decided by "+w.reviewer.DisplayName) {
		t.Fatalf("deciding again: err = %v, want a conflict naming the reviewer", err)
	}
}

func TestRejectNeedsAReasonAndSellersSeeIt(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, _ := w.submit(t, w.shop, "19.00")

	err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionRejected, "", "Too expensive", time.Now())
	var invalid *models.ValidationError
	if !errors.As(err, &invalid) || invalid.Fields["reason_code"] == "" {
		t.Fatalf("reject without a reason: err = %v, want a reason_code message", err)
	}
	err = w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionRejected, models.ReasonOther, " ", time.Now())
	if !errors.As(err, &invalid) || invalid.Fields["reason_text"] == "" {
		t.Fatalf("reject as other without text: err = %v, want a reason_text message", err)
	}
	if status, _ := w.statuses(t, reg.ID); status != models.RegistrationPending {
		t.Fatalf("an invalid decision changed the registration to %s", status)
	}

	if err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionRejected, "price-above-maximum",
		"Your 60-day low is lower.", time.Now()); err != nil {
		t.Fatalf("reject: %v", err)
	}
	status, products := w.statuses(t, reg.ID)
	if status != models.RegistrationRejected || strings.Join(products, ",") != "rejected" {
		t.Fatalf("after rejection: %s with products %v", status, products)
	}
	want := "Campaign price above the maximum allowed: Your 60-day low is lower."
	seen, _, err := w.store.ShopRegistration(bg, w.shop.ID, reg.ID)
	if err != nil || seen.DecisionReason != want {
		t.Fatalf("seller reads %q (%v), want %q", seen.DecisionReason, err, want)
	}
	var productReason string
	w.db.Raw(`SELECT decision_reason FROM registration_products WHERE registration_id = ?`, reg.ID).Scan(&productReason)
	if productReason != want {
		t.Errorf("product reason = %q, want %q", productReason, want)
	}
	var audit struct{ Decision, ReasonCode, ReasonText string }
	w.db.Raw(`SELECT decision, reason_code, reason_text FROM review_decisions WHERE registration_id = ?`, reg.ID).Scan(&audit)
	if audit.Decision != "rejected" || audit.ReasonCode != "price-above-maximum" || audit.ReasonText != "Your 60-day low is lower." {
		t.Errorf("audit = %+v", audit)
	}
}

func TestOnlyReviewersDecideAndDraftsAreNotReviewed(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, _ := w.submit(t, w.shop, "19.00")
	manager := modeltest.User(t, w.db, "boss@x.test", models.RoleManager, 0)
	if err := w.store.DecideRegistration(bg, manager.ID, reg.ID, models.DecisionApproved, "", "", time.Now()); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a manager's decision: err = %v, want forbidden", err)
	}
	other := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	draft, _, err := w.store.OpenDraft(bg, other, w.campaign.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, draft.ID, models.DecisionApproved, "", "", time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("deciding a draft: err = %v, want not found", err)
	}
	if _, err := w.store.ReviewRegistration(bg, draft.ID, time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("reviewing a draft: err = %v, want not found", err)
	}
}

func TestConcurrentDecisionsOneWins(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	for round := 0; round < 5; round++ {
		shop := modeltest.Shop(t, w.db, fmt.Sprintf("Shop %d", round), "4.0", "20")
		reg, _ := w.submit(t, shop, "19.00")
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
				errs[i] = w.store.DecideRegistration(bg, who[i].ID, reg.ID, decisions[i], "stock-insufficient", "", time.Now())
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
		var audits int64
		w.db.Table("review_decisions").Where("registration_id = ?", reg.ID).Count(&audits)
		if audits != 1 {
			t.Fatalf("round %d: %d audit rows, want 1", round, audits)
		}
	}
}

func TestBulkApproveSkipsDecidedOnes(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	north := modeltest.Shop(t, w.db, "Northwind", "4.0", "20")
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	a, _ := w.submit(t, w.shop, "19.00")
	b, _ := w.submit(t, north, "18.00", "20.00")
	c, _ := w.submit(t, fresh, "10.00")
	if err := w.store.DecideRegistration(bg, w.reviewer2.ID, b.ID, models.DecisionRejected, "incomplete", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.store.BulkApprove(bg, w.reviewer.ID, nil, time.Now()); err == nil {
		t.Error("an empty selection was accepted")
	}
	approved, skipped, err := w.store.BulkApprove(bg, w.reviewer.ID, []int64{c.ID, a.ID, b.ID, a.ID, 999999}, time.Now())
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
	for _, id := range []int64{a.ID, c.ID} {
		if status, products := w.statuses(t, id); status != models.RegistrationRegistered || strings.Join(products, ",") != "registered" {
			t.Errorf("registration %d: %s with %v after bulk approval", id, status, products)
		}
	}
	if status, _ := w.statuses(t, b.ID); status != models.RegistrationRejected {
		t.Errorf("the rejected registration became %s", status)
	}
	var bulk int64
	w.db.Table("review_decisions").Where("reviewer_id = ? AND decision = 'approved' AND bulk", w.reviewer.ID).Count(&bulk)
	if bulk != 2 {
		t.Errorf("%d bulk approvals audited, want 2", bulk)
	}
}

func TestQueueFlagsPricesAboveTheLiveMaximum(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, skus := w.submit(t, w.shop, "19.00", "14.00")
	// After submitting, the seller lowers the first SKU to 15.00: its
	// 60-day low is now 15.00, so 19.00 is above the Regular maximum.
	now := time.Now().UTC().Truncate(time.Second)
	cut := now.Add(-time.Hour)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE price_history SET valid_to = ? WHERE sku_id = ? AND valid_to IS NULL`, []any{cut, skus[0].ID}},
		{`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 15.00, ?)`, []any{skus[0].ID, cut}},
		{`UPDATE skus SET retail_price = 15.00 WHERE id = ?`, []any{skus[0].ID}},
	} {
		if err := w.db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	queue, err := w.store.ReviewQueue(bg, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].AboveMax != 1 || queue[0].SKUs != 2 {
		t.Fatalf("queue = %+v, want 1 of 2 SKUs above the maximum", queue)
	}
	d, err := w.store.ReviewRegistration(bg, reg.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Products) != 1 || len(d.Products[0].SKUs) != 2 || d.AboveMax != 1 || d.PendingSKUs != 2 {
		t.Fatalf("detail = %+v", d)
	}
	first, second := d.Products[0].SKUs[0], d.Products[0].SKUs[1]
	if first.SKUID != skus[0].ID || !first.AboveLiveMax || first.Live.Low.StringFixed(2) != "15.00" || !first.Live.LowAt.Equal(now) ||
		first.Live.Max.StringFixed(2) != "15.00" || first.MaxAtSubmit.StringFixed(2) != "20.00" {
		t.Errorf("lowered SKU = %+v", first)
	}
	if second.AboveLiveMax || second.Live.Max.StringFixed(2) != "20.00" {
		t.Errorf("unchanged SKU = %+v", second)
	}
	// The reviewer may still approve: the price met the rule when submitted.
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionApproved, "", "", now); err != nil {
		t.Fatalf("approving a flagged registration: %v", err)
	}
}

func TestQueueOldestDueFirstAndOverdue(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	north := modeltest.Shop(t, w.db, "Northwind", "4.0", "20")
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	recent, _ := w.submit(t, w.shop, "19.00")
	old, _ := w.submit(t, north, "19.00")
	middle, _ := w.submit(t, fresh, "19.00")
	now := time.Now().UTC()
	w.db.Exec(`UPDATE registrations SET submitted_at = ? WHERE id = ?`, now.AddDate(0, 0, -8), old.ID)
	// Three days back, not one: a weekend submission is due on the same
	// Friday as one made the next day, so "yesterday" ties on Sundays.
	w.db.Exec(`UPDATE registrations SET submitted_at = ? WHERE id = ?`, now.AddDate(0, 0, -3), middle.ID)
	w.db.Exec(`UPDATE registrations SET submitted_at = ? WHERE id = ?`, now, recent.ID)
	queue, err := w.store.ReviewQueue(bg, now)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, q := range queue {
		order = append(order, q.RegistrationID)
	}
	if fmt.Sprint(order) != fmt.Sprint([]int64{old.ID, middle.ID, recent.ID}) {
		t.Fatalf("order = %v, want %v", order, []int64{old.ID, middle.ID, recent.ID})
	}
	// Eight calendar days hold at least five business days.
	if !queue[0].Overdue || queue[1].Overdue || queue[2].Overdue {
		t.Errorf("overdue flags = %v %v %v, want true false false", queue[0].Overdue, queue[1].Overdue, queue[2].Overdue)
	}
}

func TestRejectingALaterBatchKeepsEarlierProductsRegistered(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, _ := w.submit(t, w.shop, "19.00")
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	again, _ := w.submit(t, w.shop, "18.00") // a second product into the same registration
	if again.ID != reg.ID {
		t.Fatalf("second submit made registration %d, want %d", again.ID, reg.ID)
	}
	if err := w.store.DecideRegistration(bg, w.reviewer.ID, reg.ID, models.DecisionRejected, "product-not-eligible", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	status, products := w.statuses(t, reg.ID)
	if status != models.RegistrationRegistered || strings.Join(products, ",") != "registered,rejected" {
		t.Fatalf("after rejecting the second batch: %s with %v", status, products)
	}
}
