package routes

import (
	"strings"
	"testing"
)

func TestFill(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern string
		values  []any
		want    string
	}{
		{"/campaigns", nil, "/campaigns"},
		{"/campaigns/:id", []any{int64(7)}, "/campaigns/7"},
		{"/campaigns/:id/register/skus/:sku", []any{int64(7), int64(-3)}, "/campaigns/7/register/skus/-3"},
		{"/campaigns/:id/performance/export/:table/:format", []any{int64(1), "skus", "csv"}, "/campaigns/1/performance/export/skus/csv"},
		{"/x/:name", []any{"a b/c?d"}, "/x/a%20b%2Fc%3Fd"},
	} {
		if got := Fill(tt.pattern, tt.values...); got != tt.want {
			t.Errorf("Fill(%q, %v) = %q, want %q", tt.pattern, tt.values, got, tt.want)
		}
	}
}

func TestFillRefusesAWrongCountOrType(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern string
		values  []any
		want    string
	}{
		{"/campaigns/:id", nil, "needs more"},
		{"/campaigns", []any{int64(1)}, "takes 0 values"},
		{"/campaigns/:id", []any{1}, "is a int"},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Errorf("Fill(%q, %v) panicked with %q, want %q", tt.pattern, tt.values, msg, tt.want)
				}
			}()
			Fill(tt.pattern, tt.values...)
		}()
	}
}
