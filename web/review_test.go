package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// submitForReview registers a new product of the shop in the world's open
// (co-funded, so reviewed) campaign and submits it: the registration is
// pending. Each price is for one SKU whose retail price and lookback low is
// 20.00.
func submitForReview(t *testing.T, w *world, shop models.Shop, prices ...string) models.Registration {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(w.db)
	retail := make([]string, len(prices))
	for i := range retail {
		retail[i] = "20.00"
	}
	p, skus := modeltest.Product(t, w.db, shop.ID, "Review product", retail...)
	now := time.Now()
	reg, _, err := store.OpenDraft(ctx, shop, w.open.ID, now)
	if err != nil {
		t.Fatalf("open draft: %v", err)
	}
	stock := 5
	var items []models.DraftItem
	for i, sk := range skus {
		items = append(items, models.DraftItem{ProductID: p.ID, SKUID: sk.ID, Price: decimal.NewNullDecimal(decimal.RequireFromString(prices[i])), Stock: &stock})
	}
	if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, now); err != nil {
		t.Fatalf("add to draft: %v", err)
	}
	res, err := store.SubmitDraft(ctx, shop, reg.ID, true, fmt.Sprintf("submit-%d", time.Now().UnixNano()), now)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if res.Registration.Status != models.RegistrationPending {
		t.Fatalf("submitted registration is %s, want pending", res.Registration.Status)
	}
	return res.Registration
}

func statusOfRegistration(t *testing.T, w *world, id int64) models.RegistrationStatus {
	t.Helper()
	var s models.RegistrationStatus
	if err := w.db.Raw(`SELECT status FROM registrations WHERE id = ?`, id).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func decisionPath(id int64) string { return fmt.Sprintf("/review/registrations/%d/decision", id) }

func TestReviewQueueOldestDueFirstWithOverdueFlagged(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	recent := submitForReview(t, w, w.maple, "19.00", "20.00")
	old := submitForReview(t, w, fresh, "18.00")
	if err := w.db.Exec(`UPDATE registrations SET submitted_at = now() - interval '8 days' WHERE id = ?`, old.ID).Error; err != nil {
		t.Fatal(err)
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.get("/review")
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	rows := doc.Find(testid("queue-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d queue rows, want 2", rows.Length())
	}
	first, second := rows.Eq(0), rows.Eq(1)
	if id, _ := first.Attr("data-reg-id"); id != fmt.Sprint(old.ID) {
		t.Errorf("first row is registration %s, want the oldest %d", id, old.ID)
	}
	if !strings.Contains(first.Find(testid("queue-shop")).Text(), "Fresh Start") || first.Find(testid("overdue")).Length() != 1 {
		t.Errorf("the 8-day-old registration is not flagged overdue: %q", first.Text())
	}
	if !strings.Contains(second.Text(), "Maple & Co") || second.Find(testid("overdue")).Length() != 0 {
		t.Errorf("the new registration: %q", second.Text())
	}
	if id, _ := second.Find(`input[name="reg_id"]`).Attr("value"); id != fmt.Sprint(recent.ID) {
		t.Errorf("bulk checkbox value = %q, want %d", id, recent.ID)
	}
	if got := doc.Find(testid("overdue-count")).Text(); got != "1" {
		t.Errorf("overdue count = %q, want 1", got)
	}
	if doc.Find(testid("bulk-form")).Find(`input[name="_csrf"]`).Length() != 1 {
		t.Error("the bulk form carries no CSRF token")
	}
}

func TestReviewPagesAreForReviewersOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	seller, manager := w.browser(), w.browser()
	seller.signIn("seller@x.test")
	manager.signIn("manager@x.test")
	for _, who := range []*browser{seller, manager} {
		for _, c := range []struct {
			method, path string
		}{
			{http.MethodGet, "/review"},
			{http.MethodGet, fmt.Sprintf("/review/registrations/%d", reg.ID)},
			{http.MethodPost, decisionPath(reg.ID)},
			{http.MethodPost, "/review/bulk-approve"},
			{http.MethodPost, "/review/bulk-decide"},
			{http.MethodGet, "/review/decided"},
			{http.MethodGet, "/review/decided?shop=Maple"},
			{http.MethodGet, "/review?flag=overdue"},
			{http.MethodGet, "/review/price-edits"},
		} {
			var rec = who.get(c.path)
			if c.method == http.MethodPost {
				rec = who.post(c.path, url.Values{"decision": {"approved"}, "reg_id": {fmt.Sprint(reg.ID)}})
			}
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", c.method, c.path, rec.Code)
			}
		}
	}
	if s := statusOfRegistration(t, w, reg.ID); s != models.RegistrationPending {
		t.Fatalf("registration became %s through a forbidden request", s)
	}
}

func TestReviewDecisionNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	for _, form := range []url.Values{
		{"decision": {"approved"}},
		{"decision": {"approved"}, "_csrf": {"forged"}},
	} {
		rec := rev.do(http.MethodPost, decisionPath(reg.ID), form)
		if rec.Code != http.StatusForbidden && rec.Code != http.StatusBadRequest {
			t.Errorf("POST with %v: status %d, want it refused", form, rec.Code)
		}
	}
	rec := rev.do(http.MethodPost, "/review/bulk-approve", url.Values{"reg_id": {fmt.Sprint(reg.ID)}})
	if rec.Code != http.StatusForbidden && rec.Code != http.StatusBadRequest {
		t.Errorf("bulk approve without a token: status %d, want it refused", rec.Code)
	}
	if s := statusOfRegistration(t, w, reg.ID); s != models.RegistrationPending {
		t.Fatalf("registration became %s without a CSRF token", s)
	}
}

// pendingProductIDs are the registration's products under review, in id order.
func pendingProductIDs(t *testing.T, w *world, regID int64) []int64 {
	t.Helper()
	var ids []int64
	if err := w.db.Raw(`SELECT id FROM registration_products WHERE registration_id = ? AND status = 'pending' ORDER BY id`, regID).
		Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

// decideForm is the review page's form: each product with its choice
// ("approved", "rejected" or "" for none) and, for rejections, code and text.
func decideForm(choices map[int64][3]string) url.Values {
	f := url.Values{}
	for id, c := range choices {
		f.Add("product", fmt.Sprint(id))
		f.Set(fmt.Sprintf("decision_%d", id), c[0])
		f.Set(fmt.Sprintf("reason_code_%d", id), c[1])
		f.Set(fmt.Sprintf("reason_text_%d", id), c[2])
	}
	return f
}

func TestRejectWithoutAReasonComesBackWith422(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	id := pendingProductIDs(t, w, reg.ID)[0]
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if doc.Find(testid("decide-form")).Find(`input[name="_csrf"]`).Length() != 1 {
		t.Fatal("the decision form carries no CSRF token")
	}
	rec := rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"rejected", "", "Too pricey"}}))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc = parse(t, rec)
	if msg := doc.Find(testid("error-reason_code")).Text(); !strings.Contains(msg, "Choose a reason") {
		t.Errorf("reason message = %q", msg)
	}
	sel := doc.Find(fmt.Sprintf(`select[name="reason_code_%d"]`, id))
	if v, _ := sel.Attr("aria-invalid"); v != "true" {
		t.Error("the reason select is not marked invalid")
	}
	if v, _ := sel.Attr("aria-describedby"); v != fmt.Sprintf("reason_code_%d-error", id) {
		t.Errorf("aria-describedby = %q", v)
	}
	if got := doc.Find(fmt.Sprintf(`textarea#reason_text_%d`, id)).Text(); got != "Too pricey" {
		t.Errorf("the reviewer's text was lost: %q", got)
	}
	if _, checked := doc.Find(testid("choose-reject")).Attr("checked"); !checked {
		t.Error("the reviewer's choice was lost")
	}
	// "Other" needs words.
	rec = rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"rejected", "other", ""}}))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("error-reason_text")).Length() != 1 {
		t.Error("no message for the missing text of \"Other reason\"")
	}
	// Nothing chosen at all.
	rec = rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"", "", ""}}))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if s := statusOfRegistration(t, w, reg.ID); s != models.RegistrationPending {
		t.Fatalf("an invalid rejection changed the registration to %s", s)
	}
}

