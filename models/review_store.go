package models

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ReviewQueueRow is one pending registration in the reviewer queue.
type ReviewQueueRow struct {
	RegistrationID int64
	ShopID         int64
	ShopName       string
	CampaignID     int64
	CampaignName   string
	SubmittedAt    time.Time
	DueAt          time.Time
	Overdue        bool
	DueSoon        bool // due within a day, not late yet
	Products       int  // pending products
	SKUs           int  // SKUs of the pending products
	AboveMax       int  // of those, priced above their maximum as of now
}

// pendingSKU is a SKU awaiting review, with what the live check needs.
type pendingSKU struct {
	RegistrationID        int64
	RegistrationProductID int64
	CampaignID            int64
	SKUID                 int64 `gorm:"column:sku_id"`
	Tier                  Tier
	CampaignPrice         decimal.NullDecimal
	RetailNow             decimal.Decimal
}

// ReviewQueue lists every pending registration, the oldest due first,
// each with its pending products and SKUs and how many of those SKUs are
// priced above the maximum their lookback low allows now. The queue page
// uses ReviewQueuePage, which does this for one page.
func (s *Store) ReviewQueue(ctx context.Context, now time.Time) ([]ReviewQueueRow, error) {
	var rows []struct {
		ReviewQueueRow
		ReviewDueAt time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT r.id AS registration_id, r.shop_id, sh.name AS shop_name, r.campaign_id, c.name AS campaign_name,
			r.submitted_at, r.review_due_at
		FROM registrations r
		JOIN shops sh ON sh.id = r.shop_id
		JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.status = 'pending'
		ORDER BY r.review_due_at, r.id`).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	out := make([]ReviewQueueRow, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ReviewQueueRow
		out[i].DueAt = r.ReviewDueAt
		out[i].Overdue = ReviewOverdue(r.ReviewDueAt, now)
		out[i].DueSoon = ReviewDueSoon(r.ReviewDueAt, now)
		ids[i] = r.RegistrationID
	}
	skus, err := s.pendingSKUsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	limits, err := s.liveLimits(ctx, skus, now)
	if err != nil {
		return nil, err
	}
	tallyQueueRows(out, skus, limits)
	return out, nil
}

// liveLimits recomputes, for each SKU (by position), its lookback low over
// its campaign's window as of now and the tier's maximum price: one
// lookback query per distinct window length.
func (s *Store) liveLimits(ctx context.Context, skus []pendingSKU, now time.Time) ([]LiveLimit, error) {
	out := make([]LiveLimit, len(skus))
	if len(skus) == 0 {
		return out, nil
	}
	var campaignIDs []int64
	for _, sk := range skus {
		if !slices.Contains(campaignIDs, sk.CampaignID) {
			campaignIDs = append(campaignIDs, sk.CampaignID)
		}
	}
	var campaigns []Campaign
	if err := s.db.WithContext(ctx).Where("id IN ?", campaignIDs).Preload("Tiers").Find(&campaigns).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]Campaign, len(campaigns))
	idsByDays := map[int][]int64{}
	for _, c := range campaigns {
		byID[c.ID] = c
	}
	for _, sk := range skus {
		d := byID[sk.CampaignID].LookbackDays
		idsByDays[d] = append(idsByDays[d], sk.SKUID)
	}
	lows := map[int]map[int64]LookbackLow{}
	for days, ids := range idsByDays {
		l, err := s.LookbackLows(ctx, ids, days, now)
		if err != nil {
			return nil, err
		}
		lows[days] = l
	}
	for k, sk := range skus {
		c := byID[sk.CampaignID]
		out[k] = LiveMaxPrice(c.Rule(sk.Tier), lows[c.LookbackDays][sk.SKUID], sk.RetailNow, now)
	}
	return out, nil
}

// ReviewSKU is one SKU on the review page: what the seller entered, the
// limits at submit, and the limits now.
type ReviewSKU struct {
	ID             int64 // registration SKU id
	SKUID          int64
	SKUCode        string
	Attributes     string
	RetailPrice    decimal.Decimal // at submit
	CampaignPrice  decimal.NullDecimal
	CampaignStock  *int
	AvailableStock int // at submit
	StockNow       int
	LowAtSubmit    decimal.Decimal
	MaxAtSubmit    decimal.Decimal
	Live           LiveLimit
	AboveLiveMax   bool
	StockShort     bool   // campaign stock above the stock the shop has now
	RaisedFlag     string // RetailRaisedFlag: the retail price raised before submitting, in words
	CostFlag       string // CostFloorFlag: the campaign price below the shop's cost of goods
	FloorFlag      string // BuyerFloorFlag: the stacked buyer price below the campaign's floor
	KeptOut        string // the reason a reviewer kept this SKU out of its registered product; "" when in
}

// ReviewProduct is a product of the registration with its SKUs.
type ReviewProduct struct {
	ID               int64 // registration product id
	ProductID        int64
	PID              string `gorm:"column:pid"`
	Title            string
	Tier             Tier
	ExtraDiscountPct decimal.NullDecimal
	Status           ProductStatus
	DecisionReason   string
	SKUs             []ReviewSKU `gorm:"-"`
}

// ReviewDecisionEntry is one audited decision.
type ReviewDecisionEntry struct {
	ID           int64
	ReviewerName string
	Decision     Decision
	ReasonCode   string
	ReasonText   string
	DecidedAt    time.Time
	Product      string // "Title (PID …)"; "" for decisions made before per-product review
	SKU          string // the SKU's code for a decision on one SKU; "" for the whole product
	Bulk         bool   // made by a bulk action across the queue
}

// ReviewDetail is everything a reviewer sees to decide a registration.
type ReviewDetail struct {
	Registration  Registration
	Shop          Shop
	Campaign      Campaign
	DueAt         time.Time
	Overdue       bool
	DecidedByName string
	Products      []ReviewProduct // every submitted product; the decision applies to the pending ones
	PendingSKUs   int
	AboveMax      int // pending SKUs above their maximum now
	SKUsOut       int // SKUs kept out of products in the campaign
	History       []ReviewDecisionEntry
	PrevID        int64 // the pending registration before this one in the queue (due order), 0 for none
	NextID        int64 // and after it
}

// ReviewRegistration loads a submitted registration for its reviewer; a
// draft is not for reviewers and is ErrNotFound like a missing one.
func (s *Store) ReviewRegistration(ctx context.Context, regID int64, now time.Time) (ReviewDetail, error) {
	db := s.db.WithContext(ctx)
	var d ReviewDetail
	err := db.Where("id = ? AND status <> 'draft'", regID).Take(&d.Registration).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	reg := d.Registration
	if err := db.Where("id = ?", reg.ShopID).Take(&d.Shop).Error; err != nil {
		return d, err
	}
	if d.Campaign, err = s.CampaignWithRules(ctx, reg.CampaignID); err != nil {
		return d, err
	}
	if reg.SubmittedAt != nil {
		d.DueAt = ReviewDueAt(*reg.SubmittedAt)
		d.Overdue = reg.Status == RegistrationPending && ReviewOverdue(d.DueAt, now)
	}
	if reg.DecidedBy != nil {
		if err := db.Raw(`SELECT display_name FROM users WHERE id = ?`, *reg.DecidedBy).Scan(&d.DecidedByName).Error; err != nil {
			return d, err
		}
	}
	if err := db.Raw(`SELECT rp.id, rp.product_id, p.pid, p.title, rp.tier, rp.extra_discount_pct, rp.status, rp.decision_reason
		FROM registration_products rp JOIN products p ON p.id = rp.product_id
		WHERE rp.registration_id = ? AND rp.status <> 'draft'
		ORDER BY (rp.status = 'pending') DESC, p.title, rp.id`, regID).Scan(&d.Products).Error; err != nil {
		return d, err
	}
	var skus []struct {
		ID, RegistrationProductID  int64
		SKUID                      int64  `gorm:"column:sku_id"`
		SKUCode                    string `gorm:"column:sku_code"`
		Attributes                 string
		Tier                       Tier
		RetailPrice, RetailNow     decimal.Decimal
		LowAtSubmit, MaxAtSubmit   decimal.Decimal
		CampaignPrice, CostOfGoods decimal.NullDecimal
		CampaignStock              *int
		AvailableStock, StockNow   int
		RejectedAt                 *time.Time
		RejectionReason            string
	}
	if err := db.Raw(`SELECT rs.id, rs.sku_id, rs.registration_product_id, s.sku_code, s.attributes, rp.tier,
			rs.retail_price, s.retail_price AS retail_now, rs.lookback_low AS low_at_submit, rs.max_price AS max_at_submit,
			rs.campaign_price, rs.campaign_stock, rs.available_stock, s.stock AS stock_now, s.cost_of_goods,
			rs.rejected_at, rs.rejection_reason
		FROM registration_skus rs
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN skus s ON s.id = rs.sku_id
		WHERE rs.registration_id = ? AND rp.status <> 'draft'
		ORDER BY rs.registration_product_id, s.id`, regID).Scan(&skus).Error; err != nil {
		return d, err
	}
	check := make([]pendingSKU, len(skus))
	for i, sk := range skus {
		check[i] = pendingSKU{RegistrationID: regID, RegistrationProductID: sk.RegistrationProductID, CampaignID: reg.CampaignID,
			SKUID: sk.SKUID, Tier: sk.Tier, CampaignPrice: sk.CampaignPrice, RetailNow: sk.RetailNow}
	}
	limits, err := s.liveLimits(ctx, check, now)
	if err != nil {
		return d, err
	}
	skuIDs := make([]int64, len(skus))
	for i, sk := range skus {
		skuIDs[i] = sk.SKUID
	}
	before, err := s.retailBefore(ctx, skuIDs, reg.SubmittedAt)
	if err != nil {
		return d, err
	}
	idx := make(map[int64]int, len(d.Products))
	for i, p := range d.Products {
		idx[p.ID] = i
	}
	for k, sk := range skus {
		row := ReviewSKU{ID: sk.ID, SKUID: sk.SKUID, SKUCode: sk.SKUCode, Attributes: sk.Attributes, RetailPrice: sk.RetailPrice,
			CampaignPrice: sk.CampaignPrice, CampaignStock: sk.CampaignStock, AvailableStock: sk.AvailableStock, StockNow: sk.StockNow,
			LowAtSubmit: sk.LowAtSubmit, MaxAtSubmit: sk.MaxAtSubmit, Live: limits[k]}
		i, ok := idx[sk.RegistrationProductID]
		if !ok {
			continue
		}
		// Only what is being decided is flagged: a withdrawn or registered
		// product's price is not the reviewer's question now.
		if d.Products[i].Status == ProductPending {
			row.AboveLiveMax = row.Live.AboveMax(row.CampaignPrice)
			row.StockShort = row.CampaignStock != nil && *row.CampaignStock > row.StockNow
			row.RaisedFlag = RetailRaisedFlag(before[sk.SKUID], sk.RetailPrice)
			row.CostFlag = CostFloorFlag(sk.CampaignPrice, sk.CostOfGoods)
			if sk.CampaignPrice.Valid {
				row.FloorFlag = BuyerFloorFlag(StackBuyerPrice(sk.CampaignPrice.Decimal, d.Products[i].ExtraDiscountPct, d.Campaign.Coupons),
					sk.RetailPrice, d.Campaign.BuyerPriceFloorPct)
			}
		} else if st := d.Products[i].Status; sk.RejectedAt != nil && (st == ProductRegistered || st == ProductSKUError) {
			row.KeptOut = sk.RejectionReason
			d.SKUsOut++
		}
		d.Products[i].SKUs = append(d.Products[i].SKUs, row)
		if d.Products[i].Status == ProductPending {
			d.PendingSKUs++
			if row.AboveLiveMax {
				d.AboveMax++
			}
		}
	}
	err = db.Raw(`SELECT d.id, u.display_name AS reviewer_name, d.decision, d.reason_code, d.reason_text, d.decided_at,
			COALESCE(p.title || ' (PID ' || p.pid || ')', '') AS product, COALESCE(s.sku_code, '') AS sku, d.bulk
		FROM review_decisions d JOIN users u ON u.id = d.reviewer_id
		LEFT JOIN registration_products rp ON rp.id = d.registration_product_id LEFT JOIN products p ON p.id = rp.product_id
		LEFT JOIN registration_skus rs ON rs.id = d.registration_sku_id LEFT JOIN skus s ON s.id = rs.sku_id
		WHERE d.registration_id = ? ORDER BY d.decided_at DESC, d.id DESC`, regID).Scan(&d.History).Error
	if err != nil {
		return d, err
	}
	d.PrevID, d.NextID, err = s.queueNeighbours(ctx, reg)
	return d, err
}

// queueNeighbours finds the pending registrations just before and after
// reg in the queue's order (due moment, then id), for next and previous.
func (s *Store) queueNeighbours(ctx context.Context, reg Registration) (prev, next int64, err error) {
	if reg.ReviewDueAt == nil {
		return 0, 0, nil
	}
	db := s.db.WithContext(ctx)
	if err := db.Raw(`SELECT id FROM registrations WHERE status = 'pending' AND (review_due_at, id) < (?, ?)
		ORDER BY review_due_at DESC, id DESC LIMIT 1`, *reg.ReviewDueAt, reg.ID).Scan(&prev).Error; err != nil {
		return 0, 0, err
	}
	err = db.Raw(`SELECT id FROM registrations WHERE status = 'pending' AND (review_due_at, id) > (?, ?)
		ORDER BY review_due_at, id LIMIT 1`, *reg.ReviewDueAt, reg.ID).Scan(&next).Error
	return prev, next, err
}

// retailBefore is each SKU's retail price in effect RaiseLookbackDays
// before submission (none when a sale ran then, or the SKU was newer).
func (s *Store) retailBefore(ctx context.Context, skuIDs []int64, submitted *time.Time) (map[int64]decimal.NullDecimal, error) {
	out := map[int64]decimal.NullDecimal{}
	if submitted == nil || len(skuIDs) == 0 {
		return out, nil
	}
	at := submitted.AddDate(0, 0, -RaiseLookbackDays)
	var rows []struct {
		SKUID int64 `gorm:"column:sku_id"`
		Price decimal.Decimal
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT sku_id, price FROM price_history
		WHERE sku_id IN ? AND source = 'retail' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, skuIDs, at, at).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SKUID] = decimal.NewNullDecimal(r.Price)
	}
	return out, nil
}
