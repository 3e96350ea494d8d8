package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A 3,000-order batch with a poison order in the middle (each field fine
// alone; 200 × the largest unit price overflows an order): the poison gets
// its own 422 line naming the field, the 2,999 others are stored, and
// every line is answered.
func TestAPIBatchWithAPoisonOrderStoresTheRest(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	const n, poison = 3000, 1500
	var b strings.Builder
	for i := 1; i <= n; i++ {
		line := strings.ReplaceAll(w.order(fmt.Sprintf("P-%d", i), ""), "\n", " ")
		if i == poison {
			line = strings.Replace(line, `"quantity": 2, "unit_price": "100.00"`, `"quantity": 200, "unit_price": "9999999999.99"`, 1)
		}
		b.WriteString(line + "\n")
	}
	rec := w.post("/api/v1/orders:batch", b.String())
	wantStatus(t, rec, http.StatusOK)
	results := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if len(results) != n {
		t.Fatalf("%d result lines, want %d; last: %s", len(results), n, results[len(results)-1])
	}
	for i, l := range results {
		var r struct {
			Line   int `json:"line"`
			Status int `json:"status"`
			Body   struct {
				Field string `json:"field"`
			} `json:"body"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		want := http.StatusCreated
		if i+1 == poison {
			want = http.StatusUnprocessableEntity
			if r.Body.Field != "lines[0].quantity" {
				t.Errorf("the poison order's field: %q, want lines[0].quantity: %s", r.Body.Field, l)
			}
		}
		if r.Line != i+1 || r.Status != want {
			t.Fatalf("result %d: line %d status %d, want line %d status %d: %s", i+1, r.Line, r.Status, i+1, want, l)
		}
	}
	if s := w.state(); s.Orders != n-1 {
		t.Errorf("%d orders stored, want %d", s.Orders, n-1)
	}
}

// One order of the same kind alone: 422 naming the field, not a 500.
func TestAPIOrderPastTheLargestTotalIs422(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	for _, tt := range []struct{ old, new, field string }{
		{`"quantity": 2, "unit_price": "100.00"`, `"quantity": 200, "unit_price": "9999999999.99"`, "lines[0].quantity"},
		{`"quantity": 1, "unit_price": "30.00"`, `"quantity": 1, "unit_price": "9999999999.99"`, "lines"},
		{`"2025-12-01T10:00:00-08:00"`, `"0000-01-01T00:00:00Z"`, "placed_at"},
		{`"2025-12-01T10:00:00-08:00"`, `"2100-01-01T00:00:00Z"`, "placed_at"},
	} {
		body := strings.Replace(w.order("BIG-1", ""), tt.old, tt.new, 1)
		rec := w.post("/api/v1/orders", body)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := decodeJSON(t, rec)["field"]; got != tt.field {
			t.Errorf("%s: field %v, want %s", tt.new, got, tt.field)
		}
	}
	if s := w.state(); s.Orders != 0 {
		t.Errorf("%d orders stored", s.Orders)
	}
}

// Order ids and shop ids PostgreSQL cannot compare (NUL, invalid UTF-8)
// find no order: 404, never a 5xx; an event dated in year 0000 is a 422.
func TestAPIHostileIdsAndDates(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	wantStatus(t, w.post("/api/v1/orders", w.order("EV-1", "")), http.StatusCreated)
	shop := w.maple.PublicID
	for _, path := range []string{
		"/api/v1/orders/%00/settlement?shop_id=" + shop, "/api/v1/orders/%FF/settlement?shop_id=" + shop,
		"/api/v1/orders/%ED%A0%80/settlement?shop_id=" + shop, "/api/v1/orders/EV-1/settlement?shop_id=%00",
		"/api/v1/orders/EV-1/settlement?shop_id=%FF%FE", "/api/v1/orders/%00/settlement",
	} {
		rec := w.call(http.MethodGet, path, nil, w.token)
		if rec.Code >= 500 || (strings.Contains(path, "shop_id=") && rec.Code != http.StatusNotFound) {
			t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
	for _, path := range []string{"/api/v1/orders/%00/events", "/api/v1/orders/%FF/events"} {
		rec := w.post(path, fmt.Sprintf(`{"shop_id": %q, "kind": "completed", "at": "2025-12-02T10:00:00Z"}`, shop))
		if rec.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
	rec := w.post("/api/v1/orders/EV-1/events", fmt.Sprintf(`{"shop_id": "%s\u0000", "kind": "completed", "at": "2025-12-02T10:00:00Z"}`, shop))
	if rec.Code >= 500 {
		t.Errorf("an event for a shop id with NUL: %d %s", rec.Code, rec.Body.String())
	}
	rec = w.post("/api/v1/orders/EV-1/events", fmt.Sprintf(`{"shop_id": %q, "kind": "completed", "at": "0000-01-01T00:00:00Z"}`, shop))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := decodeJSON(t, rec)["field"]; got != "at" {
		t.Errorf("an event in year 0000: field %v, want at", got)
	}
}
