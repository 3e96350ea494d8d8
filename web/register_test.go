package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/models/modeltest"
)

func TestRegisterJourneyThroughTheRouter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, skus := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00", "30.00")
	theirs, _ := modeltest.Product(t, w.db, w.north.ID, "Their mug", "10.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)

	doc := parse(t, b.get(fmt.Sprintf("/campaigns/%d", w.open.ID)))
	if href, _ := doc.Find(testid("register-now")).Attr("href"); href != base {
		t.Fatalf("Register now links to %q", href)
	}
	wantStatus(t, b.get(base), http.StatusOK)

	// Another shop's product in a pick: 404 and nothing saved.
	rec := b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID), fmt.Sprint(theirs.ID)}})
	wantStatus(t, rec, http.StatusNotFound)
	if n := countTable(t, w, "registration_skus"); n != 0 {
		t.Fatalf("a refused pick saved %d SKUs", n)
	}
	rec = b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}})
	wantStatus(t, rec, http.StatusSeeOther)
	doc = parse(t, b.get(base))
	rows := doc.Find(testid("sku-row"))
	if rows.Length() != 2 {
		t.Fatalf("price table rows = %d", rows.Length())
	}
	if tip := rows.First().Find(testid("price-tip")).Text(); !strings.Contains(tip, "Maximum allowed $20.00") || !strings.Contains(tip, "Recommended") {
		t.Errorf("hover range = %q", tip)
	}
	var rsIDs []int64
	w.db.Raw(`SELECT id FROM registration_skus ORDER BY sku_id`).Scan(&rsIDs)

	// Typing: a bad price is 422 with the reason and stores nothing.
	rec = b.post(fmt.Sprintf("%s/skus/%d", base, rsIDs[0]), url.Values{"price": {"12.345"}, "stock": {"5"}}, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if msg := parse(t, rec).Find(testid("price-error")).Text(); !strings.Contains(msg, "two decimals") {
		t.Errorf("price error = %q", msg)
	}
	// A price a cent above the maximum is kept but flagged; the maximum passes.
	rec = b.post(fmt.Sprintf("%s/skus/%d", base, rsIDs[0]), url.Values{"price": {"20.01"}, "stock": {"5"}}, htmx)
	wantStatus(t, rec, http.StatusOK)
	if msg := parse(t, rec).Find(testid("price-error")).Text(); !strings.Contains(msg, "Above the maximum of $20.00") {
		t.Errorf("above max = %q", msg)
	}
	doc = parse(t, b.get(base+"?problem=price-too-high"))
	if doc.Find(testid("sku-row")).Length() != 2 || doc.Find(testid("filter-price-too-high")).Length() != 1 {
		t.Error("the price-too-high filter does not show the product")
	}
	// Another shop's row id: 404.
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.post(fmt.Sprintf("%s/skus/%d", base, rsIDs[0]), url.Values{"price": {"1"}}, htmx), http.StatusForbidden) // not eligible at all

	// Fix everything with bulk actions, then submit twice with one key.
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"percent-off"}, "value": {"2"}, "scope": {"all"}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"set-stock"}, "value": {"5"}, "scope": {"all"}}), http.StatusSeeOther)
	rec = b.post(base+"/bulk", url.Values{"action": {"set-stock"}, "value": {"lots"}, "scope": {"all"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc = parse(t, b.get(base))
	if doc.Find(testid("error-filters")+" .count-bad").Length() != 0 {
		t.Fatalf("problems left: %s", doc.Find(testid("error-filters")).Text())
	}
	if got := doc.Find(testid("total-keep")).Text(); got == "$0.00" || got == "" {
		t.Errorf("profit preview total = %q", got)
	}
	key, _ := doc.Find(`input[name="submit_key"]`).Attr("value")
	rec = b.post(base+"/submit", url.Values{"submit_key": {key}})
	wantStatus(t, rec, http.StatusSeeOther) // coupons not accepted: back to the page, which says so
	if !strings.Contains(parse(t, b.get(strings.TrimSuffix(rec.Header().Get("Location"), "#submit-summary"))).Find("#accept_coupons-error").Text(), "Accept the campaign coupons") {
		t.Error("no message next to the coupon checkbox")
	}
	rec = b.post(base+"/submit", url.Values{"submit_key": {key}, "accept_coupons": {"1"}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec2 := b.post(base+"/submit", url.Values{"submit_key": {key}, "accept_coupons": {"1"}})
	wantStatus(t, rec2, http.StatusSeeOther)
	if rec.Header().Get("Location") != rec2.Header().Get("Location") {
		t.Errorf("double submit went to %q then %q", rec.Header().Get("Location"), rec2.Header().Get("Location"))
	}
	if n := countTable(t, w, "registrations WHERE status = 'pending'"); n != 1 {
		t.Errorf("pending registrations = %d", n)
	}
	doc = parse(t, b.get(rec.Header().Get("Location")))
	if !strings.Contains(doc.Find(testid("submitted-status")).Text(), "Under review") {
		t.Errorf("submitted page: %q", doc.Find(testid("submitted-status")).Text())
	}
	recs := doc.Find(testid("recommendation")).Length()
	if recs == 0 || doc.Find(testid("rec-accept-all")).Length() != 1 {
		t.Fatal("no price recommendations, or no Accept all, on the submitted page")
	}
	// Accept all: every row answered, in place, and the page says how many.
	page := rec.Header().Get("Location")
	acceptAll := strings.TrimSuffix(page, "/submitted") + "/recommendations-accept-all"
	rec = b.post(acceptAll, url.Values{})
	wantStatus(t, rec, http.StatusSeeOther)
	doc = parse(t, b.get(rec.Header().Get("Location")))
	if got := doc.Find(testid("notice")).Text(); got != fmt.Sprintf("%d recommendations accepted.", recs) {
		t.Errorf("notice %q after accepting %d", got, recs)
	}
	if doc.Find(testid("rec-accept")).Length() != 0 || doc.Find(testid("rec-outcome")).Length() != recs {
		t.Errorf("after accept all: %d open, %d answered; want 0 and %d", doc.Find(testid("rec-accept")).Length(), doc.Find(testid("rec-outcome")).Length(), recs)
	}
	_ = skus
}

func TestSubmitAfterTheDeadlineIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, _ := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"percent-off"}, "value": {"10"}, "scope": {"all"}}), http.StatusSeeOther)
	wantStatus(t, b.post(base+"/bulk", url.Values{"action": {"set-stock"}, "value": {"5"}, "scope": {"all"}}), http.StatusSeeOther)
	w.db.Exec(`UPDATE campaigns SET registration_deadline = now() - interval '1 minute' WHERE id = ?`, w.open.ID)
	rec := b.post(base+"/submit", url.Values{"submit_key": {"k"}, "accept_coupons": {"1"}})
	wantStatus(t, rec, http.StatusConflict)
	if !strings.Contains(rec.Body.String(), "Registration closed at the deadline") {
		t.Errorf("refusal does not show the deadline: %.400s", rec.Body.String())
	}
	if n := countTable(t, w, "registrations WHERE status = 'pending'"); n != 0 {
		t.Error("a late submit was stored")
	}
}

