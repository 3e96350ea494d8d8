package web_test

import (
	"bytes"
	"campaignportal/models/orders"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// settledWorld: two orders through the API, one returned in part, plus an
// order in another campaign-less state.
func settledWorld(t *testing.T) *apiWorld {
	t.Helper()
	w := newAPIWorld(t)
	wantStatus(t, w.post("/api/v1/orders", w.order("S-1", w.withCoupon())), http.StatusCreated)
	wantStatus(t, w.post("/api/v1/orders/S-1/events", fmt.Sprintf(`{"shop_id": %q, "kind": "completed", "at": "2025-12-02T10:00:00Z"}`, w.maple.PublicID)), http.StatusOK)
	wantStatus(t, w.post("/api/v1/orders/S-1/events", fmt.Sprintf(`{"shop_id": %q, "kind": "returned", "at": "2025-12-03T10:00:00Z",
		"lines": [{"sku_id": %q, "quantity": 1}]}`, w.maple.PublicID, w.skus[0].SKUCode)), http.StatusOK)
	plain := fmt.Sprintf(`{"order_id": "S-2", "shop_id": %q, "placed_at": "2025-12-05T10:00:00Z", "lines": [{"sku_id": %q,
		"quantity": 1, "unit_price": "30.00", "seller_discount": "0.00"}], "shipping_paid": "0.00"}`, w.maple.PublicID, w.skus[2].SKUCode)
	wantStatus(t, w.post("/api/v1/orders", plain), http.StatusCreated)
	return w
}

func TestSettledRecordsJourney(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get("/campaigns")
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `href="/finance/settled-records"`) {
		t.Fatal("no Settled records link in the seller's navigation")
	}
	rec = b.get("/finance/settled-records")
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	if n := doc.Find(testid("settled-row")).Length(); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
	if got := doc.Find(testid("total-orders")).Text(); got != "2" {
		t.Errorf("total orders %q", got)
	}
	// Filter by the campaign: only S-1 has a campaign line.
	rec = b.get(fmt.Sprintf("/finance/settled-records?campaign=%d", w.open.ID))
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	rows := doc.Find(testid("settled-row"))
	if rows.Length() != 1 || strings.TrimSpace(rows.Find(testid("order-link")).Text()) != "S-1" {
		t.Fatalf("filtered rows: %d", rows.Length())
	}
	if got := strings.TrimSpace(rows.Find(testid("order-status")).Text()); got != "Partly returned" {
		t.Errorf("status %q", got)
	}
	// payout = 220 + 5 − 1.95 − 19 − 95 + 0.95 + 9.50 = 119.50
	if got := strings.TrimSpace(rows.Find(testid("row-payout")).Text()); got != "$119.50" {
		t.Errorf("payout %q", got)
	}
	if got := doc.Find(testid("total-payout")).Text(); got != "$119.50" {
		t.Errorf("total payout %q", got)
	}
	href, _ := rows.Find(testid("order-link")).Attr("href")
	rec = b.get(href)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	formula := strings.Join(strings.Fields(doc.Find(testid("fee-formula")).Text()), " ")
	if !strings.Contains(formula, "1% × $190.00") || !strings.Contains(formula, "1% × $5.00 shipping") || !strings.Contains(formula, "= $1.95") {
		t.Errorf("fee formula %q", formula)
	}
	lines := doc.Find(testid("line-campaign"))
	if !strings.Contains(lines.Eq(0).Text(), w.open.Name) || !strings.Contains(lines.Eq(1).Text(), "not registered in a campaign") {
		t.Errorf("line campaigns: %q / %q", lines.Eq(0).Text(), lines.Eq(1).Text())
	}
	for id, want := range map[string]string{"coupon-discount": "$38.00", "coupon-seller": "$19.00", "coupon-platform": "$19.00",
		"reversal-merchandise": "$95.00", "reversal-fee": "$0.95", "reversal-seller": "$9.50", "fee-charged": "$1.95"} {
		if got := doc.Find(testid(id)).First().Text(); !strings.HasPrefix(strings.TrimSpace(got), want) {
			t.Errorf("%s = %q, want %s", id, got, want)
		}
	}
	payout := strings.Join(strings.Fields(doc.Find(testid("payout-formula")).Text()), " ")
	if !strings.HasSuffix(payout, "= $119.50") {
		t.Errorf("payout formula %q", payout)
	}
}

