package performance

import (
	"cmp"
	"sort"

	"github.com/shopspring/decimal"
)

// The figure arithmetic of the performance pages: changes against the
// previous year, the SKU table's sums and order, and whether a campaign
// paid. Handlers only turn these into words.

// ChangeKind says how a figure compares with the previous year's.
type ChangeKind int

const (
	Unchanged ChangeKind = iota // equal (or both zero), to one decimal of a percent
	NewFigure                   // nothing the year before, something now
	Moved                       // up or down by Percent
)

// Change is one figure against the previous year.
type Change struct {
	Kind ChangeKind
	// Percent is the signed change in percent of the earlier figure,
	// rounded half up to one decimal (Moved only).
	Percent decimal.Decimal
	// Helps says the change is good for the seller: more sales, orders or
	// payout, lower costs (Moved only).
	Helps bool
}

// FigureChange compares now with before; lessIsBetter marks a cost.
func FigureChange(now, before decimal.Decimal, lessIsBetter bool) Change {
	if before.IsZero() {
		if now.IsZero() {
			return Change{Kind: Unchanged}
		}
		return Change{Kind: NewFigure}
	}
	p := now.Sub(before).Mul(decimal.NewFromInt(100)).DivRound(before.Abs(), 1)
	if p.IsZero() {
		return Change{Kind: Unchanged}
	}
	return Change{Kind: Moved, Percent: p, Helps: p.IsPositive() != lessIsBetter}
}

// YearChange is each yearly figure against the previous year.
type YearChange struct {
	Sales, Orders, Units, AverageOrder, Fee, CouponCost, Subsidy, Payout Change
}

// CompareYears compares a year's figures with the previous year's.
func CompareYears(now, before PerfFigures) YearChange {
	n := func(x int64) decimal.Decimal { return decimal.NewFromInt(x) }
	return YearChange{
		Sales:        FigureChange(now.Sales(), before.Sales(), false),
		Orders:       FigureChange(n(now.Orders), n(before.Orders), false),
		Units:        FigureChange(n(now.Units), n(before.Units), false),
		AverageOrder: FigureChange(now.AverageOrder(), before.AverageOrder(), false),
		Fee:          FigureChange(now.Fee(), before.Fee(), true),
		CouponCost:   FigureChange(now.SellerShare, before.SellerShare, true),
		Subsidy:      FigureChange(now.PlatformShare, before.PlatformShare, false),
		Payout:       FigureChange(now.Payout, before.Payout, false),
	}
}

// Add sums two SKU rows' figures (the identity fields are a's).
func (p PerfSKU) Add(b PerfSKU) PerfSKU {
	p.Orders += b.Orders
	p.Units += b.Units
	p.UnitsReturned += b.UnitsReturned
	p.UnitsCancelled += b.UnitsCancelled
	p.Sales, p.Fee = p.Sales.Add(b.Sales), p.Fee.Add(b.Fee)
	p.SellerShare, p.PlatformShare = p.SellerShare.Add(b.SellerShare), p.PlatformShare.Add(b.PlatformShare)
	return p
}

// SKUTable is View data's table of products and SKUs.
type SKUTable struct {
	Rows []PerfSKU // the campaign's SKUs (and, when asked, the others one by one)
	// Others sums the other products bought in the same orders when they
	// are folded into one row; OtherCount is how many SKUs it holds.
	Others     PerfSKU
	OtherCount int
	Total      PerfSKU // every row: adds up to the headline
}

// BuildSKUTable sums the SKU rows; the SKUs not sold in the campaign are
// folded into Others unless unfold.
func BuildSKUTable(skus []PerfSKU, unfold bool) SKUTable {
	t := SKUTable{Others: PerfSKU{ProductTitle: "Other products bought in the same orders"}}
	for _, s := range skus {
		t.Total = t.Total.Add(s)
		if !s.CampaignLine && !unfold {
			t.Others = t.Others.Add(s)
			t.OtherCount++
			continue
		}
		t.Rows = append(t.Rows, s)
	}
	return t
}

// skuSorts are the SKU table's sortable columns.
var skuSorts = map[string]func(a, b PerfSKU) int{
	"product": func(a, b PerfSKU) int {
		return cmp.Compare(a.ProductTitle+a.SKUCode, b.ProductTitle+b.SKUCode)
	},
	"units":  func(a, b PerfSKU) int { return cmp.Compare(a.Units, b.Units) },
	"sales":  func(a, b PerfSKU) int { return a.Sales.Cmp(b.Sales) },
	"fee":    func(a, b PerfSKU) int { return a.Fee.Cmp(b.Fee) },
	"coupon": func(a, b PerfSKU) int { return a.SellerShare.Cmp(b.SellerShare) },
	"sold": func(a, b PerfSKU) int {
		x, _ := a.SoldThrough()
		y, _ := b.SoldThrough()
		return x.Cmp(y)
	},
}

// SortSKUs orders the SKU table by a column (sales, highest first, by
// default; an unknown key or direction falls back to it) and returns the
// key and direction used; this campaign's lines always come before the
// other products bought in the same orders, ties by SKU id.
func SortSKUs(skus []PerfSKU, key, dir string) (string, string) {
	by, ok := skuSorts[key]
	if !ok {
		key, by = "sales", skuSorts["sales"]
	}
	if dir != "asc" {
		dir = "desc"
	}
	sort.SliceStable(skus, func(i, j int) bool {
		a, b := skus[i], skus[j]
		if a.CampaignLine != b.CampaignLine {
			return a.CampaignLine
		}
		c := by(a, b)
		if dir == "desc" {
			c = -c
		}
		if c == 0 {
			return a.SKUID < b.SKUID
		}
		return c < 0
	})
	return key, dir
}

// Verdict is whether a campaign paid, from the uplift and its cost.
type Verdict int

const (
	SoldMoreForFree Verdict = iota // more sales, and it cost nothing
	CostNothing                    // no cost, no more sales
	Paid                           // extra sales larger than the cost
	SoldMoreButLess                // extra sales, but less than the cost
	NoExtraSales                   // not more than before
)

// Verdict says whether the extra sales paid for cost (fees and coupon cost).
func (u Uplift) Verdict(cost decimal.Decimal) Verdict {
	extra := u.ExtraSales()
	switch {
	case cost.IsZero() && extra.IsPositive():
		return SoldMoreForFree
	case cost.IsZero():
		return CostNothing
	case extra.GreaterThan(cost):
		return Paid
	case extra.IsPositive():
		return SoldMoreButLess
	}
	return NoExtraSales
}

// PerDollar is the extra sales per $1 the campaign cost, rounded half up
// to the cent; ok is false when it cost nothing.
func (u Uplift) PerDollar(cost decimal.Decimal) (decimal.Decimal, bool) {
	if !cost.IsPositive() {
		return decimal.Zero, false
	}
	return u.ExtraSales().DivRound(cost, 2), true
}
