package views

// Charts: SVG drawn on the server, so they need no JavaScript, pass the
// Content-Security-Policy (no style attributes: colours come from the
// series-N classes in app.css) and print like the rest of the page.
//
// A caller fills a Chart and renders ChartFigure:
//
//	c := views.Chart{
//		ID:      "sales-chart", // unique on the page
//		Title:   "Sales and orders by day",
//		Summary: "Sales rose from $120.00 on Nov 1 to $1,234.56 on Nov 28.",
//		Series: []views.ChartSeries{
//			{Name: "Sales", Class: "series-1", Kind: views.ChartBar, Axis: views.AxisLeft},
//			{Name: "Orders", Class: "series-2", Kind: views.ChartLine, Axis: views.AxisRight},
//		},
//		Left:  views.ChartAxis{Format: views.Money},
//		Right: views.ChartAxis{Whole: true},
//	}
//	for _, d := range days {
//		c.Points = append(c.Points, views.ChartPoint{
//			Label:  d.Day.Format("Jan 2"),
//			Title:  views.Date(d.Day, loc),
//			Values: []views.ChartValue{views.MoneyValue(d.Sales), views.CountValue(d.Orders)},
//		})
//	}
//	@views.ChartFigure(c)
//
// Two bar series on one axis stand side by side, or stack with Stacked
// (campaign service fee plus coupon cost; better past ~40 days, where side
// by side bars get thin). Each day gets one <g> whose
// <title> is its tooltip ("Nov 28, 2026: Sales $1,234.56, Orders 17") over
// a full-height hover area, so thin bars are easy to point at. The figure
// ends with the same numbers as a table in a "Show data table" disclosure,
// for screen readers and for anyone who wants the exact values.
//
// Values are decimals; they become floats only for pixel positions
// (charts_layout.go: ticks and geometry). Every text shown is formatted by
// the caller: ChartValue.Text (MoneyValue, CountValue) and ChartAxis.Format.
// Empty charts say Chart.Empty instead; negative values lie on zero.

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Series kinds and axes.
const (
	ChartBar  = "bar"
	ChartLine = "line"
	AxisLeft  = "left"
	AxisRight = "right"
)

// ChartSeries is one measure: its legend name, colour class (series-1 to
// series-4 in app.css), how it is drawn and against which axis.
type ChartSeries struct {
	Name  string // "Sales"; the legend, table header and tooltips use it
	Class string // "series-1"
	Kind  string // ChartBar (the default) or ChartLine
	Axis  string // AxisLeft (the default) or AxisRight
}

// ChartPoint is one x position, a day for our charts.
type ChartPoint struct {
	Label  string       // under the x axis: "Nov 28"
	Title  string       // tooltip and table row: "Nov 28, 2026"
	Values []ChartValue // one per series, in the order of Chart.Series
	URL    string       // where the point's row in the data table leads ("" for nowhere)
}

// ChartValue is a number and how the user reads it.
type ChartValue struct {
	Number decimal.Decimal
	Text   string // "$1,234.56"
}

// MoneyValue is an amount shown with Money.
func MoneyValue(d decimal.Decimal) ChartValue { return ChartValue{Number: d, Text: Money(d)} }

// CountValue is a whole number such as an order count: "1,204".
func CountValue(n int64) ChartValue {
	d := decimal.NewFromInt(n)
	return ChartValue{Number: d, Text: plainNumber(d)}
}

// ChartAxis says how an axis labels its ticks.
type ChartAxis struct {
	Format func(decimal.Decimal) string // Money for amounts; nil shows plain numbers
	Whole  bool                         // counts: no tick between whole numbers
}

// Chart is a figure: bars and lines by day against one or two axes.
type Chart struct {
	ID      string // unique on the page; the ids inside start with it
	Title   string // the caption, and the accessible name of the drawing
	Summary string // the gist in a sentence, for screen readers
	Series  []ChartSeries
	Points  []ChartPoint
	Left    ChartAxis
	Right   ChartAxis
	Stacked bool   // bar series on the same axis stack rather than stand side by side
	XName   string // the data table's first column; default "Day"
	Empty   string // shown instead of a drawing without points; default "No orders in this range."
}

func (c Chart) xName() string {
	if c.XName == "" {
		return "Day"
	}
	return c.XName
}

func (c Chart) emptyText() string {
	if c.Empty == "" {
		return "No orders in this range."
	}
	return c.Empty
}

func (c Chart) value(p ChartPoint, series int) ChartValue {
	if series < len(p.Values) {
		return p.Values[series]
	}
	return ChartValue{}
}

// valueText is what a table cell and a tooltip show for one value.
func (c Chart) valueText(p ChartPoint, series int) string {
	v := c.value(p, series)
	if v.Text != "" {
		return v.Text
	}
	return c.axis(c.Series[series].Axis).format(v.Number)
}

// tooltip sums up a point: "Nov 28, 2026: Sales $1,234.56, Orders 17".
func (c Chart) tooltip(p ChartPoint) string {
	parts := make([]string, len(c.Series))
	for i, s := range c.Series {
		parts[i] = s.Name + " " + c.valueText(p, i)
	}
	return p.Title + ": " + strings.Join(parts, ", ")
}

func (c Chart) axis(name string) ChartAxis {
	if name == AxisRight {
		return c.Right
	}
	return c.Left
}

func (c Chart) hasAxis(name string) bool {
	for _, s := range c.Series {
		if axisOf(s) == name {
			return true
		}
	}
	return false
}

// legendName adds which axis a series reads against when there are two.
func (c Chart) legendName(s ChartSeries) string {
	if !c.hasAxis(AxisRight) || !c.hasAxis(AxisLeft) {
		return s.Name
	}
	return s.Name + " (" + axisOf(s) + " axis)"
}

func axisOf(s ChartSeries) string {
	if s.Axis == AxisRight {
		return AxisRight
	}
	return AxisLeft
}

func (a ChartAxis) format(d decimal.Decimal) string {
	if a.Format == nil {
		return plainNumber(d)
	}
	return a.Format(d)
}

// plainNumber groups the digits of a number: 1,204 or 2.5.
func plainNumber(d decimal.Decimal) string {
	intPart, frac, hasFrac := strings.Cut(d.Abs().String(), ".")
	var b strings.Builder
	if d.IsNegative() {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// tickLabels formats the ticks of an axis. Money shows cents, which only
// crowd an axis whose ticks are all whole dollars: "$500", not "$500.00".
func tickLabels(ticks []decimal.Decimal, a ChartAxis) []string {
	labels := make([]string, len(ticks))
	whole := true
	for i, t := range ticks {
		labels[i] = a.format(t)
		whole = whole && strings.HasSuffix(labels[i], ".00")
	}
	if whole {
		for i := range labels {
			labels[i] = strings.TrimSuffix(labels[i], ".00")
		}
	}
	return labels
}

// labelStep is how many points apart the x labels stand so that at most
// limit of them show: every point up to limit, every second up to 2×limit…
func labelStep(points, limit int) int {
	if points <= limit || limit < 1 {
		return 1
	}
	return (points + limit - 1) / limit
}
