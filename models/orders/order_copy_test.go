package orders

import (
	"testing"

	"github.com/shopspring/decimal"
)

// The COPY text of an amount must be the same number PostgreSQL would read
// from decimal's own String, whatever the exponent.
func TestCopyTextOfAmounts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   decimal.Decimal
		want string
	}{
		{decimal.Zero, "0"},
		{decimal.RequireFromString("0.00"), "0.00"},
		{decimal.RequireFromString("0.05"), "0.05"},
		{decimal.RequireFromString("-0.05"), "-0.05"},
		{decimal.RequireFromString("12.5"), "12.5"},
		{decimal.RequireFromString("12.50"), "12.50"},
		{decimal.RequireFromString("-1234.07"), "-1234.07"},
		{decimal.RequireFromString("0.0150"), "0.0150"},
		{decimal.RequireFromString("9999999999.99"), "9999999999.99"},
		{decimal.New(5, 2), decimal.New(5, 2).String()},                                   // a positive exponent: decimal's own text
		{decimal.RequireFromString("12345678901234567890.12"), "12345678901234567890.12"}, // beyond an int64: the same
		{decimal.New(7, -20), "0.00000000000000000007"},
	} {
		var b tsv
		b.dec(tc.in)
		got := b.b.String()
		if got != tc.want || !decimal.RequireFromString(got).Equal(tc.in) {
			t.Errorf("dec(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
