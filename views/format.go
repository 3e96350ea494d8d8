package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Money shows an amount in dollars with two decimals: $1,234.50.
func Money(d decimal.Decimal) string {
	s := d.Abs().StringFixed(2)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	sign := ""
	if d.IsNegative() {
		sign = "−"
	}
	return sign + "$" + b.String() + "." + frac
}

// Percent shows a percentage without needless zeros: 15%, 12.5%.
func Percent(d decimal.Decimal) string {
	return d.Round(2).String() + "%"
}

// DateTime shows a moment in a timezone: "Mon, Nov 30, 2026, 11:59 PM PST".
func DateTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon, Jan 2, 2006, 3:04 PM MST")
}

// DateTimeSeconds shows a moment to the second, for instants fees hang
// on (a withdrawal's request and approval): "Mon, Jan 2, 2006, 3:04:05 PM MST".
func DateTimeSeconds(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon, Jan 2, 2006, 3:04:05 PM MST")
}

// Date shows a day in a timezone: "Nov 30, 2026".
func Date(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Jan 2, 2006")
}

// DateRange shows two days compactly: "Nov 27 – Dec 2, 2026".
func DateRange(from, to time.Time, loc *time.Location) string {
	f, t := from.In(loc), to.In(loc)
	if f.Year() == t.Year() && f.YearDay() == t.YearDay() {
		return f.Format("Jan 2, 2006")
	}
	if f.Year() == t.Year() {
		return f.Format("Jan 2") + " – " + t.Format("Jan 2, 2006")
	}
	return f.Format("Jan 2, 2006") + " – " + t.Format("Jan 2, 2006")
}

// RunDates shows the days a run covers, from its start to its end instant,
// in the zone the days are counted in: the last day shown is the last day
// included, so a run that ends at midnight ends the day before ("Nov 27 –
// Nov 30" for an end at Dec 1, 00:00), and one that ends at 11:59 PM ends
// that day. Every page shows runs through this.
func RunDates(from, to time.Time, loc *time.Location) string {
	last := to.In(loc)
	if h, m, s := last.Clock(); h == 0 && m == 0 && s == 0 && last.Nanosecond() == 0 && to.After(from) {
		last = last.Add(-time.Nanosecond)
	}
	return DateRange(from, last, loc)
}

// ISO is the machine-readable form for <time datetime> and countdowns.
func ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Countdown says how long until t, as the server sees it; app.js keeps it
// ticking in the browser.
func Countdown(now, t time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "closed"
	}
	mins := int(d / time.Minute)
	days, hours, m := mins/1440, (mins%1440)/60, mins%60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh left", days, hours)
	case hours > 0:
		return fmt.Sprintf("%dh %dm left", hours, m)
	default:
		return fmt.Sprintf("%dm left", max(m, 1))
	}
}

// Soon reports whether t is less than 48 hours away.
func Soon(now, t time.Time) bool {
	d := t.Sub(now)
	return d > 0 && d < 48*time.Hour
}
