package views

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

func sameDecimals(a, b []decimal.Decimal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		whole bool
		want  string
	}{
		{"0", false, "0.01"},
		{"0.003", false, "0.01"},
		{"0.013", false, "0.02"},
		{"0.3", false, "0.5"},
		{"1", false, "1"},
		{"3", false, "5"},
		{"10", false, "10"},
		{"10.0001", false, "20"},
		{"246.9", false, "500"},
		{"999.99", false, "1000"},
		{"1000", false, "1000"},
		{"5001", false, "10000"},
		{"0.4", true, "1"},
		{"1.75", true, "2"},
		{"2.1", true, "5"},
		{"60", true, "100"},
	} {
		if got := niceStep(dec(tc.raw), tc.whole); !got.Equal(dec(tc.want)) {
			t.Errorf("niceStep(%s, whole=%v) = %s, want %s", tc.raw, tc.whole, got, tc.want)
		}
	}
}

func TestAxisScales(t *testing.T) {
	for _, tc := range []struct {
		name  string
		maxes []string
		whole []bool
		ticks [][]decimal.Decimal
	}{
		{"sales", []string{"1234.56"}, []bool{false}, [][]decimal.Decimal{decs("0", "500", "1000", "1500")}},
		{"a round maximum is the top", []string{"100"}, []bool{false}, [][]decimal.Decimal{decs("0", "20", "40", "60", "80", "100")}},
		{"just over a round maximum", []string{"101"}, []bool{false}, [][]decimal.Decimal{decs("0", "20", "40", "60", "80", "100", "120")}},
		{"cents", []string{"0.9"}, []bool{false}, [][]decimal.Decimal{decs("0", "0.2", "0.4", "0.6", "0.8", "1")}},
		{"all zero", []string{"0"}, []bool{false}, [][]decimal.Decimal{decs("0", "1")}},
		{"few orders", []string{"7"}, []bool{true}, [][]decimal.Decimal{decs("0", "2", "4", "6", "8")}},
		{"one order", []string{"1"}, []bool{true}, [][]decimal.Decimal{decs("0", "1")}},
		{
			"two axes share the grid", []string{"1234.56", "17"}, []bool{false, true},
			[][]decimal.Decimal{decs("0", "500", "1000", "1500", "2000"), decs("0", "5", "10", "15", "20")},
		},
		{
			"an empty axis beside a full one", []string{"80", "0"}, []bool{false, true},
			[][]decimal.Decimal{decs("0", "20", "40", "60", "80"), decs("0", "1", "2", "3", "4")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scales := axisScales(decs(tc.maxes...), tc.whole)
			for i, s := range scales {
				if !sameDecimals(s.Ticks, tc.ticks[i]) {
					t.Errorf("axis %d ticks = %v, want %v", i, s.Ticks, tc.ticks[i])
				}
				if !s.Top.Equal(tc.ticks[i][len(tc.ticks[i])-1]) {
					t.Errorf("axis %d top = %s, want the last tick", i, s.Top)
				}
			}
		})
	}
}

