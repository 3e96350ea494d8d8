package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"campaignportal/models"
)

// draftForm creates a draft from springForm and returns its id, the form
// it was made from and its revision.
func draftForm(t *testing.T, w *world, mgr *browser) (int64, models.CampaignForm, string) {
	t.Helper()
	f := springForm()
	id := createCampaign(t, mgr, f)
	return id, f, revisionOf(t, w, id)
}

func editPath(id int64) string { return fmt.Sprintf("/manager/campaigns/%d/edit", id) }

// wantSwapped checks that a refusal is swapped in place by htmx whatever
// its status (X-Portal-Swap), as the form with its summary.
func wantSwapped(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Header().Get("X-Portal-Swap") == "" {
		t.Errorf("status %d: no X-Portal-Swap, htmx would not show it", rec.Code)
	}
	if parse(t, rec).Find("#campaign-form "+testid("form-errors")).Length() != 1 {
		t.Errorf("status %d: the answer is not the form with its error summary: %.300s", rec.Code, rec.Body.String())
	}
}

func TestManagerSaveWithoutRevisionIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	id, f, rev := draftForm(t, w, mgr)
	f.Name = "Spring Refresh, renamed"
	for _, revision := range []string{"", "0", "abc", "-3"} {
		vals := formValues(f)
		if revision != "" {
			vals.Set("revision", revision)
		}
		rec := mgr.post(editPath(id), vals, htmx)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		wantSwapped(t, rec)
		if got := parse(t, rec).Find(testid("form-error")).Text(); !strings.Contains(got, "does not say which version") {
			t.Errorf("revision %q: message %q", revision, got)
		}
	}
	for _, action := range []string{"publish", "close"} {
		target := id
		if action == "close" {
			target = w.open.ID
		}
		rec := mgr.post(fmt.Sprintf("/manager/campaigns/%d/%s", target, action), url.Values{})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := parse(t, rec).Find(testid("action-error")).Text(); !strings.Contains(got, "does not say which version") {
			t.Errorf("%s without a revision: message %q", action, got)
		}
	}
	if got := revisionOf(t, w, id); got != rev {
		t.Errorf("a save without a revision changed the draft: revision %s → %s", rev, got)
	}
	var status string
	w.db.Raw(`SELECT status FROM campaigns WHERE id = ?`, w.open.ID).Scan(&status)
	if status != "published" {
		t.Errorf("close without a revision: status %s", status)
	}
}

// Five managers save the same draft at once: from the same revision one
// wins and four are told who saved; without a revision all five are
// refused and nothing is overwritten.
func TestManagerConcurrentSavesOfOneCampaign(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first := w.browser()
	first.signIn("manager@x.test")
	id, f, rev := draftForm(t, w, first)
	const n = 5
	managers := make([]*browser, n)
	for i := range managers {
		managers[i] = w.browser()
		managers[i].signIn("manager@x.test")
	}
	save := func(withRevision bool) []*httptest.ResponseRecorder {
		recs := make([]*httptest.ResponseRecorder, n)
		var wg sync.WaitGroup
		for i, b := range managers {
			form := f
			form.Name = fmt.Sprintf("Spring Refresh by manager %d", i)
			vals := formValues(form)
			if withRevision {
				vals.Set("revision", rev)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				recs[i] = b.post(editPath(id), vals, htmx)
			}()
		}
		wg.Wait()
		return recs
	}

	for i, rec := range save(false) {
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("save %d without a revision: status %d, want 422", i, rec.Code)
		}
	}
	if got := revisionOf(t, w, id); got != rev {
		t.Fatalf("saves without a revision changed the draft: revision %s → %s", rev, got)
	}

	saved, stale := 0, 0
	for i, rec := range save(true) {
		switch rec.Code {
		case http.StatusNoContent: // htmx: HX-Redirect to the campaign
			saved++
		case http.StatusConflict:
			stale++
			wantSwapped(t, rec)
			doc := parse(t, rec)
			if got := doc.Find(testid("form-error")).Text(); !strings.Contains(got, "Someone else saved this campaign") {
				t.Errorf("save %d: conflict message %q", i, got)
			}
			if got := doc.Find(testid("stale-by")).Text(); !strings.Contains(got, "Test manager saved it at") {
				t.Errorf("save %d: who saved: %q", i, got)
			}
			if href, _ := doc.Find(testid("reload-campaign")).Attr("href"); href != editPath(id) {
				t.Errorf("save %d: reload link %q", i, href)
			}
			if v, _ := doc.Find("#name").Attr("value"); !strings.HasPrefix(v, "Spring Refresh by manager") {
				t.Errorf("save %d: the form lost what was typed: %q", i, v)
			}
		default:
			t.Errorf("save %d from revision %s: status %d", i, rev, rec.Code)
		}
	}
	if saved != 1 || stale != n-1 {
		t.Errorf("concurrent saves from one revision: %d saved, %d stale; want 1 and %d", saved, stale, n-1)
	}
	var edits int64
	w.db.Table("campaign_audit").Where("campaign_id = ? AND action = 'edited'", id).Count(&edits)
	if edits != 1 {
		t.Errorf("audit has %d edits, want 1", edits)
	}
}

