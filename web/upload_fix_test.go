package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models/modeltest"
	"campaignportal/web/routes"
)

// TestBulkUploadRowFix: a row refused only for a price above its maximum
// offers the rule's fix on the upload result; applying it (CSRF, the
// shop's own upload only) checks the fixed row again and adds it to the
// draft at the maximum, once; a fix the check now refuses is a 422 beside
// the row with nothing written. A row refused for something the rules
// cannot fix (an unknown SKU) offers nothing.
func TestBulkUploadRowFix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.startUploadWorkers()
	mug, mugSKUs := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00", "30.00")
	b := w.browser()
	b.signIn("seller@x.test")
	page := routes.RegisterUpload(w.open.ID)
	rec := b.upload(page, "prices.csv", uploadCSV(
		uploadLine(mug.PID, mugSKUs[1].SKUCode, "31.00", "5", ""),         // above the maximum of $30.00
		uploadLine(mug.PID, mugSKUs[1].SKUCode+"-nope", "10.00", "5", ""), // unknown SKU
	), true)
	wantStatus(t, rec, http.StatusSeeOther)
	statusURL := rec.Header().Get("Location")
	doc := parse(t, b.waitChecked(statusURL))
	fixes := doc.Find(testid("upload-fix"))
	if fixes.Length() != 1 || !strings.Contains(fixes.Text(), "Lower to $30.00") {
		t.Fatalf("fix buttons = %d %q, want one Lower to $30.00", fixes.Length(), fixes.Text())
	}
	fixURL, _ := doc.Find(`form:has(` + testid("upload-fix") + `)`).Attr("action")
	if fixURL != routes.UploadRowFix(w.open.ID, uploadID(t, statusURL), 2) {
		t.Fatalf("fix posts to %q", fixURL)
	}
	draftRows := func() int {
		return w.countRows(`SELECT count(*) FROM registration_skus rs JOIN registrations r ON r.id = rs.registration_id
			WHERE r.shop_id = ? AND r.campaign_id = ?`, w.maple.ID, w.open.ID)
	}

	// Without the CSRF token, and from another shop: nothing written.
	wantStatus(t, b.do(http.MethodPost, fixURL, url.Values{}), http.StatusForbidden)
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.post(fixURL, nil), http.StatusNotFound)
	if n := draftRows(); n != 0 {
		t.Fatalf("draft rows after refused requests = %d", n)
	}

	// The stock sold meanwhile: the fixed row is refused now, beside it.
	w.db.Exec(`UPDATE skus SET stock = 2 WHERE id = ?`, mugSKUs[1].ID)
	rec = b.post(fixURL, url.Values{"page": {"1"}}, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if msg := parse(t, rec).Find(testid("upload-fix-error")).Text(); !strings.Contains(msg, "Only 2 available") {
		t.Fatalf("refused fix says %q", msg)
	}
	if n := draftRows(); n != 0 {
		t.Fatalf("a refused fix wrote %d draft rows", n)
	}

	w.db.Exec(`UPDATE skus SET stock = 50 WHERE id = ?`, mugSKUs[1].ID)
	rec = b.post(fixURL, url.Values{"page": {"1"}}, htmx)
	wantStatus(t, rec, http.StatusOK)
	if done := parse(t, rec).Find(testid("upload-row-fixed")); done.Length() != 1 {
		t.Fatalf("the card does not mark the row fixed: %s", rec.Body.String())
	}
	wantStatus(t, b.post(fixURL, nil), http.StatusSeeOther) // a double submit
	var saved []struct {
		CampaignPrice string
		CampaignStock int
	}
	w.db.Raw(`SELECT rs.campaign_price::text AS campaign_price, rs.campaign_stock FROM registration_skus rs
		JOIN registrations r ON r.id = rs.registration_id WHERE r.shop_id = ? AND r.campaign_id = ? AND rs.sku_id = ?`,
		w.maple.ID, w.open.ID, mugSKUs[1].ID).Scan(&saved)
	if len(saved) != 1 || saved[0].CampaignPrice != "30.00" || saved[0].CampaignStock != 5 || draftRows() != 1 {
		t.Fatalf("draft after the fix = %+v (%d rows)", saved, draftRows())
	}
}
