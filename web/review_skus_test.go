package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// registrationSKUIDs are a registration's SKU rows, in SKU order.
func registrationSKUIDs(t *testing.T, w *world, regID int64) []int64 {
	t.Helper()
	var ids []int64
	if err := w.db.Raw(`SELECT id FROM registration_skus WHERE registration_id = ? ORDER BY sku_id`, regID).Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestRejectOneSKUFromTheReviewPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := submitForReview(t, w, w.maple, "19.00", "18.00", "17.00")
	rp := pendingProductIDs(t, w, reg.ID)[0]
	rs := registrationSKUIDs(t, w, reg.ID)
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if n := doc.Find(testid("reject-sku")).Length(); n != 3 {
		t.Fatalf("%d Reject SKU boxes, want 3", n)
	}

	// A ticked SKU without a reason: 422, the message beside the SKU, the tick kept, nothing decided.
	form := decideForm(map[int64][3]string{rp: {"approved", "", ""}})
	form.Add(fmt.Sprintf("reject_sku_%d", rp), fmt.Sprint(rs[1]))
	rec := rev.post(decisionPath(reg.ID), form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc = parse(t, rec)
	row := doc.Find(fmt.Sprintf(`%s:has(#reason_code_sku_%d)`, testid("sku-reason-row"), rs[1]))
	if row.Find(testid("error-reason_code")).Length() != 1 {
		t.Errorf("no message beside the SKU's reason: %q", row.Text())
	}
	if _, ok := doc.Find(fmt.Sprintf(`input[name="reject_sku_%d"][value="%d"]`, rp, rs[1])).Attr("checked"); !ok {
		t.Error("the tick was lost")
	}
	if statusOfRegistration(t, w, reg.ID) != models.RegistrationPending {
		t.Fatal("a refused step decided something")
	}

	// Every SKU ticked: 422 beside the product.
	all := decideForm(map[int64][3]string{rp: {"approved", "", ""}})
	for _, id := range rs {
		all.Add(fmt.Sprintf("reject_sku_%d", rp), fmt.Sprint(id))
		all.Set(fmt.Sprintf("reason_code_sku_%d", id), "incomplete")
	}
	rec = rev.post(decisionPath(reg.ID), all)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if parse(t, rec).Find(testid("decide-product")+" "+testid("error-decision")).Length() != 1 {
		t.Error("rejecting every SKU: no message beside the product")
	}

	// Another registration's SKU in the form: not found, nothing decided.
	other := submitForReview(t, w, modeltest.Shop(t, w.db, "Northwind", "4.0", "20"), "19.00", "18.00")
	tampered := decideForm(map[int64][3]string{rp: {"approved", "", ""}})
	tampered.Add(fmt.Sprintf("reject_sku_%d", rp), fmt.Sprint(registrationSKUIDs(t, w, other.ID)[0]))
	tampered.Set(fmt.Sprintf("reason_code_sku_%d", registrationSKUIDs(t, w, other.ID)[0]), "incomplete")
	wantStatus(t, rev.post(decisionPath(reg.ID), tampered), http.StatusNotFound)

	// The real step: the product approved without SKU 2.
	form.Set(fmt.Sprintf("reason_code_sku_%d", rs[1]), "stock-insufficient")
	form.Set(fmt.Sprintf("reason_text_sku_%d", rs[1]), "Only 2 left.")
	rec = rev.post(decisionPath(reg.ID), form)
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); !strings.Contains(loc, "decision=skus") {
		t.Errorf("redirect to %s", loc)
	}
	doc = parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", reg.ID)))
	if got := doc.Find(testid("review-status")).Text(); got != "Partly registered" {
		t.Errorf("reviewer sees %q", got)
	}
	if doc.Find(testid("sku-kept-out")).Length() != 1 {
		t.Error("the reviewer's page does not show the SKU kept out")
	}
	if !strings.Contains(doc.Find("#decisions-h").Parent().Text(), "Rejected: Not enough stock for the campaign") {
		t.Error("the decisions list does not show the SKU's rejection")
	}

	// The seller: each SKU's decision on Manage, Partly registered there and in the campaign list and details.
	seller := w.browser()
	seller.signIn("seller@x.test")
	doc = parse(t, seller.get(fmt.Sprintf("/registrations/%d", reg.ID)))
	if got := doc.Find(testid("registration-status")).Text(); got != "Partly registered" {
		t.Errorf("seller's Manage page says %q", got)
	}
	var reasons []string
	doc.Find(testid("manage-sku")).Each(func(_ int, s *goquery.Selection) {
		reasons = append(reasons, strings.TrimSpace(s.Find(testid("sku-reason")).Text()))
	})
	if fmt.Sprint(reasons) != "[ Not enough stock for the campaign: Only 2 left. ]" {
		t.Errorf("SKU reasons on Manage: %q", reasons)
	}
	if doc.Find(testid("edit-price")).Length() != 2 {
		t.Errorf("%d Edit buttons, want 2 (the kept-out SKU has none)", doc.Find(testid("edit-price")).Length())
	}
	list := parse(t, seller.get("/campaigns?tab=registered"))
	if got := list.Find(fmt.Sprintf(`[data-testid=campaign-row][data-campaign-id="%d"] [data-testid=registration-status]`, w.open.ID)).Text(); got != "Partly registered" {
		t.Errorf("campaign list says %q, want Partly registered", got)
	}
	details := seller.get(fmt.Sprintf("/campaigns/%d", w.open.ID))
	if !strings.Contains(details.Body.String(), "Your shop&#39;s registration: Partly registered.") &&
		!strings.Contains(parse(t, details).Text(), "Your shop's registration: Partly registered.") {
		t.Error("the campaign details do not say Partly registered")
	}
	// The notification names the SKU.
	var body string
	w.db.Raw(`SELECT body FROM notifications WHERE kind = 'review_decision' ORDER BY id DESC LIMIT 1`).Scan(&body)
	if !strings.Contains(body, "Only 2 left") || !strings.Contains(body, "SKUs not registered") {
		t.Errorf("notification: %q", body)
	}
	// A seller cannot post a decision.
	rec = seller.post(decisionPath(reg.ID), form)
	if rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
		t.Errorf("a seller's decision: %d", rec.Code)
	}
}

