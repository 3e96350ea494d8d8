package models

import (
	"github.com/shopspring/decimal"
)

// Problem is one thing wrong with a SKU or product in a registration. A
// set of problems is a bit mask, so rows can be filtered by kind in SQL.
type Problem int

// The problems a seller can fix in the price table.
const (
	ProblemPriceMissing Problem = 1 << iota
	ProblemPriceAboveMax
	ProblemStockMissing
	ProblemStockAboveAvailable
	ProblemStockBelowMin
	ProblemExtraDiscountBelowMin
	ProblemExtraDiscountPartial
	ProblemExtraDiscountNotAllowed
)

// AllProblems lists every problem, in the order filters show them.
var AllProblems = []Problem{ProblemPriceMissing, ProblemPriceAboveMax, ProblemStockMissing, ProblemStockAboveAvailable,
	ProblemStockBelowMin, ProblemExtraDiscountBelowMin, ProblemExtraDiscountPartial, ProblemExtraDiscountNotAllowed}

// Problems is a set of problems.
type Problems int

// Has reports whether the set contains p.
func (ps Problems) Has(p Problem) bool { return int(ps)&int(p) != 0 }

// List returns the problems in the set, in display order.
func (ps Problems) List() []Problem {
	var out []Problem
	for _, p := range AllProblems {
		if ps.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// Key names a problem in URLs (filters).
func (p Problem) Key() string {
	switch p {
	case ProblemPriceMissing:
		return "price-missing"
	case ProblemPriceAboveMax:
		return "price-too-high"
	case ProblemStockMissing:
		return "stock-missing"
	case ProblemStockAboveAvailable:
		return "stock-above-available"
	case ProblemStockBelowMin:
		return "stock-below-minimum"
	case ProblemExtraDiscountBelowMin:
		return "discount-below-minimum"
	case ProblemExtraDiscountPartial:
		return "discount-partial-skus"
	case ProblemExtraDiscountNotAllowed:
		return "discount-not-allowed"
	}
	return "unknown"
}

// Label is a problem in the seller's words, for filters.
func (p Problem) Label() string {
	switch p {
	case ProblemPriceMissing:
		return "Price missing"
	case ProblemPriceAboveMax:
		return "Price too high"
	case ProblemStockMissing:
		return "Stock missing"
	case ProblemStockAboveAvailable:
		return "Stock above available"
	case ProblemStockBelowMin:
		return "Stock below minimum"
	case ProblemExtraDiscountBelowMin:
		return "Extra discount below minimum"
	case ProblemExtraDiscountPartial:
		return "Extra discount on part of a product"
	case ProblemExtraDiscountNotAllowed:
		return "Extra discount not offered"
	}
	return "Problem"
}

// ProblemByKey finds a problem from its URL key.
func ProblemByKey(key string) (Problem, bool) {
	for _, p := range AllProblems {
		if p.Key() == key {
			return p, true
		}
	}
	return 0, false
}

// TierRule is what a tier asks of a SKU's campaign price and stock.
type TierRule struct {
	Tier           Tier
	MaxPricePct    decimal.Decimal
	RecommendedPct decimal.Decimal
	MinStock       int
}

// Rule returns the campaign's rule for a tier (Regular when it has none
// for the tier asked).
func (c Campaign) Rule(t Tier) TierRule {
	if ct, ok := c.Tier(t); ok {
		return TierRule{Tier: t, MaxPricePct: ct.MaxPricePct, RecommendedPct: ct.RecommendedPct, MinStock: ct.MinStock}
	}
	return TierRule{Tier: TierRegular, MaxPricePct: hundred, RecommendedPct: hundred, MinStock: 1}
}

// pctOfLow is pct% of the lookback low, rounded DOWN to the cent: a price
// must be at or below it, so rounding never lets a price above the rule
// through. A low of $19.99 at 85% is $16.99 (16.9915).
func pctOfLow(low, pct decimal.Decimal) decimal.Decimal {
	v := percentOf(low, pct).RoundFloor(2)
	if !v.IsPositive() {
		return decimal.New(1, -2)
	}
	return v
}

// MaxPrice is the highest campaign price the tier allows for a SKU.
func (r TierRule) MaxPrice(low decimal.Decimal) decimal.Decimal { return pctOfLow(low, r.MaxPricePct) }

// RecommendedPrice is the price the portal suggests for a SKU.
func (r TierRule) RecommendedPrice(low decimal.Decimal) decimal.Decimal {
	return pctOfLow(low, r.RecommendedPct)
}

// SKUEntry is what a seller entered for one SKU, against its snapshot.
type SKUEntry struct {
	CampaignPrice  decimal.NullDecimal
	CampaignStock  *int
	MaxPrice       decimal.Decimal
	AvailableStock int
	ReservedStock  int
}

// CheckSKU finds the problems of one SKU's entry. A price equal to the
// maximum passes; a cent above fails.
func CheckSKU(e SKUEntry, r TierRule) Problems {
	var ps Problems
	switch {
	case !e.CampaignPrice.Valid:
		ps |= Problems(ProblemPriceMissing)
	case CheckCampaignPrice(e.CampaignPrice.Decimal, PriceLimit{Max: e.MaxPrice}) != nil:
		ps |= Problems(ProblemPriceAboveMax)
	}
	if e.CampaignStock == nil {
		return ps | Problems(ProblemStockMissing)
	}
	switch CheckCampaignStock(*e.CampaignStock, r.StockLimit(e.AvailableStock).WithReserved(e.ReservedStock)).code() {
	case CodeStockAboveAvailable:
		ps |= Problems(ProblemStockAboveAvailable)
	case CodeStockBelowMin:
		ps |= Problems(ProblemStockBelowMin)
	}
	return ps
}

// ExtraDiscountTerms are the campaign's extra discount settings.
type ExtraDiscountTerms struct {
	Allowed bool
	MinPct  decimal.NullDecimal
}

// ExtraDiscount returns the campaign's extra discount settings.
func (c Campaign) ExtraDiscount() ExtraDiscountTerms {
	return ExtraDiscountTerms{Allowed: c.ExtraDiscountAllowed, MinPct: c.ExtraDiscountMinPct}
}

// CheckExtraDiscount finds the problems of a product's extra discount:
// blank means none; 0% or below the minimum is refused; it needs every SKU
// of the product registered.
func CheckExtraDiscount(pct decimal.NullDecimal, t ExtraDiscountTerms, registeredSKUs, productSKUs int) Problems {
	if !pct.Valid {
		return 0
	}
	var ps Problems
	if !t.Allowed {
		return Problems(ProblemExtraDiscountNotAllowed)
	}
	if !pct.Decimal.IsPositive() || CheckExtraDiscountTerms(pct.Decimal, t) != nil {
		ps |= Problems(ProblemExtraDiscountBelowMin)
	}
	if registeredSKUs < productSKUs {
		ps |= Problems(ProblemExtraDiscountPartial)
	}
	return ps
}

// UnitProfit is the profit preview of one unit sold at the campaign price.
type UnitProfit struct {
	CampaignPrice decimal.Decimal
	ExtraDiscount decimal.Decimal // money off the campaign price
	SellingPrice  decimal.Decimal // what the shopper pays before coupons
	Fee           decimal.Decimal // campaign service fee on the selling price
	CouponWorst   decimal.Decimal // the seller's share of the costliest co-funded coupon, at its maximum
	Keep          decimal.Decimal // what the seller keeps
}

// PreviewUnit works out, for one unit at a campaign price, what the seller
// keeps in the worst case: the extra discount, the campaign service fee on
// the discounted price (shipping aside), and the seller's share of the one
// co-funded coupon that costs them most, charged whole to this unit and
// stopped at the coupon's maximum seller funding.
func PreviewUnit(price decimal.Decimal, extraPct decimal.NullDecimal, feeRate decimal.Decimal, coupons []Coupon) UnitProfit {
	u := UnitProfit{CampaignPrice: price, ExtraDiscount: ExtraDiscountAmount(price, extraPct)}
	u.SellingPrice = price.Sub(u.ExtraDiscount)
	u.Fee = CampaignServiceFee(feeRate, u.SellingPrice, decimal.Zero, decimal.Zero)
	for _, c := range coupons {
		if !c.CoFunded() {
			continue
		}
		t := c.Terms()
		if seller := SplitDiscount(t, CouponDiscount(t, u.SellingPrice)).SellerShare; seller.GreaterThan(u.CouponWorst) {
			u.CouponWorst = seller
		}
	}
	u.Keep = u.SellingPrice.Sub(u.Fee).Sub(u.CouponWorst)
	return u
}

// BelowLowPct is how far below the lookback low the tier's maximum lies,
// in percent (15 for a maximum of 85%); 0 when at the low.
func (r TierRule) BelowLowPct() decimal.Decimal {
	return decimal.Max(hundred.Sub(r.MaxPricePct), decimal.Zero)
}

// RecommendedBelowLowPct is how far below the low the recommended price is.
func (r TierRule) RecommendedBelowLowPct() decimal.Decimal {
	return decimal.Max(hundred.Sub(r.RecommendedPct), decimal.Zero)
}
