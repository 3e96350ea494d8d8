package models_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
)

// TestPriceMemory: a campaign price below the SKU's prices becomes its
// 30-day floor until 30 days after the run ends, checked with the lookback
// query itself a second before and at that instant; a price at the
// current low sets nothing; a lower sale still in the window keeps the
// floor below the campaign price.
func TestPriceMemory(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	// SKU 2 ($10.00 for 200 days) was on sale at $8.00 until a day
	// before the run ends: inside the window at the run's end.
	end := w.camp.RunEndsAt
	w.db.Exec(`UPDATE price_history SET valid_to = ? WHERE sku_id = ?`, end.Add(-72*time.Hour), w.skus[2].ID)
	w.db.Exec(`INSERT INTO price_history (sku_id, price, valid_from, valid_to, source) VALUES (?, 8.00, ?, ?, 'sale'), (?, 10.00, ?, NULL, 'retail')`,
		w.skus[2].ID, end.Add(-72*time.Hour), end.Add(-24*time.Hour), w.skus[2].ID, end.Add(-24*time.Hour))
	d := decimal.RequireFromString
	prices := map[int64]decimal.Decimal{w.skus[0].ID: d("17.00"), w.skus[1].ID: d("40.00"), w.skus[2].ID: d("9.00")}
	got, err := w.store.PriceMemories(bg, w.camp, prices)
	if err != nil {
		t.Fatal(err)
	}
	m := got[w.skus[0].ID]
	if !m.Sets || !m.Floor.Equal(d("17")) || !m.Before.Equal(d("20")) || !m.Until.Equal(end.Add(30*24*time.Hour)) {
		t.Errorf("SKU 0: %+v", m)
	}
	if got[w.skus[1].ID].Sets {
		t.Errorf("a price at the current low sets no new floor: %+v", got[w.skus[1].ID])
	}
	if got[w.skus[2].ID].Sets {
		t.Errorf("a lower sale in the window keeps the floor: %+v", got[w.skus[2].ID])
	}
	// Both sides of the window, with the same query the price rule uses.
	run := []models.PricePeriod{{SKUID: w.skus[0].ID, Price: d("17.00"), ValidFrom: w.camp.RunStartsAt, ValidTo: &end}}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{end, "17.00"},
		{m.Until.Add(-time.Second), "17.00"},
		{m.Until, "20.00"},
		{m.Until.Add(24 * time.Hour), "20.00"},
	} {
		lows, err := w.store.LookbackLowsWith(bg, []int64{w.skus[0].ID}, models.FloorLookbackDays, tc.at, run)
		if err != nil {
			t.Fatal(err)
		}
		if g := lows[w.skus[0].ID].Price.StringFixed(2); g != tc.want {
			t.Errorf("floor at until%+v: %s, want %s", tc.at.Sub(m.Until), g, tc.want)
		}
	}
}
