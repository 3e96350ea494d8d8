package orders

import (
	"strings"
	"testing"
	"time"
)

// The order body's rules, each on both sides: what is accepted, and what is
// refused with which field.
func TestParseOrderRequestBoundaries(t *testing.T) {
	t.Parallel()
	base := `{"order_id": "O-1", "shop_id": "SHOP1", "placed_at": "2025-12-01T10:00:00-08:00",
		"lines": [{"sku_id": "A", "quantity": 2, "unit_price": "100.00", "seller_discount": "10.00"},
		          {"sku_id": "B", "quantity": 1, "unit_price": "30.00", "seller_discount": "0"}],
		"shipping_paid": "5.00"}`
	with := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("%q is not in the base body", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name  string
		body  string
		field string // "" = accepted
	}{
		{"the base order", base, ""},
		{"a seller discount of the whole line (quantity × unit price)", with(`"seller_discount": "10.00"`, `"seller_discount": "200.00"`), ""},
		{"a seller discount a cent above the line", with(`"seller_discount": "10.00"`, `"seller_discount": "200.01"`), "lines[0].seller_discount"},
		{"a negative seller discount", with(`"seller_discount": "10.00"`, `"seller_discount": "-0.01"`), "lines[0].seller_discount"},
		{"no shipping paid", with(`"shipping_paid": "5.00"`, `"shipping_paid": "0"`), ""},
		{"negative shipping", with(`"shipping_paid": "5.00"`, `"shipping_paid": "-0.01"`), "shipping_paid"},
		{"shipping as a JSON number", with(`"shipping_paid": "5.00"`, `"shipping_paid": 5.00`), "shipping_paid"},
		{"one decimal", with(`"unit_price": "100.00"`, `"unit_price": "100.5"`), ""},
		{"two decimals", with(`"unit_price": "100.00"`, `"unit_price": "100.55"`), ""},
		{"three decimals", with(`"unit_price": "100.00"`, `"unit_price": "100.555"`), "lines[0].unit_price"},
		{"a trailing zero making three decimals", with(`"unit_price": "100.00"`, `"unit_price": "100.000"`), "lines[0].unit_price"},
		{"an exponent", with(`"unit_price": "100.00"`, `"unit_price": "1e2"`), "lines[0].unit_price"},
		{"a float", with(`"unit_price": "100.00"`, `"unit_price": 100.0`), "lines[0].unit_price"},
		{"a zero unit price", with(`"unit_price": "100.00"`, `"unit_price": "0"`), "lines[0].seller_discount"}, // 10.00 > 2 × 0
		{"quantity 1", with(`"quantity": 2`, `"quantity": 1`), ""},
		{"quantity 0", with(`"quantity": 2`, `"quantity": 0`), "lines[0].quantity"},
		{"a negative quantity", with(`"quantity": 2`, `"quantity": -1`), "lines[0].quantity"},
		{"a fractional quantity", with(`"quantity": 2`, `"quantity": 1.5`), "lines[0].quantity"},
		{"a quantity as a string", with(`"quantity": 2`, `"quantity": "2"`), "lines[0].quantity"},
		{"each SKU once", with(`"sku_id": "B"`, `"sku_id": "A"`), "lines[1].sku_id"},
		{"a placed_at with another offset", with("2025-12-01T10:00:00-08:00", "2025-12-01T23:30:00+05:30"), ""},
		{"a placed_at in UTC with fractions", with("2025-12-01T10:00:00-08:00", "2025-12-01T18:00:00.250Z"), ""},
		{"a placed_at without its offset", with("2025-12-01T10:00:00-08:00", "2025-12-01T10:00:00"), "placed_at"},
		{"a placed_at as a date", with("2025-12-01T10:00:00-08:00", "2025-12-01"), "placed_at"},
		{"an unknown field", with(`"shipping_paid"`, `"gift_wrap": true, "shipping_paid"`), "gift_wrap"},
		{"an unknown line field", with(`"quantity": 2`, `"quantity": 2, "tax": "1.00"`), "lines[0].tax"},
		{"a key given twice", with(`"shipping_paid": "5.00"`, `"shipping_paid": "5.00", "shipping_paid": "5.00"`), "body"},
		{"a coupon id as a number", with(`"shipping_paid"`, `"coupon_id": 12, "shipping_paid"`), ""},
		{"a coupon id as a string", with(`"shipping_paid"`, `"coupon_id": "12", "shipping_paid"`), ""},
		{"a coupon id of 0", with(`"shipping_paid"`, `"coupon_id": "0", "shipping_paid"`), "coupon_id"},
		{"no order id", with(`"order_id": "O-1", `, ``), "order_id"},
		{"an order id with a space", with(`"O-1"`, `"O 1"`), "order_id"},
		// Amounts an order's columns hold (models.MaxOrderTotal), issue 17.
		{"the largest unit price", with(`"unit_price": "30.00"`, `"unit_price": "9999999999.99"`), "lines"}, // + the other line
		{"200 × the largest unit price", with(`"quantity": 2, "unit_price": "100.00"`, `"quantity": 200, "unit_price": "9999999999.99"`), "lines[0].quantity"},
		{"lines adding up past the largest total", with(`"quantity": 2, "unit_price": "100.00"`, `"quantity": 1, "unit_price": "9999999999.00"`), "lines"},
		{"exactly the largest total, shipping included", with(`"quantity": 1, "unit_price": "30.00"`, `"quantity": 1, "unit_price": "9999999794.99"`), ""},
		{"a cent past the largest total", with(`"quantity": 1, "unit_price": "30.00"`, `"quantity": 1, "unit_price": "9999999795.00"`), "lines"},
		{"a quantity of 1,000,000", with(`"quantity": 2`, `"quantity": 1000000`), ""},
		{"a quantity of 1,000,001", with(`"quantity": 2`, `"quantity": 1000001`), "lines[0].quantity"},
		{"a quantity past int64", with(`"quantity": 2`, `"quantity": 99999999999999999999`), "lines[0].quantity"},
		// Dates from 2000 to 2100 (UTC).
		{"placed_at in year 0000", with("2025-12-01T10:00:00-08:00", "0000-01-01T00:00:00Z"), "placed_at"},
		{"placed_at in 1999", with("2025-12-01T10:00:00-08:00", "1999-12-31T23:59:59Z"), "placed_at"},
		{"placed_at at 2000-01-01", with("2025-12-01T10:00:00-08:00", "2000-01-01T00:00:00Z"), ""},
		{"placed_at just before 2100", with("2025-12-01T10:00:00-08:00", "2099-12-31T23:59:59.999Z"), ""},
		{"placed_at in 2100", with("2025-12-01T10:00:00-08:00", "2100-01-01T00:00:00Z"), "placed_at"},
		{"placed_at in 9999", with("2025-12-01T10:00:00-08:00", "9999-12-31T23:59:59Z"), "placed_at"},
		{"an offset moving it into 1999", with("2025-12-01T10:00:00-08:00", "2000-01-01T00:30:00+01:00"), "placed_at"},
		// Text PostgreSQL cannot store.
		{"a NUL in the shop id", with(`"SHOP1"`, `"SH\u0000OP1"`), "shop_id"},
		{"a NUL in a SKU id", with(`"sku_id": "B"`, `"sku_id": "B\u0000"`), "lines[1].sku_id"},
		{"a lone surrogate in a SKU id (read as U+FFFD, storable)", with(`"sku_id": "B"`, `"sku_id": "B\ud800"`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOrderRequest([]byte(tt.body))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			rerr, ok := err.(*RequestError)
			if !ok {
				t.Fatalf("err = %v, want a RequestError on %s", err, tt.field)
			}
			for _, p := range rerr.Problems {
				if p.Field == tt.field && p.Reason != "" {
					return
				}
			}
			t.Errorf("no problem on %s: %v", tt.field, rerr)
		})
	}
}

