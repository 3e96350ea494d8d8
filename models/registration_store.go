package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DeadlinePassedError refuses a registration change after the deadline.
type DeadlinePassedError struct {
	Deadline time.Time
	Timezone string
}

func (e *DeadlinePassedError) Error() string {
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return "Registration closed at the deadline, " + e.Deadline.In(loc).Format("Mon, Jan 2, 2006, 3:04 PM MST") + "."
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *DeadlinePassedError) Is(target error) bool { return target == ErrConflict }

// NotEligibleError refuses a registration from a shop that does not meet
// the criteria.
type NotEligibleError struct{ Reasons []string }

func (e *NotEligibleError) Error() string {
	return "your shop does not meet the criteria: " + strings.Join(e.Reasons, "; ")
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *NotEligibleError) Is(target error) bool { return target == ErrForbidden }

// OpenDraft returns the shop's registration for a campaign, creating it as
// a draft on the first visit. The campaign must be open and the shop
// eligible.
func (s *Store) OpenDraft(ctx context.Context, shop Shop, campaignID int64, now time.Time) (Registration, Campaign, error) {
	sc, err := s.SellerCampaign(ctx, shop, campaignID)
	if err != nil {
		return Registration{}, Campaign{}, err
	}
	c := sc.Campaign
	if err := checkOpen(c, now); err != nil {
		return Registration{}, c, err
	}
	if !sc.Eligibility.Eligible {
		return Registration{}, c, &NotEligibleError{Reasons: sc.Eligibility.Reasons}
	}
	if sc.Registration != nil {
		return *sc.Registration, c, nil
	}
	var reg Registration
	err = s.db.WithContext(ctx).Raw(`INSERT INTO registrations (campaign_id, shop_id, status, campaign_version)
		VALUES (?, ?, 'draft', ?) ON CONFLICT (campaign_id, shop_id) DO UPDATE SET campaign_id = excluded.campaign_id
		RETURNING *`, c.ID, shop.ID, c.Version).Scan(&reg).Error
	return reg, c, err
}

func checkOpen(c Campaign, now time.Time) error {
	switch c.PhaseAt(now) {
	case PhaseOpen:
		return nil
	case PhaseUpcoming:
		return &ConflictError{Message: "Registration for this campaign has not opened yet."}
	case PhaseClosed:
		return &ConflictError{Message: "This campaign was closed early; it takes no new registrations."}
	default:
		return &DeadlinePassedError{Deadline: c.RegistrationDeadline, Timezone: c.Timezone}
	}
}

// lockRegistration takes the shop's registration under a row lock, with
// its campaign; another shop's registration is ErrNotFound.
func (s *Store) lockRegistration(tx *gorm.DB, shopID, regID int64) (Registration, Campaign, error) {
	var reg Registration
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND shop_id = ?", regID, shopID).Take(&reg).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return reg, Campaign{}, ErrNotFound
	}
	if err != nil {
		return reg, Campaign{}, err
	}
	// The rules by version, read in this transaction (campaignsCached).
	cs, err := s.campaignsCached(tx, tx.Table("campaigns c").Where("c.id = ?", reg.CampaignID))
	if err != nil {
		return reg, Campaign{}, err
	}
	if len(cs) == 0 {
		return reg, Campaign{}, ErrNotFound
	}
	return reg, cs[0], nil
}

// DraftItem asks to add a product (all its SKUs, or one SKU) to a
// registration, optionally with values to pre-fill.
type DraftItem struct {
	ProductID     int64
	SKUID         int64 // 0: every live SKU of the product
	Price         decimal.NullDecimal
	Stock         *int
	Tier          Tier // "" keeps the product's tier (Regular for new ones)
	ExtraDiscount decimal.NullDecimal
}

