package orders

import (
	"math/rand"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestToCents(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"0", 0, true},
		{"12.5", 1250, true},
		{"-12.34", -1234, true},
		{"1.230", 123, true}, // a trailing zero past the cent
		{"1e5", 10000000, true},
		{"0.001", 0, false},
		{"-0.125", 0, false},
		{"9999999999999999.99", 999999999999999999, true},
		{"10000000000000000", 0, false}, // 10^18 cents
		{"123456789012345678.9", 0, false},
	} {
		got, ok := toCents(decimal.RequireFromString(c.in))
		if got != c.cents || ok != c.ok {
			t.Errorf("toCents(%s) = %d, %v; want %d, %v", c.in, got, ok, c.cents, c.ok)
		}
	}
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", -5: "-0.05", 1234: "12.34", -123456: "-1234.56", 100: "1.00"} {
		if got := centsText(c); got != want {
			t.Errorf("centsText(%d) = %s, want %s", c, got, want)
		}
	}
}

// TestCentsSumExact: sums stay exact with amounts finer than a cent and
// past 10^18 cents, and taking away what was added leaves zero.
func TestCentsSumExact(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(3))
	var m centsSum
	want := decimal.Zero
	for range 2000 {
		var d decimal.Decimal
		switch rng.Intn(5) {
		case 0:
			d = decimal.New(rng.Int63n(1000000), -int32(rng.Intn(5))) // sub-cent now and then
		case 1:
			d = decimal.New(rng.Int63n(1e17), -2).Add(decimal.New(9e15, 0)) // near the limit
		default:
			d = decimal.New(rng.Int63n(100000)-50000, -2)
		}
		sign := int64(1)
		if rng.Intn(3) == 0 {
			sign = -1
		}
		m.add(d, sign)
		want = want.Add(d.Mul(decimal.NewFromInt(sign)))
		if got := decimal.RequireFromString(m.String()); !got.Equal(want) {
			t.Fatalf("sum %s, want %s", m.String(), want)
		}
	}
	var o centsSum
	o.merge(m, 1)
	o.merge(m, -1)
	if !decimal.RequireFromString(o.String()).IsZero() {
		t.Fatalf("merged away: %s", o.String())
	}
}

// TestRollupDeltaSumsAreDecimalSums: what a delta writes is, row by row,
// the sum in decimals of the orders' day amounts and line shares (the
// definition), over random orders added and taken away.
func TestRollupDeltaSumsAreDecimalSums(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(17))
	d := newRollupDelta()
	wantDays := map[campaignDayKey]*[11]decimal.Decimal{}
	wantSKUs := map[campaignSKUKey]*[8]decimal.Decimal{}
	for range 4000 {
		in := randomOrder(rng, rng.Intn(2) == 0)
		switch rng.Intn(4) {
		case 0:
			in.Events = []OrderEvent{{Kind: OrderEventCancelled, At: in.PlacedAt.Add(time.Hour)}}
		case 1, 2:
			in.Events = randomReturns(rng, in, rng.Intn(2) == 0)
		}
		s, err := Settle(in)
		if err != nil {
			t.Fatal(err)
		}
		skus := make([]int64, len(s.Lines))
		for i := range skus {
			skus[i] = 1 + rng.Int63n(6)
		}
		day := time.Date(2026, 10, 1+rng.Intn(3), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		var places []OrderPlacement
		for _, cid := range s.CampaignIDs {
			places = append(places, OrderPlacement{CampaignID: cid, Day: day, SubCampaignID: int64(rng.Intn(2))})
		}
		sign := int64(1)
		if rng.Intn(4) == 0 {
			sign = -1
		}
		d.add(7, skus, places, s, sign)
		sg := decimal.NewFromInt(sign)
		a, shares := orderDayAmounts(s), lineSharesRat(s)
		for _, p := range places {
			k := campaignDayKey{shop: 7, campaign: p.CampaignID, day: p.Day, sub: p.SubCampaignID, status: s.Status,
				lead: s.CampaignIDs[0] == p.CampaignID}
			w := wantDays[k]
			if w == nil {
				w = &[11]decimal.Decimal{}
				wantDays[k] = w
			}
			for j, v := range []decimal.Decimal{decimal.NewFromInt(a.Orders), decimal.NewFromInt(a.Units), a.Merchandise,
				a.MerchandiseReversed, a.Shipping, a.ShippingReversed, a.Fee, a.FeeRefunded, a.SellerShare, a.PlatformShare, a.Payout} {
				w[j] = w[j].Add(v.Mul(sg))
			}
			for i, l := range s.Lines {
				sk := campaignSKUKey{shop: 7, campaign: p.CampaignID, day: p.Day, sku: skus[i],
					campaignLine: l.Campaign.IsCampaign() && l.Campaign.CampaignID == p.CampaignID}
				w := wantSKUs[sk]
				if w == nil {
					w = &[8]decimal.Decimal{}
					wantSKUs[sk] = w
				}
				ls := shares[i]
				for j, v := range []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(ls.Units), decimal.NewFromInt(ls.UnitsReturned),
					decimal.NewFromInt(ls.UnitsCancelled), ls.Sales, ls.Fee, ls.SellerShare, ls.PlatformShare} {
					w[j] = w[j].Add(v.Mul(sg))
				}
			}
		}
	}
	if len(d.days) != len(wantDays) || len(d.skus) != len(wantSKUs) {
		t.Fatalf("%d day rows and %d SKU rows, want %d and %d", len(d.days), len(d.skus), len(wantDays), len(wantSKUs))
	}
	same := func(got string, want decimal.Decimal) bool { return decimal.RequireFromString(got).Equal(want) }
	for k, w := range wantDays {
		a := d.days[k]
		got := []string{decimal.NewFromInt(a.orders).String(), decimal.NewFromInt(a.units).String(), a.merchandise.String(),
			a.merchandiseReversed.String(), a.shipping.String(), a.shippingReversed.String(), a.fee.String(), a.feeRefunded.String(),
			a.sellerShare.String(), a.platformShare.String(), a.payout.String()}
		for j := range got {
			if !same(got[j], w[j]) {
				t.Fatalf("day row %+v column %d: %s, want %s", k, j, got[j], w[j])
			}
		}
	}
	for k, w := range wantSKUs {
		a := d.skus[k]
		got := []string{decimal.NewFromInt(a.orders).String(), decimal.NewFromInt(a.units).String(), decimal.NewFromInt(a.unitsReturned).String(),
			decimal.NewFromInt(a.unitsCancelled).String(), a.sales.String(), a.fee.String(), a.sellerShare.String(), a.platformShare.String()}
		for j := range got {
			if !same(got[j], w[j]) {
				t.Fatalf("SKU row %+v column %d: %s, want %s", k, j, got[j], w[j])
			}
		}
	}
}
