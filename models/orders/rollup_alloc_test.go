package orders

import (
	"math/big"
	"math/rand"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func rats(ws ...int64) []*big.Rat {
	out := make([]*big.Rat, len(ws))
	for i, w := range ws {
		out[i] = big.NewRat(w, 1)
	}
	return out
}

func TestShareOut(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		amount   string
		weights  []*big.Rat
		fallback []bool
		want     []string
	}{
		{"even", "10.00", rats(1, 1), nil, []string{"5.00", "5.00"}},
		{"odd cent to the earlier of equal remainders", "0.01", rats(1, 1), nil, []string{"0.01", "0.00"}},
		{"thirds", "1.00", rats(1, 1, 1), nil, []string{"0.34", "0.33", "0.33"}},
		{"largest remainder wins", "1.00", rats(1, 2), nil, []string{"0.33", "0.67"}},
		{"zero weight gets nothing", "3.00", rats(0, 1, 2), nil, []string{"0.00", "1.00", "2.00"}},
		{"nil weight gets nothing", "2.00", []*big.Rat{nil, big.NewRat(1, 1)}, nil, []string{"0.00", "2.00"}},
		{"all zero: fallback parts", "0.05", rats(0, 0, 0), []bool{false, true, true}, []string{"0.00", "0.03", "0.02"}},
		{"all zero, no fallback: the first", "0.05", rats(0, 0), nil, []string{"0.05", "0.00"}},
		{"zero amount", "0", rats(1, 2), nil, []string{"0.00", "0.00"}},
		// 28.07 over 50 : 90 is 10.025 : 18.045, exact halves: the cent goes to the earlier.
		{"exact half cents", "28.07", rats(50, 90), nil, []string{"10.03", "18.04"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ShareOut(decimal.RequireFromString(c.amount), c.weights, c.fallback)
			for i := range c.want {
				if got[i].StringFixed(2) != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

// TestLineSharesAddUp: over random settled orders with random returns and
// cancellations, the lines' shares add up to the order's amounts exactly
// and none is negative.
func TestLineSharesAddUp(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(311))
	for i := range 3000 {
		in := randomOrder(rng, rng.Intn(2) == 0)
		switch rng.Intn(4) {
		case 0:
			in.Events = []OrderEvent{{Kind: OrderEventCancelled, At: in.PlacedAt.Add(time.Hour)}}
		case 1, 2:
			in.Events = randomReturns(rng, in, rng.Intn(2) == 0)
		}
		s, err := Settle(in)
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		shares := LineShares(s)
		var units, sold int64
		sales, fee, seller, platform := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
		for j, ls := range shares {
			for _, v := range []decimal.Decimal{ls.Sales, ls.Fee, ls.SellerShare, ls.PlatformShare} {
				if v.IsNegative() {
					t.Fatalf("order %d line %d: negative share %+v", i, j, ls)
				}
			}
			if ls.Units+ls.UnitsReturned+ls.UnitsCancelled != int64(s.Lines[j].Quantity) {
				t.Fatalf("order %d line %d: units %+v of %d", i, j, ls, s.Lines[j].Quantity)
			}
			if !s.Lines[j].Campaign.IsCampaign() && !ls.Fee.IsZero() {
				t.Fatalf("order %d line %d: a fee on a line in no campaign", i, j)
			}
			units += ls.Units
			sales, fee, seller, platform = sales.Add(ls.Sales), fee.Add(ls.Fee), seller.Add(ls.SellerShare), platform.Add(ls.PlatformShare)
		}
		a := orderDayAmounts(s)
		sold = a.Units
		if units != sold || !sales.Equal(a.Sales()) || !fee.Equal(a.FeeNet()) || !seller.Equal(a.SellerShare) || !platform.Equal(a.PlatformShare) {
			t.Fatalf("order %d (%s): shares %d %s %s %s %s, order %d %s %s %s %s", i, s.Status, units, sales, fee, seller, platform,
				sold, a.Sales(), a.FeeNet(), a.SellerShare, a.PlatformShare)
		}
	}
}

// TestPlaceDaylightSaving: days are the campaign's calendar days, 23 or 25
// hours long when the clocks change; runs are [start, end).
func TestPlaceDaylightSaving(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	runEnd := time.Date(2026, 11, 1, 12, 0, 0, 0, la)
	cal := CampaignCalendar{Location: la, Runs: []SubCampaignRun{
		{ID: 1, StartsAt: time.Date(2026, 3, 1, 0, 0, 0, 0, la), EndsAt: runEnd},
		{ID: 2, StartsAt: runEnd, EndsAt: time.Date(2026, 12, 1, 0, 0, 0, 0, la)},
	}}
	for _, c := range []struct {
		at   time.Time
		day  string
		sub  int64
		name string
	}{
		// 8 March 2026: clocks go forward, a 23-hour day.
		{time.Date(2026, 3, 8, 0, 30, 0, 0, la), "2026-03-08", 1, "first half hour of a 23-hour day"},
		{time.Date(2026, 3, 9, 6, 59, 0, 0, time.UTC), "2026-03-08", 1, "last minute of the 23-hour day (23:59 PDT)"},
		{time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC), "2026-03-09", 1, "next day"},
		// 1 November 2026: clocks go back, a 25-hour day.
		{time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC), "2026-11-01", 1, "midnight PDT"},
		{time.Date(2026, 11, 2, 7, 59, 0, 0, time.UTC), "2026-11-01", 2, "23:59 PST, hour 25"},
		{time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), "2026-11-02", 2, "next day"},
		{runEnd.Add(-time.Second), "2026-11-01", 1, "a second before the run ends"},
		{runEnd, "2026-11-01", 2, "the run's end is the next run's start"},
		{time.Date(2026, 2, 28, 23, 59, 0, 0, la), "2026-02-28", 0, "before every run"},
	} {
		p := cal.Place(9, c.at)
		if p.Day != c.day || p.SubCampaignID != c.sub || p.CampaignID != 9 {
			t.Errorf("%s: %+v, want day %s sub %d", c.name, p, c.day, c.sub)
		}
	}
}

// TestLineSharesIntIsRat: the integer shares are the big.Rat shares, to
// the cent and the exponent, over random orders with returns and
// cancellations.
func TestLineSharesIntIsRat(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(5))
	for i := range 5000 {
		in := randomOrder(rng, rng.Intn(2) == 0)
		switch rng.Intn(4) {
		case 0:
			in.Events = []OrderEvent{{Kind: OrderEventCancelled, At: in.PlacedAt.Add(time.Hour)}}
		case 1, 2:
			in.Events = randomReturns(rng, in, rng.Intn(2) == 0)
		}
		s, err := Settle(in)
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		got, ok := lineSharesInt(s)
		if !ok {
			t.Fatalf("order %d: no integer shares", i)
		}
		want := lineSharesRat(s)
		for j := range want {
			g, w := got[j], want[j]
			if g.Units != w.Units || g.UnitsReturned != w.UnitsReturned || g.UnitsCancelled != w.UnitsCancelled {
				t.Fatalf("order %d line %d: units %+v, want %+v", i, j, g, w)
			}
			for k, pair := range [][2]decimal.Decimal{{g.Sales, w.Sales}, {g.Fee, w.Fee}, {g.SellerShare, w.SellerShare}, {g.PlatformShare, w.PlatformShare}} {
				if !pair[0].Equal(pair[1]) || pair[0].String() != pair[1].String() {
					t.Fatalf("order %d line %d amount %d: %s, want %s", i, j, k, pair[0], pair[1])
				}
			}
		}
	}
}

