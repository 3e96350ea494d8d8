package main

// The seller registers products: from the Black Friday & Cyber Monday
// details page to the price table, picking two products, typing a price a
// cent above the maximum (the row is re-checked by htmx as they type),
// reading the price tooltip from the keyboard, fixing every row with the
// bulk bar, submitting for review, accepting a price recommendation, and
// joining a related campaign with the same prices.
//
//	go test ./cmd/portal/ -run E2E -count=1 -v

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

func TestE2ESellerRegisters(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)

	// ---- Details page → Register now → the (empty) price table ----

	tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Black Friday & Cyber Monday")
	tab.waitVisible(`[data-testid=campaign-title]`)
	campaignPath := regexp.MustCompile(`^/campaigns/([0-9]+)$`)
	m := campaignPath.FindStringSubmatch(mustParseURL(t, tab.locationOrUnknown()).Path)
	if m == nil {
		t.Fatalf("the Black Friday link opened %s; want /campaigns/<id>", tab.locationOrUnknown())
	}
	bfcmID := m[1]
	registerPath := "/campaigns/" + bfcmID + "/register"

	tab.clickToNavigate(`[data-testid=register-now]`, "Register now")
	tab.waitForURL("Register now opens the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=draft-empty]`)

	// ---- Pick two products ----

	tab.clickUncovered(`[data-testid=pick]`)
	tab.waitForURL("Pick from catalogue opens the pick page", func(u *url.URL) bool { return u.Path == registerPath+"/pick" })
	tab.waitVisible(`[data-testid=pick-table]`)
	// Single-SKU products with at least 25 units, so "set stock to 25"
	// below gives every row a valid stock whatever the demo's random
	// catalogue holds.
	picked := evalAs[[]string](tab, `Array.from(document.querySelectorAll("[data-testid=pick-row]"))
		.filter(r => r.querySelector("input[name=product_id]") && r.cells[3].textContent.trim() === "1"
			&& parseInt(r.cells[5].textContent.trim(), 10) >= 25)
		.slice(0, 2)
		.map(r => r.querySelector("input[name=product_id]").value)`)
	if len(picked) != 2 {
		t.Fatalf("pick page: want 2 single-SKU products with 25+ units on the first page, found %q", picked)
	}
	for _, id := range picked {
		tab.clickUncovered(`input[name=product_id][value="` + id + `"]`)
	}
	tab.clickAndWaitForLoad("Add selected", `[data-testid=add-selected]`)
	tab.waitForURL("Add selected returns to the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=price-table]`)
	tab.expectTextContains(`[data-testid=notice]`, "Added 2 SKUs from 2 products")
	if n := len(tab.texts(`[data-testid=sku-row]`)); n != 2 {
		t.Fatalf("price table after adding 2 single-SKU products: want 2 SKU rows, got %d", n)
	}

	// ---- A price a cent above the maximum is flagged as it is typed ----

	row := "#" + evalAs[string](tab, `document.querySelector("[data-testid=sku-row]").id`)
	rangeText := tab.text(row + ` [data-testid=price-range]`)
	maxPrice := parseMoney(t, strings.TrimSpace(strings.TrimPrefix(rangeText, "≤")))
	tooHigh := maxPrice.Add(decimal.New(1, -2)).StringFixed(2)
	tab.typeInto(row+` [data-testid=price-input]`, tooHigh)
	tab.waitUntil("the row shows the price error after the debounce", fmt.Sprintf(
		`document.querySelector(%s)?.textContent.includes("Above the maximum") ?? false`, jsString(row+` [data-testid=price-error]`)))
	tab.expectTextContains(row+` [data-testid=price-error]`, "Above the maximum of "+rangeText[strings.Index(rangeText, "$"):])
	tab.expectAttr(row+` [data-testid=price-input]`, "aria-invalid", "true")
	if got := evalAs[string](tab, fmt.Sprintf(`document.querySelector(%s).value`, jsString(row+` [data-testid=price-input]`))); got != tooHigh {
		t.Errorf("price input after the re-render: want %q kept, got %q", tooHigh, got)
	}

	// ---- The price range's tooltip shows on keyboard focus ----

	tipShown := fmt.Sprintf(`(() => {
		const tip = document.querySelector(%s);
		return tip !== null && getComputedStyle(tip).display !== "none";
	})()`, jsString(row+` [data-testid=price-tip]`))
	if evalAs[bool](tab, tipShown) {
		t.Errorf("the price tooltip shows before anything points at the price range; want it hidden until hover or focus")
	}
	tab.do("focus the price range", chromedp.Focus(chromedp.CSS(row+` [data-testid=price-range]`)))
	tab.waitUntil("the tooltip shows while the price range has focus", tipShown)
	tip := tab.text(row + ` [data-testid=price-tip]`)
	for _, want := range []string{"Lookback low", "Maximum allowed " + rangeText[strings.Index(rangeText, "$"):], "Recommended"} {
		if !strings.Contains(tip, want) {
			t.Errorf("price tooltip: want it to mention %q, got %q", want, tip)
		}
	}
	if id := evalAs[string](tab, `document.activeElement?.getAttribute("aria-describedby") ?? ""`); id == "" ||
		evalAs[string](tab, fmt.Sprintf(`document.getElementById(%s)?.dataset.testid ?? ""`, jsString(id))) != "price-tip" {
		t.Errorf("the focused price range should be described by its tooltip (aria-describedby=%q)", id)
	}

	// ---- The bulk bar fixes prices, then stocks ----

	tab.bulk("percent-off", "20")
	tab.expectTextContains(`[data-testid=notice]`, "2 rows updated")
	if errs := tab.texts(`[data-testid=price-error]`); len(errs) != 0 {
		t.Errorf("after 20%% below the lookback low on every row: want no price errors, got %q", errs)
	}
	tab.bulk("set-stock", "25")
	tab.expectTextContains(`[data-testid=notice]`, "2 rows updated")
	if errs := tab.texts(`[data-testid=stock-error]`); len(errs) != 0 {
		t.Errorf("after setting stock to 25 on every row: want no stock errors, got %q", errs)
	}

	// Remove asks first with the rows it takes (the ticked ones, or every
	// row); Cancel keeps them. The other bulk actions ask nothing (above).
	rowsBefore := len(tab.texts(`[data-testid=sku-row]`))
	tab.fill("the bulk bar: remove", field(`[data-testid=bulk-form] select[name=action]`, "remove"))
	tab.clickUncovered(`[data-testid=bulk-form] input[name=scope][value=all]`)
	tab.eval(`window.__e2eOldPage = true`)
	tab.clickUncovered(`[data-testid=bulk-apply]`)
	if q, want := tab.confirmDialog(), fmt.Sprintf("Remove %d SKUs from this registration?", rowsBefore); q.Title != want || q.Action != "Remove" {
		t.Errorf("bulk Remove on every row asks %+v; want the title %q and the button Remove", q, want)
	}
	tab.answerConfirm(false)
	tab.clickUncovered(`[data-testid=bulk-form] input[name=scope][value=selected]`)
	tab.clickUncovered(row + ` input[name=sku]`)
	tab.clickUncovered(`[data-testid=bulk-apply]`)
	if q, want := tab.confirmDialog(), "Remove 1 SKU from this registration?"; q.Title != want {
		t.Errorf("bulk Remove with one row ticked asks %q; want %q", q.Title, want)
	}
	tab.answerConfirm(false)
	if !evalAs[bool](tab, `window.__e2eOldPage === true`) || len(tab.texts(`[data-testid=sku-row]`)) != rowsBefore {
		t.Errorf("after Cancel: want the same page with its %d rows\n%s", rowsBefore, tab.describePage())
	}
	tab.clickUncovered(row + ` input[name=sku]`)
	tab.fill("the bulk bar: back to a price action", field(`[data-testid=bulk-form] select[name=action]`, "percent-off"))

	// The maximum itself is allowed. It is above the recommended price (and
	// the Featured maximum), so the submit records recommendations to
	// answer: 20% below the low would leave none.
	tab.typeIntoRowAndWaitForSwap(row, row+` [data-testid=price-input]`, maxPrice.StringFixed(2))
	if errs := tab.texts(row + ` [data-testid=price-error]`); len(errs) != 0 {
		t.Errorf("a price equal to the maximum %s: want no error, got %q", maxPrice.StringFixed(2), errs)
	}

	if bad := tab.texts(`[data-testid=error-filters] .count-bad`); len(bad) != 0 {
		t.Errorf("error filters: want no red counts, got %q (%s)", bad, tab.text(`[data-testid=error-filters]`))
	}
	if keep := tab.text(`[data-testid=total-keep]`); !regexp.MustCompile(`^\$[0-9,]+\.[0-9]{2}$`).MatchString(keep) || keep == "$0.00" {
		t.Errorf("profit preview, you keep: want a dollar amount, got %q", keep)
	}

	// ---- Submit for review ----

	tab.clickUncovered(`#accept_coupons`)
	tab.clickAndWaitForLoad("Submit for review", `[data-testid=submit]`)
	submittedPath := regexp.MustCompile(`^/registrations/[0-9]+/submitted$`)
	tab.waitForURL("submitting opens the submitted page", func(u *url.URL) bool { return submittedPath.MatchString(u.Path) })
	tab.waitVisible(`[data-testid=submitted-status]`)
	tab.expectTextContains(`[data-testid=submitted-status]`, "Under review")

	// ---- Accept a recommendation (an htmx swap of its row) ----

	if n := len(tab.texts(`[data-testid=rec-accept]`)); n == 0 {
		t.Fatalf("submitted page: no recommendation to accept (recommendations: %q)", tab.texts(`[data-testid=recommendation]`))
	}
	tab.eval(`window.__marker = 1`)
	tab.clickUncovered(`[data-testid=rec-accept]`)
	tab.waitUntil("the accepted recommendation's row says Accepted", `Array.from(document.querySelectorAll("[data-testid=rec-outcome]"))
		.some(e => e.textContent.includes("Accepted"))`)
	if marker := evalAs[int](tab, `window.__marker || 0`); marker != 1 {
		t.Errorf("accepting a recommendation reloaded the page; want an htmx swap of its row")
	}

	// ---- Register in Holiday Gift Guide with the same prices ----

	type related struct {
		Index int    `json:"index"`
		View  string `json:"view"`
	}
	hgg := evalAs[related](tab, `(() => {
		const items = Array.from(document.querySelectorAll("[data-testid=related-campaigns] > [data-testid=related-campaign]"));
		const i = items.findIndex(li => li.textContent.includes("Holiday Gift Guide"));
		return {index: i + 1, view: i < 0 ? "" : items[i].querySelector("a").getAttribute("href")};
	})()`)
	if hgg.Index == 0 {
		t.Fatalf("related campaigns: no Holiday Gift Guide entry in %q", tab.texts(`[data-testid=related-campaign]`))
	}
	hggRegister := hgg.View + "/register"
	tab.clickAndWaitForLoad("Register with these prices (Holiday Gift Guide)", fmt.Sprintf(
		`[data-testid=related-campaigns] > [data-testid=related-campaign]:nth-of-type(%d) [data-testid=register-related]`, hgg.Index))
	tab.waitForURL("Register with these prices opens Holiday Gift Guide's price table", func(u *url.URL) bool { return u.Path == hggRegister })
	tab.waitVisible(`[data-testid=price-table]`)
	tab.expectTextContains(`[data-testid=notice]`, "Pre-filled")
	filled := evalAs[[]string](tab, `Array.from(document.querySelectorAll("[data-testid=price-input]"), i => i.value).filter(v => v !== "")`)
	if len(filled) == 0 {
		t.Errorf("Holiday Gift Guide's price table: want pre-filled prices, every price input is empty")
	}
	if !strings.Contains(tab.text(`h1 + p`), "Holiday Gift Guide") {
		t.Errorf("the pre-filled price table is for %q; want Holiday Gift Guide", tab.text(`h1 + p`))
	}

	tab.expectNoConsoleProblems()
}

// ---- Helpers of this journey ----

func mustParseURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("parsing the page address %q: %v", s, err)
	}
	return u
}

