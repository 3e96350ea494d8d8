package main

// The seller registers products by bulk upload: from Black Friday & Cyber
// Monday's price table to the upload page, downloading the CSV template
// with the browser's session, filling in three single-SKU rows (two
// valid, one a cent above its maximum), uploading it, following the
// check as htmx polls it, reading the invalid row's reason, applying its
// fix (Lower to the maximum, into the draft), saving the
// valid rows and finding them pre-filled in the price table.
//
//	go test ./cmd/portal/ -run E2ESellerUploads -count=1 -v

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

// The template's columns this journey reads and fills (uploads.UploadColumns).
const (
	uploadColPID        = 0
	uploadColSKU        = 1
	uploadColMaxRegular = 7
	uploadColAvailable  = 8
	uploadColPrice      = 9
	uploadColStock      = 10
	uploadNumColumns    = 13
)

func TestE2ESellerUploads(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)

	// ---- The price table of Black Friday & Cyber Monday → Bulk upload ----

	href := evalAs[string](tab, `(() => {
		const a = Array.from(document.querySelectorAll("[data-testid=campaign-row] [data-testid=campaign-name]"))
			.find(e => e.textContent.includes("Black Friday & Cyber Monday"));
		return a ? a.getAttribute("href") : "";
	})()`)
	m := regexp.MustCompile(`^/campaigns/([0-9]+)$`).FindStringSubmatch(href)
	if m == nil {
		t.Fatalf("open tab: want a Black Friday & Cyber Monday row linking to /campaigns/<id>, got %q (rows: %q)",
			href, tab.texts(`[data-testid=campaign-row] [data-testid=campaign-name]`))
	}
	registerPath := "/campaigns/" + m[1] + "/register"
	uploadPath := registerPath + "/upload"

	tab.do("open the price table", chromedp.Navigate(base+registerPath))
	tab.waitForURL("the price table opens", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=draft-empty]`)
	tab.clickToNavigate(`[data-testid=upload]`, "Bulk upload")
	tab.waitForURL("Bulk upload opens the upload page", func(u *url.URL) bool { return u.Path == uploadPath })
	tab.waitVisible(`[data-testid=upload-heading]`)

	// The Regular tier's minimum stock, as the page states the rules.
	rules := strings.Join(tab.texts(`[data-testid=upload-rules] li`), "\n")
	rm := regexp.MustCompile(`Regular: campaign price at most .*? of the lookback low, campaign stock at least ([0-9]+)\.`).FindStringSubmatch(rules)
	if rm == nil {
		t.Fatalf("upload rules: want a Regular rule with its minimum stock, got %q", rules)
	}
	minStock, _ := strconv.Atoi(rm[1])

	// ---- Download the CSV template with the session's cookies ----

	templateHref := evalAs[string](tab, `document.querySelector("[data-testid=template-csv]")?.getAttribute("href") ?? ""`)
	if got := tab.text(`[data-testid=template-csv]`); got != "Template (.csv)" {
		t.Errorf("template link: want the text %q, got %q", "Template (.csv)", got)
	}
	if templateHref != uploadPath+"/template.csv" {
		t.Fatalf("template link: want href %s, got %q", uploadPath+"/template.csv", templateHref)
	}
	tpl := tab.fetchText(templateHref)
	if tpl.Status != 200 || !strings.HasPrefix(tpl.Type, "text/csv") || !strings.Contains(tpl.Disposition, "attachment") {
		t.Fatalf("template download: want 200 text/csv as an attachment, got %d %q %q", tpl.Status, tpl.Type, tpl.Disposition)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(tpl.Text, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV template: %v\n%s", err, tpl.Text)
	}
	if len(records) < 4 || len(records[0]) != uploadNumColumns || records[0][uploadColPrice] != "Campaign price" ||
		records[0][uploadColStock] != "Campaign stock" || records[0][uploadColMaxRegular] != "Max price Regular" ||
		records[0][uploadColAvailable] != "Available stock" {
		t.Fatalf("CSV template: want the template's header and 3+ SKU rows, got %d rows, header %q", len(records), records[0])
	}

	// ---- Fill in three single-SKU rows: two valid, one a cent too high ----

	skusOf := map[string]int{}
	for _, r := range records[1:] {
		skusOf[r[uploadColPID]]++
	}
	type filled struct {
		line  int // the row number the seller sees: the header is row 1
		pid   string
		sku   string
		max   decimal.Decimal
		price decimal.Decimal
		stock int
	}
	var rows []filled
	for i, r := range records[1:] {
		avail, err := strconv.Atoi(r[uploadColAvailable])
		if err != nil || skusOf[r[uploadColPID]] != 1 || avail < minStock || strings.HasPrefix(r[uploadColSKU], "'") {
			continue
		}
		maxPrice, err := decimal.NewFromString(r[uploadColMaxRegular])
		if err != nil || !maxPrice.IsPositive() {
			t.Fatalf("CSV template row %d: Max price Regular %q is not an amount", i+2, r[uploadColMaxRegular])
		}
		rows = append(rows, filled{line: i + 2, pid: r[uploadColPID], sku: r[uploadColSKU], max: maxPrice, price: maxPrice, stock: avail})
		if len(rows) == 3 {
			break
		}
	}
	if len(rows) != 3 {
		t.Fatalf("CSV template: want 3 single-SKU products with at least %d in stock, found %d", minStock, len(rows))
	}
	valid, invalid := rows[:2], rows[2]
	invalid.price = invalid.max.Add(decimal.New(1, -2))
	for _, r := range append(append([]filled{}, valid...), invalid) {
		rec := records[r.line-1]
		rec[uploadColPrice] = r.price.StringFixed(2)
		rec[uploadColStock] = strconv.Itoa(r.stock)
	}
	file := filepath.Join(t.TempDir(), "bfcm-upload.csv")
	var out strings.Builder
	out.WriteString("\uFEFF")
	w := csv.NewWriter(&out)
	if err := w.WriteAll(records); err != nil {
		t.Fatalf("writing the filled-in CSV: %v", err)
	}
	if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
		t.Fatalf("writing %s: %v", file, err)
	}

	// ---- Upload it; the check runs as a job and the card is polled ----

	tab.do("choose the filled-in file", chromedp.SetUploadFiles(chromedp.CSS(`#upload-file`), []string{file}))
	tab.clickUncovered(`[data-testid=upload-submit]`)
	statusPath := regexp.MustCompile(`^` + regexp.QuoteMeta(uploadPath) + `/([0-9]+)$`)
	tab.uploadWaitForURLOrRefusal(statusPath)
	statusURL := mustParseURL(t, tab.locationOrUnknown()).Path

	tab.uploadWaitUntil("the upload is checked",
		`document.querySelector("[data-testid=upload-status]")?.dataset.state === "done"`)
	if n := tab.text(`[data-testid=valid-count]`); n != "2" {
		t.Errorf("valid rows: want 2, got %q", n)
	}
	if n := tab.text(`[data-testid=invalid-count]`); n != "1" {
		t.Errorf("rows with errors: want 1, got %q", n)
	}
	if n := tab.text(`[data-testid=skipped-count]`); n != strconv.Itoa(len(records)-1-3) {
		t.Errorf("skipped rows: want %d (the template's untouched rows), got %q", len(records)-1-3, n)
	}

	// The rows with errors are shown first, each with what to fix.
	tab.expectAttr(`[data-testid=tab-invalid]`, "aria-current", "page")
	type shownRow struct {
		Cells  []string `json:"cells"`
		Valid  string   `json:"valid"`
		Reason string   `json:"reason"`
	}
	readRows := func() []shownRow {
		return evalAs[[]shownRow](tab, `Array.from(document.querySelectorAll("[data-testid=upload-row]"), r => ({
			cells: Array.from(r.cells, c => c.textContent.replace(/\s+/g, " ").trim()),
			valid: r.dataset.valid,
			reason: r.querySelector("[data-testid=reason]")?.textContent.replace(/\s+/g, " ").trim() ?? "",
		}))`)
	}
	bad := readRows()
	if len(bad) == 1 {
		t.Logf("uploaded rows %d and %d (SKUs %s, %s at their Regular maximum) and row %d (SKU %s a cent above); row %d's reason: %s",
			valid[0].line, valid[1].line, valid[0].sku, valid[1].sku, invalid.line, invalid.sku, invalid.line, bad[0].Reason)
	}
	wantReason := fmt.Sprintf("Campaign price: Above the maximum of $%s: Regular asks", invalid.max.StringFixed(2))
	switch {
	case len(bad) != 1:
		t.Errorf("rows with errors: want the one row %d, got %+v", invalid.line, bad)
	case bad[0].Valid != "false" || bad[0].Cells[0] != strconv.Itoa(invalid.line) || bad[0].Cells[2] != invalid.sku:
		t.Errorf("row with errors: want row %d, SKU %s, data-valid=false, got %+v", invalid.line, invalid.sku, bad[0])
	case !strings.Contains(bad[0].Reason, wantReason):
		t.Errorf("row %d's reason: want it to contain %q, got %q", invalid.line, wantReason, bad[0].Reason)
	}

	// The errors file is offered, and holds that row with its reason.
	errorsHref := evalAs[string](tab, `document.querySelector("[data-testid=upload-errors-file]")?.getAttribute("href") ?? ""`)
	if errorsHref != statusURL+"/errors.csv" {
		t.Errorf("errors download link: want href %s, got %q", statusURL+"/errors.csv", errorsHref)
	} else {
		ef := tab.fetchText(errorsHref)
		if ef.Status != 200 || !strings.Contains(ef.Disposition, "bfcm-upload-errors.csv") ||
			!strings.Contains(ef.Text, invalid.sku) || !strings.Contains(ef.Text, wantReason) {
			t.Errorf("errors file: want 200, bfcm-upload-errors.csv with SKU %s and %q; got %d %q:\n%s",
				invalid.sku, wantReason, ef.Status, ef.Disposition, ef.Text)
		}
	}

	// The row a cent above its maximum offers the rule's fix; applying it
	// adds the row to the draft at the maximum (an htmx swap of the card).
	fixLabel := "Lower to $" + invalid.max.StringFixed(2)
	tab.expectTextContains(`[data-testid=upload-row] [data-testid=upload-fix]`, fixLabel)
	tab.screenshotAt(`[data-testid=upload-row] [data-testid=upload-fix]`, "upload-fix-offered")
	tab.click(`[data-testid=upload-row] [data-testid=upload-fix]`)
	tab.waitVisible(`[data-testid=upload-row-fixed]`)
	tab.expectTextContains(`[data-testid=upload-row-fixed]`, "Fixed ("+fixLabel+"): this row is in your draft.")
	tab.screenshotAt(`[data-testid=upload-row-fixed]`, "upload-fix-applied")

	// The Valid tab (an htmx swap of the card) lists the two good rows.
	tab.click(`[data-testid=tab-valid]`)
	tab.uploadWaitUntil("the Valid tab is shown",
		`document.querySelector("[data-testid=tab-valid]")?.getAttribute("aria-current") === "page" && document.querySelector(".htmx-request") === null`)
	good := readRows()
	if len(good) != 2 {
		t.Errorf("valid rows: want 2, got %+v", good)
	}
	for i, want := range valid {
		if i >= len(good) {
			break
		}
		g := good[i]
		if g.Valid != "true" || g.Cells[2] != want.sku || g.Cells[4] != strconv.Itoa(want.stock) || g.Cells[5] != "Regular" ||
			!parseMoney(t, g.Cells[3]).Equal(want.price) {
			t.Errorf("valid row %d: want SKU %s at $%s, stock %d, Regular; got %+v", i+1, want.sku, want.price.StringFixed(2), want.stock, g)
		}
	}

	// ---- Save the valid rows and follow them to the price table ----

	tab.expectTextContains(`[data-testid=upload-save]`, "Save 2 valid rows")
	tab.clickAndWaitForLoad("Save the valid rows", `[data-testid=upload-save]`)
	tab.waitForURL("saving returns to the upload's page", func(u *url.URL) bool { return u.Path == statusURL })
	tab.waitVisible(`[data-testid=upload-saved]`)
	tab.expectTextContains(`[data-testid=upload-saved]`, "2 rows added to your registration draft")
	if n := len(tab.texts(`[data-testid=upload-save]`)); n != 0 {
		t.Errorf("after saving: want no Save button, found %d", n)
	}

	tab.clickToNavigate(`[data-testid=upload-saved] a`, "Set prices in the price table")
	tab.waitForURL("the saved notice links to the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=price-table]`)
	type tableRow struct {
		SKU   string `json:"sku"`
		Price string `json:"price"`
		Stock string `json:"stock"`
	}
	table := evalAs[[]tableRow](tab, `Array.from(document.querySelectorAll("[data-testid=sku-row]"), r => ({
		sku: r.cells[1].querySelector(".mono")?.textContent.trim() ?? "",
		price: r.querySelector("[data-testid=price-input]")?.value ?? "",
		stock: r.querySelector("[data-testid=stock-input]")?.value ?? "",
	}))`)
	if len(table) != 3 {
		t.Errorf("price table after saving: want the 2 valid SKUs and the fixed one, got %+v", table)
	}
	for _, want := range valid {
		found := false
		for _, r := range table {
			if r.SKU != want.sku {
				continue
			}
			found = true
			if r.Price != want.price.StringFixed(2) || r.Stock != strconv.Itoa(want.stock) {
				t.Errorf("price table, SKU %s: want price %s and stock %d pre-filled, got %+v", want.sku, want.price.StringFixed(2), want.stock, r)
			}
		}
		if !found {
			t.Errorf("price table: want SKU %s from the upload, got %+v", want.sku, table)
		}
	}
	fixed := false
	for _, r := range table {
		if r.SKU == invalid.sku {
			fixed = true
			if r.Price != invalid.max.StringFixed(2) {
				t.Errorf("price table: the fixed row's SKU %s: want its maximum %s, got %+v", invalid.sku, invalid.max.StringFixed(2), r)
			}
		}
	}
	if !fixed {
		t.Errorf("price table: the fixed row's SKU %s is missing: %+v", invalid.sku, table)
	}
	if errs := tab.texts(`[data-testid=price-error]`); len(errs) != 0 {
		t.Errorf("price table: the uploaded and fixed prices are at their maximum, want no price errors, got %q", errs)
	}

	tab.expectNoConsoleProblems()
}

