package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// withdrawalRequested registers Maple's mug in the open campaign, turns on
// withdrawal review and asks to withdraw it: the registration, the
// product and the request.
func withdrawalRequested(t *testing.T, w *world, seller *browser) (regID, rpID, wID int64) {
	t.Helper()
	regID = submitted(t, w, seller)
	w.db.Exec(`UPDATE registrations SET status = 'registered' WHERE id = ?`, regID)
	w.db.Exec(`UPDATE registration_products SET status = 'registered' WHERE registration_id = ?`, regID)
	w.db.Exec(`UPDATE campaigns SET withdrawal_review = true WHERE id = ?`, w.open.ID)
	w.db.Raw(`SELECT id FROM registration_products WHERE registration_id = ?`, regID).Scan(&rpID)
	rec := seller.post(fmt.Sprintf("/registrations/%d/withdraw", regID), url.Values{"kind": {"product"}, "product": {fmt.Sprint(rpID)}})
	wantStatus(t, rec, http.StatusSeeOther)
	w.db.Raw(`SELECT id FROM withdrawals WHERE registration_product_id = ? AND status = 'requested'`, rpID).Scan(&wID)
	if wID == 0 {
		t.Fatal("the withdrawal was not a request")
	}
	return regID, rpID, wID
}

func withdrawalStatus(w *world, id int64) string {
	var s string
	w.db.Raw(`SELECT status FROM withdrawals WHERE id = ?`, id).Scan(&s)
	return s
}

func TestWithdrawalReviewSellerAndReviewer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seller := w.browser()
	seller.signIn("seller@x.test")
	regID, _, wID := withdrawalRequested(t, w, seller)
	page := fmt.Sprintf("/registrations/%d", regID)
	doc := parse(t, seller.get(page))
	if doc.Find(testid("manage-product")).Find(testid("withdrawal-requested")).Length() != 1 ||
		doc.Find(testid("cancel-withdrawal")).Length() != 1 || doc.Find(testid("edit-disabled")).Length() == 0 {
		t.Fatalf("manage page while requested: %q", doc.Find(testid("manage-table")).Text())
	}
	if got := doc.Find(testid("withdrawal-status")).First().Text(); got != "Withdrawal requested" {
		t.Errorf("history status %q", got)
	}

	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc = parse(t, rev.get("/review/withdrawals"))
	if doc.Find(testid("withdrawal-row")).Length() != 1 || !strings.Contains(doc.Find(testid("review-tab-withdrawals")).Text(), "1") {
		t.Fatalf("queue: %q", doc.Find("main").Text())
	}
	// Filters: another campaign shows none; the shop's name finds it.
	if n := parse(t, rev.get(fmt.Sprintf("/review/withdrawals?campaign=%d", w.ended.ID))).Find(testid("withdrawal-row")).Length(); n != 0 {
		t.Errorf("another campaign's filter shows %d rows", n)
	}
	if n := parse(t, rev.get("/review/withdrawals?shop=maple&page=99")).Find(testid("withdrawal-row")).Length(); n != 1 {
		t.Errorf("shop filter (page clamped) shows %d rows", n)
	}
	decide := fmt.Sprintf("/review/withdrawals/%d/decision", wID)
	rec := rev.post(decide, url.Values{"decision": {"rejected"}, "reason_code": {""}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("error-reason_code")).Length() != 1 {
		t.Error("no message next to the reason")
	}
	wantStatus(t, rev.post(decide, url.Values{"decision": {"approved"}}), http.StatusSeeOther)
	rec = rev.post(decide, url.Values{"decision": {"rejected"}, "reason_code": {"incomplete"}})
	wantStatus(t, rec, http.StatusConflict)
	if !strings.Contains(parse(t, rec).Find(testid("decision-conflict")).Text(), "Already decided by") {
		t.Errorf("second decision: %q", rec.Body.String())
	}
	doc = parse(t, seller.get(page))
	row := doc.Find(testid("withdrawal")).First()
	if row.Find(testid("withdrawal-status")).Text() != "Approved" || strings.TrimSpace(row.Find(testid("withdrawal-requested")).Text()) == "" ||
		strings.TrimSpace(row.Find(testid("withdrawal-decided")).Text()) == "" {
		t.Errorf("seller's history after the approval: %q", row.Text())
	}
	// Cancelling what a reviewer approved is refused, naming who.
	rec = seller.post(fmt.Sprintf("/registrations/%d/withdrawals/%d/cancel", regID, wID), nil)
	wantStatus(t, rec, http.StatusConflict)
}

func TestWithdrawalReviewTenancyRolesAndCSRF(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seller := w.browser()
	seller.signIn("seller@x.test")
	regID, rpID, wID := withdrawalRequested(t, w, seller)
	cancel := fmt.Sprintf("/registrations/%d/withdrawals/%d/cancel", regID, wID)
	decide := fmt.Sprintf("/review/withdrawals/%d/decision", wID)

	// Another shop's seller: every id of Maple's is a 404.
	north := w.browser()
	north.signIn("seller2@x.test")
	wantStatus(t, north.post(cancel, nil), http.StatusNotFound)
	wantStatus(t, north.post(fmt.Sprintf("/registrations/%d/withdraw", regID), url.Values{"kind": {"product"}, "product": {fmt.Sprint(rpID)}}), http.StatusNotFound)
	wantStatus(t, north.get(fmt.Sprintf("/registrations/%d", regID)), http.StatusNotFound)
	// Maple's own cancel under another registration's id is a 404 too.
	wantStatus(t, seller.post(fmt.Sprintf("/registrations/%d/withdrawals/%d/cancel", w.mapleReg.ID, wID), nil), http.StatusNotFound)

	// Reviewer-only routes.
	manager := w.browser()
	manager.signIn("manager@x.test")
	for _, who := range []*browser{seller, manager} {
		wantStatus(t, who.get("/review/withdrawals"), http.StatusForbidden)
		wantStatus(t, who.post(decide, url.Values{"decision": {"approved"}}), http.StatusForbidden)
	}
	// CSRF: no token or a forged one changes nothing.
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	for _, form := range []url.Values{{"decision": {"approved"}}, {"decision": {"approved"}, "_csrf": {"forged"}}} {
		wantStatus(t, rev.do(http.MethodPost, decide, form), http.StatusForbidden)
	}
	wantStatus(t, seller.do(http.MethodPost, cancel, url.Values{}), http.StatusForbidden)
	if s := withdrawalStatus(w, wID); s != "requested" {
		t.Fatalf("the request became %s through a refused request", s)
	}
	// The seller's own cancel works once.
	wantStatus(t, seller.post(cancel, nil), http.StatusSeeOther)
	if s := withdrawalStatus(w, wID); s != "cancelled" {
		t.Fatalf("after cancelling: %s", s)
	}
	wantStatus(t, rev.post(decide, url.Values{"decision": {"approved"}}), http.StatusConflict)
}