// parseMoney reads an amount as the portal shows it: "$1,234.56".
func parseMoney(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", ""))
	if err != nil {
		t.Fatalf("reading the amount %q: %v", s, err)
	}
	return d
}

// clickUncovered clicks like tab.click, after checking that a person
// could: scrolled into view, the element (not something painted over it)
// is what is under the middle of it. A covered control fails here with
// what covers it, instead of a click that silently lands elsewhere.
func (tb *tab) clickUncovered(selector string) {
	tb.t.Helper()
	tb.waitVisible(selector)
	cover := evalAs[string](tb, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.scrollIntoView({block: "center", inline: "center"});
		const r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (hit === null || el === hit || el.contains(hit)) return "";
		const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
			Array.from(e.classList, c => "." + c).join("") + (e.dataset.testid ? "[data-testid=" + e.dataset.testid + "]" : "");
		const chain = [];
		for (let e = hit; e && e !== document.body && chain.length < 4; e = e.parentElement) chain.push(describe(e));
		return chain.join(" < ");
	})()`, jsString(selector)))
	if cover != "" {
		vw := evalAs[int](tb, `window.innerWidth`)
		tb.t.Fatalf("%s cannot be clicked at a %d px wide window: %s is painted over it (page: %s)", selector, vw, cover, tb.locationOrUnknown())
	}
	tb.click(selector)
}

// typeInto replaces an input's value by typing, key by key, as a person
// does: every key is an input event, which is what htmx listens to.
func (tb *tab) typeInto(selector, text string) {
	tb.t.Helper()
	tb.eval(fmt.Sprintf(`document.querySelector(%s).value = ""`, jsString(selector)))
	tb.do("type "+text+" into "+selector, chromedp.SendKeys(chromedp.CSS(selector), text))
}

// typeIntoRowAndWaitForSwap types into an input of a row htmx re-renders
// and waits for the new row: the old one is marked, and the new one is
// not, once it is swapped in and no request is in flight.
func (tb *tab) typeIntoRowAndWaitForSwap(rowSelector, inputSelector, text string) {
	tb.t.Helper()
	tb.eval(fmt.Sprintf(`document.querySelector(%s).setAttribute("data-e2e-old", "")`, jsString(rowSelector)))
	tb.typeInto(inputSelector, text)
	tb.waitUntil("htmx re-renders "+rowSelector+" after typing "+text, fmt.Sprintf(`(() => {
		const row = document.querySelector(%s);
		return row !== null && !row.hasAttribute("data-e2e-old") && document.querySelector(".htmx-request") === null;
	})()`, jsString(rowSelector)))
	if got := evalAs[string](tb, fmt.Sprintf(`document.querySelector(%s).value`, jsString(inputSelector))); got != text {
		tb.t.Errorf("%s after the re-render: want %q, got %q", inputSelector, text, got)
	}
}

// clickAndWaitForLoad clicks something that loads a new page (a form
// submit answered with a redirect) and waits until the new page is there.
func (tb *tab) clickAndWaitForLoad(what, selector string) {
	tb.t.Helper()
	tb.eval(`window.__e2eOldPage = true`)
	tb.clickUncovered(selector)
	tb.waitUntil(what+" loads a new page", `window.__e2eOldPage !== true && document.readyState === "complete"`)
}

// bulk applies a bulk action to every row of the price table.
func (tb *tab) bulk(action, value string) {
	tb.t.Helper()
	tb.fill("the bulk bar: "+action+" "+value,
		field(`[data-testid=bulk-form] select[name=action]`, action),
		field(`[data-testid=bulk-form] input[name=value]`, value),
	)
	tb.clickUncovered(`[data-testid=bulk-form] input[name=scope][value=all]`)
	tb.clickAndWaitForLoad("Apply "+action+" "+value, `[data-testid=bulk-apply]`)
	tb.waitVisible(`[data-testid=price-table]`)
	if errs := tb.texts(`#bulk-error`); len(errs) > 0 {
		tb.t.Fatalf("bulk %s %s was refused: %q", action, value, errs)
	}
}