func TestSettledRecordsFiltersAndPaging(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	for i := 0; i < 53; i++ {
		body := fmt.Sprintf(`{"order_id": "P-%02d", "shop_id": %q, "placed_at": "2025-12-01T%02d:%02d:00Z", "lines": [{"sku_id": %q,
			"quantity": 1, "unit_price": "10.00", "seller_discount": "0.00"}], "shipping_paid": "0.00"}`,
			i, w.maple.PublicID, 10+i/60, i%60, w.skus[0].SKUCode)
		wantStatus(t, w.post("/api/v1/orders", body), http.StatusCreated)
	}
	wantStatus(t, w.post("/api/v1/orders/P-00/events", fmt.Sprintf(`{"shop_id": %q, "kind": "cancelled", "at": "2025-12-01T12:00:00Z"}`, w.maple.PublicID)), http.StatusOK)
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get("/finance/settled-records")
	doc := parse(t, rec)
	if n := doc.Find(testid("settled-row")).Length(); n != 50 {
		t.Fatalf("first page %d rows", n)
	}
	if first := doc.Find(testid("order-link")).First().Text(); first != "P-52" {
		t.Errorf("newest first: %q", first)
	}
	next, ok := doc.Find(testid("next-page")).Attr("href")
	if !ok {
		t.Fatal("no next page")
	}
	doc = parse(t, b.get(next))
	if n := doc.Find(testid("settled-row")).Length(); n != 3 || doc.Find(testid("next-page")).Length() != 0 {
		t.Fatalf("second page %d rows", n)
	}
	doc = parse(t, b.get("/finance/settled-records?status=cancelled"))
	if n := doc.Find(testid("settled-row")).Length(); n != 1 || doc.Find(testid("total-orders")).Text() != "1" {
		t.Fatalf("cancelled: %d rows", n)
	}
	doc = parse(t, b.get("/finance/settled-records?from=2025-12-02"))
	if n := doc.Find(testid("settled-row")).Length(); n != 0 || doc.Find(testid("total-orders")).Text() != "0" {
		t.Fatalf("from tomorrow: %d rows", n)
	}
	doc = parse(t, b.get("/finance/settled-records?from=2025-12-01&to=2025-12-01"))
	if got := doc.Find(testid("total-orders")).Text(); got != "53" {
		t.Fatalf("one day: %s orders", got)
	}
	rec = b.get("/finance/settled-records?from=2025-12-02&to=2025-12-01")
	wantStatus(t, rec, http.StatusUnprocessableEntity)

	// Exports: the filtered rows, every one.
	rec = b.get("/finance/settled-records.csv?status=placed")
	wantStatus(t, rec, http.StatusOK)
	records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 53 || records[1][0] != "P-52" || records[1][3] != "10.00" || records[1][6] != "0.10" {
		t.Fatalf("CSV: %d records, first %v", len(records), records[1])
	}
	rec = b.get("/finance/settled-records.xlsx")
	wantStatus(t, rec, http.StatusOK)
	book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := book.GetRows("Settled records")
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 54 || xrows[1][0] != "P-52" || xrows[1][6] != "0.10" {
		t.Fatalf("XLSX: %d rows, first %v", len(xrows), xrows[1])
	}
}

func TestOrderDetailsBelongToTheShop(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	var id int64
	w.db.Raw(`SELECT id FROM orders WHERE external_id = 'S-1'`).Scan(&id)
	b := w.browser()
	b.signIn("seller2@x.test")
	wantStatus(t, b.get(fmt.Sprintf("/finance/orders/%d", id)), http.StatusNotFound)
	doc := parse(t, b.get("/finance/settled-records"))
	if doc.Find(testid("settled-row")).Length() != 0 {
		t.Fatal("another shop's orders are listed")
	}
	rec := b.get("/finance/settled-records.csv")
	if strings.Contains(rec.Body.String(), "S-1") {
		t.Fatal("another shop's orders are exported")
	}
}