func TestManagerFormBounds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	many := func(f *models.CampaignForm, subs, coupons int) {
		base := f.SubCampaigns[0]
		f.SubCampaigns = nil
		for i := range subs {
			s := base
			s.Name = fmt.Sprintf("Day %d", i+1)
			f.SubCampaigns = append(f.SubCampaigns, s)
		}
		cp := f.Coupons[0]
		f.Coupons = nil
		for i := range coupons {
			c := cp
			c.Code = fmt.Sprintf("SPRING-%03d", i)
			f.Coupons = append(f.Coupons, c)
		}
	}
	for _, tc := range []struct {
		name   string
		change func(*models.CampaignForm)
		field  string
		want   string
	}{
		{"huge threshold", func(f *models.CampaignForm) { f.MaxThreshold = "99999999999999" }, "max_threshold", "at most $9,999,999,999.99"},
		{"huge coupon value", func(f *models.CampaignForm) { f.Coupons[1].Value = "99999999999999" }, "coupon-1-value", "at most $9,999,999,999.99"},
		{"year 0001", func(f *models.CampaignForm) { f.Opens = "0001-01-01T00:00" }, "opens", "in the years 2000 to 2099"},
		{"year 9999", func(f *models.CampaignForm) { f.RunEnd = "9999-12-31T23:59" }, "run_end", "in the years 2000 to 2099"},
		{"51 sub-campaigns", func(f *models.CampaignForm) { many(f, 51, 1) }, "subs", "at most 50 sub-campaigns"},
		{"51 coupons", func(f *models.CampaignForm) { many(f, 1, 51) }, "coupons", "at most 50 coupons"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := springForm()
			tc.change(&f)
			rec := mgr.post("/manager/campaigns/new", formValues(f), htmx)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			wantSwapped(t, rec)
			doc := parse(t, rec)
			msg := doc.Find(testid("error-" + tc.field)).Text()
			if msg == "" {
				msg = doc.Find("#" + tc.field + "-error").Text()
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("%s: message next to %s = %q, want %q", tc.name, tc.field, msg, tc.want)
			}
			// The summary names it too, linking to the field.
			found := false
			for _, href := range doc.Find(testid("error-link")).Map(func(_ int, s *goquerySel) string { v, _ := s.Attr("href"); return v }) {
				found = found || href == "#"+tc.field || href == "#"+tc.field+"-error"
			}
			if !found {
				t.Errorf("%s: no summary link to %s", tc.name, tc.field)
			}
		})
	}
	// 50 of each is allowed.
	f := springForm()
	many(&f, 50, 50)
	f.Coupons = f.Coupons[:50]
	rec := mgr.post("/manager/campaigns/new", formValues(f))
	if rec.Code != http.StatusSeeOther {
		t.Errorf("50 sub-campaigns and 50 coupons: status %d: %s", rec.Code, parse(t, rec).Find(testid("form-errors")).Text())
	}
}

