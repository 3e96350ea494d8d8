package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models/modeltest"
)

// submitted registers Maple's mug in the world's open (co-funded, reviewed)
// campaign and returns the registration id.
func submitted(t *testing.T, w *world, b *browser) int64 {
	t.Helper()
	p, _ := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00", "30.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"percent-off"}, "value": {"10"}, "scope": {"all"}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"set-stock"}, "value": {"5"}, "scope": {"all"}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/submit", url.Values{"submit_key": {"k"}, "accept_coupons": {"1"}}), http.StatusSeeOther)
	var id int64
	w.db.Raw(`SELECT id FROM registrations WHERE campaign_id = ? AND shop_id = ?`, w.open.ID, w.maple.ID).Scan(&id)
	return id
}

func TestManagePageEditsAndWithdrawals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	regID := submitted(t, w, b)
	page := fmt.Sprintf("/registrations/%d", regID)
	var rsID int64
	w.db.Raw(`SELECT id FROM registration_skus WHERE registration_id = ? ORDER BY id LIMIT 1`, regID).Scan(&rsID)
	edit := fmt.Sprintf("/registrations/%d/skus/%d/edit", regID, rsID)

	// Under review in a co-funded campaign: Edit is disabled with the reason, and the server refuses too.
	doc := parse(t, b.get(page))
	if !strings.Contains(doc.Find(testid("edits-paused")).Text(), "co-funded") || doc.Find(testid("edit-disabled")).Length() == 0 {
		t.Errorf("no lock reason: %q", doc.Find(testid("manage-table")).Text())
	}
	wantStatus(t, b.get(edit, htmx), http.StatusConflict)
	wantStatus(t, b.post(edit, url.Values{"price": {"10"}, "expected_price": {"18.00"}}, htmx), http.StatusConflict)

	// Approved: Edit opens the pop-up; a price above the maximum is 422 with the reason.
	w.db.Exec(`UPDATE registrations SET status = 'registered' WHERE id = ?`, regID)
	w.db.Exec(`UPDATE registration_products SET status = 'registered' WHERE registration_id = ?`, regID)
	rec := b.get(edit, htmx)
	wantStatus(t, rec, http.StatusOK)
	if parse(t, rec).Find("dialog"+testid("edit-dialog")).Length() != 1 {
		t.Fatal("Edit did not answer with a dialog")
	}
	rec = b.post(edit, url.Values{"price": {"20.01"}, "expected_price": {"18.00"}, "expected_request": {"0"}}, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(parse(t, rec).Find(testid("edit-error")).Text(), "Above the maximum of $20.00") {
		t.Errorf("edit error: %q", rec.Body.String())
	}
	rec = b.post(edit, url.Values{"price": {"17.50"}, "expected_price": {"18.00"}, "expected_request": {"0"}}, htmx)
	wantStatus(t, rec, http.StatusNoContent)
	doc = parse(t, b.get(page))
	summary := doc.Find(testid("edit-summary")).Text()
	if !strings.Contains(summary, "$18.00 → $17.50") || !strings.Contains(summary, "due by") {
		t.Errorf("request summary = %q", summary)
	}
	// A second tab that did not see the open request is told the price changed.
	rec = b.post(edit, url.Values{"price": {"17.00"}, "expected_price": {"18.00"}, "expected_request": {"0"}}, htmx)
	wantStatus(t, rec, http.StatusConflict)

	// Another shop: 404 on the page and on the actions.
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.get(page), http.StatusNotFound)
	wantStatus(t, other.post(page+"/withdraw", url.Values{"kind": {"campaign"}}), http.StatusNotFound)

	// Withdraw the product: recorded with both moments.
	var rpID int64
	w.db.Raw(`SELECT id FROM registration_products WHERE registration_id = ?`, regID).Scan(&rpID)
	wantStatus(t, b.post(page+"/withdraw", url.Values{"kind": {"product"}, "product": {fmt.Sprint(rpID)}}), http.StatusSeeOther)
	doc = parse(t, b.get(page+"?status=withdrawn"))
	if doc.Find(testid("manage-product")).Length() != 1 || doc.Find(testid("withdrawals")+" tbody tr").Length() != 1 {
		t.Error("the withdrawn product or its record is missing")
	}
	var open int64
	w.db.Raw(`SELECT count(*) FROM price_edit_requests WHERE status = 'under_review'`).Scan(&open)
	if open != 0 {
		t.Error("a withdrawn product kept an open price edit")
	}
}

func TestManagedProductEditListsItsImpactFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	regID := submitted(t, w, b)
	var productID, skuID int64
	var variant string
	w.db.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ? AND p.title = 'Mug'`, w.maple.ID).Scan(&productID)
	w.db.Raw(`SELECT id FROM skus WHERE product_id = ? ORDER BY id LIMIT 1`, productID).Scan(&skuID)
	w.db.Raw(`SELECT attributes FROM skus WHERE id = ?`, skuID).Scan(&variant)
	page := fmt.Sprintf("/products/%d", productID)
	edit := fmt.Sprintf("%s/skus/%d", page, skuID)
	doc := parse(t, b.get(page))
	if !strings.Contains(doc.Find(testid("registered-warning")).Text(), "SKU error") {
		t.Fatalf("no note on a registered product's page")
	}
	inSKUError := func() int64 {
		var n int64
		w.db.Raw(`SELECT count(*) FROM registration_products WHERE registration_id = ? AND status = 'sku_error'`, regID).Scan(&n)
		return n
	}

	// A retail price rise breaks nothing: saved at once, no list.
	wantStatus(t, b.post(edit, url.Values{"retail_price": {"99.00"}, "attributes": {variant}}), http.StatusSeeOther)
	if inSKUError() != 0 {
		t.Fatal("a retail price rise put the product in SKU error")
	}

	// A cut below the campaign price: the list, nothing saved, the typed
	// value kept in the row.
	form := url.Values{"retail_price": {"1.00"}, "attributes": {variant}}
	rec := b.post(edit, form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc = parse(t, rec)
	rows := doc.Find(testid("impact-row"))
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "above the new maximum") || doc.Find(testid("fix-open")).Length() != 1 {
		t.Fatalf("impact list: %q", rows.Text())
	}
	if v, _ := doc.Find(fmt.Sprintf("#retail-%d", skuID)).Attr("value"); v != "1.00" {
		t.Errorf("the typed price is lost: the row shows %q", v)
	}
	ack, _ := doc.Find(testid("impact-form") + " input[name=impact]").Attr("value")
	if ack == "" || inSKUError() != 0 {
		t.Fatalf("fingerprint %q, in SKU error %d", ack, inSKUError())
	}
	var retail string
	w.db.Raw(`SELECT retail_price::text FROM skus WHERE id = ?`, skuID).Scan(&retail)
	if retail != "99.00" {
		t.Fatalf("the unconfirmed cut saved %s", retail)
	}
	// The fingerprint without the tick, and the tick with another list's
	// fingerprint, are both asked again.
	form.Set("impact", ack)
	rec = b.post(edit, form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("impact-error")).Length() != 1 {
		t.Error("no message asking for the tick")
	}
	form.Set("confirm", "1")
	form.Set("impact", "0123456789abcdef0123456789abcdef")
	rec = b.post(edit, form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(parse(t, rec).Find("#impact-h").Text(), "changed since you saw it") {
		t.Error("a confirmation of another list is not asked again")
	}
	if inSKUError() != 0 {
		t.Fatal("a confirmation of another list saved")
	}
	// Another shop's SKU: 404.
	other := w.browser()
	other.signIn("seller2@x.test")
	form.Set("impact", ack)
	wantStatus(t, other.post(edit, form), http.StatusNotFound)
	// Confirmed: saved, in SKU error, told.
	wantStatus(t, b.post(edit, form), http.StatusSeeOther)
	if inSKUError() != 1 {
		t.Fatal("the confirmed edit did not put the product in SKU error")
	}
	doc = parse(t, b.get(fmt.Sprintf("/registrations/%d", regID)))
	if doc.Find(testid("sku-error")).Length() != 1 {
		t.Error("the manage page does not list the SKU error")
	}
	if got := parse(t, b.get("/campaigns")).Find(testid("bell-count")).Text(); got != "1" {
		t.Errorf("bell count = %q, want 1", got)
	}
}
