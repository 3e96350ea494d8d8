package models

import (
	"testing"

	"github.com/shopspring/decimal"
)

func intp(n int) *int { return &n }

func TestTierRulePrices(t *testing.T) {
	t.Parallel()
	featured := TierRule{Tier: TierFeatured, MaxPricePct: dec("85"), RecommendedPct: dec("80"), MinStock: 10}
	regular := TierRule{Tier: TierRegular, MaxPricePct: dec("100"), RecommendedPct: dec("95"), MinStock: 3}
	tests := []struct {
		rule     TierRule
		low      string
		max, rec string
	}{
		{featured, "100.00", "85.00", "80.00"},
		{featured, "19.99", "16.99", "15.99"}, // 16.9915 and 15.992 round down
		{regular, "19.99", "19.99", "18.99"},  // 18.9905
		{featured, "0.01", "0.01", "0.01"},    // never below a cent
	}
	for _, tt := range tests {
		if got := tt.rule.MaxPrice(dec(tt.low)).StringFixed(2); got != tt.max {
			t.Errorf("%s max of %s = %s, want %s", tt.rule.Tier, tt.low, got, tt.max)
		}
		if got := tt.rule.RecommendedPrice(dec(tt.low)).StringFixed(2); got != tt.rec {
			t.Errorf("%s recommended of %s = %s, want %s", tt.rule.Tier, tt.low, got, tt.rec)
		}
	}
}

func TestCheckSKU(t *testing.T) {
	t.Parallel()
	rule := TierRule{Tier: TierFeatured, MaxPricePct: dec("85"), RecommendedPct: dec("80"), MinStock: 10}
	max := dec("16.99")
	tests := []struct {
		name  string
		price string
		stock *int
		avail int
		want  Problems
	}{
		{"price equal to the maximum passes", "16.99", intp(10), 50, 0},
		{"a cent above fails", "17.00", intp(10), 50, Problems(ProblemPriceAboveMax)},
		{"well below passes", "9.99", intp(50), 50, 0},
		{"no price", "", intp(10), 50, Problems(ProblemPriceMissing)},
		{"no stock", "10.00", nil, 50, Problems(ProblemStockMissing)},
		{"stock equal to available passes", "10.00", intp(50), 50, 0},
		{"stock above available", "10.00", intp(51), 50, Problems(ProblemStockAboveAvailable)},
		{"stock below the tier minimum", "10.00", intp(9), 50, Problems(ProblemStockBelowMin)},
		{"stock at the minimum passes", "10.00", intp(10), 50, 0},
		{"two problems at once", "", nil, 50, Problems(ProblemPriceMissing) | Problems(ProblemStockMissing)},
	}
	for _, tt := range tests {
		e := SKUEntry{CampaignStock: tt.stock, MaxPrice: max, AvailableStock: tt.avail}
		if tt.price != "" {
			e.CampaignPrice = decimal.NewNullDecimal(dec(tt.price))
		}
		if got := CheckSKU(e, rule); got != tt.want {
			t.Errorf("%s: problems = %v, want %v", tt.name, got.List(), tt.want.List())
		}
	}
}

func TestCheckExtraDiscount(t *testing.T) {
	t.Parallel()
	terms := ExtraDiscountTerms{Allowed: true, MinPct: nullDec("5")}
	tests := []struct {
		name              string
		pct               string
		terms             ExtraDiscountTerms
		registered, total int
		want              Problems
	}{
		{"blank means none", "", terms, 1, 3, 0},
		{"at the minimum passes", "5", terms, 3, 3, 0},
		{"below the minimum", "4.99", terms, 3, 3, Problems(ProblemExtraDiscountBelowMin)},
		{"zero is refused", "0", terms, 3, 3, Problems(ProblemExtraDiscountBelowMin)},
		{"partial SKUs", "10", terms, 2, 3, Problems(ProblemExtraDiscountPartial)},
		{"both", "1", terms, 2, 3, Problems(ProblemExtraDiscountBelowMin) | Problems(ProblemExtraDiscountPartial)},
		{"not offered", "10", ExtraDiscountTerms{}, 3, 3, Problems(ProblemExtraDiscountNotAllowed)},
	}
	for _, tt := range tests {
		pct := decimal.NullDecimal{}
		if tt.pct != "" {
			pct = nullDec(tt.pct)
		}
		if got := CheckExtraDiscount(pct, tt.terms, tt.registered, tt.total); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got.List(), tt.want.List())
		}
	}
}

func TestPreviewUnit(t *testing.T) {
	t.Parallel()
	coupons := []Coupon{
		{Code: "A", DiscountType: CouponPercent, Value: dec("20"), Cap: nullDec("50"), SellerSharePct: dec("50"), MaxSellerFunding: nullDec("25")},
		{Code: "B", DiscountType: CouponFixed, Value: dec("10"), SellerSharePct: dec("50"), MaxSellerFunding: nullDec("5")},
		{Code: "C", DiscountType: CouponPercent, Value: dec("50"), SellerSharePct: dec("0")}, // platform-funded: no seller cost
	}
	u := PreviewUnit(dec("80.00"), nullDec("10"), dec("0.01"), coupons)
	// 80 - 8.00 extra = 72.00; fee 0.72; coupon A: 20% of 72 = 14.40, seller 7.20; B: 5.00 -> worst 7.20
	want := map[string]string{"extra": "8.00", "selling": "72.00", "fee": "0.72", "coupon": "7.20", "keep": "64.08"}
	got := map[string]string{"extra": u.ExtraDiscount.StringFixed(2), "selling": u.SellingPrice.StringFixed(2),
		"fee": u.Fee.StringFixed(2), "coupon": u.CouponWorst.StringFixed(2), "keep": u.Keep.StringFixed(2)}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %s, want %s", k, got[k], w)
		}
	}
	u = PreviewUnit(dec("400.00"), decimal.NullDecimal{}, dec("0.01"), coupons[:1])
	if u.CouponWorst.StringFixed(2) != "25.00" || u.Keep.StringFixed(2) != "371.00" {
		t.Errorf("capped coupon: worst %s keep %s, want 25.00 and 371.00", u.CouponWorst.StringFixed(2), u.Keep.StringFixed(2))
	}
}
