package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestRolesAndSignInRequired(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anon := w.browser()
	rec := anon.get("/campaigns?tab=upcoming")
	wantStatus(t, rec, http.StatusSeeOther)
	if got := rec.Header().Get("Location"); got != "/login?next=%2Fcampaigns%3Ftab%3Dupcoming" {
		t.Errorf("Location = %q", got)
	}
	rec = anon.get("/campaigns", htmx)
	wantStatus(t, rec, http.StatusUnauthorized)
	if rec.Header().Get("HX-Redirect") == "" {
		t.Error("htmx request without a session gets no HX-Redirect")
	}

	seller, reviewer, manager := w.browser(), w.browser(), w.browser()
	seller.signIn("seller@x.test")
	reviewer.signIn("reviewer@x.test")
	manager.signIn("manager@x.test")
	for _, c := range []struct {
		who  *browser
		path string
		want int
	}{
		{seller, "/review", http.StatusForbidden},
		{seller, "/manager", http.StatusForbidden},
		{reviewer, "/campaigns", http.StatusForbidden},
		{reviewer, "/products", http.StatusForbidden},
		{reviewer, "/manager", http.StatusForbidden},
		{manager, "/review", http.StatusForbidden},
		{manager, fmt.Sprintf("/campaigns/%d", w.open.ID), http.StatusForbidden},
		{reviewer, "/review", http.StatusOK},
		{manager, "/manager", http.StatusOK},
		{seller, "/account", http.StatusOK},
	} {
		rec := c.who.get(c.path)
		if rec.Code != c.want {
			t.Errorf("GET %s: status %d, want %d", c.path, rec.Code, c.want)
		}
		if rec.Code == http.StatusForbidden && parse(t, rec).Find(testid("error-page")).Length() != 1 {
			t.Errorf("GET %s: 403 without the friendly error page", c.path)
		}
	}
}

func TestSellerGets404ForAnotherShopsRows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	maple := w.browser()
	maple.signIn("seller@x.test")
	northProduct, _ := productFor(t, w, w.north.ID)
	mapleProduct, _ := productFor(t, w, w.maple.ID)
	for _, c := range []struct {
		path string
		want int
	}{
		{fmt.Sprintf("/registrations/%d", w.northReg.ID), http.StatusNotFound},
		{fmt.Sprintf("/registrations/%d", w.mapleReg.ID), http.StatusOK},
		{fmt.Sprintf("/products/%d", northProduct), http.StatusNotFound},
		{fmt.Sprintf("/products/%d", mapleProduct), http.StatusOK},
		{fmt.Sprintf("/campaigns/%d", w.draft.ID), http.StatusNotFound},
		{"/campaigns/not-a-number", http.StatusNotFound},
		{"/registrations/-1", http.StatusNotFound},
	} {
		rec := maple.get(c.path)
		if rec.Code != c.want {
			t.Errorf("GET %s: status %d, want %d", c.path, rec.Code, c.want)
		}
	}
	// The product list shows only the shop's own products.
	doc := parse(t, maple.get("/products"))
	if n := doc.Find(testid("product-row")).Length(); n != 1 {
		t.Errorf("product list has %d rows, want Maple's 1", n)
	}
}

func productFor(t *testing.T, w *world, shopID int64) (int64, error) {
	t.Helper()
	var id int64
	err := w.db.Raw(`WITH c AS (INSERT INTO categories (name) VALUES ('Kitchen') ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id)
		INSERT INTO products (shop_id, pid, title, category_id) SELECT ?, ?, 'Mug', id FROM c RETURNING id`,
		shopID, fmt.Sprintf("%d", 7000000+shopID)).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	return id, nil
}

