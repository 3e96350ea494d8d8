package orders

import (
	"testing"

	"github.com/shopspring/decimal"

	"campaignportal/models"
)

// FuzzParseOrderRequest: the strict JSON reader and the order's rules never
// panic, and whatever they accept fits the columns (models/limits.go): an
// order within the largest total, dates from 2000 to 2100, no NUL in an id.
// go test ./models/orders -run '^$' -fuzz FuzzParseOrderRequest -fuzztime 1m
func FuzzParseOrderRequest(f *testing.F) {
	for _, seed := range []string{
		`{"order_id": "O-1", "shop_id": "SHOP1", "placed_at": "2025-12-01T10:00:00-08:00", "lines": [{"sku_id": "A", "quantity": 2, "unit_price": "100.00", "seller_discount": "10.00"}], "shipping_paid": "5.00"}`,
		`{"order_id": "O-2", "shop_id": "S\u0000", "placed_at": "0000-01-01T00:00:00Z", "lines": [{"sku_id": "\ud800", "quantity": 200, "unit_price": "9999999999.99", "seller_discount": "0"}], "shipping_paid": "0", "coupon_id": "12"}`,
		`{"lines": [], "lines": null}`, `[1, 2, {"a": "\uDBFF\uDFFF"}]`, `{"order_id": 1e999}`, "\xff\xfe", `"`, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseOrderRequest(body)
		if err != nil {
			if _, ok := err.(*RequestError); !ok {
				t.Fatalf("an error that is not a RequestError: %v", err)
			}
			return
		}
		total := req.ShippingPaid
		for _, l := range req.Lines {
			total = total.Add(l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Quantity))))
			if l.Quantity < 1 || l.Quantity > models.MaxOrderQuantity || hasNUL(l.SKU) {
				t.Fatalf("accepted line %+v", l)
			}
		}
		if total.GreaterThan(models.MaxOrderTotal) || !models.DateInRange(req.PlacedAt) || hasNUL(req.ShopID) || !isOrderID(req.OrderID) {
			t.Fatalf("accepted %+v (total %s)", req, total)
		}
	})
}

// FuzzParseEventRequest: an event body never panics; an accepted one is
// dated from 2000 to 2100.
func FuzzParseEventRequest(f *testing.F) {
	for _, seed := range []string{
		`{"shop_id": "SHOP1", "kind": "returned", "at": "2025-12-02T10:00:00Z", "lines": [{"sku_id": "A", "quantity": 1}]}`,
		`{"shop_id": "SHOP1", "kind": "completed", "at": "0000-01-01T00:00:00Z"}`, `{"lines": [{"quantity": 1e99}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseEventRequest(body)
		if err == nil && !models.DateInRange(req.Event.At) {
			t.Fatalf("accepted an event at %s", req.Event.At)
		}
	})
}

func hasNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}
