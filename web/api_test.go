package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// apiWorld: the test portal with Maple's SKUs registered in the open
// co-funded campaign, its run moved around apiPlaced, and a token.
type apiWorld struct {
	*world
	token  string
	skus   []models.SKU
	coupon int64
}

var apiPlaced = time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)

func newAPIWorld(t *testing.T) *apiWorld {
	t.Helper()
	w := &apiWorld{world: newWorld(t)}
	modeltest.SetCampaignRun(t, w.db, w.open.ID, orders.Run{StartsAt: apiPlaced.Add(-24 * time.Hour), EndsAt: apiPlaced.Add(24 * time.Hour)})
	reg := modeltest.Register(t, w.db, w.open.ID, w.maple.ID, models.RegistrationRegistered)
	_, w.skus = modeltest.Product(t, w.db, w.maple.ID, "Desk lamp", "120.00", "80.00")
	_, plain := modeltest.Product(t, w.db, w.maple.ID, "Plain mug", "30.00")
	w.skus = append(w.skus, plain...)
	modeltest.RegisterSKU(t, w.db, reg, w.skus[0], "100.00", apiPlaced.Add(-48*time.Hour))
	modeltest.RegisterSKU(t, w.db, reg, w.skus[1], "70.00", apiPlaced.Add(-48*time.Hour))
	if err := w.db.Raw(`SELECT id FROM coupons WHERE campaign_id = ?`, w.open.ID).Scan(&w.coupon).Error; err != nil {
		t.Fatal(err)
	}
	_, secret, err := orders.NewStore(w.db).CreateAPIToken(context.Background(), "order feed", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.token = secret
	return w
}

func (w *apiWorld) call(method, path string, body []byte, token string) *httptest.ResponseRecorder {
	w.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = "192.0.2.20:4000"
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	return rec
}

func (w *apiWorld) post(path, body string) *httptest.ResponseRecorder {
	return w.call(http.MethodPost, path, []byte(body), w.token)
}

func (w *apiWorld) order(id string, extra string) string {
	return fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": "2025-12-01T10:00:00-08:00",
		"lines": [{"sku_id": %q, "quantity": 2, "unit_price": "100.00", "seller_discount": "10.00"},
		          {"sku_id": %q, "quantity": 1, "unit_price": "30.00", "seller_discount": "0"}],
		"shipping_paid": "5.00"%s}`, id, w.maple.PublicID, w.skus[0].SKUCode, w.skus[2].SKUCode, extra)
}

func (w *apiWorld) withCoupon() string { return fmt.Sprintf(`, "coupon_id": "%d"`, w.coupon) }

type state struct{ Orders, Events, Claimed, Lines int64 }

func (w *apiWorld) state() state {
	var s state
	w.db.Raw(`SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_events) AS events,
		(SELECT count(*) FROM order_lines) AS lines, (SELECT claimed_quantity FROM coupons WHERE id = ?) AS claimed`, w.coupon).
		Scan(&s)
	return s
}

func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return m
}

func TestAPIRefusesWithoutAValidToken(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	store := orders.NewStore(w.db)
	revoked, revokedSecret, _ := store.CreateAPIToken(context.Background(), "old feed", nil)
	var manager models.User
	w.db.Where("email = ?", "manager@x.test").Take(&manager)
	if err := store.RevokeAPIToken(context.Background(), revoked.ID, &manager.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	before := w.state()
	for _, tok := range []string{"", "cpt_" + strings.Repeat("0", 64), revokedSecret, w.token + "x"} {
		for _, r := range []struct{ method, path, body string }{
			{http.MethodPost, "/api/v1/orders", w.order("A-1", "")},
			{http.MethodPost, "/api/v1/orders/A-1/events", `{"shop_id": "x", "kind": "completed", "at": "2025-12-01T19:00:00Z"}`},
			{http.MethodGet, "/api/v1/orders/A-1/settlement?shop_id=" + w.maple.PublicID, ""},
			{http.MethodPost, "/api/v1/orders:batch", w.order("A-2", "")},
			{http.MethodGet, "/api/v1/nothing-here", ""},
		} {
			rec := w.call(r.method, r.path, []byte(r.body), tok)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s %s with token %.8q: %d, want 401", r.method, r.path, tok, rec.Code)
			}
		}
	}
	// Basic auth or a token outside the Bearer scheme is not a token.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/orders", strings.NewReader(w.order("A-3", "")))
	req.Header.Set("Authorization", "Basic "+w.token)
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	wantStatus(t, rec, http.StatusUnauthorized)
	if w.state() != before {
		t.Fatalf("something was stored: %+v -> %+v", before, w.state())
	}
	// A token opens nothing outside the API: a seller page still wants a
	// signed-in seller.
	rec = w.call(http.MethodGet, "/campaigns", nil, w.token)
	if rec.Code == http.StatusOK {
		t.Fatal("a bearer token opened a seller page")
	}
	// With the token, an unknown API path is a JSON 404.
	rec = w.call(http.MethodGet, "/api/v1/nothing-here", nil, w.token)
	wantStatus(t, rec, http.StatusNotFound)
	decodeJSON(t, rec)
	var used *time.Time
	w.db.Raw(`SELECT last_used_at FROM api_tokens WHERE token_prefix = ?`, w.token[:10]).Scan(&used)
	if used == nil {
		t.Error("last use not recorded")
	}
}

func TestAPIImportsReplaysAndConflicts(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	rec := w.post("/api/v1/orders", w.order("M-100", w.withCoupon())) // no CSRF token, no session: the API needs neither
	wantStatus(t, rec, http.StatusCreated)
	body := decodeJSON(t, rec)
	for k, want := range map[string]string{"status": "placed", "merchandise": "220.00", "shipping": "5.00", "fee": "1.95",
		"fee_refunded": "0.00", "payout": "204.05"} {
		if body[k] != want {
			t.Errorf("%s = %v, want %s", k, body[k], want)
		}
	}
	coupon := body["coupon"].(map[string]any)
	if coupon["status"] != "applied" || coupon["discount"] != "38.00" || coupon["seller_share"] != "19.00" || coupon["platform_share"] != "19.00" ||
		coupon["eligible_subtotal"] != "190.00" {
		t.Errorf("coupon %v", coupon)
	}
	lines := body["lines"].([]any)
	if lines[0].(map[string]any)["campaign"].(map[string]any)["name"] != w.open.Name || lines[1].(map[string]any)["campaign"] != nil ||
		lines[1].(map[string]any)["not_campaign_reason"] != "not_registered" {
		t.Errorf("lines %v", lines)
	}
	after := w.state()

	// The same body again, keys reordered and spaced differently: 200, the
	// stored result, no second coupon.
	var generic map[string]any
	_ = json.Unmarshal([]byte(w.order("M-100", w.withCoupon())), &generic)
	again, _ := json.MarshalIndent(generic, "", "   ")
	rec = w.post("/api/v1/orders", string(again))
	wantStatus(t, rec, http.StatusOK)
	if decodeJSON(t, rec)["payout"] != "204.05" || w.state() != after {
		t.Fatalf("replay changed something: %+v -> %+v", after, w.state())
	}
	// An amount written differently is a different body: 409.
	rec = w.post("/api/v1/orders", strings.Replace(w.order("M-100", w.withCoupon()), `"5.00"`, `"5.0"`, 1))
	wantStatus(t, rec, http.StatusConflict)
	if w.state() != after {
		t.Fatal("a conflict changed something")
	}
	// The same order id in another shop is another order.
	modeltest.User(t, w.db, "feed-other@x.test", models.RoleSeller, w.north.ID)
	_, northSKUs := modeltest.Product(t, w.db, w.north.ID, "North thing", "10.00")
	other := fmt.Sprintf(`{"order_id": "M-100", "shop_id": %q, "placed_at": "2025-12-01T10:00:00Z", "lines": [{"sku_id": %q,
		"quantity": 1, "unit_price": "10.00", "seller_discount": "0.00"}], "shipping_paid": "0.00"}`, w.north.PublicID, northSKUs[0].SKUCode)
	wantStatus(t, w.post("/api/v1/orders", other), http.StatusCreated)

	// GET the settlement.
	rec = w.call(http.MethodGet, "/api/v1/orders/M-100/settlement?shop_id="+w.maple.PublicID, nil, w.token)
	wantStatus(t, rec, http.StatusOK)
	if decodeJSON(t, rec)["order_id"] != "M-100" {
		t.Fatal(rec.Body.String())
	}
	rec = w.call(http.MethodGet, "/api/v1/orders/M-100/settlement?shop_id=NOPE", nil, w.token)
	wantStatus(t, rec, http.StatusNotFound)
}

func TestAPIRefusesInvalidOrders(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	base := w.order("V-1", "")
	sku := w.skus[0].SKUCode
	tests := []struct {
		name, body, field string
	}{
		{"a float amount", strings.Replace(base, `"unit_price": "100.00"`, `"unit_price": 100.00`, 1), "lines[0].unit_price"},
		{"three decimals", strings.Replace(base, `"unit_price": "100.00"`, `"unit_price": "100.005"`, 1), "lines[0].unit_price"},
		{"a negative amount", strings.Replace(base, `"shipping_paid": "5.00"`, `"shipping_paid": "-5.00"`, 1), "shipping_paid"},
		{"an unknown shop", strings.Replace(base, w.maple.PublicID, "SHOP-NOPE", 1), "shop_id"},
		{"an unknown SKU", strings.Replace(base, sku, "NO-SUCH-SKU", 1), "lines[0].sku_id"},
		{"another shop's SKU", strings.Replace(base, sku, "", 1), "lines[0].sku_id"},
		{"an unknown field", strings.Replace(base, `"shipping_paid"`, `"tip": "1.00", "shipping_paid"`, 1), "tip"},
		{"an unknown line field", strings.Replace(base, `"quantity": 2`, `"quantity": 2, "colour": "red"`, 1), "lines[0].colour"},
		{"quantity zero", strings.Replace(base, `"quantity": 2`, `"quantity": 0`, 1), "lines[0].quantity"},
		{"a fractional quantity", strings.Replace(base, `"quantity": 2`, `"quantity": 1.5`, 1), "lines[0].quantity"},
		{"a discount above the line", strings.Replace(base, `"seller_discount": "10.00"`, `"seller_discount": "200.01"`, 1), "lines[0].seller_discount"},
		{"a SKU twice", strings.Replace(base, w.skus[2].SKUCode, sku, 1), "lines[1].sku_id"},
		{"a time without offset", strings.Replace(base, "2025-12-01T10:00:00-08:00", "2025-12-01T10:00:00", 1), "placed_at"},
		{"an unknown coupon", strings.Replace(base, `"shipping_paid"`, `"coupon_id": "999999", "shipping_paid"`, 1), "coupon_id"},
		{"no lines", fmt.Sprintf(`{"order_id": "V-1", "shop_id": %q, "placed_at": "2025-12-01T10:00:00Z", "lines": [], "shipping_paid": "0"}`,
			w.maple.PublicID), "lines"},
		{"not JSON", `{"order_id": `, "body"},
		{"a body over 1 MB", strings.Replace(base, `"V-1"`, `"V-1", "padding": "`+strings.Repeat("x", 1<<20)+`"`, 1), "body"},
	}
	// another shop's SKU: Northwind's
	_, northSKUs := modeltest.Product(t, w.db, w.north.ID, "North thing", "10.00")
	tests[5].body = strings.Replace(base, sku, northSKUs[0].SKUCode, 1)
	before := w.state()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.post("/api/v1/orders", tt.body)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := decodeJSON(t, rec)
			found := false
			for _, p := range body["errors"].([]any) {
				if p.(map[string]any)["field"] == tt.field && p.(map[string]any)["reason"] != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("no error for %s: %s", tt.field, rec.Body.String())
			}
		})
	}
	if w.state() != before {
		t.Fatalf("something was stored: %+v -> %+v", before, w.state())
	}
}

func TestAPIEvents(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	wantStatus(t, w.post("/api/v1/orders", w.order("E-1", w.withCoupon())), http.StatusCreated)
	ev := func(kind, at, lines string) string {
		s := fmt.Sprintf(`{"shop_id": %q, "kind": %q, "at": %q`, w.maple.PublicID, kind, at)
		if lines != "" {
			s += `, "lines": ` + lines
		}
		return s + "}"
	}
	sku := w.skus[0].SKUCode
	path := "/api/v1/orders/E-1/events"
	refused := []struct{ name, body, reason string }{
		{"before placed_at", ev("completed", "2025-12-01T17:59:59Z", ""), "before the order was placed"},
		{"returned while placed", ev("returned", "2025-12-01T19:00:00Z", ""), "only a completed order"},
	}
	check := func(name, body string, status int, reason string) {
		t.Helper()
		before := w.state()
		rec := w.post(path, body)
		if rec.Code != status {
			t.Fatalf("%s: %d, want %d: %s", name, rec.Code, status, rec.Body.String())
		}
		if status == http.StatusConflict || status == http.StatusUnprocessableEntity || status == http.StatusNotFound {
			if reason != "" && !strings.Contains(rec.Body.String(), reason) {
				t.Errorf("%s: %s, want %q", name, rec.Body.String(), reason)
			}
			if w.state() != before {
				t.Errorf("%s changed something", name)
			}
		}
	}
	for _, r := range refused {
		check(r.name, r.body, http.StatusConflict, r.reason)
	}
	check("completed at placed_at", ev("completed", "2025-12-01T18:00:00Z", ""), http.StatusOK, "")
	check("a second completion", ev("completed", "2025-12-01T19:00:00Z", ""), http.StatusConflict, "already completed")
	check("cancelled after completion", ev("cancelled", "2025-12-01T19:00:00Z", ""), http.StatusConflict, "only a placed order can be cancelled")
	check("an unknown SKU", ev("returned", "2025-12-02T10:00:00Z", `[{"sku_id": "NOPE", "quantity": 1}]`), http.StatusConflict, "not in the order")
	check("quantity 0", ev("returned", "2025-12-02T10:00:00Z", fmt.Sprintf(`[{"sku_id": %q, "quantity": 0}]`, sku)), http.StatusConflict, "at least 1")
	check("more than sold", ev("returned", "2025-12-02T10:00:00Z", fmt.Sprintf(`[{"sku_id": %q, "quantity": 3}]`, sku)), http.StatusConflict, "only 2 of 2")
	check("an unknown kind", ev("shipped", "2025-12-02T10:00:00Z", ""), http.StatusUnprocessableEntity, "kind")
	check("an unknown field", strings.Replace(ev("returned", "2025-12-02T10:00:00Z", ""), `"kind"`, `"why": "x", "kind"`, 1), http.StatusUnprocessableEntity, "why")
	rec := w.post("/api/v1/orders/NOPE/events", ev("completed", "2025-12-02T10:00:00Z", ""))
	wantStatus(t, rec, http.StatusNotFound)

	// A partial return of one unit of the campaign line.
	rec = w.post(path, ev("returned", "2025-12-02T10:00:00Z", fmt.Sprintf(`[{"sku_id": %q, "quantity": 1}]`, sku)))
	wantStatus(t, rec, http.StatusOK)
	body := decodeJSON(t, rec)
	ret := body["returns"].([]any)[0].(map[string]any)
	for k, want := range map[string]string{"merchandise": "95.00", "fee_refunded": "0.95", "discount": "19.00", "seller_share": "9.50",
		"platform_share": "9.50"} {
		if ret[k] != want {
			t.Errorf("return %s = %v, want %s", k, ret[k], want)
		}
	}
	if body["status"] != "partially_returned" {
		t.Errorf("status %v", body["status"])
	}
	check("an event before the last one", ev("returned", "2025-12-02T09:59:59Z", ""), http.StatusConflict, "before the previous event")
	// The rest: everything left comes back; with a full refund policy the
	// whole fee is refunded.
	rec = w.post(path, ev("returned", "2025-12-02T10:00:00Z", ""))
	wantStatus(t, rec, http.StatusOK)
	body = decodeJSON(t, rec)
	if body["status"] != "returned" || body["fee_refunded"] != "1.95" || body["payout"] != "5.00" {
		t.Errorf("after the whole return: %v %v %v", body["status"], body["fee_refunded"], body["payout"])
	}
	check("nothing left", ev("returned", "2025-12-03T10:00:00Z", ""), http.StatusConflict, "already returned")
}

func TestAPIRacingIdenticalRequestsStoreOneOrder(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	body := w.order("RACE-1", w.withCoupon())
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = w.post("/api/v1/orders", body).Code
		}()
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("status %d", c)
		}
	}
	s := w.state()
	if created != 1 || s.Orders != 1 || s.Claimed != 101 {
		t.Fatalf("created %d, state %+v", created, s)
	}
}

func TestAPILastCouponGoesToExactlyOneOfTwoRacingOrders(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity - 1 WHERE id = ?`, w.coupon)
	bodies := make([]map[string]any, 2)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := w.post("/api/v1/orders", w.order(fmt.Sprintf("LAST-%d", i), w.withCoupon()))
			if rec.Code != http.StatusCreated {
				t.Errorf("status %d", rec.Code)
				return
			}
			_ = json.Unmarshal(rec.Body.Bytes(), &bodies[i])
		}()
	}
	wg.Wait()
	got := map[string]int{}
	for _, b := range bodies {
		if b != nil {
			got[b["coupon"].(map[string]any)["status"].(string)]++
		}
	}
	if got["applied"] != 1 || got["exhausted"] != 1 {
		t.Fatalf("coupon outcomes %v", got)
	}
	var left int
	w.db.Raw(`SELECT total_quantity - claimed_quantity FROM coupons WHERE id = ?`, w.coupon).Scan(&left)
	if left != 0 {
		t.Fatalf("%d left", left)
	}
}

