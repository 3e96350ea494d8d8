package main

// The co-funding budget journey: the manager sets Autumn Flash Sale's
// coupon budget on the campaign's page (a bad amount first: refused next
// to the field), reads its burn-down on the Performance page (the demo's
// orders overspend it), and the seller reads their co-funding used and
// left on the campaign's details.
//
//	CI=1 go test ./cmd/portal -run TestE2ECoFundingBudget -count=1 -v

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

func TestE2ECoFundingBudget(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browserCtx := startBrowser(t, chromium)

	mgr := openTab(t, browserCtx, base)
	mgr.signInTo("manager@demo.test", "/manager")
	mgr.waitVisible(`[data-testid=manager-row]`)
	href := evalAs[string](mgr, `Array.from(document.querySelectorAll("[data-testid=manager-row] a"))
		.find(a => a.textContent.includes("Autumn Flash Sale"))?.getAttribute("href") ?? ""`)
	m := regexp.MustCompile(`^/manager/campaigns/(\d+)$`).FindStringSubmatch(href)
	if m == nil {
		t.Fatalf("the manager's list: no Autumn Flash Sale link (got %q)", href)
	}
	id := m[1]
	mgr.openPage(href)
	form := `[data-testid="budget-form-AUTUMN-10PCT"]`
	mgr.expectAttr(form+` input[name=budget]`, "value", "120.00")
	action := evalAs[string](mgr, fmt.Sprintf(`document.querySelector(%s).getAttribute("action")`, jsString(form)))

	// A comma for the cents: refused next to the field, as typed.
	mgr.typeInto(form+` input[name=budget]`, "150,00")
	mgr.clickAndWaitForLoad("Save budget (150,00)", form+` button[type=submit]`)
	mgr.expectText(form+` [data-testid=budget-error]`, "Use a point for cents: 150.00.")
	mgr.expectAttr(form+` input[name=budget]`, "aria-invalid", "true")

	mgr.typeInto(form+` input[name=budget]`, "150.00")
	mgr.clickAndWaitForLoad("Save budget (150.00)", form+` button[type=submit]`)
	mgr.waitForURL("saving lands back on the campaign's page", func(u *url.URL) bool {
		return u.Path == href && u.Query().Get("done") == "budget"
	})
	mgr.expectAttr(form+` input[name=budget]`, "value", "150.00")
	mgr.expectTextContains(`[data-testid=audit-entry]`, "Coupon AUTUMN-10PCT platform budget: $120.00 → $150.00")

	// The burn-down, on the Performance page.
	mgr.followLink("open Performance", `[data-testid=performance]`)
	bd := `[data-testid="budget-AUTUMN-10PCT"]`
	mgr.waitVisible(bd)
	mgr.expectText(bd+` [data-testid=budget-amount]`, "$150.00")
	spent := parseMoney(t, mgr.text(bd+` [data-testid=budget-spent]`))
	left := signedMoney(t, mgr.text(bd+` [data-testid=budget-left]`))
	if !spent.Add(left).Equal(parseMoney(t, "$150.00")) {
		t.Errorf("spent %s + left %s is not the budget $150.00", spent, left)
	}
	days := mgr.texts(bd + ` [data-testid=budget-day]`)
	if len(days) < 10 {
		t.Errorf("the burn-down by day: want the run's days, got %d rows", len(days))
	}
	// The demo's orders cost the platform more than $150: the page says
	// when it ran out, and that claims went on.
	if left.IsPositive() {
		t.Fatalf("the demo's budget should be overspent; %s left", left)
	}
	mgr.expectText(bd+` [data-testid=budget-status]`, "Budget spent")
	mgr.expectTextContains(bd+` [data-testid=budget-exhausted]`, "the budget is a monitor, not a cap")
	mgr.do("size the window as the screenshot", chromedp.EmulateViewport(1366, 900))
	mgr.eval(fmt.Sprintf(`document.querySelector(%s).scrollIntoView({block: "start"})`, jsString(bd)))
	mgr.screenshot("budget-manager-burn-down")
	mgr.expectNoConsoleProblemsBut(fmt.Sprintf(
		"network error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity) %s%s", base, action))

	// The seller: Maple & Co's co-funding of the coupon, on the details.
	seller := openTab(t, browserCtx, base)
	seller.signIn("seller@demo.test")
	seller.openPage("/campaigns/" + id)
	row := `[data-testid=coupon-used]`
	seller.waitVisible(row)
	seller.expectText(row+` [data-testid=used-code]`, "AUTUMN-10PCT")
	if used := parseMoney(t, seller.text(row+` [data-testid=used-share]`)); !used.IsPositive() {
		t.Errorf("Maple's share of AUTUMN-10PCT so far: want a positive amount, got %s", used)
	}
	if got := seller.text(row + ` [data-testid=used-left]`); !strings.Contains(got, "coupons left × at most") {
		t.Errorf("what is left: %q", got)
	}
	if body := strings.ToLower(seller.text(`main`)); strings.Contains(body, "budget") {
		t.Errorf("the seller's page mentions the platform budget")
	}
	seller.do("size the window as the screenshot", chromedp.EmulateViewport(1366, 900))
	seller.eval(`document.querySelector("#coupons-h").scrollIntoView({block: "start"})`)
	seller.screenshot("budget-seller-used-left")
	seller.expectNoConsoleProblems()
}

// signedMoney reads an amount that may be negative ("−$9.41").
func signedMoney(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	if rest, ok := strings.CutPrefix(strings.TrimSpace(s), "−"); ok {
		return parseMoney(t, rest).Neg()
	}
	return parseMoney(t, s)
}
