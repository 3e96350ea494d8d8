package main

// The seller's finance journey: Finance › Settled records, filtered to a
// campaign with htmx, then an order with a partial return and its whole
// breakdown. The orders are the demo's, imported by `serve --demo` through
// the order import code.
//
//	go test ./cmd/portal/ -run E2E -count=1 -v

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2ESellerReadsSettledRecords(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	// The side navigation has Finance › Settled records (hidden in a narrow
	// window: the journey follows its link).
	tab.expectAttr(`nav.sidenav a[href="/finance/settled-records"]`, "href", "/finance/settled-records")
	tab.do("open Finance › Settled records", chromedp.Navigate(base+"/finance/settled-records"))
	tab.waitVisible(`[data-testid=settled-table]`)
	// Two years of orders: the first page holds the newest, the showcase
	// order still not completed among them.
	all := tab.texts(`[data-testid=order-link]`)
	if !slices.Contains(all, "DEMO-NOT-COMPLETED") {
		t.Errorf("the first page of settled records: want the demo's newest orders, got %q", all)
	}

	// Filter by Singles' Day Deals (a three-day event: its orders fit on one
	// page): an htmx swap of the records with the filter in the address.
	tab.eval(`window.__marker = 1`)
	tab.eval(`(() => {
		const s = document.querySelector("#settled-campaign");
		s.value = Array.from(s.options).find(o => o.textContent.includes("Singles' Day Deals")).value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)
	tab.waitForURL("the campaign filter pushes ?campaign=", func(u *url.URL) bool { return u.Query().Get("campaign") != "" })
	tab.waitUntil("the filtered rows", `!Array.from(document.querySelectorAll("[data-testid=order-link]")).some(a => a.textContent.includes("DEMO-NOT-COMPLETED"))`)
	if marker := evalAs[int](tab, `window.__marker || 0`); marker != 1 {
		t.Errorf("filtering reloaded the page; want an htmx swap")
	}
	filtered := tab.texts(`[data-testid=order-link]`)
	for _, want := range []string{"DEMO-TWO-CAMPAIGNS", "DEMO-NO-FEE-REFUND"} {
		if !slices.Contains(filtered, want) {
			t.Errorf("filtered to Singles' Day Deals: want %s among %q", want, filtered)
		}
	}
	for _, not := range []string{"DEMO-PARTIAL-RETURN", "DEMO-SKU-ERROR", "DEMO-NOT-COMPLETED"} {
		if slices.Contains(filtered, not) {
			t.Errorf("filtered to Singles' Day Deals: %s is not one of its orders", not)
		}
	}

	// The Autumn Flash Sale's partly returned orders: both filters in one swap.
	tab.eval(`(() => {
		const c = document.querySelector("#settled-campaign");
		c.value = Array.from(c.options).find(o => o.textContent.includes("Autumn Flash Sale")).value;
		const s = document.querySelector("#settled-status");
		s.value = "partially_returned";
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)
	tab.waitForURL("the status filter pushes ?status=", func(u *url.URL) bool { return u.Query().Get("status") == "partially_returned" })
	tab.waitUntil("the partly returned rows", `!Array.from(document.querySelectorAll("[data-testid=order-link]")).some(a => a.textContent.includes("DEMO-NO-FEE-REFUND"))`)
	if marker := evalAs[int](tab, `window.__marker || 0`); marker != 1 {
		t.Errorf("filtering reloaded the page; want an htmx swap")
	}
	filtered = tab.texts(`[data-testid=order-link]`)
	if !slices.Contains(filtered, "DEMO-PARTIAL-RETURN") {
		t.Errorf("filtered to the Autumn Flash Sale, partly returned: want DEMO-PARTIAL-RETURN among %q", filtered)
	}
	for _, not := range []string{"DEMO-TWO-CAMPAIGNS", "DEMO-WHOLE-RETURN", "DEMO-SKU-ERROR"} {
		if slices.Contains(filtered, not) {
			t.Errorf("filtered to the Autumn Flash Sale, partly returned: %s is not one of its orders", not)
		}
	}
	type row struct {
		Status string `json:"status"`
		Payout string `json:"payout"`
	}
	partial := evalAs[row](tab, `(() => {
		const r = Array.from(document.querySelectorAll("[data-testid=settled-row]")).find(r => r.textContent.includes("DEMO-PARTIAL-RETURN"));
		return {status: r.querySelector("[data-testid=order-status]").textContent.trim(), payout: r.querySelector("[data-testid=row-payout]").textContent.trim()};
	})()`)
	if partial.Status != "Partly returned" {
		t.Errorf("DEMO-PARTIAL-RETURN status: want Partly returned, got %q", partial.Status)
	}

	// The order with a partial return, and its working.
	tab.clickToNavigate(`[data-testid=order-link]`, "DEMO-PARTIAL-RETURN")
	tab.waitVisible(`[data-testid=fee-formula]`)
	tab.expectText(`[data-testid=order-status]`, "Partly returned")
	tab.expectTextContains(`[data-testid=fee-formula]`, "1% ×")
	tab.expectTextContains(`[data-testid=fee-formula]`, "shipping")
	lines := tab.texts(`[data-testid=line-campaign]`)
	if len(lines) != 2 || !strings.Contains(lines[0], "Autumn Flash Sale") {
		t.Errorf("lines: want two Autumn Flash Sale lines, got %q", lines)
	}
	tab.expectTextContains(`[data-testid=coupon-section]`, "AUTUMN-10PCT")
	tab.expectTextContains(`[data-testid=coupon-section]`, "Applied")
	reversals := tab.texts(`[data-testid=reversal]`)
	if len(reversals) != 1 || !strings.Contains(reversals[0], "Returned") || !strings.Contains(reversals[0], "1 ×") {
		t.Errorf("reversals: want one return of one unit, got %q", reversals)
	}
	if got := tab.text(`[data-testid=reversal-fee]`); !strings.HasPrefix(got, "$0.") {
		t.Errorf("the return's fee refund: want cents, got %q", got)
	}
	if formula := tab.text(`[data-testid=payout-formula]`); !strings.HasSuffix(formula, "= "+partial.Payout) {
		t.Errorf("payout formula %q: want it to end with the list's payout %s", formula, partial.Payout)
	}
	tab.expectNoConsoleProblems()
}
