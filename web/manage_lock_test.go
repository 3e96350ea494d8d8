package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models/modeltest"
)

// The under-review lock is per product: a product under review waits, the
// registration's approved products stay editable.
func TestEditLockIsPerProduct(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	lamp, _ := modeltest.Product(t, w.db, w.maple.ID, "Lamp", "40.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(lamp.ID)}}), http.StatusSeeOther)
	regID := submitted(t, w, b) // the mug and the lamp, both under review
	// The reviewer approved both; then the lamp went back under review
	// (re-registered after a SKU error), as did the registration.
	w.db.Exec(`UPDATE registration_products SET status = 'registered' WHERE registration_id = ?`, regID)
	w.db.Exec(`UPDATE registration_products SET status = 'pending' WHERE registration_id = ? AND product_id = ?`, regID, lamp.ID)
	w.db.Exec(`UPDATE registrations SET status = 'pending' WHERE id = ?`, regID)
	var mugSKU, lampSKU int64
	w.db.Raw(`SELECT rs.id FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rp.product_id <> ? ORDER BY rs.id LIMIT 1`, regID, lamp.ID).Scan(&mugSKU)
	w.db.Raw(`SELECT rs.id FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rp.product_id = ? LIMIT 1`, regID, lamp.ID).Scan(&lampSKU)
	edit := func(rsID int64) string { return fmt.Sprintf("/registrations/%d/skus/%d/edit", regID, rsID) }

	doc := parse(t, b.get(fmt.Sprintf("/registrations/%d", regID)))
	if got := doc.Find(testid("edit-price")).Length(); got != 2 { // the mug's two SKUs
		t.Errorf("%d enabled Edit buttons, want the mug's 2", got)
	}
	if got := doc.Find(testid("edit-disabled")).Length(); got != 1 {
		t.Errorf("%d disabled Edit buttons, want the lamp's 1", got)
	}
	paused := doc.Find(testid("edits-paused")).Text()
	if !strings.Contains(paused, "1 product under review") || !strings.Contains(paused, "other products can be edited") {
		t.Errorf("banner %q", paused)
	}

	// The approved mug: the pop-up opens and the edit is taken.
	rec := b.get(edit(mugSKU), htmx)
	wantStatus(t, rec, http.StatusOK)
	rec = b.post(edit(mugSKU), url.Values{"price": {"17.50"}, "expected_price": {"18.00"}, "expected_request": {"0"}}, htmx)
	wantStatus(t, rec, http.StatusNoContent)

	// The lamp under review: refused, saying why (not "someone changed this").
	for _, rec := range []*httptest.ResponseRecorder{b.get(edit(lampSKU), htmx),
		b.post(edit(lampSKU), url.Values{"price": {"30.00"}, "expected_price": {"36.00"}, "expected_request": {"0"}}, htmx)} {
		wantStatus(t, rec, http.StatusConflict)
		body := rec.Body.String()
		if !strings.Contains(body, "Under review") || !strings.Contains(body, "once the reviewer approves it") || strings.Contains(body, "Someone changed") {
			t.Errorf("the refusal says %q", parse(t, rec).Text())
		}
	}
}
