package views

// Chart geometry: ticks and the position of every mark, in viewBox units.
// Decimals turn into floats here only to become pixels.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// axisScale is the ticks of one axis: 0, Step, 2×Step … Top.
type axisScale struct {
	Step, Top decimal.Decimal
	Ticks     []decimal.Decimal
}

// niceStep is the smallest 1, 2 or 5 × 10^n that is at least raw: at least
// 1 on a whole axis, at least a cent on others.
func niceStep(raw decimal.Decimal, whole bool) decimal.Decimal {
	least := decimal.New(1, -2)
	if whole {
		least = decimal.NewFromInt(1)
	}
	if raw.LessThanOrEqual(least) {
		return least
	}
	f, _ := raw.Float64()
	exp := int32(math.Floor(math.Log10(f)))
	// log10 of a float can miss by one next to a power of ten.
	for decimal.New(1, exp).GreaterThan(raw) {
		exp--
	}
	for decimal.New(1, exp+1).LessThanOrEqual(raw) {
		exp++
	}
	for _, m := range []int64{1, 2, 5} {
		if s := decimal.New(m, exp); s.GreaterThanOrEqual(raw) {
			return s
		}
	}
	return decimal.New(1, exp+1)
}

// maxIntervals keeps grid lines at least 36 units apart.
const maxIntervals = 6

// axisScales picks the ticks of each axis from its largest value. All axes
// get the same number of intervals, so the right axis's ticks sit on the
// left axis's grid lines. Of 1 to 6 intervals it keeps the count whose
// worst axis leaves the least empty room above its largest value (on a
// tie, more ticks). An axis whose values are all zero goes up in ones.
func axisScales(maxes []decimal.Decimal, whole []bool) []axisScale {
	intervals, steps := 1, make([]decimal.Decimal, len(maxes))
	for i := range steps {
		steps[i] = decimal.NewFromInt(1)
	}
	best := math.Inf(1)
	for k := int64(1); k <= maxIntervals; k++ {
		try, worst, drawn := make([]decimal.Decimal, len(maxes)), 1.0, false
		for i, m := range maxes {
			if !m.IsPositive() {
				try[i] = decimal.NewFromInt(1)
				continue
			}
			drawn = true
			try[i] = niceStep(m.Div(decimal.NewFromInt(k)), whole[i])
			room, _ := try[i].Mul(decimal.NewFromInt(k)).Div(m).Float64()
			worst = math.Max(worst, room)
		}
		if !drawn {
			break // nothing to show: one interval of one unit
		}
		if worst <= best+1e-9 {
			best, intervals, steps = worst, int(k), try
		}
	}
	scales := make([]axisScale, len(maxes))
	for i, step := range steps {
		s := axisScale{Step: step, Top: step.Mul(decimal.NewFromInt(int64(intervals)))}
		for j := 0; j <= intervals; j++ {
			s.Ticks = append(s.Ticks, step.Mul(decimal.NewFromInt(int64(j))))
		}
		scales[i] = s
	}
	return scales
}

// The viewBox of every chart; CSS scales it to the container's width.
const (
	chartWidth  = 720
	chartHeight = 260
	maxXLabels  = 10
)

// chartLayout is a chart in viewBox units, ready for the template.
type chartLayout struct {
	Left, Right, Top, Bottom float64 // the plot area
	Grid                     []chartGridLine
	Days                     []chartDay
	Lines                    []chartLine
	tops                     map[string]decimal.Decimal // each axis's top tick
}

// chartGridLine is a tick: its height and the labels on each side ("" for
// an axis no series uses).
type chartGridLine struct {
	Y           float64
	Left, Right string
}

// chartDay is one point: a full-height hover area with its tooltip, its
// bars and its x label ("" when thinned out).
type chartDay struct {
	Title    string
	X, Width float64
	Bars     []chartRect
	Label    string
	LabelX   float64
}

type chartRect struct {
	Class               string
	X, Y, Width, Height float64
}

type chartDot struct{ X, Y float64 }

// chartLine is a line series: its polyline points ("x,y x,y …"; "" for a
// single point) and a dot on each point when they are far enough apart.
type chartLine struct {
	Class  string
	Points string
	Dots   []chartDot
	Radius float64
}

// axisMax is the tallest thing drawn against an axis: a value, or a stack.
func (c Chart) axisMax(axis string) decimal.Decimal {
	top := decimal.Zero
	for _, p := range c.Points {
		stack := decimal.Zero
		for i, s := range c.Series {
			if axisOf(s) != axis {
				continue
			}
			v := decimal.Max(c.value(p, i).Number, decimal.Zero)
			if c.Stacked && s.Kind != ChartLine {
				stack = stack.Add(v)
				v = stack
			}
			top = decimal.Max(top, v)
		}
	}
	return top
}

// barColumns are the bars of one point, left to right, each a list of
// series stacked bottom up: one column per series, or per axis if Stacked.
func (c Chart) barColumns() [][]int {
	var cols [][]int
	for _, axis := range []string{AxisLeft, AxisRight} {
		var stack []int
		for i, s := range c.Series {
			if s.Kind == ChartLine || axisOf(s) != axis {
				continue
			}
			if c.Stacked {
				stack = append(stack, i)
			} else {
				cols = append(cols, []int{i})
			}
		}
		if len(stack) > 0 {
			cols = append(cols, stack)
		}
	}
	return cols
}

