package performance

import (
	"testing"
	"time"

	"campaignportal/models"

	"github.com/shopspring/decimal"
)

func TestBurnDownForecast(t *testing.T) {
	t.Parallel()
	day := func(n int) time.Time { return time.Date(2026, 12, n, 0, 0, 0, 0, time.UTC) }
	spend := func(from int, amounts ...string) []CouponDay {
		var out []CouponDay
		for i, a := range amounts {
			v := decimal.RequireFromString(a)
			out = append(out, CouponDay{Day: day(from + i), Claims: 1, Discount: v.Add(v), PlatformShare: v})
		}
		return out
	}
	budget := models.Coupon{Code: "X", PlatformSharePct: decimal.NewFromInt(50), PlatformBudget: decimal.NewNullDecimal(decimal.NewFromInt(100))}
	none := budget
	none.PlatformBudget = decimal.NullDecimal{}
	runFrom, runTo := day(1), day(10)
	for _, c := range []struct {
		name      string
		coupon    models.Coupon
		days      []CouponDay
		today     time.Time
		kind      ForecastKind
		on        string // the forecast's day
		pace      string
		paceDays  int
		leftAtEnd string
		left      string
		shown     int // days in the burn-down
	}{
		{"no budget", none, spend(1, "10"), day(3), ForecastNoBudget, "", "0.00", 0, "0.00", "-10.00", 3},
		{"not started", budget, nil, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), ForecastNotStarted, "", "0.00", 0, "0.00", "100.00", 0},
		{"first day", budget, spend(1, "5"), day(1), ForecastTooEarly, "", "0.00", 0, "0.00", "95.00", 1},
		// 70 left after three days of 10: seven more days, the run's last.
		{"runs out on the last day", budget, spend(1, "10", "10", "10"), day(4), ForecastRunsOut, "2026-12-10", "10.00", 3, "0.00", "70.00", 4},
		{"runs out early", budget, spend(1, "20", "20", "20", "3"), day(4), ForecastRunsOut, "2026-12-05", "20.00", 3, "0.00", "37.00", 4},
		// 85 left at 5 a day: 7 days left in the run spend 35.
		{"lasts", budget, spend(1, "5", "5", "5"), day(4), ForecastLasts, "", "5.00", 3, "50.00", "85.00", 4},
		// The pace is the last seven complete days only (not the first 50).
		{"pace of the last seven days", budget, spend(1, "50", "5", "5", "5", "5", "5", "5", "5"), day(9), ForecastLasts, "", "5.00", 7, "5.00", "15.00", 9},
		{"spent", budget, spend(1, "60", "50", "1"), day(5), ForecastSpent, "2026-12-02", "0.00", 0, "0.00", "-11.00", 5},
		{"spent to the cent", budget, spend(1, "99.99", "0.01"), day(5), ForecastSpent, "2026-12-02", "0.00", 0, "0.00", "0.00", 5},
		{"ended", budget, spend(1, "30"), day(12), ForecastEnded, "", "0.00", 0, "70.00", "70.00", 10},
		{"no spending", budget, spend(1, "0", "0"), day(3), ForecastNoSpend, "", "0.00", 2, "100.00", "100.00", 3},
		// Thirds of a cent: multiplied first, divided once, rounded at the end.
		{"uneven pace", budget, spend(1, "10", "10", "13.33"), day(4), ForecastRunsOut, "2026-12-10", "11.11", 3, "0.00", "66.67", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := BurnDown(c.coupon, c.days, runFrom, runTo, c.today)
			f := b.Forecast
			on := ""
			if !f.Day.IsZero() {
				on = f.Day.Format(time.DateOnly)
			}
			if f.Kind != c.kind || on != c.on || f.DailyPace.StringFixed(2) != c.pace || f.PaceDays != c.paceDays ||
				f.LeftAtEnd.StringFixed(2) != c.leftAtEnd {
				t.Errorf("forecast %s on %q pace %s over %d, left at end %s; want %s on %q pace %s over %d, %s",
					f.Kind, on, f.DailyPace.StringFixed(2), f.PaceDays, f.LeftAtEnd.StringFixed(2), c.kind, c.on, c.pace, c.paceDays, c.leftAtEnd)
			}
			if c.coupon.PlatformBudget.Valid && b.Left.StringFixed(2) != c.left {
				t.Errorf("left %s, want %s", b.Left.StringFixed(2), c.left)
			}
			if len(b.Days) != c.shown {
				t.Errorf("%d days shown, want %d", len(b.Days), c.shown)
			}
			if c.coupon.PlatformBudget.Valid && len(b.Days) > 0 && !b.Days[len(b.Days)-1].Left.Equal(b.Left) {
				t.Errorf("the last day's left %s is not the total's %s", b.Days[len(b.Days)-1].Left, b.Left)
			}
		})
	}
}
