package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"campaignportal/web/routes"
)

// Every seller route that takes a campaign id, in its path or its query,
// answers 404 for a draft's id and shows nothing of it. The routes are
// read from the router, so a new one is tried without being listed here.
func TestDraftCampaignIdsAreNotFoundOnEverySellerRoute(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	draft := fmt.Sprint(w.draft.ID)
	param := regexp.MustCompile(`:[a-z_]+`)
	tried := 0
	for _, r := range w.e.Routes() {
		if !strings.HasPrefix(r.Path, "/campaigns/:id") {
			continue
		}
		// The first :id is the campaign's; other parameters get a value
		// of the right shape (they are never reached).
		target := strings.Replace(r.Path, ":id", draft, 1)
		target = param.ReplaceAllStringFunc(target, func(p string) string {
			switch p {
			case ":format":
				return "csv"
			case ":table":
				return "days"
			}
			return "1"
		})
		var rec *httptest.ResponseRecorder
		switch r.Method {
		case http.MethodGet:
			rec = b.get(target)
		case http.MethodPost:
			rec = b.post(target, url.Values{"price": {"1.00"}, "stock": {"1"}})
		default:
			continue
		}
		tried++
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), w.draft.Name) {
			t.Errorf("%s %s (%s): %d, want 404 without the draft's name", r.Method, target, r.Path, rec.Code)
		}
	}
	if tried < 15 {
		t.Errorf("only %d routes with a campaign id tried", tried)
	}
	// The settled records filter takes one in its query.
	var sub string
	w.db.Raw(`SELECT name FROM sub_campaigns WHERE campaign_id = ? LIMIT 1`, w.draft.ID).Scan(&sub)
	for _, p := range []string{routes.SettledRecords, routes.SettledRecordsCSV, routes.SettledRecordsXLSX} {
		target := p + "?campaign=" + draft
		rec := b.get(target)
		body := rec.Body.String()
		if rec.Code != http.StatusNotFound || strings.Contains(body, w.draft.Name) || (sub != "" && strings.Contains(body, sub)) {
			t.Errorf("GET %s: %d, want 404 without the draft's names", target, rec.Code)
		}
	}
}
