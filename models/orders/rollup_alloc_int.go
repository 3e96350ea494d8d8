package orders

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// The import shares out every order it keeps in the rollups, four splits
// an order: with big.Rat that was a fifth of the import's CPU. Here the
// weights of a split are scaled to whole numbers by one common factor,
// which changes no share, so the floors and the remainders compared are
// exactly ShareOut's; a number that does not fit in 64 bits falls back to
// big.Rat.

// lineCents is a LineShare in cents.
type lineCents struct {
	units, unitsReturned, unitsCancelled   int64
	sales, fee, sellerShare, platformShare int64
}

// lineSharesInt is LineShares in integers; ok is false when a number does
// not fit (nothing is returned then).
func lineSharesInt(s Settlement) ([]LineShare, bool) {
	cs, ok := lineShareCents(s)
	if !ok {
		return nil, false
	}
	out := make([]LineShare, len(cs))
	for i, c := range cs {
		out[i] = LineShare{Units: c.units, UnitsReturned: c.unitsReturned, UnitsCancelled: c.unitsCancelled,
			Sales: decimal.New(c.sales, -2), Fee: decimal.New(c.fee, -2), SellerShare: decimal.New(c.sellerShare, -2),
			PlatformShare: decimal.New(c.platformShare, -2)}
	}
	return out, true
}

// lineShareCents is LineShares in cents.
func lineShareCents(s Settlement) ([]lineCents, bool) {
	n := len(s.Lines)
	out := make([]lineCents, n)
	buf := make([]uint64, 6*n)
	keptMul, feeMul, couponMul := buf[:n], buf[n:2*n], buf[2*n:3*n]
	kept, feeW, couponW := buf[3*n:4*n], buf[4*n:5*n], buf[5*n:]
	flags := make([]bool, 2*n)
	campaignLine, couponLine := flags[:n], flags[n:]
	cancelled := s.Status == OrderCancelled
	// The values kept, value × units ÷ quantity, over the quantities' least
	// common multiple: value × units × (lcm ÷ quantity).
	lcm := uint64(1)
	for i, l := range s.Lines {
		switch {
		case cancelled:
			out[i].unitsCancelled = int64(l.Quantity)
		default:
			out[i].units = int64(l.Quantity - l.Returned)
			out[i].unitsReturned = int64(l.Returned)
		}
		if l.Quantity <= 0 || out[i].units < 0 {
			return nil, false
		}
		if out[i].units > 0 {
			var ok bool
			if lcm, ok = lcmUint(lcm, uint64(l.Quantity)); !ok {
				return nil, false
			}
		}
		if l.Campaign.IsCampaign() {
			campaignLine[i], feeMul[i] = true, 1
		}
		if s.Coupon != nil && l.Campaign.IsCampaign() && l.Campaign.CampaignID == s.Coupon.CampaignID {
			couponLine[i], couponMul[i] = true, 1
		}
	}
	for i, l := range s.Lines {
		if out[i].units > 0 {
			hi, m := bits.Mul64(uint64(out[i].units), lcm/uint64(l.Quantity))
			if hi != 0 {
				return nil, false
			}
			keptMul[i] = m
		}
	}
	value := func(i int) decimal.Decimal { return s.Lines[i].Value }
	feePart := func(i int) decimal.Decimal { return s.Lines[i].FeePart }
	if !scaleWeights(value, keptMul, kept) || !scaleWeights(feePart, feeMul, feeW) || !scaleWeights(value, couponMul, couponW) {
		return nil, false
	}
	r := s.Reversed
	sales, ok1 := centsLeft(s.Merchandise, r.Merchandise)
	fee, ok2 := centsLeft(s.Fee, r.FeeRefunded)
	seller, ok3 := centsLeft(s.SellerShare(), r.SellerShare)
	platform, ok4 := centsLeft(s.PlatformShare(), r.PlatformShare)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, false
	}
	parts := make([]int64, 4*n)
	rems := make([]shareRem, 0, n)
	shareOutInt(sales, kept, nil, parts[:n], rems)
	shareOutInt(fee, feeW, campaignLine, parts[n:2*n], rems)
	shareOutInt(seller, couponW, couponLine, parts[2*n:3*n], rems)
	shareOutInt(platform, couponW, couponLine, parts[3*n:], rems)
	for i := range out {
		out[i].sales, out[i].fee, out[i].sellerShare, out[i].platformShare = parts[i], parts[n+i], parts[2*n+i], parts[3*n+i]
	}
	return out, true
}

