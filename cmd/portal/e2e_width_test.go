package main

// Every seller page fits a 1366x900 window: the page itself never scrolls
// sideways; a wide table scrolls inside its own frame (.table-wrap), and
// its last column can be reached there.
//
//	CI=1 go test ./cmd/portal -run TestE2ESellerPagesFit1366 -count=1 -v
//
// PORTAL_SCREENSHOTS=DIR also saves a screenshot of each page in DIR, to
// look at.

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	fitWidth  = 1366
	fitHeight = 900
)

func TestE2ESellerPagesFit1366(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	// Scrollbars take their width, as in a desktop browser (chromedp hides
	// them by default): a page taller than the window has less than 1366 px.
	browser := startBrowser(t, chromium, chromedp.Flag("hide-scrollbars", false))

	tab := openTab(t, browser, base)
	tab.do("set the window to 1366x900", chromedp.EmulateViewport(fitWidth, fitHeight))
	tab.signIn("seller@demo.test")
	shots := os.Getenv("PORTAL_SCREENSHOTS")
	check := func(name string) {
		t.Helper()
		tab.expectPageFits(name)
		if shots != "" {
			tab.saveScreenshots(filepath.Join(shots, name))
		}
	}

	// Marketing › Campaigns, each tab.
	for _, tabKey := range []string{"open", "upcoming", "registered", "ended"} {
		tab.openPage("/campaigns?tab=" + tabKey)
		tab.waitVisible(`[data-testid=campaign-list][data-tab=` + tabKey + `]`)
		check("campaigns-" + tabKey)
	}

	// An open campaign: its details, its price table with rows, the Pick
	// and Upload pages.
	tab.openPage("/campaigns?tab=open")
	campaign := tab.firstHref(`[data-testid=campaign-list] a[data-testid=campaign-name]`, `^/campaigns/[0-9]+$`)
	tab.openPage(campaign)
	check("campaign-details")
	tab.openPage(campaign + "/register")
	if !tab.isVisible(`[data-testid=price-table]`) {
		tab.clickAndWaitForLoad("Add recommended products", `[data-testid=add-recommended]`)
	}
	tab.waitVisible(`[data-testid=price-table] [data-testid=sku-row]`)
	check("register-price-table")
	tab.openPage(campaign + "/register/pick")
	tab.waitVisible(`[data-testid=pick-table]`)
	check("register-pick")
	tab.openPage(campaign + "/register/upload")
	check("register-upload")

	// A registration's Manage page, from the Registered tab.
	tab.openPage("/campaigns?tab=registered")
	tab.openPage(tab.firstHref(`[data-testid=campaign-list] a`, `^/registrations/[0-9]+$`))
	tab.waitVisible(`[data-testid=manage-table]`)
	check("registration-manage")

	// Managed products and one product.
	tab.openPage("/products")
	check("products")
	tab.openPage(tab.firstHref(`main a`, `^/products/[0-9]+$`))
	check("product")

	tab.openPage("/notifications")
	check("notifications")
	tab.openPage("/account")
	check("account")

	// Finance › Settled records and one order.
	tab.openPage("/finance/settled-records")
	tab.waitVisible(`[data-testid=settled-table]`)
	check("settled-records")
	tab.openPage(tab.firstHref(`[data-testid=order-link]`, `^/finance/orders/[0-9]+$`))
	check("order")

	// Manage your campaigns, and View data of a campaign: this year's if
	// there is one, else last year's.
	tab.openPage("/campaigns/performance")
	check("performance")
	if !tab.isVisible(`[data-testid=view-data]`) {
		tab.openPage("/campaigns/performance?year=" + strconv.Itoa(time.Now().Year()-1))
		check("performance-last-year")
	}
	tab.openPage(tab.firstHref(`[data-testid=view-data]`, `^/campaigns/[0-9]+/performance`))
	tab.waitVisible(`[data-testid=perf-title]`)
	check("campaign-performance")

	tab.expectNoConsoleProblems()
}

// openPage loads path and waits until the page is settled: loaded, its
// main area visible, no htmx request in flight and nothing left to load
// (hx-trigger="load" slots are replaced by what they load).
func (tb *tab) openPage(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.base+path))
	tb.waitVisible(`main`)
	tb.waitUntil(path+" settles", `document.readyState === "complete" &&
		document.querySelector(".htmx-request, [hx-trigger=load]") === null`)
	if u := mustParseURL(tb.t, tb.locationOrUnknown()); u.Path != strings.SplitN(path, "?", 2)[0] {
		tb.t.Fatalf("opening %s landed on %s\n%s", path, u, tb.describePage())
	}
}

