package models

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestCampaignServiceFee(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                            string
		rate, gross, discount, shipping string
		want                            string
	}{
		{"the source's example", "0.01", "100", "10", "5", "0.95"},
		{"no discount, no shipping", "0.01", "19.99", "0", "0", "0.20"},  // 0.1999 -> 0.20
		{"exact half cent rounds up", "0.01", "50.50", "0", "0", "0.51"}, // 0.505 -> 0.51
		{"just under a half cent rounds down", "0.01", "50.49", "0", "0", "0.50"},
		{"discount larger than the base is no fee", "0.01", "10", "20", "0", "0.00"},
		{"2.5% rate", "0.025", "80", "0", "4.99", "2.12"}, // 2.12475 -> 2.12
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CampaignServiceFee(dec(tt.rate), dec(tt.gross), dec(tt.discount), dec(tt.shipping))
			if got.StringFixed(2) != tt.want {
				t.Errorf("fee = %s, want %s", got.StringFixed(2), tt.want)
			}
		})
	}
}

func TestSplitCoupon(t *testing.T) {
	t.Parallel()
	twentyPct := CouponTerms{Type: CouponPercent, Value: dec("20"), MinPurchase: dec("100"), Cap: nullDec("50"),
		SellerSharePct: dec("50")}
	tests := []struct {
		name                       string
		terms                      CouponTerms
		subtotal                   string
		applies                    bool
		discount, seller, platform string
	}{
		{"source example: $100 gets $20, $10 each", twentyPct, "100", true, "20.00", "10.00", "10.00"},
		{"source example: $300 capped at $50, $25 each", twentyPct, "300", true, "50.00", "25.00", "25.00"},
		{"below the minimum purchase", twentyPct, "99.99", false, "0", "0", "0"},
		{"max seller funding stops the seller's share",
			CouponTerms{Type: CouponPercent, Value: dec("20"), MinPurchase: dec("100"), Cap: nullDec("50"), SellerSharePct: dec("50"), MaxSellerFunding: nullDec("15")},
			"300", true, "50.00", "15.00", "35.00"},
		{"fixed $10 off, 50/50", CouponTerms{Type: CouponFixed, Value: dec("10"), MinPurchase: dec("60"), SellerSharePct: dec("50")},
			"60", true, "10.00", "5.00", "5.00"},
		{"odd cent split: seller's half rounds half-up", CouponTerms{Type: CouponFixed, Value: dec("0.05"), SellerSharePct: dec("50")},
			"10", true, "0.05", "0.03", "0.02"},
		{"platform-funded coupon", CouponTerms{Type: CouponPercent, Value: dec("15"), MinPurchase: dec("40"), Cap: nullDec("20"), SellerSharePct: dec("0")},
			"80", true, "12.00", "0.00", "12.00"},
		{"percent rounds once to the cent", CouponTerms{Type: CouponPercent, Value: dec("15"), SellerSharePct: dec("30")},
			"33.33", true, "5.00", "1.50", "3.50"}, // 4.9995 -> 5.00
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitCoupon(tt.terms, dec(tt.subtotal))
			if got.Applies != tt.applies {
				t.Fatalf("applies = %v, want %v", got.Applies, tt.applies)
			}
			if !got.Applies {
				return
			}
			if got.Discount.StringFixed(2) != tt.discount || got.SellerShare.StringFixed(2) != tt.seller || got.PlatformShare.StringFixed(2) != tt.platform {
				t.Errorf("got %s = %s + %s, want %s = %s + %s", got.Discount.StringFixed(2), got.SellerShare.StringFixed(2),
					got.PlatformShare.StringFixed(2), tt.discount, tt.seller, tt.platform)
			}
			if !got.SellerShare.Add(got.PlatformShare).Equal(got.Discount) {
				t.Errorf("shares do not add up to the discount")
			}
		})
	}
}

func TestRoundCentsHalfUp(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0.005": "0.01", "0.004": "0.00", "1.115": "1.12", "2.999": "3.00", "0.015": "0.02"} {
		if got := RoundCents(decimal.RequireFromString(in)).StringFixed(2); got != want {
			t.Errorf("RoundCents(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestPercentOfIsDivisionByHundred: moving the point is the division the
// money rules used to do, to the last digit, over every cent amount up to
// $1,000 against percentages with two decimals (the schema's numeric(5,2)),
// and the edges.
func TestPercentOfIsDivisionByHundred(t *testing.T) {
	t.Parallel()
	pcts := []string{"0", "0.01", "1", "5", "12.5", "15", "33.33", "50", "66.67", "85", "99.99", "100"}
	for _, ps := range pcts {
		p := decimal.RequireFromString(ps)
		for c := int64(0); c <= 100000; c += 7 {
			x := decimal.New(c, -2)
			if got, want := percentOf(x, p), x.Mul(p).Div(hundred); !got.Equal(want) {
				t.Fatalf("%s%% of %s: %s, division gives %s", ps, x, got, want)
			}
		}
	}
	for _, x := range []string{"9999999999.99", "0.01", "19.99", "16.9915"} {
		d := decimal.RequireFromString(x)
		if got, want := percentOf(d, decimal.RequireFromString("85")), d.Mul(decimal.NewFromInt(85)).Div(hundred); !got.Equal(want) {
			t.Fatalf("85%% of %s: %s, want %s", x, got, want)
		}
	}
}