func TestManagerFormKeepsBlankRowsAndLinksEachError(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	f := springForm()
	f.SubCampaigns = append(f.SubCampaigns, models.SubCampaignForm{})
	f.Coupons = append(f.Coupons, models.CouponForm{Type: "percent", Targeting: "all", SellerPct: "50", PlatformPct: "50"})
	f.FeeRatePct = "abc"
	rec := mgr.post("/manager/campaigns/new", formValues(f), htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc := parse(t, rec)
	if n := doc.Find("#sub-rows > tr").Length(); n != 3 {
		t.Errorf("sub-campaign rows after the refused save = %d, want 3 (the blank one kept)", n)
	}
	if n := doc.Find("#coupon-rows > fieldset").Length(); n != 3 {
		t.Errorf("coupon rows after the refused save = %d, want 3 (the blank one kept)", n)
	}
	if n := doc.Find(testid("blank-row")).Length(); n != 2 {
		t.Errorf("rows marked blank = %d, want 2", n)
	}
	hrefs := doc.Find(testid("error-link")).Map(func(_ int, s *goquerySel) string { v, _ := s.Attr("href"); return v })
	want := []string{"#sub-2-name", "#fee_rate", "#coupon-2-code"} // in the form's order
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("summary links %q, want %q", hrefs, want)
	}
	for _, h := range hrefs {
		if doc.Find(h).Length() != 1 {
			t.Errorf("summary link %s points at no field", h)
		}
	}
	if got := doc.Find(testid("form-errors")).AttrOr("data-focus-here", "missing"); got == "missing" {
		t.Error("the summary is not marked to take the focus")
	}
}

func TestManagerActionsSayTheyWorked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	id, _, rev := draftForm(t, w, mgr)
	flash := func(rec *httptest.ResponseRecorder) string {
		t.Helper()
		wantStatus(t, rec, http.StatusSeeOther)
		return parse(t, mgr.get(rec.Header().Get("Location"))).Find(testid("flash")).Text()
	}
	if got := flash(mgr.post(fmt.Sprintf("/manager/campaigns/%d/publish", id), url.Values{"revision": {rev}})); !strings.HasPrefix(got, "Published as version 1") {
		t.Errorf("after publishing: flash %q", got)
	}
	if got := flash(mgr.post(fmt.Sprintf("/manager/campaigns/%d/close", id), url.Values{"revision": {revisionOf(t, w, id)}})); !strings.HasPrefix(got, "Registration closed early") {
		t.Errorf("after closing: flash %q", got)
	}
	if got := flash(mgr.post(fmt.Sprintf("/manager/campaigns/%d/duplicate", id), nil)); !strings.HasPrefix(got, "Duplicated as a draft") {
		t.Errorf("after duplicating: flash %q", got)
	}
	// A stale publish says so, with the page showing the current version.
	rec := mgr.post(fmt.Sprintf("/manager/campaigns/%d/close", w.open.ID), url.Values{"revision": {"999"}})
	wantStatus(t, rec, http.StatusConflict)
	if got := parse(t, rec).Find(testid("action-error")).Text(); !strings.Contains(got, "someone else saved this campaign") {
		t.Errorf("stale close: %q", got)
	}
	// An unknown ?done= shows nothing.
	if got := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d?done=%%3Cb%%3Ehi", id))).Find(testid("flash")).Length(); got != 0 {
		t.Error("an unknown done= showed a message")
	}
}

