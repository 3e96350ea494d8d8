package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"campaignportal/models/modeltest"
)

// No input, however hostile, gets a 5xx: NUL, invalid UTF-8, lone
// surrogates in a search, absurd page numbers.
func TestHostileQueriesNeverGetA5xx(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	pages := []string{"/campaigns", "/products", fmt.Sprintf("/campaigns/%d/register/pick", w.open.ID),
		fmt.Sprintf("/campaigns/%d/register", w.open.ID), "/finance/settled-records", "/notifications"}
	values := []string{"%00", "%FF%FE", "%ED%A0%80", "a%00b", "99999999999999999999", "-1", "1e9", "%F0%9F%98%80"}
	for _, p := range pages {
		for _, v := range values {
			for _, key := range []string{"q", "page", "after", "from", "to", "campaign", "category", "problem", "tab", "status"} {
				target := p + "?" + key + "=" + v
				if _, err := url.Parse(target); err != nil {
					t.Fatalf("%s: %v", target, err)
				}
				rec := b.get(target)
				if rec.Code >= 500 {
					t.Errorf("GET %s: %d", target, rec.Code)
				}
			}
		}
	}
	for _, target := range []string{"/api/v1/orders/%00/settlement", "/api/v1/orders/%FF/settlement"} {
		if rec := b.get(target); rec.Code >= 500 {
			t.Errorf("GET %s: %d", target, rec.Code)
		}
	}
}

// A form holding NUL or bytes that are not UTF-8 is refused whole, never a 5xx.
func TestFormsWithUnstorableTextAreRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, _ := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	var skuID int64
	w.db.Raw(`SELECT id FROM skus WHERE product_id = ?`, p.ID).Scan(&skuID)
	var before string
	w.db.Raw(`SELECT attributes FROM skus WHERE id = ?`, skuID).Scan(&before)
	for _, bad := range []string{"Blue\x00", "\xff\xfe", "\xed\xa0\x80"} {
		rec := b.post(fmt.Sprintf("/products/%d/skus/%d", p.ID, skuID), url.Values{"attributes": {bad}, "retail_price": {"20.00"}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("attributes %q: %d, want 400", bad, rec.Code)
		}
		rec = b.post("/login", url.Values{"email": {bad}, "password": {"x"}})
		if rec.Code >= 500 {
			t.Errorf("sign-in with %q: %d", bad, rec.Code)
		}
	}
	var after string
	w.db.Raw(`SELECT attributes FROM skus WHERE id = ?`, skuID).Scan(&after)
	if after != before {
		t.Errorf("a refused form changed the SKU: %q, was %q", after, before)
	}
}
