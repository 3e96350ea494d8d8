package orders_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"campaignportal/models/orders"
)

// An order PostgreSQL refuses (here one that skipped the edge's checks: 200
// × the largest unit price overflows its merchandise column) gets its own
// 422 answer; the orders before and after it in the same batch are stored.
func TestImportIsolatesAnOrderTheDatabaseRefuses(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	var reqs []orders.OrderRequest
	for i := range 3 {
		r, err := orders.ParseOrderRequest(w.body(fmt.Sprintf("ISO-%d", i), ""))
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	reqs[1].Lines[0].Quantity, reqs[1].Lines[0].UnitPrice = 200, decimal.RequireFromString("9999999999.99")
	rs, err := w.store.NewOrderImporter(false).Import(context.Background(), reqs)
	if err != nil {
		t.Fatalf("the batch failed as a whole: %v", err)
	}
	for i, want := range []orders.ImportOutcome{orders.ImportCreated, orders.ImportInvalid, orders.ImportCreated} {
		if rs[i].Outcome != want || rs[i].OrderID != reqs[i].OrderID {
			t.Errorf("order %d: %s %q %+v, want %s", i, rs[i].Outcome, rs[i].OrderID, rs[i].Problems, want)
		}
	}
	var stored []string
	w.db.Raw(`SELECT external_id FROM orders ORDER BY external_id`).Scan(&stored)
	if fmt.Sprint(stored) != "[ISO-0 ISO-2]" {
		t.Errorf("stored %v, want ISO-0 and ISO-2", stored)
	}
	// Alone, the same order is a 422 too, not an error.
	one, err := w.store.ImportOrder(context.Background(), reqs[1])
	if err != nil || one.Outcome != orders.ImportInvalid {
		t.Errorf("alone: %+v, %v", one, err)
	}
}

// A shop-day whose running totals already hold the most numeric(16,2)
// could keeps taking orders: the totals have no width limit (it took
// 100 orders of $999,999,999,999.00 to block a shop-day; every later
// order of that day got a 500).
func TestRunningTotalsNeverBlockAShopDay(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	if res := w.importBody(t, w.body("DAY-1", "")); res.Outcome != orders.ImportCreated {
		t.Fatalf("first order: %s %+v", res.Outcome, res.Problems)
	}
	// the largest numeric(16,2), which the next order's amounts overflowed
	huge := "99999999999999.99"
	for _, q := range []string{
		`UPDATE settled_totals SET merchandise = ` + huge + `, payout = ` + huge,
		`UPDATE campaign_days SET merchandise = ` + huge + `, payout = ` + huge,
		`UPDATE campaign_sku_days SET sales = ` + huge,
	} {
		if err := w.db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	res := w.importBody(t, w.body("DAY-2", ""))
	if res.Outcome != orders.ImportCreated {
		t.Fatalf("an order on a shop-day past 10^14: %s %+v", res.Outcome, res.Problems)
	}
	var merch string
	w.db.Raw(`SELECT sum(merchandise)::text FROM settled_totals`).Scan(&merch)
	if !bytes.HasPrefix([]byte(merch), []byte("100000000000")) || len(merch) < len(huge)+1 {
		t.Errorf("settled totals' merchandise %s, want past 10^14", merch)
	}
}
