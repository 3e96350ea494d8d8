package models

import (
	"context"
	"time"
)

// DecidedFilter searches the audit of review decisions.
type DecidedFilter struct {
	Shop     string    // part of the shop's name
	Campaign string    // part of the campaign's name
	PID      string    // the product id, exactly
	Reviewer string    // part of the reviewer's name
	Day      time.Time // a UTC day; zero for any
	How      string    // DecidedBulk, DecidedOneByOne or "" for both
	Page     int
}

// How a decision was made, for the decided list's filter.
const (
	DecidedBulk     = "bulk"       // by a bulk action across the queue
	DecidedOneByOne = "one-by-one" // on the registration's own page
)

// DecidedPageSize is how many decisions one page of the decided list shows.
const DecidedPageSize = 50

// DecidedRow is one audited decision, with what it was about.
type DecidedRow struct {
	ID             int64
	RegistrationID int64
	ShopName       string
	CampaignName   string
	PID            string `gorm:"column:pid"`
	ProductTitle   string
	ReviewerName   string
	Decision       Decision
	ReasonCode     string
	ReasonText     string
	DecidedAt      time.Time
	SKU            string // the SKU's code for a decision on one SKU; "" for the whole product
	Bulk           bool
}

// DecidedPage is one page of decisions, newest first.
type DecidedPage struct {
	Rows  []DecidedRow
	Total int
	Page  int
	Pages int
}

// DecidedReviews searches every registration's audit: shop, campaign,
// PID, reviewer and day, newest first, one page at a time. Decisions made
// before per-product review name no product.
func (s *Store) DecidedReviews(ctx context.Context, f DecidedFilter) (DecidedPage, error) {
	f.Page = max(f.Page, 1)
	out := DecidedPage{Page: f.Page}
	args := map[string]any{"limit": DecidedPageSize, "offset": (f.Page - 1) * DecidedPageSize}
	from := ` FROM review_decisions d
		JOIN registrations r ON r.id = d.registration_id
		JOIN shops sh ON sh.id = r.shop_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN users u ON u.id = d.reviewer_id
		LEFT JOIN registration_products rp ON rp.id = d.registration_product_id
		LEFT JOIN products p ON p.id = rp.product_id
		LEFT JOIN registration_skus rs ON rs.id = d.registration_sku_id
		LEFT JOIN skus s ON s.id = rs.sku_id
		WHERE true`
	if f.Shop != "" {
		from += ` AND sh.name ILIKE @shop`
		args["shop"] = "%" + escapeLike(f.Shop) + "%"
	}
	if f.Campaign != "" {
		from += ` AND c.name ILIKE @campaign`
		args["campaign"] = "%" + escapeLike(f.Campaign) + "%"
	}
	if f.PID != "" {
		from += ` AND p.pid = @pid`
		args["pid"] = f.PID
	}
	if f.Reviewer != "" {
		from += ` AND u.display_name ILIKE @reviewer`
		args["reviewer"] = "%" + escapeLike(f.Reviewer) + "%"
	}
	switch f.How {
	case DecidedBulk:
		from += ` AND d.bulk`
	case DecidedOneByOne:
		from += ` AND NOT d.bulk`
	}
	if !f.Day.IsZero() {
		day := time.Date(f.Day.Year(), f.Day.Month(), f.Day.Day(), 0, 0, 0, 0, time.UTC)
		from += ` AND d.decided_at >= @day_start AND d.decided_at < @day_end`
		args["day_start"], args["day_end"] = day, day.AddDate(0, 0, 1)
	}
	db := s.db.WithContext(ctx)
	if err := namedRaw(db, "SELECT count(*)"+from, args).Scan(&out.Total).Error; err != nil {
		return out, err
	}
	out.Pages = max(1, (out.Total+DecidedPageSize-1)/DecidedPageSize)
	err := namedRaw(db, `SELECT d.id, d.registration_id, sh.name AS shop_name, c.name AS campaign_name, COALESCE(p.pid, '') AS pid,
			COALESCE(p.title, '') AS product_title, u.display_name AS reviewer_name, d.decision, d.reason_code, d.reason_text, d.decided_at,
			COALESCE(s.sku_code, '') AS sku, d.bulk`+
		from+` ORDER BY d.decided_at DESC, d.id DESC LIMIT @limit OFFSET @offset`, args).Scan(&out.Rows).Error
	return out, err
}
