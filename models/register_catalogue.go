package models

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Category is a product category.
type Category struct {
	ID   int64
	Name string
}

// PickRow is a product of the shop's catalogue as the Pick screen shows it.
type PickRow struct {
	ProductID int64
	PID       string
	Title     string
	Category  string
	SKUs      int
	MinPrice  decimal.Decimal
	MaxPrice  decimal.Decimal
	Stock     int
	MeetsRule bool // every SKU's current price is already at or below the Regular maximum
	InDraft   bool // already in this registration
}

// PickFilter narrows the Pick screen.
type PickFilter struct {
	Query      string
	CategoryID int64
	MeetsOnly  bool
	Page       int
	PerPage    int
}

type pickSKU struct {
	ProductID   int64
	PID         string `gorm:"column:pid"`
	Title       string
	Category    string
	CategoryID  int64
	SKUID       int64 `gorm:"column:sku_id"`
	RetailPrice decimal.Decimal
	Stock       int
}

// shopCatalogueWithLows reads the shop's live SKUs (searched) and their
// lookback lows for the campaign, in two set-based queries.
// productIDs, when not nil, narrows it to those products.
func (s *Store) shopCatalogueWithLows(ctx context.Context, shopID int64, c Campaign, query string, categoryID int64, productIDs []int64, now time.Time) ([]pickSKU, map[int64]LookbackLow, error) {
	q := s.db.WithContext(ctx).Table("skus s").
		Select("p.id AS product_id, p.pid, p.title, cat.name AS category, cat.id AS category_id, s.id AS sku_id, s.retail_price, s.stock").
		Joins("JOIN products p ON p.id = s.product_id").Joins("JOIN categories cat ON cat.id = p.category_id").
		Where("s.shop_id = ? AND s.deleted_at IS NULL", shopID)
	q = catalogueSearch(q, query, categoryID)
	if productIDs != nil {
		q = q.Where("p.id IN ?", productIDs)
	}
	var rows []pickSKU
	if err := q.Order("p.title, p.id, s.id").Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.SKUID
	}
	lows, err := s.LookbackLows(ctx, ids, c.LookbackDays, now)
	return rows, lows, err
}

