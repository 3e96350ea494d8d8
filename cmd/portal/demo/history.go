package demo

import (
	"campaignportal/models/orders"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Maple & Co's order history: two years of ordinary orders (a growing
// shop, busier at weekends and in November and December); each campaign's
// orders over its run, twice as many on its peak days; and, on as many
// days just before a campaign, ordinary orders at 40% of its daily rate
// (the shop's usual orders give way to them), so a campaign's uplift over
// the days before it can be measured. Then each order's fate: most are
// completed, some cancelled, some returned in whole or in part. Nothing
// happens after the anchor, so the newest orders are still placed.

const (
	historyDays   = 730 // two years
	baselineShare = 0.4 // ordinary orders before a campaign, of its daily rate
	couponPercent = 45  // campaign orders that claim one of its coupons
)

// salesPlan is one campaign's part in the history.
type salesPlan struct {
	pastCampaign
	campaignID int64
	loc        *time.Location
	from, to   time.Time
	skus       []demoSKU // registered, at the campaign price
	stock      []int     // their campaign stock
	atRetail   []demoSKU // the same SKUs at their own price (before the run)
	partners   []demoSKU // another campaign's SKUs bought alongside (Singles' Day inside Autumn)
	coupons    []planCoupon
}

type planCoupon struct {
	ID          int64
	MinPurchase decimal.Decimal
}

type plannedOrder struct {
	body   orderBody
	events []demoEvent
}

type history struct {
	rng    *rand.Rand
	anchor time.Time
	la     *time.Location
	plain  []demoSKU // SKUs in no campaign
	stock  *campaignStock
	orders []plannedOrder
}

type window struct{ from, to time.Time }

func (w window) contains(t time.Time) bool { return !t.Before(w.from) && t.Before(w.to) }

// runDay is one local day of a run: [start, end), and the share of the
// day the run covers.
type runDay struct {
	start, end time.Time
	share      float64
}

// days splits [from, to) into local days of loc; from is a local midnight.
func days(from, to time.Time, loc *time.Location) []runDay {
	var out []runDay
	f := from.In(loc)
	for i := 0; ; i++ {
		start := time.Date(f.Year(), f.Month(), f.Day()+i, 0, 0, 0, 0, loc)
		if !start.Before(to) {
			return out
		}
		next := time.Date(f.Year(), f.Month(), f.Day()+i+1, 0, 0, 0, 0, loc)
		end := next
		if to.Before(end) {
			end = to
		}
		out = append(out, runDay{start, end, float64(end.Sub(start)) / float64(next.Sub(start))})
	}
}

// buildHistory plans every history order, oldest first, named
// MPL-<placed day in Los Angeles>-<n>; campaign lines draw on stock.
func buildHistory(anchor time.Time, plain []demoSKU, plans []salesPlan, stock *campaignStock) []plannedOrder {
	la, _ := time.LoadLocation("America/Los_Angeles")
	h := &history{rng: rand.New(rand.NewPCG(2026, 730)), anchor: anchor, la: la, plain: plain, stock: stock}
	var quiet []window
	for _, p := range plans {
		run := days(p.from, p.to, p.loc)
		for i, d := range run {
			rate := p.perDay * d.share
			if isPeak(i, len(run), p.peaks) {
				rate *= 2
			}
			for n := h.poisson(rate); n > 0; n-- {
				h.campaignOrder(p, h.timeIn(d, p.loc))
			}
		}
		if !p.baseline {
			continue
		}
		f := p.from.In(p.loc)
		before := time.Date(f.Year(), f.Month(), f.Day()-len(run), 0, 0, 0, 0, p.loc)
		quiet = append(quiet, window{before, p.from})
		for _, d := range days(before, p.from, p.loc) {
			for n := h.poisson(p.perDay * baselineShare); n > 0; n-- {
				pool := h.plain
				if h.rng.IntN(10) < 6 {
					pool = p.atRetail
				}
				placed := h.timeIn(d, p.loc)
				lines, subtotal := h.basket(placed, pool, pool, h.plain)
				h.add(placed, lines, subtotal, 0)
			}
		}
	}
	h.background(quiet)
	sort.SliceStable(h.orders, func(i, j int) bool { return h.orders[i].body.PlacedAt.Before(h.orders[j].body.PlacedAt) })
	seq, last := 0, ""
	for i := range h.orders {
		day := h.orders[i].body.PlacedAt.In(la).Format("060102")
		if day != last {
			seq, last = 0, day
		}
		seq++
		h.orders[i].body.OrderID = fmt.Sprintf("MPL-%s-%03d", day, seq)
	}
	return h.orders
}

func isPeak(i, n int, peaks []int) bool {
	for _, p := range peaks {
		if p == i || (p < 0 && n+p == i) {
			return true
		}
	}
	return false
}

// campaignOrder is an order with the campaign's SKUs at the campaign price,
// sometimes with other SKUs, often with one of its coupons (below its
// minimum purchase, the customer mostly goes without). With the campaign's
// stock sold out, the customer orders nothing.
func (h *history) campaignOrder(p salesPlan, placed time.Time) {
	others := [][]demoSKU{p.skus, p.skus, h.plain}
	if len(p.partners) > 0 {
		others[1] = p.partners
	}
	lines, subtotal := h.basket(placed, p.skus, others...)
	if len(lines) == 0 || h.stock.at(lines[0].SKU, placed) == nil {
		return
	}
	var coupon int64
	if len(p.coupons) > 0 && h.rng.IntN(100) < couponPercent {
		c := p.coupons[h.rng.IntN(len(p.coupons))]
		if below := subtotal.LessThan(c.MinPurchase); !below || h.rng.IntN(5) == 0 {
			coupon = c.ID
		}
	}
	h.add(placed, lines, subtotal, coupon)
}

// background adds the shop's usual orders, day by day in Los Angeles,
// except in the quiet windows before campaigns.
func (h *history) background(quiet []window) {
	a := h.anchor.In(h.la)
	start := time.Date(a.Year(), a.Month(), a.Day()-historyDays, 0, 0, 0, 0, h.la)
	for i, d := range days(start, h.anchor, h.la) {
		rate := 2.2 + float64(i)/historyDays // grows by a fifth a year
		if wd := d.start.Weekday(); wd == time.Saturday || wd == time.Sunday {
			rate *= 1.25
		}
		if m := d.start.Month(); m == time.November || m == time.December {
			rate *= 1.3
		}
		for n := h.poisson(rate); n > 0; n-- {
			placed := h.timeIn(d, h.la)
			lines, subtotal := h.basket(placed, h.plain, h.plain)
			if inAny(quiet, placed) {
				continue
			}
			h.add(placed, lines, subtotal, 0)
		}
	}
}

func inAny(ws []window, t time.Time) bool {
	for _, w := range ws {
		if w.contains(t) {
			return true
		}
	}
	return false
}

// hourWeights: few orders at night, most in the evening.
var hourWeights = []int{3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 7, 6, 6, 6, 7, 8, 9, 10, 9, 7, 5}

// timeIn picks a moment of the day, by the hour of day in loc.
func (h *history) timeIn(d runDay, loc *time.Location) time.Time {
	for try := 0; try < 5; try++ {
		hour := h.weighted(hourWeights...)
		t := d.start.Add(time.Duration(hour)*time.Hour + time.Duration(h.rng.Int64N(int64(time.Hour))))
		if t.Before(d.end) {
			return t.Truncate(time.Second)
		}
	}
	return d.start.Add(time.Duration(h.rng.Int64N(int64(d.end.Sub(d.start))))).Truncate(time.Second)
}

// basket picks one to three lines placed then: the first from first, each
// other from one of others, a campaign's SKUs within its stock (a line
// without stock left is left out); a few lines carry a seller discount of
// 5-15%.
func (h *history) basket(placed time.Time, first []demoSKU, others ...[]demoSKU) ([]orderLine, decimal.Decimal) {
	n := 1 + h.weighted(55, 30, 15)
	used := map[string]bool{}
	var lines []orderLine
	subtotal := decimal.Zero
	for i := 0; i < n; i++ {
		pool := first
		if i > 0 {
			pool = others[h.rng.IntN(len(others))]
		}
		sku, ok := h.stock.pick(h.rng, pool, placed)
		if !ok || used[sku.Code] {
			continue
		}
		used[sku.Code] = true
		qty := h.stock.take(sku.Code, placed, 1+h.weighted(65, 25, 10))
		gross := sku.Price.Mul(decimal.NewFromInt(int64(qty)))
		disc := decimal.Zero
		if h.rng.IntN(8) == 0 {
			disc = gross.Mul(decimal.NewFromInt(int64(5 + h.rng.IntN(11)))).Div(decimal.NewFromInt(100)).RoundFloor(2)
		}
		subtotal = subtotal.Add(gross).Sub(disc)
		lines = append(lines, orderLine{SKU: sku.Code, Quantity: qty, UnitPrice: sku.Price.StringFixed(2), SellerDiscount: disc.StringFixed(2)})
	}
	return lines, subtotal
}

// freeShippingFrom is Maple's free shipping threshold.
var freeShippingFrom = decimal.NewFromInt(25)

func (h *history) add(placed time.Time, lines []orderLine, subtotal decimal.Decimal, coupon int64) {
	shipping := "0.00"
	if subtotal.LessThan(freeShippingFrom) {
		shipping = []string{"3.99", "4.99", "5.99"}[h.rng.IntN(3)]
	}
	b := orderBody{PlacedAt: placed, Lines: lines, Shipping: shipping, Coupon: coupon}
	h.orders = append(h.orders, plannedOrder{body: b, events: h.fate(placed, lines)})
}

// fate: 5% cancelled within the day; the rest completed after one and a
// half to four and a half days, then 4% returned whole and 6% in part (one
// unit) within two weeks. Events after the anchor have not happened yet.
func (h *history) fate(placed time.Time, lines []orderLine) []demoEvent {
	after := func(t time.Time, minHours, maxHours float64) time.Time {
		return t.Add(time.Duration((minHours + h.rng.Float64()*(maxHours-minHours)) * float64(time.Hour))).Truncate(time.Second)
	}
	var evs []demoEvent
	if h.rng.IntN(100) < 5 {
		evs = append(evs, demoEvent{"cancelled", after(placed, 0.5, 20), nil})
	} else {
		done := after(placed, 36, 108)
		evs = append(evs, demoEvent{"completed", done, nil})
		units := 0
		for _, l := range lines {
			units += l.Quantity
		}
		switch r := h.rng.IntN(100); {
		case r < 4:
			evs = append(evs, demoEvent{"returned", after(done, 48, 300), nil})
		case r < 10 && units > 1:
			l := lines[h.rng.IntN(len(lines))]
			evs = append(evs, demoEvent{"returned", after(done, 48, 300), []orders.ReturnLine{{SKU: l.SKU, Quantity: 1}}})
		}
	}
	for i, ev := range evs {
		if ev.at.After(h.anchor) {
			return evs[:i]
		}
	}
	return evs
}

// weighted picks an index with the given weights.
func (h *history) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := h.rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// poisson draws how many orders a day with this mean rate brings.
func (h *history) poisson(mean float64) int {
	limit, n, p := math.Exp(-mean), 0, h.rng.Float64()
	for p > limit {
		n++
		p *= h.rng.Float64()
	}
	return n
}
