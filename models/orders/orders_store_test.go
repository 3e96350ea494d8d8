package orders_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// orderWorld: a shop with two SKUs registered in a running co-funded
// campaign (coupon TEST-20PCT: 20% off $100+, cap $50, 50/50, max $25).
type orderWorld struct {
	db       *gorm.DB
	store    *orders.Store
	shop     models.Shop
	campaign models.Campaign
	coupon   int64
	skus     []models.SKU
	placed   time.Time
	ow       *modeltest.OrderWorld
}

func newOrderWorld(t *testing.T) *orderWorld {
	t.Helper()
	ow := modeltest.NewOrderWorld(t)
	return &orderWorld{db: ow.DB, store: ow.Orders, shop: ow.Shop, campaign: ow.Campaign,
		coupon: ow.Coupon, skus: ow.SKUs, placed: ow.Placed, ow: ow}
}

func (w *orderWorld) body(orderID string, extra string) []byte {
	return []byte(fmt.Sprintf(`{"order_id": %q, "shop_id": %q, "placed_at": %q,
		"lines": [{"sku_id": %q, "quantity": 2, "unit_price": "100.00", "seller_discount": "10.00"},
		          {"sku_id": %q, "quantity": 1, "unit_price": "30.00", "seller_discount": "0"}],
		"shipping_paid": "5.00"%s}`, orderID, w.shop.PublicID, w.placed.Format(time.RFC3339), w.skus[0].SKUCode, w.skus[2].SKUCode, extra))
}

func (w *orderWorld) importBody(t *testing.T, body []byte) orders.ImportResult {
	t.Helper()
	return w.ow.Import(t, body)
}

