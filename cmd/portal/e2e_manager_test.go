package main

// The campaign manager's journey: create a campaign with two sub-campaigns
// and two co-funded coupons (seeing a validation error on the way), publish
// it, check that a seller sees it as the manager set it up, then publish a
// second version and check that the seller is told what changed.
//
//	go test ./cmd/portal/ -run E2E -count=1 -v

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"campaignportal/models"
)

func TestE2EManagerPublishesCampaign(t *testing.T) {
	chromium := findChromium(t)
	// A portal of its own: this journey publishes a campaign, and other
	// journeys read the demo's open campaigns as the demo loader made them.
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	// Every date relative to now, in the campaign's timezone, to the minute
	// (what a datetime-local input holds).
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatalf("loading America/New_York: %v", err)
	}
	now := time.Now().In(ny).Truncate(time.Minute)
	opens := now.AddDate(0, 0, -1)
	deadline := now.AddDate(0, 0, 5)
	runStart := now.AddDate(0, 0, 7)
	runEnd := now.AddDate(0, 0, 14)
	finaleStart := runStart.AddDate(0, 0, 3)
	local := func(t time.Time) string { return t.Format(models.DateTimeLayout) }

	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	name := "Spring Refresh " + hex.EncodeToString(suffix)

	// ---- The manager creates the campaign ----

	mgr := openTab(t, browser, base)
	mgr.name = "manager"
	mgr.signInTo("manager@demo.test", "/manager")
	mgr.waitVisible(`[data-testid=staff-heading]`)
	mgr.clickToNavigate(`[data-testid=new-campaign]`, "New campaign")
	mgr.waitVisible(`#campaign-form`)

	mgr.fill("the basics and dates",
		field(`#name`, name),
		field(`#description`, "Fresh spring deals across home, garden and outdoor."),
		field(`#benefits`, "Featured placement on the spring landing page\nSpring badge on registered products"),
		field(`#timezone`, "America/New_York"),
		field(`#opens`, local(opens)),
		field(`#deadline`, local(deadline)),
		field(`#run_start`, local(runStart)),
		field(`#run_end`, local(runEnd)),
	)
	mgr.fill("the first sub-campaign",
		field(subField(1, "sub_name"), "Spring Kickoff"),
		field(subField(1, "sub_start"), local(runStart)),
		field(subField(1, "sub_end"), local(finaleStart)),
	)
	mgr.click(`[data-testid=add-sub]`)
	mgr.expectCount(`#sub-rows > tr`, 2, "sub-campaign rows after Add sub-campaign")
	mgr.fill("the second sub-campaign",
		field(subField(2, "sub_name"), "Spring Finale"),
		field(subField(2, "sub_start"), local(finaleStart)),
		field(subField(2, "sub_end"), local(runEnd)),
	)

	mgr.fill("the first coupon",
		field(couponField(1, "coupon_code"), "SPRING-20PCT"),
		field(couponField(1, "coupon_type"), "percent"),
		field(couponField(1, "coupon_value"), "20"),
		field(couponField(1, "coupon_min"), "100"),
		field(couponField(1, "coupon_cap"), "50"),
		field(couponField(1, "coupon_seller_pct"), "50"),
		field(couponField(1, "coupon_platform_pct"), "50"),
		field(couponField(1, "coupon_max_funding"), "25"),
		field(couponField(1, "coupon_quantity"), "1000"),
	)
	mgr.click(`[data-testid=add-coupon]`)
	mgr.expectCount(`#coupon-rows > fieldset`, 2, "coupon rows after Add coupon")
	mgr.fill("the second coupon, with shares that add up to 90%",
		field(couponField(2, "coupon_code"), "SPRING-5OFF"),
		field(couponField(2, "coupon_type"), "fixed"),
		field(couponField(2, "coupon_value"), "5"),
		field(couponField(2, "coupon_min"), "30"),
		field(couponField(2, "coupon_targeting"), "segment"),
		field(couponField(2, "coupon_segment"), "Returning customers"),
		field(couponField(2, "coupon_seller_pct"), "50"),
		field(couponField(2, "coupon_platform_pct"), "40"), // the deliberate mistake
		field(couponField(2, "coupon_max_funding"), "2.50"),
		field(couponField(2, "coupon_quantity"), "5000"),
	)

	// The first save is refused: the form comes back (an htmx swap, no
	// page load) with the error next to the field and everything typed kept.
	mgr.click(`[data-testid=save]`)
	mgr.waitVisible(`[data-testid=form-errors]`)
	mgr.expectTextContains(`[data-testid=form-errors]`, "Nothing was saved")
	type fieldState struct {
		Found       bool   `json:"found"`
		Value       string `json:"value"`
		DescribedBy string `json:"describedBy"`
		ErrorID     string `json:"errorID"`
		Error       string `json:"error"`
	}
	platform := evalAs[fieldState](mgr, fmt.Sprintf(`(() => {
		const input = document.querySelector(%s);
		if (!input) return {found: false, value: "", describedBy: "", errorID: "", error: ""};
		const err = input.closest(".field")?.querySelector(".field-error");
		return {
			found: true,
			value: input.value,
			describedBy: input.getAttribute("aria-describedby") ?? "",
			errorID: err?.id ?? "",
			error: err ? err.textContent.replace(/\s+/g, " ").trim() : "",
		};
	})()`, jsString(couponField(2, "coupon_platform_pct"))))
	switch {
	case !platform.Found:
		t.Fatalf("after the refused save: no platform share input in the second coupon row")
	case platform.Error != "Seller and platform shares must add up to 100%.":
		t.Errorf("second coupon's platform share: want the error %q next to it, got %q",
			"Seller and platform shares must add up to 100%.", platform.Error)
	case platform.ErrorID == "" || platform.DescribedBy != platform.ErrorID:
		t.Errorf("second coupon's platform share: want aria-describedby to name its error (id %q), got %q",
			platform.ErrorID, platform.DescribedBy)
	}
	if platform.Value != "40" {
		t.Errorf("second coupon's platform share after the refused save: want 40 kept, got %q", platform.Value)
	}
	mgr.expectValues("the form after the refused save",
		field(`#name`, name),
		field(`#timezone`, "America/New_York"),
		field(`#deadline`, local(deadline)),
		field(subField(2, "sub_name"), "Spring Finale"),
		field(subField(2, "sub_end"), local(runEnd)),
		field(couponField(1, "coupon_code"), "SPRING-20PCT"),
		field(couponField(1, "coupon_cap"), "50"),
		field(couponField(2, "coupon_code"), "SPRING-5OFF"),
		field(couponField(2, "coupon_type"), "fixed"),
		field(couponField(2, "coupon_targeting"), "segment"),
		field(couponField(2, "coupon_segment"), "Returning customers"),
		field(couponField(2, "coupon_max_funding"), "2.50"),
	)
	if n := len(mgr.texts(`.field-error`)); n != 1 {
		t.Errorf("after the refused save: want exactly 1 field error, got %d: %q", n, mgr.texts(`.field-error`))
	}
	// Saved from the bottom of the long form, the summary takes the focus
	// and its link takes it on to the field.
	mgr.expectFocused("form-errors", "after the refused save")
	mgr.click(`[data-testid=error-link]`)
	if got := evalAs[string](mgr, `document.activeElement?.id ?? ""`); got != "coupon-1-platform_pct" {
		t.Errorf("the summary's link: want the focus on coupon-1-platform_pct, got %q", got)
	}

	// Fixed, the draft is saved and its page opens.
	mgr.fill("the second coupon's platform share", field(couponField(2, "coupon_platform_pct"), "50"))
	mgr.click(`[data-testid=save]`)
	campaignPath := regexp.MustCompile(`^/manager/campaigns/[0-9]+$`)
	mgr.waitForURL("saving the draft opens its page", func(u *url.URL) bool { return campaignPath.MatchString(u.Path) })
	campaignURL := mgr.locationOrUnknown()
	mgr.waitVisible(`[data-testid=state]`)
	mgr.expectText(`[data-testid=campaign-title]`, name)
	mgr.expectText(`[data-testid=state]`, "Draft")

	// ---- Publishing asks for confirmation ----

	mgr.click(`[data-testid=publish]`)
	if q := mgr.confirmDialog(); q.Title != "Publish this campaign?" {
		t.Errorf("Publish: want the in-page dialog asking %q, got %+v", "Publish this campaign?", q)
	}
	mgr.answerConfirm(true)
	mgr.waitForText(`[data-testid=state]`, "Open for registration")
	mgr.expectTextContains(`[data-testid=flash]`, "Published as version 1")
	mgr.waitForTexts("after publishing: one versions entry, Version 1", `[data-testid=versions-entry]`, func(entries []string) bool {
		return len(entries) == 1 && strings.Contains(entries[0], "Version 1")
	})

	// ---- A seller sees it as the manager set it up ----

	seller := openTab(t, browser, base) // a new browser context: the seller's own cookies
	seller.name = "seller"
	seller.signIn("seller@demo.test")
	seller.waitVisible(`[data-testid=campaign-list][data-tab=open]`)
	type sellerRow struct {
		Found    bool     `json:"found"`
		Chips    []string `json:"chips"`
		Eligible bool     `json:"eligible"`
	}
	row := evalAs[sellerRow](seller, fmt.Sprintf(`(() => {
		const row = Array.from(document.querySelectorAll("[data-testid=campaign-row]"))
			.find(r => r.querySelector("[data-testid=campaign-name]")?.textContent.trim() === %s);
		if (!row) return {found: false, chips: [], eligible: false};
		return {
			found: true,
			chips: Array.from(row.querySelectorAll('.chips[aria-label="Sub-campaigns"] .chip'), c => c.textContent.trim()),
			eligible: row.querySelector("[data-testid=eligible]") !== null,
		};
	})()`, jsString(name)))
	if !row.Found {
		t.Fatalf("seller: no row for %q on the open tab: %q", name, seller.texts(`[data-testid=campaign-row] [data-testid=campaign-name]`))
	}
	if want := []string{"Spring Kickoff", "Spring Finale"}; !slices.Equal(row.Chips, want) {
		t.Errorf("seller: the %q row's sub-campaign chips: want %q, got %q", name, want, row.Chips)
	}
	if !row.Eligible {
		t.Errorf("seller (SPS 4.6, free shipping over $25): want an Eligible badge on the %q row", name)
	}

	seller.clickToNavigate(`[data-testid=campaign-row] [data-testid=campaign-name]`, name)
	seller.waitVisible(`[data-testid=campaign-title]`)
	seller.expectText(`[data-testid=campaign-title]`, name)
	seller.expectTextContains(`[data-testid=verdict]`, "Your shop is eligible")
	coupons := seller.couponTable()
	if len(coupons) != 2 {
		t.Fatalf("seller: want 2 rows in the coupon table, got %d: %q", len(coupons), coupons)
	}
	expectCells(t, "first coupon", coupons[0], map[string]string{
		"Type": "%", "Value": "20%", "Min. purchase": "$100.00", "Cap": "$50.00", "Targeting": "All customers",
		"Co-funded ratio": "50% / 50%", "Max seller funding": "$25.00 per order", "Quantity left": "1000 of 1000",
	})
	if !strings.HasPrefix(coupons[0]["Coupon"], "SPRING-20PCT") {
		t.Errorf("first coupon: want the code SPRING-20PCT, got %q", coupons[0]["Coupon"])
	}
	expectCells(t, "second coupon", coupons[1], map[string]string{
		"Type": "$", "Value": "$5.00", "Min. purchase": "$30.00", "Cap": "—",
		"Co-funded ratio": "50% / 50%", "Max seller funding": "$2.50 per order", "Quantity left": "5000 of 5000",
	})
	if !strings.HasPrefix(coupons[1]["Coupon"], "SPRING-5OFF") {
		t.Errorf("second coupon: want the code SPRING-5OFF, got %q", coupons[1]["Coupon"])
	}
	if !strings.Contains(coupons[1]["Targeting"], "Returning customers") {
		t.Errorf("second coupon: want targeting naming Returning customers, got %q", coupons[1]["Targeting"])
	}

	// ---- Version 2: the deadline moves a day later ----

	newDeadline := deadline.AddDate(0, 0, 1)
	const diffLayout = "Jan 2, 2006 3:04 PM MST" // models.DiffCampaigns
	deadlineChange := fmt.Sprintf("Registration deadline: %s → %s", deadline.Format(diffLayout), newDeadline.Format(diffLayout))

	mgr.do("open the campaign page", chromedp.Navigate(campaignURL))
	mgr.clickToNavigate(`[data-testid=edit]`, "Edit")
	mgr.waitVisible(`#campaign-form`)
	mgr.expectText(`[data-testid=save]`, "Review changes")
	mgr.expectValues("the edit form", field(`#name`, name), field(`#deadline`, local(deadline)))
	mgr.fill("a later deadline", field(`#deadline`, local(newDeadline)))
	// The first save lists what version 2 changes and asks.
	mgr.click(`[data-testid=save]`)
	mgr.waitVisible(`[data-testid=confirm-changes]`)
	mgr.expectFocused("confirm-changes", "before publishing version 2")
	if got := mgr.texts(`[data-testid=pending-changes] li`); !slices.Equal(got, []string{deadlineChange}) {
		t.Errorf("before publishing version 2: want the change list %q, got %q", []string{deadlineChange}, got)
	}
	mgr.expectText(`[data-testid=confirm-publish]`, "Publish version 2")
	mgr.click(`[data-testid=confirm-publish]`)
	mgr.waitForURL("publishing version 2 opens the campaign page", func(u *url.URL) bool { return campaignPath.MatchString(u.Path) })
	mgr.waitVisible(`[data-testid=state]`)
	mgr.expectTextContains(`[data-testid=flash]`, "Version 2 published")
	mgr.expectTextContains(`.page-head`, "version 2")
	mgr.expectText(`[data-testid=state]`, "Open for registration")
	type versionEntry struct {
		Action  string   `json:"action"`
		Changes []string `json:"changes"`
	}
	versions := evalAs[[]versionEntry](mgr, `Array.from(document.querySelectorAll("[data-testid=versions-entry]"), e => ({
		action: e.querySelector(".history-head strong")?.textContent.trim() ?? "",
		changes: Array.from(e.querySelectorAll(".changes li"), li => li.textContent.replace(/\s+/g, " ").trim()),
	}))`)
	i := slices.IndexFunc(versions, func(v versionEntry) bool { return v.Action == "Version 2" })
	switch {
	case len(versions) != 2:
		t.Errorf("after version 2: want 2 versions entries, got %d: %+v", len(versions), versions)
	case i < 0:
		t.Errorf("after version 2: no versions entry for Version 2: %+v", versions)
	case !slices.Equal(versions[i].Changes, []string{deadlineChange}):
		// Only the deadline was touched: anything else is the edit form not
		// giving back what it was filled from.
		t.Errorf("Version 2's changes: want only %q, got %q", deadlineChange, versions[i].Changes)
	}

	// The seller is told what changed.
	seller.do("reload the details page", chromedp.Reload())
	seller.waitVisible(`[data-testid=version-changes]`)
	seller.expectTextContains(`[data-testid=version-changes] h2`, "version 2")
	seller.expectSomeContains(seller.texts(`[data-testid=version-changes] li`), deadlineChange, "the seller's list of changes")

	// The refused save is answered 422 (the form with its errors, which
	// htmx swaps in), and Chromium logs every 4xx answer: that one line is
	// expected, anything else is a problem.
	mgr.expectNoConsoleProblemsBut(fmt.Sprintf(
		"network error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity) %s/manager/campaigns/new", base))
	seller.expectNoConsoleProblems()
}

