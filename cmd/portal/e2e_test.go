package main

// The browser journey: the real program (`portal serve --demo`) on a fresh
// database, driven by headless Chromium the way a seller uses it. It checks
// what people see, that htmx swaps the tab without a reload, that Back
// restores it, and that the browser reports no console error and no
// Content-Security-Policy violation on the way.
//
//	go test ./cmd/portal/ -run E2E -count=1 -v

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2ESellerJourney(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	t.Run("eligible seller", func(t *testing.T) {
		tab := openTab(t, browser, base)
		tab.signIn("seller@demo.test")

		// The open tab: the demo's open campaigns, each showing the shop as
		// eligible, or its registration where it already has one (the demo
		// registers Maple & Co in Cyber Week Tech Deals). Other journeys may
		// add campaigns, so the rows this one needs are checked by name
		// rather than counted.
		tab.waitVisible(`[data-testid=campaign-list]`)
		tab.expectAttr(`[data-testid=campaign-list]`, "data-tab", "open")
		type openRow struct {
			Name         string `json:"name"`
			Eligible     bool   `json:"eligible"`
			NotEligible  bool   `json:"notEligible"`
			Registration string `json:"registration"`
		}
		rows := evalAs[[]openRow](tab, `Array.from(document.querySelectorAll("[data-testid=campaign-row]"), r => ({
			name: r.querySelector("[data-testid=campaign-name]")?.textContent.replace(/\s+/g, " ").trim() ?? "",
			eligible: r.querySelector("[data-testid=eligible]") !== null,
			notEligible: r.querySelector("[data-testid=not-eligible]") !== null,
			registration: r.querySelector("[data-testid=registration-status]")?.textContent.trim() ?? "",
		}))`)
		for _, want := range []string{"Black Friday & Cyber Monday", "Holiday Gift Guide", "Cyber Week Tech Deals", "Winter Home Refresh"} {
			i := slices.IndexFunc(rows, func(r openRow) bool { return strings.Contains(r.Name, want) })
			switch {
			case i < 0:
				t.Errorf("open tab: want a row for %q, got %+v", want, rows)
			case rows[i].NotEligible || (!rows[i].Eligible && rows[i].Registration == ""):
				t.Errorf("open tab: want the %q row to show Eligible (SPS 4.6, free shipping over $25) or the shop's registration, got %+v", rows[i].Name, rows[i])
			}
		}
		// Black Friday is where the seller journeys register: no registration yet.
		if i := slices.IndexFunc(rows, func(r openRow) bool { return strings.Contains(r.Name, "Black Friday & Cyber Monday") }); i >= 0 && !rows[i].Eligible {
			t.Errorf("open tab: want an Eligible badge on the Black Friday & Cyber Monday row, got %+v", rows[i])
		}

		// The Upcoming tab is an htmx swap of #campaign-panel with a pushed
		// URL, not a page load.
		tab.eval(`window.__marker = 1`)
		tab.click(`[data-testid=tab-upcoming]`)
		tab.waitVisible(`[data-testid=campaign-list][data-tab=upcoming]`)
		tab.waitForURL("the Upcoming tab pushes ?tab=upcoming", func(u *url.URL) bool { return u.Query().Get("tab") == "upcoming" })
		if marker := evalAs[int](tab, `window.__marker || 0`); marker != 1 {
			t.Errorf("the Upcoming tab reloaded the whole page (window.__marker = %d); want an htmx swap of #campaign-panel", marker)
		}
		tab.expectSomeContains(tab.texts(`[data-testid=campaign-row]`), "New Year Kickoff", "upcoming tab rows")

		// Back restores the open tab.
		tab.do("go back", chromedp.NavigateBack())
		tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)
		tab.waitForURL("Back returns to /campaigns", func(u *url.URL) bool { return u.Path == "/campaigns" && u.Query().Get("tab") == "" })
		tab.expectSomeContains(tab.texts(`[data-testid=campaign-row]`), "Black Friday & Cyber Monday", "open tab rows after Back")

		// The details page of Black Friday & Cyber Monday.
		tab.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, "Black Friday")
		tab.waitVisible(`[data-testid=campaign-title]`)
		tab.expectTextContains(`[data-testid=campaign-title]`, "Black Friday")
		tab.expectTextContains(`[data-testid=verdict]`, "Your shop is eligible")
		tab.expectAttr(`[data-testid=criterion-sps]`, "data-status", "pass")
		tab.expectAttr(`[data-testid=criterion-free-shipping]`, "data-status", "pass")
		if n := len(tab.texts(`[data-testid=coupon-table] [data-testid=coupon-row]`)); n != 2 {
			t.Errorf("coupon table: want 2 rows, got %d", n)
		}
		values := tab.texts(`[data-testid=coupon-table] [data-testid=coupon-value]`)
		if !slices.Contains(values, "20%") {
			t.Errorf("coupon values: want one to be 20%%, got %q", values)
		}
		for _, ratio := range tab.texts(`[data-testid=coupon-table] [data-testid=coupon-ratio]`) {
			if ratio != "50% / 50%" {
				t.Errorf("coupon co-funded ratio: want 50%% / 50%%, got %q", ratio)
			}
		}
		tab.expectText(`[data-testid=fee-example-total]`, "$0.95")

		tab.expectNoConsoleProblems()
	})

	t.Run("seller who is not eligible", func(t *testing.T) {
		tab := openTab(t, browser, base) // a new browser context: no cookies from the first seller
		tab.signIn("seller2@demo.test")
		tab.waitVisible(`[data-testid=campaign-list][data-tab=open]`)

		type rowState struct {
			Found       bool     `json:"found"`
			NotEligible bool     `json:"notEligible"`
			Reasons     []string `json:"reasons"`
		}
		bfcm := evalAs[rowState](tab, `(() => {
			const row = Array.from(document.querySelectorAll("[data-testid=campaign-row]"))
				.find(r => r.querySelector("[data-testid=campaign-name]").textContent.includes("Black Friday"));
			if (!row) return {found: false, notEligible: false, reasons: []};
			return {
				found: true,
				notEligible: row.querySelector("[data-testid=not-eligible]") !== null,
				reasons: Array.from(row.querySelectorAll("[data-testid=eligibility] .reasons li"), li => li.textContent.trim()),
			};
		})()`)
		switch {
		case !bfcm.Found:
			t.Fatalf("seller2: no Black Friday row on the open tab: %q", tab.texts(`[data-testid=campaign-row]`))
		case !bfcm.NotEligible:
			t.Errorf("seller2 (SPS 3.2, free shipping over $35): want the Black Friday row to show Not eligible")
		case len(bfcm.Reasons) != 2:
			t.Errorf("seller2: want 2 reasons on the Black Friday row (SPS and free-shipping threshold), got %d: %q", len(bfcm.Reasons), bfcm.Reasons)
		}

		tab.expectNoConsoleProblems()
	})
}
