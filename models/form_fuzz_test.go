package models

import (
	"testing"
	"unicode/utf8"
)

// The form parsers never panic, and whatever they accept fits the columns
// it is stored in: amounts with at most two decimals within MaxAmount,
// counts within an integer column, campaign dates within DateInRange.
// `make fuzz FUZZ_PKG=./models FUZZ_TARGET=FuzzFormParsers` mutates; every
// go test runs the seeds.
func FuzzFormParsers(f *testing.F) {
	for _, s := range []string{"25", "25.50", "$1,250.00", "33,00", "1e10", "99999999999999", "-1", "0.001",
		"2147483648", "NaN", "\x00", "\xff", "2027-03-01T00:00", "0000-01-01T00:00", "9999-12-31T23:59", "", " 7 "} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if d, err := ParseAmount(a); err == nil && !d.Equal(d.Round(2)) {
			t.Errorf("ParseAmount(%q) = %s: more than two decimals", a, d)
		}
		if n, err := ParseCount(a); err == nil && (n > MaxStock || n < -MaxStock-1) {
			t.Errorf("ParseCount(%q) = %d: beyond an integer column", a, n)
		}
		if _, err := ParsePercent(b); err != nil && err.Error() == "" {
			t.Errorf("ParsePercent(%q): an error without a message", b)
		}
		form := validForm()
		form.MaxThreshold, form.LookbackDays, form.FeeRatePct, form.MinSPS = a, b, a, b
		form.Opens, form.RunEnd = a, b
		form.Coupons[0].Value, form.Coupons[0].Quantity, form.Coupons[1].MinPurchase = a, b, b
		form.SubCampaigns[0].Name, form.SubCampaigns[1].Start = a, b
		c, err := form.Parse()
		if err != nil {
			return
		}
		if c.MaxFreeShippingThreshold.Valid && c.MaxFreeShippingThreshold.Decimal.GreaterThan(MaxAmount) {
			t.Errorf("accepted threshold %s above MaxAmount", c.MaxFreeShippingThreshold.Decimal)
		}
		for _, cp := range c.Coupons {
			if cp.Value.GreaterThan(MaxAmount) || cp.MinPurchase.GreaterThan(MaxAmount) || cp.TotalQuantity <= 0 {
				t.Errorf("accepted coupon %+v beyond its columns", cp)
			}
		}
		for _, at := range []struct {
			name string
			ok   bool
		}{{"opens", DateInRange(c.RegistrationOpensAt)}, {"run end", DateInRange(c.RunEndsAt)}} {
			if !at.ok {
				t.Errorf("accepted %s outside 2000-2100 (%q, %q)", at.name, a, b)
			}
		}
		for _, s := range c.SubCampaigns {
			if !utf8.ValidString(s.Name) {
				t.Errorf("accepted a sub-campaign name that is not UTF-8: %q", s.Name)
			}
		}
	})
}
