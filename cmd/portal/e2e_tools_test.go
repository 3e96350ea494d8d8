package main

// The seller's tools in the price table: a price above the maximum offers
// the rule's fix, which saves through the row's own request; the
// simulator panel opens from the row and follows the price as it is
// typed; the price memory warning; the simulator on its own page.
// PORTAL_SCREENSHOTS=DIR saves each step's screenshot at 1366x900.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
}
