package main

// The seller's tools in the price table: a price above the maximum offers
// the rule's fix, which saves through the row's own request; the
// simulator panel opens from the row and follows the price as it is
// typed; the price memory warning; the simulator on its own page.
// PORTAL_SCREENSHOTS=DIR saves each step's screenshot at 1366x900.

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestE2ESellerTools(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)
	tab := openTab(t, browser, base)
	tab.do("set the window to 1366x900", chromedp.EmulateViewport(1366, 900))
	tab.signIn("seller@demo.test")
	shots := os.Getenv("PORTAL_SCREENSHOTS")
	shot := func(name string) {
		if shots != "" {
			tab.saveScreenshots(filepath.Join(shots, name))
		}
	}

	tab.openPage("/campaigns?tab=open")
	campaign := tab.firstHref(`[data-testid=campaign-list] a[data-testid=campaign-name]`, `^/campaigns/[0-9]+$`)
	tab.openPage(campaign + "/register")
	if !tab.isVisible(`[data-testid=price-table]`) {
		tab.clickAndWaitForLoad("Add recommended products", `[data-testid=add-recommended]`)
	}
	tab.waitVisible(`[data-testid=price-table] [data-testid=sku-row]`)
	row := "#" + evalAs[string](tab, `document.querySelector("[data-testid=sku-row]").id`)
	maxPrice := strings.TrimSpace(strings.TrimPrefix(tab.text(row+` [data-testid=price-range]`), "≤"))

	// A price above the maximum: the fix is the rule's maximum.
	tab.typeInto(row+` [data-testid=price-input]`, "999999.99")
	tab.waitForText(row+` [data-testid=fix]`, "Lower to "+maxPrice)
	shot("tools-fix-offered")
	tab.click(row + ` [data-testid=fix]`)
	tab.waitUntil("the fix is saved and the refusal gone", fmt.Sprintf(
		`document.querySelector(%s) === null && !document.querySelector(%s).classList.contains("has-problem")`,
		jsString(row+` [data-testid=price-error]`), jsString(row)))
	if got := evalAs[string](tab, fmt.Sprintf(`document.querySelector(%s).value`, jsString(row+` [data-testid=price-input]`))); "$"+got != maxPrice {
		t.Errorf("price after the fix: %q, want %s", got, maxPrice)
	}

	// The simulator panel from the row; it follows the saved price.
	tab.click(row + ` [data-testid=simulate]`)
	tab.waitVisible(`#sim-panel [data-testid=sim-result]`)
	tab.waitForTextMatch(`#sim-panel [data-testid=sim-steps]`, "Campaign price", func(s string) bool { return strings.Contains(s, maxPrice) })
	shot("tools-simulator-panel")
	tab.typeInto(row+` [data-testid=price-input]`, "1.00")
	tab.waitForTextMatch(`#sim-panel [data-testid=sim-steps]`, "$1.00", func(s string) bool { return strings.Contains(s, "$1.00") })
	if got := evalAs[string](tab, fmt.Sprintf(`document.querySelector(%s).value`, jsString(row+` [data-testid=price-input]`))); got != "1.00" {
		t.Errorf("the price typed was changed while the panel refreshed: %q", got)
	}
	// $1.00 is below every price of the past 30 days: the price memory.
	tab.waitForTextMatch(row+` [data-testid=price-memory]`, "30-day floor will be $1.00", func(s string) bool {
		return strings.Contains(s, "30-day floor will be $1.00")
	})
	shot("tools-price-memory")

	// The simulator on its own page.
	tab.openPage(tab.firstHref(`#sim-panel a[href^="/simulator"]`, `^/simulator$`))
	tab.waitVisible(`[data-testid=sim-result]`)
	shot("tools-simulator-page")
	tab.screenshot("tools-simulator-page")

	// ---- Campaign stock reserved: a product registered in Cyber Week, in
	// the price table of Black Friday, whose run overlaps it ----
	tab.openPage("/campaigns")
	tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Cyber Week Tech Deals")
	tab.waitVisible(`[data-testid=campaign-title]`)
	tab.clickToNavigate(`[data-testid=verdict] a`, "Manage")
	tab.waitVisible(`[data-testid=manage-table]`)
	held := evalAs[string](tab, `(() => {
		const all = Array.from(document.querySelectorAll("[data-testid=manage-product]"))
			.filter(b => b.querySelector("[data-testid=product-status]")?.textContent.trim() === "Registered")
			.map(b => ({title: b.querySelector(".product-head strong").textContent.trim(), skus: b.querySelectorAll("[data-testid=manage-sku]").length}));
		all.sort((a, b) => b.skus - a.skus);
		return all[0]?.title ?? "";
	})()`)
	if held == "" {
		t.Fatal("Cyber Week's Manage page: no Registered product")
	}
	tab.openPage("/campaigns?tab=open")
	tab.clickToNavigate(`[data-testid=campaign-list] a[data-testid=campaign-name]`, "Black Friday & Cyber Monday")
	bfcm := strings.TrimSuffix(tab.locationOrUnknown(), "/")
	tab.do("open the pick page", chromedp.Navigate(bfcm+"/register/pick?q="+url.QueryEscape(held)))
	tab.waitVisible(`[data-testid=pick-table]`)
	if tab.isVisible(`[data-testid=pick-row] input[name=product_id]`) {
		tab.click(`[data-testid=pick-row] input[name=product_id]`)
		tab.clickAndWaitForLoad("Add selected", `[data-testid=add-selected]`)
	} else {
		tab.do("open the price table", chromedp.Navigate(bfcm+"/register"))
	}
	const block = `[data-testid=product-block]:has(strong[data-e2e-held])`
	tab.waitVisible(`[data-testid=price-table]`)
	tab.eval(fmt.Sprintf(`Array.from(document.querySelectorAll("[data-testid=product-block] .product-head strong")).find(s => s.textContent.trim() === %s)?.setAttribute("data-e2e-held", "")`, jsString(held)))
	tab.waitVisible(block + ` [data-testid=reserved]`)
	held1 := "#" + evalAs[string](tab, fmt.Sprintf(`document.querySelector(%s).closest("tr").id`, jsString(block+` [data-testid=reserved]`)))
	tab.expectTextContains(held1+` [data-testid=reserved]`, "reserved in overlapping campaigns")
	tab.screenshotAt(held1+` [data-testid=reserved]`, "tools-reserved-stock")

	// More than is left: refused with what the other campaigns hold, and
	// the fix is what is left (when it meets the tier's minimum).
	available := evalAs[int](tab, fmt.Sprintf(`parseInt(document.querySelector(%s).textContent.replace(/[^0-9]/g, ""), 10)`,
		jsString(held1+` [data-testid=stock-input] + div`)))
	tab.typeInto(held1+` [data-testid=stock-input]`, fmt.Sprint(available+1))
	tab.waitForTextMatch(held1+` [data-testid=stock-error]`, "reserved in overlapping campaigns", func(s string) bool {
		return strings.Contains(s, "reserved in overlapping campaigns")
	})
	tab.screenshotAt(held1+` [data-testid=stock-error]`, "tools-over-reserve-refused")
	if tab.isVisible(held1 + ` [data-testid=fix]`) {
		tab.expectTextContains(held1+` [data-testid=fix]`, fmt.Sprintf("Set stock to %d", available))
		tab.click(held1 + ` [data-testid=fix]`)
		tab.waitUntil("the stock fix is saved", fmt.Sprintf(`document.querySelector(%s) === null`, jsString(held1+` [data-testid=stock-error]`)))
	}

	// Every SKU of the product above its maximum: one fix for them all.
	rows := evalAs[[]string](tab, fmt.Sprintf(`Array.from(document.querySelectorAll(%s), r => "#" + r.id)`, jsString(block+` [data-testid=sku-row]`)))
	if len(rows) < 2 {
		t.Logf("%s has one SKU in the draft: no product-wide fix to show", held)
	} else {
		for _, r := range rows {
			tab.typeInto(r+` [data-testid=price-input]`, "999999.99")
			tab.do("leave the field (its change saves it)", chromedp.KeyEvent(kb.Tab))
		}
		// Every save answered (a page left with saves pending asks first).
		tab.waitUntil("every row is saved and refused", fmt.Sprintf(`document.querySelectorAll("[data-morph].htmx-request, [data-morph] .htmx-request, [data-morph] [data-sent]").length === 0 &&
			%s.every(r => document.querySelector(r + " [data-testid=price-input]").value === "999999.99" && document.querySelector(r + " [data-testid=price-error]"))`,
			jsStrings(rows)))
		// A row's save redraws its row; the product's head (and its fix)
		// is drawn with the table.
		tab.do("reload the price table", chromedp.Navigate(bfcm+"/register"))
		tab.waitVisible(`[data-testid=price-table]`)
		tab.eval(fmt.Sprintf(`Array.from(document.querySelectorAll("[data-testid=product-block] .product-head strong")).find(s => s.textContent.trim() === %s)?.setAttribute("data-e2e-held", "")`, jsString(held)))
		tab.waitVisible(block + ` [data-testid=product-fix]`)
		tab.expectTextContains(block+` [data-testid=product-fix]`, "every SKU of this product")
		tab.screenshotAt(block+` [data-testid=product-fix]`, "tools-product-fix")
		tab.clickAndWaitForLoad("the product-wide fix", block+` [data-testid=product-fix]`)
		tab.waitVisible(`[data-testid=notice]`)
		tab.expectTextContains(`[data-testid=notice]`, fmt.Sprintf("%d rows updated", len(rows)))
		for _, r := range rows {
			if tab.isVisible(r + ` [data-testid=price-error]`) {
				t.Errorf("after the product-wide fix, %s is still refused: %s", r, tab.text(r+` [data-testid=price-error]`))
			}
		}
	}

	// The pages' scripts stay inside the Content-Security-Policy.
	for _, p := range tab.problems.all() {
		if strings.Contains(p, "Content Security Policy") || strings.Contains(p, "inline style") {
			t.Errorf("browser console: %s", p)
		} else {
			t.Logf("browser console (a refused value's 4xx answer): %s", p)
		}
	}
}

// screenshotAt scrolls selector to the middle of the window and saves a
// screenshot of the window (tab.screenshot), so what a step is about is
// in the picture.
func (tb *tab) screenshotAt(selector, name string) {
	tb.t.Helper()
	tb.eval(fmt.Sprintf(`document.querySelector(%s).scrollIntoView({block: "center"})`, jsString(selector)))
	tb.screenshot(name)
}

// jsStrings writes strings as a JavaScript array literal.
func jsStrings(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = jsString(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
