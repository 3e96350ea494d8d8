package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// validForm is a complete, valid campaign form.
func validForm() CampaignForm {
	f := NewCampaignForm()
	f.Name = "Spring Refresh 2027"
	f.Benefits = "More traffic\n- Campaign tag\n\n"
	f.Timezone = "America/New_York"
	f.Opens, f.Deadline, f.RunStart, f.RunEnd = "2027-03-01T00:00", "2027-03-10T23:59", "2027-03-12T00:00", "2027-03-20T23:59"
	f.SubCampaigns = []SubCampaignForm{{"Kickoff", "2027-03-12T00:00", "2027-03-15T00:00"}, {"Finale", "2027-03-15T00:00", "2027-03-20T23:59"}}
	f.Coupons = []CouponForm{
		{Code: "spring-20pct", Type: "percent", Value: "20", MinPurchase: "100", Cap: "50", Targeting: "all", SellerPct: "50", PlatformPct: "50", MaxSellerFunding: "25", Quantity: "1,000"},
		{Code: "SPRING-5OFF", Type: "fixed", Value: "$5", MinPurchase: "30", Targeting: "segment", Segment: "Returning", SellerPct: "30", PlatformPct: "70", Quantity: "500"},
	}
	return f
}

func TestCampaignFormParsesAValidForm(t *testing.T) {
	t.Parallel()
	c, err := validForm().Parse()
	if err != nil {
		t.Fatalf("valid form refused: %v", err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	if !c.RegistrationDeadline.Equal(time.Date(2027, 3, 10, 23, 59, 0, 0, ny)) {
		t.Errorf("deadline = %v: not read in the campaign's timezone", c.RegistrationDeadline)
	}
	if len(c.Benefits) != 2 || c.Benefits[1] != "Campaign tag" {
		t.Errorf("benefits = %q", c.Benefits)
	}
	if c.Coupons[0].Code != "SPRING-20PCT" || c.Coupons[0].TotalQuantity != 1000 || c.Coupons[1].Value.StringFixed(2) != "5.00" {
		t.Errorf("coupons = %+v", c.Coupons)
	}
	if c.FeeRate.String() != "0.01" {
		t.Errorf("fee rate = %s, want 0.01", c.FeeRate)
	}
	if len(c.Tiers) != 2 || c.Tiers[0].MaxPricePct.String() != "85" {
		t.Errorf("tiers = %+v", c.Tiers)
	}
}

func TestCampaignFormValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*CampaignForm)
		field string
		msg   string
	}{
		{"name required", func(f *CampaignForm) { f.Name = "  " }, "name", "name"},
		{"name too long", func(f *CampaignForm) { f.Name = strings.Repeat("x", 121) }, "name", "120"},
		{"unknown timezone", func(f *CampaignForm) { f.Timezone = "Mars/Olympus" }, "timezone", "timezone"},
		{"deadline before opening", func(f *CampaignForm) { f.Deadline = "2027-02-28T00:00" }, "deadline", "after registration opens"},
		{"deadline after the run starts", func(f *CampaignForm) { f.Deadline = "2027-03-12T00:01" }, "deadline", "on or before the campaign starts"},
		{"deadline exactly at the run start is fine", func(f *CampaignForm) { f.Deadline = "2027-03-12T00:00" }, "", ""},
		{"run ends before it starts", func(f *CampaignForm) { f.RunEnd = "2027-03-11T00:00" }, "run_end", "end after it starts"},
		{"date missing", func(f *CampaignForm) { f.Opens = "" }, "opens", "Choose a date"},
		{"date garbled", func(f *CampaignForm) { f.Opens = "next tuesday" }, "opens", "Choose a date"},
		{"no sub-campaign", func(f *CampaignForm) { f.SubCampaigns = nil }, "subs", "at least one"},
		{"sub-campaign before the run", func(f *CampaignForm) { f.SubCampaigns[0].Start = "2027-03-11T23:59" }, "subs.0.start", "inside the campaign's run"},
		{"sub-campaign after the run", func(f *CampaignForm) { f.SubCampaigns[1].End = "2027-03-21T00:00" }, "subs.1.start", "inside the campaign's run"},
		{"sub-campaign exactly the run is fine", func(f *CampaignForm) {
			f.SubCampaigns = []SubCampaignForm{{"All", "2027-03-12T00:00", "2027-03-20T23:59"}}
		}, "", ""},
		{"sub-campaign names repeat", func(f *CampaignForm) { f.SubCampaigns[1].Name = "kickoff" }, "subs.1.name", "Two sub-campaigns"},
		{"sub-campaign unnamed", func(f *CampaignForm) { f.SubCampaigns[0].Name = "" }, "subs.0.name", "Name"},
		{"threshold beyond the column", func(f *CampaignForm) { f.MaxThreshold = "99999999999999" }, "max_threshold", "at most $9,999,999,999.99"},
		{"threshold at the column's limit is fine", func(f *CampaignForm) { f.MaxThreshold = "9999999999.99" }, "", ""},
		{"coupon cap beyond the column", func(f *CampaignForm) { f.Coupons[0].Cap = "10000000000" }, "coupons.0.cap", "at most"},
		{"opening in year 0001", func(f *CampaignForm) { f.Opens = "0001-01-01T00:00" }, "opens", "in the years 2000 to 2099"},
		{"run ending in 9999", func(f *CampaignForm) { f.RunEnd = "9999-12-31T23:59" }, "run_end", "in the years 2000 to 2099"},
		{"sub-campaign in 2101", func(f *CampaignForm) { f.SubCampaigns[1].End = "2101-01-01T00:00" }, "subs.1.end", "in the years 2000 to 2099"},
		{"51 sub-campaigns", func(f *CampaignForm) {
			for len(f.SubCampaigns) < 51 {
				f.SubCampaigns = append(f.SubCampaigns, SubCampaignForm{fmt.Sprint("Day ", len(f.SubCampaigns)), "2027-03-12T00:00", "2027-03-13T00:00"})
			}
		}, "subs", "at most 50 sub-campaigns"},
		{"51 coupons", func(f *CampaignForm) {
			for len(f.Coupons) < 51 {
				c := f.Coupons[1]
				c.Code = fmt.Sprint("CODE-", len(f.Coupons))
				f.Coupons = append(f.Coupons, c)
			}
		}, "coupons", "at most 50 coupons"},
		{"blank sub-campaign row kept and marked", func(f *CampaignForm) { f.SubCampaigns = append(f.SubCampaigns, SubCampaignForm{}) }, "subs.2.name", BlankRowMessage},
		{"blank coupon row kept and marked", func(f *CampaignForm) {
			f.Coupons = append(f.Coupons, CouponForm{Type: "percent", Targeting: "all", SellerPct: "50", PlatformPct: "50"})
		}, "coupons.2.code", BlankRowMessage},
		{"SPS above 5", func(f *CampaignForm) { f.MinSPS = "5.01" }, "min_sps", "0 to 5"},
		{"SPS exactly 5 is fine", func(f *CampaignForm) { f.MinSPS = "5" }, "", ""},
		{"threshold with three decimals", func(f *CampaignForm) { f.MaxThreshold = "30.005" }, "max_threshold", "two decimals"},
		{"threshold not a number", func(f *CampaignForm) { f.MaxThreshold = "thirty" }, "max_threshold", "number"},
		{"negative threshold", func(f *CampaignForm) { f.MaxThreshold = "-1" }, "max_threshold", "number"},
		{"lookback of 0 days", func(f *CampaignForm) { f.LookbackDays = "0" }, "lookback_days", "1 to 365"},
		{"tier maximum above 100%", func(f *CampaignForm) { f.RegularMaxPct = "100.01" }, "regular_max_pct", "up to 100"},
		{"tier maximum of 0%", func(f *CampaignForm) { f.FeaturedMaxPct = "0" }, "featured_max_pct", "more than 0"},
		{"recommended above the maximum", func(f *CampaignForm) { f.FeaturedRecPct = "86" }, "featured_rec_pct", "within the tier's maximum"},
		{"featured looser than regular", func(f *CampaignForm) { f.RegularMaxPct = "80"; f.RegularRecPct = "75" }, "featured_max_pct", "at least as strict"},
		{"minimum stock 0", func(f *CampaignForm) { f.RegularMinStock = "0" }, "regular_min_stock", "whole number"},
		{"extra discount minimum 0%", func(f *CampaignForm) { f.ExtraDiscountMin = "0" }, "extra_discount_min", "more than 0"},
		{"extra discount off ignores the minimum", func(f *CampaignForm) { f.ExtraDiscountAllowed = false; f.ExtraDiscountMin = "0" }, "", ""},
		{"fee of 100%", func(f *CampaignForm) { f.FeeRatePct = "100" }, "fee_rate", "percentage"},
		{"unknown refund policy", func(f *CampaignForm) { f.RefundPolicy = "maybe" }, "refund_policy", "refund"},
		{"ratio not 100", func(f *CampaignForm) { f.Coupons[0].PlatformPct = "40" }, "coupons.0.platform_pct", "add up to 100%"},
		{"share above 100", func(f *CampaignForm) { f.Coupons[1].SellerPct = "130"; f.Coupons[1].PlatformPct = "-30" }, "coupons.1.seller_pct", "percentage"},
		{"cap on a fixed coupon", func(f *CampaignForm) { f.Coupons[1].Cap = "10" }, "coupons.1.cap", "percentage coupons only"},
		{"percentage of 100", func(f *CampaignForm) { f.Coupons[0].Value = "100" }, "coupons.0.value", "percentage"},
		{"fixed value of 0", func(f *CampaignForm) { f.Coupons[1].Value = "0" }, "coupons.1.value", "more than $0.00"},
		{"fixed value with three decimals", func(f *CampaignForm) { f.Coupons[1].Value = "4.999" }, "coupons.1.value", "two decimals"},
		{"fixed value above the minimum purchase", func(f *CampaignForm) { f.Coupons[1].Value = "31" }, "coupons.1.value", "cannot exceed the minimum purchase"},
		{"bad coupon code", func(f *CampaignForm) { f.Coupons[0].Code = "20% off!" }, "coupons.0.code", "letters, digits or dashes"},
		{"duplicate coupon code", func(f *CampaignForm) { f.Coupons[1].Code = "Spring-20pct" }, "coupons.1.code", "Two coupons"},
		{"segment without a name", func(f *CampaignForm) { f.Coupons[1].Segment = "" }, "coupons.1.segment", "segment"},
		{"seller funding on a platform-funded coupon", func(f *CampaignForm) {
			f.Coupons[0].SellerPct, f.Coupons[0].PlatformPct = "0", "100"
		}, "coupons.0.max_funding", "co-funded"},
		{"quantity 0", func(f *CampaignForm) { f.Coupons[0].Quantity = "0" }, "coupons.0.quantity", "whole number"},
		{"co-funded without review", func(f *CampaignForm) { f.ReviewRequired = false }, "review_required", "need review"},
		{"platform-funded without review is fine", func(f *CampaignForm) {
			f.ReviewRequired = false
			for i := range f.Coupons {
				f.Coupons[i].SellerPct, f.Coupons[i].PlatformPct, f.Coupons[i].MaxSellerFunding = "0", "100", ""
			}
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm()
			tt.edit(&f)
			_, err := f.Parse()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			v, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("err = %v, want a validation error on %s", err, tt.field)
			}
			msg, ok := v.Fields[tt.field]
			if !ok {
				t.Fatalf("no message on %s; got %v", tt.field, v.Fields)
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("%s: message %q does not mention %q", tt.field, msg, tt.msg)
			}
		})
	}
}

