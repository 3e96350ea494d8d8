package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/web/routes"
)

// TestRejectionFixRegistersAgain: a product rejected as "price above the
// maximum" shows the seller the fix the rule implies on today's limit
// (the SKU's low fell to $18.00 since), and one action (CSRF, the shop's
// own registration only) puts it back in the draft at $18.00 to submit
// again; asked twice, the second is refused on the page (409).
func TestRejectionFixRegistersAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00")
	id := pendingProductIDs(t, w, reg.ID)[0]
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	wantStatus(t, rev.post(decisionPath(reg.ID), decideForm(map[int64][3]string{id: {"rejected", "price-above-maximum", ""}})), http.StatusSeeOther)
	var skuID int64
	w.db.Raw(`SELECT sku_id FROM registration_skus WHERE registration_product_id = ?`, id).Scan(&skuID)
	w.db.Exec(`UPDATE price_history SET valid_to = now() - interval '2 days' WHERE sku_id = ? AND valid_to IS NULL`, skuID)
	w.db.Exec(`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 18.00, now() - interval '2 days')`, skuID)

	seller := w.browser()
	seller.signIn("seller@x.test")
	manage := fmt.Sprintf("/registrations/%d", reg.ID)
	doc := parse(t, seller.get(manage))
	if got := doc.Find(testid("sku-fix")).Text(); !strings.Contains(got, "Lower to $18.00") {
		t.Fatalf("the rejected SKU's fix reads %q, want Lower to $18.00", got)
	}
	action, _ := doc.Find(testid("rejection-fix-form")).Attr("action")
	if action != routes.RegistrationFix(reg.ID) {
		t.Fatalf("the fix posts to %q", action)
	}
	form := url.Values{"product": {fmt.Sprint(id)}}
	price := func() string {
		var p string
		w.db.Raw(`SELECT campaign_price::text FROM registration_skus WHERE registration_product_id = ?`, id).Scan(&p)
		return p
	}

	// Without the CSRF token, and from another shop: nothing changes.
	wantStatus(t, seller.do(http.MethodPost, action, url.Values{"product": {fmt.Sprint(id)}}), http.StatusForbidden)
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.post(action, url.Values{"product": {fmt.Sprint(id)}}), http.StatusNotFound)
	if p := price(); p != "19.00" {
		t.Fatalf("price after refused requests = %s", p)
	}

	rec := seller.post(action, form)
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, routes.Register(w.open.ID)+"?notice=") ||
		!strings.Contains(loc, "lowered+to") && !strings.Contains(loc, "lowered%20to") {
		t.Fatalf("redirect to %q", loc)
	}
	var status string
	w.db.Raw(`SELECT status FROM registration_products WHERE id = ?`, id).Scan(&status)
	if status != "draft" || price() != "18.00" {
		t.Fatalf("after the fix: status %s, price %s; want draft at 18.00", status, price())
	}
	// The price table shows it without a problem: the draft's limit is today's.
	doc = parse(t, seller.get(routes.Register(w.open.ID)))
	if doc.Find(testid("price-error")).Length() != 0 {
		t.Errorf("the fixed row is refused in the price table: %s", doc.Find(testid("price-error")).Text())
	}

	rec = seller.post(action, form)
	wantStatus(t, rec, http.StatusConflict)
	if !strings.Contains(rec.Body.String(), "no longer rejected") {
		t.Errorf("the second fix does not say why: %s", rec.Body.String())
	}
}