// Two managers edit one published campaign: the second saves (and
// publishes) first, so the first saves from a stale form. The answer, a
// 409, is swapped into the form: it says someone else saved, who and
// when, keeps what was typed, and its link reloads the campaign.
func TestE2EManagerStaleSave(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	first := openTab(t, browser, base)
	first.name = "first"
	first.signInTo("manager@demo.test", "/manager")
	first.waitVisible(`[data-testid=manager-campaigns]`)
	// A campaign open for registration: published, its deadline ahead.
	href := evalAs[string](first, `(() => {
		const row = Array.from(document.querySelectorAll("[data-testid=manager-row]"))
			.find(r => r.querySelector("[data-testid=state]")?.textContent.trim() === "Open for registration");
		return row ? row.querySelector(".campaign-name").getAttribute("href") : "";
	})()`)
	if href == "" {
		t.Fatalf("the demo has no campaign open for registration: %q", first.texts(`[data-testid=manager-row]`))
	}
	edit := base + href + "/edit"
	first.do("open the edit form", chromedp.Navigate(edit))
	first.waitVisible(`#campaign-form`)

	second := openTab(t, browser, base)
	second.name = "second"
	second.signInTo("manager@demo.test", "/manager")
	second.do("open the edit form", chromedp.Navigate(edit))
	second.waitVisible(`#campaign-form`)
	second.fill("a new description", field(`#description`, "Updated by the second manager."))
	second.click(`[data-testid=save]`)
	second.waitVisible(`[data-testid=confirm-publish]`)
	second.click(`[data-testid=confirm-publish]`)
	second.waitVisible(`[data-testid=flash]`)

	// The first manager, on the form loaded before, saves too.
	first.fill("another description", field(`#description`, "Typed by the first manager."))
	first.click(`[data-testid=save]`)
	first.waitVisible(`[data-testid=form-errors]`)
	first.expectTextContains(`[data-testid=form-error]`, "Someone else saved this campaign while you were editing it")
	first.expectTextContains(`[data-testid=stale-by]`, "saved it at")
	first.expectFocused("form-errors", "after the stale save")
	first.expectValues("the stale form", field(`#description`, "Typed by the first manager."))
	if got := first.text(`#toast`); got != "" && evalAs[bool](first, `!document.getElementById("toast").hidden`) {
		t.Errorf("the stale save also showed a toast: %q", got)
	}
	first.clickToNavigate(`[data-testid=reload-campaign]`, "Reload")
	first.waitVisible(`#campaign-form`)
	first.expectValues("the reloaded form", field(`#description`, "Updated by the second manager."))

	first.expectNoConsoleProblemsBut(fmt.Sprintf(
		"network error: Failed to load resource: the server responded with a status of 409 (Conflict) %s%s", base, href+"/edit"))
	second.expectNoConsoleProblems()
}