func TestApprovedRegistrationShowsRegisteredToTheSeller(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00", "20.00")
	id := pendingProductIDs(t, w, reg.ID)[0]
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if n := doc.Find(testid("sku-row")).Length(); n != 2 {
		t.Errorf("%d SKU rows, want 2", n)
	}
	if doc.Find(testid("sku-above-max")).Length() != 0 {
		t.Error("a SKU at or below its maximum is flagged")
	}

	form := decideForm(map[int64][3]string{id: {"approved", "", ""}})
	form.Set("note", "Fine.")
	rec := rev.post(decisionPath(reg.ID), form)
	wantStatus(t, rec, http.StatusSeeOther)
	next := rec.Header().Get("Location")
	if !strings.HasPrefix(next, "/review?") {
		t.Fatalf("approve redirected to %q", next)
	}
	doc = parse(t, rev.get(next))
	if !strings.Contains(doc.Find(testid("review-notice")).Text(), "approved") || doc.Find(testid("queue-row")).Length() != 0 {
		t.Errorf("queue after approval: notice %q, %d rows", doc.Find(testid("review-notice")).Text(), doc.Find(testid("queue-row")).Length())
	}

	seller := w.browser()
	seller.signIn("seller@x.test")
	doc = parse(t, seller.get(fmt.Sprintf("/registrations/%d", reg.ID)))
	if got := doc.Find(testid("registration-status")).Text(); got != "Registered" {
		t.Errorf("seller sees status %q, want Registered", got)
	}
}

func TestRejectedRegistrationShowsTheReasonToTheSeller(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	id := pendingProductIDs(t, w, reg.ID)[0]
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"rejected", "stock-insufficient",
		"Keep at least 10 units for the campaign."}}))
	wantStatus(t, rec, http.StatusSeeOther)

	seller := w.browser()
	seller.signIn("seller@x.test")
	doc := parse(t, seller.get(fmt.Sprintf("/registrations/%d", reg.ID)))
	if got := doc.Find(testid("registration-status")).Text(); got != "Rejected" {
		t.Errorf("seller sees status %q, want Rejected", got)
	}
	want := "Not enough stock for the campaign: Keep at least 10 units for the campaign."
	if got := strings.TrimSpace(doc.Find(testid("decision-reason")).Text()); got != want {
		t.Errorf("seller reads %q, want %q", got, want)
	}

	// The reviewer's page now shows the decision and its audit entry, and no form.
	doc = parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if doc.Find(testid("decide-form")).Length() != 0 {
		t.Error("a decided registration still offers the decision form")
	}
	if got := doc.Find(testid("decisions-entry")).Text(); !strings.Contains(got, "Rejected: Not enough stock") {
		t.Errorf("decision history = %q", got)
	}
}

func TestPartlyRegisteredShowsEachDecisionToTheSeller(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	submitForReview(t, w, w.maple, "19.00")
	reg := submitForReview(t, w, w.maple, "18.00")
	ids := pendingProductIDs(t, w, reg.ID)
	if len(ids) != 2 {
		t.Fatalf("%d pending products, want 2", len(ids))
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if n := doc.Find(testid("decide-product")).Length(); n != 2 {
		t.Fatalf("%d products to decide, want 2", n)
	}
	rec := rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{
		ids[0]: {"approved", "", ""}, ids[1]: {"rejected", "price-above-maximum", "Your low is lower."}}))
	wantStatus(t, rec, http.StatusSeeOther)

	seller := w.browser()
	seller.signIn("seller@x.test")
	doc = parse(t, seller.get(fmt.Sprintf("/registrations/%d", reg.ID)))
	if got := doc.Find(testid("registration-status")).Text(); got != "Partly registered" {
		t.Errorf("seller sees status %q, want Partly registered", got)
	}
	page := doc.Text()
	if !strings.Contains(page, "Campaign price above the maximum allowed: Your low is lower.") {
		t.Error("the seller does not read the rejected product's reason")
	}
	// The reviewer's page: nothing left to decide, both products apart.
	doc = parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if doc.Find(testid("decide-form")).Length() != 0 || doc.Find(testid("other-products")).Length() != 1 {
		t.Error("a decided registration still offers the decision form, or hides its products")
	}
	if got := doc.Find(testid("review-status")).Text(); got != "Partly registered" {
		t.Errorf("reviewer sees status %q", got)
	}
}

