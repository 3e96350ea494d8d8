package orders

import (
	"campaignportal/models"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// randomOrder builds a random order: up to four lines in up to two
// campaigns (or none), seller discounts, shipping, and a coupon on the
// first campaign with random terms.
func randomOrder(rng *rand.Rand, allFull bool) SettlementInput {
	cents := func(max int64) decimal.Decimal { return decimal.New(rng.Int63n(max+1), -2) }
	rates := []string{"0.01", "0.015", "0.02", "0.0275", "0.005", "0.1234"}
	policy := func() models.FeeRefundPolicy {
		if allFull || rng.Intn(2) == 0 {
			return models.RefundInFull
		}
		return models.NoRefund
	}
	camps := []LineCampaign{noCampaign, camp(1, rates[rng.Intn(len(rates))], policy()), camp(2, rates[rng.Intn(len(rates))], policy())}
	in := SettlementInput{PlacedAt: placed, ShippingPaid: cents(1500)}
	n := 1 + rng.Intn(4)
	for i := 0; i < n; i++ {
		q := 1 + rng.Intn(5)
		u := cents(20000).Add(decimal.New(1, -2))
		gross := u.Mul(decimal.NewFromInt(int64(q)))
		d := decimal.Zero
		switch rng.Intn(3) {
		case 1:
			d = decimal.New(rng.Int63n(gross.Shift(2).IntPart()+1), -2)
		case 2:
			d = gross // fully discounted line
		}
		in.Lines = append(in.Lines, SettleLine{SKU: fmt.Sprintf("S%d", i), Quantity: q, UnitPrice: u, SellerDiscount: d,
			Campaign: camps[rng.Intn(len(camps))]})
	}
	if rng.Intn(4) > 0 {
		terms := models.CouponTerms{MinPurchase: cents(30000), SellerSharePct: decimal.New(rng.Int63n(201), -1).Mul(decimal.NewFromInt(5)).Round(2)}
		if terms.SellerSharePct.GreaterThan(hundred) {
			terms.SellerSharePct = hundred
		}
		if rng.Intn(2) == 0 {
			terms.Type, terms.Value = models.CouponPercent, decimal.New(1+rng.Int63n(9900), -2)
			if rng.Intn(2) == 0 {
				terms.Cap = decimal.NullDecimal{Decimal: cents(10000).Add(decimal.New(1, -2)), Valid: true}
			}
		} else {
			terms.Type, terms.Value = models.CouponFixed, cents(5000).Add(decimal.New(1, -2))
		}
		if rng.Intn(3) == 0 {
			terms.MaxSellerFunding = decimal.NullDecimal{Decimal: cents(3000), Valid: true}
		}
		in.Coupon = &SettleCoupon{ID: 1, CampaignID: 1, Terms: terms, Taken: rng.Intn(5) > 0}
	}
	return in
}

// randomReturns completes the order, then returns random parts of it
// until every unit is back (or stops early when whole is false).
func randomReturns(rng *rand.Rand, in SettlementInput, whole bool) []OrderEvent {
	t := placed.Add(time.Hour)
	events := []OrderEvent{{Kind: OrderEventCompleted, At: t}}
	left := make([]int, len(in.Lines))
	for i, l := range in.Lines {
		left[i] = l.Quantity
	}
	remaining := func() int {
		n := 0
		for _, x := range left {
			n += x
		}
		return n
	}
	for remaining() > 0 {
		if !whole && rng.Intn(3) == 0 {
			break
		}
		t = t.Add(time.Duration(rng.Intn(3)) * time.Hour) // sometimes at the same moment
		if rng.Intn(6) == 0 {
			events = append(events, OrderEvent{Kind: OrderEventReturned, At: t}) // the rest
			break
		}
		var lines []ReturnLine
		for i, l := range in.Lines {
			if left[i] > 0 && rng.Intn(2) == 0 {
				q := 1 + rng.Intn(left[i])
				left[i] -= q
				lines = append(lines, ReturnLine{SKU: l.SKU, Quantity: q})
			}
		}
		if len(lines) > 0 {
			events = append(events, OrderEvent{Kind: OrderEventReturned, At: t, Lines: lines})
		}
	}
	return events
}

// checkInvariants: no reversal is negative or larger than what is left of
// its charge, each coupon reversal splits exactly, the platform never gets
// back more than it paid, and the payout is the published formula.
func checkInvariants(t *testing.T, s Settlement) {
	t.Helper()
	var run Totals
	for i, r := range s.Reversals {
		for name, v := range map[string]decimal.Decimal{"merchandise": r.Merchandise, "shipping": r.Shipping, "fee": r.FeeRefunded,
			"discount": r.Discount, "seller": r.SellerShare, "platform": r.PlatformShare} {
			if v.IsNegative() {
				t.Fatalf("reversal %d: %s %s is negative", i, name, v)
			}
		}
		if !r.Discount.Equal(r.SellerShare.Add(r.PlatformShare)) {
			t.Fatalf("reversal %d: %s ≠ %s + %s", i, r.Discount, r.SellerShare, r.PlatformShare)
		}
		run.Merchandise = run.Merchandise.Add(r.Merchandise)
		run.FeeRefunded = run.FeeRefunded.Add(r.FeeRefunded)
		run.Discount = run.Discount.Add(r.Discount)
		run.SellerShare = run.SellerShare.Add(r.SellerShare)
		run.PlatformShare = run.PlatformShare.Add(r.PlatformShare)
		run.Shipping = run.Shipping.Add(r.Shipping)
		if run.Merchandise.GreaterThan(s.Merchandise) || run.FeeRefunded.GreaterThan(s.FeeAtCompletion) ||
			run.Discount.GreaterThan(s.appliedCoupon().Discount) || run.SellerShare.GreaterThan(s.SellerShare()) ||
			run.PlatformShare.GreaterThan(s.PlatformShare()) || run.Shipping.GreaterThan(s.Shipping) {
			t.Fatalf("reversal %d: running reversals %+v exceed the charges", i, run)
		}
		if !r.After.Payout.Equal(r.After.payoutOf(s)) {
			t.Fatalf("reversal %d: payout %s is not the formula", i, r.After.Payout)
		}
	}
	if !sameTotals(run.withPayout(s.Reversed.Payout), s.Reversed) {
		t.Fatalf("running totals %+v ≠ %+v", run, s.Reversed)
	}
	if !s.Payout().Equal(payoutSum(s)) {
		t.Fatalf("payout %s ≠ %s", s.Payout(), payoutSum(s))
	}
}

func (c Settlement) appliedCoupon() CouponSettlement {
	if c.Coupon == nil || c.Coupon.Status != CouponApplied {
		return CouponSettlement{}
	}
	return *c.Coupon
}

func (r Totals) withPayout(p decimal.Decimal) Totals { r.Payout = p; return r }

func (r Totals) payoutOf(s Settlement) decimal.Decimal {
	return s.Merchandise.Add(s.Shipping).Sub(s.Fee).Sub(s.SellerShare()).Sub(r.Merchandise).Sub(r.Shipping).Add(r.FeeRefunded).Add(r.SellerShare)
}

func TestSettlementProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(20251128))
	for i := 0; i < 20000; i++ {
		allFull := i%2 == 0
		in := randomOrder(rng, allFull)
		in.Events = randomReturns(rng, in, true)
		s, err := Settle(in)
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		checkInvariants(t, s)
		// Whole returns net to zero: everything charged comes back
		// (the fee too when every campaign refunds in full); the seller
		// keeps the shipping, less any fee that is not refunded.
		c := s.appliedCoupon()
		if !s.Reversed.Merchandise.Equal(s.Merchandise) || !s.Reversed.Discount.Equal(c.Discount) ||
			!s.Reversed.SellerShare.Equal(c.SellerShare) || !s.Reversed.PlatformShare.Equal(c.PlatformShare) {
			t.Fatalf("order %d: a whole return does not net to zero: %+v", i, s.Reversed)
		}
		if s.FeeFullRefund && !s.Reversed.FeeRefunded.Equal(s.Fee) {
			t.Fatalf("order %d: full policy refunded %s of %s", i, s.Reversed.FeeRefunded, s.Fee)
		}
		if allFull && !s.Payout().Equal(s.Shipping) {
			t.Fatalf("order %d: whole return (policy full) pays %s, want the shipping %s", i, s.Payout(), s.Shipping)
		}
		if !s.Payout().Equal(s.Shipping.Sub(s.Fee).Add(s.Reversed.FeeRefunded)) {
			t.Fatalf("order %d: whole return pays %s", i, s.Payout())
		}
		if s.Status != OrderReturned {
			t.Fatalf("order %d: status %s", i, s.Status)
		}
		// Any split of a whole return nets to the same totals as one
		// return of everything (policy full).
		if allFull {
			once := in
			once.Events = []OrderEvent{in.Events[0], {Kind: OrderEventReturned, At: in.Events[0].At}}
			o := mustSettle(t, once)
			if !sameTotals(o.Reversed, s.Reversed) {
				t.Fatalf("order %d: split %+v ≠ at once %+v", i, s.Reversed, o.Reversed)
			}
		}
	}
}

func TestSettlementPropertiesPartialAndCancelled(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 20000; i++ {
		in := randomOrder(rng, false)
		if i%5 == 0 {
			in.Events = []OrderEvent{{Kind: OrderEventCancelled, At: placed.Add(time.Minute)}}
		} else {
			in.Events = randomReturns(rng, in, false)
		}
		s, err := Settle(in)
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		checkInvariants(t, s)
		if s.Status == OrderCancelled && !s.Payout().IsZero() {
			t.Fatalf("order %d: cancelled pays %s", i, s.Payout())
		}
	}
}