func TestCampaignListTabs(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")

	rec := b.get("/campaigns")
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	if tab, _ := doc.Find(testid("campaign-list")).Attr("data-tab"); tab != "open" {
		t.Errorf("default tab = %q, want open", tab)
	}
	rows := doc.Find(testid("campaign-row"))
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Black Friday & Cyber Monday") {
		t.Fatalf("open tab rows: %q", rows.Text())
	}
	if rows.Find(testid("eligible")).Length() != 1 || rows.Find(testid("countdown")).Length() != 1 {
		t.Error("open row lacks the eligibility badge or the countdown")
	}
	if action := rows.Find(testid("action")); action.Text() != "Register now" {
		t.Errorf("action = %q, want Register now", action.Text())
	}
	if got := doc.Find(testid("tab-upcoming") + " .count").Text(); got != "1" {
		t.Errorf("upcoming count = %q", got)
	}
	if strings.Contains(rec.Body.String(), "Secret Draft") {
		t.Error("a draft campaign shows in the seller's list")
	}

	// htmx tab switch: a fragment with the panel, the tabs out of band and the Vary header.
	rec = b.get("/campaigns?tab=upcoming", htmx)
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	if strings.Contains(body, "<html") || !strings.Contains(body, `hx-swap-oob="true"`) {
		t.Errorf("htmx answer is not a fragment with out-of-band tabs: %.300s", body)
	}
	if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "HX-Request") {
		t.Error("Vary lacks HX-Request")
	}
	doc = parse(t, rec)
	if !strings.Contains(doc.Find(testid("campaign-row")).Text(), "New Year Kickoff") {
		t.Error("upcoming tab does not show the upcoming campaign")
	}
	if cur, _ := doc.Find(testid("tab-upcoming")).Attr("aria-current"); cur != "page" {
		t.Error("the upcoming tab is not marked current")
	}
	// A history restore asks for the whole page.
	rec = b.get("/campaigns?tab=upcoming", htmx, header("HX-History-Restore-Request", "true"))
	if !strings.Contains(rec.Body.String(), "<html") {
		t.Error("a history-restore request got a fragment")
	}

	doc = parse(t, b.get("/campaigns?tab=registered"))
	reg := doc.Find(testid("campaign-row"))
	if !strings.Contains(reg.Text(), "Summer Super Sale") || reg.Find(testid("action")).Text() != "Manage" {
		t.Errorf("registered tab: %q", reg.Text())
	}
	if href, _ := reg.Find(testid("action")).Attr("href"); href != fmt.Sprintf("/registrations/%d", w.mapleReg.ID) {
		t.Errorf("Manage links to %q", href)
	}
	doc = parse(t, b.get("/campaigns?tab=ended"))
	if !strings.Contains(doc.Find(testid("campaign-row")).Text(), "Summer Super Sale") {
		t.Error("ended tab lacks the ended campaign")
	}
	doc = parse(t, b.get("/campaigns?q=nothing-matches"))
	if doc.Find(testid("campaign-empty")).Length() != 1 {
		t.Error("no empty state for a search without results")
	}

	// Northwind is not eligible, for two reasons, and cannot register.
	n := w.browser()
	n.signIn("seller2@x.test")
	doc = parse(t, n.get("/campaigns"))
	row := doc.Find(testid("campaign-row"))
	if row.Find(testid("not-eligible")).Length() != 1 || row.Find(".reasons li").Length() != 2 {
		t.Errorf("Northwind's row: %q", row.Text())
	}
	if dis, _ := row.Find(testid("action")).Attr("aria-disabled"); dis != "true" {
		t.Error("an ineligible shop gets an active Register button")
	}
	doc = parse(t, n.get("/campaigns?eligible=1"))
	if doc.Find(testid("campaign-row")).Length() != 0 {
		t.Error("eligible-only filter still lists a campaign Northwind cannot join")
	}
	doc = parse(t, n.get("/campaigns?tab=registered"))
	if !strings.Contains(doc.Find(testid("registration-status")).Text(), "Rejected") {
		t.Error("Northwind's rejected registration is not shown as such")
	}
}