func TestCheckSchedule(t *testing.T) {
	t.Parallel()
	c, err := validForm().Parse()
	if err != nil {
		t.Fatal(err)
	}
	beforeOpening := c.RegistrationOpensAt.Add(-time.Hour)
	afterOpening := c.RegistrationOpensAt.Add(time.Hour)
	if err := CheckSchedule(c, nil, c.RegistrationDeadline); err == nil {
		t.Error("publishing at the deadline was accepted")
	}
	if err := CheckSchedule(c, nil, beforeOpening); err != nil {
		t.Errorf("publishing before the deadline refused: %v", err)
	}
	cur := c
	cur.Status = CampaignPublished
	cur.Coupons[0].ClaimedQuantity = 600
	next := c
	next.Coupons = append([]Coupon(nil), c.Coupons...)
	next.RegistrationOpensAt = c.RegistrationOpensAt.Add(-time.Hour)
	next.RegistrationDeadline = c.RegistrationDeadline.Add(-time.Hour)
	next.Coupons[0].TotalQuantity = 500
	next.Coupons = next.Coupons[:1]
	err = CheckSchedule(next, &cur, afterOpening)
	v, _ := err.(*ValidationError)
	if v == nil {
		t.Fatal("a published campaign's past was rewritten without complaint")
	}
	for _, k := range []string{"opens", "deadline", "coupons", "coupons.0.quantity"} {
		if v.Fields[k] == "" {
			t.Errorf("no message on %s (got %v)", k, v.Fields)
		}
	}
	if err := CheckSchedule(next, &cur, beforeOpening); err == nil || err.(*ValidationError).Fields["opens"] != "" {
		t.Errorf("before opening, moving the opening should be allowed: %v", err)
	}
}