// ---- Helpers of this journey ----

// expectFocused checks that the element with data-testid testid has the
// focus and is on screen.
func (tb *tab) expectFocused(testid, what string) {
	tb.t.Helper()
	tb.waitUntil(what+": the focus moves to "+testid, fmt.Sprintf(`(() => {
		const el = document.activeElement;
		if (!el || el.dataset.testid !== %s) return false;
		const r = el.getBoundingClientRect();
		return r.bottom > 0 && r.top < window.innerHeight;
	})()`, jsString(testid)))
}

// expectNoConsoleProblemsBut is expectNoConsoleProblems that lets each
// expected line through once.
func (tb *tab) expectNoConsoleProblemsBut(expected ...string) {
	tb.t.Helper()
	for _, p := range tb.problems.all() {
		if i := slices.Index(expected, p); i >= 0 {
			expected = slices.Delete(expected, i, i+1)
			continue
		}
		tb.t.Errorf("browser console: %s", p)
	}
}

// formField is a form control, by CSS selector, and a value for it.
type formField struct{ sel, value string }

func field(sel, value string) formField { return formField{sel, value} }

// subField is the control named name in the n-th (from 1) sub-campaign row.
func subField(n int, name string) string {
	return fmt.Sprintf(`#sub-rows > tr:nth-of-type(%d) [name=%s]`, n, name)
}

