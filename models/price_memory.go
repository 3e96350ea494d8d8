package models

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// FloorLookbackDays is the lookback the price memory warns about: the
// standard 30 days every campaign checks at least (longer lookbacks keep
// a campaign price in memory longer still).
const FloorLookbackDays = 30

// PriceMemory is what a campaign price does to a SKU's future price floor.
// While the campaign runs the SKU is sold at the campaign price, so the
// price history holds it from the run's start to its end; a later
// campaign's lookback low counts it until the window has moved past the
// run's end.
type PriceMemory struct {
	SKUID int64
	// Sets: the campaign price is below every price the SKU had in the
	// window, so it becomes the floor.
	Sets  bool
	Floor decimal.Decimal // the campaign price
	// Before is the floor the SKU would have had at the run's end
	// without the campaign price.
	Before decimal.Decimal
	// Until is the first instant the campaign price has left the window:
	// the floor holds before it.
	Until time.Time
	Days  int
}

// PriceMemoryUntil is the first instant a price sold until runEnd no
// longer counts in a lookback of days (the window (t − days, t] leaves out
// a period that ended at its start).
func PriceMemoryUntil(runEnd time.Time, days int) time.Time {
	return runEnd.Add(time.Duration(days) * 24 * time.Hour)
}

// PriceMemories works out, from the SKUs' price history and the
// campaign's run, what each campaign price would do to the floor, with the
// lookback query the price rules use, at the run's end. The campaign's run
// always lies inside that window (it began before the end and ends at it),
// so the floor with the campaign price is the lesser of the stored floor
// and the price: one query of the history is enough. TestPriceMemory
// checks the dates on both sides of the window with the run added to the
// history (LookbackLowsWith).
func (s *Store) PriceMemories(ctx context.Context, c Campaign, prices map[int64]decimal.Decimal) (map[int64]PriceMemory, error) {
	out := make(map[int64]PriceMemory, len(prices))
	if len(prices) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(prices))
	for id := range prices {
		ids = append(ids, id)
	}
	without, err := s.LookbackLows(ctx, ids, FloorLookbackDays, c.RunEndsAt)
	if err != nil {
		return nil, err
	}
	until := PriceMemoryUntil(c.RunEndsAt, FloorLookbackDays)
	for id, p := range prices {
		b, had := without[id]
		out[id] = priceMemory(id, p, decimal.NullDecimal{Decimal: b.Price, Valid: had}, until)
	}
	return out, nil
}
