package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

func rowIDs(doc *goquery.Document) []string {
	var ids []string
	doc.Find(testid("order-link")).Each(func(_ int, s *goquery.Selection) { ids = append(ids, strings.TrimSpace(s.Text())) })
	sort.Strings(ids)
	return ids
}

// Settled records filtered to a campaign count days in the campaign's
// timezone (Los Angeles here), list, totals and export alike; without a
// campaign the days are UTC. Each boundary on both sides: the last second
// of a Los Angeles day and the first of the next.
func TestSettledRecordsCampaignDaysInTheCampaignsTimezone(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	orders := map[string]string{
		"TZ-BEFORE": "2025-11-30T23:59:59-08:00", // LA Nov 30, UTC Dec 1
		"TZ-EARLY":  "2025-12-01T00:00:00-08:00", // LA Dec 1, UTC Dec 1
		"TZ-LATE":   "2025-12-01T23:59:59-08:00", // LA Dec 1, UTC Dec 2
		"TZ-NEXT":   "2025-12-02T00:00:00-08:00", // LA Dec 2, UTC Dec 2
	}
	for id, at := range orders {
		body := fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": %q, "quantity": 1,
			"unit_price": "100.00", "seller_discount": "0"}], "shipping_paid": "0"}`, id, w.maple.PublicID, at, w.skus[0].SKUCode)
		wantStatus(t, w.post("/api/v1/orders", body), http.StatusCreated)
	}
	// An order with no campaign line on the LA Dec 1 evening: never in the
	// campaign's records.
	plain := fmt.Sprintf(`{"order_id": "TZ-PLAIN", "shop_id": %q, "placed_at": "2025-12-01T23:00:00-08:00", "lines": [{"sku_id": %q,
		"quantity": 1, "unit_price": "30.00", "seller_discount": "0"}], "shipping_paid": "0"}`, w.maple.PublicID, w.skus[2].SKUCode)
	wantStatus(t, w.post("/api/v1/orders", plain), http.StatusCreated)

	b := w.browser()
	b.signIn("seller@x.test")
	campaign := fmt.Sprintf("campaign=%d", w.open.ID)
	tests := []struct {
		name  string
		query string
		want  []string
		fee   string // total fee: 1.00 per campaign order
	}{
		{"campaign, its Dec 1", campaign + "&from=2025-12-01&to=2025-12-01", []string{"TZ-EARLY", "TZ-LATE"}, "$2.00"},
		{"campaign, from its Dec 2", campaign + "&from=2025-12-02", []string{"TZ-NEXT"}, "$1.00"},
		{"campaign, to its Nov 30", campaign + "&to=2025-11-30", []string{"TZ-BEFORE"}, "$1.00"},
		{"every order, UTC Dec 1", "from=2025-12-01&to=2025-12-01", []string{"TZ-BEFORE", "TZ-EARLY"}, "$2.00"},
		{"every order, UTC Dec 2", "from=2025-12-02&to=2025-12-02", []string{"TZ-LATE", "TZ-NEXT", "TZ-PLAIN"}, "$2.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := b.get("/finance/settled-records?" + tt.query)
			wantStatus(t, rec, http.StatusOK)
			doc := parse(t, rec)
			if got := rowIDs(doc); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
			if got := doc.Find(testid("total-orders")).Text(); got != fmt.Sprint(len(tt.want)) {
				t.Errorf("total orders %s, want %d", got, len(tt.want))
			}
			if got := strings.TrimSpace(doc.Find(testid("total-fee")).Text()); !strings.HasPrefix(got, tt.fee) {
				t.Errorf("total fee %q, want %s", got, tt.fee)
			}
			// The export carries the same rows.
			rec = b.get("/finance/settled-records.csv?" + tt.query)
			wantStatus(t, rec, http.StatusOK)
			records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var exported []string
			for _, r := range records[1:] {
				exported = append(exported, r[0])
			}
			sort.Strings(exported)
			if strings.Join(exported, " ") != strings.Join(tt.want, " ") {
				t.Errorf("exported %v, want %v", exported, tt.want)
			}
		})
	}
	// The campaign's zone is named and its times shown in it.
	doc := parse(t, b.get("/finance/settled-records?"+campaign+"&from=2025-12-01&to=2025-12-01"))
	if !strings.Contains(doc.Find(testid("settled-filters")).Text(), "America/Los_Angeles") {
		t.Error("the campaign's timezone is not named next to the dates")
	}
	late := doc.Find(testid("settled-row")).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find(testid("order-link")).Text()) == "TZ-LATE"
	})
	if !strings.Contains(late.Text(), "Dec 1, 2025 23:59") {
		t.Errorf("TZ-LATE is not shown in Los Angeles time: %q", strings.Join(strings.Fields(late.Text()), " "))
	}
	// With a status too, the totals follow the same days.
	wantStatus(t, w.post("/api/v1/orders/TZ-LATE/events", fmt.Sprintf(`{"shop_id": %q, "kind": "cancelled", "at": "2025-12-02T09:00:00Z"}`,
		w.maple.PublicID)), http.StatusOK)
	doc = parse(t, b.get("/finance/settled-records?"+campaign+"&from=2025-12-01&to=2025-12-01&status=cancelled"))
	if got := rowIDs(doc); len(got) != 1 || got[0] != "TZ-LATE" || doc.Find(testid("total-orders")).Text() != "1" ||
		!strings.HasPrefix(strings.TrimSpace(doc.Find(testid("total-fee")).Text()), "$0.00") ||
		!strings.HasPrefix(strings.TrimSpace(doc.Find(testid("total-payout")).Text()), "$0.00") {
		t.Errorf("cancelled on the campaign's Dec 1: rows %v, totals %q / %q / %q", got, doc.Find(testid("total-orders")).Text(),
			doc.Find(testid("total-fee")).Text(), doc.Find(testid("total-payout")).Text())
	}
}

// The order details page tells why each line is or is not a campaign line
// and explains the one fee of an order spanning two campaigns; the API's
// settlement says the same.
func TestFinanceOrderDetailsExplainEveryLine(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	// A second campaign running at the same time, at 2% without refunds,
	// with the plain mug in it.
	modeltest.SetCampaignRun(t, w.db, w.upcoming.ID, orders.Run{StartsAt: apiPlaced.Add(-24 * time.Hour), EndsAt: apiPlaced.Add(24 * time.Hour)})
	w.db.Exec(`UPDATE campaigns SET fee_rate = 0.02, fee_refund_policy = 'no_refund' WHERE id = ?`, w.upcoming.ID)
	second := modeltest.Register(t, w.db, w.upcoming.ID, w.maple.ID, models.RegistrationRegistered)
	modeltest.RegisterSKU(t, w.db, second, w.skus[2], "25.00", apiPlaced.Add(-48*time.Hour))
	// A product withdrawn an hour before the order, one in SKU error for two
	// hours, one never registered.
	var reg models.Registration
	w.db.Where("campaign_id = ? AND shop_id = ?", w.open.ID, w.maple.ID).Take(&reg)
	var sellerID int64
	w.db.Raw(`SELECT id FROM users WHERE email = 'seller@x.test'`).Scan(&sellerID)
	_, gone := modeltest.Product(t, w.db, w.maple.ID, "Withdrawn vase", "20.00")
	rp := modeltest.RegisterSKU(t, w.db, reg, gone[0], "18.00", apiPlaced.Add(-48*time.Hour))
	withdrawnAt := apiPlaced.Add(-time.Hour)
	w.db.Exec(`UPDATE registration_products SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?`, withdrawnAt, rp)
	w.db.Exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at, requested_by)
		VALUES (?, ?, ?, 'product', ?, ?, ?)`, reg.ID, rp, w.maple.ID, withdrawnAt, withdrawnAt, sellerID)
	_, broken := modeltest.Product(t, w.db, w.maple.ID, "Edited lamp", "10.00")
	rp = modeltest.RegisterSKU(t, w.db, reg, broken[0], "9.00", apiPlaced.Add(-48*time.Hour))
	w.db.Exec(`UPDATE registration_products SET status = 'sku_error', sku_error_at = ? WHERE id = ?`, apiPlaced.Add(-2*time.Hour), rp)
	_, never := modeltest.Product(t, w.db, w.maple.ID, "Never registered", "5.00")

	line := func(sku, qty, unit, disc string) string {
		return fmt.Sprintf(`{"sku_id": %q, "quantity": %s, "unit_price": %q, "seller_discount": %q}`, sku, qty, unit, disc)
	}
	body := fmt.Sprintf(`{"order_id": "X-1", "shop_id": %q, "placed_at": "2025-12-01T10:00:00-08:00", "lines": [%s, %s, %s, %s, %s],
		"shipping_paid": "5.00"}`, w.maple.PublicID, line(w.skus[0].SKUCode, "2", "100.00", "10.00"), line(w.skus[2].SKUCode, "1", "30.00", "0"),
		line(gone[0].SKUCode, "1", "20.00", "0"), line(broken[0].SKUCode, "1", "10.00", "0"), line(never[0].SKUCode, "1", "5.00", "0"))
	rec := w.post("/api/v1/orders", body)
	wantStatus(t, rec, http.StatusCreated)
	// fee = 1% × 190 + 2% × 30 + 2% (the highest rate) × 5 shipping = 2.60
	api := decodeJSON(t, rec)
	if api["fee"] != "2.60" || api["fee_detail"].(map[string]any)["campaigns"] != float64(2) {
		t.Errorf("fee %v, detail %v", api["fee"], api["fee_detail"])
	}
	lines := api["lines"].([]any)
	for i, want := range []struct{ reason, at string }{{"", ""}, {"", ""}, {"withdrawn", "2025-12-01T17:00:00Z"},
		{"sku_error", "2025-12-01T16:00:00Z"}, {"not_registered", ""}} {
		l := lines[i].(map[string]any)
		gotReason, _ := l["not_campaign_reason"].(string)
		gotAt, _ := l["not_campaign_at"].(string)
		if gotReason != want.reason || gotAt != want.at || (want.reason == "") != (l["campaign"] != nil) {
			t.Errorf("API line %d: campaign %v, reason %q at %q; want %q at %q", i, l["campaign"], gotReason, gotAt, want.reason, want.at)
		}
	}
	// Outside the run: placed two days later.
	outside := fmt.Sprintf(`{"order_id": "X-2", "shop_id": %q, "placed_at": "2025-12-03T18:00:00Z", "lines": [%s], "shipping_paid": "5.00"}`,
		w.maple.PublicID, line(w.skus[0].SKUCode, "1", "100.00", "0"))
	wantStatus(t, w.post("/api/v1/orders", outside), http.StatusCreated)

	b := w.browser()
	b.signIn("seller@x.test")
	page := func(orderID string) *goquery.Document {
		t.Helper()
		var id int64
		w.db.Raw(`SELECT id FROM orders WHERE external_id = ?`, orderID).Scan(&id)
		rec := b.get(fmt.Sprintf("/finance/orders/%d", id))
		wantStatus(t, rec, http.StatusOK)
		return parse(t, rec)
	}
	text := func(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
	doc := page("X-1")
	cells := doc.Find(testid("line-campaign"))
	for i, want := range []string{w.open.Name, w.upcoming.Name, "not a campaign line: withdrawn at Dec 1, 2025 17:00:00 UTC",
		"not a campaign line: in SKU error since Dec 1, 2025 16:00:00 UTC", "not a campaign line: not registered in a campaign"} {
		if got := text(cells.Eq(i)); !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
			t.Errorf("line %d: %q, want %q", i, got, want)
		}
	}
	once := text(doc.Find(testid("once-per-order")))
	if !strings.Contains(once, "charged once per order") || !strings.Contains(once, w.open.Name) || !strings.Contains(once, w.upcoming.Name) {
		t.Errorf("once-per-order note %q", once)
	}
	formula := text(doc.Find(testid("fee-formula")))
	for _, want := range []string{"1% × $190.00", "2% × $30.00", "2% × $5.00 shipping", "= $2.60"} {
		if !strings.Contains(formula, want) {
			t.Errorf("fee formula %q lacks %q", formula, want)
		}
	}
	if !strings.Contains(text(doc.Find(testid("fee-section"))), "this is the fee it will settle at") {
		t.Error("a placed order does not say its fee is what it will settle at")
	}
	// One campaign or none: no once-per-order note; outside the run said so.
	doc = page("X-2")
	if doc.Find(testid("once-per-order")).Length() != 0 {
		t.Error("an order in no campaign explains a fee across campaigns")
	}
	if got := text(doc.Find(testid("line-campaign"))); !strings.Contains(got, "outside the campaign's run") {
		t.Errorf("outside the run: %q", got)
	}
	if got := text(doc.Find(testid("fee-charged"))); got != "$0.00" {
		t.Errorf("fee outside the run %q", got)
	}
}