func TestImportOrderSettlesAndReplays(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	body := w.body("M-1", fmt.Sprintf(`, "coupon_id": "%d"`, w.coupon))
	res := w.importBody(t, body)
	if res.Outcome != orders.ImportCreated {
		t.Fatalf("outcome %s %+v", res.Outcome, res.Problems)
	}
	s := res.Order.Settlement
	// Campaign line: 2 × 100 − 10 = 190; the other line is not registered.
	// fee = 1% × 190 + 1% × 5 = 1.95; coupon 20% of 190 = 38 → 19 + 19.
	if s.Fee.StringFixed(2) != "1.95" || s.Coupon.Status != orders.CouponApplied || s.Coupon.Discount.StringFixed(2) != "38.00" {
		t.Fatalf("settlement: fee %s coupon %+v", s.Fee, s.Coupon)
	}
	if s.Lines[1].Campaign.Reason != orders.NotRegistered {
		t.Errorf("second line: %+v", s.Lines[1].Campaign)
	}
	wantPayout := "204.05" // 190 + 30 + 5 − 1.95 − 19
	if s.Payout().StringFixed(2) != wantPayout {
		t.Errorf("payout %s, want %s", s.Payout().StringFixed(2), wantPayout)
	}
	claimed := func() int {
		var n int
		w.db.Raw(`SELECT claimed_quantity FROM coupons WHERE id = ?`, w.coupon).Scan(&n)
		return n
	}
	if claimed() != 101 {
		t.Errorf("claimed %d, want 101", claimed())
	}
	// Replay: the same body (keys in another order) changes nothing.
	var generic map[string]any
	_ = json.Unmarshal(body, &generic)
	again, _ := json.Marshal(generic)
	res = w.importBody(t, again)
	if res.Outcome != orders.ImportReplayed || res.Order == nil || !res.Order.Settlement.Fee.Equal(s.Fee) {
		t.Fatalf("replay: %+v", res)
	}
	if claimed() != 101 {
		t.Errorf("a replay took a coupon: %d", claimed())
	}
	// The same id with another body is a conflict.
	res = w.importBody(t, w.body("M-1", ""))
	if res.Outcome != orders.ImportConflict {
		t.Fatalf("conflict: %+v", res)
	}
	// Events: complete, return one unit of the campaign line.
	ctx := context.Background()
	v, err := w.store.AddOrderEvent(ctx, w.shop.PublicID, "M-1", orders.OrderEvent{Kind: orders.OrderEventCompleted, At: w.placed.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Settlement.Status != orders.OrderCompleted {
		t.Fatalf("status %s", v.Settlement.Status)
	}
	_, err = w.store.AddOrderEvent(ctx, w.shop.PublicID, "M-1", orders.OrderEvent{Kind: orders.OrderEventCompleted, At: w.placed.Add(2 * time.Hour)})
	if !errors.Is(err, models.ErrConflict) {
		t.Fatalf("second completion: %v", err)
	}
	v, err = w.store.AddOrderEvent(ctx, w.shop.PublicID, "M-1", orders.OrderEvent{Kind: orders.OrderEventReturned, At: w.placed.Add(3 * time.Hour),
		Lines: []orders.ReturnLine{{SKU: w.skus[0].SKUCode, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	r := v.Settlement.Reversals[0]
	if r.Merchandise.StringFixed(2) != "95.00" || r.FeeRefunded.StringFixed(2) != "0.95" || r.Discount.StringFixed(2) != "19.00" {
		t.Errorf("return: %+v", r)
	}
	// Stored columns agree with the recomputed settlement.
	reread, err := w.store.OrderByExternalID(ctx, w.shop.PublicID, "M-1")
	if err != nil {
		t.Fatal(err)
	}
	var row struct {
		Status string
		Payout string
	}
	w.db.Raw(`SELECT status, payout::text AS payout FROM orders WHERE id = ?`, reread.ID).Scan(&row)
	if row.Status != "partially_returned" || row.Payout != reread.Settlement.Payout().StringFixed(2) {
		t.Errorf("stored %+v, computed %s", row, reread.Settlement.Payout())
	}
	// The totals follow.
	var tot struct{ Orders int64 }
	w.db.Raw(`SELECT sum(orders) AS orders FROM settled_totals WHERE shop_id = ? AND campaign_id = 0`, w.shop.ID).Scan(&tot)
	if tot.Orders != 1 {
		t.Errorf("totals count %d orders", tot.Orders)
	}
}

func TestImportRefusesUnknownReferences(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	body := []byte(fmt.Sprintf(`{"order_id": "X-1", "shop_id": %q, "placed_at": %q, "lines": [{"sku_id": "NOPE", "quantity": 1,
		"unit_price": "1.00", "seller_discount": "0"}], "shipping_paid": "0"}`, w.shop.PublicID, w.placed.Format(time.RFC3339)))
	res := w.importBody(t, body)
	if res.Outcome != orders.ImportInvalid || len(res.Problems) != 1 || res.Problems[0].Field != "lines[0].sku_id" {
		t.Fatalf("%+v", res)
	}
	var n int64
	w.db.Raw(`SELECT count(*) FROM orders`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d orders stored", n)
	}
}

func TestLastCouponGoesToExactlyOneRacer(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity - 1 WHERE id = ?`, w.coupon)
	var wg sync.WaitGroup
	results := make([]orders.ImportResult, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := orders.ParseOrderRequest(w.body(fmt.Sprintf("R-%d", i), fmt.Sprintf(`, "coupon_id": %d`, w.coupon)))
			res, err := w.store.ImportOrder(context.Background(), req)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	applied := 0
	for _, r := range results {
		if r.Order != nil && r.Order.Settlement.Coupon.Status == orders.CouponApplied {
			applied++
		} else if r.Order == nil || r.Order.Settlement.Coupon.Status != orders.CouponExhausted {
			t.Errorf("result %+v", r)
		}
	}
	if applied != 1 {
		t.Fatalf("%d orders got the last coupon", applied)
	}
}

// A back-fill (portal orders import) commits without waiting for the WAL
// flush; what it stores and answers is what importing the orders one by one
// stores and answers, the last coupons go in line order, and running it
// again changes nothing.
func TestBackfillEqualsOneByOneAndReplays(t *testing.T) {
	t.Parallel()
	one, fill := newOrderWorld(t), newOrderWorld(t)
	coupon := func(w *orderWorld) string { return fmt.Sprintf(`, "coupon_id": %d`, w.coupon) }
	lines := func(w *orderWorld) [][]byte {
		w.db.Exec(`UPDATE coupons SET claimed_quantity = total_quantity - 2 WHERE id = ?`, w.coupon) // two left for three orders
		var out [][]byte
		for i := 0; i < 4; i++ {
			extra := coupon(w)
			if i == 1 {
				extra = ""
			}
			out = append(out, bytes.ReplaceAll(w.body(fmt.Sprintf("F-%d", i), extra), []byte("\n"), nil))
		}
		return append(out, out[2], bytes.Replace(out[3], []byte(`"5.00"`), []byte(`"6.00"`), 1)) // a replay, a conflict
	}
	type answer struct {
		outcome           orders.ImportOutcome
		coupon            orders.CouponStatus
		fee, payout, disc string
	}
	answerOf := func(r orders.ImportResult) answer {
		a := answer{outcome: r.Outcome}
		if r.Order != nil {
			s := r.Order.Settlement
			a.fee, a.payout = s.Fee.StringFixed(2), s.Payout().StringFixed(2)
			if s.Coupon != nil {
				a.coupon, a.disc = s.Coupon.Status, s.Coupon.Discount.StringFixed(2)
			}
		}
		return a
	}
	var want []answer
	for _, l := range lines(one) {
		want = append(want, answerOf(one.importBody(t, l)))
	}
	ndjson := bytes.Join(lines(fill), []byte("\n"))
	backfill := func() []answer {
		var got []answer
		_, err := fill.store.BackfillNDJSON(context.Background(), bytes.NewReader(ndjson), func(_ int, r orders.ImportResult) error {
			got = append(got, answerOf(r))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := backfill()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("back-fill:\n%v\none by one:\n%v", got, want)
	}
	if want[3].coupon != orders.CouponExhausted {
		t.Errorf("the fourth order should find the coupons gone: %+v", want[3])
	}
	state := func() string {
		var s struct{ Orders, Lines, Claimed, Totals int64 }
		fill.db.Raw(`SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines,
			(SELECT claimed_quantity FROM coupons WHERE id = ?) AS claimed, (SELECT sum(orders) FROM settled_totals) AS totals`, fill.coupon).Scan(&s)
		return fmt.Sprintf("%+v", s)
	}
	before := state()
	for i, a := range backfill() {
		if a.outcome != orders.ImportReplayed && a.outcome != orders.ImportConflict {
			t.Errorf("again, line %d: %+v", i+1, a)
		}
	}
	if after := state(); after != before {
		t.Errorf("running the back-fill again changed %s into %s", before, after)
	}
}

// A SKU the reviewer kept out of its registered product is not in the
// campaign: its order lines pay no campaign fee and reach no coupon.
func TestASKUKeptOutByTheReviewerTakesNoCampaignOrders(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	reviewer := modeltest.User(t, w.db, "riley@x.test", models.RoleReviewer, 0)
	if err := w.db.Exec(`UPDATE registration_skus SET rejected_at = now(), rejected_by = ?, rejection_code = 'incomplete',
		rejection_reason = 'Product information incomplete or inaccurate' WHERE sku_id = ?`, reviewer.ID, w.skus[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	res := w.importBody(t, w.body("M-OUT", fmt.Sprintf(`, "coupon_id": "%d"`, w.coupon)))
	if res.Outcome != orders.ImportCreated {
		t.Fatalf("outcome %s %+v", res.Outcome, res.Problems)
	}
	s := res.Order.Settlement
	if s.Lines[0].Campaign.Reason != orders.NotRegistered || !s.Fee.IsZero() || s.Coupon.Status == orders.CouponApplied {
		t.Fatalf("the kept-out SKU's line: %+v, fee %s, coupon %+v", s.Lines[0].Campaign, s.Fee, s.Coupon)
	}
}
