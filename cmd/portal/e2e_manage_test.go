package main

// The seller manages registrations: registers a product in the Holiday
// Gift Guide (no review, so prices can be edited at once), edits its
// campaign price in the Edit pop-up (a native modal <dialog> loaded by
// htmx: focus in the price input, a price a cent above the maximum refused
// inside the pop-up, a valid one submitted for review, Escape closes it),
// withdraws it, then changes a retail price in Managed products of a
// product registered in Cyber Week Tech Deals (refused until "Put it in
// SKU error" is ticked) and resolves the SKU error from the Manage page,
// which puts the product back in the draft with only the changed SKU's
// price to set.
//
//	go test ./cmd/portal/ -run E2E -count=1 -v

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/shopspring/decimal"
)

func TestE2ESellerManages(t *testing.T) {
	chromium := findChromium(t)
	// A portal of its own: this journey registers in the Holiday Gift Guide
	// and edits a Cyber Week product, which other journeys do not expect.
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)

	// ==== 1. Register a product in the Holiday Gift Guide (no review) ====

	tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Holiday Gift Guide")
	tab.waitVisible(`[data-testid=campaign-title]`)
	m := regexp.MustCompile(`^/campaigns/([0-9]+)$`).FindStringSubmatch(mustParseURL(t, tab.locationOrUnknown()).Path)
	if m == nil {
		t.Fatalf("the Holiday Gift Guide link opened %s; want /campaigns/<id>", tab.locationOrUnknown())
	}
	registerPath := "/campaigns/" + m[1] + "/register"

	// "Register now", or "Add products" if the shop is registered already.
	tab.clickToNavigate(`[data-testid=register-now]`, "")
	tab.waitForURL("Register now opens the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.clickUncovered(`[data-testid=pick]`)
	tab.waitForURL("Pick from catalogue opens the pick page", func(u *url.URL) bool { return u.Path == registerPath+"/pick" })
	tab.waitVisible(`[data-testid=pick-table]`)
	type pickable struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	// A single-SKU product with stock for "set stock to 5".
	pick := evalAs[pickable](tab, `(() => {
		const r = Array.from(document.querySelectorAll("[data-testid=pick-row]"))
			.find(r => r.querySelector("input[name=product_id]") && r.cells[3].textContent.trim() === "1"
				&& parseInt(r.cells[5].textContent.trim(), 10) >= 25);
		return r ? {id: r.querySelector("input[name=product_id]").value, title: r.cells[1].firstChild.textContent.trim()} : {id: "", title: ""};
	})()`)
	if pick.ID == "" {
		t.Fatalf("pick page: no single-SKU product with 25+ units on the first page")
	}
	tab.clickUncovered(`input[name=product_id][value="` + pick.ID + `"]`)
	tab.clickAndWaitForLoad("Add selected", `[data-testid=add-selected]`)
	tab.waitForURL("Add selected returns to the price table", func(u *url.URL) bool { return u.Path == registerPath })
	tab.waitVisible(`[data-testid=price-table]`)

	tab.bulk("percent-off", "10")
	tab.bulk("set-stock", "5")
	if errs := tab.texts(`[data-testid=price-error], [data-testid=stock-error], [data-testid=product-problem]`); len(errs) != 0 {
		t.Fatalf("price table after 10%% below the low and stock 5 on every row: want no errors, got %q", errs)
	}
	if evalAs[bool](tab, `document.querySelector("#accept_coupons") !== null`) {
		tab.clickUncovered(`#accept_coupons`)
	}
	tab.clickAndWaitForLoad("Submit registration", `[data-testid=submit]`)
	tab.waitForURL("submitting opens the submitted page", func(u *url.URL) bool {
		return regexp.MustCompile(`^/registrations/[0-9]+/submitted$`).MatchString(u.Path)
	})
	tab.waitVisible(`[data-testid=submitted-status]`)
	tab.expectTextContains(`[data-testid=submitted-status]`, "Registered")

	tab.clickToNavigate(`[data-testid=submitted-status] a`, "Manage")
	regPath := regexp.MustCompile(`^/registrations/[0-9]+$`)
	tab.waitForURL("Manage opens the Manage page", func(u *url.URL) bool { return regPath.MatchString(u.Path) })
	hggManage := mustParseURL(t, tab.locationOrUnknown()).Path
	tab.waitVisible(`[data-testid=manage-table]`)
	tab.expectTextContains(`[data-testid=registration-title]`, "Holiday Gift Guide")
	product := tab.manageProductSelector(pick.Title)
	tab.expectText(product+` [data-testid=product-status]`, "Registered")

	// ==== 2. Edit its price in the pop-up ====

	edit := product + ` [data-testid=edit-price]`
	tab.openEditDialog(edit)
	if focused := evalAs[string](tab, `document.activeElement?.dataset.testid ?? ""`); focused != "edit-price-input" {
		t.Errorf("the Edit pop-up opened with the focus on %q; want the price input (edit-price-input)", focused)
	}
	maxText := tab.text(`[data-testid=edit-max]`)
	mm := regexp.MustCompile(`^(\$[0-9,]+\.[0-9]{2}) \(from `).FindStringSubmatch(maxText)
	if mm == nil {
		t.Fatalf("the pop-up's maximum: want \"$X (from ...\", got %q", maxText)
	}
	maxPrice := parseMoney(t, mm[1])
	current := parseMoney(t, tab.text(product+` [data-testid=campaign-price]`))
	skuID := strings.TrimPrefix(evalAs[string](tab, fmt.Sprintf(`document.querySelector(%s).closest("tr").id`, jsString(edit))), "sku-")
	editAction := evalAs[string](tab, `document.querySelector("[data-testid=edit-dialog] form").getAttribute("action")`)

	// A cent above the maximum: refused in the pop-up, which stays open.
	tooHigh := maxPrice.Add(decimal.New(1, -2)).StringFixed(2)
	tab.typeInto(`[data-testid=edit-price-input]`, tooHigh)
	tab.eval(`document.querySelector("[data-testid=edit-dialog]").setAttribute("data-e2e-old", "")`)
	tab.clickUncovered(`[data-testid=edit-submit]`)
	tab.waitUntil("the pop-up comes back with the error", `(() => {
		const d = document.querySelector("[data-testid=edit-dialog]");
		return d !== null && !d.hasAttribute("data-e2e-old") && d.open && d.querySelector("[data-testid=edit-error]") !== null;
	})()`)
	tab.expectTextContains(`[data-testid=edit-error]`, "Above the maximum of $"+maxPrice.StringFixed(2))
	tab.expectAttr(`[data-testid=edit-price-input]`, "aria-invalid", "true")
	if got := evalAs[string](tab, `document.querySelector("[data-testid=edit-price-input]").value`); got != tooHigh {
		t.Errorf("the price input after the refusal: want %q kept, got %q", tooHigh, got)
	}
	if n := evalAs[int](tab, `document.querySelectorAll("dialog").length`); n != 1 {
		t.Errorf("after the refusal: want one dialog on the page, got %d", n)
	}

	// A valid lower price: submitted for review; the page reloads.
	newPrice := current.Sub(decimal.NewFromInt(1))
	if !newPrice.IsPositive() {
		t.Fatalf("the campaign price %s is too low to take 1.00 off", current.StringFixed(2))
	}
	// Typed at a person's pace over the refused price, selected as
	// entering the field selects it: the typed price is what is saved.
	tab.eval(`(() => { const el = document.querySelector("[data-testid=edit-price-input]"); el.focus(); el.select(); })()`)
	tab.typeAtPace(newPrice.StringFixed(2))
	tab.clickAndWaitForLoad("Submit the price edit", `[data-testid=edit-submit]`)
	tab.waitVisible(`[data-testid=notice]`)
	tab.expectTextContains(`[data-testid=notice]`, "Price edit submitted")
	if notice, want := strings.ReplaceAll(tab.text(`[data-testid=notice]`), ",", ""),
		"$"+current.StringFixed(2)+" → $"+newPrice.StringFixed(2); !strings.Contains(notice, want) {
		t.Errorf("the notice: want it to mention %q, got %q", want, notice)
	}
	summary := strings.ReplaceAll(tab.text(`#sku-`+skuID+` [data-testid=edit-summary]`), ",", "")
	for _, want := range []string{"under review", "due by", "$" + newPrice.StringFixed(2)} {
		if !strings.Contains(summary, want) {
			t.Errorf("the SKU's edit summary: want it to mention %q, got %q", want, summary)
		}
	}

	// Reopened, the pop-up closes with Escape (and leaves the page).
	tab.openEditDialog(`#sku-` + skuID + ` [data-testid=edit-price]`)
	tab.do("press Escape", chromedp.KeyEvent(kb.Escape))
	tab.waitUntil("Escape closes the pop-up", `!(document.querySelector("dialog")?.open ?? false)`)
	// The browser sends "close" a moment after the dialog shuts; app.js
	// removes the dialog then.
	tab.waitUntil("the closed pop-up is removed", `document.querySelectorAll("dialog").length === 0`)

	// ==== 3. Withdraw it ====

	withdrawnBefore := tab.tabCount(`[data-testid=status-withdrawn]`)
	tab.clickUncovered(product + ` input[name=product]`)
	// It asks first, in the page: the count ticked and what follows, the
	// focus on Cancel, the dialog named by its title and body.
	tab.eval(`window.__e2eOldPage = true`)
	tab.clickUncovered(`[data-testid=withdraw-selected]`)
	q := tab.confirmDialog()
	want := confirmQuestion{Title: "1 product leaves the campaign",
		Body:   "Orders placed before now keep their campaign fee; orders placed from now on pay no campaign fee for them.",
		Action: "Withdraw", Focused: "confirm-cancel", Labels: true}
	if q != want {
		t.Errorf("Withdraw selected asks\n  %+v\nwant\n  %+v", q, want)
	}
	// Escape cancels: same page, nothing withdrawn, the tick kept.
	tab.do("press Escape", chromedp.KeyEvent(kb.Escape))
	tab.waitUntil("Escape closes the confirmation", `document.querySelector("[data-testid=confirm-dialog]") === null`)
	if !evalAs[bool](tab, `window.__e2eOldPage === true && document.activeElement?.dataset.testid === "withdraw-selected"`) {
		t.Errorf("after Escape: want the same page with the focus back on Withdraw selected\n%s", tab.describePage())
	}
	// Confirmed: withdrawn.
	tab.clickUncovered(`[data-testid=withdraw-selected]`)
	tab.confirmDialog()
	tab.clickAndWaitForLoad("Confirm the withdrawal", `dialog[open] [data-testid=confirm-ok]`)
	tab.waitVisible(`[data-testid=notice]`)
	tab.expectTextContains(`[data-testid=notice]`, "withdrawn")
	if got := tab.tabCount(`[data-testid=status-withdrawn]`); got != withdrawnBefore+1 {
		t.Errorf("the Withdrawn tab's count: want %d, got %d", withdrawnBefore+1, got)
	}
	tab.expectText(tab.manageProductSelector(pick.Title)+` [data-testid=product-status]`, "Withdrawn")
	tab.expectSomeContains(tab.texts(`[data-testid=withdrawals] tbody tr`), pick.Title, "the withdrawals table")

	// ==== 4. A retail price change puts a Cyber Week product in SKU error ====

	tab.do("open the campaign list", chromedp.Navigate(base+"/campaigns"))
	tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Cyber Week Tech Deals")
	tab.waitVisible(`[data-testid=campaign-title]`)
	tab.clickToNavigate(`[data-testid=verdict] a`, "Manage")
	tab.waitForURL("Manage opens Cyber Week's Manage page", func(u *url.URL) bool { return regPath.MatchString(u.Path) && u.Path != hggManage })
	cyberManage := tab.locationOrUnknown()
	tab.waitVisible(`[data-testid=manage-table]`)
	tab.expectTextContains(`[data-testid=registration-title]`, "Cyber Week Tech Deals")
	// The Registered product with the most SKUs, so that the others can be
	// seen keeping their prices.
	type registered struct {
		Title string `json:"title"`
		SKUs  int    `json:"skus"`
	}
	target := evalAs[registered](tab, `(() => {
		const all = Array.from(document.querySelectorAll("[data-testid=manage-product]"))
			.filter(b => b.querySelector("[data-testid=product-status]")?.textContent.trim() === "Registered")
			.map(b => ({title: b.querySelector(".product-head strong").textContent.trim(), skus: b.querySelectorAll("[data-testid=manage-sku]").length}));
		all.sort((a, b) => b.skus - a.skus);
		return all[0] ?? {title: "", skus: 0};
	})()`)
	if target.Title == "" {
		t.Fatalf("Cyber Week's Manage page: no Registered product (statuses %q)", tab.texts(`[data-testid=product-status]`))
	}
	t.Logf("Cyber Week product for the SKU error: %q (%d SKUs)", target.Title, target.SKUs)

	// Withdraw selected with every product ticked: the dialog counts the
	// ticks; Cancel withdraws nothing.
	statuses := fmt.Sprint(tab.texts(`[data-testid=product-status]`))
	tab.eval(`document.querySelectorAll("input[name=product][form=withdraw-form]").forEach(b => { b.checked = true; })`)
	ticked := evalAs[int](tab, `document.querySelectorAll("input[name=product][form=withdraw-form]:checked").length`)
	if ticked < 2 {
		t.Fatalf("Cyber Week's Manage page: want 2 or more products that can be withdrawn, got %d", ticked)
	}
	tab.eval(`window.__e2eOldPage = true`)
	tab.clickUncovered(`[data-testid=withdraw-selected]`)
	if q, want := tab.confirmDialog(), fmt.Sprintf("%d products leave the campaign", ticked); q.Title != want {
		t.Errorf("Withdraw selected with %d ticked asks %q; want %q", ticked, q.Title, want)
	}
	tab.answerConfirm(false)
	if !evalAs[bool](tab, `window.__e2eOldPage === true`) {
		t.Errorf("Cancel left the page: want nothing sent\n%s", tab.describePage())
	}
	if got := fmt.Sprint(tab.texts(`[data-testid=product-status]`)); got != statuses {
		t.Errorf("after Cancel: want the statuses unchanged\n  before %s\n  after  %s", statuses, got)
	}
	if got := evalAs[int](tab, `document.querySelectorAll("input[name=product][form=withdraw-form]:checked").length`); got != ticked {
		t.Errorf("after Cancel: want the %d ticks kept, got %d", ticked, got)
	}
	tab.do("reload Cyber Week's Manage page", chromedp.Navigate(cyberManage))
	tab.waitVisible(`[data-testid=manage-table]`)
	if got := fmt.Sprint(tab.texts(`[data-testid=product-status]`)); got != statuses {
		t.Errorf("after Cancel, reloaded: want the statuses unchanged\n  before %s\n  after  %s", statuses, got)
	}

	// Managed products → search → the product page.
	tab.do("open Managed products", chromedp.Navigate(base+"/products"))
	tab.waitVisible(`#product-q`)
	tab.do("search for "+target.Title, chromedp.SendKeys(chromedp.CSS(`#product-q`), target.Title))
	tab.waitForURL("the search pushes ?q=", func(u *url.URL) bool { return u.Query().Get("q") == target.Title })
	tab.waitUntil("the search finds the product", fmt.Sprintf(`Array.from(document.querySelectorAll("[data-testid=product-row] a")).some(a => a.textContent.trim() === %s)`,
		jsString(target.Title)))
	tab.clickToNavigate(`[data-testid=product-row] a`, target.Title)
	tab.waitVisible(`[data-testid=product-title]`)
	tab.expectText(`[data-testid=product-title]`, target.Title)
	tab.waitVisible(`[data-testid=registered-warning]`)
	tab.expectTextContains(`[data-testid=registered-warning]`, "Cyber Week Tech Deals")
	// Its campaign stock is shown reserved, per campaign and in total.
	tab.expectTextContains(`[data-testid=sku-reserved]`, "reserved in campaigns")
	tab.expectTextContains(`.reserved-list`, "Cyber Week Tech Deals")
	tab.screenshot("catalogue-reserved-stock")

	type skuRow struct {
		ID      string `json:"id"`
		Code    string `json:"code"`
		Version string `json:"version"`
		Retail  string `json:"retail"`
		Action  string `json:"action"`
	}
	readSKUs := func() []skuRow {
		return evalAs[[]skuRow](tab, `Array.from(document.querySelectorAll("[data-testid=sku-row]"), r => ({
			id: r.id,
			code: r.cells[0].firstChild.textContent.trim(),
			version: r.cells[0].querySelector("div").textContent.trim(),
			retail: r.querySelector("[data-testid=retail-input]").value,
			action: r.querySelector("form.sku-edit").getAttribute("action"),
		}))`)
	}
	before := readSKUs()
	if len(before) == 0 {
		t.Fatalf("product page of %q: no SKU rows", target.Title)
	}
	first := "#" + before[0].ID
	newRetail := mustDecimal(t, before[0].Retail).Add(decimal.NewFromInt(1)).StringFixed(2)

	// Deleting asks in the dialog, which says what follows; Cancel keeps the SKU.
	if len(before) > 1 {
		tab.click(first + ` [data-testid=delete-sku]`)
		q := tab.confirmDialog()
		if !strings.Contains(q.Body, "SKU error") {
			t.Errorf("the delete dialog says %q", q.Body)
		}
		tab.answerConfirm(false)
		if after := readSKUs(); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("after Cancel: the SKUs changed\n  before %+v\n  after  %+v", before, after)
		}
	}

	// A retail price rise breaks nothing: it saves at once.
	tab.typeInto(first+` [data-testid=retail-input]`, newRetail)
	tab.clickAndWaitForLoad("Save a retail price rise", first+` [data-testid=save-sku]`)
	tab.waitVisible(`[data-testid=notice]`)
	tab.expectTextContains(`[data-testid=notice]`, "SKU saved")
	if got := tab.readSKURetail(first); got != newRetail {
		t.Errorf("the first SKU's retail price after saving: want %s, got %s", newRetail, got)
	}
	before = readSKUs()

	// A cut below the campaign price: the impact list first, nothing saved.
	tab.typeInto(first+` [data-testid=retail-input]`, "1.00")
	tab.clickAndWaitForLoad("Save a retail price cut", first+` [data-testid=save-sku]`)
	tab.waitVisible(`[data-testid=edit-impact]`)
	tab.expectTextContains(`[data-testid=impact-table]`, "Cyber Week Tech Deals")
	tab.expectTextContains(`[data-testid=impact-table]`, "above the new maximum")
	tab.expectTextContains(`[data-testid=impact-table]`, "Still possible")
	tab.screenshot("catalogue-edit-impact")
	if got := tab.readSKURetail(first); got != "1.00" {
		t.Errorf("the typed cut is lost: the row shows %s", got)
	}
	tab.expectTextContains(`[data-testid=registered-warning]`, "Cyber Week Tech Deals")

	// Confirmed: saved.
	tab.clickUncovered(`#impact-confirm`)
	tab.clickAndWaitForLoad("Save the cut, confirmed", `[data-testid=impact-confirm]`)
	tab.waitVisible(`[data-testid=notice]`)
	tab.expectTextContains(`[data-testid=notice]`, "SKU saved")
	if got := tab.readSKURetail(first); got != "1.00" {
		t.Errorf("the first SKU's retail price after saving: want 1.00, got %s", got)
	}

	// ==== 5. Resolve the SKU error: back in the draft ====

	tab.do("open Cyber Week's Manage page", chromedp.Navigate(cyberManage))
	tab.waitVisible(`[data-testid=sku-errors]`)
	resolveIndex := evalAs[int](tab, fmt.Sprintf(`Array.from(document.querySelectorAll("[data-testid=sku-errors] [data-testid=sku-error]"))
		.findIndex(li => li.querySelector("strong")?.textContent.trim() === %s) + 1`, jsString(target.Title)))
	if resolveIndex == 0 {
		t.Fatalf("SKU errors: want %q listed, got %q", target.Title, tab.texts(`[data-testid=sku-errors] [data-testid=sku-error]`))
	}
	tab.expectText(tab.manageProductSelector(target.Title)+` [data-testid=product-status]`, "SKU error")
	tab.clickAndWaitForLoad("Withdraw and register again", fmt.Sprintf(`[data-testid=sku-errors] [data-testid=sku-error]:nth-of-type(%d) [data-testid=resolve]`, resolveIndex))
	tab.waitForURL("resolving opens the campaign's price table", func(u *url.URL) bool {
		return regexp.MustCompile(`^/campaigns/[0-9]+/register$`).MatchString(u.Path)
	})
	tab.waitVisible(`[data-testid=notice]`)
	tab.expectTextContains(`[data-testid=notice]`, "back in your draft")

	type priceRow struct {
		Code  string `json:"code"`
		Price string `json:"price"`
	}
	rows := evalAs[[]priceRow](tab, fmt.Sprintf(`(() => {
		const block = Array.from(document.querySelectorAll("[data-testid=product-block]"))
			.find(b => b.querySelector(".product-head strong")?.textContent.trim() === %s);
		if (!block) return [];
		return Array.from(block.querySelectorAll("[data-testid=sku-row]"), r => ({
			code: r.cells[1].querySelector(".mono").textContent.trim(),
			price: r.querySelector("[data-testid=price-input]").value,
		}));
	})()`, jsString(target.Title)))
	if len(rows) != len(before) {
		t.Fatalf("the price table's rows of %q: want %d SKUs, got %+v", target.Title, len(before), rows)
	}
	for _, r := range rows {
		switch {
		case r.Code == before[0].Code && r.Price != "":
			t.Errorf("the changed SKU %s: want its price input empty, got %q", r.Code, r.Price)
		case r.Code != before[0].Code && r.Price == "":
			t.Errorf("the unchanged SKU %s: want it to keep its price, the input is empty", r.Code)
		}
	}

	// The refused price edit (htmx swaps the 422 pop-up) and the refused SKU
	// save (a page answered 422): Chromium logs each 4xx answer once.
	tab.expectNoConsoleProblemsBut(
		fmt.Sprintf("network error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity) %s%s", base, editAction),
		fmt.Sprintf("network error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity) %s%s", base, before[0].Action),
	)
}

