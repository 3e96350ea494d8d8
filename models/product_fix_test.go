package models

import "testing"

func TestProductFix(t *testing.T) {
	rule := TierRule{Tier: TierFeatured, MaxPricePct: dec("95"), MinStock: 10}
	atLow := TierRule{Tier: TierRegular, MaxPricePct: dec("100"), MinStock: 3}
	price := func(r TierRule, p, low string) *FieldError {
		return CheckCampaignPrice(dec(p), r.PriceLimit(dec(low), 30))
	}
	stock := func(n, available int) *FieldError { return CheckCampaignStock(n, rule.StockLimit(available)) }
	tests := []struct {
		name      string
		rule      TierRule
		refusals  []*FieldError
		wantValue string
		wantLabel string
	}{
		{"every price above its maximum: the tier's percentage", rule,
			[]*FieldError{price(rule, "40", "36.83"), price(rule, "20", "10")}, "5", "Apply 5 % to every SKU of this product"},
		{"a tier at the low itself", atLow,
			[]*FieldError{price(atLow, "40", "30"), price(atLow, "20", "10")}, "0", "Lower every SKU of this product to its lowest price"},
		{"one SKU passes: each row has its own fix", rule, []*FieldError{price(rule, "40", "36.83"), price(rule, "5", "10")}, "", ""},
		{"one SKU alone: its own fix", rule, []*FieldError{price(rule, "40", "36.83")}, "", ""},
		{"every stock below the minimum", rule, []*FieldError{stock(2, 50), stock(5, 12)}, "10", "Set stock to 10 on every SKU of this product"},
		{"every stock above what is available: the most", rule, []*FieldError{stock(99, 12), stock(99, 40)}, "40",
			"Set every SKU of this product to its available stock"},
		{"two different rules", rule, []*FieldError{stock(2, 50), stock(99, 12)}, "", ""},
		{"a refusal without a fix (fewer available than the minimum)", rule, []*FieldError{stock(2, 50), stock(2, 5)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ProductFix(tt.rule, tt.refusals)
			switch {
			case tt.wantValue == "" && f != nil:
				t.Errorf("got %+v, want no product-wide fix", *f)
			case tt.wantValue != "" && (f == nil || f.Value != tt.wantValue || f.Label != tt.wantLabel):
				t.Errorf("got %+v, want %s (%q)", f, tt.wantValue, tt.wantLabel)
			}
		})
	}
	// The percentage lands each SKU on its own maximum, as the bulk action computes it.
	low := dec("36.83")
	if got, want := low.Mul(hundred.Sub(dec("5"))).Div(hundred).RoundFloor(2), rule.MaxPrice(low); !got.Equal(want) {
		t.Errorf("5%% below %s = %s, the maximum is %s", low, got, want)
	}
}

func TestStockFixWithReservations(t *testing.T) {
	l := TierRule{Tier: TierRegular, MinStock: 3}.StockLimit(7).WithReserved(5)
	e := CheckCampaignStock(9, l)
	if e == nil || e.Fix == nil || e.Fix.Value != "7" || e.Fix.Label != "Set stock to 7" {
		t.Fatalf("got %+v, want the fix Set stock to 7 (the 7 not reserved elsewhere)", e)
	}
}

func TestRejectionFix(t *testing.T) {
	rule := TierRule{Tier: TierRegular, MaxPricePct: dec("95"), MinStock: 3}
	price := func(p string) RegistrationSKU {
		n := 5
		return RegistrationSKU{CampaignPrice: nullDec(p), CampaignStock: &n}
	}
	stock := func(n int) RegistrationSKU { return RegistrationSKU{CampaignPrice: nullDec("10"), CampaignStock: &n} }
	today := SKUNow{Live: LiveLimit{Low: dec("20"), Max: dec("19.00")}, Available: 8, Reserved: 4}
	tests := []struct {
		name, code string
		sku        RegistrationSKU
		want       string // the fix's label, "" for none
	}{
		{"price above today's maximum", ReasonPriceAboveMaximum, price("19.50"), "Lower to $19.00"},
		{"price within today's maximum", ReasonPriceAboveMaximum, price("19.00"), ""},
		{"stock above what is left available", ReasonStockInsufficient, stock(10), "Set stock to 8"},
		{"stock below the tier's minimum", ReasonStockInsufficient, stock(2), "Set stock to 3"},
		{"stock that fits", ReasonStockInsufficient, stock(8), ""},
		{"a reason no rule answers", "incomplete", price("30"), ""},
	}
	for _, tt := range tests {
		f := RejectionFix(tt.code, rule, 30, tt.sku, today)
		if got := ""; f != nil {
			got = f.Label
			if got != tt.want {
				t.Errorf("%s: fix %q, want %q", tt.name, got, tt.want)
			}
		} else if tt.want != "" {
			t.Errorf("%s: no fix, want %q", tt.name, tt.want)
		}
	}
}
