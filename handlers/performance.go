package handlers

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/models/performance"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// PerformanceStore reads the campaign performance rollups.
type PerformanceStore interface {
	ShopYearPerformance(ctx context.Context, shopID int64, year int) (performance.ShopYear, error)
	ShopCampaign(ctx context.Context, shopID, campaignID int64) (performance.PerfCampaign, error)
	CampaignPerformance(ctx context.Context, shopID int64, c performance.PerfCampaign, from, to time.Time) (performance.CampaignPerf, error)
}

// Performance is Manage your campaigns and View data (sellers).
type Performance struct {
	Kit
	store PerformanceStore
}

// NewPerformance builds the campaign performance area.
func NewPerformance(k Kit, store PerformanceStore) *Performance {
	return &Performance{Kit: k, store: store}
}

// year reads ?year=, the current year by default; ok is false for a
// year that is not a number in a sensible range.
func (h *Performance) year(c echo.Context) (int, bool) {
	now := h.Now().UTC().Year()
	s := strings.TrimSpace(c.QueryParam("year"))
	if s == "" {
		return now, true
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > now+1 {
		return now, false
	}
	return y, true
}

// Year is Manage your campaigns: the year's performance of every campaign
// the shop joined.
func (h *Performance) Year(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	year, ok := h.year(c)
	status := http.StatusOK
	if !ok {
		status = http.StatusUnprocessableEntity
	}
	y, err := h.store.ShopYearPerformance(ctx(c), shop.ID, year)
	if err != nil {
		return err
	}
	d := yearView(y)
	if !ok {
		d.YearError = "Choose a year from the list."
	}
	return Render(c, status, views.PerformanceYearPage(h.Page(c, "Manage your campaigns", views.NavPerformance), d))
}

func yearView(y performance.ShopYear) views.PerformanceYear {
	d := views.PerformanceYear{Year: strconv.Itoa(y.Year), CSVURL: routes.PerformanceExport(y.Year, "csv"),
		XLSXURL: routes.PerformanceExport(y.Year, "xlsx"), PrevYear: strconv.Itoa(y.Year - 1),
		Total: figuresView(y.Total, ""), Previous: figuresView(y.Previous, ""), Change: changeView(y.Total, y.Previous)}
	years := y.Years
	if !containsInt(years, y.Year) {
		years = append(years, y.Year)
		sort.Sort(sort.Reverse(sort.IntSlice(years)))
	}
	for _, yr := range years {
		d.Years = append(d.Years, views.Option{Value: strconv.Itoa(yr), Label: strconv.Itoa(yr), Selected: yr == y.Year})
	}
	for _, yc := range y.Campaigns {
		loc := orders.CampaignOption{Timezone: yc.Timezone}.Location()
		runFrom, runTo, yearFrom, yearTo := yearDays(y.Year, yc)
		d.Rows = append(d.Rows, views.PerformanceRow{Name: yc.Name, Run: views.RunDates(yc.RunStartsAt, yc.RunEndsAt, loc),
			Zone: yc.Timezone, Registration: perfRegistrationLabel(yc.Registration), RegistrationClass: perfRegistrationClass(yc.Registration),
			ViewURL: routes.CampaignPerf(yc.CampaignID, runFrom, runTo),
			Figures: figuresView(yc.Figures, routes.SettledRecordsFor(yc.CampaignID, yearFrom, yearTo, ""))})
	}
	d.Empty = len(d.Rows) == 0
	return d
}

// yearDays are the days of a year row: the run's days inside the year
// (View data's range; a campaign's orders all fall in its run) and the
// whole year (the settled records filter). Both hold the same orders.
func yearDays(year int, yc performance.YearCampaign) (runFrom, runTo, yearFrom, yearTo string) {
	first, last := performance.PerfCampaign{Timezone: yc.Timezone, RunStartsAt: yc.RunStartsAt, RunEndsAt: yc.RunEndsAt}.RunDays()
	yFrom, yTo := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if first.Before(yFrom) {
		first = yFrom
	}
	if last.After(yTo) {
		last = yTo
	}
	if last.Before(first) {
		first, last = yFrom, yTo
	}
	return first.Format(time.DateOnly), last.Format(time.DateOnly), yFrom.Format(time.DateOnly), yTo.Format(time.DateOnly)
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func perfRegistrationLabel(s string) string {
	switch s {
	case "registered":
		return "Registered"
	case "pending":
		return "Under review"
	case "rejected":
		return "Rejected"
	case "withdrawn":
		return "Withdrawn"
	case "":
		return "Orders only"
	}
	return s
}

func perfRegistrationClass(s string) string {
	switch s {
	case "registered":
		return "badge-ok"
	case "pending":
		return "badge-info"
	case "rejected":
		return "badge-bad"
	}
	return "badge-muted"
}

// figuresView writes a set of figures out; records links them to the
// settled records of the same orders ("" for none).
func figuresView(f performance.PerfFigures, records string) views.PerfFigures {
	return views.PerfFigures{RecordsURL: records, Orders: views.Int(f.Orders), Cancelled: views.Int(f.Cancelled), Units: views.Int(f.Units),
		Sales: views.Money(f.Sales()), Merchandise: views.Money(f.Merchandise), Returned: views.Money(f.MerchReversed),
		AverageOrder: views.Money(f.AverageOrder()), Fee: views.Money(f.Fee()), FeeCharged: views.Money(f.FeeCharged),
		FeeRefunded: views.Money(f.FeeRefunded), CouponCost: views.Money(f.SellerShare), Subsidy: views.Money(f.PlatformShare),
		Cost: views.Money(f.Cost()), Payout: views.Money(f.Payout), PayoutNegative: f.Payout.IsNegative(),
		CancellationRate: views.Percent(f.CancellationRate()), ReturnRate: views.Percent(f.ReturnRate())}
}

// changeView is the change of each figure against the previous year.
func changeView(now, before performance.PerfFigures) views.PerfChange {
	c := performance.CompareYears(now, before)
	return views.PerfChange{Sales: changeText(c.Sales), Orders: changeText(c.Orders), Units: changeText(c.Units),
		Fee: changeText(c.Fee), CouponCost: changeText(c.CouponCost), Subsidy: changeText(c.Subsidy),
		Payout: changeText(c.Payout), AverageOrder: changeText(c.AverageOrder)}
}

// changeText says a change in words: "+12.5%", "−3.0%", "no change".
func changeText(c performance.Change) views.Change {
	switch c.Kind {
	case performance.NewFigure:
		return views.Change{Text: "new this year"}
	case performance.Moved:
		sign := "+"
		if c.Percent.IsNegative() {
			sign = "−"
		}
		return views.Change{Text: sign + c.Percent.Abs().StringFixed(1) + "%", Good: c.Helps, Bad: !c.Helps}
	}
	return views.Change{Text: "no change"}
}

// loadCampaign reads the campaign of the path and its analytics for the
// query's range.
func (h *Performance) loadCampaign(c echo.Context) (performance.CampaignPerf, map[string]string, error) {
	shop, err := mustShop(c)
	if err != nil {
		return performance.CampaignPerf{}, nil, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return performance.CampaignPerf{}, nil, models.ErrNotFound
	}
	cp, err := h.store.ShopCampaign(ctx(c), shop.ID, id)
	if err != nil {
		return performance.CampaignPerf{}, nil, err
	}
	from, to, errs := parseDayRange(c)
	p, err := h.store.CampaignPerformance(ctx(c), shop.ID, cp, from, to)
	return p, errs, err
}

// Campaign is View data: one campaign's analytics.
func (h *Performance) Campaign(c echo.Context) error {
	p, errs, err := h.loadCampaign(c)
	if err != nil {
		return err
	}
	d := campaignPerfView(p, c.QueryParam("sort"), c.QueryParam("dir"), c.QueryParam("others") == "1")
	d.Errors = errs
	if raw := c.QueryParam("from"); errs["from"] != "" {
		d.From = raw
	}
	if raw := c.QueryParam("to"); errs["to"] != "" {
		d.To = raw
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return Render(c, status, views.CampaignPerfPage(h.Page(c, p.Campaign.Name+": performance", views.NavPerformance), d))
}