func TestDiffCampaigns(t *testing.T) {
	t.Parallel()
	old, _ := validForm().Parse()
	f := validForm()
	f.Deadline = "2027-03-11T23:59"
	f.Coupons[0].Value = "25"
	f.Coupons[1].Quantity = "800"
	f.Coupons = append(f.Coupons, CouponForm{Code: "NEW-1", Type: "fixed", Value: "3", Targeting: "all", SellerPct: "0", PlatformPct: "100", Quantity: "10"})
	f.SubCampaigns[1].Name = "Grand Finale"
	f.FeaturedMaxPct = "80"
	f.FeaturedRecPct = "75"
	next, err := f.Parse()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(DiffCampaigns(old, next), "\n")
	for _, want := range []string{
		"Registration deadline: Mar 10, 2027 11:59 PM EST → Mar 11, 2027 11:59 PM EST", // DST starts Mar 14
		"Coupon SPRING-20PCT discount: 20% → 25%",
		"Coupon SPRING-5OFF quantity: 500 → 800",
		"Coupon NEW-1 added: $3.00 off, seller 0% / platform 100%",
		"Sub-campaign Grand Finale added",
		"Sub-campaign Finale removed",
		"Featured maximum price: 85% of the lookback low → 80% of the lookback low",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q; got:\n%s", want, got)
		}
	}
	if d := DiffCampaigns(old, old); len(d) != 0 {
		t.Errorf("no change listed %v", d)
	}
}

