package models

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParsePriceBounds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw, want string // want: the price, or "" for none
		code      RuleCode
		msg       string // part of the message
	}{
		{"", "", "", ""},
		{"   ", "", "", ""},
		{"12.99", "12.99", "", ""},
		{"$1,250.00", "1250", "", ""},
		{"1,250", "1250", "", ""},
		{"0.01", "0.01", "", ""},
		{"0", "", CodePriceNotPositive, "more than $0.00"},
		{"0.00", "", CodePriceNotPositive, "more than $0.00"},
		{"-1", "", CodePriceInvalid, "Enter a price like 12.99."},
		{"abc", "", CodePriceInvalid, "Enter a price like 12.99."},
		{"12.999", "", CodePriceInvalid, "at most two decimals"},
		{"12.990", "12.99", "", ""},
		{"33,00", "", CodePriceInvalid, "Use a point for cents: 33.00."},
		{"33,5", "", CodePriceInvalid, "Use a point for cents: 33.50."},
		{"1,25,0", "", CodePriceInvalid, "Enter a price like 12.99."},
		{"9999999999.99", "9999999999.99", "", ""}, // the column's largest
		{"10000000000", "", CodePriceTooLarge, "at most $9,999,999,999.99"},
		{"99999999999999999999", "", CodePriceTooLarge, "at most"},
		{"1e10", "", CodePriceInvalid, "Enter a price"},
		{"12\x00", "", CodePriceInvalid, "Enter a price"},
		{strings.Repeat("9", 5000), "", CodePriceInvalid, "Enter a price"},
	} {
		got, ferr := ParsePrice(c.raw)
		switch {
		case c.code != "":
			if ferr == nil || ferr.Code != c.code || !strings.Contains(ferr.Message, c.msg) {
				t.Errorf("ParsePrice(%q) = %v, %v; want %s %q", c.raw, got, ferr, c.code, c.msg)
			}
		case ferr != nil:
			t.Errorf("ParsePrice(%q): unexpected %v", c.raw, ferr)
		case c.want == "" && got.Valid, c.want != "" && (!got.Valid || !got.Decimal.Equal(decimal.RequireFromString(c.want))):
			t.Errorf("ParsePrice(%q) = %v, want %q", c.raw, got, c.want)
		}
	}
	if _, ferr := RequirePrice(""); ferr == nil || ferr.Code != CodePriceMissing {
		t.Errorf("RequirePrice blank: %v", ferr)
	}
}

func TestCheckCampaignPriceAtTheMaximum(t *testing.T) {
	t.Parallel()
	rule := TierRule{Tier: TierFeatured, MaxPricePct: decimal.RequireFromString("85"), MinStock: 10}
	limit := rule.PriceLimit(decimal.RequireFromString("19.99"), 30) // 16.9915 rounds down to 16.99
	if !limit.Max.Equal(decimal.RequireFromString("16.99")) {
		t.Fatalf("max %s", limit.Max)
	}
	if ferr := CheckCampaignPrice(decimal.RequireFromString("16.99"), limit); ferr != nil {
		t.Errorf("the maximum itself refused: %v", ferr)
	}
	ferr := CheckCampaignPrice(decimal.RequireFromString("17.00"), limit)
	if ferr == nil || ferr.Code != CodePriceAboveMax {
		t.Fatalf("a cent above passed: %v", ferr)
	}
	if want := "Above the maximum of $16.99: Featured asks for at least 15% below your lowest price of the past 30 days ($19.99)."; ferr.Message != want {
		t.Errorf("message %q, want %q", ferr.Message, want)
	}
	regular := TierRule{Tier: TierRegular, MaxPricePct: hundred, MinStock: 1}.PriceLimit(decimal.RequireFromString("20"), 60)
	if ferr := CheckCampaignPrice(decimal.RequireFromString("20.01"), regular); ferr == nil ||
		!strings.Contains(ferr.Message, "Regular asks for at most your lowest price of the past 60 days ($20.00)") {
		t.Errorf("regular: %v", ferr)
	}
}