// firstHref returns the address of the first link matching selector whose
// path matches pattern, failing when there is none.
func (tb *tab) firstHref(selector, pattern string) string {
	tb.t.Helper()
	hrefs := evalAs[[]string](tb, fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), a => a.getAttribute("href") ?? "")`, jsString(selector)))
	re := regexp.MustCompile(pattern)
	for _, h := range hrefs {
		if u, err := url.Parse(h); err == nil && re.MatchString(u.Path) {
			return h
		}
	}
	tb.t.Fatalf("no %s link to %s on %s; links: %q", selector, pattern, tb.locationOrUnknown(), hrefs)
	return ""
}

// pageFit is what expectPageFits measures.
type pageFit struct {
	ScrollWidth int           `json:"scrollWidth"`
	ClientWidth int           `json:"clientWidth"`
	InnerWidth  int           `json:"innerWidth"`
	Overflowing []string      `json:"overflowing"` // the widest elements past the right edge, outside any scrolling frame
	Wraps       []wrapReading `json:"wraps"`
}

// wrapReading is one visible .table-wrap, scrolled to its end.
type wrapReading struct {
	Name       string  `json:"name"`
	Scrolls    bool    `json:"scrolls"`    // its overflow-x is auto or scroll
	FitsPage   bool    `json:"fitsPage"`   // the frame itself ends inside the window
	LastRight  float64 `json:"lastRight"`  // the right edge of the last column, scrolled to the end
	FrameRight float64 `json:"frameRight"` // the right edge of the frame
	Overflow   float64 `json:"overflow"`   // how much wider than its frame the table is
	Slack      float64 `json:"slack"`      // how much narrower than its frame the table could be
}

// fitJS measures the page: its widths, the elements that stick out past
// the right edge of the window where no scrolling frame holds them, and
// each visible .table-wrap scrolled to its end and back.
const fitJS = `(() => {
	const root = document.documentElement;
	const limit = root.clientWidth;
	const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
		Array.from(e.classList, c => "." + c).join("") + (e.dataset.testid ? "[data-testid=" + e.dataset.testid + "]" : "");
	const path = e => {
		const parts = [];
		for (let x = e; x && x !== document.body && parts.length < 3; x = x.parentElement) parts.unshift(describe(x));
		return parts.join(" > ");
	};
	const clips = e => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(e).overflowX);
	const framed = e => {
		for (let x = e.parentElement; x && x !== document.body && x !== root; x = x.parentElement) if (clips(x)) return true;
		return false;
	};
	const out = [];
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || r.right <= limit + 0.5 || framed(e)) continue;
		out.push({what: path(e), right: r.right, width: r.width});
	}
	out.sort((a, b) => b.width - a.width);
	const overflowing = out.slice(0, 6).map(o => o.what + " (right " + Math.round(o.right) + ", width " + Math.round(o.width) + ")");

	const wraps = [];
	for (const w of document.querySelectorAll(".table-wrap")) {
		const table = w.querySelector("table");
		if (!table || w.getClientRects().length === 0) continue;
		const row = table.querySelector("thead tr") ?? table.querySelector("tr");
		const last = row?.lastElementChild;
		if (!last) continue;
		// The narrowest the table can be: its min-content width.
		const oldWidth = table.style.width;
		table.style.width = "0px";
		const narrowest = table.getBoundingClientRect().width;
		table.style.width = oldWidth;
		const old = w.scrollLeft;
		w.scrollLeft = w.scrollWidth;
		const frame = w.getBoundingClientRect();
		const lastRect = last.getBoundingClientRect();
		w.scrollLeft = old;
		wraps.push({
			name: table.dataset.testid || table.className || "table",
			scrolls: ["auto", "scroll"].includes(getComputedStyle(w).overflowX),
			fitsPage: frame.right <= limit + 0.5,
			lastRight: lastRect.right,
			frameRight: frame.right,
			overflow: w.scrollWidth - w.clientWidth,
			slack: w.clientWidth - narrowest,
		});
	}
	return {scrollWidth: root.scrollWidth, clientWidth: limit, innerWidth: window.innerWidth, overflowing, wraps};
})()`

// expectPageFits checks that the page does not scroll sideways at the
// window's width (the width inside a vertical scrollbar, which is less
// than or equal to innerWidth) and that every table frame lets its last
// column be reached.
func (tb *tab) expectPageFits(name string) {
	tb.t.Helper()
	m := evalAs[pageFit](tb, fitJS)
	where := name + " (" + tb.locationOrUnknown() + ")"
	if m.InnerWidth != fitWidth {
		tb.t.Fatalf("%s: window.innerWidth is %d; want the emulated %d", where, m.InnerWidth, fitWidth)
	}
	if m.ScrollWidth > m.ClientWidth || len(m.Overflowing) > 0 {
		tb.t.Errorf("%s scrolls sideways at %dx%d: document scrollWidth %d > clientWidth %d (innerWidth %d); widest elements past the edge:\n\t%s",
			where, fitWidth, fitHeight, m.ScrollWidth, m.ClientWidth, m.InnerWidth, strings.Join(m.Overflowing, "\n\t"))
	}
	for _, w := range m.Wraps {
		switch {
		case !w.FitsPage:
			tb.t.Errorf("%s: the frame of table %s ends at %.0f px, past the window (%d px)", where, w.Name, w.FrameRight, m.ClientWidth)
		case w.Overflow > 0 && !w.Scrolls:
			tb.t.Errorf("%s: table %s is %.0f px wider than its frame, which does not scroll", where, w.Name, w.Overflow)
		case w.LastRight > w.FrameRight+1:
			tb.t.Errorf("%s: table %s scrolled to its end still hides its last column (right edge %.0f px, frame %.0f px)", where, w.Name, w.LastRight, w.FrameRight)
		}
		if w.Overflow > 0 {
			tb.t.Logf("%s: table %s scrolls %.0f px inside its frame", name, w.Name, w.Overflow)
		} else if testing.Verbose() {
			tb.t.Logf("%s: table %s fits its frame with %.0f px to spare at its narrowest", name, w.Name, w.Slack)
		}
	}
}

// saveScreenshots writes what the window shows to prefix.png and the whole
// page to prefix-full.png.
func (tb *tab) saveScreenshots(prefix string) {
	tb.t.Helper()
	if err := os.MkdirAll(filepath.Dir(prefix), 0o755); err != nil {
		tb.t.Fatal(err)
	}
	for suffix, shot := range map[string]chromedp.Action[[]byte]{".png": chromedp.CaptureScreenshot(), "-full.png": chromedp.FullScreenshot(100)} {
		ctx, cancel := tb.step()
		png, err := chromedp.Run(ctx, shot)
		cancel()
		if err != nil {
			tb.t.Fatalf("screenshot of %s: %v", tb.locationOrUnknown(), err)
		}
		if err := os.WriteFile(prefix+suffix, png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
}
