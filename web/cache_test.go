package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// Signed-in pages and exports say Cache-Control: no-store, so no browser
// or proxy keeps a shop's figures for the next person; static files stay
// cacheable.
func TestSignedInPagesAndExportsAreNotStored(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	for _, p := range []string{"/campaigns", "/products", "/finance/settled-records", "/finance/settled-records.csv",
		"/finance/settled-records.xlsx", "/campaigns/performance", "/campaigns/performance/export/csv",
		fmt.Sprintf("/campaigns/%d/performance/export/days/csv", w.ended.ID), "/account", "/notifications", "/login"} {
		rec := b.get(p)
		if rec.Code >= 400 {
			t.Errorf("GET %s: %d", p, rec.Code)
			continue
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, got)
		}
	}
	doc := parse(t, b.get("/campaigns"))
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if got := b.get(css).Header().Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("static %s: Cache-Control %q", css, got)
	}
}