func TestDecidedListMarksAndFiltersBulkDecisions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	one := submitForReview(t, w, w.maple, "19.00")
	bulk := submitForReview(t, w, modeltest.Shop(t, w.db, "Fresh Start", "", "20"), "18.00")
	rev := w.browser()
	rev.signIn("reviewer@x.test")
	wantStatus(t, rev.post(decisionPath(one.ID), decideForm(map[int64][3]string{pendingProductIDs(t, w, one.ID)[0]: {"approved", "", ""}})),
		http.StatusSeeOther)
	wantStatus(t, rev.post("/review/bulk-decide", url.Values{"reg_id": {fmt.Sprint(bulk.ID)}, "decision": {"rejected"},
		"reason_code": {"incomplete"}}), http.StatusSeeOther)
	rows := func(path string) []string {
		t.Helper()
		rec := rev.get(path)
		wantStatus(t, rec, http.StatusOK)
		var out []string
		parse(t, rec).Find(testid("decided-row")).Each(func(_ int, s *goquery.Selection) {
			out = append(out, strings.TrimSpace(s.Find("td").Eq(1).Text())+":"+strings.TrimSpace(s.Find(testid("decided-bulk")).Text()))
		})
		return out
	}
	for path, want := range map[string]string{
		"/review/decided":                "Fresh Start:Bulk Maple & Co:",
		"/review/decided?how=bulk":       "Fresh Start:Bulk",
		"/review/decided?how=one-by-one": "Maple & Co:",
		"/review/decided?how=nonsense":   "Fresh Start:Bulk Maple & Co:",
	} {
		if got := strings.Join(rows(path), " "); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	doc := parse(t, rev.get(fmt.Sprintf("/review/registrations/%d", bulk.ID)))
	if !strings.Contains(doc.Find("#decisions-h").Parent().Text(), "(bulk)") {
		t.Error("the registration's decisions do not say bulk")
	}
}

func TestCostOfGoodsInManagedProducts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p, skus := modeltest.Product(t, w.db, w.maple.ID, "Cost product", "20.00")
	other, otherSKUs := modeltest.Product(t, w.db, modeltest.Shop(t, w.db, "Northwind", "4.0", "20").ID, "Theirs", "20.00")
	seller := w.browser()
	seller.signIn("seller@x.test")
	edit := func(productID, skuID int64, cost string) *httptest.ResponseRecorder {
		return seller.post(fmt.Sprintf("/products/%d/skus/%d", productID, skuID),
			url.Values{"attributes": {skus[0].Attributes}, "retail_price": {"20.00"}, "cost_of_goods": {cost}})
	}
	for _, bad := range []string{"abc", "-1", "0", "1.234", "99999999999999"} {
		rec := edit(p.ID, skus[0].ID, bad)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if !strings.Contains(parse(t, rec).Find(testid("sku-error")).Text(), "Cost of goods") {
			t.Errorf("cost %q: no message beside the SKU", bad)
		}
	}
	wantStatus(t, edit(p.ID, skus[0].ID, "9.50"), http.StatusSeeOther)
	var cost string
	w.db.Raw(`SELECT COALESCE(cost_of_goods::text, '') FROM skus WHERE id = ?`, skus[0].ID).Scan(&cost)
	if cost != "9.50" {
		t.Fatalf("cost = %q", cost)
	}
	doc := parse(t, seller.get(fmt.Sprintf("/products/%d", p.ID)))
	if v, _ := doc.Find(testid("cost-input")).Attr("value"); v != "9.50" {
		t.Errorf("the form shows %q", v)
	}
	wantStatus(t, edit(p.ID, skus[0].ID, ""), http.StatusSeeOther)
	w.db.Raw(`SELECT COALESCE(cost_of_goods::text, '') FROM skus WHERE id = ?`, skus[0].ID).Scan(&cost)
	if cost != "" {
		t.Errorf("an empty cost left %q", cost)
	}
	// Another shop's SKU: 404, unchanged.
	rec := seller.post(fmt.Sprintf("/products/%d/skus/%d", other.ID, otherSKUs[0].ID), url.Values{"attributes": {""}, "cost_of_goods": {"5.00"}})
	wantStatus(t, rec, http.StatusNotFound)
	w.db.Raw(`SELECT COALESCE(cost_of_goods::text, '') FROM skus WHERE id = ?`, otherSKUs[0].ID).Scan(&cost)
	if cost != "" {
		t.Errorf("another shop's SKU got a cost: %q", cost)
	}
}