func TestParseAndCheckStockBounds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw  string
		want int
		code RuleCode
	}{
		{"", 0, ""},
		{"1", 1, ""},
		{"25", 25, ""},
		{"1,000", 1000, ""},
		{"0", 0, CodeStockBelowOne},
		{"-3", 0, CodeStockBelowOne},
		{"2.5", 0, CodeStockInvalid},
		{"abc", 0, CodeStockInvalid},
		{"2147483647", 2147483647, ""},
		{"2147483648", 0, CodeStockTooLarge},
		{"99999999999999999999999", 0, CodeStockTooLarge},
	} {
		n, ferr := ParseStock(c.raw)
		switch {
		case c.code != "":
			if ferr == nil || ferr.Code != c.code {
				t.Errorf("ParseStock(%q) = %v, %v; want %s", c.raw, n, ferr, c.code)
			}
		case ferr != nil:
			t.Errorf("ParseStock(%q): %v", c.raw, ferr)
		case c.raw == "" && n != nil, c.raw != "" && (n == nil || *n != c.want):
			t.Errorf("ParseStock(%q) = %v, want %d", c.raw, n, c.want)
		}
	}
	limit := TierRule{Tier: TierFeatured, MinStock: 10}.StockLimit(50)
	for _, c := range []struct {
		n    int
		code RuleCode
	}{{9, CodeStockBelowMin}, {10, ""}, {50, ""}, {51, CodeStockAboveAvailable}} {
		if got := CheckCampaignStock(c.n, limit).code(); got != c.code {
			t.Errorf("stock %d: %q, want %q", c.n, got, c.code)
		}
	}
	if msg := CheckCampaignStock(9, limit).Error(); msg != "At least 10 for Featured." {
		t.Errorf("below min message %q", msg)
	}
	if msg := CheckCampaignStock(51, limit).Error(); msg != "Only 50 available." {
		t.Errorf("above available message %q", msg)
	}
}

func TestExtraDiscountBounds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw  string
		code RuleCode
	}{
		{"", ""}, {"5", ""}, {"5%", ""}, {"99.99", ""}, {"0.01", ""},
		{"0", CodeDiscountOutOfRange}, {"100", CodeDiscountOutOfRange}, {"100.00", CodeDiscountOutOfRange},
		{"150", CodeDiscountOutOfRange}, {"-5", CodeDiscountInvalid}, {"five", CodeDiscountInvalid}, {"5.555", CodeDiscountInvalid},
	} {
		if _, ferr := ParseExtraDiscount(c.raw); ferr.code() != c.code {
			t.Errorf("ParseExtraDiscount(%q) = %v, want %q", c.raw, ferr, c.code)
		}
	}
	terms := ExtraDiscountTerms{Allowed: true, MinPct: decimal.NewNullDecimal(decimal.RequireFromString("5"))}
	for _, c := range []struct {
		pct  string
		code RuleCode
	}{{"4.99", CodeDiscountBelowMin}, {"5", ""}, {"5.01", ""}} {
		if got := CheckExtraDiscountTerms(decimal.RequireFromString(c.pct), terms).code(); got != c.code {
			t.Errorf("terms %s%%: %q, want %q", c.pct, got, c.code)
		}
	}
	if got := CheckExtraDiscountTerms(decimal.RequireFromString("10"), ExtraDiscountTerms{}).code(); got != CodeDiscountNotAllowed {
		t.Errorf("not offered: %q", got)
	}
}

func TestGroupThousands(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "1234567.50": "1,234,567.50", "-1000": "-1,000"} {
		if got := GroupThousands(in); got != want {
			t.Errorf("GroupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFixesComeFromTheRule: each refusal carries the value its own limit
// implies, and that value passes the same rule.
func TestFixesComeFromTheRule(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	limit := PriceLimit{Max: d("34.99"), Low: d("41.17"), Tier: TierFeatured, MaxPricePct: d("85"), LookbackDays: 30}
	err := CheckCampaignPrice(d("35.00"), limit)
	fix := FixOf(err)
	if fix == nil || fix.Field != FixPrice || fix.Value != "34.99" || fix.Label != "Lower to $34.99" {
		t.Fatalf("price fix: %+v", fix)
	}
	if CheckCampaignPrice(d(fix.Value), limit) != nil {
		t.Errorf("the fix %s is refused by the rule", fix.Value)
	}
	stock := StockLimit{Min: 10, Available: 25, Tier: TierFeatured}
	for _, tc := range []struct {
		n    int
		want string
	}{{40, "25"}, {3, "10"}} {
		fix := FixOf(CheckCampaignStock(tc.n, stock))
		if fix == nil || fix.Value != tc.want || fix.Label != "Set stock to "+tc.want {
			t.Errorf("stock %d: fix %+v, want %s", tc.n, fix, tc.want)
		}
		if CheckCampaignStock(25, stock) != nil || CheckCampaignStock(10, stock) != nil {
			t.Error("the fixes are refused")
		}
	}
	// Fewer available than the minimum: no stock meets the rule, no fix.
	if fix := FixOf(CheckCampaignStock(8, StockLimit{Min: 10, Available: 8})); fix != nil {
		t.Errorf("impossible stock got a fix: %+v", fix)
	}
	terms := ExtraDiscountTerms{Allowed: true, MinPct: decimal.NewNullDecimal(d("5"))}
	fix = FixOf(CheckExtraDiscountTerms(d("3"), terms))
	if fix == nil || fix.Field != FixExtraDiscount || fix.Value != "5" || CheckExtraDiscountTerms(d(fix.Value), terms) != nil {
		t.Errorf("extra discount fix: %+v", fix)
	}
	if FixOf(CheckExtraDiscountTerms(d("3"), ExtraDiscountTerms{})) != nil {
		t.Error("a discount the campaign does not offer has no value to raise to")
	}
}