// PickCatalogue lists the shop's products for the Pick screen, with
// whether each already meets the Regular price rule.
func (s *Store) PickCatalogue(ctx context.Context, shopID, regID int64, c Campaign, f PickFilter, now time.Time) ([]PickRow, int, []Category, error) {
	page := max(f.Page, 1)
	// Without "meets the rule only", the page's products are chosen in SQL
	// and only their SKUs and lookback lows are read: the work of a page
	// does not grow with the shop. The filter needs every product's lows.
	var pageIDs []int64
	var total int
	if !f.MeetsOnly {
		var err error
		if pageIDs, total, err = s.pickPage(ctx, shopID, f, page); err != nil {
			return nil, 0, nil, err
		}
	}
	skus, lows, err := s.shopCatalogueWithLows(ctx, shopID, c, f.Query, f.CategoryID, pageIDs, now)
	if err != nil {
		return nil, 0, nil, err
	}
	var inDraft []int64
	if err := s.db.WithContext(ctx).Table("registration_products").
		Where("registration_id = ? AND shop_id = ? AND status NOT IN ('withdrawn', 'rejected')", regID, shopID).
		Pluck("product_id", &inDraft).Error; err != nil {
		return nil, 0, nil, err
	}
	in := map[int64]bool{}
	for _, id := range inDraft {
		in[id] = true
	}
	regular := c.Rule(TierRegular)
	var rows []PickRow
	idx := map[int64]int{}
	for _, sk := range skus {
		i, ok := idx[sk.ProductID]
		if !ok {
			rows = append(rows, PickRow{ProductID: sk.ProductID, PID: sk.PID, Title: sk.Title, Category: sk.Category,
				MinPrice: sk.RetailPrice, MaxPrice: sk.RetailPrice, MeetsRule: true, InDraft: in[sk.ProductID]})
			i = len(rows) - 1
			idx[sk.ProductID] = i
		}
		r := &rows[i]
		r.SKUs++
		r.Stock += sk.Stock
		r.MinPrice = decimal.Min(r.MinPrice, sk.RetailPrice)
		r.MaxPrice = decimal.Max(r.MaxPrice, sk.RetailPrice)
		low := lows[sk.SKUID].Price
		if !low.IsPositive() {
			low = sk.RetailPrice
		}
		if sk.RetailPrice.GreaterThan(regular.MaxPrice(low)) {
			r.MeetsRule = false
		}
	}
	if f.MeetsOnly { // every product was read: keep those that meet, then page
		kept := rows[:0]
		for _, r := range rows {
			if r.MeetsRule {
				kept = append(kept, r)
			}
		}
		total = len(kept)
		from := min((page-1)*f.PerPage, total)
		rows = kept[from:min(from+f.PerPage, total)]
	}
	var cats []Category
	if err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT cat.id, cat.name FROM categories cat
		JOIN products p ON p.category_id = cat.id WHERE p.shop_id = ? ORDER BY cat.name`, shopID).Scan(&cats).Error; err != nil {
		return nil, 0, nil, err
	}
	return rows, total, cats, nil
}

// catalogueSearch applies the Pick screen's search and category to a
// query over products p.
func catalogueSearch(q *gorm.DB, query string, categoryID int64) *gorm.DB {
	if t := strings.TrimSpace(query); t != "" {
		q = q.Where("(p.title ILIKE ? OR p.pid = ?)", "%"+escapeLike(t)+"%", t)
	}
	if categoryID != 0 {
		q = q.Where("p.category_id = ?", categoryID)
	}
	return q
}

// pickPage chooses one page of the shop's products with a live SKU, in the
// Pick screen's order, and counts them all.
func (s *Store) pickPage(ctx context.Context, shopID int64, f PickFilter, page int) ([]int64, int, error) {
	base := func() *gorm.DB {
		q := s.db.WithContext(ctx).Table("products p").
			Where("p.shop_id = ? AND EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.deleted_at IS NULL)", shopID)
		return catalogueSearch(q, f.Query, f.CategoryID)
	}
	var rows []struct {
		ID    int64
		Total int
	}
	offset := min((page-1)*f.PerPage, maxPickOffset)
	if err := base().Select("p.id, count(*) OVER () AS total").Order("p.title, p.id").
		Limit(f.PerPage).Offset(offset).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	if len(rows) > 0 {
		return ids, rows[0].Total, nil
	}
	var total int64 // past the last page: the count alone
	err := base().Count(&total).Error
	return ids, int(total), err
}

// maxPickOffset bounds the offset an absurd page number asks for.
const maxPickOffset = 1 << 30

// MaxRecommendedProducts caps one click of "Add recommended".
const MaxRecommendedProducts = 200

// RecommendedItems picks the products the portal recommends for a
// campaign: every SKU's current price already meets the Regular rule and
// has at least the Regular minimum stock, and the product is not in the
// registration yet. Each comes pre-filled with the recommended price and
// half of the available stock (at least the minimum). Products whose SKUs
// all meet the Featured rule too go in as Featured.
func (s *Store) RecommendedItems(ctx context.Context, shopID, regID int64, c Campaign, now time.Time) ([]DraftItem, error) {
	skus, lows, err := s.shopCatalogueWithLows(ctx, shopID, c, "", 0, nil, now)
	if err != nil {
		return nil, err
	}
	var have []int64
	if err := s.db.WithContext(ctx).Table("registration_products").Where("registration_id = ? AND shop_id = ?", regID, shopID).
		Pluck("product_id", &have).Error; err != nil {
		return nil, err
	}
	skip := map[int64]bool{}
	for _, id := range have {
		skip[id] = true
	}
	regular, featured := c.Rule(TierRegular), c.Rule(TierFeatured)
	type plan struct {
		items    []DraftItem
		ok       bool
		featured bool
	}
	plans := map[int64]*plan{}
	var order []int64
	for _, sk := range skus {
		if skip[sk.ProductID] {
			continue
		}
		p, ok := plans[sk.ProductID]
		if !ok {
			p = &plan{ok: true, featured: true}
			plans[sk.ProductID] = p
			order = append(order, sk.ProductID)
		}
		low := lows[sk.SKUID].Price
		if !low.IsPositive() {
			low = sk.RetailPrice
		}
		if sk.RetailPrice.GreaterThan(regular.MaxPrice(low)) || sk.Stock < regular.MinStock {
			p.ok = false
			continue
		}
		if sk.RetailPrice.GreaterThan(featured.MaxPrice(low)) || sk.Stock < featured.MinStock {
			p.featured = false
		}
		stock := max(sk.Stock/2, regular.MinStock)
		p.items = append(p.items, DraftItem{ProductID: sk.ProductID, SKUID: sk.SKUID,
			Price: decimal.NewNullDecimal(regular.RecommendedPrice(low)), Stock: &stock})
	}
	var out []DraftItem
	n := 0
	for _, pid := range order {
		p := plans[pid]
		if !p.ok || len(p.items) == 0 {
			continue
		}
		if n++; n > MaxRecommendedProducts {
			break
		}
		for _, it := range p.items {
			it.Tier = TierRegular
			if p.featured {
				it.Tier = TierFeatured
			}
			out = append(out, it)
		}
	}
	// Featured items need Featured prices: recompute from the same lows.
	bySKU := make(map[int64]pickSKU, len(skus))
	for _, sk := range skus {
		bySKU[sk.SKUID] = sk
	}
	for i := range out {
		if out[i].Tier != TierFeatured {
			continue
		}
		sk := bySKU[out[i].SKUID]
		low := lows[sk.SKUID].Price
		if !low.IsPositive() {
			low = sk.RetailPrice
		}
		out[i].Price = decimal.NewNullDecimal(featured.RecommendedPrice(low))
		stock := max(sk.Stock/2, featured.MinStock)
		out[i].Stock = &stock
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].ProductID < out[b].ProductID })
	return out, nil
}