func TestNextYearName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Black Friday & Cyber Monday 2026": "Black Friday & Cyber Monday 2027",
		"Holiday Gift Guide":               "Holiday Gift Guide (copy)",
		"Summer 2026 Super Sale":           "Summer 2027 Super Sale",
	} {
		if got := NextYearName(in); got != want {
			t.Errorf("NextYearName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	t.Parallel()
	ok := map[string]string{"25": "25.00", "25.5": "25.50", "$1,250.00": "1250.00", " 0.10 ": "0.10", "7.500": "7.50"}
	for in, want := range ok {
		d, err := ParseAmount(in)
		if err != nil || d.StringFixed(2) != want {
			t.Errorf("ParseAmount(%q) = %s, %v; want %s", in, d.StringFixed(2), err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1e3", "-5", "12.345", "0x10", "NaN", "1.2.3"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
}

func TestCampaignFormBuyerPriceFloor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, err string
	}{
		{"", "", ""},
		{"  ", "", ""},
		{"60", "60", ""},
		{"62.5%", "62.5", ""},
		{"100", "100", ""},
		{"0", "", "Enter a percentage more than 0 up to 100."},
		{"100.01", "", "Enter a percentage more than 0 up to 100."},
		{"sixty", "", "x"},
	} {
		f := validForm()
		f.BuyerFloorPct = tc.in
		c, err := f.Parse()
		if tc.err != "" {
			v, ok := err.(*ValidationError)
			if !ok || v.Fields["buyer_floor_pct"] == "" || (tc.err != "x" && v.Fields["buyer_floor_pct"] != tc.err) {
				t.Errorf("%q: err = %v, want %q at buyer_floor_pct", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		got := ""
		if c.BuyerPriceFloorPct.Valid {
			got = c.BuyerPriceFloorPct.Decimal.String()
		}
		if got != tc.want {
			t.Errorf("%q: floor = %q, want %q", tc.in, got, tc.want)
		}
		if back := FormFromCampaign(c).BuyerFloorPct; back != tc.want {
			t.Errorf("%q: the edit form shows %q", tc.in, back)
		}
	}
}
