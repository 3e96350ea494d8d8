package demo_test

// The demo orders on a fresh database: two years of Maple & Co's orders
// across the ended campaigns of this year and last, nothing dated after
// now, and a second run (a day later) that only replays.
//
//	go test ./cmd/portal/demo/ -count=1 -v

import (
	"context"
	"os"
	"testing"
	"time"

	"campaignportal/cmd/portal/demo"
	"campaignportal/models/modeltest"
)

// TestMain waits for the test databases to be dropped.
func TestMain(m *testing.M) {
	code := m.Run()
	modeltest.Cleanup()
	os.Exit(code)
}

func TestDemoOrdersSpanTwoYearsAndReplay(t *testing.T) {
	ctx := context.Background()
	db := modeltest.NewDB(t)
	// A throwaway database: its commits need not wait for the disk (the
	// portal's demo command runs the same way).
	if err := db.Exec(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$`).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := demo.Load(ctx, db, now); err != nil {
		t.Fatalf("loading the demo: %v", err)
	}
	sum, err := demo.Orders(ctx, db, now, 0)
	if err != nil {
		t.Fatalf("demo orders: %v", err)
	}
	if sum.Created < 3000 || sum.Created > 6000 || sum.Replayed != 0 || sum.Events < sum.Created {
		t.Errorf("first run: %+v; want 3,000 to 6,000 orders created with their events", sum)
	}

	var dated struct{ First, Last, LastEvent time.Time }
	if err := db.Raw(`SELECT min(placed_at) AS first, max(placed_at) AS last, (SELECT max(at) FROM order_events) AS last_event FROM orders`).
		Scan(&dated).Error; err != nil {
		t.Fatal(err)
	}
	if dated.Last.After(now) || dated.LastEvent.After(now) {
		t.Errorf("newest order %s, newest event %s: want nothing after now (%s)", dated.Last, dated.LastEvent, now)
	}
	if age := now.Sub(dated.First); age < 700*24*time.Hour || age > 732*24*time.Hour {
		t.Errorf("oldest order %s: want about two years before now", dated.First)
	}

	// Each ended campaign Maple joined: registered and approved, with orders
	// over its run, and ordinary orders on the days before (Singles' Day
	// excepted: its days before are Autumn Flash Sale's).
	var campaigns []struct {
		Name, Slug       string
		RunStartsAt      time.Time
		Approved         bool
		Orders, Baseline int
		RunDays          float64
	}
	if err := db.Raw(`SELECT c.name, c.slug, c.run_starts_at,
			(r.status = 'registered' AND (r.decided_at IS NOT NULL OR EXISTS (SELECT 1 FROM review_decisions d
				WHERE d.registration_id = r.id AND d.decision = 'approved'))) AS approved,
			(SELECT count(*) FROM order_campaigns oc WHERE oc.campaign_id = c.id) AS orders,
			(SELECT count(*) FROM orders o WHERE o.shop_id = r.shop_id AND o.placed_at < c.run_starts_at
				AND o.placed_at >= c.run_starts_at - (c.run_ends_at - c.run_starts_at)) AS baseline,
			extract(epoch FROM c.run_ends_at - c.run_starts_at) / 86400 AS run_days
		FROM campaigns c JOIN registrations r ON r.campaign_id = c.id JOIN shops s ON s.id = r.shop_id AND s.name = 'Maple & Co'
		WHERE c.run_ends_at < ? ORDER BY c.run_starts_at`, now).Scan(&campaigns).Error; err != nil {
		t.Fatal(err)
	}
	years := map[int]int{}
	for _, c := range campaigns {
		years[c.RunStartsAt.Year()]++
		if !c.Approved || c.Orders == 0 {
			t.Errorf("%s: approved %v, %d orders; want an approved registration with orders", c.Name, c.Approved, c.Orders)
		}
		if c.Slug != "singles-day-deals-demo" && (c.Baseline == 0 || c.Baseline >= c.Orders) {
			t.Errorf("%s: %d orders on as many days before the run, %d in it; want fewer, but some", c.Name, c.Baseline, c.Orders)
		}
	}
	if len(campaigns) < 8 || len(years) < 2 {
		t.Errorf("ended campaigns with Maple's orders: %d over years %v; want 8 or more over two years", len(campaigns), years)
	}

	// No campaign sells more of a SKU at its campaign price than the
	// campaign stock registered for it.
	var oversold []struct {
		Campaign, SKU string
		Units, Stock  int
	}
	if err := db.Raw(`SELECT c.name AS campaign, s.sku_code AS sku, sum(ol.quantity) AS units, max(coalesce(rs.campaign_stock, 0)) AS stock
		FROM order_lines ol JOIN campaigns c ON c.id = ol.campaign_id JOIN skus s ON s.id = ol.sku_id
		LEFT JOIN registration_skus rs ON rs.registration_id = ol.registration_id AND rs.sku_id = ol.sku_id
		GROUP BY c.name, s.sku_code HAVING sum(ol.quantity) > max(coalesce(rs.campaign_stock, 0))`).Scan(&oversold).Error; err != nil {
		t.Fatal(err)
	}
	for _, o := range oversold {
		t.Errorf("%s: %d units of %s in campaign lines, campaign stock %d; want no more than its stock", o.Campaign, o.Units, o.SKU, o.Stock)
	}

	var statuses []struct {
		Status string
		N      int
		Newest time.Time
		Oldest time.Time
	}
	if err := db.Raw(`SELECT status, count(*) AS n, max(placed_at) AS newest, min(placed_at) AS oldest FROM orders GROUP BY status`).
		Scan(&statuses).Error; err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range statuses {
		seen[s.Status] = true
		if s.Status == "placed" && now.Sub(s.Oldest) > 6*24*time.Hour {
			t.Errorf("an order placed %s is still not completed; want only recent ones", s.Oldest)
		}
	}
	for _, want := range []string{"placed", "completed", "cancelled", "partially_returned", "returned"} {
		if !seen[want] {
			t.Errorf("no %s order; statuses %+v", want, statuses)
		}
	}

	// A day later the same command finds the same anchor: replays only.
	again, err := demo.Orders(ctx, db, now.Add(30*time.Hour), 0)
	if err != nil {
		t.Fatalf("demo orders again: %v", err)
	}
	if again.Created != 0 || again.Events != 0 || again.Replayed != sum.Created {
		t.Errorf("second run: %+v; want %d replayed and nothing new", again, sum.Created)
	}
}
