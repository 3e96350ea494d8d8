package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The standard rejection reasons a rule can answer with a fix.
const (
	ReasonPriceAboveMaximum = "price-above-maximum"
	ReasonStockInsufficient = "stock-insufficient"
)

// RejectionFixable reports whether a reviewer's standard reason is one a
// rule can answer with a value.
func RejectionFixable(code string) bool {
	return code == ReasonPriceAboveMaximum || code == ReasonStockInsufficient
}

// SKUNow is what a rejected SKU's fix is worked out from: its limit and
// its stock as they stand now (the reviewer judged them now, and a product
// registered again is checked on fresh snapshots).
type SKUNow struct {
	Live      LiveLimit // today's lookback low and the tier's maximum on it
	Available int       // the SKU's stock less what other overlapping campaigns hold
	Reserved  int       // held by other overlapping campaigns
}

// RejectionFix is the fix a reviewer's standard reason implies for one SKU
// of a rejected product, from the rule functions the price table uses:
// "price above the maximum" → CheckCampaignPrice's fix on today's limit
// ("Lower to $34.99"); "not enough stock" → CheckCampaignStock's fix on
// the stock available now ("Set stock to 10"). Nil when the reason implies
// no value or the SKU meets the rule now.
func RejectionFix(reasonCode string, rule TierRule, lookbackDays int, sku RegistrationSKU, now SKUNow) *Fix {
	switch reasonCode {
	case ReasonPriceAboveMaximum:
		if !sku.CampaignPrice.Valid {
			return nil
		}
		return FixOf(CheckCampaignPrice(sku.CampaignPrice.Decimal, PriceLimit{Max: now.Live.Max, Low: now.Live.Low,
			Tier: rule.Tier, MaxPricePct: rule.MaxPricePct, LookbackDays: lookbackDays}))
	case ReasonStockInsufficient:
		if sku.CampaignStock == nil {
			return nil
		}
		return FixOf(CheckCampaignStock(*sku.CampaignStock, rule.StockLimit(now.Available).WithReserved(now.Reserved)))
	}
	return nil
}

// skusNow reads, for SKUs of campaign c, today's limit under rule tiers
// and the stock not held by other registrations than regID: three
// statements whatever the number of SKUs.
func skusNow(tx *gorm.DB, c Campaign, regID int64, rows []RegistrationSKU, tierOf func(RegistrationSKU) Tier, now time.Time) (map[int64]SKUNow, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.SKUID
	}
	lows, err := NewStore(tx).LookbackLows(tx.Statement.Context, ids, c.LookbackDays, now)
	if err != nil {
		return nil, err
	}
	reserved, err := reservedPeaks(tx, ids, c, regID)
	if err != nil {
		return nil, err
	}
	var skus []SKU
	if err := tx.Where("id = ANY(?::bigint[])", int64Array(ids)).Find(&skus).Error; err != nil {
		return nil, err
	}
	byID := map[int64]SKU{}
	for _, sk := range skus {
		byID[sk.ID] = sk
	}
	out := make(map[int64]SKUNow, len(rows))
	for _, r := range rows {
		sk, ok := byID[r.SKUID]
		if !ok {
			continue
		}
		held := min(reserved[r.SKUID], sk.Stock)
		out[r.ID] = SKUNow{Live: LiveMaxPrice(c.Rule(tierOf(r)), lows[r.SKUID], sk.RetailPrice, now),
			Available: sk.Stock - held, Reserved: held}
	}
	return out, nil
}