func countTable(t *testing.T, w *world, fromWhere string) int64 {
	t.Helper()
	var n int64
	if err := w.db.Raw("SELECT count(*) FROM " + fromWhere).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A refused submit comes back to the price table with the reasons at the
// top (Post/Redirect/Get): refresh and Back show the page, never a 405.
func TestRefusedSubmitAnswersAtTheTop(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, _ := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	key, _ := parse(t, b.get(base)).Find(`input[name="submit_key"]`).Attr("value")
	rec := b.post(base+"/submit", url.Values{"submit_key": {key}})
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, base+"?") || !strings.HasSuffix(loc, "#submit-summary") {
		t.Fatalf("refused submit went to %q", loc)
	}
	doc := parse(t, b.get(strings.TrimSuffix(loc, "#submit-summary")))
	summary := doc.Find(testid("submit-refused"))
	if summary.Length() != 1 || summary.AttrOr("id", "") != "submit-summary" || summary.AttrOr("autofocus", "x") == "x" {
		t.Fatalf("no focused summary at the top: %q", doc.Find("main").Text())
	}
	for _, want := range []string{"Accept the campaign coupons", "1 SKU still needs attention"} {
		if !strings.Contains(summary.Text(), want) {
			t.Errorf("summary %q does not say %q", summary.Text(), want)
		}
	}
	if !strings.Contains(doc.Find("#accept_coupons-error").Text(), "Accept the campaign coupons") {
		t.Error("no message next to the coupon checkbox")
	}
	if n := countTable(t, w, "registrations WHERE status = 'pending'"); n != 0 {
		t.Errorf("a refused submit changed the registration: %d pending", n)
	}
	// Back or refresh on the address the form posted to: its page.
	rec = b.get(base + "/submit")
	wantStatus(t, rec, http.StatusSeeOther)
	if got := rec.Header().Get("Location"); got != base {
		t.Errorf("GET %s/submit went to %q, want the price table", base, got)
	}
}