// layoutChart places every mark of a chart with points.
func layoutChart(c Chart) chartLayout {
	l := layoutAxes(c)
	n := len(c.Points)
	slot := (l.Right - l.Left) / float64(n)
	step := labelStep(n, maxXLabels)
	for i, p := range c.Points {
		x := l.Left + slot*float64(i)
		d := chartDay{Title: c.tooltip(p), X: x, Width: slot, LabelX: x + slot/2}
		if i%step == 0 {
			d.Label = p.Label
		}
		d.Bars = l.bars(c, p, x, slot)
		l.Days = append(l.Days, d)
	}
	dotR := 0.0 // dots only where they do not run into each other
	if slot >= 8 || n == 1 {
		dotR = math.Min(4, slot/4)
	}
	for si, s := range c.Series {
		if s.Kind != ChartLine {
			continue
		}
		line, points := chartLine{Class: s.Class, Radius: dotR}, make([]string, n)
		for i, p := range c.Points {
			dot := chartDot{X: l.Days[i].LabelX, Y: l.y(axisOf(s), c.value(p, si).Number)}
			points[i] = px(dot.X) + "," + px(dot.Y)
			if dotR > 0 {
				line.Dots = append(line.Dots, dot)
			}
		}
		if n > 1 {
			line.Points = strings.Join(points, " ")
		}
		l.Lines = append(l.Lines, line)
	}
	return l
}

// layoutAxes scales the axes the series use, makes room for their tick
// labels beside the plot area and draws the grid.
func layoutAxes(c Chart) chartLayout {
	l := chartLayout{Left: 24, Right: chartWidth - 24, Top: 14, Bottom: chartHeight - 30, tops: map[string]decimal.Decimal{}}
	var axes []string
	for _, a := range []string{AxisLeft, AxisRight} {
		if c.hasAxis(a) {
			axes = append(axes, a)
		}
	}
	maxes, whole := make([]decimal.Decimal, len(axes)), make([]bool, len(axes))
	for i, a := range axes {
		maxes[i], whole[i] = c.axisMax(a), c.axis(a).Whole
	}
	scales := axisScales(maxes, whole)
	labels := map[string][]string{}
	for i, a := range axes {
		l.tops[a] = scales[i].Top
		labels[a] = tickLabels(scales[i].Ticks, c.axis(a))
		width := 0 // about 7 units a character at the tick labels' size
		for _, s := range labels[a] {
			width = max(width, len([]rune(s))*7)
		}
		margin := float64(min(max(width+14, 36), 120))
		if a == AxisLeft {
			l.Left = margin
		} else {
			l.Right = chartWidth - margin
		}
	}
	if len(scales) == 0 {
		return l
	}
	k := len(scales[0].Ticks) - 1
	for j := 0; j <= k; j++ {
		g := chartGridLine{Y: l.Bottom - (l.Bottom-l.Top)*float64(j)/float64(k)}
		if ls := labels[AxisLeft]; ls != nil {
			g.Left = ls[j]
		}
		if ls := labels[AxisRight]; ls != nil {
			g.Right = ls[j]
		}
		l.Grid = append(l.Grid, g)
	}
	return l
}

// y is the height of a value on an axis; negative values lie on 0.
func (l chartLayout) y(axis string, v decimal.Decimal) float64 {
	top := l.tops[axis]
	if !v.IsPositive() || !top.IsPositive() {
		return l.Bottom
	}
	f, _ := v.Div(top).Float64()
	return l.Bottom - (l.Bottom-l.Top)*math.Min(f, 1)
}

// bars are a point's bars in a band in the middle of its slot, the band
// cut into one column per barColumns entry.
func (l chartLayout) bars(c Chart, p ChartPoint, x, slot float64) []chartRect {
	cols := c.barColumns()
	if len(cols) == 0 {
		return nil
	}
	band := math.Min(slot*0.7, 56)
	colW, gap := band/float64(len(cols)), 0.0
	if len(cols) > 1 {
		gap = colW * 0.12
	}
	var bars []chartRect
	for ci, col := range cols {
		base, sum := l.Bottom, decimal.Zero
		for _, si := range col {
			v := c.value(p, si).Number
			sum = sum.Add(decimal.Max(v, decimal.Zero))
			top := l.y(axisOf(c.Series[si]), sum)
			if v.IsPositive() && base-top < 1 {
				top = base - 1 // a small value still shows
			}
			if base-top > 0 {
				bars = append(bars, chartRect{
					Class: c.Series[si].Class,
					X:     x + (slot-band)/2 + colW*float64(ci) + gap/2,
					Y:     top, Width: colW - gap, Height: base - top,
				})
			}
			base = top
		}
	}
	return bars
}

// px writes a coordinate with at most two decimals.
func px(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

func viewBox() string { return fmt.Sprintf("0 0 %d %d", chartWidth, chartHeight) }
