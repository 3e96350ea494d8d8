package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// platformWorld: Maple & Co and Northwind sell in the open campaign (Los
// Angeles), each one order with the co-funded coupon through the API.
func platformWorld(t *testing.T) *apiWorld {
	t.Helper()
	w := newAPIWorld(t)
	reg := modeltest.Register(t, w.db, w.open.ID, w.north.ID, models.RegistrationRegistered)
	_, tea := modeltest.Product(t, w.db, w.north.ID, "Tea set", "60.00")
	modeltest.RegisterSKU(t, w.db, reg, tea[0], "50.00", apiPlaced.Add(-48*time.Hour))
	for _, o := range []struct {
		id, shop, sku string
		qty           int
		price, disc   string
	}{
		{"P-1", w.maple.PublicID, w.skus[0].SKUCode, 2, "100.00", "10.00"},
		{"P-2", w.north.PublicID, tea[0].SKUCode, 3, "50.00", "0.00"},
	} {
		body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": "2025-12-01T10:00:00-08:00", "lines": [{"sku_id": %q,
			"quantity": %d, "unit_price": %q, "seller_discount": %q}], "shipping_paid": "0.00"%s}`,
			o.id, o.shop, o.sku, o.qty, o.price, o.disc, w.withCoupon())
		wantStatus(t, w.post("/api/v1/orders", body), http.StatusCreated)
	}
	return w
}

// cellsText is a table row's cells, " | " between them.
func cellsText(row *goquery.Selection) string {
	return strings.Join(row.Children().Map(func(_ int, c *goquery.Selection) string { return strings.TrimSpace(c.Text()) }), " | ")
}

func TestPlatformViewForManagers(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	b := w.browser()
	b.signIn("manager@x.test")
	doc := parse(t, b.get(fmt.Sprintf("/manager/campaigns/%d", w.open.ID)))
	href, ok := doc.Find(testid("performance")).Attr("href")
	if want := fmt.Sprintf("/manager/campaigns/%d/performance", w.open.ID); !ok || href != want {
		t.Fatalf("performance link %q, want %q", href, want)
	}
	rec := b.get(href)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	if got := doc.Find(testid("zone")).Text(); got != "Days in America/Los_Angeles" {
		t.Errorf("zone %q", got)
	}
	// P-1: 190.00, fee 1.90, coupon 38.00 split 19.00/19.00; P-2: 150.00,
	// fee 1.50, coupon 30.00 split 15.00/15.00. The fixture's coupon had
	// 100 claims before.
	for id, want := range map[string]string{
		"stat-shops": "2", "stat-skus": "3", "stat-orders": "2", "stat-sales": "$340.00", "stat-fee": "$3.40",
		"stat-subsidy": "$34.00", "stat-seller-coupons": "$34.00", "stat-coupons": "102 of 1,000",
	} {
		if got := strings.TrimSpace(doc.Find(testid(id)).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	// The run's days in Los Angeles, each in the charts' data tables.
	if n := doc.Find(testid("chart")).Length(); n != 2 {
		t.Fatalf("%d charts", n)
	}
	sales := doc.Find(testid("chart-table")).First().Find("tbody tr")
	if sales.Length() != 3 {
		t.Fatalf("%d days in the sales table", sales.Length())
	}
	if got := cellsText(sales.Eq(1)); got != "Dec 1, 2025 | $340.00 | 2" {
		t.Errorf("Dec 1 row %q", got)
	}
	cost := doc.Find(testid("chart-table")).Eq(1).Find("tbody tr").Eq(1)
	if got := cellsText(cost); got != "Dec 1, 2025 | $3.40 | $34.00" {
		t.Errorf("Dec 1 costs %q", got)
	}
	coupon := doc.Find(testid("coupon-row"))
	if coupon.Length() != 1 || coupon.Find(testid("coupon-code")).Text() != "TEST-20PCT" ||
		coupon.Find(testid("coupon-claimed")).Text() != "102" || coupon.Find(testid("coupon-issued")).Text() != "1,000" {
		t.Errorf("coupons %q", strings.Join(strings.Fields(coupon.Text()), " "))
	}
	shops := doc.Find(testid("top-shop"))
	if shops.Length() != 2 {
		t.Fatalf("%d top shops", shops.Length())
	}
	for i, want := range []string{"Maple & Co 1 $190.00 $1.90 $19.00", "Northwind Goods 1 $150.00 $1.50 $15.00"} {
		s := shops.Eq(i)
		got := strings.Join([]string{s.Find(testid("shop-name")).Text(), s.Find(testid("shop-orders")).Text(),
			s.Find(testid("shop-sales")).Text(), s.Find(testid("shop-fee")).Text(), s.Find(testid("shop-subsidy")).Text()}, " ")
		if got != want {
			t.Errorf("top shop %d: %q, want %q", i+1, got, want)
		}
	}
	// A range without orders: zero figures, the charts say so.
	doc = parse(t, b.get(fmt.Sprintf("/manager/campaigns/%d/performance?from=2025-11-30&to=2025-11-30", w.open.ID)))
	if got := doc.Find(testid("stat-orders")).Text(); got != "0" || doc.Find(testid("chart-empty")).Length() != 2 ||
		doc.Find(testid("top-shops-empty")).Length() != 1 {
		t.Errorf("Nov 30: %s orders, %d empty charts", got, doc.Find(testid("chart-empty")).Length())
	}
}

func TestPlatformViewRefusesAndValidates(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	path := fmt.Sprintf("/manager/campaigns/%d/performance", w.open.ID)
	seller := w.browser()
	seller.signIn("seller@x.test")
	wantStatus(t, seller.get(path), http.StatusForbidden)
	reviewer := w.browser()
	reviewer.signIn("reviewer@x.test")
	wantStatus(t, reviewer.get(path), http.StatusForbidden)

	b := w.browser()
	b.signIn("manager@x.test")
	wantStatus(t, b.get(fmt.Sprintf("/manager/campaigns/%d/performance", w.open.ID+1000)), http.StatusNotFound)
	wantStatus(t, b.get("/manager/campaigns/abc/performance"), http.StatusNotFound)
	rec := b.get(path + "?from=2025-13-01&to=2025-12-02")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc := parse(t, rec)
	if got := doc.Find(testid("from-error")).Text(); got != "Use a date such as 2026-12-01." {
		t.Errorf("from error %q", got)
	}
	if v, _ := doc.Find("#platform-from").Attr("aria-invalid"); v != "true" {
		t.Error("the from field is not marked invalid")
	}
	// The rest of the page still shows the figures, from the run's start.
	if got := doc.Find(testid("stat-orders")).Text(); got != "2" {
		t.Errorf("orders %q", got)
	}
	rec = b.get(path + "?from=2025-12-02&to=2025-12-01")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := parse(t, rec).Find(testid("to-error")).Text(); got != "The end date is before the start date." {
		t.Errorf("to error %q", got)
	}
	// A draft has no performance link.
	doc = parse(t, b.get(fmt.Sprintf("/manager/campaigns/%d", w.draft.ID)))
	if doc.Find(testid("performance")).Length() != 0 {
		t.Error("a draft links to its performance")
	}
}
