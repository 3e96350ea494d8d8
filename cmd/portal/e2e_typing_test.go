package main

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/shopspring/decimal"
)

// keyPace is a person's typing speed: 30 ms a key.
const keyPace = 30 * time.Millisecond

// TestE2EPriceTableKeepsEveryKeystroke types into 20 rows of the price
// table as a seller does (price, Tab, stock, Tab, on to the next row) at
// 30 ms a key over a network slowed by 40 ms, on empty rows and on rows
// already filled by "Add recommended" (entering a field selects its old
// value, and the new one replaces it), then reloads the page: every saved
// value is the one typed, and no field shows an error.
func TestE2EPriceTableKeepsEveryKeystroke(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)
	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)

	tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Black Friday & Cyber Monday")
	m := regexp.MustCompile(`^/campaigns/([0-9]+)$`).FindStringSubmatch(mustParseURL(t, tab.locationOrUnknown()).Path)
	if m == nil {
		t.Fatalf("the Black Friday link opened %s; want /campaigns/<id>", tab.locationOrUnknown())
	}
	registerPath := "/campaigns/" + m[1] + "/register"
	tab.do("open the price table", chromedp.Navigate(base+registerPath))
	tab.waitVisible(`[data-testid=add-recommended]`)

	// Rows already filled: the recommended products, at their recommended price.
	tab.clickAndWaitForLoad("Add recommended products", `[data-testid=add-recommended]`)
	tab.waitVisible(`[data-testid=price-table]`)
	// Empty rows: products picked from the catalogue.
	tab.do("open Pick", chromedp.Navigate(base+registerPath+"/pick"))
	tab.waitVisible(`[data-testid=pick-table]`)
	// The Pick search filters as the seller types, as the list pages do.
	allRows := len(tab.texts(`[data-testid=pick-row]`))
	word := evalAs[string](tab, `document.querySelector("[data-testid=pick-row] td:nth-child(2)").firstChild.textContent.trim().split(/\s+/)[0]`)
	tab.do("focus the Pick search", chromedp.Focus(chromedp.CSS(`#pick-q`)))
	tab.typeAtPace(word)
	tab.waitUntil("the Pick list shows only products matching "+word, fmt.Sprintf(`(() => {
		const rows = Array.from(document.querySelectorAll("[data-testid=pick-row]"));
		return location.search.includes("q=") && rows.length > 0 && rows.length < %d &&
			rows.every(r => r.textContent.toLowerCase().includes(%s.toLowerCase()));
	})()`, allRows+1, jsString(word)))
	tab.eval(`document.querySelector("#pick-q").select()`)
	tab.pressKey(kb.Backspace)
	tab.waitUntil("clearing the search shows every product again", fmt.Sprintf(
		`!location.search.includes("q=%s") && document.querySelectorAll("[data-testid=pick-row]").length === %d`, url.QueryEscape(word), allRows))
	picked := evalAs[int](tab, `(() => {
		const boxes = Array.from(document.querySelectorAll("[data-testid=pick-row]"))
			.filter(r => parseInt(r.cells[5].textContent.trim(), 10) >= 10)
			.map(r => r.querySelector("input[name=product_id]")).filter(b => b !== null).slice(0, 8);
		boxes.forEach(b => { b.checked = true; });
		return boxes.length;
	})()`)
	if picked == 0 {
		t.Fatal("the pick page offers no product with 10 or more units")
	}
	tab.clickAndWaitForLoad("Add selected", `[data-testid=add-selected]`)
	tab.waitForURL("Add selected returns to the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=price-table]`)

	// Up to 10 filled and 10 empty rows, each with stock to register.
	type row struct {
		ID     string `json:"id"`
		Max    string `json:"max"`
		Avail  int    `json:"avail"`
		Filled bool   `json:"filled"`
		Price  string `json:"-"`
		Stock  string `json:"-"`
	}
	rows := evalAs[[]row](tab, `(() => {
		const all = Array.from(document.querySelectorAll("[data-testid=sku-row]")).map(r => ({
			id: r.id,
			max: r.querySelector("[data-testid=price-range]").textContent.replace(/[^0-9.]/g, ""),
			avail: parseInt(r.querySelector("[data-testid=stock-input]").parentElement.textContent.replace(/^[\s\S]*of\s*/, ""), 10),
			filled: r.querySelector("[data-testid=price-input]").value !== "",
		})).filter(r => r.avail >= 1 && parseFloat(r.max) > 2);
		return all.filter(r => r.filled).slice(0, 10).concat(all.filter(r => !r.filled).slice(0, 10));
	})()`)
	filled := 0
	for _, r := range rows {
		if r.Filled {
			filled++
		}
	}
	if len(rows) < 20 || filled == 0 || filled == len(rows) {
		t.Fatalf("want 20 rows, filled and empty, to type into; the table has %d (%d filled)", len(rows), filled)
	}

	// The network slowed by 40 ms each way from here on.
	slow, cancelSlow := tab.step()
	_, err := chromedp.Call(slow, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: 40, DownloadThroughput: -1, UploadThroughput: -1}},
	})
	cancelSlow()
	if err != nil {
		t.Fatalf("slowing the network: %v", err)
	}

	for i := range rows {
		r := &rows[i]
		r.Price = decimal.RequireFromString(r.Max).Sub(decimal.New(37, -2)).StringFixed(2)
		r.Stock = strconv.Itoa(min(r.Avail, 12+i))
		// Entering a field (Tab) selects what it holds; typing replaces it.
		tab.eval(fmt.Sprintf(`(() => { const el = document.querySelector(%s); el.scrollIntoView({block: "center"}); el.focus(); el.select(); })()`,
			jsString("#"+r.ID+" [data-testid=price-input]")))
		tab.typeAtPace(r.Price)
		tab.pressKey(kb.Tab) // to the stock field, its old value selected
		if got := evalAs[string](tab, `document.activeElement?.dataset.testid ?? ""`); got != "stock-input" {
			t.Fatalf("row %s: Tab from the price went to %q, want the stock field", r.ID, got)
		}
		tab.typeAtPace(r.Stock)
		tab.pressKey(kb.Tab) // on, out of the row
	}

	// Every answer in: nothing in flight, no field waiting for its answer.
	tab.waitUntil("every row's last answer has arrived", `document.querySelector(".htmx-request, [data-sent]") === null`)
	tab.do("reload the price table", chromedp.Reload())
	tab.waitVisible(`[data-testid=price-table]`)
	for _, r := range rows {
		got := evalAs[[]string](tab, fmt.Sprintf(`(() => { const r = document.getElementById(%s);
			return [r.querySelector("[data-testid=price-input]").value, r.querySelector("[data-testid=stock-input]").value,
				Array.from(r.querySelectorAll(".field-error"), e => e.textContent.trim()).join(" | ")]; })()`, jsString(r.ID)))
		if got[0] != r.Price || got[1] != r.Stock {
			t.Errorf("row %s (filled before: %v): saved price %q, stock %q; typed %q and %q", r.ID, r.Filled, got[0], got[1], r.Price, r.Stock)
		}
		if got[2] != "" {
			t.Errorf("row %s: shows %q after typing valid values", r.ID, got[2])
		}
	}
	tab.expectNoConsoleProblems()
	if t.Failed() {
		t.Logf("rows typed: %s", describeRows(rows))
	}
}

func describeRows[T any](rows []T) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("%+v", r)
	}
	return strings.Join(parts, "; ")
}

// typeAtPace types text into the focused field one key at a time, at a
// person's pace. The pause paces the typing; it waits for nothing.
func (tb *tab) typeAtPace(text string) {
	tb.t.Helper()
	for _, r := range text {
		tb.pressKey(string(r))
		time.Sleep(keyPace)
	}
}

func (tb *tab) pressKey(key string) {
	tb.t.Helper()
	tb.do("press "+strconv.Quote(key), chromedp.KeyEvent(key))
}
