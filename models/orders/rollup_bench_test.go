package orders

import (
	"math/rand"
	"testing"
	"time"
)

// rollupBatch is a batch of random settled orders as the import keeps
// them in the rollups: 2,000 orders (the import's batch), each placed in
// its campaigns on one of 14 days, some cancelled or returned.
func rollupBatch(b *testing.B) ([]Settlement, [][]int64, [][]OrderPlacement) {
	rng := rand.New(rand.NewSource(12))
	var settled []Settlement
	var skus [][]int64
	var places [][]OrderPlacement
	for range 2000 {
		in := randomOrder(rng, rng.Intn(2) == 0)
		switch rng.Intn(10) {
		case 0:
			in.Events = []OrderEvent{{Kind: OrderEventCancelled, At: in.PlacedAt.Add(time.Hour)}}
		case 1:
			in.Events = randomReturns(rng, in, rng.Intn(2) == 0)
		}
		s, err := Settle(in)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]int64, len(s.Lines))
		for i := range ids {
			ids[i] = 1 + rng.Int63n(480)
		}
		day := time.Date(2026, 10, 10+rng.Intn(14), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		var ps []OrderPlacement
		for _, cid := range s.CampaignIDs {
			ps = append(ps, OrderPlacement{CampaignID: cid, Day: day, SubCampaignID: cid * 10})
		}
		settled, skus, places = append(settled, s), append(skus, ids), append(places, ps)
	}
	return settled, skus, places
}

// BenchmarkRollupDeltaAdd is the import's work in Go to keep the rollups
// for one batch: every order's share of the day and SKU rows.
//
//	go test ./models -run XXX -bench RollupDeltaAdd -benchmem -count 5
func BenchmarkRollupDeltaAdd(b *testing.B) {
	settled, skus, places := rollupBatch(b)
	b.ResetTimer()
	for b.Loop() {
		d := newRollupDelta()
		for i, s := range settled {
			d.add(1, skus[i], places[i], s, 1)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(settled)), "µs/order")
}
