package web_test

// BenchmarkPriceTablePage2000: the price table of a draft with 2,000 SKUs
// (400 products of 5 SKUs) in an open campaign. "LoadDraft" is the store
// call the page makes for its 50 products; the "page" benchmarks are the
// whole request through the real router (session, CSRF, OpenDraft,
// LoadDraft, the view, templ rendering), as server time: ServeHTTP on a
// recorder, no network. Numbers and how to run them: docs/performance.md.
//
//	go test ./web -run XXX -bench PriceTablePage2000 -benchtime 20x

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web"
)

const (
	benchProducts    = 400
	benchSKUsPerProd = 5
	benchSellerEmail = "seller@bench.test"
)

// seedDraft2000 builds the shop, its catalogue with 120 days of price
// history (12 periods per SKU), an open campaign, and a draft with every
// product in it, through the store as a seller would: add, 10% below the
// low and 5 units on every row, then a price above the maximum on every
// tenth product's first SKU, so the error filters have something to show.
func seedDraft2000(b *testing.B) func(context.Context, *gorm.DB) error {
	return func(ctx context.Context, db *gorm.DB) error {
		shop := modeltest.Shop(b, db, "Maple & Co", "4.6", "25")
		modeltest.User(b, db, benchSellerEmail, models.RoleSeller, shop.ID)
		camp := modeltest.Campaign(b, db, modeltest.OpenCampaign("Black Friday & Cyber Monday"))
		if err := db.WithContext(ctx).Exec(`INSERT INTO categories (name) VALUES ('Bench')`).Error; err != nil {
			return err
		}
		steps := []string{
			`INSERT INTO products (shop_id, pid, title, category_id)
				SELECT @shop, (8000000000 + g)::text, 'Bench product ' || lpad(g::text, 4, '0'), (SELECT id FROM categories WHERE name = 'Bench')
				FROM generate_series(1, @products) g`,
			`INSERT INTO skus (product_id, shop_id, sku_code, attributes, retail_price, stock)
				SELECT p.id, p.shop_id, 'P-' || p.pid || '-' || v, 'Variant ' || v, 20 + v, 50 + v
				FROM products p CROSS JOIN generate_series(1, @skus) v WHERE p.shop_id = @shop ORDER BY p.id, v`,
			`INSERT INTO price_history (sku_id, price, valid_from, valid_to)
				SELECT s.id, 15 + ((s.id * 7 + k * 13) % 17) + 0.99,
					now() - make_interval(days => 120 - 10 * k),
					CASE WHEN k = 11 THEN NULL ELSE now() - make_interval(days => 110 - 10 * k) END
				FROM skus s CROSS JOIN generate_series(0, 11) k WHERE s.shop_id = @shop ORDER BY s.id, k`,
		}
		args := map[string]any{"shop": shop.ID, "products": benchProducts, "skus": benchSKUsPerProd}
		for _, q := range steps {
			if err := db.WithContext(ctx).Exec(q, args).Error; err != nil {
				return err
			}
		}
		store := models.NewStore(db)
		now := time.Now()
		reg, _, err := store.OpenDraft(ctx, shop, camp.ID, now)
		if err != nil {
			return err
		}
		var productIDs []int64
		if err := db.Raw(`SELECT id FROM products WHERE shop_id = ? ORDER BY id`, shop.ID).Scan(&productIDs).Error; err != nil {
			return err
		}
		items := make([]models.DraftItem, len(productIDs))
		for i, id := range productIDs {
			items[i] = models.DraftItem{ProductID: id}
		}
		if n, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, now); err != nil {
			return err
		} else if n != benchProducts*benchSKUsPerProd {
			return fmt.Errorf("added %d SKUs, want %d", n, benchProducts*benchSKUsPerProd)
		}
		for _, a := range []models.BulkAction{
			{Kind: models.BulkPercentOff, Percent: decimal.NewFromInt(10), All: true},
			{Kind: models.BulkSetStock, Stock: 5, All: true},
		} {
			if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, a, now); err != nil {
				return err
			}
		}
		var tooHigh []struct {
			ID       int64
			MaxPrice decimal.Decimal
		}
		if err := db.Raw(`SELECT DISTINCT ON (rs.registration_product_id) rs.id, rs.max_price
			FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE rs.registration_id = ? AND rp.product_id % 10 = 0 ORDER BY rs.registration_product_id, rs.id`, reg.ID).
			Scan(&tooHigh).Error; err != nil {
			return err
		}
		stock := 5
		for _, r := range tooHigh {
			price := decimal.NewNullDecimal(r.MaxPrice.Add(decimal.NewFromInt(1)))
			if _, err := store.UpdateDraftSKU(ctx, shop.ID, reg.ID, r.ID, price, &stock, now); err != nil {
				return err
			}
		}
		return db.Exec(`ANALYZE`).Error
	}
}