// ---- Helpers of this journey ----

// fetchedFile is a download fetched in the page, with the session's cookies.
type fetchedFile struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Text        string `json:"text"`
}

func (tb *tab) fetchText(href string) fetchedFile {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	js := fmt.Sprintf(`fetch(%s, {credentials: "same-origin"}).then(async r => ({
		status: r.status,
		type: r.headers.get("Content-Type") ?? "",
		disposition: r.headers.get("Content-Disposition") ?? "",
		text: await r.text(),
	}))`, jsString(href))
	f, err := chromedp.Run(ctx, chromedp.Evaluate[fetchedFile](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("fetching %s in the page: %v", href, err)
	}
	return f
}

// uploadWaitUntil polls a JavaScript expression until it is true, saying
// what the upload card shows when it never is.
func (tb *tab) uploadWaitUntil(what string, js string) {
	tb.t.Helper()
	tb.poll(what, func(ctx context.Context) (bool, string, error) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		seen := "the upload card is not shown"
		if s := tb.uploadTextsOrNone(`[data-testid=upload-status]`); len(s) > 0 {
			seen = fmt.Sprintf("the upload card says %q", s[0])
		}
		return ok, seen, err
	})
}

// uploadWaitForURLOrRefusal waits for the upload's own page, failing at
// once with the reason when the form comes back refusing the file.
func (tb *tab) uploadWaitForURLOrRefusal(path *regexp.Regexp) {
	tb.t.Helper()
	tb.poll("uploading opens the upload's page", func(ctx context.Context) (bool, string, error) {
		if refused := tb.uploadTextsOrNone(`[data-testid=upload-error]`); len(refused) > 0 {
			tb.t.Fatalf("the upload was refused: %q", refused)
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return false, "", err
		}
		u, err := url.Parse(loc)
		return err == nil && path.MatchString(u.Path), "the address " + loc, nil
	})
}

// uploadTextsOrNone is tab.texts for a page that may be loading: an
// evaluation that fails (the page went away under it) reads as nothing.
func (tb *tab) uploadTextsOrNone(selector string) []string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.textContent.replace(/\s+/g, " ").trim())`, jsString(selector))))
	if err != nil {
		return nil
	}
	return v
}