// No POST-only address answers a GET with 405: each leads to its page.
func TestGetOnPostOnlyAddressesLeadsToThePage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	for target, want := range map[string]string{
		fmt.Sprintf("/registrations/%d/withdraw", w.mapleReg.ID): fmt.Sprintf("/registrations/%d", w.mapleReg.ID),
		fmt.Sprintf("/campaigns/%d/register/bulk", w.open.ID):    fmt.Sprintf("/campaigns/%d/register", w.open.ID),
		fmt.Sprintf("/campaigns/%d/register/skus/12", w.open.ID): fmt.Sprintf("/campaigns/%d/register", w.open.ID),
		"/account/password":    "/account",
		"/logout":              "/",
		"/review/bulk-approve": "/review",
		fmt.Sprintf("/manager/campaigns/%d/publish", w.draft.ID): fmt.Sprintf("/manager/campaigns/%d", w.draft.ID),
		"/notifications/read": "/notifications",
	} {
		rec := b.get(target)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 303 to %s", target, rec.Code, rec.Header().Get("Location"), want)
		}
	}
}

// Each refused field says one thing, the real reason, once.
func TestPriceTableMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, _ := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	var rsID int64
	w.db.Raw(`SELECT id FROM registration_skus LIMIT 1`).Scan(&rsID)
	for _, tt := range []struct{ price, stock, field, want string }{
		{"abc", "5", "price-error", "Enter a price like 12.99."},
		{"33,00", "5", "price-error", "Use a point for cents: 33.00."},
		{"12.345", "5", "price-error", "Use at most two decimals, like 12.99."},
		{"0", "5", "price-error", "The price must be more than $0.00."},
		{"99999999999", "5", "price-error", "Enter a price of at most $9,999,999,999.99."},
		{"20.01", "5", "price-error", "Above the maximum of $20.00"},
		{"10.00", "lots", "stock-error", "Enter a whole number of units, like 25."},
		{"10.00", "2147483648", "stock-error", "Enter at most 2,147,483,647 units."},
		{"10.00", "0", "stock-error", "Enter at least 1 unit."},
	} {
		rec := b.post(fmt.Sprintf("%s/skus/%d", base, rsID), url.Values{"price": {tt.price}, "stock": {tt.stock}}, htmx)
		if rec.Code >= 500 {
			t.Fatalf("price %q stock %q: %d", tt.price, tt.stock, rec.Code)
		}
		row := parse(t, rec)
		msgs := row.Find(".field-error")
		if msgs.Length() != 1 || !strings.HasPrefix(strings.TrimSpace(msgs.Text()), tt.want) || row.Find(testid(tt.field)).Length() != 1 {
			t.Errorf("price %q stock %q: messages %q, want one %s saying %q", tt.price, tt.stock, msgs.Text(), tt.field, tt.want)
		}
	}
}

// A product without stock cannot be picked, and the Pick page says why.
func TestPickSaysWhyAProductWithoutStockCannotBePicked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	empty, _ := modeltest.Product(t, w.db, w.maple.ID, "Sold-out mug", "20.00")
	stocked, _ := modeltest.Product(t, w.db, w.maple.ID, "Lamp", "30.00")
	w.db.Exec(`UPDATE skus SET stock = 0 WHERE product_id = ?`, empty.ID)
	doc := parse(t, b.get(fmt.Sprintf("/campaigns/%d/register/pick", w.open.ID)))
	rows := doc.Find(testid("pick-row"))
	found := 0
	rows.Each(func(_ int, r *goquery.Selection) {
		box := r.Find(`input[type=checkbox]`)
		switch {
		case strings.Contains(r.Text(), "Sold-out mug"):
			found++
			if _, disabled := box.Attr("disabled"); !disabled || !strings.Contains(r.Find(testid("pick-no-stock")).Text(), "No stock") {
				t.Errorf("the sold-out product can be picked, or nothing says why: %q", r.Text())
			}
		case strings.Contains(r.Text(), "Lamp"):
			found++
			if _, disabled := box.Attr("disabled"); disabled || box.AttrOr("value", "") != fmt.Sprint(stocked.ID) {
				t.Errorf("the stocked product cannot be picked: %q", r.Text())
			}
		}
	})
	if found != 2 {
		t.Fatalf("found %d of the 2 products on the Pick page", found)
	}
}