// The event refusals the other API test does not reach: after a
// cancellation, neither a completion, a return nor a second cancellation;
// each a 409 with its reason, and the order stays as it was.
func TestAPIEventsAfterACancellation(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	wantStatus(t, w.post("/api/v1/orders", w.order("K-1", w.withCoupon())), http.StatusCreated)
	ev := func(kind, at string) string {
		return fmt.Sprintf(`{"shop_id": %q, "kind": %q, "at": %q}`, w.maple.PublicID, kind, at)
	}
	path := "/api/v1/orders/K-1/events"
	rec := w.post(path, ev("cancelled", "2025-12-01T18:00:00Z")) // at placed_at exactly
	wantStatus(t, rec, http.StatusOK)
	body := decodeJSON(t, rec)
	if body["status"] != "cancelled" || body["fee"] != "0.00" || body["payout"] != "0.00" {
		t.Fatalf("cancelled: %v %v %v", body["status"], body["fee"], body["payout"])
	}
	settlement := func() string {
		rec := w.call(http.MethodGet, "/api/v1/orders/K-1/settlement?shop_id="+w.maple.PublicID, nil, w.token)
		wantStatus(t, rec, http.StatusOK)
		return rec.Body.String()
	}
	before, stateBefore := settlement(), w.state()
	for _, r := range []struct{ name, body, reason string }{
		{"completed after a cancellation", ev("completed", "2025-12-01T19:00:00Z"), "cancelled order cannot be completed"},
		{"returned after a cancellation", ev("returned", "2025-12-01T19:00:00Z"), "cancelled order cannot be returned"},
		{"cancelled twice", ev("cancelled", "2025-12-01T19:00:00Z"), "already cancelled"},
	} {
		rec := w.post(path, r.body)
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), r.reason) {
			t.Errorf("%s: %d %s, want 409 %q", r.name, rec.Code, rec.Body.String(), r.reason)
		}
	}
	if settlement() != before || w.state() != stateBefore {
		t.Error("a refused event changed the order")
	}
}