// AddToDraft adds products and SKUs of the shop to the registration's
// draft, in one transaction. Every product must be the shop's: one
// foreign id and nothing is added. Items already in the draft keep their
// row; values given here fill them in. It returns how many SKUs are new.
func (s *Store) AddToDraft(ctx context.Context, shopID, regID int64, items []DraftItem, source ItemSource, now time.Time) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	added := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		productIDs := uniqueIDs(items, func(i DraftItem) int64 { return i.ProductID })
		var owned int64
		if err := tx.Table("products").Where("shop_id = ? AND id = ANY(?::bigint[])", shopID, int64Array(productIDs)).Count(&owned).Error; err != nil {
			return err
		}
		if int(owned) != len(productIDs) {
			return ErrNotFound
		}
		var skus []SKU
		if err := tx.Where("shop_id = ? AND product_id = ANY(?::bigint[]) AND deleted_at IS NULL", shopID, int64Array(productIDs)).Order("id").Find(&skus).Error; err != nil {
			return err
		}
		wanted := map[int64]DraftItem{} // sku id -> item
		perProduct := map[int64]DraftItem{}
		for _, it := range items {
			if it.SKUID == 0 {
				perProduct[it.ProductID] = it
			} else {
				wanted[it.SKUID] = it
			}
		}
		var chosen []SKU
		for _, sk := range skus {
			if it, ok := perProduct[sk.ProductID]; ok {
				wanted[sk.ID] = it
			}
			if _, ok := wanted[sk.ID]; ok {
				chosen = append(chosen, sk)
			}
		}
		if len(chosen) != len(wanted) {
			return ErrNotFound // a SKU id that is not one of the product's live SKUs
		}
		ids := make([]int64, len(chosen))
		for i, sk := range chosen {
			ids[i] = sk.ID
		}
		lows, err := s.on(tx).LookbackLows(ctx, ids, c.LookbackDays, now)
		if err != nil {
			return err
		}
		reserved, err := reservedPeaks(tx, ids, c, regID)
		if err != nil {
			return err
		}
		// Products: insert or keep in one statement, then read their ids and
		// tiers. The first item of a product decides its tier and discount.
		first := map[int64]DraftItem{}
		for _, x := range items {
			if _, ok := first[x.ProductID]; !ok {
				first[x.ProductID] = x
			}
		}
		var pids, tiers, asked, extras []string
		for _, pid := range productIDs {
			it := first[pid]
			tier := it.Tier
			if tier == "" {
				tier = TierRegular
			}
			pids = append(pids, strconv.FormatInt(pid, 10))
			tiers = append(tiers, string(tier))
			asked = append(asked, strconv.FormatBool(it.Tier != ""))
			if it.ExtraDiscount.Valid {
				extras = append(extras, it.ExtraDiscount.Decimal.String())
			} else {
				extras = append(extras, "NULL")
			}
		}
		arr := func(xs []string) string { return "{" + strings.Join(xs, ",") + "}" }
		if err := tx.Exec(`INSERT INTO registration_products (registration_id, shop_id, product_id, tier, extra_discount_pct, source)
			SELECT ?, ?, v.pid, v.tier, v.extra, ? FROM unnest(?::bigint[], ?::text[], ?::numeric[]) AS v(pid, tier, extra)
			ON CONFLICT (registration_id, product_id) DO UPDATE SET
				tier = CASE WHEN (SELECT a FROM unnest(?::bigint[], ?::boolean[]) AS t(p, a) WHERE t.p = excluded.product_id)
					AND registration_products.status = 'draft' THEN excluded.tier ELSE registration_products.tier END,
				extra_discount_pct = CASE WHEN registration_products.status = 'draft'
					THEN COALESCE(excluded.extra_discount_pct, registration_products.extra_discount_pct)
					ELSE registration_products.extra_discount_pct END,
				status = CASE WHEN registration_products.status IN ('withdrawn', 'rejected') THEN 'draft' ELSE registration_products.status END,
				updated_at = now()`,
			regID, shopID, source, arr(pids), arr(tiers), arr(extras), arr(pids), arr(asked)).Error; err != nil {
			return err
		}
		var rps []RegistrationProduct
		if err := tx.Where("registration_id = ? AND product_id = ANY(?::bigint[])", regID, int64Array(productIDs)).Find(&rps).Error; err != nil {
			return err
		}
		rpByProduct := map[int64]RegistrationProduct{}
		for _, rp := range rps {
			rpByProduct[rp.ProductID] = rp
		}
		var existing []int64
		if err := tx.Table("registration_skus").Where("registration_id = ? AND sku_id = ANY(?::bigint[])", regID, int64Array(ids)).Pluck("sku_id", &existing).Error; err != nil {
			return err
		}
		have := map[int64]bool{}
		for _, id := range existing {
			have[id] = true
		}
		rows := make([]RegistrationSKU, 0, len(chosen))
		for _, sk := range chosen {
			rp := rpByProduct[sk.ProductID]
			if rp.Status != ProductDraft {
				continue // already submitted: changes go through price edits
			}
			it := wanted[sk.ID]
			row := snapshotSKU(sk, lows[sk.ID], c.Rule(rp.Tier), reserved[sk.ID], now)
			row.RegistrationID, row.RegistrationProductID, row.ShopID = regID, rp.ID, shopID
			row.CampaignPrice, row.CampaignStock = it.Price, it.Stock
			row.Problems = CheckSKU(row.Entry(), c.Rule(rp.Tier))
			if !have[sk.ID] {
				added++
			}
			rows = append(rows, row)
		}
		if len(rows) > 0 {
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "registration_id"}, {Name: "sku_id"}},
				DoUpdates: clause.Set{
					{Column: clause.Column{Name: "campaign_price"}, Value: gorm.Expr("COALESCE(excluded.campaign_price, registration_skus.campaign_price)")},
					{Column: clause.Column{Name: "campaign_stock"}, Value: gorm.Expr("COALESCE(excluded.campaign_stock, registration_skus.campaign_stock)")},
					{Column: clause.Column{Name: "updated_at"}, Value: gorm.Expr("now()")},
				},
			}).CreateInBatches(&rows, 1000).Error
			if err != nil {
				return err
			}
		}
		return recheckDraft(tx, c, regID, productIDs)
	})
	return added, err
}