// ---- Helpers of this journey ----

// manageProductSelector is a CSS selector for the Manage page's product
// block titled title.
func (tb *tab) manageProductSelector(title string) string {
	tb.t.Helper()
	id := evalAs[string](tb, fmt.Sprintf(`Array.from(document.querySelectorAll("[data-testid=manage-product]"))
		.find(b => b.querySelector(".product-head strong")?.textContent.trim() === %s)?.dataset.productId ?? ""`, jsString(title)))
	if id == "" {
		tb.t.Fatalf("the Manage page has no product %q (products: %q)", title, tb.texts(`[data-testid=manage-product] .product-head strong`))
	}
	return `[data-testid=manage-product][data-product-id="` + id + `"]`
}

// openEditDialog clicks an Edit button and waits for the pop-up htmx loads
// to be open.
func (tb *tab) openEditDialog(button string) {
	tb.t.Helper()
	tb.clickUncovered(button)
	tb.waitUntil("the Edit pop-up opens", `document.querySelector("dialog[data-testid=edit-dialog]")?.open === true`)
	if !evalAs[bool](tb, `document.querySelector('dialog').open === true`) {
		tb.t.Fatalf("the first dialog on the page is not the open Edit pop-up")
	}
}

// tabCount reads the count of a Manage page status tab.
func (tb *tab) tabCount(selector string) int {
	tb.t.Helper()
	s := tb.text(selector + ` .count`)
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.t.Fatalf("%s: want a count, got %q", selector, s)
	}
	return n
}

func (tb *tab) readSKURetail(row string) string {
	tb.t.Helper()
	return evalAs[string](tb, fmt.Sprintf(`document.querySelector(%s)?.value ?? ""`, jsString(row+` [data-testid=retail-input]`)))
}

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("reading the amount %q: %v", s, err)
	}
	return d
}