// The batch path gives the same results as one order at a time: the same
// orders into two fresh portals, compared order by order.
func TestAPIBatchEqualsOneByOne(t *testing.T) {
	t.Parallel()
	one, batch := newAPIWorld(t), newAPIWorld(t)
	for _, w := range []*apiWorld{one, batch} {
		w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity - 3 WHERE id = ?`, w.coupon) // three left for five orders
	}
	mk := func(w *apiWorld) []string {
		var out []string
		for i := 0; i < 6; i++ {
			out = append(out, strings.ReplaceAll(w.order(fmt.Sprintf("B-%d", i), w.withCoupon()), "\n", " "))
		}
		out = append(out, out[2])                                            // a replay
		out = append(out, strings.Replace(out[3], `"5.00"`, `"6.00"`, 1))    // a conflict
		out = append(out, strings.Replace(out[0], `"B-0"`, `"B-9"`, 1)[:40]) // broken JSON
		out = append(out, strings.Replace(out[0], `"B-0"`, `"B-8"`, 1))
		return out
	}
	var oneCodes []int
	var oneBodies []string
	for _, l := range mk(one) {
		rec := one.post("/api/v1/orders", l)
		oneCodes, oneBodies = append(oneCodes, rec.Code), append(oneBodies, strings.TrimSpace(rec.Body.String()))
	}
	rec := batch.post("/api/v1/orders:batch", strings.Join(mk(batch), "\n")+"\n\n")
	wantStatus(t, rec, http.StatusOK)
	results := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if len(results) != len(oneCodes) {
		t.Fatalf("%d result lines, want %d: %s", len(results), len(oneCodes), rec.Body.String())
	}
	for i, line := range results {
		var r struct {
			Line   int             `json:"line"`
			Status int             `json:"status"`
			Body   json.RawMessage `json:"body"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.Line != i+1 || r.Status != oneCodes[i] {
			t.Errorf("line %d: batch %d (line %d), one by one %d", i+1, r.Status, r.Line, oneCodes[i])
		}
		// The two portals differ only in the fixtures' public ids and SKU codes.
		normal := string(r.Body)
		normal = strings.ReplaceAll(normal, batch.maple.PublicID, one.maple.PublicID)
		for j := range batch.skus {
			normal = strings.ReplaceAll(normal, batch.skus[j].SKUCode, one.skus[j].SKUCode)
		}
		var a, b any
		_ = json.Unmarshal([]byte(normal), &a)
		_ = json.Unmarshal([]byte(oneBodies[i]), &b)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("line %d differs:\nbatch %s\none   %s", i+1, ja, jb)
		}
	}
	if one.state() != batch.state() {
		t.Errorf("state: one by one %+v, batch %+v", one.state(), batch.state())
	}
}
