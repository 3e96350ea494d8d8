package orders

import (
	"math/big"
	"sort"

	"github.com/shopspring/decimal"
)

// ShareOut splits a non-negative amount of cents over weights, to the
// cent, so the parts add up to the amount exactly (largest remainder:
// every part gets the floor of its exact share, and the cents left over
// go to the largest remainders, ties to the earlier part). Weights are
// non-negative; when they are all zero the amount goes to the fallback
// parts in equal shares the same way (nil fallback: the first part).
func ShareOut(amount decimal.Decimal, weights []*big.Rat, fallback []bool) []decimal.Decimal {
	n := len(weights)
	out := make([]decimal.Decimal, n)
	for i := range out {
		out[i] = decimal.Zero
	}
	if n == 0 || amount.IsZero() {
		return out
	}
	total := new(big.Rat)
	for _, w := range weights {
		if w != nil {
			total.Add(total, w)
		}
	}
	if total.Sign() == 0 {
		weights = make([]*big.Rat, n)
		for i := range weights {
			if fallback != nil && fallback[i] {
				weights[i] = big.NewRat(1, 1)
				total.Add(total, weights[i])
			}
		}
		if total.Sign() == 0 {
			weights[0], total = big.NewRat(1, 1), big.NewRat(1, 1)
		}
	}
	cents := amount.Shift(2).BigInt() // amounts are whole cents
	type rem struct {
		i int
		r *big.Rat
	}
	rems := make([]rem, 0, n)
	given := new(big.Int)
	for i, w := range weights {
		if w == nil || w.Sign() == 0 {
			continue
		}
		exact := new(big.Rat).Mul(new(big.Rat).SetInt(cents), w)
		exact.Quo(exact, total)
		floor := new(big.Int).Quo(exact.Num(), exact.Denom()) // exact >= 0: truncation is the floor
		given.Add(given, floor)
		out[i] = decimal.NewFromBigInt(floor, -2)
		rems = append(rems, rem{i, exact.Sub(exact, new(big.Rat).SetInt(floor))})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.Cmp(rems[b].r) > 0 })
	left := new(big.Int).Sub(cents, given).Int64()
	for k := 0; k < int(left); k++ {
		i := rems[k%len(rems)].i
		out[i] = out[i].Add(decimal.New(1, -2))
	}
	return out
}

// LineShare is one order line's part of what the order settles at: the
// order's amounts shared out over its lines (ShareOut), so the lines of an
// order always add up to the order.
type LineShare struct {
	Units          int64 // sold and kept: not returned, not cancelled
	UnitsReturned  int64
	UnitsCancelled int64
	Sales          decimal.Decimal // merchandise net of returns and cancellation
	Fee            decimal.Decimal // fee net of refunds
	SellerShare    decimal.Decimal // the coupon's seller share, net of reversals
	PlatformShare  decimal.Decimal // the coupon's platform share, net of reversals
}

// LineShares shares a settled order out over its lines. Sales go by each
// line's value kept (value × units kept ÷ quantity), the fee by each
// campaign line's fee part (its rate × value; the shipping part of the fee
// follows them), the coupon by the value of the coupon campaign's lines.
func LineShares(s Settlement) []LineShare {
	if out, ok := lineSharesInt(s); ok {
		return out
	}
	return lineSharesRat(s)
}

// lineSharesRat is LineShares with big.Rat weights: the definition, and
// the way for numbers too large for lineSharesInt.
func lineSharesRat(s Settlement) []LineShare {
	n := len(s.Lines)
	out := make([]LineShare, n)
	kept := make([]*big.Rat, n)
	feeW := make([]*big.Rat, n)
	campaignLine := make([]bool, n)
	couponW := make([]*big.Rat, n)
	couponLine := make([]bool, n)
	cancelled := s.Status == OrderCancelled
	for i, l := range s.Lines {
		switch {
		case cancelled:
			out[i].UnitsCancelled = int64(l.Quantity)
		default:
			out[i].Units = int64(l.Quantity - l.Returned)
			out[i].UnitsReturned = int64(l.Returned)
		}
		k := new(big.Rat).Mul(l.Value.Rat(), big.NewRat(out[i].Units, int64(l.Quantity)))
		kept[i] = k
		if l.Campaign.IsCampaign() {
			campaignLine[i] = true
			feeW[i] = l.FeePart.Rat()
		}
		if s.Coupon != nil && l.Campaign.IsCampaign() && l.Campaign.CampaignID == s.Coupon.CampaignID {
			couponLine[i] = true
			couponW[i] = l.Value.Rat()
		}
	}
	r := s.Reversed
	sales := ShareOut(s.Merchandise.Sub(r.Merchandise), kept, nil)
	fee := ShareOut(s.Fee.Sub(r.FeeRefunded), feeW, campaignLine)
	seller := ShareOut(s.SellerShare().Sub(r.SellerShare), couponW, couponLine)
	platform := ShareOut(s.PlatformShare().Sub(r.PlatformShare), couponW, couponLine)
	for i := range out {
		out[i].Sales, out[i].Fee, out[i].SellerShare, out[i].PlatformShare = sales[i], fee[i], seller[i], platform[i]
	}
	return out
}
