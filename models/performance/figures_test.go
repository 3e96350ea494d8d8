package performance

import (
	"campaignportal/models/orders"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestFigureChange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		now, before string
		cost        bool
		kind        ChangeKind
		pct         string
		helps       bool
	}{
		{"0", "0", false, Unchanged, "", false},
		{"5", "0", false, NewFigure, "", false},
		{"100", "100", false, Unchanged, "", false},
		{"100.04", "100", false, Unchanged, "", false}, // +0.04% rounds to 0.0
		{"100.05", "100", false, Moved, "0.1", true},   // +0.05% rounds half up to 0.1
		{"112.5", "100", false, Moved, "12.5", true},
		{"90", "100", false, Moved, "-10", false},
		{"110", "100", true, Moved, "10", false},  // a cost that rose hurts
		{"90", "100", true, Moved, "-10", true},   // a cost that fell helps
		{"-50", "-100", false, Moved, "50", true}, // a negative payout that shrank: up on |before|
	} {
		got := FigureChange(d(c.now), d(c.before), c.cost)
		if got.Kind != c.kind || (c.kind == Moved && (!got.Percent.Equal(d(c.pct)) || got.Helps != c.helps)) {
			t.Errorf("FigureChange(%s, %s, cost=%v) = %+v, want kind %d %s%% helps=%v", c.now, c.before, c.cost, got, c.kind, c.pct, c.helps)
		}
	}
}

func TestUpliftVerdictAndPerDollar(t *testing.T) {
	t.Parallel()
	up := func(during, before string) Uplift {
		return Uplift{During: orders.TotalsAmounts{Merchandise: d(during)}, Before: orders.TotalsAmounts{Merchandise: d(before)}}
	}
	for _, c := range []struct {
		u    Uplift
		cost string
		want Verdict
		per  string // "" none
	}{
		{up("200", "100"), "0", SoldMoreForFree, ""},
		{up("100", "100"), "0", CostNothing, ""},
		{up("200", "100"), "99.99", Paid, "1.00"},
		{up("200", "100"), "100", SoldMoreButLess, "1.00"}, // equal is not "paid"
		{up("200", "100"), "300", SoldMoreButLess, "0.33"},
		{up("100", "100"), "10", NoExtraSales, "0.00"},
		{up("90", "100"), "10", NoExtraSales, "-1.00"},
		{up("100.01", "100"), "0.03", SoldMoreButLess, "0.33"},
		{up("100.02", "100"), "0.03", SoldMoreButLess, "0.67"}, // 0.666… rounds half up
	} {
		if got := c.u.Verdict(d(c.cost)); got != c.want {
			t.Errorf("%s−%s at cost %s: verdict %d, want %d", c.u.During.Merchandise, c.u.Before.Merchandise, c.cost, got, c.want)
		}
		per, ok := c.u.PerDollar(d(c.cost))
		if ok != (c.per != "") || (ok && !per.Equal(d(c.per))) {
			t.Errorf("%s−%s at cost %s: per dollar %s %v, want %q", c.u.During.Merchandise, c.u.Before.Merchandise, c.cost, per, ok, c.per)
		}
	}
}

func TestBuildSKUTableAddsUpAndFoldsOthers(t *testing.T) {
	t.Parallel()
	skus := []PerfSKU{
		{SKUID: 1, CampaignLine: true, Units: 2, Sales: d("20.00"), Fee: d("0.20"), SellerShare: d("1.00")},
		{SKUID: 2, CampaignLine: false, Units: 1, Sales: d("5.50"), Fee: d("0.05")},
		{SKUID: 3, CampaignLine: false, Units: 3, Sales: d("9.00"), PlatformShare: d("0.50")},
	}
	folded := BuildSKUTable(skus, false)
	if len(folded.Rows) != 1 || folded.OtherCount != 2 || !folded.Others.Sales.Equal(d("14.50")) || folded.Others.Units != 4 {
		t.Fatalf("folded: %+v", folded)
	}
	if !folded.Total.Sales.Equal(d("34.50")) || !folded.Total.Fee.Equal(d("0.25")) || folded.Total.Units != 6 ||
		!folded.Total.SellerShare.Equal(d("1.00")) || !folded.Total.PlatformShare.Equal(d("0.50")) {
		t.Fatalf("total: %+v", folded.Total)
	}
	unfolded := BuildSKUTable(skus, true)
	if len(unfolded.Rows) != 3 || unfolded.OtherCount != 0 || !unfolded.Total.Sales.Equal(folded.Total.Sales) {
		t.Fatalf("unfolded: %+v", unfolded)
	}
}

func TestSortSKUsKeepsCampaignLinesFirst(t *testing.T) {
	t.Parallel()
	skus := []PerfSKU{
		{SKUID: 1, CampaignLine: false, Sales: d("99")},
		{SKUID: 2, CampaignLine: true, Sales: d("10")},
		{SKUID: 3, CampaignLine: true, Sales: d("30")},
		{SKUID: 4, CampaignLine: true, Sales: d("10")},
	}
	key, dir := SortSKUs(skus, "nonsense", "sideways")
	if key != "sales" || dir != "desc" {
		t.Fatalf("fallback %s %s", key, dir)
	}
	var ids []int64
	for _, s := range skus {
		ids = append(ids, s.SKUID)
	}
	if want := []int64{3, 2, 4, 1}; len(ids) != 4 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] || ids[3] != want[3] {
		t.Fatalf("order %v, want %v", ids, want)
	}
}
