package main

// The seller's campaign performance journey: Marketing › Manage your
// campaigns, last year's campaigns, then View data of one of them: the
// headline, a chart's data table and the products table downloaded as
// XLSX. The orders are the demo's, two years of them anchored on today.
//
//	go test ./cmd/portal -run TestE2ESellerReadsCampaignPerformance -count=1 -v

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func TestE2ESellerReadsCampaignPerformance(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browserCtx := startBrowser(t, chromium)
	// The demo is anchored on today: last year holds campaigns named after it.
	lastYear := strconv.Itoa(time.Now().Year() - 1)

	tab := openTab(t, browserCtx, base)
	tab.signIn("seller@demo.test")

	// Marketing › Manage your campaigns: the side navigation's link in a
	// wide window, the Campaigns page's tab when the side navigation is
	// hidden below 960 px, as in the test's headless window.
	link := `nav.sidenav a[href="/campaigns/performance"]`
	if !tab.isVisible(link) {
		link = `[data-testid=tab-performance]`
	}
	tab.followLink("open Manage your campaigns", link)
	tab.waitVisible(`[data-testid=year-select]`)
	tab.expectText(`h1`, "Manage your campaigns")

	// Last year, chosen in the select, which submits its form on change.
	options := tab.texts(`[data-testid=year-select] option`)
	if !slices.Contains(options, lastYear) {
		t.Fatalf("the year select: want %s among its years, got %q", lastYear, options)
	}
	tab.eval(`window.__e2eOldPage = true`)
	tab.eval(fmt.Sprintf(`(() => {
		const s = document.querySelector("[data-testid=year-select]");
		s.value = %s;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, jsString(lastYear)))
	tab.waitForURL("choosing "+lastYear+" in the year select loads ?year="+lastYear,
		func(u *url.URL) bool { return u.Query().Get("year") == lastYear })
	tab.waitUntil("the page of "+lastYear+" loads", `window.__e2eOldPage !== true && document.readyState === "complete"`)
	if got := evalAs[string](tab, `document.querySelector("[data-testid=year-select]").value`); got != lastYear {
		t.Errorf("the year select after the reload: want %s selected, got %q", lastYear, got)
	}
	names := tab.texts(`[data-testid=year-row] [data-testid=year-row-name]`)
	if len(names) == 0 {
		t.Fatalf("Manage your campaigns for %s: want the demo's campaigns of that year, got no rows (page says %q)",
			lastYear, tab.texts(`[data-testid=year-empty]`))
	}
	tab.expectSomeContains(names, lastYear, "the campaigns of "+lastYear)
	if total := tab.texts(`[data-testid=year-total]`); len(total) != 1 || !strings.Contains(total[0], "Total "+lastYear) {
		t.Errorf("the year's totals row: want one row \"Total %s …\", got %q", lastYear, total)
	}
	if sales := parseMoney(t, tab.text(`[data-testid=year-sales]`)); !sales.IsPositive() {
		t.Errorf("the sales of %s: want a positive amount, got %s", lastYear, sales)
	}

	// View data of the first campaign named after last year.
	var campaign string
	for _, n := range names {
		if strings.Contains(n, lastYear) {
			campaign = n
			break
		}
	}
	if campaign == "" {
		t.FailNow() // expectSomeContains said why
	}
	href := evalAs[string](tab, fmt.Sprintf(`(() => {
		const row = Array.from(document.querySelectorAll("[data-testid=year-row]"))
			.find(r => r.querySelector("[data-testid=year-row-name]").textContent.trim() === %s);
		return row?.querySelector("[data-testid=view-data]")?.getAttribute("href") ?? "";
	})()`, jsString(campaign)))
	if href == "" {
		t.Fatalf("the row of %s has no View data link", campaign)
	}
	tab.followLink("View data of "+campaign, `[data-testid=year-row] [data-testid=view-data][href="`+href+`"]`)
	tab.waitVisible(`[data-testid=perf-title]`)
	tab.expectText(`[data-testid=perf-title]`, campaign)
	salesText := tab.text(`[data-testid=perf-sales]`)
	sales := parseMoney(t, salesText)
	if !sales.IsPositive() {
		t.Errorf("View data of %s, the headline sales: want a positive amount, got %q", campaign, salesText)
	}
	orders := parseCount(t, tab.text(`[data-testid=perf-orders]`))
	if orders <= 0 {
		t.Errorf("View data of %s, the headline orders: want some, got %d", campaign, orders)
	}

	// The first chart's data table: a row per day of the range, whose
	// orders add up to the headline.
	from := evalAs[string](tab, `document.querySelector("#perf-from").value`)
	to := evalAs[string](tab, `document.querySelector("#perf-to").value`)
	first, err1 := time.Parse(time.DateOnly, from)
	last, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || last.Before(first) {
		t.Fatalf("View data's range: want two dates From ≤ to, got %q and %q", from, to)
	}
	var days []string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format("Mon, Jan 2, 2006"))
	}
	if got := tab.text(`[data-testid=chart] figcaption`); got != "Sales and orders by day" {
		t.Errorf("the first chart: want \"Sales and orders by day\", got %q", got)
	}
	tab.clickUncovered(`[data-testid=chart] details.chart-data > summary`)
	tab.waitVisible(`[data-testid=chart] details[open] [data-testid=chart-table]`)
	table := evalAs[chartTable](tab, `(() => {
		const t = document.querySelector("[data-testid=chart] [data-testid=chart-table]");
		const cells = tr => Array.from(tr.children, c => c.textContent.replace(/\s+/g, " ").trim());
		return {head: cells(t.tHead.rows[0]), rows: Array.from(t.tBodies[0].rows, cells)};
	})()`)
	ordersCol := slices.Index(table.Head, "Orders")
	if ordersCol < 0 {
		t.Fatalf("the chart's data table: want an Orders column, got the columns %q", table.Head)
	}
	var gotDays []string
	var sum int64
	for _, r := range table.Rows {
		if len(r) != len(table.Head) {
			t.Fatalf("the chart's data table: want %d cells a row, got %q", len(table.Head), r)
		}
		gotDays = append(gotDays, r[0])
		sum += parseCount(t, r[ordersCol])
	}
	if !slices.Equal(gotDays, days) {
		t.Errorf("the chart's data table: want a row per day from %s to %s (%d), got %d rows: %q", from, to, len(days), len(gotDays), gotDays)
	}
	if sum != orders {
		t.Errorf("the chart's data table: its Orders add up to %d; want the headline's %d", sum, orders)
	}

	// The products table as XLSX, downloaded by the browser.
	file, name := tab.download(`[data-testid=export-skus-xlsx]`)
	if !strings.HasSuffix(name, "-skus-"+from+"-to-"+to+".xlsx") {
		t.Errorf("the products download is named %q; want …-skus-%s-to-%s.xlsx", name, from, to)
	}
	book, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("opening the downloaded %s with excelize: %v", name, err)
	}
	defer book.Close()
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		t.Fatalf("%s has no sheet", name)
	}
	rows, err := book.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	wantHeader := []string{"Product", "PID", "SKU", "In this campaign", "Orders", "Units kept", "Units returned",
		"Units cancelled", "Sales", "Service fee", "Your coupon cost", "Platform subsidy", "Campaign stock"}
	if len(rows) == 0 || !slices.Equal(rows[0], wantHeader) {
		var got []string
		if len(rows) > 0 {
			got = rows[0]
		}
		t.Fatalf("%s: want the header %q, got %q", name, wantHeader, got)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: want a row per product sold, got only the header", name)
	}
	salesCol := slices.Index(wantHeader, "Sales")
	skuSum := decimal.Zero
	for i, r := range rows[1:] {
		if len(r) <= salesCol {
			t.Fatalf("%s row %d: want a Sales cell, got %q", name, i+2, r)
		}
		v, err := decimal.NewFromString(r[salesCol])
		if err != nil {
			t.Fatalf("%s row %d: the Sales cell %q is not a number: %v", name, i+2, r[salesCol], err)
		}
		skuSum = skuSum.Add(v.Round(2)) // an amount as the sheet shows it, to the cent
	}
	if !skuSum.Equal(sales) {
		t.Errorf("%s: its Sales add up to %s over %d rows; want the headline sales %s", name, skuSum.StringFixed(2), len(rows)-1, salesText)
	}

	t.Logf("%s: %d orders over %d days, sales %s; the products XLSX has %d rows (campaigns of %s: %q)",
		campaign, orders, len(days), salesText, len(rows)-1, lastYear, names)
	tab.expectNoConsoleProblems()
}

// ---- Helpers of this journey ----

type chartTable struct {
	Head []string   `json:"head"`
	Rows [][]string `json:"rows"`
}

// parseCount reads a whole number as the portal shows it: "1,234".
func parseCount(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("reading the number %q: %v", s, err)
	}
	return n
}

// isVisible says whether the first element matching selector is there and
// laid out (not display: none, itself or an ancestor).
func (tb *tab) isVisible(selector string) bool {
	tb.t.Helper()
	return evalAs[bool](tb, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		return el !== null && el.getClientRects().length > 0;
	})()`, jsString(selector)))
}