func TestManagerCampaignPageShowsEveryRule(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	id, _, _ := draftForm(t, w, mgr)
	doc := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d", id)))
	rules := doc.Find(testid("rules")).Text()
	for _, want := range []string{
		"Minimum 3.50; shops without an SPS yet may register", "Required, on orders of $30.00 or less",
		"Every campaign coupon must be accepted", "30 days", "Featured tier", "at least 15% below", "at least 10 in stock",
		"Regular tier", "Extra discount", "at least 5%", "Registrations need review", "Yes",
		"Campaign service fee", "1%", "refunded in full",
	} {
		if !strings.Contains(rules, want) {
			t.Errorf("rules lack %q: %q", want, rules)
		}
	}
}

// The state is named the same in the list, the campaign page and the
// platform view (the platform view said "Published" for an ended one).
func TestManagerStateIsNamedOnceEverywhere(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	list := parse(t, mgr.get("/manager"))
	for _, c := range []models.Campaign{w.open, w.ended, w.upcoming} {
		row := list.Find(testid("manager-row")).FilterFunction(func(_ int, s *goquerySel) bool { return strings.Contains(s.Text(), c.Name) })
		inList := row.Find(testid("state")).Text()
		onPage := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d", c.ID))).Find(testid("state")).Text()
		onPlatform := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d/performance", c.ID))).Find(testid("state")).Text()
		if inList == "" || inList != onPage || inList != onPlatform {
			t.Errorf("%s: list %q, page %q, platform view %q", c.Name, inList, onPage, onPlatform)
		}
	}
}

func TestPlatformViewExports(t *testing.T) {
	t.Parallel()
	w := platformWorld(t)
	w.db.Exec(`UPDATE shops SET name = '@SUM(1+1)' WHERE id = ?`, w.north.ID)
	b := w.browser()
	b.signIn("manager@x.test")
	doc := parse(t, b.get(fmt.Sprintf("/manager/campaigns/%d/performance", w.open.ID)))
	for _, table := range []string{"days", "coupons", "shops"} {
		for _, format := range []string{"csv", "xlsx"} {
			href, ok := doc.Find(testid("export-" + table + "-" + format)).Attr("href")
			if !ok {
				t.Fatalf("no %s %s export link", table, format)
			}
			rec := b.get(href)
			wantStatus(t, rec, http.StatusOK)
			var rows [][]string
			if format == "csv" {
				var err error
				if rows, err = csv.NewReader(bytes.NewReader(rec.Body.Bytes())).ReadAll(); err != nil {
					t.Fatalf("%s csv: %v", table, err)
				}
			} else {
				book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
				if err != nil {
					t.Fatalf("%s xlsx: %v", table, err)
				}
				if rows, err = book.GetRows(book.GetSheetName(0)); err != nil {
					t.Fatal(err)
				}
			}
			if len(rows) < 2 {
				t.Errorf("%s %s: %d rows", table, format, len(rows))
				continue
			}
			all := fmt.Sprint(rows)
			switch table {
			case "shops":
				if !strings.Contains(all, "Maple & Co") || !strings.Contains(all, "SUM(1+1)") {
					t.Errorf("shops %s: %q", format, all)
				}
				for _, r := range rows {
					for _, cell := range r {
						if format == "csv" && strings.Contains(cell, "SUM(1+1)") && cell != "'@SUM(1+1)" {
							t.Errorf("shops csv: a formula-looking name is written as %q", cell)
						}
					}
				}
			case "coupons":
				if !strings.Contains(all, "20%") {
					t.Errorf("coupons %s: %q", format, all)
				}
			}
		}
	}
	wantStatus(t, b.get(fmt.Sprintf("/manager/campaigns/%d/performance/export/secrets/csv", w.open.ID)), http.StatusNotFound)
	wantStatus(t, b.get(fmt.Sprintf("/manager/campaigns/%d/performance/export/days/pdf", w.open.ID)), http.StatusNotFound)
	seller := w.browser()
	seller.signIn("seller@x.test")
	wantStatus(t, seller.get(fmt.Sprintf("/manager/campaigns/%d/performance/export/days/csv", w.open.ID)), http.StatusForbidden)
}

type goquerySel = goquery.Selection
