package models

import (
	"context"
	"database/sql"
	"time"

	"github.com/shopspring/decimal"
)

// The price table is the page sellers keep open while they type: every
// save re-renders rows of it and every refresh reads it whole. It is read
// in two statements on top of the registration and campaign the handler
// already holds: one for the page's products with their SKUs, the filter's
// count and each priced SKU's floor before the campaign (the price
// memory), and one aggregate for the summary of the whole draft. Both are
// scanned field by field: GORM's reflective scan of these wide rows was
// over half of the page's database time in the profile (session 7,
// docs/performance.md).

// draftPageSQL lists one page of draft products with their SKUs. The
// lateral lookback is the price rules' own window (lookbackWindowSQL) at the
// run's end, over the stored history only: the campaign's run itself
// always lies in that window, so the floor with the campaign price is the
// lesser of this one and the price (PriceMemories says the same).
const draftPageSQL = `
	WITH page AS (
		SELECT rp.*, count(*) OVER () AS total
		FROM registration_products rp
		WHERE rp.registration_id = @reg AND rp.shop_id = @shop
		  AND (rp.id = @product OR @product = 0 AND rp.status = 'draft')
		  AND (@filter = 0 OR rp.problems & @filter <> 0 OR EXISTS (SELECT 1 FROM registration_skus f
			WHERE f.registration_product_id = rp.id AND f.problems & @filter <> 0))
		ORDER BY rp.id LIMIT @limit OFFSET @offset)
	SELECT page.total, page.id, page.registration_id, page.shop_id, page.product_id, page.tier, page.extra_discount_pct,
		page.source, page.status, page.problems, page.decision_reason, page.withdrawn_at, page.sku_error_at,
		page.sku_error_reason, page.created_at, page.updated_at,
		p.pid, p.title, (SELECT count(*) FROM skus c WHERE c.product_id = page.product_id AND c.deleted_at IS NULL),
		rs.id, COALESCE(rs.sku_id, 0), COALESCE(rs.sku_version, 0), COALESCE(rs.retail_price, 0), COALESCE(rs.lookback_low, 0),
		COALESCE(rs.low_at, page.created_at), COALESCE(rs.max_price, 0), COALESCE(rs.recommended_price, 0),
		COALESCE(rs.available_stock, 0), COALESCE(rs.reserved_stock, 0), rs.campaign_price, rs.campaign_stock,
		COALESCE(rs.problems, 0), rs.rejected_at, rs.rejected_by, COALESCE(rs.rejection_code, ''),
		COALESCE(rs.rejection_reason, ''), COALESCE(rs.created_at, page.created_at), COALESCE(rs.updated_at, page.created_at),
		COALESCE(s.sku_code, ''), COALESCE(s.attributes, ''), mem.low
	FROM page
	JOIN products p ON p.id = page.product_id
	LEFT JOIN registration_skus rs ON rs.registration_product_id = page.id
	LEFT JOIN skus s ON s.id = rs.sku_id
	LEFT JOIN LATERAL (SELECT min(ph.price) AS low FROM price_history ph
		WHERE rs.campaign_price IS NOT NULL AND ph.sku_id = rs.sku_id AND ` + lookbackWindowSQL + `) mem ON true
	ORDER BY page.id, s.id`

// draftSummarySQL counts the whole draft by what the summary needs: SKUs
// grouped by their problems, price, extra discount, with the campaign
// stock summed; the grand total row (grouping () ) carries the product
// count. Money per group is worked out in Go by the same PreviewUnit as
// each row's preview, times the group's units: exact, since a sum of
// u×nᵢ is u×Σnᵢ.
const draftSummarySQL = `
	SELECT GROUPING(rs.campaign_price) = 1, count(DISTINCT rp.id), count(*),
		(rs.problems | rp.problems), rs.campaign_price, rp.extra_discount_pct, COALESCE(sum(rs.campaign_stock), 0)
	FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
	WHERE rs.registration_id = @reg AND rs.shop_id = @shop AND rp.status = 'draft'
	GROUP BY GROUPING SETS (((rs.problems | rp.problems), rs.campaign_price, rp.extra_discount_pct), ())`

// DraftTable reads one page of the registration's draft for the price
// table, with the summary of the whole draft and the price memory of every
// priced SKU on the page. reg and c are the shop's registration and its
// campaign, as OpenDraft returned them.
func (s *Store) DraftTable(ctx context.Context, shopID int64, reg Registration, c Campaign, filter Problem, page, perPage int) (DraftPage, error) {
	out := DraftPage{Page: max(page, 1), PerPage: perPage}
	args := []any{sql.Named("reg", reg.ID), sql.Named("shop", shopID), sql.Named("filter", int(filter)),
		sql.Named("limit", perPage), sql.Named("offset", (out.Page-1)*perPage), sql.Named("product", 0),
		sql.Named("asof", c.RunEndsAt), sql.Named("days", FloorLookbackDays)}
	var err error
	if out.Products, out.Total, out.Memories, err = s.draftProducts(ctx, c, args); err != nil {
		return out, err
	}
	db := s.db.WithContext(ctx)
	if len(out.Products) == 0 && out.Page > 1 {
		// Past the last page: the count alone, so the pager can lead back.
		var n int64
		err := db.Raw(`SELECT count(*) FROM registration_products rp
			WHERE rp.registration_id = @reg AND rp.shop_id = @shop AND rp.status = 'draft'
			  AND (@filter = 0 OR rp.problems & @filter <> 0 OR EXISTS (SELECT 1 FROM registration_skus f
				WHERE f.registration_product_id = rp.id AND f.problems & @filter <> 0))`, args...).Row().Scan(&n)
		if err != nil {
			return out, err
		}
		out.Total = int(n)
	}
	out.Summary, err = s.draftSummary(ctx, c, reg.ID, shopID)
	return out, err
}