// TestShareOutIntIsShareOut: over random weights with up to six decimals
// (zero ones, all zero with and without fallback parts) and amounts.
func TestShareOutIntIsShareOut(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(8))
	for i := range 20000 {
		n := 1 + rng.Intn(6)
		ds, muls, rs := make([]decimal.Decimal, n), make([]uint64, n), make([]*big.Rat, n)
		fallback := make([]bool, n)
		for j := range ds {
			ds[j] = decimal.New(rng.Int63n(100000), -int32(rng.Intn(7)))
			if rng.Intn(4) == 0 {
				ds[j] = decimal.Zero
			}
			muls[j] = uint64(1 + rng.Intn(12))
			if rng.Intn(5) == 0 {
				muls[j] = 0
			} else {
				rs[j] = new(big.Rat).Mul(ds[j].Rat(), new(big.Rat).SetInt64(int64(muls[j])))
			}
			fallback[j] = rng.Intn(2) == 0
		}
		if rng.Intn(3) == 0 {
			fallback = nil
		}
		amount := decimal.New(rng.Int63n(1000000), -int32(rng.Intn(3)))
		cents, _ := toCents(amount)
		w, got := make([]uint64, n), make([]int64, n)
		if !scaleWeights(func(j int) decimal.Decimal { return ds[j] }, muls, w) {
			t.Fatalf("case %d: no integer weights", i)
		}
		shareOutInt(cents, w, fallback, got, nil)
		want := ShareOut(amount, rs, fallback)
		for j := range want {
			if !decimal.New(got[j], -2).Equal(want[j]) {
				t.Fatalf("case %d: %s over %v ×%v: %v, want %v", i, amount, ds, muls, got, want)
			}
		}
	}
}

// TestLineSharesTooLarge: numbers beyond 64 bits take the big.Rat way.
func TestLineSharesTooLarge(t *testing.T) {
	t.Parallel()
	s := Settlement{Status: OrderPlaced, Merchandise: decimal.RequireFromString("300000000000000000.00"), Lines: []SettledLine{
		{Quantity: 3, Value: decimal.RequireFromString("100000000000000000.00")},
		{Quantity: 7, Value: decimal.RequireFromString("200000000000000000.00")},
	}}
	if _, ok := lineSharesInt(s); ok {
		t.Fatal("integer shares of 10^17 with cents")
	}
	got := LineShares(s)
	if got[0].Sales.String() != "100000000000000000" || got[1].Sales.String() != "200000000000000000" {
		t.Fatalf("shares %v", got)
	}
}

// orderDayAmounts is an order's contribution to its campaign_days row in
// decimals: the reference for orderDaySums.
func orderDayAmounts(s Settlement) CampaignDayAmounts {
	r := s.Reversed
	a := CampaignDayAmounts{Orders: 1, Merchandise: s.Merchandise, MerchandiseReversed: r.Merchandise, Shipping: s.Shipping,
		ShippingReversed: r.Shipping, Fee: s.Fee, FeeRefunded: r.FeeRefunded, SellerShare: s.SellerShare().Sub(r.SellerShare),
		PlatformShare: s.PlatformShare().Sub(r.PlatformShare), Payout: r.Payout}
	if s.Status != OrderCancelled {
		for _, l := range s.Lines {
			a.Units += int64(l.Quantity - l.Returned)
		}
	}
	return a
}
