package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models/modeltest"
)

// TestSimulatorAndFixesThroughTheRouter: a price above the maximum offers
// "Lower to" the rule's maximum and the price memory; saving the fix's
// value through the row's own save clears it; the simulator panel works
// the draft's price out (as if approved), answers 422 next to a bad field
// and 404 for another shop's SKU.
func TestSimulatorAndFixesThroughTheRouter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, skus := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	_, theirs := modeltest.Product(t, w.db, w.north.ID, "Their mug", "10.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.get(base), http.StatusOK)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	var rsID int64
	w.db.Raw(`SELECT id FROM registration_skus`).Scan(&rsID)
	row := fmt.Sprintf("%s/skus/%d", base, rsID)

	rec := b.post(row, url.Values{"price": {"20.01"}, "stock": {"500"}}, htmx)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	fixes := doc.Find(testid("fix"))
	if fixes.Length() != 2 || fixes.First().Text() != "Lower to $20.00" || fixes.Last().Text() != "Set stock to 10" {
		t.Fatalf("fixes = %q", fixes.Text())
	}
	if v, _ := fixes.First().Attr("data-fix-value"); v != "20.00" {
		t.Errorf("price fix value %q", v)
	}
	// The fix's values, saved as the buttons do (the row's own save).
	rec = b.post(row, url.Values{"price": {"20.00"}, "stock": {"10"}}, htmx)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	if doc.Find(testid("fix")).Length() != 0 || doc.Find(testid("price-error")).Length() != 0 {
		t.Errorf("fix left a refusal: %s", doc.Text())
	}
	if !strings.Contains(rec.Header().Get("HX-Trigger"), "sku-saved") {
		t.Errorf("no sku-saved trigger for the simulator panel: %q", rec.Header().Get("HX-Trigger"))
	}
	// A price below every price of the past 30 days: the memory warning.
	rec = b.post(row, url.Values{"price": {"15.00"}, "stock": {"10"}}, htmx)
	if msg := parse(t, rec).Find(testid("price-memory")).Text(); !strings.Contains(msg, "30-day floor will be $15.00") {
		t.Errorf("price memory = %q", msg)
	}

	panel := fmt.Sprintf("/simulator/panel?sku=%d&campaign=%d", skus[0].ID, w.open.ID)
	rec = b.get(panel+"&qty=2&shipping=5", htmx)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	if got := doc.Find(testid("sim-shopper-pays")).Text(); got != "$35.00" {
		t.Errorf("shopper pays %q, want $35.00 (2 × $15 + $5)", got)
	}
	if !strings.Contains(doc.Find(testid("sim-campaigns")).Text(), "as if approved") {
		t.Errorf("the draft's price is not shown as hypothetical: %s", doc.Find(testid("sim-campaigns")).Text())
	}
	rec = b.get(panel+"&qty=0", htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(parse(t, rec).Find("#sim-qty-error").Text(), "whole number") {
		t.Error("no message next to the quantity")
	}
	wantStatus(t, b.get(fmt.Sprintf("/simulator?sku=%d", theirs[0].ID)), http.StatusNotFound)
	wantStatus(t, b.get("/simulator?sku=abc"), http.StatusNotFound)
	wantStatus(t, b.get(fmt.Sprintf("/simulator?sku=%d&at=yesterday", skus[0].ID)), http.StatusUnprocessableEntity)
	wantStatus(t, b.get(fmt.Sprintf("/simulator?sku=%d", skus[0].ID)), http.StatusOK)
}