func TestCampaignDetails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get(fmt.Sprintf("/campaigns/%d", w.open.ID))
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	if got := doc.Find(testid("campaign-title")).Text(); got != "Black Friday & Cyber Monday" {
		t.Errorf("title = %q", got)
	}
	for id, want := range map[string]string{"criterion-sps": "pass", "criterion-free-shipping": "pass",
		"criterion-coupons": "at-registration", "criterion-price-lookback": "at-registration"} {
		if got, _ := doc.Find(testid(id)).Attr("data-status"); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if !strings.Contains(doc.Find(testid("criterion-price-lookback")).Text(), "lowest price in the past 60 days") {
		t.Error("lookback rule not stated in words")
	}
	row := doc.Find(testid("coupon-table") + " " + testid("coupon-row"))
	if row.Length() != 1 {
		t.Fatalf("coupon rows = %d", row.Length())
	}
	cells := []string{}
	row.Find("td").Each(func(_ int, s *goquery.Selection) { cells = append(cells, strings.TrimSpace(s.Text())) })
	want := []string{"%", "20%", "$100.00", "$50.00", "All customers", "50% / 50%", "$25.00 per order", "900 of 1000"}
	for i, w := range want {
		if i+1 >= len(cells) || cells[i+1] != w {
			t.Errorf("coupon cell %d = %q, want %q (row %q)", i+1, cells[i+1], w, cells)
		}
	}
	if got := doc.Find(testid("fee-example-total")).Text(); got != "$0.95" {
		t.Errorf("fee example = %q, want $0.95", got)
	}
	if doc.Find(testid("coupon-rules")+" li").Length() != 6 {
		t.Error("coupon rules incomplete")
	}
	if !strings.Contains(doc.Find(testid("verdict")).Text(), "eligible") {
		t.Errorf("verdict = %q", doc.Find(testid("verdict")).Text())
	}

	n := w.browser()
	n.signIn("seller2@x.test")
	doc = parse(t, n.get(fmt.Sprintf("/campaigns/%d", w.open.ID)))
	for _, id := range []string{"criterion-sps", "criterion-free-shipping"} {
		if got, _ := doc.Find(testid(id)).Attr("data-status"); got != "fail" {
			t.Errorf("Northwind %s = %q, want fail", id, got)
		}
	}
	if doc.Find(testid("verdict")+" .reasons li").Length() != 2 {
		t.Error("Northwind's verdict does not list two reasons")
	}
}

func TestInfrastructureEndpoints(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	rec := b.get("/healthz")
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"database":"ok"`) {
		t.Errorf("healthz = %s", rec.Body.String())
	}
	rec = b.get("/login")
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Frame-Options") != "DENY" {
		t.Error("security headers missing")
	}
	doc := parse(t, rec)
	if doc.Find("script:not([src])").Length() != 0 {
		t.Error("an inline script on the sign-in page")
	}
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.HasPrefix(css, "/static/app.") || css == "/static/app.css" {
		t.Fatalf("stylesheet URL %q is not content-hashed", css)
	}
	rec = b.get(css)
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("static headers: %v", rec.Header())
	}
	htmxURL, _ := doc.Find(`script[src*="htmx"]`).Attr("src")
	wantStatus(t, b.get(htmxURL), http.StatusOK)
	wantStatus(t, b.get("/static/app.css"), http.StatusNotFound)

	// Metrics are not on the application's port (METRICS_ADDR serves them).
	wantStatus(t, b.get("/metrics"), http.StatusNotFound)
	scraped := w.scrapeMetrics()
	for _, m := range []string{"portal_http_requests_total", `route="/login"`, "portal_http_request_duration_seconds", "go_sql_open_connections"} {
		if !strings.Contains(scraped, m) {
			t.Errorf("metrics lack %s", m)
		}
	}
	// The statement counter moves with a page that reads the database.
	statements := func() int {
		m := regexp.MustCompile(`(?m)^portal_db_statements_total (\d+)`).FindStringSubmatch(w.scrapeMetrics())
		if m == nil {
			t.Fatal("metrics lack portal_db_statements_total")
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	b.signIn("seller@x.test")
	before := statements()
	wantStatus(t, b.get("/account"), http.StatusOK)
	if after := statements(); after <= before {
		t.Errorf("portal_db_statements_total %d after a page, %d before", after, before)
	}
	rec = b.get("/no/such/page")
	wantStatus(t, rec, http.StatusNotFound)
	if parse(t, rec).Find(testid("error-page")).Length() != 1 {
		t.Error("404 without the friendly page")
	}
}