// followLink clicks the link matching selector, as a person could (see
// clickUncovered), waits for the page it opens and checks it was answered
// with 200.
func (tb *tab) followLink(what, selector string) {
	tb.t.Helper()
	tb.clickAndWaitForLoad(what, selector)
	status := evalAs[int](tb, `performance.getEntriesByType("navigation")[0]?.responseStatus ?? 0`)
	if status != http.StatusOK {
		tb.t.Fatalf("%s: the page %s was answered with status %d; want 200", what, tb.locationOrUnknown(), status)
	}
}

// download clicks a download link with the browser downloading into a
// temporary directory, waits until the file is complete, and returns its
// path and the name the server suggested.
func (tb *tab) download(selector string) (path, suggested string) {
	tb.t.Helper()
	dir := tb.t.TempDir()
	ctx, cancel := tb.step()
	defer cancel()
	// The tab has a browser context of its own: downloads are set on it.
	bctx := chromedp.FromContext(tb.ctx).BrowserContextID
	began := chromedp.BrowserEvents(ctx, browser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior:         browser.SetDownloadBehaviorBehaviorAllowAndName,
		BrowserContextID: bctx,
		DownloadPath:     dir,
		EventsEnabled:    new(true),
	}); err != nil {
		tb.t.Fatalf("letting the browser download into %s: %v", dir, err)
	}
	tb.clickUncovered(selector)
	var guid string
	for ev, err := range progress {
		if err != nil {
			tb.t.Fatalf("downloading with %s: no completed download (%v); files in the download directory: %q", selector, err, listDir(dir))
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			tb.t.Fatalf("downloading with %s: the browser cancelled the download", selector)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	for ev, err := range began {
		if err != nil {
			tb.t.Fatalf("downloading with %s: no downloadWillBegin event: %v", selector, err)
		}
		if ev.GUID == guid {
			suggested = ev.SuggestedFilename
			break
		}
	}
	path = filepath.Join(dir, guid)
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		tb.t.Fatalf("downloading with %s: the browser said it completed, but %s is missing or empty (%v); files: %q", selector, path, err, listDir(dir))
	}
	return path, suggested
}

func listDir(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
