package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web/routes"
)

// TestProductWideFix: every SKU of a product priced above its maximum
// offers one fix for the whole product, which sets each SKU to its own
// maximum in one request (the bulk action, each row checked again); a
// product with one SKU refused and one passing offers none.
func TestProductWideFix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, now := context.Background(), time.Now()
	store := models.NewStore(w.db)
	both, bothSKUs := modeltest.Product(t, w.db, w.maple.ID, "Both above", "20.00", "30.00")
	one, oneSKUs := modeltest.Product(t, w.db, w.maple.ID, "One above", "20.00", "30.00")
	reg, _, err := store.OpenDraft(ctx, w.maple, w.open.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	stock := 5
	item := func(p models.Product, sk models.SKU, price string) models.DraftItem {
		return models.DraftItem{ProductID: p.ID, SKUID: sk.ID, Price: decimal.NewNullDecimal(decimal.RequireFromString(price)), Stock: &stock}
	}
	if _, err := store.AddToDraft(ctx, w.maple.ID, reg.ID, []models.DraftItem{
		item(both, bothSKUs[0], "25.00"), item(both, bothSKUs[1], "35.00"),
		item(one, oneSKUs[0], "25.00"), item(one, oneSKUs[1], "29.00"),
	}, models.SourcePick, now); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.signIn("seller@x.test")
	doc := parse(t, b.get(routes.Register(w.open.ID)))
	forms := doc.Find(testid("product-fix-form"))
	if forms.Length() != 1 || !strings.Contains(forms.Closest(`[data-testid=product-block]`).Text(), "Both above") {
		t.Fatalf("product-wide fixes = %d, want one, on Both above", forms.Length())
	}
	if label := forms.Find(testid("product-fix")).Text(); !strings.Contains(label, "every SKU of this product") {
		t.Errorf("the fix reads %q", label)
	}
	form := url.Values{}
	forms.Find(`input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		if n, _ := s.Attr("name"); n != "_csrf" {
			v, _ := s.Attr("value")
			form.Add(n, v)
		}
	})
	action, _ := forms.Attr("action")
	wantStatus(t, b.post(action, form), http.StatusSeeOther)
	prices := map[int64]string{}
	var rows []struct {
		SKUID int64 `gorm:"column:sku_id"`
		Price string
	}
	w.db.Raw(`SELECT sku_id, campaign_price::text AS price FROM registration_skus WHERE registration_id = ?`, reg.ID).Scan(&rows)
	for _, r := range rows {
		prices[r.SKUID] = r.Price
	}
	if prices[bothSKUs[0].ID] != "20.00" || prices[bothSKUs[1].ID] != "30.00" || prices[oneSKUs[0].ID] != "25.00" {
		t.Fatalf("prices after the product fix = %v; want Both above at 20.00 and 30.00, One above untouched", prices)
	}
	if parse(t, b.get(routes.Register(w.open.ID))).Find(testid("product-fix-form")).Length() != 0 {
		t.Error("a product fix is still offered after it was applied")
	}
}