// couponField is the control named name in the n-th (from 1) coupon row.
func couponField(n int, name string) string {
	return fmt.Sprintf(`#coupon-rows > fieldset:nth-of-type(%d) [name=%s]`, n, name)
}

// fill sets each control's value property. chromedp.SetValue reads it back,
// so an option a select does not have fails here. Typing into
// datetime-local inputs is unreliable; setting the value is what the
// browser submits.
func (tb *tab) fill(what string, fields ...formField) {
	tb.t.Helper()
	actions := make([]chromedp.Action[chromedp.Void], 0, len(fields))
	for _, f := range fields {
		actions = append(actions, chromedp.SetValue(chromedp.CSS(f.sel), f.value))
	}
	tb.do("fill in "+what, actions...)
}

// expectValues checks the value property of each control.
func (tb *tab) expectValues(what string, fields ...formField) {
	tb.t.Helper()
	for _, f := range fields {
		got := evalAs[*string](tb, fmt.Sprintf(`document.querySelector(%s)?.value ?? null`, jsString(f.sel)))
		switch {
		case got == nil:
			tb.t.Errorf("%s: no control matches %s", what, f.sel)
		case *got != f.value:
			tb.t.Errorf("%s: %s: want %q, got %q", what, f.sel, f.value, *got)
		}
	}
}