func TestManagerCreatesAndRevokesTokens(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	seller := w.browser()
	seller.signIn("seller@x.test")
	wantStatus(t, seller.get("/manager/api-tokens"), http.StatusForbidden)

	b := w.browser()
	b.signIn("manager@x.test")
	rec := b.get("/manager/api-tokens")
	wantStatus(t, rec, http.StatusOK)
	rec = b.post("/manager/api-tokens", url.Values{"name": {""}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	rec = b.post("/manager/api-tokens", url.Values{"name": {"Warehouse feed"}})
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	secret := strings.TrimSpace(doc.Find(testid("new-token-secret")).Text())
	if !strings.HasPrefix(secret, "cpt_") {
		t.Fatalf("secret %q", secret)
	}
	// The new token works, and its last use shows.
	wantStatus(t, w.call(http.MethodGet, "/api/v1/orders/none/settlement?shop_id="+w.maple.PublicID, nil, secret), http.StatusNotFound)
	doc = parse(t, b.get("/manager/api-tokens"))
	if strings.Contains(doc.Text(), secret) {
		t.Fatal("the secret is shown again")
	}
	// Revoking asks first, in the page's confirm dialog.
	revoke := doc.Find(testid("revoke-token")).First().Closest("form")
	if title, _ := revoke.Attr("data-confirm-title"); !strings.HasPrefix(title, "Revoke the token") {
		t.Errorf("the revoke form does not ask first: data-confirm-title %q", title)
	}
	if body, _ := revoke.Attr("data-confirm-body"); !strings.Contains(body, "refused from now on") {
		t.Errorf("the revoke question does not say what follows: %q", body)
	}
	var tok orders.APIToken
	w.db.Where("name = ?", "Warehouse feed").Take(&tok)
	if tok.LastUsedAt == nil {
		t.Fatal("last use not recorded")
	}
	rec = b.post(fmt.Sprintf("/manager/api-tokens/%d/revoke", tok.ID), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	wantStatus(t, w.call(http.MethodGet, "/api/v1/orders/none/settlement?shop_id="+w.maple.PublicID, nil, secret), http.StatusUnauthorized)
	rec = b.post(fmt.Sprintf("/manager/api-tokens/%d/revoke", tok.ID), nil)
	wantStatus(t, rec, http.StatusConflict)
}

func TestManagePageShowsCampaignMoney(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	var regID int64
	w.db.Raw(`SELECT id FROM registrations WHERE campaign_id = ? AND shop_id = ?`, w.open.ID, w.maple.ID).Scan(&regID)
	b := w.browser()
	b.signIn("seller@x.test")
	doc := parse(t, b.get(fmt.Sprintf("/registrations/%d", regID)))
	slot, ok := doc.Find(testid("campaign-money-slot")).Attr("hx-get")
	if !ok {
		t.Fatal("no fee and coupon totals on the Manage page")
	}
	rec := b.get(slot, htmx)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	if got := doc.Find(testid("money-orders")).Text(); got != "1" {
		t.Errorf("orders %q", got)
	}
	if got := doc.Find(testid("money-fee")).Text(); !strings.HasPrefix(got, "$1.95") {
		t.Errorf("fee %q", got)
	}
	// 19.00 − 9.50 given back by the return
	if got := doc.Find(testid("money-coupons")).Text(); got != "you paid $9.50, the platform $9.50" {
		t.Errorf("coupons %q", got)
	}
	if href, _ := doc.Find(testid("money-records")).Attr("href"); href != fmt.Sprintf("/finance/settled-records?campaign=%d", w.open.ID) {
		t.Errorf("link %q", href)
	}
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.get(slot), http.StatusNotFound)
}
