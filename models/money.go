package models

import (
	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// RoundCents rounds to the cent, half away from zero: for the non-negative
// amounts the portal charges this is the "half-up" of the money rules.
func RoundCents(d decimal.Decimal) decimal.Decimal {
	return d.Round(2)
}

// CampaignServiceFee is rate × (campaign gross sales − seller discount +
// customer-paid shipping), rounded to the cent once, at the end.
// Example from the source: 1% × ($100 − $10 + $5) = $0.95.
func CampaignServiceFee(rate, grossSales, sellerDiscount, shippingPaid decimal.Decimal) decimal.Decimal {
	base := grossSales.Sub(sellerDiscount).Add(shippingPaid)
	if base.IsNegative() {
		base = decimal.Zero
	}
	return RoundCents(rate.Mul(base))
}

// CouponType is how a campaign coupon takes money off.
type CouponType string

const (
	CouponFixed   CouponType = "fixed"
	CouponPercent CouponType = "percent"
)

// CouponTerms are the parts of a coupon that decide its cost.
type CouponTerms struct {
	Type             CouponType
	Value            decimal.Decimal // dollars for fixed, percent for percent
	MinPurchase      decimal.Decimal
	Cap              decimal.NullDecimal // percent coupons only
	SellerSharePct   decimal.Decimal
	MaxSellerFunding decimal.NullDecimal
}

// CouponCost is what one order's coupon costs and who pays it.
type CouponCost struct {
	Applies       bool
	Discount      decimal.Decimal
	SellerShare   decimal.Decimal
	PlatformShare decimal.Decimal
}

// SplitCoupon works out the discount a coupon gives on an eligible subtotal
// and splits it by the co-funding ratio. The seller's share stops at the
// maximum seller funding; the platform pays the rest. Example from the
// source: 20% off $100+, max $50, 50/50: $100 -> $20 ($10 + $10); $300 ->
// $50 ($25 + $25).
func SplitCoupon(t CouponTerms, eligibleSubtotal decimal.Decimal) CouponCost {
	if !eligibleSubtotal.IsPositive() || eligibleSubtotal.LessThan(t.MinPurchase) {
		return CouponCost{}
	}
	if t.Type != CouponFixed && t.Type != CouponPercent {
		return CouponCost{}
	}
	return SplitDiscount(t, CouponDiscount(t, eligibleSubtotal))
}

// CouponDiscount is the money a coupon takes off a subtotal, whatever the
// minimum purchase: fixed = min(value, subtotal); percentage =
// min(round(value% × subtotal), cap), multiplied first, divided once.
func CouponDiscount(t CouponTerms, subtotal decimal.Decimal) decimal.Decimal {
	if t.Type == CouponFixed {
		return decimal.Min(t.Value, subtotal)
	}
	discount := RoundCents(percentOf(subtotal, t.Value))
	if t.Cap.Valid && discount.GreaterThan(t.Cap.Decimal) {
		discount = t.Cap.Decimal
	}
	return discount
}

// SplitDiscount splits a coupon's discount by the co-funding ratio: the
// seller's part rounded to the cent and stopped at the maximum seller
// funding, the platform pays the rest.
func SplitDiscount(t CouponTerms, discount decimal.Decimal) CouponCost {
	seller := RoundCents(percentOf(discount, t.SellerSharePct))
	if t.MaxSellerFunding.Valid && seller.GreaterThan(t.MaxSellerFunding.Decimal) {
		seller = t.MaxSellerFunding.Decimal
	}
	return CouponCost{Applies: true, Discount: discount, SellerShare: seller, PlatformShare: discount.Sub(seller)}
}

// ExtraDiscountAmount is the money a product's extra discount takes off a
// campaign price, rounded to the cent (none when blank).
func ExtraDiscountAmount(price decimal.Decimal, pct decimal.NullDecimal) decimal.Decimal {
	if !pct.Valid || !pct.Decimal.IsPositive() {
		return decimal.Zero
	}
	return RoundCents(percentOf(price, pct.Decimal))
}

// FeeExample is the source's worked example of the campaign service fee
// ($100 item, $10 seller discount, $5 shipping) at a campaign's rate,
// computed by the function that charges real orders.
type FeeExample struct {
	ItemPrice, SellerDiscount, AfterDiscount, Shipping, Fee decimal.Decimal
}

// ExampleFee works the example out at rate.
func ExampleFee(rate decimal.Decimal) FeeExample {
	item, disc, ship := decimal.NewFromInt(100), decimal.NewFromInt(10), decimal.NewFromInt(5)
	return FeeExample{ItemPrice: item, SellerDiscount: disc, AfterDiscount: item.Sub(disc), Shipping: ship,
		Fee: CampaignServiceFee(rate, item, disc, ship)}
}

// ExampleCoupon is a coupon at work on an order a seller can check by
// hand: one at the minimum purchase, or $100 when there is none.
func ExampleCoupon(c Coupon) (order decimal.Decimal, cost CouponCost) {
	order = c.MinPurchase
	if !order.IsPositive() {
		order = decimal.NewFromInt(100)
	}
	return order, SplitCoupon(c.Terms(), order)
}

// PercentOf is a share of one (a fee rate of 0.015) in percent (1.5).
func PercentOf(rate decimal.Decimal) decimal.Decimal { return rate.Mul(hundred) }

// percentOf is pct% of x, exactly: x × pct with the decimal point moved
// two places, which is what dividing by 100 does (decimal's Div works to
// 16 places through a big-integer division, a fifth of the price table's
// money CPU in a profile; TestPercentOfIsDivisionByHundred checks both
// agree). Rounding is left to the caller.
func percentOf(x, pct decimal.Decimal) decimal.Decimal { return x.Mul(pct).Shift(-2) }