// placed_at is an instant: the same moment with another offset is the same
// placed_at, though (written differently) not the same body.
func TestParseOrderRequestComparesInstants(t *testing.T) {
	t.Parallel()
	body := func(at string) []byte {
		return []byte(`{"order_id": "O-1", "shop_id": "S", "placed_at": "` + at + `", "lines": [{"sku_id": "A", "quantity": 1,
			"unit_price": "1.00", "seller_discount": "0"}], "shipping_paid": "0"}`)
	}
	a, err := ParseOrderRequest(body("2025-12-01T10:00:00-08:00"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseOrderRequest(body("2025-12-01T18:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.PlacedAt.Equal(b.PlacedAt) || !a.PlacedAt.Equal(time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("placed_at %s and %s are not the same instant", a.PlacedAt, b.PlacedAt)
	}
	if a.Hash == b.Hash {
		t.Error("bodies written differently hash the same")
	}
}

// The 1 MB limit: a body of exactly MaxOrderBody bytes is read, one byte
// more is refused on "body".
func TestParseOrderRequestBodyLimit(t *testing.T) {
	t.Parallel()
	small := `{"order_id": "O-1", "shop_id": "S", "placed_at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": "A", "quantity": 1,
		"unit_price": "1.00", "seller_discount": "0"}], "shipping_paid": "0"}`
	exact := small + strings.Repeat(" ", MaxOrderBody-len(small))
	if len(exact) != MaxOrderBody {
		t.Fatalf("%d bytes", len(exact))
	}
	if _, err := ParseOrderRequest([]byte(exact)); err != nil {
		t.Errorf("a body of exactly %d bytes: %v", MaxOrderBody, err)
	}
	_, err := ParseOrderRequest([]byte(exact + " "))
	rerr, ok := err.(*RequestError)
	if !ok || rerr.Problems[0].Field != "body" {
		t.Errorf("a body of %d bytes: %v", MaxOrderBody+1, err)
	}
}

// An event body: malformed is 422 (a RequestError); a quantity below 1 is
// well-formed here and refused with the order (409).
func TestParseOrderEventRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		body  string
		field string
	}{
		{"a completion", `{"shop_id": "S", "kind": "completed", "at": "2025-12-01T10:00:00Z"}`, ""},
		{"a whole return", `{"shop_id": "S", "kind": "returned", "at": "2025-12-01T10:00:00Z"}`, ""},
		{"a whole return with empty lines", `{"shop_id": "S", "kind": "returned", "at": "2025-12-01T10:00:00Z", "lines": []}`, ""},
		{"a partial return", `{"shop_id": "S", "kind": "returned", "at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": "A", "quantity": 1}]}`, ""},
		{"quantity 0 is judged with the order", `{"shop_id": "S", "kind": "returned", "at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": "A", "quantity": 0}]}`, ""},
		{"a quantity as a string", `{"shop_id": "S", "kind": "returned", "at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": "A", "quantity": "1"}]}`, "lines[0].quantity"},
		{"lines on a completion", `{"shop_id": "S", "kind": "completed", "at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": "A", "quantity": 1}]}`, "lines"},
		{"an unknown kind", `{"shop_id": "S", "kind": "shipped", "at": "2025-12-01T10:00:00Z"}`, "kind"},
		{"no at", `{"shop_id": "S", "kind": "completed"}`, "at"},
		{"an at without offset", `{"shop_id": "S", "kind": "completed", "at": "2025-12-01T10:00:00"}`, "at"},
		{"no shop", `{"kind": "completed", "at": "2025-12-01T10:00:00Z"}`, "shop_id"},
		{"an unknown field", `{"shop_id": "S", "kind": "completed", "at": "2025-12-01T10:00:00Z", "reason": "x"}`, "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEventRequest([]byte(tt.body))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			rerr, ok := err.(*RequestError)
			if !ok {
				t.Fatalf("err = %v, want a RequestError on %s", err, tt.field)
			}
			for _, p := range rerr.Problems {
				if p.Field == tt.field {
					return
				}
			}
			t.Errorf("no problem on %s: %v", tt.field, rerr)
		})
	}
}