func TestSecondDecisionIsAConflict(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	id := pendingProductIDs(t, w, reg.ID)[0]
	other := modeltest.User(t, w.db, "sam@x.test", models.RoleReviewer, 0)
	if err := models.NewStore(w.db).DecideRegistration(context.Background(), other.ID, reg.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"rejected", "incomplete", ""}}))
	wantStatus(t, rec, http.StatusConflict)
	if msg := parse(t, rec).Find(testid("decision-conflict")).Text(); !strings.Contains(msg, "already decided by "+other.DisplayName) {
		t.Errorf("conflict message = %q", msg)
	}
	if s := statusOfRegistration(t, w, reg.ID); s != models.RegistrationRegistered {
		t.Errorf("the first decision was overwritten: %s", s)
	}
}

func TestBulkApproveFromTheQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	a := submitForReview(t, w, w.maple, "19.00")
	b := submitForReview(t, w, fresh, "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")

	rec := rev.post("/review/bulk-approve", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("error-reg_id")).Length() != 1 {
		t.Error("approving nothing gives no message")
	}

	rec = rev.post("/review/bulk-approve", url.Values{"reg_id": {fmt.Sprint(a.ID)}})
	wantStatus(t, rec, http.StatusSeeOther)
	// a is decided now: approving a and b approves b and says a was skipped.
	rec = rev.post("/review/bulk-approve", url.Values{"reg_id": {fmt.Sprint(a.ID), fmt.Sprint(b.ID)}})
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	if got := doc.Find(testid("bulk-skipped")).Text(); !strings.Contains(got, "Maple & Co") || !strings.Contains(got, "Already decided by") {
		t.Errorf("skipped list = %q", got)
	}
	if got := doc.Find(testid("review-notice")).Text(); got != "1 registration approved." {
		t.Errorf("notice = %q", got)
	}
	for _, id := range []int64{a.ID, b.ID} {
		if s := statusOfRegistration(t, w, id); s != models.RegistrationRegistered {
			t.Errorf("registration %d is %s after bulk approval", id, s)
		}
	}
}

func TestReviewPageFlagsPricesAboveTheLiveMaximum(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	var skuID int64
	w.db.Raw(`SELECT sku_id FROM registration_skus WHERE registration_id = ?`, reg.ID).Scan(&skuID)
	// The seller lowers the price to 15.00 after submitting.
	for _, q := range []string{
		`UPDATE price_history SET valid_to = now() - interval '1 hour' WHERE sku_id = ? AND valid_to IS NULL`,
		`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 15.00, now() - interval '1 hour')`,
	} {
		if err := w.db.Exec(q, skuID).Error; err != nil {
			t.Fatal(err)
		}
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get("/review"))
	if doc.Find(testid("queue-row")).Find(testid("above-max")).Length() != 1 {
		t.Error("the queue does not flag the registration")
	}
	doc = parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	row := doc.Find(testid("sku-row"))
	if v, _ := row.Attr("data-above"); v != "true" || row.Find(testid("sku-above-max")).Length() != 1 {
		t.Errorf("the SKU above its live maximum is not flagged: %q", row.Text())
	}
	if !strings.Contains(row.Text(), "$15.00") {
		t.Errorf("the live low and maximum are not shown: %q", row.Text())
	}
}