func TestTickLabels(t *testing.T) {
	money := ChartAxis{Format: Money}
	for _, tc := range []struct {
		name  string
		ticks []decimal.Decimal
		axis  ChartAxis
		want  string
	}{
		{"whole dollars drop the cents", decs("0", "500", "1000", "1500"), money, "$0|$500|$1,000|$1,500"},
		{"cents stay when a tick needs them", decs("0", "0.5", "1", "1.5"), money, "$0.00|$0.50|$1.00|$1.50"},
		{"plain numbers", decs("0", "5000", "10000"), ChartAxis{}, "0|5,000|10,000"},
	} {
		if got := strings.Join(tickLabels(tc.ticks, tc.axis), "|"); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestLabelStep(t *testing.T) {
	for _, tc := range []struct{ points, want int }{
		{1, 1}, {7, 1}, {10, 1}, {11, 2}, {20, 2}, {21, 3}, {30, 3}, {31, 4}, {120, 12},
	} {
		if got := labelStep(tc.points, 10); got != tc.want {
			t.Errorf("labelStep(%d, 10) = %d, want %d", tc.points, got, tc.want)
		}
	}
}

// salesChart has sales as bars on the left and orders as a line on the right.
func salesChart(sales []string, orders []int64) Chart {
	c := Chart{
		ID: "sales", Title: "Sales and orders by day", Summary: "Sales by day.",
		Series: []ChartSeries{
			{Name: "Sales", Class: "series-1", Kind: ChartBar, Axis: AxisLeft},
			{Name: "Orders", Class: "series-2", Kind: ChartLine, Axis: AxisRight},
		},
		Left:  ChartAxis{Format: Money},
		Right: ChartAxis{Whole: true},
	}
	for i, s := range sales {
		c.Points = append(c.Points, ChartPoint{
			Label:  fmt.Sprintf("Nov %d", i+1),
			Title:  fmt.Sprintf("Nov %d, 2026", i+1),
			Values: []ChartValue{MoneyValue(dec(s)), CountValue(orders[i])},
		})
	}
	return c
}

// costChart has the campaign service fee and the coupon cost as bars on one axis.
func costChart(stacked bool, fees, coupons []string) Chart {
	c := Chart{
		ID: "costs", Title: "Campaign costs by day", Stacked: stacked,
		Series: []ChartSeries{
			{Name: "Campaign service fee", Class: "series-1"},
			{Name: "Coupon cost", Class: "series-2"},
		},
		Left: ChartAxis{Format: Money},
	}
	for i := range fees {
		c.Points = append(c.Points, ChartPoint{
			Label: fmt.Sprintf("Dec %d", i+1), Title: fmt.Sprintf("Dec %d, 2026", i+1),
			Values: []ChartValue{MoneyValue(dec(fees[i])), MoneyValue(dec(coupons[i]))},
		})
	}
	return c
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestLayoutBarsAreProportional(t *testing.T) {
	// The axis tops at $1,000, so the $1,000 bar spans the whole plot area.
	l := layoutChart(salesChart([]string{"500", "1000", "250", "0"}, []int64{5, 10, 2, 0}))
	plot := l.Bottom - l.Top
	for i, want := range []float64{plot / 2, plot, plot / 4} {
		bars := l.Days[i].Bars
		if len(bars) != 1 {
			t.Fatalf("day %d has %d bars, want 1", i, len(bars))
		}
		if !near(bars[0].Height, want) || !near(bars[0].Y+bars[0].Height, l.Bottom) {
			t.Errorf("day %d bar: y %v height %v, want height %v standing on %v", i, bars[0].Y, bars[0].Height, want, l.Bottom)
		}
	}
	if !near(l.Days[1].Bars[0].Y, l.Top) {
		t.Errorf("the largest bar's top is %v, want the plot area's top %v", l.Days[1].Bars[0].Y, l.Top)
	}
	if len(l.Days[3].Bars) != 0 {
		t.Errorf("a zero day has bars: %+v", l.Days[3].Bars)
	}
	// Orders: 10 is the right axis's top tick (0, 2 … 10).
	if len(l.Lines) != 1 || len(l.Lines[0].Dots) != 4 {
		t.Fatalf("lines = %+v, want one line with 4 dots", l.Lines)
	}
	if y := l.Lines[0].Dots[1].Y; !near(y, l.Top) {
		t.Errorf("10 orders at y %v, want the top %v", y, l.Top)
	}
	if y := l.Lines[0].Dots[2].Y; !near(y, l.Bottom-plot/5) {
		t.Errorf("2 orders at y %v, want %v", y, l.Bottom-plot/5)
	}
	if got := strings.Count(l.Lines[0].Points, ","); got != 4 {
		t.Errorf("polyline %q has %d points, want 4", l.Lines[0].Points, got)
	}
}

func TestLayoutStackedAndGrouped(t *testing.T) {
	// Stacked: $60 + $40 is the axis's top of $100.
	l := layoutChart(costChart(true, []string{"60", "30"}, []string{"40", "20"}))
	plot := l.Bottom - l.Top
	fee, coupon := l.Days[0].Bars[0], l.Days[0].Bars[1]
	if !near(fee.Height, plot*0.6) || !near(coupon.Height, plot*0.4) || !near(coupon.Y, l.Top) || !near(coupon.Y+coupon.Height, fee.Y) {
		t.Errorf("stack: fee %+v, coupon %+v in [%v, %v]", fee, coupon, l.Top, l.Bottom)
	}
	if fee.X != coupon.X || fee.Class != "series-1" || coupon.Class != "series-2" {
		t.Errorf("stacked bars not in one column: %+v %+v", fee, coupon)
	}
	// Grouped: side by side, each against the same $60 top.
	l = layoutChart(costChart(false, []string{"60", "30"}, []string{"40", "20"}))
	fee, coupon = l.Days[0].Bars[0], l.Days[0].Bars[1]
	if !near(fee.Y, l.Top) || !near(coupon.Height, (l.Bottom-l.Top)*40/60) || coupon.X <= fee.X+fee.Width-1e-9 {
		t.Errorf("grouped: fee %+v, coupon %+v, top %v", fee, coupon, l.Top)
	}
}

func TestLayoutOddData(t *testing.T) {
	// A negative value lies on the axis rather than below it.
	l := layoutChart(costChart(true, []string{"-5", "10"}, []string{"3", "0"}))
	for _, b := range l.Days[0].Bars {
		if b.Height < 0 || b.Y+b.Height > l.Bottom+1e-9 {
			t.Errorf("bar below the axis: %+v", b)
		}
	}
	// All zero: a grid from 0 to 1, no bars.
	l = layoutChart(salesChart([]string{"0", "0"}, []int64{0, 0}))
	if len(l.Grid) != 2 || l.Grid[1].Left != "$1" || l.Grid[1].Right != "1" || len(l.Days[0].Bars) != 0 {
		t.Errorf("all zero: grid %+v, bars %+v", l.Grid, l.Days[0].Bars)
	}
	// One point: a bar of at most 56 units and a dot but no polyline.
	l = layoutChart(salesChart([]string{"12.5"}, []int64{1}))
	if w := l.Days[0].Bars[0].Width; w > 56 {
		t.Errorf("single bar %v wide", w)
	}
	if l.Lines[0].Points != "" || len(l.Lines[0].Dots) != 1 {
		t.Errorf("single point line: %+v", l.Lines[0])
	}
	// A value missing from a point counts as zero.
	c := salesChart([]string{"10", "20"}, []int64{1, 2})
	c.Points[0].Values = c.Points[0].Values[:1]
	layoutChart(c)
}

func TestLayoutThinsLabelsOfManyPoints(t *testing.T) {
	sales, orders := make([]string, 120), make([]int64, 120)
	for i := range sales {
		sales[i], orders[i] = fmt.Sprint(i*10), int64(i%7)
	}
	l := layoutChart(salesChart(sales, orders))
	var labels []string
	for _, d := range l.Days {
		if d.Label != "" {
			labels = append(labels, d.Label)
		}
	}
	if len(labels) != 10 || labels[0] != "Nov 1" || labels[1] != "Nov 13" {
		t.Errorf("labels = %v, want 10 labels 12 days apart", labels)
	}
	if w := l.Days[0].Bars; len(w) != 0 {
		t.Errorf("a $0 day has a bar")
	}
	if w := l.Days[1].Bars[0].Width; w <= 0 || w >= l.Days[1].Width {
		t.Errorf("bar %v wide in a %v slot", w, l.Days[1].Width)
	}
	if len(l.Lines[0].Dots) != 0 {
		t.Errorf("120 points carry %d dots, want none", len(l.Lines[0].Dots))
	}
}

func render(t *testing.T, c Chart) (string, *goquery.Document) {
	t.Helper()
	var b strings.Builder
	if err := ChartFigure(c).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), doc
}

func TestChartFigureRenders(t *testing.T) {
	html, doc := render(t, salesChart([]string{"1234.56", "0", "87.1"}, []int64{17, 0, 2}))
	if strings.Contains(html, "style=") || strings.Contains(html, "<script") {
		t.Errorf("output has a style attribute or a script, which the CSP blocks")
	}
	svg := doc.Find("figure#sales svg.chart-svg")
	if svg.Length() != 1 {
		t.Fatalf("%d svg in the figure, want 1", svg.Length())
	}
	if role, _ := svg.Attr("role"); role != "img" {
		t.Errorf("svg role %q, want img", role)
	}
	if id, _ := svg.Attr("aria-labelledby"); doc.Find("svg > title#"+id).Text() != "Sales and orders by day" {
		t.Errorf("svg aria-labelledby %q does not name its title", id)
	}
	if id, _ := svg.Attr("aria-describedby"); doc.Find("svg > desc#"+id).Text() != "Sales by day." {
		t.Errorf("svg aria-describedby %q does not point at the summary", id)
	}

	var tips []string
	doc.Find("g.chart-day > title").Each(func(_ int, s *goquery.Selection) { tips = append(tips, s.Text()) })
	wantTips := []string{
		"Nov 1, 2026: Sales $1,234.56, Orders 17",
		"Nov 2, 2026: Sales $0.00, Orders 0",
		"Nov 3, 2026: Sales $87.10, Orders 2",
	}
	if strings.Join(tips, "|") != strings.Join(wantTips, "|") {
		t.Errorf("tooltips = %q, want %q", tips, wantTips)
	}
	if n := doc.Find("svg.chart-svg title").Length(); n != 1+3 {
		t.Errorf("%d titles in the svg, want the chart's and one per day", n)
	}
	if n := doc.Find("rect.chart-bar.series-1").Length(); n != 2 {
		t.Errorf("%d sales bars, want 2 (none for the $0 day)", n)
	}
	if n := doc.Find("polyline.chart-line").Length(); n != 1 {
		t.Errorf("%d order lines, want 1", n)
	}
	if got := doc.Find(".chart-ticks text").First().Text(); got != "$0" {
		t.Errorf("first tick %q, want $0", got)
	}

	legend := doc.Find(".chart-legend li").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(legend, "|") != "Sales (left axis)|Orders (right axis)" {
		t.Errorf("legend = %q", legend)
	}

	table := doc.Find("details.chart-data table")
	if table.Find("caption").Text() != "Sales and orders by day" {
		t.Errorf("table caption %q", table.Find("caption").Text())
	}
	heads := table.Find("thead th").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(heads, "|") != "Day|Sales|Orders" {
		t.Errorf("table headers = %q", heads)
	}
	var rows []string
	table.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("th[scope=row], td").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		rows = append(rows, strings.Join(cells, " / "))
	})
	wantRows := []string{"Nov 1, 2026 / $1,234.56 / 17", "Nov 2, 2026 / $0.00 / 0", "Nov 3, 2026 / $87.10 / 2"}
	if strings.Join(rows, "|") != strings.Join(wantRows, "|") {
		t.Errorf("table rows = %q, want %q", rows, wantRows)
	}
	if doc.Find("[data-testid=chart-empty]").Length() != 0 {
		t.Errorf("a chart with points shows the empty message")
	}
}