// centsLeft is a − b in cents when both are whole cents and the
// difference is in [0, 10^18) (what shareOutInt can share out).
func centsLeft(a, b decimal.Decimal) (int64, bool) {
	ca, ok := toCents(a)
	if !ok {
		return 0, false
	}
	cb, ok := toCents(b)
	if !ok {
		return 0, false
	}
	d := ca - cb // |ca|, |cb| < 10^18: no overflow
	return d, d >= 0 && d < 1_000_000_000_000_000_000
}

// scaleWeights writes w[i] = d(i) × muls[i] × 10^k, one k for all, the
// smallest that makes every weight whole (muls[i] 0: no weight). ok is
// false for a negative weight or one that does not fit in 64 bits, or a
// total that does not.
func scaleWeights(d func(int) decimal.Decimal, muls, w []uint64) bool {
	minExp := int32(0)
	for i, m := range muls {
		if m != 0 {
			if x := d(i); !x.IsZero() && x.Exponent() < minExp {
				minExp = x.Exponent()
			}
		}
	}
	var total uint64
	for i, m := range muls {
		w[i] = 0
		x := d(i)
		if m == 0 || x.IsZero() {
			continue
		}
		if x.Sign() < 0 || x.NumDigits() > 18 {
			return false
		}
		c, ok := mulPow10(uint64(x.CoefficientInt64()), x.Exponent()-minExp)
		if !ok {
			return false
		}
		hi, v := bits.Mul64(c, m)
		if hi != 0 {
			return false
		}
		var carry uint64
		if total, carry = bits.Add64(total, v, 0); carry != 0 {
			return false
		}
		w[i] = v
	}
	return true
}

// shareRem is a part's remainder: its numerator over the weights' total.
type shareRem struct {
	i int
	r uint64
}

// shareOutInt is ShareOut of 0 <= cents < 10^18 over whole-number weights
// (scaleWeights), into out; rems is room for the remainders.
func shareOutInt(cents int64, w []uint64, fallback []bool, out []int64, rems []shareRem) {
	n := len(w)
	clear(out)
	if n == 0 || cents == 0 {
		return
	}
	var total uint64
	for _, x := range w {
		total += x // scaleWeights checked the sum
	}
	if total == 0 {
		w = make([]uint64, n)
		for i := range w {
			if fallback != nil && fallback[i] {
				w[i] = 1
				total++
			}
		}
		if total == 0 {
			w[0], total = 1, 1
		}
	}
	rems = rems[:0]
	var given uint64
	for i, x := range w {
		if x == 0 {
			continue
		}
		hi, lo := bits.Mul64(uint64(cents), x)
		floor, r := bits.Div64(hi, lo, total) // x <= total, so the quotient fits
		given += floor
		out[i] = int64(floor)
		// Largest remainder first, ties in line order (as ShareOut's stable
		// sort): an insertion sort, as an order has few lines.
		j := len(rems)
		rems = append(rems, shareRem{})
		for ; j > 0 && rems[j-1].r < r; j-- {
			rems[j] = rems[j-1]
		}
		rems[j] = shareRem{i, r}
	}
	for k := 0; k < int(uint64(cents)-given); k++ {
		out[rems[k%len(rems)].i]++
	}
}

// mulPow10 is c × 10^k for 0 <= k; ok is false if it does not fit in an
// int64.
func mulPow10(c uint64, k int32) (uint64, bool) {
	for ; k > 0; k-- {
		hi, lo := bits.Mul64(c, 10)
		if hi != 0 || lo > 1<<63-1 {
			return 0, false
		}
		c = lo
	}
	return c, k == 0 && c <= 1<<63-1
}

// lcmUint is the least common multiple of a and b (both > 0); ok is false
// if it does not fit in an int64.
func lcmUint(a, b uint64) (uint64, bool) {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	hi, lo := bits.Mul64(a/x, b)
	return lo, hi == 0 && lo <= 1<<63-1
}