// snapshotSKU records the rule inputs of a SKU at this moment. A SKU with
// no price in the window falls back to its retail price as the low.
func snapshotSKU(sk SKU, low LookbackLow, r TierRule, reserved int, now time.Time) RegistrationSKU {
	lowPrice, lowAt := low.Price, low.At
	if !lowPrice.IsPositive() {
		lowPrice, lowAt = sk.RetailPrice, now
	}
	return RegistrationSKU{SKUID: sk.ID, SKUVersion: sk.Version, RetailPrice: sk.RetailPrice, LookbackLow: lowPrice,
		LowAt: lowAt, MaxPrice: r.MaxPrice(lowPrice), RecommendedPrice: r.RecommendedPrice(lowPrice),
		AvailableStock: max(sk.Stock-reserved, 0), ReservedStock: min(reserved, sk.Stock)}
}

// recheckDraft recomputes the problems of draft products (and their SKUs'
// limits when the tier changed) for the given products, or all when nil.
func recheckDraft(tx *gorm.DB, c Campaign, regID int64, productIDs []int64) error {
	q := tx.Where("registration_id = ? AND status = 'draft'", regID)
	if productIDs != nil {
		q = q.Where("product_id = ANY(?::bigint[])", int64Array(productIDs))
	}
	var rps []RegistrationProduct
	if err := q.Find(&rps).Error; err != nil {
		return err
	}
	if len(rps) == 0 {
		return nil
	}
	rpIDs := make([]int64, len(rps))
	pIDs := make([]int64, len(rps))
	for i, rp := range rps {
		rpIDs[i], pIDs[i] = rp.ID, rp.ProductID
	}
	var rows []RegistrationSKU
	if err := tx.Where("registration_product_id = ANY(?::bigint[])", int64Array(rpIDs)).Find(&rows).Error; err != nil {
		return err
	}
	var counts []struct {
		ProductID int64
		N         int
	}
	if err := tx.Raw(`SELECT product_id, count(*) AS n FROM skus WHERE product_id = ANY(?::bigint[]) AND deleted_at IS NULL GROUP BY product_id`, int64Array(pIDs)).
		Scan(&counts).Error; err != nil {
		return err
	}
	total := map[int64]int{}
	for _, ct := range counts {
		total[ct.ProductID] = ct.N
	}
	registered := map[int64]int{}
	byRP := map[int64]RegistrationProduct{}
	for _, rp := range rps {
		byRP[rp.ID] = rp
	}
	var changed []RegistrationSKU
	for _, r := range rows {
		rp := byRP[r.RegistrationProductID]
		registered[rp.ID]++
		rule := c.Rule(rp.Tier)
		maxP, rec := rule.MaxPrice(r.LookbackLow), rule.RecommendedPrice(r.LookbackLow)
		r2 := r
		r2.MaxPrice, r2.RecommendedPrice = maxP, rec
		ps := CheckSKU(r2.Entry(), rule)
		if ps != r.Problems || !maxP.Equal(r.MaxPrice) || !rec.Equal(r.RecommendedPrice) {
			r2.Problems = ps
			changed = append(changed, r2)
		}
	}
	if err := updateSKURules(tx, changed); err != nil {
		return err
	}
	for _, rp := range rps {
		ps := CheckExtraDiscount(rp.ExtraDiscountPct, c.ExtraDiscount(), registered[rp.ID], total[rp.ProductID])
		if ps != rp.Problems {
			if err := tx.Exec(`UPDATE registration_products SET problems = ?, updated_at = now() WHERE id = ?`, int(ps), rp.ID).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// updateSKURules writes new limits, entries and problems for many rows in
// one statement.
func updateSKURules(tx *gorm.DB, rows []RegistrationSKU) error {
	for start := 0; start < len(rows); start += 5000 {
		end := min(start+5000, len(rows))
		var ids, maxes, recs, prices, stocks, problems []string
		for _, r := range rows[start:end] {
			ids = append(ids, strconv.FormatInt(r.ID, 10))
			maxes = append(maxes, r.MaxPrice.StringFixed(2))
			recs = append(recs, r.RecommendedPrice.StringFixed(2))
			if r.CampaignPrice.Valid {
				prices = append(prices, r.CampaignPrice.Decimal.StringFixed(2))
			} else {
				prices = append(prices, "NULL")
			}
			if r.CampaignStock != nil {
				stocks = append(stocks, strconv.Itoa(*r.CampaignStock))
			} else {
				stocks = append(stocks, "NULL")
			}
			problems = append(problems, strconv.Itoa(int(r.Problems)))
		}
		arr := func(xs []string) string { return "{" + strings.Join(xs, ",") + "}" }
		err := tx.Exec(`UPDATE registration_skus rs SET max_price = v.max_price, recommended_price = v.rec,
				campaign_price = v.price, campaign_stock = v.stock, problems = v.problems, updated_at = now()
			FROM unnest(?::bigint[], ?::numeric[], ?::numeric[], ?::numeric[], ?::int[], ?::int[])
				AS v(id, max_price, rec, price, stock, problems)
			WHERE rs.id = v.id`, arr(ids), arr(maxes), arr(recs), arr(prices), arr(stocks), arr(problems)).Error
		if err != nil {
			return err
		}
	}
	return nil
}

func uniqueIDs[T any](xs []T, id func(T) int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, x := range xs {
		if v := id(x); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// DraftSKUView is one SKU row of the price table.
type DraftSKUView struct {
	RegistrationSKU
	SKUCode    string `gorm:"column:sku_code"`
	Attributes string
}

// DraftProductView is one product of the price table, with its SKUs.
type DraftProductView struct {
	RegistrationProduct
	PID             string `gorm:"column:pid"`
	Title           string
	ProductSKUCount int
	SKUs            []DraftSKUView `gorm:"-"`
}

// DraftSummary counts the draft: SKUs, products, problems by kind, and the
// profit preview if every SKU's campaign stock sells.
type DraftSummary struct {
	Products, SKUs   int
	ProblemSKUs      int
	ProblemCounts    map[Problem]int
	TotalRevenue     decimal.Decimal
	TotalFees        decimal.Decimal
	TotalCouponWorst decimal.Decimal
	TotalKeep        decimal.Decimal
}

// DraftPage is one page of the price table.
type DraftPage struct {
	Products []DraftProductView
	Summary  DraftSummary
	Total    int // products matching the filter
	Page     int
	PerPage  int
	// Memories: what each priced SKU of the page would do to its floor.
	Memories map[int64]PriceMemory
}

// LoadDraft reads a page of the shop's draft products, filtered to a
// problem kind when filter is not 0, with the summary of the whole draft
// (DraftTable, after reading the registration and its campaign).
func (s *Store) LoadDraft(ctx context.Context, shopID, regID int64, filter Problem, page, perPage int) (DraftPage, Campaign, error) {
	reg, c, err := s.ShopRegistration(ctx, shopID, regID)
	if err != nil {
		return DraftPage{}, c, err
	}
	d, err := s.DraftTable(ctx, shopID, reg, c, filter, page, perPage)
	return d, c, err
}

// UpdateDraftSKU stores what the seller typed for one SKU and returns the
// row with its problems. Only draft products of the shop can change.
func (s *Store) UpdateDraftSKU(ctx context.Context, shopID, regID, rsID int64, price decimal.NullDecimal, stock *int, now time.Time) (RegistrationSKU, error) {
	return s.UpdateDraftSKUKeeping(ctx, shopID, regID, rsID, price, stock, 0, now)
}

// DraftKeep names the fields of a SKU row an update leaves as stored.
type DraftKeep int

const (
	KeepPrice DraftKeep = 1 << iota // the price typed was refused: the stored one stays
	KeepStock                       // the stock typed was refused: the stored one stays
)

// UpdateDraftSKUKeeping is UpdateDraftSKU leaving the fields in keep as
// stored, read under the row's lock: when one field of a row is refused
// the other is still saved, and no concurrent save of the kept field is
// overwritten with a stale value.
func (s *Store) UpdateDraftSKUKeeping(ctx context.Context, shopID, regID, rsID int64, price decimal.NullDecimal, stock *int, keep DraftKeep, now time.Time) (RegistrationSKU, error) {
	var out RegistrationSKU
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		var row RegistrationSKU
		// The row under its lock, with its product's status and tier in
		// the same statement.
		var locked struct {
			RegistrationSKU
			RPStatus ProductStatus `gorm:"column:rp_status"`
			RPTier   Tier          `gorm:"column:rp_tier"`
		}
		res := tx.Raw(`SELECT rs.*, rp.status AS rp_status, rp.tier AS rp_tier
			FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE rs.id = ? AND rs.registration_id = ? AND rs.shop_id = ? FOR UPDATE OF rs`, rsID, regID, shopID).Scan(&locked)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		row = locked.RegistrationSKU
		rp := RegistrationProduct{Status: locked.RPStatus, Tier: locked.RPTier}
		if rp.Status != ProductDraft {
			return &ConflictError{Message: "This SKU is already submitted; change its price with Edit on the manage page."}
		}
		if keep&KeepPrice != 0 {
			price = row.CampaignPrice
		}
		if keep&KeepStock != 0 {
			stock = row.CampaignStock
		}
		row.CampaignPrice, row.CampaignStock = price, stock
		row.Problems = CheckSKU(row.Entry(), c.Rule(rp.Tier))
		if err := tx.Exec(`UPDATE registration_skus SET campaign_price = ?, campaign_stock = ?, problems = ?, updated_at = now() WHERE id = ?`,
			price, stock, int(row.Problems), row.ID).Error; err != nil {
			return err
		}
		out = row
		return nil
	})
	return out, err
}

// UpdateDraftProduct sets a draft product's tier and extra discount; the
// SKUs' maximum and recommended prices follow the tier.
func (s *Store) UpdateDraftProduct(ctx context.Context, shopID, regID, rpID int64, tier Tier, extra decimal.NullDecimal, now time.Time) error {
	if tier != TierFeatured && tier != TierRegular {
		return &ValidationError{Fields: map[string]string{"tier": "Choose Featured or Regular."}}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		var rp RegistrationProduct
		err = tx.Where("id = ? AND registration_id = ? AND shop_id = ?", rpID, regID, shopID).Take(&rp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if rp.Status != ProductDraft {
			return &ConflictError{Message: "This product is already submitted."}
		}
		if err := tx.Exec(`UPDATE registration_products SET tier = ?, extra_discount_pct = ?, updated_at = now() WHERE id = ?`,
			tier, extra, rp.ID).Error; err != nil {
			return err
		}
		return recheckDraft(tx, c, regID, []int64{rp.ProductID})
	})
}

// BulkKind is a bulk action on selected rows of the price table.
type BulkKind string

const (
	BulkPercentOff BulkKind = "percent-off" // campaign price = low × (1 − X%), rounded down
	BulkSetStock   BulkKind = "set-stock"   // campaign stock = N (capped at available)
	BulkStockShare BulkKind = "stock-share" // campaign stock = X% of available, rounded down, at least 1
	BulkRecommend  BulkKind = "use-recommended"
	BulkRemove     BulkKind = "remove"
)

// BulkAction is one bulk action with its value, on SKU rows chosen by id
// or by a problem filter (all draft rows with it when SKUIDs is empty).
type BulkAction struct {
	Kind    BulkKind
	Percent decimal.Decimal
	Stock   int
	SKUIDs  []int64 // registration SKU ids
	Filter  Problem
	All     bool // every draft row
}

// ApplyBulk applies an action to many draft rows in one transaction and
// returns how many rows changed.
func (s *Store) ApplyBulk(ctx context.Context, shopID, regID int64, a BulkAction, now time.Time) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		q := tx.Table("registration_skus rs").Select("rs.*").
			Joins("JOIN registration_products rp ON rp.id = rs.registration_product_id").
			Where("rs.registration_id = ? AND rs.shop_id = ? AND rp.status = 'draft'", regID, shopID)
		switch {
		case len(a.SKUIDs) > 0:
			q = q.Where("rs.id = ANY(?::bigint[])", int64Array(a.SKUIDs))
		case a.Filter != 0:
			q = q.Where("(rs.problems & ? <> 0 OR rp.problems & ? <> 0)", int(a.Filter), int(a.Filter))
		case a.All:
		default:
			return &ValidationError{Fields: map[string]string{"selection": "Select rows first, or filter to a kind of error."}}
		}
		var rows []RegistrationSKU
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(a.SKUIDs) > 0 && len(rows) != len(uniqueIDs(a.SKUIDs, func(x int64) int64 { return x })) {
			return ErrNotFound // an id that is not one of this draft's rows
		}
		if a.Kind == BulkRemove {
			ids := make([]int64, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
			}
			if len(ids) > 0 {
				if err := tx.Exec(`DELETE FROM registration_skus WHERE id = ANY(?::bigint[])`, int64Array(ids)).Error; err != nil {
					return err
				}
				if err := tx.Exec(`DELETE FROM registration_products rp WHERE rp.registration_id = ? AND rp.status = 'draft'
					AND NOT EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.registration_product_id = rp.id)`, regID).Error; err != nil {
					return err
				}
			}
			n = len(ids)
			return recheckDraft(tx, c, regID, nil)
		}
		if err := checkBulk(a); err != nil {
			return err
		}
		for i := range rows {
			r := &rows[i]
			switch a.Kind {
			case BulkPercentOff:
				r.CampaignPrice = decimal.NewNullDecimal(r.LookbackLow.Mul(hundred.Sub(a.Percent)).Div(hundred).RoundFloor(2))
			case BulkRecommend:
				r.CampaignPrice = decimal.NewNullDecimal(r.RecommendedPrice)
			case BulkSetStock:
				v := min(a.Stock, r.AvailableStock)
				if v < 1 {
					r.CampaignStock = nil
				} else {
					r.CampaignStock = &v
				}
			case BulkStockShare:
				v := int(decimal.NewFromInt(int64(r.AvailableStock)).Mul(a.Percent).Div(hundred).IntPart())
				if v < 1 && r.AvailableStock > 0 {
					v = 1
				}
				if v < 1 {
					r.CampaignStock = nil
				} else {
					r.CampaignStock = &v
				}
			}
		}
		n = len(rows)
		if err := updateSKURules(tx, rows); err != nil {
			return err
		}
		return recheckDraft(tx, c, regID, nil)
	})
	return n, err
}