// DraftProduct reads one product of the registration (a draft one, or any
// status when named) with its SKUs and their price memories: the rows a
// save re-renders, in one statement.
func (s *Store) DraftProduct(ctx context.Context, shopID int64, reg Registration, c Campaign, rpID int64) (DraftProductView, map[int64]PriceMemory, error) {
	args := []any{sql.Named("reg", reg.ID), sql.Named("shop", shopID), sql.Named("filter", 0),
		sql.Named("limit", 1), sql.Named("offset", 0), sql.Named("product", rpID),
		sql.Named("asof", c.RunEndsAt), sql.Named("days", FloorLookbackDays)}
	products, _, mem, err := s.draftProducts(ctx, c, args)
	if err != nil {
		return DraftProductView{}, nil, err
	}
	if len(products) == 0 {
		return DraftProductView{}, nil, ErrNotFound
	}
	return products[0], mem, nil
}

// draftProducts runs draftPageSQL: the products in order, each with its
// SKUs, the count of products the filter matches, and the price memory of
// every priced SKU.
func (s *Store) draftProducts(ctx context.Context, c Campaign, args []any) ([]DraftProductView, int, map[int64]PriceMemory, error) {
	var (
		out   []DraftProductView
		total int
		mems  = map[int64]PriceMemory{}
	)
	rows, err := s.db.WithContext(ctx).Raw(draftPageSQL, args...).Rows()
	if err != nil {
		return nil, 0, nil, err
	}
	defer rows.Close()
	until := PriceMemoryUntil(c.RunEndsAt, FloorLookbackDays)
	for rows.Next() {
		var (
			p    DraftProductView
			sk   DraftSKUView
			rsID *int64
			low  decimal.NullDecimal
		)
		if err := rows.Scan(&total, &p.ID, &p.RegistrationID, &p.ShopID, &p.ProductID, &p.Tier, &p.ExtraDiscountPct,
			&p.Source, &p.Status, &p.Problems, &p.DecisionReason, &p.WithdrawnAt, &p.SKUErrorAt,
			&p.SKUErrorReason, &p.CreatedAt, &p.UpdatedAt,
			&p.PID, &p.Title, &p.ProductSKUCount,
			&rsID, &sk.SKUID, &sk.SKUVersion, &sk.RetailPrice, &sk.LookbackLow,
			&sk.LowAt, &sk.MaxPrice, &sk.RecommendedPrice,
			&sk.AvailableStock, &sk.ReservedStock, &sk.CampaignPrice, &sk.CampaignStock,
			&sk.Problems, &sk.RejectedAt, &sk.RejectedBy, &sk.RejectionCode,
			&sk.RejectionReason, &sk.CreatedAt, &sk.UpdatedAt,
			&sk.SKUCode, &sk.Attributes, &low); err != nil {
			return nil, 0, nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			out = append(out, p)
		}
		if rsID == nil {
			continue
		}
		sk.ID, sk.RegistrationID, sk.RegistrationProductID, sk.ShopID = *rsID, p.RegistrationID, p.ID, p.ShopID
		last := &out[len(out)-1]
		last.SKUs = append(last.SKUs, sk)
		if sk.CampaignPrice.Valid {
			mems[sk.SKUID] = priceMemory(sk.SKUID, sk.CampaignPrice.Decimal, low, until)
		}
	}
	return out, total, mems, rows.Err()
}

func (s *Store) draftSummary(ctx context.Context, c Campaign, regID, shopID int64) (DraftSummary, error) {
	sum := DraftSummary{ProblemCounts: map[Problem]int{}}
	rows, err := s.db.WithContext(ctx).Raw(draftSummarySQL, sql.Named("reg", regID), sql.Named("shop", shopID)).Rows()
	if err != nil {
		return sum, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			grand          bool
			products, skus int
			problems       *int
			price, extra   decimal.NullDecimal
			units          int64
		)
		if err := rows.Scan(&grand, &products, &skus, &problems, &price, &extra, &units); err != nil {
			return sum, err
		}
		if grand {
			sum.Products, sum.SKUs = products, skus
			continue
		}
		if ps := Problems(*problems); ps != 0 {
			sum.ProblemSKUs += skus
			for _, p := range ps.List() {
				sum.ProblemCounts[p] += skus
			}
		}
		if price.Valid {
			u := PreviewUnit(price.Decimal, extra, c.FeeRate, c.Coupons)
			n := decimal.NewFromInt(units)
			sum.TotalRevenue = sum.TotalRevenue.Add(u.SellingPrice.Mul(n))
			sum.TotalFees = sum.TotalFees.Add(u.Fee.Mul(n))
			sum.TotalCouponWorst = sum.TotalCouponWorst.Add(u.CouponWorst.Mul(n))
			sum.TotalKeep = sum.TotalKeep.Add(u.Keep.Mul(n))
		}
	}
	return sum, rows.Err()
}

// priceMemory is what a campaign price does to a SKU's floor, given the
// SKU's lowest stored price in the window at the run's end (before; not
// valid when it had none there).
func priceMemory(skuID int64, price decimal.Decimal, before decimal.NullDecimal, until time.Time) PriceMemory {
	m := PriceMemory{SKUID: skuID, Floor: price, Until: until, Days: FloorLookbackDays}
	if before.Valid {
		m.Before = before.Decimal
	}
	m.Sets = !before.Valid || price.LessThan(before.Decimal)
	return m
}
