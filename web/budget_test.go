package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// budgetState is what a budget change may touch: the coupon's budget and
// the campaign's audit log.
func budgetState(t *testing.T, w *apiWorld, couponID int64) string {
	t.Helper()
	var s struct {
		Budget string
		Audits int64
	}
	w.db.Raw(`SELECT coalesce(k.platform_budget::text, 'none') AS budget,
			(SELECT count(*) FROM campaign_audit a WHERE a.campaign_id = k.campaign_id) AS audits
		FROM coupons k WHERE k.id = ?`, couponID).Scan(&s)
	return fmt.Sprintf("%s/%d", s.Budget, s.Audits)
}

func TestManagerSetsACouponBudgetAndSeesItBurnDown(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	b := w.browser()
	b.signIn("manager@x.test")
	page := fmt.Sprintf("/manager/campaigns/%d", w.open.ID)
	action := fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, w.coupon)
	doc := parse(t, b.get(page))
	if got, _ := doc.Find(fmt.Sprintf(`form[action=%q] input[name=budget]`, action)).Attr("id"); got != fmt.Sprintf("budget-%d", w.coupon) {
		t.Fatalf("no budget field for the co-funded coupon on the campaign's page (id %q)", got)
	}
	before := budgetState(t, w, w.coupon)

	rec := b.post(action, url.Values{"budget": {"50"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if got := budgetState(t, w, w.coupon); !strings.HasPrefix(got, "50.00/") || got == before {
		t.Fatalf("after saving: %s (before %s)", got, before)
	}
	doc = parse(t, b.get(page))
	if got := doc.Find(testid("audit-entry")).First().Text(); !strings.Contains(got, "Platform budget changed") ||
		!strings.Contains(got, "Coupon TEST-20PCT platform budget: none → $50.00") {
		t.Errorf("audit's latest entry %q", strings.Join(strings.Fields(got), " "))
	}
	// Not a version sellers see.
	if got := doc.Find(testid("versions")).Text(); strings.Contains(got, "budget") {
		t.Errorf("the budget change is listed in the versions sellers see: %q", got)
	}

	// The burn-down: P-1 (Maple, $38 off, $19 each) and P-2 (Northwind,
	// $30 off, $15 each) on Dec 1.
	doc = parse(t, b.get(page+"/performance"))
	bd := doc.Find(testid("budget-TEST-20PCT"))
	for id, want := range map[string]string{"budget-amount": "$50.00", "budget-spent": "$34.00", "budget-left": "$16.00",
		"budget-claims": "2", "budget-discount": "$68.00"} {
		if got := strings.TrimSpace(bd.Find(testid(id)).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	rows := bd.Find(testid("budget-day"))
	if rows.Length() != 3 {
		t.Fatalf("%d days in the burn-down table, want the run's 3", rows.Length())
	}
	if got := cellsText(rows.Eq(1)); got != "Dec 1, 2025 | 2 | $68.00 | $34.00 | $16.00" {
		t.Errorf("Dec 1: %q", got)
	}
	if bd.Find(testid("chart")).Length() != 1 {
		t.Errorf("no burn-down chart")
	}

	// The coupons' export carries the budget, the share so far and what is left.
	csv := b.get(fmt.Sprintf("/manager/campaigns/%d/performance/export/coupons/csv", w.open.ID))
	wantStatus(t, csv, http.StatusOK)
	if body := csv.Body.String(); !strings.Contains(body, "Platform share so far,Platform budget,Budget left") ||
		!strings.Contains(body, ",34.00,50.00,16.00") {
		t.Errorf("coupons export:\n%s", body)
	}

	// Removing it (blank) is a change too.
	wantStatus(t, b.post(action, url.Values{"budget": {" "}}), http.StatusSeeOther)
	if got := budgetState(t, w, w.coupon); !strings.HasPrefix(got, "none/") {
		t.Errorf("after removing: %s", got)
	}
}

func TestCouponBudgetRefusesBadInputWithNothingChanged(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	b := w.browser()
	b.signIn("manager@x.test")
	action := fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, w.coupon)
	wantStatus(t, b.post(action, url.Values{"budget": {"120.00"}}), http.StatusSeeOther)
	before := budgetState(t, w, w.coupon)
	for _, c := range []struct{ input, message string }{
		{"abc", ""},
		{"0", "Must be more than $0.00."},
		{"-5", ""},
		{"12,50", "Use a point for cents: 12.50."},
		{"1.234", ""},
		{"10000000000.00", "Enter an amount of at most $9,999,999,999.99."},
		{"120", "That is the budget already."},
	} {
		rec := b.post(action, url.Values{"budget": {c.input}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		doc := parse(t, rec)
		field := doc.Find(fmt.Sprintf("#budget-%d", w.coupon))
		msg := strings.TrimSpace(doc.Find(testid("budget-error")).Text())
		if msg == "" || (c.message != "" && msg != c.message) {
			t.Errorf("%q: message %q, want %q", c.input, msg, c.message)
		}
		if v, _ := field.Attr("value"); v != c.input {
			t.Errorf("%q: the field shows %q, not what was typed", c.input, v)
		}
		if inv, _ := field.Attr("aria-invalid"); inv != "true" {
			t.Errorf("%q: the field is not marked invalid", c.input)
		}
		if got := budgetState(t, w, w.coupon); got != before {
			t.Errorf("%q: changed %s → %s", c.input, before, got)
		}
	}
	// A coupon the platform pays nothing of has no budget.
	w.db.Exec(`UPDATE coupons SET seller_share_pct = 100, platform_share_pct = 0, platform_budget = NULL WHERE id = ?`, w.coupon)
	before = budgetState(t, w, w.coupon)
	rec := b.post(action, url.Values{"budget": {"10.00"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := budgetState(t, w, w.coupon); got != before {
		t.Errorf("a budget on a seller-funded coupon: %s → %s", before, got)
	}
}

func TestCouponBudgetIsTheManagersOnly(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	action := fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, w.coupon)
	before := budgetState(t, w, w.coupon)
	for _, who := range []string{"seller@x.test", "seller2@x.test", "reviewer@x.test"} {
		b := w.browser()
		b.signIn(who)
		rec := b.post(action, url.Values{"budget": {"10.00"}})
		if rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 403 or 404", who, rec.Code)
		}
		if rec := b.get(fmt.Sprintf("/manager/campaigns/%d/performance", w.open.ID)); rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
			t.Errorf("%s sees the burn-down: %d", who, rec.Code)
		}
	}
	// A coupon of another campaign, through this campaign's URL.
	var other int64
	w.db.Raw(`SELECT id FROM coupons WHERE campaign_id = ?`, w.ended.ID).Scan(&other)
	otherBefore := budgetState(t, w, other)
	m := w.browser()
	m.signIn("manager@x.test")
	wantStatus(t, m.post(fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, other), url.Values{"budget": {"10.00"}}), http.StatusNotFound)
	if got := budgetState(t, w, w.coupon); got != before {
		t.Errorf("changed by someone else: %s → %s", before, got)
	}
	if got := budgetState(t, w, other); got != otherBefore {
		t.Errorf("another campaign's coupon changed: %s → %s", otherBefore, got)
	}
}

func TestSellersSeeTheirOwnCoFundingUsedAndLeft(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	m := w.browser()
	m.signIn("manager@x.test")
	wantStatus(t, m.post(fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, w.coupon), url.Values{"budget": {"50"}}), http.StatusSeeOther)
	// 1,000 coupons, 102 claimed: 898 left × at most $25 an order (cap $50,
	// 50/50, max seller funding $25).
	for _, c := range []struct{ who, row string }{
		{"seller@x.test", "TEST-20PCT | $25.00 per order | 1 | $19.00 | 0 | $22,450.00898 coupons left × at most $25.00 an order"},
		{"seller2@x.test", "TEST-20PCT | $25.00 per order | 1 | $15.00 | 0 | $22,450.00898 coupons left × at most $25.00 an order"},
	} {
		b := w.browser()
		b.signIn(c.who)
		rec := b.get(fmt.Sprintf("/campaigns/%d", w.open.ID))
		wantStatus(t, rec, http.StatusOK)
		doc := parse(t, rec)
		rows := doc.Find(testid("coupon-used"))
		if rows.Length() != 1 {
			t.Fatalf("%s: %d co-funding rows", c.who, rows.Length())
		}
		if got := cellsText(rows.First()); got != c.row {
			t.Errorf("%s: %q, want %q", c.who, got, c.row)
		}
		// The platform's budget is staff only.
		if body := strings.ToLower(rec.Body.String()); strings.Contains(body, "budget") {
			t.Errorf("%s sees the platform budget", c.who)
		}
	}
	// A shop not registered sees no co-funding of its own.
	oak := modeltest.Shop(t, w.db, "Oak Store", "4.5", "25")
	modeltest.User(t, w.db, "oak@x.test", models.RoleSeller, oak.ID)
	b := w.browser()
	b.signIn("oak@x.test")
	doc := parse(t, b.get(fmt.Sprintf("/campaigns/%d", w.open.ID)))
	if n := doc.Find(testid("coupons-used")).Length(); n != 0 {
		t.Errorf("a shop with no registration sees %d co-funding tables", n)
	}
}

// A new version keeps a coupon's budget, unless the platform stops paying
// a share of the coupon: then it has none (never a 500 from the schema's
// rule).
func TestNewVersionKeepsTheBudgetWhileThePlatformPays(t *testing.T) {
	t.Parallel()
	// A campaign still open for registration, so it can take a version.
	w := &apiWorld{world: newWorld(t)}
	w.db.Raw(`SELECT id FROM coupons WHERE campaign_id = ?`, w.open.ID).Scan(&w.coupon)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	wantStatus(t, mgr.post(fmt.Sprintf("/manager/campaigns/%d/coupons/%d/budget", w.open.ID, w.coupon), url.Values{"budget": {"80"}}), http.StatusSeeOther)
	edit := fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID)
	publish := func(change func(f *models.CampaignForm)) {
		t.Helper()
		m, err := models.NewStore(w.db).ManagedCampaign(t.Context(), w.open.ID)
		if err != nil {
			t.Fatal(err)
		}
		f := models.FormFromCampaign(m.Campaign)
		change(&f)
		vals := formValues(f)
		vals.Set("revision", revisionOf(t, w.world, w.open.ID))
		rec := mgr.post(edit, vals, htmx)
		if rec.Code != http.StatusOK {
			t.Fatalf("reviewing the version (%d): %s", rec.Code, parse(t, rec).Find(".field-error").Text())
		}
		digest, _ := parse(t, rec).Find(`input[name=changes_digest]`).Attr("value")
		vals.Set("confirm", "1")
		vals.Set("changes_digest", digest)
		if rec := mgr.post(edit, vals); rec.Code != http.StatusSeeOther {
			t.Fatalf("new version refused (%d): %s", rec.Code, parse(t, rec).Find(".field-error, "+testid("form-errors")).Text())
		}
	}
	publish(func(f *models.CampaignForm) { f.Coupons[0].Quantity = "2000" })
	if got := budgetState(t, w, w.coupon); !strings.HasPrefix(got, "80.00/") {
		t.Errorf("after a new quantity: %s", got)
	}
	publish(func(f *models.CampaignForm) { f.Coupons[0].SellerPct, f.Coupons[0].PlatformPct = "100", "0" })
	if got := budgetState(t, w, w.coupon); !strings.HasPrefix(got, "none/") {
		t.Errorf("after the platform's share went to 0%%: %s", got)
	}
}