func checkBulk(a BulkAction) error {
	v := &ValidationError{}
	switch a.Kind {
	case BulkPercentOff:
		if a.Percent.IsNegative() || a.Percent.GreaterThanOrEqual(hundred) {
			v.Add("percent", "Enter a percentage from 0 to 99.99.")
		}
	case BulkStockShare:
		if !a.Percent.IsPositive() || a.Percent.GreaterThan(hundred) {
			v.Add("percent", "Enter a share from 1 to 100%.")
		}
	case BulkSetStock:
		if a.Stock < 1 {
			v.Add("stock", "Enter a stock of 1 or more.")
		}
	case BulkRecommend:
	default:
		v.Add("action", "Choose an action.")
	}
	return v.OrNil()
}

// SubmitResult says what a submit did.
type SubmitResult struct {
	Registration Registration
	Products     int
	Replayed     bool // the same submit key was seen before: nothing new happened
}

// SubmitDraft submits the draft products in one transaction: the rules are
// checked again on fresh snapshots, the registration becomes Pending (or
// Registered when the campaign needs no review), and price recommendations
// are recorded. The same key twice (double click, retry) submits once.
func (s *Store) SubmitDraft(ctx context.Context, shop Shop, regID int64, acceptCoupons bool, key string, now time.Time) (SubmitResult, error) {
	var res SubmitResult
	if key == "" || len(key) > 64 {
		return res, &ValidationError{Fields: map[string]string{SubmitFieldForm: SubmitRefusal(SubmitFieldForm, 0)}}
	}
	var refused error
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, c, err := s.lockRegistration(tx, shop.ID, regID)
		if err != nil {
			return err
		}
		if reg.SubmitKey != nil && *reg.SubmitKey == key {
			res.Registration, res.Replayed = reg, true
			return nil
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		c.SubCampaigns = nil
		if elig := CheckEligibility(shop.Standing(), c.EligibilityRules()); !elig.Eligible {
			return &NotEligibleError{Reasons: elig.Reasons}
		}
		v := &ValidationError{}
		if c.CouponsMustBeAccepted && len(c.Coupons) > 0 && !acceptCoupons {
			v.Add(SubmitFieldCoupons, SubmitRefusal(SubmitFieldCoupons, 0))
		}
		// Fresh snapshots: prices and stock may have moved since the SKUs were added.
		var drafts []RegistrationProduct
		if err := tx.Where("registration_id = ? AND status = 'draft'", regID).Find(&drafts).Error; err != nil {
			return err
		}
		if len(drafts) == 0 {
			v.Add(SubmitFieldProducts, SubmitRefusal(SubmitFieldProducts, 0))
			return v
		}
		if err := refreshSnapshots(tx, c, regID, now); err != nil {
			return err
		}
		var bad int64
		if err := tx.Raw(`SELECT count(*) FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE rs.registration_id = ? AND rp.status = 'draft' AND (rs.problems <> 0 OR rp.problems <> 0)`, regID).Scan(&bad).Error; err != nil {
			return err
		}
		if bad > 0 {
			v.Add(SubmitFieldSKUs, SubmitRefusal(SubmitFieldSKUs, int(bad)))
		}
		if err := v.OrNil(); err != nil {
			// Keep the fresh snapshots of the draft (nothing else was
			// written): the price table then shows each row's reason, such as
			// units another campaign reserved meanwhile, beside its field.
			refused = err
			return nil
		}
		status := RegistrationRegistered
		productStatus := ProductRegistered
		if c.ReviewRequired {
			status, productStatus = RegistrationPending, ProductPending
		}
		if reg.Status == RegistrationPending {
			status = RegistrationPending
		}
		var decidedAt any
		if status == RegistrationRegistered {
			decidedAt = now
		}
		if err := tx.Exec(`UPDATE registrations SET status = ?, submitted_at = ?, coupons_accepted_at = COALESCE(coupons_accepted_at, ?),
				submit_key = ?, campaign_version = ?, decided_at = COALESCE(?, decided_at) WHERE id = ?`,
			status, now, acceptedAt(acceptCoupons, now), key, c.Version, decidedAt, regID).Error; err != nil {
			return err
		}
		// A product submitted again starts without the earlier decision,
		// its SKUs' included.
		if err := tx.Exec(`UPDATE registration_skus rs SET rejected_at = NULL, rejected_by = NULL, rejection_code = '', rejection_reason = ''
				FROM registration_products rp WHERE rp.id = rs.registration_product_id AND rp.registration_id = ? AND rp.status = 'draft'
				AND rs.rejected_at IS NOT NULL`, regID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE registration_products SET status = ?, decided_by = NULL, decided_at = NULL, decision_code = '',
				decision_reason = '', updated_at = now() WHERE registration_id = ? AND status = 'draft'`,
			productStatus, regID).Error; err != nil {
			return err
		}
		if err := recordRecommendations(tx, c, regID); err != nil {
			return err
		}
		res.Products = len(drafts)
		return tx.Where("id = ?", regID).Take(&res.Registration).Error
	})
	if err == nil && refused != nil {
		return SubmitResult{}, refused
	}
	return res, err
}

func acceptedAt(accepted bool, now time.Time) any {
	if accepted {
		return now
	}
	return nil
}

// refreshSnapshots re-reads retail prices, stock and lookback lows for the
// draft SKUs and re-checks every row.
func refreshSnapshots(tx *gorm.DB, c Campaign, regID int64, now time.Time) error {
	var rows []RegistrationSKU
	if err := tx.Table("registration_skus rs").Select("rs.*").
		Joins("JOIN registration_products rp ON rp.id = rs.registration_product_id").
		Where("rs.registration_id = ? AND rp.status = 'draft'", regID).Find(&rows).Error; err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.SKUID
	}
	lows, err := NewStore(tx).LookbackLows(tx.Statement.Context, ids, c.LookbackDays, now)
	if err != nil {
		return err
	}
	// The stock is read under the SKUs' row locks: a registration taking the
	// same units waits, then sees what this one reserved.
	if err := lockSKUs(tx, ids); err != nil {
		return err
	}
	reserved, err := reservedPeaks(tx, ids, c, regID)
	if err != nil {
		return err
	}
	var skus []SKU
	if err := tx.Where("id = ANY(?::bigint[])", int64Array(ids)).Find(&skus).Error; err != nil {
		return err
	}
	byID := map[int64]SKU{}
	for _, sk := range skus {
		byID[sk.ID] = sk
	}
	for start := 0; start < len(rows); start += 5000 {
		end := min(start+5000, len(rows))
		var rid, ver, retail, low, lowAt, stock, held []string
		for _, r := range rows[start:end] {
			sk := byID[r.SKUID]
			snap := snapshotSKU(sk, lows[r.SKUID], TierRule{MaxPricePct: hundred, RecommendedPct: hundred}, reserved[r.SKUID], now)
			rid = append(rid, strconv.FormatInt(r.ID, 10))
			ver = append(ver, strconv.Itoa(sk.Version))
			retail = append(retail, sk.RetailPrice.StringFixed(2))
			low = append(low, snap.LookbackLow.StringFixed(2))
			lowAt = append(lowAt, `"`+snap.LowAt.UTC().Format(time.RFC3339Nano)+`"`)
			stock = append(stock, strconv.Itoa(snap.AvailableStock))
			held = append(held, strconv.Itoa(snap.ReservedStock))
		}
		arr := func(xs []string) string { return "{" + strings.Join(xs, ",") + "}" }
		if err := tx.Exec(`UPDATE registration_skus rs SET sku_version = v.ver, retail_price = v.retail, lookback_low = v.low,
				low_at = v.low_at, available_stock = v.stock, reserved_stock = v.held
			FROM unnest(?::bigint[], ?::int[], ?::numeric[], ?::numeric[], ?::timestamptz[], ?::int[], ?::int[])
				AS v(id, ver, retail, low, low_at, stock, held)
			WHERE rs.id = v.id`, arr(rid), arr(ver), arr(retail), arr(low), arr(lowAt), arr(stock), arr(held)).Error; err != nil {
			return err
		}
	}
	// Limits and problems follow the fresh lows.
	return recheckDraft(tx, c, regID, nil)
}

// recordRecommendations suggests one price per submitted SKU: the
// recommended price of the tier the SKU is in, where the campaign price is
// above it (never a rise). One suggestion per SKU: two (one per tier)
// contradicted each other once one was accepted.
func recordRecommendations(tx *gorm.DB, _ Campaign, regID int64) error {
	return tx.Exec(`
		INSERT INTO price_recommendations (registration_id, registration_sku_id, kind, price)
		SELECT rs.registration_id, rs.id, 'recommended', rs.recommended_price
		FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rp.status IN ('pending', 'registered') AND rs.campaign_price > rs.recommended_price
		ON CONFLICT (registration_sku_id, kind) DO NOTHING`, regID).Error
}

// DraftProductOfSKU finds which registration product a registration SKU
// belongs to, within the shop's registration.
func (s *Store) DraftProductOfSKU(ctx context.Context, shopID, regID, rsID int64) (int64, error) {
	var rpID int64
	res := s.db.WithContext(ctx).Raw(`SELECT registration_product_id FROM registration_skus WHERE id = ? AND registration_id = ? AND shop_id = ?`,
		rsID, regID, shopID).Scan(&rpID)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected == 0 {
		return 0, ErrNotFound
	}
	return rpID, nil
}

// Why a submit was refused: the field each reason belongs to (the page
// shows them in a summary at the top and beside the field), and its
// sentence, written once here.
const (
	SubmitFieldCoupons  = "accept_coupons"
	SubmitFieldProducts = "products"
	SubmitFieldSKUs     = "skus"
	SubmitFieldForm     = "form"
)

// SubmitRefusal is the sentence for a refused submit's field; badSKUs
// counts the SKUs that still need attention (SubmitFieldSKUs). "" for an
// unknown field.
func SubmitRefusal(field string, badSKUs int) string {
	switch field {
	case SubmitFieldCoupons:
		return "Accept the campaign coupons to enrol: the campaign requires all of them."
	case SubmitFieldProducts:
		return "Add at least one product before submitting."
	case SubmitFieldSKUs:
		if badSKUs == 1 {
			return "1 SKU still needs attention. Filter the table by error to find it."
		}
		return fmt.Sprintf("%d SKUs still need attention. Filter the table by error to find them.", badSKUs)
	case SubmitFieldForm:
		return "Reload the page and submit again."
	}
	return ""
}
