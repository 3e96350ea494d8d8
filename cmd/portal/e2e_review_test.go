package main

// The reviewer's journey: filter the queue to "Above maximum", open the
// registration, reject the product priced above its maximum and approve
// the rest with the keyboard only; then the seller (Fresh Start) reads
// both decisions on the Manage page.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestE2EReviewerDecidesProductByProduct(t *testing.T) {
	chromium := findChromium(t)
	// A portal of its own: the journey decides a registration other journeys see pending.
	base := startPortal(t)
	browser := startBrowser(t, chromium)
	tab := openTab(t, browser, base)
	tab.signInTo("reviewer@demo.test", "/review")

	// The price check runs as a job when the portal starts: reload until
	// the "Above maximum" filter counts the demo's registration.
	tab.poll("the Above maximum filter counts a registration", func(ctx context.Context) (bool, string, error) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/review")); err != nil {
			return false, "", err
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`document.querySelector("[data-testid=chip-above-max] [data-testid=chip-count]")?.textContent.trim() ?? ""`))
		return err == nil && n != "0" && n != "", "the count " + n, err
	})
	tab.clickToNavigate(`[data-testid=chip-above-max]`, "Above maximum")
	tab.waitForURL("the filter is in the address", func(u *url.URL) bool { return u.Query().Get("flag") == "above-max" })
	if rows := tab.texts(`[data-testid=queue-row] [data-testid=queue-shop]`); len(rows) != 1 || rows[0] != "Fresh Start" {
		t.Fatalf("Above maximum lists %q, want Fresh Start's registration only", rows)
	}

	// Keyboard: j to the row, Enter opens it.
	tab.do("press j", chromedp.KeyEvent("j"))
	tab.waitUntil("the row has focus", `document.activeElement && document.activeElement.matches("[data-testid=queue-row]")`)
	tab.do("press Enter", chromedp.KeyEvent(kb.Enter))
	tab.waitForURL("Enter opens the registration", func(u *url.URL) bool { return strings.HasPrefix(u.Path, "/review/registrations/") })
	tab.waitVisible(`[data-testid=decide-form]`)
	regPath := mustParseURL(t, tab.locationOrUnknown()).Path
	regID := strings.TrimPrefix(regPath, "/review/registrations/")

	// The help overlay opens with "?" and closes with Escape.
	tab.do("press ?", chromedp.KeyEvent("?"))
	tab.waitUntil("the help overlay is open", `document.getElementById("review-keys-help").open`)
	tab.do("press Escape", chromedp.KeyEvent(kb.Escape))
	tab.waitUntil("the help overlay is closed", `!document.getElementById("review-keys-help").open`)

	type product struct {
		ID    string `json:"id"`
		Above bool   `json:"above"`
		SKUs  int    `json:"skus"`
		First string `json:"first"` // the first SKU's code
	}
	products := evalAs[[]product](tab, `Array.from(document.querySelectorAll("[data-testid=decide-product]")).map(f => ({
		id: f.dataset.rpId, above: !!f.querySelector("[data-testid=product-above-max]"),
		skus: f.querySelectorAll("[data-testid=reject-sku]").length,
		first: f.querySelector("[data-testid=reject-sku]")?.dataset.skuCode ?? ""}))`)
	bad, split := -1, -1
	for i, p := range products {
		if p.Above {
			bad = i
		}
	}
	for i, p := range products {
		if i != bad && p.SKUs > 1 && split < 0 {
			split = i
		}
	}
	if len(products) < 2 || bad < 0 || split < 0 {
		t.Fatalf("products to decide: %+v; want several, one above its maximum and another with several SKUs", products)
	}
	// j moves to each product; on the flagged one r rejects it and the
	// reason list takes focus; arrow keys pick the first reason.
	for i := 0; i <= bad; i++ {
		tab.do("press j", chromedp.KeyEvent("j"))
	}
	tab.waitUntil("the flagged product has focus", fmt.Sprintf(`document.activeElement && document.activeElement.dataset.rpId === %q`, products[bad].ID))
	tab.do("press r", chromedp.KeyEvent("r"))
	tab.waitUntil("the reason list has focus", fmt.Sprintf(`document.activeElement && document.activeElement.id === "reason_code_%s"`, products[bad].ID))
	tab.do("pick the first reason", chromedp.KeyEvent(kb.ArrowDown))
	tab.waitUntil("a reason is chosen", fmt.Sprintf(`document.getElementById("reason_code_%s").value === "price-above-maximum"`, products[bad].ID))
	tab.do("Tab to the message and type it", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Your sale lowered the low."))
	// On a product with several SKUs, x goes to its Reject SKU boxes: Space
	// ticks the first (the product is chosen Approve), Tab reaches its reason.
	tab.do("Escape back to the products", chromedp.KeyEvent(kb.Escape))
	for i := bad; i < split; i++ {
		tab.do("press j", chromedp.KeyEvent("j"))
	}
	for i := bad; i > split; i-- {
		tab.do("press k", chromedp.KeyEvent("k"))
	}
	tab.waitUntil("the product with several SKUs has focus", fmt.Sprintf(`document.activeElement && document.activeElement.dataset.rpId === %q`, products[split].ID))
	tab.do("press x", chromedp.KeyEvent("x"))
	tab.waitUntil("a Reject SKU box has focus", `document.activeElement && document.activeElement.matches("[data-testid=reject-sku]")`)
	tab.do("Space ticks it", chromedp.KeyEvent(" "))
	tab.waitUntil("the SKU is ticked and the product approved", fmt.Sprintf(`document.activeElement.checked &&
		document.querySelector('[data-rp-id="%s"] input[value=approved]').checked`, products[split].ID))
	tab.do("Tab to the SKU's reason, pick one, Tab to the message", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Out of this colour."))
	tab.waitUntil("the SKU's reason is chosen", `document.activeElement.id.startsWith("reason_text_sku_") &&
		document.getElementById(document.activeElement.id.replace("reason_text", "reason_code")).value === "price-above-maximum"`)
	tab.do("Escape back to the products, A approves the rest", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("A"))
	tab.waitUntil("every other product is approved", `Array.from(document.querySelectorAll("[data-testid=decide-product]")).every(f =>
		f.querySelector("input[type=radio]:checked"))`)
	tab.do("press s", chromedp.KeyEvent("s"))
	tab.waitForURL("recording lands on the queue", func(u *url.URL) bool { return u.Path == "/review" && u.Query().Get("decided") == regID })
	tab.expectTextContains(`[data-testid=review-notice]`, "some products approved, some rejected")
	tab.expectNoConsoleProblems()

	// The seller reads each decision.
	seller := openTab(t, browser, base)
	seller.signIn("newshop@demo.test")
	seller.do("open the registration", chromedp.Navigate(base+"/registrations/"+regID))
	seller.waitVisible(`[data-testid=manage-product]`)
	seller.expectText(`[data-testid=registration-status]`, "Partly registered")
	seller.expectText(fmt.Sprintf(`[data-testid=manage-sku][data-sku-code="%s"] [data-testid=sku-reason]`, products[split].First),
		"Campaign price above the maximum allowed: Out of this colour.")
	for i, p := range products {
		sel := fmt.Sprintf(`[data-testid=manage-product][data-product-id="%s"] [data-testid=product-status]`, p.ID)
		want := "Registered"
		if i == split {
			want = fmt.Sprintf("Registered: %d of %d SKUs", p.SKUs-1, p.SKUs)
		}
		if i == bad {
			want = "Rejected"
			seller.expectText(fmt.Sprintf(`[data-testid=manage-product][data-product-id="%s"] [data-testid=product-reason]`, p.ID),
				"Campaign price above the maximum allowed: Your sale lowered the low.")
		}
		seller.expectText(sel, want)
	}

	// The rejected product shows what its reason implies now (today's
	// maximum) and registers again with it: back in the draft, to submit.
	badSel := fmt.Sprintf(`[data-testid=manage-product][data-product-id="%s"]`, products[bad].ID)
	seller.expectTextContains(badSel+` [data-testid=sku-fix]`, "The reason implies: Lower to $")
	seller.screenshotAt(badSel+` [data-testid=rejection-fix]`, "review-rejection-fix")
	seller.clickAndWaitForLoad("Apply the fixes and register again", badSel+` [data-testid=rejection-fix]`)
	seller.waitForURL("the fix opens the price table", func(u *url.URL) bool { return strings.HasSuffix(u.Path, "/register") })
	seller.waitVisible(`[data-testid=price-table]`)
	seller.expectTextContains(`[data-testid=notice]`, "Back in your draft with the fix: ")
	seller.expectTextContains(`[data-testid=notice]`, " lowered to $")
	if errs := seller.texts(`[data-testid=price-error]`); len(errs) != 0 {
		t.Errorf("the fixed product is refused in the price table: %q", errs)
	}
	seller.screenshot("review-rejection-fixed-draft")
	seller.expectNoConsoleProblems()
}
