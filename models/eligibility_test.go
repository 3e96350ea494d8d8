package models

import (
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nullDec(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(dec(s))
}

func standardRules() EligibilityRules {
	return EligibilityRules{MinSPS: dec("3.5"), AllowNoSPS: true, FreeShippingRequired: true,
		MaxFreeShippingThreshold: nullDec("30"), CouponsMustBeAccepted: true, CouponCount: 2, LookbackDays: 60}
}

func statusOf(e Eligibility, k CriterionKey) CriterionStatus {
	for _, c := range e.Criteria {
		if c.Key == k {
			return c.Status
		}
	}
	return ""
}

func TestCheckEligibility(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		shop         ShopStanding
		rules        func(*EligibilityRules)
		wantEligible bool
		wantSPS      CriterionStatus
		wantShipping CriterionStatus
		wantReasons  int
	}{
		{"Maple & Co: SPS 4.6, free shipping over $25", ShopStanding{nullDec("4.6"), true, nullDec("25")}, nil, true, CriterionPass, CriterionPass, 0},
		{"SPS exactly 3.50 passes", ShopStanding{nullDec("3.50"), true, nullDec("25")}, nil, true, CriterionPass, CriterionPass, 0},
		{"SPS 3.49 fails", ShopStanding{nullDec("3.49"), true, nullDec("25")}, nil, false, CriterionFail, CriterionPass, 1},
		{"no SPS yet, allowed", ShopStanding{nullDec(""), true, nullDec("20")}, nil, true, CriterionPass, CriterionPass, 0},
		{"no SPS yet, not allowed", ShopStanding{nullDec(""), true, nullDec("20")}, func(r *EligibilityRules) { r.AllowNoSPS = false }, false, CriterionFail, CriterionPass, 1},
		{"threshold exactly $30.00 passes", ShopStanding{nullDec("4"), true, nullDec("30.00")}, nil, true, CriterionPass, CriterionPass, 0},
		{"threshold $30.01 fails", ShopStanding{nullDec("4"), true, nullDec("30.01")}, nil, false, CriterionPass, CriterionFail, 1},
		{"free shipping on every order passes", ShopStanding{nullDec("4"), true, nullDec("")}, nil, true, CriterionPass, CriterionPass, 0},
		{"no free shipping fails", ShopStanding{nullDec("4"), false, nullDec("")}, nil, false, CriterionPass, CriterionFail, 1},
		{"Northwind: SPS 3.2 and $35, two reasons", ShopStanding{nullDec("3.2"), true, nullDec("35")}, nil, false, CriterionFail, CriterionFail, 2},
		{"shipping not required by the campaign", ShopStanding{nullDec("4"), false, nullDec("")}, func(r *EligibilityRules) { r.FreeShippingRequired = false }, true, CriterionPass, "", 0},
		{"campaign maximum $25, shop $25 passes", ShopStanding{nullDec("4"), true, nullDec("25")}, func(r *EligibilityRules) { r.MaxFreeShippingThreshold = nullDec("25") }, true, CriterionPass, CriterionPass, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := standardRules()
			if tt.rules != nil {
				tt.rules(&r)
			}
			e := CheckEligibility(tt.shop, r)
			if e.Eligible != tt.wantEligible {
				t.Errorf("eligible = %v, want %v (reasons %v)", e.Eligible, tt.wantEligible, e.Reasons)
			}
			if got := statusOf(e, CriterionSPS); got != tt.wantSPS {
				t.Errorf("SPS criterion = %q, want %q", got, tt.wantSPS)
			}
			if got := statusOf(e, CriterionFreeShipping); got != tt.wantShipping {
				t.Errorf("free shipping criterion = %q, want %q", got, tt.wantShipping)
			}
			if len(e.Reasons) != tt.wantReasons {
				t.Errorf("reasons = %v, want %d", e.Reasons, tt.wantReasons)
			}
		})
	}
}

func TestCheckEligibilityInformationalCriteria(t *testing.T) {
	t.Parallel()
	e := CheckEligibility(ShopStanding{nullDec("4"), true, nullDec("10")}, standardRules())
	if got := statusOf(e, CriterionCoupons); got != CriterionAtRegistration {
		t.Errorf("coupons criterion = %q, want at-registration", got)
	}
	if got := statusOf(e, CriterionPriceLookback); got != CriterionAtRegistration {
		t.Errorf("lookback criterion = %q, want at-registration", got)
	}
	for _, c := range e.Criteria {
		if c.Key == CriterionPriceLookback && c.Requirement != "At or below your lowest price in the past 60 days" {
			t.Errorf("lookback rule in words = %q", c.Requirement)
		}
	}
	r := standardRules()
	r.CouponCount = 0
	if got := statusOf(CheckEligibility(ShopStanding{nullDec("4"), true, nullDec("10")}, r), CriterionCoupons); got != "" {
		t.Errorf("a campaign without coupons lists a coupon criterion: %q", got)
	}
}
