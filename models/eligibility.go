package models

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// CriterionStatus is a shop's standing on one campaign criterion.
type CriterionStatus string

const (
	CriterionPass CriterionStatus = "pass"
	CriterionFail CriterionStatus = "fail"
	// CriterionAtRegistration is met while registering (coupons accepted,
	// prices set), not by the shop's settings.
	CriterionAtRegistration CriterionStatus = "at-registration"
)

// CriterionKey names a campaign criterion.
type CriterionKey string

const (
	CriterionSPS           CriterionKey = "sps"
	CriterionFreeShipping  CriterionKey = "free-shipping"
	CriterionCoupons       CriterionKey = "coupons"
	CriterionPriceLookback CriterionKey = "price-lookback"
)

// Criterion is one line of the eligibility check, in the seller's words.
type Criterion struct {
	Key         CriterionKey
	Title       string
	Requirement string
	YourShop    string
	Status      CriterionStatus
}

// Eligibility is the whole check for one shop and one campaign.
type Eligibility struct {
	Criteria []Criterion
	Eligible bool
	// Reasons lists, briefly, why the shop is not eligible.
	Reasons []string
}

// EligibilityRules are the campaign settings the check reads.
type EligibilityRules struct {
	MinSPS                   decimal.Decimal
	AllowNoSPS               bool
	FreeShippingRequired     bool
	MaxFreeShippingThreshold decimal.NullDecimal
	CouponsMustBeAccepted    bool
	CouponCount              int
	LookbackDays             int
}

// ShopStanding is what the check reads from the shop.
type ShopStanding struct {
	SPS                   decimal.NullDecimal
	FreeShipping          bool
	FreeShippingThreshold decimal.NullDecimal
}

// CheckEligibility decides, criterion by criterion, whether a shop may
// register for a campaign. SPS passes at or above the minimum (3.50 passes
// a 3.50 minimum), or with no SPS yet when the campaign allows it. Free
// shipping passes when offered with a threshold at or below the maximum
// ($30.00 passes a $30.00 maximum; free shipping on every order counts as a
// $0 threshold). Coupons and prices are accepted and set while registering.
func CheckEligibility(shop ShopStanding, r EligibilityRules) Eligibility {
	var e Eligibility
	add := func(c Criterion, reason string) {
		e.Criteria = append(e.Criteria, c)
		if c.Status == CriterionFail {
			e.Reasons = append(e.Reasons, reason)
		}
	}

	sps := Criterion{
		Key:         CriterionSPS,
		Title:       "Shop Performance Score",
		Requirement: fmt.Sprintf("SPS of %s or higher", r.MinSPS.StringFixed(2)),
	}
	if r.AllowNoSPS {
		sps.Requirement += "; shops without an SPS yet may register"
	}
	var spsReason string
	switch {
	case !shop.SPS.Valid && r.AllowNoSPS:
		sps.Status, sps.YourShop = CriterionPass, "No SPS yet"
	case !shop.SPS.Valid:
		sps.Status, sps.YourShop = CriterionFail, "No SPS yet"
		spsReason = "this campaign needs an SPS and your shop has none yet"
	case shop.SPS.Decimal.GreaterThanOrEqual(r.MinSPS):
		sps.Status, sps.YourShop = CriterionPass, "SPS "+shop.SPS.Decimal.StringFixed(2)
	default:
		sps.Status, sps.YourShop = CriterionFail, "SPS "+shop.SPS.Decimal.StringFixed(2)
		spsReason = fmt.Sprintf("SPS %s is below %s", shop.SPS.Decimal.StringFixed(2), r.MinSPS.StringFixed(2))
	}
	add(sps, spsReason)

	if r.FreeShippingRequired {
		max := r.MaxFreeShippingThreshold.Decimal
		fs := Criterion{
			Key:         CriterionFreeShipping,
			Title:       "Free shipping",
			Requirement: fmt.Sprintf("Free shipping on orders of $%s or less", max.StringFixed(2)),
		}
		var reason string
		switch {
		case !shop.FreeShipping:
			fs.Status, fs.YourShop = CriterionFail, "No free shipping offered"
			reason = "your shop does not offer free shipping"
		case !shop.FreeShippingThreshold.Valid || !shop.FreeShippingThreshold.Decimal.IsPositive():
			fs.Status, fs.YourShop = CriterionPass, "Free shipping on every order"
		case shop.FreeShippingThreshold.Decimal.LessThanOrEqual(max):
			fs.Status = CriterionPass
			fs.YourShop = "Free shipping over $" + shop.FreeShippingThreshold.Decimal.StringFixed(2)
		default:
			fs.Status = CriterionFail
			fs.YourShop = "Free shipping over $" + shop.FreeShippingThreshold.Decimal.StringFixed(2)
			reason = fmt.Sprintf("free shipping threshold $%s is above $%s",
				shop.FreeShippingThreshold.Decimal.StringFixed(2), max.StringFixed(2))
		}
		add(fs, reason)
	}

	if r.CouponsMustBeAccepted && r.CouponCount > 0 {
		add(Criterion{
			Key:         CriterionCoupons,
			Title:       "Campaign coupons",
			Requirement: fmt.Sprintf("Accept all %d campaign coupon%s to enrol", r.CouponCount, Plural(r.CouponCount)),
			YourShop:    "You accept them when you register",
			Status:      CriterionAtRegistration,
		}, "")
	}

	add(Criterion{
		Key:         CriterionPriceLookback,
		Title:       "Campaign price",
		Requirement: LookbackRuleText(r.LookbackDays),
		YourShop:    "Checked per SKU when you set prices",
		Status:      CriterionAtRegistration,
	}, "")

	e.Eligible = len(e.Reasons) == 0
	return e
}

// LookbackRuleText states the price lookback rule in words.
func LookbackRuleText(days int) string {
	return fmt.Sprintf("At or below your lowest price in the past %d days", days)
}

// Plural is "s" unless n is 1.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