// benchDraft is the seeded draft in a fresh clone, and a portal on it.
type benchDraft struct {
	db       *gorm.DB
	store    *models.Store
	e        http.Handler
	shopID   int64
	regID    int64
	campaign int64
}

func newBenchDraft(b *testing.B) *benchDraft {
	b.Helper()
	db := modeltest.NewDBWith(b, "draft2000", seedDraft2000(b))
	d := &benchDraft{db: db, store: models.NewStore(db)}
	if err := db.Raw(`SELECT r.id, r.shop_id, r.campaign_id FROM registrations r JOIN shops s ON s.id = r.shop_id
		WHERE s.name = 'Maple & Co'`).Row().Scan(&d.regID, &d.shopID, &d.campaign); err != nil {
		b.Fatalf("finding the seeded draft: %v", err)
	}
	e, err := web.New(web.Config{
		SessionKeys:   [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")},
		SecureCookies: true,
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, d.store)
	if err != nil {
		b.Fatal(err)
	}
	d.e = e
	return d
}

// benchSession is a signed-in seller's cookies on the router (the
// browser helper of helpers_test.go needs a *testing.T).
type benchSession struct {
	b       *testing.B
	h       http.Handler
	cookies map[string]*http.Cookie
}

func (s *benchSession) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = "192.0.2.10:5555"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range s.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(s.cookies, c.Name)
		} else {
			s.cookies[c.Name] = c
		}
	}
	return rec
}

func (d *benchDraft) signIn(b *testing.B) *benchSession {
	b.Helper()
	s := &benchSession{b: b, h: d.e, cookies: map[string]*http.Cookie{}}
	doc, err := goquery.NewDocumentFromReader(s.do(http.MethodGet, "/login", nil).Body)
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	rec := s.do(http.MethodPost, "/login", url.Values{"_csrf": {tok}, "email": {benchSellerEmail}, "password": {modeltest.FixturePassword}})
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("signing in: status %d", rec.Code)
	}
	return s
}

func BenchmarkPriceTablePage2000(b *testing.B) {
	d := newBenchDraft(b)
	ctx := context.Background()

	// The store call of the page: 50 products (250 SKUs) and the summary of
	// all 2,000 SKUs.
	b.Run("LoadDraft", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			page, _, err := d.store.LoadDraft(ctx, d.shopID, d.regID, 0, 1, 50)
			if err != nil {
				b.Fatal(err)
			}
			if len(page.Products) != 50 || page.Summary.SKUs != benchProducts*benchSKUsPerProd {
				b.Fatalf("page of %d products, summary of %d SKUs", len(page.Products), page.Summary.SKUs)
			}
		}
	})
	b.Run("LoadDraft-filtered", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			page, _, err := d.store.LoadDraft(ctx, d.shopID, d.regID, models.ProblemPriceAboveMax, 1, 50)
			if err != nil {
				b.Fatal(err)
			}
			if page.Total != benchProducts/10 {
				b.Fatalf("%d products with a price above the maximum, want %d", page.Total, benchProducts/10)
			}
		}
	})

	// The whole page through the router, as the browser asks for it.
	base := fmt.Sprintf("/campaigns/%d/register", d.campaign)
	for _, pg := range []struct{ name, target string }{
		{"page", base},
		{"page-last", base + "?page=8"},
		{"page-filtered", base + "?problem=price-too-high"},
	} {
		b.Run(pg.name, func(b *testing.B) {
			s := d.signIn(b)
			var bytes int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rec := s.do(http.MethodGet, pg.target, nil)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d: %.300s", pg.target, rec.Code, rec.Body.String())
				}
				bytes = rec.Body.Len()
			}
			b.StopTimer()
			if rows := strings.Count(s.do(http.MethodGet, pg.target, nil).Body.String(), `data-testid="sku-row"`); rows == 0 {
				b.Fatalf("GET %s: no SKU rows on the page", pg.target)
			}
			b.ReportMetric(float64(bytes)/1024, "KiB/page")
		})
	}
}