func (tb *tab) expectCount(selector string, want int, what string) {
	tb.t.Helper()
	if got := evalAs[int](tb, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(selector))); got != want {
		tb.t.Fatalf("%s: want %d, got %d", what, want, got)
	}
}

// couponTable reads the seller's coupon table: one map per row, from each
// column's heading (its first line) to the cell's text.
func (tb *tab) couponTable() []map[string]string {
	tb.t.Helper()
	return evalAs[[]map[string]string](tb, `(() => {
		const table = document.querySelector("[data-testid=coupon-table]");
		if (!table) return [];
		const heads = Array.from(table.querySelectorAll("thead th"), th => th.firstChild.textContent.trim());
		return Array.from(table.querySelectorAll("[data-testid=coupon-row]"), tr =>
			Object.fromEntries(Array.from(tr.cells, (td, i) => [heads[i], td.textContent.replace(/\s+/g, " ").trim()])));
	})()`)
}

func expectCells(t *testing.T, what string, row, want map[string]string) {
	t.Helper()
	for _, col := range slices.Sorted(maps.Keys(want)) {
		if got, ok := row[col]; !ok {
			t.Errorf("%s: no %q column in %q", what, col, row)
		} else if got != want[col] {
			t.Errorf("%s: %s: want %q, got %q", what, col, want[col], got)
		}
	}
}