func TestChartFigureStackedCosts(t *testing.T) {
	html, doc := render(t, costChart(true, []string{"12.30", "4"}, []string{"5", "0"}))
	if strings.Contains(html, "style=") {
		t.Errorf("output has a style attribute")
	}
	if n := doc.Find("g.chart-day").First().Find("rect.chart-bar").Length(); n != 2 {
		t.Errorf("first day has %d bars, want fee and coupon", n)
	}
	if got := doc.Find("g.chart-day > title").Last().Text(); got != "Dec 2, 2026: Campaign service fee $4.00, Coupon cost $0.00" {
		t.Errorf("tooltip %q", got)
	}
	legend := doc.Find(".chart-legend li").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(legend, "|") != "Campaign service fee|Coupon cost" {
		t.Errorf("legend of a one-axis chart = %q", legend)
	}
}

func TestChartFigureWithoutPoints(t *testing.T) {
	c := salesChart(nil, nil)
	_, doc := render(t, c)
	if got := doc.Find("[data-testid=chart-empty]").Text(); got != "No orders in this range." {
		t.Errorf("empty message %q", got)
	}
	if doc.Find("svg, table").Length() != 0 {
		t.Errorf("an empty chart draws an svg or a table")
	}
	c.Empty = "No campaign costs yet."
	if _, doc = render(t, c); doc.Find("[data-testid=chart-empty]").Text() != c.Empty {
		t.Errorf("the caller's empty message is not shown")
	}
	if doc.Find("figcaption").Text() != "Sales and orders by day" {
		t.Errorf("an empty chart lost its caption")
	}
}
