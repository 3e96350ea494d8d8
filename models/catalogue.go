package models

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Product is a listing (PID) of a shop.
type Product struct {
	ID         int64
	ShopID     int64
	PID        string `gorm:"column:pid"`
	Title      string
	CategoryID int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SKU is one variant of a product. Version changes on every edit.
type SKU struct {
	ID          int64
	ProductID   int64
	ShopID      int64
	SKUCode     string `gorm:"column:sku_code"`
	Attributes  string
	RetailPrice decimal.Decimal
	Stock       int
	CostOfGoods decimal.NullDecimal // the shop's own cost per unit, optional; the reviewer is told of a campaign price below it
	Version     int
	DeletedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName keeps GORM from guessing "sk_us".
func (SKU) TableName() string { return "skus" }

// PricePeriod is one stretch of time a SKU was offered at one price.
type PricePeriod struct {
	ID        int64
	SKUID     int64 `gorm:"column:sku_id"`
	Price     decimal.Decimal
	ValidFrom time.Time
	ValidTo   *time.Time
	Source    string
}

// TableName is the price history table.
func (PricePeriod) TableName() string { return "price_history" }

// LookbackLow is the lowest price a SKU had in a lookback window and the
// latest moment it was offered at that price inside the window.
type LookbackLow struct {
	SKUID int64 `gorm:"column:sku_id"`
	Price decimal.Decimal
	At    time.Time `gorm:"column:low_at"`
}

// LookbackLows finds, in one set-based query, each SKU's lowest price over
// the `days` days up to `at`. A period counts when it overlaps the window.
func (s *Store) LookbackLows(ctx context.Context, skuIDs []int64, days int, at time.Time) (map[int64]LookbackLow, error) {
	return s.LookbackLowsWith(ctx, skuIDs, days, at, nil)
}

// lookbackWindowSQL is the lookback window's rule over price periods ph:
// a period counts when it began by @asof and had not ended @days days
// before it. Every query that reads lookback lows uses it.
const lookbackWindowSQL = `ph.valid_from <= CAST(@asof AS timestamptz)
	AND (ph.valid_to IS NULL OR ph.valid_to > CAST(@asof AS timestamptz) - make_interval(days => @days))`

// LookbackLowsWith is LookbackLows over the price history plus periods
// that are not stored (a campaign price during its run, for the price
// memory): the same query, so the same window rule.
func (s *Store) LookbackLowsWith(ctx context.Context, skuIDs []int64, days int, at time.Time, extra []PricePeriod) (map[int64]LookbackLow, error) {
	out := make(map[int64]LookbackLow, len(skuIDs))
	if len(skuIDs) == 0 {
		return out, nil
	}
	args := map[string]any{"ids": int64Array(skuIDs), "asof": at, "days": days}
	source := "price_history"
	if len(extra) > 0 {
		var xs, xp, xf, xt []string
		for _, p := range extra {
			to := "NULL"
			if p.ValidTo != nil {
				to = p.ValidTo.UTC().Format(time.RFC3339Nano)
			}
			xs, xp = append(xs, strconv.FormatInt(p.SKUID, 10)), append(xp, p.Price.String())
			xf, xt = append(xf, p.ValidFrom.UTC().Format(time.RFC3339Nano)), append(xt, to)
		}
		args["xs"], args["xp"] = "{"+strings.Join(xs, ",")+"}", "{"+strings.Join(xp, ",")+"}"
		args["xf"], args["xt"] = "{"+strings.Join(xf, ",")+"}", "{"+strings.Join(xt, ",")+"}"
		source = `(SELECT sku_id, price, valid_from, valid_to FROM price_history
			UNION ALL SELECT * FROM unnest(CAST(@xs AS bigint[]), CAST(@xp AS numeric[]), CAST(@xf AS timestamptz[]), CAST(@xt AS timestamptz[]))
				AS x(sku_id, price, valid_from, valid_to))`
	}
	var rows []LookbackLow
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT ON (ph.sku_id) ph.sku_id, ph.price,
			LEAST(COALESCE(ph.valid_to, @asof), @asof) AS low_at
		FROM `+source+` ph
		WHERE ph.sku_id = ANY(CAST(@ids AS bigint[])) AND `+lookbackWindowSQL+`
		ORDER BY ph.sku_id, ph.price, ph.valid_from DESC`, args).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SKUID] = r
	}
	return out, nil
}

// ProductRow is one line of the seller's catalogue.
type ProductRow struct {
	ID         int64
	PID        string `gorm:"column:pid"`
	Title      string
	Category   string
	SKUCount   int `gorm:"column:sku_count"`
	MinPrice   decimal.Decimal
	MaxPrice   decimal.Decimal
	TotalStock int
}

// ProductPage is a page of the catalogue.
type ProductPage struct {
	Rows    []ProductRow
	Total   int
	Page    int
	PerPage int
}

// ShopProducts lists a shop's products, searched by title or PID.
func (s *Store) ShopProducts(ctx context.Context, shopID int64, query string, page, perPage int) (ProductPage, error) {
	if page < 1 {
		page = 1
	}
	out := ProductPage{Page: page, PerPage: perPage}
	base := s.db.WithContext(ctx).Table("products p").Where("p.shop_id = ?", shopID)
	if q := strings.TrimSpace(query); q != "" {
		base = base.Where("(p.title ILIKE ? OR p.pid = ?)", "%"+escapeLike(q)+"%", q)
	}
	var total int64
	if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return out, err
	}
	out.Total = int(total)
	err := base.Session(&gorm.Session{}).
		Select(`p.id, p.pid, p.title, cat.name AS category,
			count(s.id) AS sku_count, min(s.retail_price) AS min_price, max(s.retail_price) AS max_price,
			COALESCE(sum(s.stock), 0) AS total_stock`).
		Joins("JOIN categories cat ON cat.id = p.category_id").
		Joins("LEFT JOIN skus s ON s.product_id = p.id AND s.deleted_at IS NULL").
		Group("p.id, cat.name").Order("p.title, p.id").
		Limit(perPage).Offset((page - 1) * perPage).Scan(&out.Rows).Error
	return out, err
}

// SKUDetail is a SKU with its lookback low and recent price history.
type SKUDetail struct {
	SKU
	Low     *LookbackLow
	History []PricePeriod
}

// ProductDetail is a product with its SKUs.
type ProductDetail struct {
	Product  Product
	Category string
	SKUs     []SKUDetail
}

// ShopProduct loads one product of the shop; another shop's product is
// ErrNotFound. Lookback lows use the given window.
func (s *Store) ShopProduct(ctx context.Context, shopID, productID int64, lookbackDays int, now time.Time) (ProductDetail, error) {
	db := s.db.WithContext(ctx)
	var d ProductDetail
	err := db.Where("id = ? AND shop_id = ?", productID, shopID).Take(&d.Product).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	if err := db.Table("categories").Where("id = ?", d.Product.CategoryID).Pluck("name", &d.Category).Error; err != nil {
		return d, err
	}
	var skus []SKU
	if err := db.Where("product_id = ? AND shop_id = ? AND deleted_at IS NULL", productID, shopID).
		Order("id").Find(&skus).Error; err != nil {
		return d, err
	}
	ids := make([]int64, len(skus))
	for i, sk := range skus {
		ids[i] = sk.ID
	}
	lows, err := s.LookbackLows(ctx, ids, lookbackDays, now)
	if err != nil {
		return d, err
	}
	var history []PricePeriod
	if err := db.Where("sku_id IN ? AND (valid_to IS NULL OR valid_to > ?)", ids, now.AddDate(0, 0, -120)).
		Order("sku_id, valid_from DESC").Find(&history).Error; err != nil {
		return d, err
	}
	bySKU := map[int64][]PricePeriod{}
	for _, h := range history {
		bySKU[h.SKUID] = append(bySKU[h.SKUID], h)
	}
	for _, sk := range skus {
		det := SKUDetail{SKU: sk, History: bySKU[sk.ID]}
		if low, ok := lows[sk.ID]; ok {
			det.Low = &low
		}
		d.SKUs = append(d.SKUs, det)
	}
	return d, nil
}

// int64Array writes ids as a PostgreSQL array literal: one parameter
// however many ids (the protocol allows at most 65,535 parameters).
func int64Array(ids []int64) string {
	b := make([]byte, 0, len(ids)*8+2)
	b = append(b, '{')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, '}'))
}
