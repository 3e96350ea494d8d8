package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// Every page reads the session and the layout's data (user, shop, unread
// count) in one statement and its own data in a small fixed number: the
// count is the same for a shop with 2 products as for one with 40, and
// never above the page's budget. A new query in a loop (an N+1) or an
// extra round trip on a page fails here, long before it shows under load.
// docs/performance.md lists the counts. (Statements sent with pgx
// directly, as the performance pages and settled records do for their
// figures, are not counted here.)
func TestPagesSendAFixedNumberOfStatements(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// The portal's own counter (portal_db_statements_total), read from its
	// registry around each request.
	statements := func() int64 {
		t.Helper()
		families, err := w.metrics.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() == "portal_db_statements_total" {
				return int64(f.GetMetric()[0].GetCounter().GetValue())
			}
		}
		t.Fatal("no portal_db_statements_total")
		return 0
	}
	// A registration of Maple's in the open campaign, under review, and one
	// registered in the ended campaign (w.mapleReg), each holding every
	// product grow has made so far.
	pending := modeltest.Register(t, w.db, w.open.ID, w.maple.ID, models.RegistrationPending)
	// And a draft in a second open campaign, every product in it with a
	// campaign price and stock: the price table.
	holiday := modeltest.Campaign(t, w.db, modeltest.OpenCampaign("Holiday Deals"))
	draft := modeltest.Register(t, w.db, holiday.ID, w.maple.ID, models.RegistrationDraft)
	store := models.NewStore(w.db)
	var firstProduct int64
	grow := func(products int) {
		for i := 0; i < products; i++ {
			p, skus := modeltest.Product(t, w.db, w.maple.ID, fmt.Sprintf("Product %d", i), "40.00", "55.00")
			if firstProduct == 0 {
				firstProduct = p.ID
			}
			for _, sk := range skus {
				modeltest.RegisterSKU(t, w.db, w.mapleReg, sk, "30.00", time.Now().Add(-1000*time.Hour))
			}
			w.db.Exec(`INSERT INTO registration_products (registration_id, shop_id, product_id, source, status, created_at)
				VALUES (?, ?, ?, 'pick', 'pending', now()) ON CONFLICT DO NOTHING`, pending.ID, w.maple.ID, p.ID)
			stock := 3
			if _, err := store.AddToDraft(t.Context(), w.maple.ID, draft.ID, []models.DraftItem{{ProductID: p.ID,
				Price: decimal.NewNullDecimal(decimal.RequireFromString("31.00")), Stock: &stock}}, models.SourcePick, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		// RegisterSKU decides the registration it is given; keep the open
		// campaign's under review.
		w.db.Exec(`UPDATE registrations SET status = 'pending', decided_at = NULL WHERE id = ?`, pending.ID)
	}
	type page struct {
		who, url string
		budget   int64
	}
	pages := func() []page {
		return []page{
			{"seller@x.test", "/account", 1},
			{"seller@x.test", "/notifications", 2},
			{"seller@x.test", "/campaigns", 4},
			{"seller@x.test", "/campaigns?tab=registered", 4},
			{"seller@x.test", fmt.Sprintf("/campaigns/%d", w.open.ID), 3},
			{"seller@x.test", fmt.Sprintf("/registrations/%d", w.mapleReg.ID), 8},
			{"seller@x.test", fmt.Sprintf("/campaigns/%d/register", holiday.ID), 5},
			{"seller@x.test", "/products", 3},
			{"seller@x.test", fmt.Sprintf("/products/%d", firstProduct), 10},
			{"seller@x.test", "/finance/settled-records", 2},
			{"seller@x.test", "/campaigns/performance", 1},
			{"reviewer@x.test", "/review", 6},
			{"reviewer@x.test", fmt.Sprintf("/review/registrations/%d", pending.ID), 9},
			{"reviewer@x.test", "/review/price-edits", 4},
			{"manager@x.test", "/manager", 2},
			{"manager@x.test", fmt.Sprintf("/manager/campaigns/%d", w.open.ID), 5},
		}
	}
	measure := func() map[string]int64 {
		got := map[string]int64{}
		browsers := map[string]*browser{}
		for _, p := range pages() {
			b := browsers[p.who]
			if b == nil {
				b = w.browser()
				b.signIn(p.who)
				browsers[p.who] = b
			}
			// Counted warm: the first request fills the process's rules
			// cache (a campaign's rules load once per rules version).
			b.get(p.url)
			before := statements()
			rec := b.get(p.url)
			got[p.url] = statements() - before
			if rec.Code != http.StatusOK {
				t.Fatalf("%s as %s: status %d", p.url, p.who, rec.Code)
			}
		}
		// A price row saved as the price table's htmx does: the write's
		// transaction and the row it answers with.
		var rsID int64
		w.db.Raw(`SELECT id FROM registration_skus WHERE registration_id = ? ORDER BY id LIMIT 1`, draft.ID).Scan(&rsID)
		b := browsers["seller@x.test"]
		save := fmt.Sprintf("/campaigns/%d/register/skus/%d", holiday.ID, rsID)
		before := statements()
		if rec := b.post(save, url.Values{"price": {"30.00"}, "stock": {"2"}}, htmx); rec.Code != http.StatusOK {
			t.Fatalf("saving a price row: %d %s", rec.Code, rec.Body)
		}
		got["POST price row"] = statements() - before
		return got
	}
	grow(2)
	small := measure()
	grow(38)
	large := measure()
	for _, p := range append(pages(), page{"seller@x.test", "POST price row", 8}) {
		t.Logf("%-40s %d statements", p.url, large[p.url])
		if small[p.url] != large[p.url] {
			t.Errorf("%s: %d statements with 2 products, %d with 40: a query per row", p.url, small[p.url], large[p.url])
		}
		if large[p.url] > p.budget {
			t.Errorf("%s: %d statements, budget %d", p.url, large[p.url], p.budget)
		}
	}
}
