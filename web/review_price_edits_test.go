package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web/routes"
)

// priceEdit registers a new product of Maple (one SKU, retail and lookback
// low 20.00) at 19.00 in a campaign without co-funded coupons (no review
// needed, so the price can be edited at once), and asks for newPrice.
func priceEdit(t *testing.T, w *world, newPrice string) models.PriceEditRequest {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(w.db)
	var campaignID int64
	w.db.Raw(`SELECT id FROM campaigns WHERE name = 'Platform Week'`).Scan(&campaignID)
	if campaignID == 0 {
		spec := modeltest.OpenCampaign("Platform Week")
		spec.CoFunded = false
		campaignID = modeltest.Campaign(t, w.db, spec).ID
	}
	var sellerID int64
	w.db.Raw(`SELECT id FROM users WHERE email = 'seller@x.test'`).Scan(&sellerID)
	p, skus := modeltest.Product(t, w.db, w.maple.ID, "Edited product", "20.00")
	now := time.Now()
	reg, _, err := store.OpenDraft(ctx, w.maple, campaignID, now)
	if err != nil {
		t.Fatalf("open draft: %v", err)
	}
	stock := 5
	item := models.DraftItem{ProductID: p.ID, SKUID: skus[0].ID, Price: decimal.NewNullDecimal(decimal.RequireFromString("19.00")), Stock: &stock}
	if _, err := store.AddToDraft(ctx, w.maple.ID, reg.ID, []models.DraftItem{item}, models.SourcePick, now); err != nil {
		t.Fatalf("add to draft: %v", err)
	}
	if _, err := store.SubmitDraft(ctx, w.maple, reg.ID, true, fmt.Sprintf("edit-%d", time.Now().UnixNano()), now); err != nil {
		t.Fatalf("submit: %v", err)
	}
	var rsID int64
	w.db.Raw(`SELECT id FROM registration_skus WHERE registration_id = ? AND sku_id = ?`, reg.ID, skus[0].ID).Scan(&rsID)
	req, err := store.RequestPriceEdit(ctx, w.maple.ID, sellerID, reg.ID, rsID,
		models.PriceEditInput{NewPrice: decimal.RequireFromString(newPrice), ExpectedPrice: decimal.RequireFromString("19.00")}, now)
	if err != nil {
		t.Fatalf("request price edit: %v", err)
	}
	return req
}

func editDecisionPath(id int64) string { return fmt.Sprintf("/review/price-edits/%d/decision", id) }

func editStatus(t *testing.T, w *world, id int64) models.PriceEditStatus {
	t.Helper()
	var s models.PriceEditStatus
	if err := w.db.Raw(`SELECT status FROM price_edit_requests WHERE id = ?`, id).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPriceEditQueueOldestDueFirstWithTheLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	recent := priceEdit(t, w, "18.00")
	old := priceEdit(t, w, "17.50")
	if err := w.db.Exec(`UPDATE price_edit_requests SET submitted_at = now() - interval '10 days', due_at = now() - interval '2 days'
		WHERE id = ?`, old.ID).Error; err != nil {
		t.Fatal(err)
	}
	rev := w.browser()
	rev.signIn("reviewer@x.test")

	// The registrations tab links to the price edits, with their count.
	doc := parse(t, rev.get("/review"))
	tab := doc.Find(testid("review-tab-price-edits"))
	if href, _ := tab.Attr("href"); href != routes.ReviewPriceEdits || !strings.Contains(tab.Text(), "2") {
		t.Errorf("price edit tab = %q -> %q", tab.Text(), href)
	}
	if href, _ := doc.Find(`nav.sidenav a[href="/review/price-edits"]`).Attr("href"); href == "" {
		t.Error("the side navigation does not link to the price edits")
	}

	rec := rev.get("/review/price-edits")
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	if v, _ := doc.Find(testid("review-tab-price-edits")).Attr("aria-current"); v != "page" {
		t.Error("the price edit tab is not marked current")
	}
	rows := doc.Find(testid("price-edit-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d rows, want 2", rows.Length())
	}
	first, second := rows.Eq(0), rows.Eq(1)
	if id, _ := first.Attr("data-edit-id"); id != fmt.Sprint(old.ID) || first.Find(testid("overdue")).Length() != 1 {
		t.Errorf("first row is %s (overdue badges %d), want the overdue request %d", id, first.Find(testid("overdue")).Length(), old.ID)
	}
	if second.Find(testid("overdue")).Length() != 0 {
		t.Error("the new request is flagged overdue")
	}
	if id, _ := second.Find(`input[name="edit_id"]`).Attr("value"); id != fmt.Sprint(recent.ID) {
		t.Errorf("bulk checkbox value = %q, want %d", id, recent.ID)
	}
	for key, want := range map[string]string{"edit-prices": "$19.00 → $18.00", "edit-max-at-request": "$20.00", "edit-live-low": "$20.00",
		"edit-live-max": "$20.00"} {
		if got := strings.Join(strings.Fields(second.Find(testid(key)).Text()), " "); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if !strings.Contains(second.Find(testid("edit-sku")).Text(), "T-") || !strings.Contains(second.Text(), "Maple & Co") ||
		!strings.Contains(second.Text(), "Platform Week") {
		t.Errorf("row = %q", second.Text())
	}
	if got := doc.Find(testid("overdue-count")).Text(); got != "1" {
		t.Errorf("overdue count = %q, want 1", got)
	}
	if doc.Find(testid("bulk-form")).Find(`input[name="_csrf"]`).Length() != 1 ||
		second.Find(testid("approve-form")).Find(`input[name="_csrf"]`).Length() != 1 ||
		second.Find(testid("reject-form")).Find(`input[name="_csrf"]`).Length() != 1 {
		t.Error("a form carries no CSRF token")
	}
}

func TestPriceEditReviewIsForReviewersOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	seller, manager := w.browser(), w.browser()
	seller.signIn("seller@x.test")
	manager.signIn("manager@x.test")
	for _, who := range []*browser{seller, manager} {
		wantStatus(t, who.get("/review/price-edits"), http.StatusForbidden)
		wantStatus(t, who.post(editDecisionPath(req.ID), url.Values{"decision": {"approved"}}), http.StatusForbidden)
		wantStatus(t, who.post("/review/price-edits/bulk-approve", url.Values{"edit_id": {fmt.Sprint(req.ID)}}), http.StatusForbidden)
	}
	if s := editStatus(t, w, req.ID); s != models.EditUnderReview {
		t.Fatalf("the request became %s through a forbidden request", s)
	}
}

func TestPriceEditDecisionNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	for _, form := range []url.Values{
		{"decision": {"approved"}},
		{"decision": {"approved"}, "_csrf": {"forged"}},
	} {
		wantStatus(t, rev.do(http.MethodPost, editDecisionPath(req.ID), form), http.StatusForbidden)
	}
	wantStatus(t, rev.do(http.MethodPost, "/review/price-edits/bulk-approve", url.Values{"edit_id": {fmt.Sprint(req.ID)}}), http.StatusForbidden)
	if s := editStatus(t, w, req.ID); s != models.EditUnderReview {
		t.Fatalf("the request became %s without a CSRF token", s)
	}
}

func TestRejectPriceEditWithoutAReasonComesBackWith422(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.post(editDecisionPath(req.ID), url.Values{"decision": {"rejected"}, "reason_code": {""}, "reason_text": {"Too low"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	row := parse(t, rec).Find(fmt.Sprintf(`[data-edit-id="%d"]`, req.ID))
	if msg := row.Find(testid("error-reason_code")).Text(); !strings.Contains(msg, "Choose a reason") {
		t.Errorf("reason message = %q", msg)
	}
	sel := row.Find(`select[name="reason_code"]`)
	if v, _ := sel.Attr("aria-invalid"); v != "true" {
		t.Error("the reason select is not marked invalid")
	}
	if v, _ := sel.Attr("aria-describedby"); v != fmt.Sprintf("reason_code-%d-error", req.ID) {
		t.Errorf("aria-describedby = %q", v)
	}
	if _, open := row.Find("details").Attr("open"); !open {
		t.Error("the reject form came back closed")
	}
	if got := row.Find(`textarea[name="reason_text"]`).Text(); got != "Too low" {
		t.Errorf("the reviewer's text was lost: %q", got)
	}
	if s := editStatus(t, w, req.ID); s != models.EditUnderReview {
		t.Fatalf("an invalid rejection changed the request to %s", s)
	}
}

func TestApprovedPriceEditShowsTheNewPriceToTheSeller(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.post(editDecisionPath(req.ID), url.Values{"decision": {"approved"}})
	wantStatus(t, rec, http.StatusSeeOther)
	next := rec.Header().Get("Location")
	if !strings.HasPrefix(next, "/review/price-edits?") {
		t.Fatalf("approve redirected to %q", next)
	}
	doc := parse(t, rev.get(next))
	if !strings.Contains(doc.Find(testid("review-notice")).Text(), "approved") || doc.Find(testid("price-edit-row")).Length() != 0 {
		t.Errorf("queue after approval: notice %q, %d rows", doc.Find(testid("review-notice")).Text(), doc.Find(testid("price-edit-row")).Length())
	}
	if got := doc.Find(testid("price-edit-decision")).Text(); !strings.Contains(got, "Approved") || !strings.Contains(got, "Test reviewer") {
		t.Errorf("audit list = %q", got)
	}

	seller := w.browser()
	seller.signIn("seller@x.test")
	doc = parse(t, seller.get(routes.Registration(req.RegistrationID)))
	row := doc.Find(fmt.Sprintf("tr#sku-%d", req.RegistrationSKUID))
	if got := strings.TrimSpace(row.Find(testid("campaign-price")).Text()); got != "$18.00" {
		t.Errorf("seller sees campaign price %q, want $18.00", got)
	}
	if got := row.Find(testid("edit-decision")).Text(); !strings.Contains(got, "approved") {
		t.Errorf("seller sees decision %q", got)
	}
	var link string
	w.db.Raw(`SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'seller@x.test' AND n.kind = 'price_edit_decision'`).Scan(&link)
	if want := routes.Registration(req.RegistrationID) + fmt.Sprintf("#sku-%d", req.RegistrationSKUID); link != want {
		t.Errorf("notification link = %q, want %q", link, want)
	}
}

func TestRejectedPriceEditShowsTheReasonToTheSeller(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	rec := rev.post(editDecisionPath(req.ID), url.Values{"decision": {"rejected"}, "reason_code": {"incomplete"},
		"reason_text": {"Update the product photos first."}})
	wantStatus(t, rec, http.StatusSeeOther)

	seller := w.browser()
	seller.signIn("seller@x.test")
	doc := parse(t, seller.get(routes.Registration(req.RegistrationID)))
	row := doc.Find(fmt.Sprintf("tr#sku-%d", req.RegistrationSKUID))
	if got := strings.TrimSpace(row.Find(testid("campaign-price")).Text()); got != "$19.00" {
		t.Errorf("seller sees campaign price %q after a rejection, want $19.00", got)
	}
	want := "Edit to $18.00 rejected: Product information incomplete or inaccurate: Update the product photos first."
	if got := strings.TrimSpace(row.Find(testid("edit-decision")).Text()); got != want {
		t.Errorf("seller reads %q, want %q", got, want)
	}
}

func TestSecondPriceEditDecisionIsAConflict(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := priceEdit(t, w, "18.00")
	modeltest.User(t, w.db, "sam@x.test", models.RoleReviewer, 0)
	riley, sam := w.browser(), w.browser()
	riley.signIn("reviewer@x.test")
	sam.signIn("sam@x.test")
	// Both have the queue open; Riley approves first.
	wantStatus(t, riley.get("/review/price-edits"), http.StatusOK)
	wantStatus(t, sam.get("/review/price-edits"), http.StatusOK)
	wantStatus(t, riley.post(editDecisionPath(req.ID), url.Values{"decision": {"approved"}}), http.StatusSeeOther)
	rec := sam.post(editDecisionPath(req.ID), url.Values{"decision": {"rejected"}, "reason_code": {"incomplete"}})
	wantStatus(t, rec, http.StatusConflict)
	if msg := parse(t, rec).Find(testid("decision-conflict")).Text(); !strings.Contains(msg, "Already decided by Test reviewer") {
		t.Errorf("conflict message = %q", msg)
	}
	if s := editStatus(t, w, req.ID); s != models.EditApproved {
		t.Errorf("the first decision was overwritten: %s", s)
	}
}

func TestBulkApprovePriceEditsFromTheQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := priceEdit(t, w, "18.00")
	b := priceEdit(t, w, "17.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")

	rec := rev.post("/review/price-edits/bulk-approve", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("error-edit_id")).Length() != 1 {
		t.Error("approving nothing gives no message")
	}
	wantStatus(t, rev.post("/review/price-edits/bulk-approve", url.Values{"edit_id": {fmt.Sprint(a.ID)}}), http.StatusSeeOther)
	rec = rev.post("/review/price-edits/bulk-approve", url.Values{"edit_id": {fmt.Sprint(a.ID), fmt.Sprint(b.ID)}})
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	if got := doc.Find(testid("bulk-skipped")).Text(); !strings.Contains(got, "Already decided by") {
		t.Errorf("skipped list = %q", got)
	}
	if got := doc.Find(testid("review-notice")).Text(); got != "1 price edit approved." {
		t.Errorf("notice = %q", got)
	}
	for _, id := range []int64{a.ID, b.ID} {
		if s := editStatus(t, w, id); s != models.EditApproved {
			t.Errorf("request %d is %s after bulk approval", id, s)
		}
	}
}

func TestNotificationLinksMatchTheRoutes(t *testing.T) {
	t.Parallel()
	if got, want := models.SellerRegistrationLink(42), routes.Registration(42); got != want {
		t.Errorf("models link %q, routes %q", got, want)
	}
	if got, want := models.SellerSKULink(42, 7), routes.Registration(42)+"#sku-7"; got != want {
		t.Errorf("models link %q, want %q", got, want)
	}
	for _, l := range []struct{ models, routes string }{
		{models.SellerSKUErrorsLink(42), routes.RegistrationTab(42, string(models.ProductSKUError))},
		{models.SellerRegisterLink(42), routes.Register(42)},
		{models.ReviewRegistrationLink(42), routes.ReviewRegistration(42)},
		{models.ReviewPriceEditsLink, routes.ReviewPriceEdits},
	} {
		if l.models != l.routes {
			t.Errorf("models link %q, routes %q", l.models, l.routes)
		}
	}
}