// The settlement endpoint's whole breakdown: every field the issue lists,
// every amount a string with two decimals, the running reversals after each
// return equal to the order's, and the coupon's reason when it did not
// apply.
func TestAPISettlementFields(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	wantStatus(t, w.post("/api/v1/orders", w.order("F-1", w.withCoupon())), http.StatusCreated)
	for _, ev := range []string{`"kind": "completed", "at": "2025-12-02T10:00:00Z"`,
		fmt.Sprintf(`"kind": "returned", "at": "2025-12-03T10:00:00Z", "lines": [{"sku_id": %q, "quantity": 1}]`, w.skus[0].SKUCode),
		fmt.Sprintf(`"kind": "returned", "at": "2025-12-04T10:00:00Z", "lines": [{"sku_id": %q, "quantity": 1}]`, w.skus[2].SKUCode)} {
		wantStatus(t, w.post("/api/v1/orders/F-1/events", fmt.Sprintf(`{"shop_id": %q, %s}`, w.maple.PublicID, ev)), http.StatusOK)
	}
	rec := w.call(http.MethodGet, "/api/v1/orders/F-1/settlement?shop_id="+w.maple.PublicID, nil, w.token)
	wantStatus(t, rec, http.StatusOK)
	body := decodeJSON(t, rec)

	money := map[string]bool{"merchandise": true, "shipping": true, "fee": true, "fee_refunded": true, "payout": true, "unit_price": true,
		"seller_discount": true, "value": true, "eligible_subtotal": true, "discount": true, "seller_share": true, "platform_share": true,
		"merchandise_reversed": true, "shipping_reversed": true, "discount_reversed": true, "seller_share_reversed": true,
		"platform_share_reversed": true, "charged": true, "at_completion": true, "min_purchase": true, "campaign_price": true}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if money[k] && !(k == "value" && x["type"] == "percent") { // a percentage is a rate
					s, ok := e.(string)
					if !ok || !twoDecimals(s) {
						t.Errorf("%s.%s = %#v, want a string with two decimals", path, k, e)
					}
					continue
				}
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("", body)

	for _, k := range []string{"status", "lines", "merchandise", "shipping", "fee", "fee_refunded", "coupon", "returns", "reversed", "payout"} {
		if _, ok := body[k]; !ok {
			t.Errorf("no %q in the settlement", k)
		}
	}
	if body["status"] != "partially_returned" {
		t.Errorf("status %v", body["status"])
	}
	lines := body["lines"].([]any)
	if c, ok := lines[0].(map[string]any)["campaign"].(map[string]any); !ok || c["id"] != float64(w.open.ID) || c["rate"] == nil {
		t.Errorf("line 0's campaign %v", lines[0].(map[string]any)["campaign"])
	}
	if lines[1].(map[string]any)["campaign"] != nil {
		t.Errorf("line 1's campaign %v, want null", lines[1].(map[string]any)["campaign"])
	}
	coupon := body["coupon"].(map[string]any)
	if coupon["status"] != "applied" || coupon["campaign_id"] != float64(w.open.ID) || coupon["eligible_subtotal"] != "190.00" ||
		coupon["discount"] != "38.00" || coupon["seller_share"] != "19.00" || coupon["platform_share"] != "19.00" {
		t.Errorf("coupon %v", coupon)
	}
	returns := body["returns"].([]any)
	if len(returns) != 2 {
		t.Fatalf("%d returns", len(returns))
	}
	first := returns[0].(map[string]any)
	rl := first["lines"].([]any)[0].(map[string]any)
	if first["kind"] != "returned" || first["at"] != "2025-12-03T10:00:00Z" || rl["sku_id"] != w.skus[0].SKUCode || rl["quantity"] != float64(1) ||
		rl["value"] != "95.00" || first["merchandise"] != "95.00" || first["fee_refunded"] != "0.95" || first["discount"] != "19.00" ||
		first["seller_share"] != "9.50" || first["platform_share"] != "9.50" || first["shipping"] != "0.00" {
		t.Errorf("first return %v", first)
	}
	// 220 + 5 − 1.95 − 19 − 95 + 0.95 + 9.50 = 119.50, then the mug (30.00,
	// no campaign, not the coupon's) comes back: 89.50.
	if after := first["after"].(map[string]any); after["payout"] != "119.50" || after["merchandise_reversed"] != "95.00" {
		t.Errorf("after the first return %v", after)
	}
	last := returns[1].(map[string]any)
	if last["merchandise"] != "30.00" || last["fee_refunded"] != "0.00" || last["discount"] != "0.00" {
		t.Errorf("second return %v", last)
	}
	reversed := body["reversed"].(map[string]any)
	for k, v := range last["after"].(map[string]any) {
		if reversed[k] != v {
			t.Errorf("reversed.%s = %v, the last return's after %v", k, reversed[k], v)
		}
	}
	if body["payout"] != "89.50" || reversed["payout"] != "89.50" || reversed["merchandise_reversed"] != "125.00" {
		t.Errorf("payout %v, reversed %v", body["payout"], reversed)
	}

	// A fixed coupon's value is an amount: two decimals.
	var fixedID int64
	w.db.Raw(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, seller_share_pct, platform_share_pct, total_quantity)
		VALUES (?, 'TEST-10OFF', 'fixed', 10, 0, 50, 50, 10) RETURNING id`, w.open.ID).Scan(&fixedID)
	rec = w.post("/api/v1/orders", w.order("F-3", fmt.Sprintf(`, "coupon_id": "%d"`, fixedID)))
	wantStatus(t, rec, http.StatusCreated)
	fixed := decodeJSON(t, rec)["coupon"].(map[string]any)
	if fixed["type"] != "fixed" || fixed["value"] != "10.00" || fixed["discount"] != "10.00" || fixed["seller_share"] != "5.00" {
		t.Errorf("fixed coupon %v", fixed)
	}

	// A coupon that does not apply says why, with nothing taken off.
	below := fmt.Sprintf(`{"order_id": "F-2", "shop_id": %q, "placed_at": "2025-12-01T10:00:00-08:00", "lines": [{"sku_id": %q,
		"quantity": 1, "unit_price": "99.99", "seller_discount": "0"}], "shipping_paid": "0", "coupon_id": "%d"}`,
		w.maple.PublicID, w.skus[0].SKUCode, w.coupon)
	rec = w.post("/api/v1/orders", below)
	wantStatus(t, rec, http.StatusCreated)
	c := decodeJSON(t, rec)["coupon"].(map[string]any)
	if c["status"] != "below_min_purchase" || c["applied"] != false || c["eligible_subtotal"] != "99.99" || c["discount"] != "0.00" ||
		c["seller_share"] != "0.00" {
		t.Errorf("below the minimum: %v", c)
	}
}

func twoDecimals(s string) bool {
	s = strings.TrimPrefix(s, "-")
	i := strings.IndexByte(s, '.')
	if i < 1 || len(s)-i != 3 {
		return false
	}
	for j, r := range s {
		if j != i && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