// queueIDs are the registration ids the queue page lists, in order.
func queueIDs(t *testing.T, b *browser, path string) []string {
	t.Helper()
	rec := b.get(path)
	wantStatus(t, rec, http.StatusOK)
	var ids []string
	parse(t, rec).Find(testid("queue-row")).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-reg-id")
		ids = append(ids, id)
	})
	return ids
}

func TestReviewQueueFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	maple := submitForReview(t, w, w.maple, "19.00")
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	late := submitForReview(t, w, fresh, "18.00")
	acme := modeltest.Shop(t, w.db, "Acme Outlet", "4.0", "20")
	flagged := submitForReview(t, w, acme, "17.00")
	for _, sql := range []string{
		fmt.Sprintf(`UPDATE registrations SET submitted_at = now() - interval '10 days' WHERE id = %d`, late.ID),
		fmt.Sprintf(`UPDATE registrations SET above_max_skus = 2, price_checked_at = now() WHERE id = %d`, flagged.ID),
	} {
		if err := w.db.Exec(sql).Error; err != nil {
			t.Fatal(err)
		}
	}
	id := func(r models.Registration) string { return fmt.Sprint(r.ID) }
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	tests := []struct {
		path string
		want []string
	}{
		{"/review", []string{id(late), id(maple), id(flagged)}},
		{"/review?flag=overdue", []string{id(late)}},
		{"/review?flag=due-today", nil},
		{"/review?flag=above-max", []string{id(flagged)}},
		{"/review?flag=co-funded", []string{id(late), id(maple), id(flagged)}},
		{"/review?flag=first-time", []string{id(late), id(flagged)}}, // Maple registered before
		{"/review?shop=fresh", []string{id(late)}},
		{fmt.Sprintf("/review?campaign=%d&sort=shop", w.open.ID), []string{id(flagged), id(late), id(maple)}},
		{"/review?flag=nonsense&sort=nonsense&page=x", []string{id(late), id(maple), id(flagged)}},
		{"/review?page=5", nil},
	}
	for _, tt := range tests {
		if got := queueIDs(t, rev, tt.path); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s lists %v, want %v", tt.path, got, tt.want)
		}
	}
	// Counts per filter, under the shop filter.
	doc := parse(t, rev.get("/review?shop=e"))
	counts := map[string]string{}
	doc.Find(`[data-testid^="chip-"]`).Each(func(_ int, s *goquery.Selection) {
		key, _ := s.Attr("data-testid")
		counts[key] = strings.TrimSpace(s.Find(testid("chip-count")).Text())
	})
	want := map[string]string{"chip-all": "3", "chip-overdue": "1", "chip-due-today": "0", "chip-above-max": "1", "chip-co-funded": "3", "chip-first-time": "2"}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s count = %q, want %q (all: %v)", k, counts[k], v, counts)
		}
	}
	// Select all of a filter, bulk reject with a reason: only that filter's registrations.
	rec := rev.post("/review/bulk-decide", url.Values{"scope": {"filter"}, "flag": {"first-time"}, "decision": {"rejected"},
		"reason_code": {"incomplete"}, "reason_text": {"Add photos."}})
	wantStatus(t, rec, http.StatusSeeOther)
	for r, want := range map[models.Registration]models.RegistrationStatus{late: models.RegistrationRejected, flagged: models.RegistrationRejected,
		maple: models.RegistrationPending} {
		if s := statusOfRegistration(t, w, r.ID); s != want {
			t.Errorf("registration %d is %s after the filter's bulk rejection, want %s", r.ID, s, want)
		}
	}
	// A bulk rejection needs a reason.
	rec = rev.post("/review/bulk-decide", url.Values{"reg_id": {id(maple)}, "decision": {"rejected"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	rec = rev.post("/review/bulk-decide", url.Values{"reg_id": {id(maple)}, "decision": {"approved"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if s := statusOfRegistration(t, w, maple.ID); s != models.RegistrationRegistered {
		t.Errorf("ticked approval left Maple %s", s)
	}
}

func TestDecidedListSearches(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	maple := submitForReview(t, w, w.maple, "19.00")
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	other := submitForReview(t, w, fresh, "18.00")
	store := models.NewStore(w.db)
	sam := modeltest.User(t, w.db, "sam@x.test", models.RoleReviewer, 0)
	sam.DisplayName = "Sam Ortiz"
	if err := w.db.Exec(`UPDATE users SET display_name = ? WHERE id = ?`, sam.DisplayName, sam.ID).Error; err != nil {
		t.Fatal(err)
	}
	var riley models.User
	if err := w.db.Where("email = ?", "reviewer@x.test").Take(&riley).Error; err != nil {
		t.Fatal(err)
	}
	if err := store.DecideRegistration(context.Background(), riley.ID, maple.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := store.DecideRegistration(context.Background(), sam.ID, other.ID, models.DecisionRejected, "incomplete", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	var pid string
	w.db.Raw(`SELECT p.pid FROM registration_products rp JOIN products p ON p.id = rp.product_id WHERE rp.registration_id = ?`, other.ID).Scan(&pid)
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	shops := func(path string) []string {
		t.Helper()
		rec := rev.get(path)
		wantStatus(t, rec, http.StatusOK)
		var out []string
		parse(t, rec).Find(testid("decided-row")).Each(func(_ int, s *goquery.Selection) {
			out = append(out, strings.TrimSpace(s.Find("td").Eq(1).Text()))
		})
		return out
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tests := []struct {
		path string
		want []string
	}{
		{"/review/decided", []string{"Fresh Start", "Maple & Co"}},
		{"/review/decided?shop=maple", []string{"Maple & Co"}},
		{"/review/decided?campaign=cyber", []string{"Fresh Start", "Maple & Co"}},
		{"/review/decided?campaign=summer", nil},
		{"/review/decided?pid=" + pid, []string{"Fresh Start"}},
		{"/review/decided?reviewer=" + url.QueryEscape(sam.DisplayName), []string{"Fresh Start"}},
		{"/review/decided?day=" + today, []string{"Fresh Start", "Maple & Co"}},
		{"/review/decided?day=2001-01-01", nil},
	}
	for _, tt := range tests {
		if got := shops(tt.path); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s lists %v, want %v", tt.path, got, tt.want)
		}
	}
	wantStatus(t, rev.get("/review/decided?day=yesterday"), http.StatusUnprocessableEntity)
}

func TestReviewPageShowsOnlyWhatIsBeingDecided(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first := submitForReview(t, w, w.maple, "19.00")
	riley := modeltest.User(t, w.db, "riley@x.test", models.RoleReviewer, 0)
	if err := models.NewStore(w.db).DecideRegistration(context.Background(), riley.ID, first.ID, models.DecisionRejected,
		"incomplete", "Add photos.", time.Now()); err != nil {
		t.Fatal(err)
	}
	reg := submitForReview(t, w, w.maple, "18.00") // a new batch of the same registration
	if reg.ID != first.ID {
		t.Fatalf("the new batch opened registration %d, want %d", reg.ID, first.ID)
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if doc.Find(testid("decision-reason")).Length() != 0 {
		t.Errorf("the earlier rejection shows in the new submission's summary: %q", doc.Find(testid("decision-reason")).Text())
	}
	if n := doc.Find(testid("decide-form")).Find(testid("decide-product")).Length(); n != 1 {
		t.Errorf("%d products to decide, want the new one only", n)
	}
	others := doc.Find(testid("other-products"))
	if others.Length() != 1 || others.Is("[open]") || !strings.Contains(others.Find(testid("product-status")).Text(), "Rejected") {
		t.Errorf("the earlier product is not listed apart and collapsed: %q", others.Text())
	}
	if got := doc.Find(testid("review-status")).Text(); got != "Under review" {
		t.Errorf("status = %q", got)
	}
}
