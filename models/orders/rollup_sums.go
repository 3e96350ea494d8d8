package orders

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// The sums a rollupDelta gathers. A batch of 2,000 orders adds up tens of
// thousands of amounts; as decimals every addition allocated (about 6% of
// the import's CPU). Amounts are whole cents, so they are summed as int64
// cents, exactly; an amount finer than a cent or a sum past ±10^18 cents
// is carried exactly as a decimal instead.

// centsSum is an exact sum of amounts.
type centsSum struct {
	cents int64
	rest  decimal.Decimal // what does not fit in cents (almost always zero)
}

// add adds d (sign +1) or takes it away (-1).
func (m *centsSum) add(d decimal.Decimal, sign int64) {
	if c, ok := toCents(d); ok && m.addCents(sign*c) {
		return
	}
	if sign < 0 {
		m.rest = m.rest.Sub(d)
	} else {
		m.rest = m.rest.Add(d)
	}
}

// addCents adds c cents; false (nothing added) if the sum would leave
// ±10^18.
func (m *centsSum) addCents(c int64) bool {
	const limit = 1_000_000_000_000_000_000
	s := m.cents + c // |m.cents|, |c| < 10^18: no overflow
	if s >= limit || s <= -limit {
		return false
	}
	m.cents = s
	return true
}

// merge adds another sum (sign +1) or takes it away (-1).
func (m *centsSum) merge(o centsSum, sign int64) {
	if !m.addCents(sign * o.cents) {
		m.add(decimal.New(o.cents, -2), sign)
	}
	if !o.rest.IsZero() {
		m.add(o.rest, sign)
	}
}

// String is the sum as text for a numeric column.
func (m centsSum) String() string {
	if m.rest.IsZero() {
		return centsText(m.cents)
	}
	return decimal.New(m.cents, -2).Add(m.rest).String()
}

// toCents is d in whole cents, if it is whole cents under ±10^18.
func toCents(d decimal.Decimal) (int64, bool) {
	if d.IsZero() {
		return 0, true
	}
	if d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	e := d.Exponent() + 2
	for ; e > 0; e-- {
		if c >= 100_000_000_000_000_000 || c <= -100_000_000_000_000_000 {
			return 0, false
		}
		c *= 10
	}
	for ; e < 0; e++ {
		if c%10 != 0 {
			return 0, false
		}
		c /= 10
	}
	return c, true
}

// centsText writes cents as a decimal amount: -1234 is "-12.34".
func centsText(c int64) string {
	var b [24]byte
	out := b[:0]
	if c < 0 {
		out = append(out, '-')
		c = -c
	}
	out = strconv.AppendInt(out, c/100, 10)
	out = append(out, '.', byte('0'+c%100/10), byte('0'+c%10))
	return string(out)
}

// daySums are the sums of a set of orders in a campaign_days row.
type daySums struct {
	orders, units                              int64
	merchandise, merchandiseReversed, shipping centsSum
	shippingReversed, fee, feeRefunded         centsSum
	sellerShare, platformShare, payout         centsSum
}

// orderDaySums is one order's contribution to a campaign_days row, as
// orderDayAmounts.
func orderDaySums(s Settlement) daySums {
	r := s.Reversed
	a := daySums{orders: 1}
	a.merchandise.add(s.Merchandise, 1)
	a.merchandiseReversed.add(r.Merchandise, 1)
	a.shipping.add(s.Shipping, 1)
	a.shippingReversed.add(r.Shipping, 1)
	a.fee.add(s.Fee, 1)
	a.feeRefunded.add(r.FeeRefunded, 1)
	a.sellerShare.add(s.SellerShare(), 1)
	a.sellerShare.add(r.SellerShare, -1)
	a.platformShare.add(s.PlatformShare(), 1)
	a.platformShare.add(r.PlatformShare, -1)
	a.payout.add(r.Payout, 1)
	if s.Status != OrderCancelled {
		for _, l := range s.Lines {
			a.units += int64(l.Quantity - l.Returned)
		}
	}
	return a
}

func (a *daySums) merge(b *daySums, sign int64) {
	a.orders += sign * b.orders
	a.units += sign * b.units
	a.merchandise.merge(b.merchandise, sign)
	a.merchandiseReversed.merge(b.merchandiseReversed, sign)
	a.shipping.merge(b.shipping, sign)
	a.shippingReversed.merge(b.shippingReversed, sign)
	a.fee.merge(b.fee, sign)
	a.feeRefunded.merge(b.feeRefunded, sign)
	a.sellerShare.merge(b.sellerShare, sign)
	a.platformShare.merge(b.platformShare, sign)
	a.payout.merge(b.payout, sign)
}

// skuSums are the sums of a set of order lines in a campaign_sku_days row.
type skuSums struct {
	orders, units, unitsReturned, unitsCancelled int64
	sales, fee, sellerShare, platformShare       centsSum
}

func (a *skuSums) merge(b *skuSums, sign int64) {
	a.orders += sign * b.orders
	a.units += sign * b.units
	a.unitsReturned += sign * b.unitsReturned
	a.unitsCancelled += sign * b.unitsCancelled
	a.sales.merge(b.sales, sign)
	a.fee.merge(b.fee, sign)
	a.sellerShare.merge(b.sellerShare, sign)
	a.platformShare.merge(b.platformShare, sign)
}

// lineSums are an order's lines' contributions to campaign_sku_days rows:
// LineShares, in cents when the integer way applies.
func lineSums(s Settlement) []skuSums {
	out := make([]skuSums, len(s.Lines))
	if cs, ok := lineShareCents(s); ok {
		for i, c := range cs {
			out[i] = skuSums{orders: 1, units: c.units, unitsReturned: c.unitsReturned, unitsCancelled: c.unitsCancelled,
				sales: centsSum{cents: c.sales}, fee: centsSum{cents: c.fee}, sellerShare: centsSum{cents: c.sellerShare},
				platformShare: centsSum{cents: c.platformShare}}
		}
		return out
	}
	for i, ls := range lineSharesRat(s) {
		out[i] = skuSums{orders: 1, units: ls.Units, unitsReturned: ls.UnitsReturned, unitsCancelled: ls.UnitsCancelled}
		out[i].sales.add(ls.Sales, 1)
		out[i].fee.add(ls.Fee, 1)
		out[i].sellerShare.add(ls.SellerShare, 1)
		out[i].platformShare.add(ls.PlatformShare, 1)
	}
	return out
}