// RejectionFixes are the fixes of the Manage page's rejected products,
// keyed by registration SKU id: only for products rejected with a reason a
// rule answers, from the SKUs as they stand now. No statement when there
// is none.
func (s *Store) RejectionFixes(ctx context.Context, v ManageView, now time.Time) (map[int64]*Fix, error) {
	tiers := map[int64]Tier{}
	codes := map[int64]string{}
	var rows []RegistrationSKU
	for _, p := range v.Products {
		if p.Status != ProductRejected || !RejectionFixable(p.DecisionCode) {
			continue
		}
		for _, sk := range p.SKUs {
			tiers[sk.RegistrationProductID], codes[sk.RegistrationProductID] = p.Tier, p.DecisionCode
			rows = append(rows, sk.RegistrationSKU)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	c := v.Campaign
	tierOf := func(r RegistrationSKU) Tier { return tiers[r.RegistrationProductID] }
	nows, err := skusNow(s.db.WithContext(ctx), c, v.Registration.ID, rows, tierOf, now)
	if err != nil {
		return nil, err
	}
	out := map[int64]*Fix{}
	for _, r := range rows {
		n, ok := nows[r.ID]
		if !ok {
			continue // deleted from the catalogue: nothing to fix
		}
		if f := RejectionFix(codes[r.RegistrationProductID], c.Rule(tierOf(r)), c.LookbackDays, r, n); f != nil {
			out[r.ID] = f
		}
	}
	return out, nil
}

// RegisterAgainFixed puts a rejected product back in the draft with the
// fixes its rejection reason implies, in one transaction: the fixes are
// worked out again from the SKUs as they stand now (the rows locked), the
// product goes back to the draft with every SKU (fixed or as it was) as
// adding products does, and the draft's snapshots are refreshed so the
// price table checks it as the submit will. It returns what changed, in
// words ("SKU-1 lowered to $34.99"). Before the deadline only; a product
// no longer rejected, or one with nothing left to fix, is a conflict.
func (s *Store) RegisterAgainFixed(ctx context.Context, shop Shop, regID, rpID int64, now time.Time) ([]string, error) {
	var changed []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shop.ID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		var rp struct {
			RegistrationProduct
			DecisionCode string `gorm:"column:decision_code"`
		}
		err = tx.Table("registration_products").Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("id = ? AND registration_id = ? AND shop_id = ?", rpID, regID, shop.ID).Take(&rp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if rp.Status != ProductRejected || !RejectionFixable(rp.DecisionCode) {
			return &ConflictError{Message: "This product is no longer rejected for a reason a fix answers; the page shows where it stands."}
		}
		var rows []RegistrationSKU
		if err := tx.Where("registration_product_id = ?", rp.ID).Order("sku_id").Find(&rows).Error; err != nil {
			return err
		}
		nows, err := skusNow(tx, c, regID, rows, func(RegistrationSKU) Tier { return rp.Tier }, now)
		if err != nil {
			return err
		}
		var codes []struct {
			ID      int64
			SKUCode string `gorm:"column:sku_code"`
		}
		if err := tx.Table("skus").Select("id, sku_code").Where("product_id = ?", rp.ProductID).Scan(&codes).Error; err != nil {
			return err
		}
		code := map[int64]string{}
		for _, x := range codes {
			code[x.ID] = x.SKUCode
		}
		items := make([]DraftItem, 0, len(rows))
		for _, r := range rows {
			n, ok := nows[r.ID]
			if !ok {
				continue // deleted since: it does not come back
			}
			it := DraftItem{ProductID: rp.ProductID, SKUID: r.SKUID, Price: r.CampaignPrice, Stock: r.CampaignStock, Tier: rp.Tier}
			if f := RejectionFix(rp.DecisionCode, c.Rule(rp.Tier), c.LookbackDays, r, n); f != nil {
				switch f.Field {
				case FixPrice:
					p, ferr := RequirePrice(f.Value)
					if ferr != nil {
						return ferr
					}
					it.Price.Decimal, it.Price.Valid = p, true
					changed = append(changed, code[r.SKUID]+" lowered to $"+GroupThousands(p.StringFixed(2)))
				case FixStock:
					n, ferr := RequireStock(f.Value)
					if ferr != nil {
						return ferr
					}
					it.Stock = &n
					changed = append(changed, code[r.SKUID]+" stock set to "+f.Value)
				}
			}
			items = append(items, it)
		}
		if len(changed) == 0 {
			return &ConflictError{Message: "Every SKU of this product meets the rule now: add it again from the price table to register it."}
		}
		store := s.on(tx)
		if _, err := store.AddToDraft(ctx, shop.ID, regID, items, rp.Source, now); err != nil {
			return err
		}
		return refreshSnapshots(tx, c, regID, now)
	})
	return changed, err
}

// FixedText says what RegisterAgainFixed changed, for the notice.
func FixedText(changed []string) string {
	return "Back in your draft with the fix: " + strings.Join(changed, ", ") + ". Check it and submit again."
}
