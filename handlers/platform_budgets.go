package handlers

import (
	"fmt"
	"time"

	"campaignportal/models"
	"campaignportal/models/performance"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// platformBudgets writes out the coupons' burn-downs (computed by
// performance.BurnDown): the figures, the forecast in words and a chart of
// the platform's share by day against the budget left.
func platformBudgets(p performance.PlatformPerf, now time.Time) []views.PlatformBudget {
	var out []views.PlatformBudget
	for _, b := range p.Burns(now) {
		c := b.Coupon
		v := views.PlatformBudget{Code: c.Code, Terms: models.CouponSummary(c), SetURL: routes.ManagerCouponBudgetAnchor(p.Campaign.ID, c.ID),
			Spent: views.Money(b.PlatformShare), Left: views.Money(b.Left), Claims: countText(b.Claims), Discount: views.Money(b.Discount),
			Exhausted: b.Exhausted()}
		v.Status, v.StatusTone, v.Forecast = forecastText(b)
		v.ClaimsText = fmt.Sprintf("%s claim%s", v.Claims, plural(int(b.Claims)))
		if c.PlatformBudget.Valid {
			v.Budget = views.Money(c.PlatformBudget.Decimal)
		}
		v.Chart = views.Chart{ID: "budget-" + fmt.Sprint(c.ID), Title: c.Code + ": platform share by day and budget left",
			Series: []views.ChartSeries{
				{Name: "Platform share", Class: "series-4", Kind: views.ChartBar, Axis: views.AxisLeft},
				{Name: "Budget left", Class: "series-1", Kind: views.ChartLine, Axis: views.AxisRight},
			},
			Left: views.ChartAxis{Format: views.Money}, Right: views.ChartAxis{Format: views.Money},
			Empty: "The run has not started yet."}
		for _, d := range b.Days {
			title := views.Date(d.Day, time.UTC)
			v.Chart.Points = append(v.Chart.Points, views.ChartPoint{Label: d.Day.Format("Jan 2"), Title: title,
				Values: []views.ChartValue{views.MoneyValue(d.PlatformShare), views.MoneyValue(d.Left)}})
			v.Days = append(v.Days, views.PlatformBudgetDay{Day: title, Claims: countText(d.Claims), Discount: views.Money(d.Discount),
				PlatformShare: views.Money(d.PlatformShare), Left: views.Money(d.Left), Over: d.Left.IsNegative()})
		}
		v.Chart.Summary = fmt.Sprintf("%s of a %s budget paid over %d days; %s left. %s", v.Spent, v.Budget, len(b.Days), v.Left, v.Forecast)
		out = append(out, v)
	}
	return out
}

// forecastText names a burn-down's state and says its forecast in words.
func forecastText(b performance.CouponBurn) (status, tone, text string) {
	f := b.Forecast
	day := func(t time.Time) string { return views.Date(t, time.UTC) }
	pace := func() string {
		return fmt.Sprintf("At %s a day (the mean platform share of the last %s)", views.Money(f.DailyPace), fmt.Sprintf("%d day%s", f.PaceDays, plural(f.PaceDays)))
	}
	switch f.Kind {
	case performance.ForecastNoBudget:
		return "No budget", "muted", ""
	case performance.ForecastNotStarted:
		return "Not started", "muted", "The campaign has not started: nothing is spent yet."
	case performance.ForecastTooEarly:
		return "On track", "info", "The run's first day is not over yet: the forecast starts tomorrow, from the days completed."
	case performance.ForecastSpent:
		return "Budget spent", "bad", fmt.Sprintf("Budget spent on %s: the platform has paid %s over it. Claims go on until the coupons run out (%s left): the budget is a monitor, not a cap.",
			day(f.Day), views.Money(b.Left.Neg()), views.Count(b.Coupon.QuantityLeft()))
	case performance.ForecastRunsOut:
		return "Runs out early", "warn", fmt.Sprintf("%s, it runs out on %s (the campaign ends on %s).", pace(), day(f.Day), day(f.RunEnds))
	case performance.ForecastLasts:
		return "On track", "ok", fmt.Sprintf("%s, it lasts to the end of the campaign (%s), with about %s left.", pace(), day(f.RunEnds), views.Money(f.LeftAtEnd))
	case performance.ForecastNoSpend:
		return "On track", "ok", fmt.Sprintf("Nothing spent over the last %s: at that pace it does not run out before the campaign ends (%s).",
			fmt.Sprintf("%d day%s", f.PaceDays, plural(f.PaceDays)), day(f.RunEnds))
	case performance.ForecastEnded:
		return "Ended", "muted", fmt.Sprintf("The campaign has ended with %s of the budget left.", views.Money(f.LeftAtEnd))
	}
	return "", "muted", ""
}
