package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/performance"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// PlatformStore reads the platform's view of a campaign.
type PlatformStore interface {
	CampaignPlatform(ctx context.Context, campaignID int64, from, to time.Time) (performance.PlatformPerf, error)
}

// Platform is the platform's view of a campaign, for campaign managers:
// every shop's figures together, from the rollups.
type Platform struct {
	Kit
	store PlatformStore
}

// NewPlatform builds the campaign managers' performance area.
func NewPlatform(k Kit, store PlatformStore) *Platform { return &Platform{Kit: k, store: store} }

// parseDayRange reads the from and to days (YYYY-MM-DD) of the query; a
// bad value is a field error and that end is left open.
func parseDayRange(c echo.Context) (from, to time.Time, errs map[string]string) {
	errs = map[string]string{}
	day := func(key string) time.Time {
		s := strings.TrimSpace(c.QueryParam(key))
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			errs[key] = "Use a date such as 2026-12-01."
			return time.Time{}
		}
		return t
	}
	from, to = day("from"), day("to")
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs["to"] = "The end date is before the start date."
		to = time.Time{}
	}
	return from, to, errs
}

// Campaign shows the platform's view of one campaign over a range of its
// days (the run by default).
func (h *Platform) Campaign(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	from, to, errs := parseDayRange(c)
	p, err := h.store.CampaignPlatform(ctx(c), id, from, to)
	if err != nil {
		return err
	}
	d := platformView(p, errs, h.Now())
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
		// Keep what was typed next to its message.
		d.From, d.To = c.QueryParam("from"), c.QueryParam("to")
	}
	return Render(c, status, views.PlatformPage(h.Page(c, p.Campaign.Name+": performance", views.NavManager), d))
}

func countText(n int64) string { return views.Count(int(n)) }

// platformCampaign is the campaign as campaignState reads it.
func platformCampaign(p performance.PlatformPerf) models.Campaign {
	return models.Campaign{ID: p.Campaign.ID, Name: p.Campaign.Name, Timezone: p.Campaign.Timezone, Status: p.Status,
		RegistrationOpensAt: p.Opens, RegistrationDeadline: p.Deadline, RunStartsAt: p.Campaign.RunStartsAt, RunEndsAt: p.Campaign.RunEndsAt}
}

// platformView maps the figures to the page: every number comes from the
// store; this only writes it out.
func platformView(p performance.PlatformPerf, errs map[string]string, now time.Time) views.PlatformPerf {
	cp := p.Campaign
	loc := cp.Location()
	status, tone := campaignState(platformCampaign(p), now)
	rangeText := views.DateRange(p.From, p.To, time.UTC)
	if p.From.Equal(p.To) {
		rangeText = views.Date(p.From, time.UTC)
	}
	f := p.Figures
	r, w := p.Registrations, p.Withdrawals
	claimed, issued := p.CouponsClaimed()
	d := views.PlatformPerf{
		Name: cp.Name, Status: status, StatusTone: tone, RunDates: views.RunDates(cp.RunStartsAt, cp.RunEndsAt, loc), Zone: cp.Timezone,
		CampaignURL: routes.ManagerCampaign(cp.ID), Action: routes.ManagerPerformance(cp.ID, "", ""),
		Exports: platformExports(cp.ID, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)),
		From:    p.From.Format(time.DateOnly), To: p.To.Format(time.DateOnly), Errors: errs, Range: rangeText,
		TopShopsLimit: performance.TopShopsLimit,
		Registrations: []views.PlatformStat{
			{TestID: "stat-shops", Label: "Shops registered", Value: countText(r.Registered),
				Note: fmt.Sprintf("%s pending · %s rejected · %s withdrawn", countText(r.Pending), countText(r.Rejected), countText(r.Withdrawn))},
			{TestID: "stat-skus", Label: "SKUs registered", Value: countText(p.SKUs), Note: "including SKUs in error"},
			{TestID: "stat-approvals", Label: "Approvals", Value: countText(p.Approvals), Note: countText(p.Rejections) + " rejections"},
			{TestID: "stat-withdrawals", Label: "Products withdrawn", Value: countText(w.Products()),
				Note: fmt.Sprintf("%s shops left the campaign · %s extra discounts withdrawn", countText(w.CampaignShops), countText(w.Discount))},
		},
		Orders: []views.PlatformStat{
			{TestID: "stat-orders", Label: "Orders", Value: countText(f.Orders), Note: countText(f.Cancelled) + " cancelled"},
			{TestID: "stat-sales", Label: "Sales", Value: views.Money(f.Sales()), Note: "less returns and cancellations"},
			{TestID: "stat-fee", Label: "Fees collected", Value: views.Money(f.Fee()), Note: views.Money(f.FeeRefunded) + " refunded"},
			{TestID: "stat-subsidy", Label: "Platform coupon subsidy", Value: views.Money(f.PlatformShare), Note: "net of returns"},
			{TestID: "stat-seller-coupons", Label: "Shops' coupon cost", Value: views.Money(f.SellerShare), Note: "net of returns"},
			{TestID: "stat-coupons", Label: "Coupons used", Value: countText(claimed) + " of " + countText(issued),
				Note: views.Percent(p.CouponsClaimedRate()) + " of those issued, claimed so far"},
		},
		CouponsSpent: fmt.Sprintf("%s of platform subsidy on orders %s, against %s of %s coupons claimed so far.",
			views.Money(f.PlatformShare), rangeText, countText(claimed), countText(issued)),
	}
	d.SalesChart, d.CostChart = platformCharts(p)
	d.Budgets = platformBudgets(p, now)
	for _, c := range p.Coupons {
		d.Coupons = append(d.Coupons, views.PlatformCoupon{Code: c.Code, Terms: models.CouponSummary(c),
			Claimed: views.Count(c.ClaimedQuantity), Issued: views.Count(c.TotalQuantity), Left: views.Count(c.QuantityLeft())})
	}
	for i, s := range p.TopShops {
		d.TopShops = append(d.TopShops, views.PlatformShop{Rank: strconv.Itoa(i + 1), Name: s.Name, PublicID: s.PublicID,
			Orders: countText(s.Figures.Orders), Sales: views.Money(s.Figures.Sales()), Fee: views.Money(s.Figures.Fee()),
			Subsidy: views.Money(s.Figures.PlatformShare)})
	}
	return d
}

// platformCharts draws the days: sales with orders, and fees collected with
// the platform's subsidy. Without orders in the range they say so.
func platformCharts(p performance.PlatformPerf) (views.Chart, views.Chart) {
	sales := views.Chart{ID: "platform-sales", Title: "Sales and orders by day",
		Series: []views.ChartSeries{
			{Name: "Sales", Class: "series-1", Kind: views.ChartBar, Axis: views.AxisLeft},
			{Name: "Orders", Class: "series-2", Kind: views.ChartLine, Axis: views.AxisRight},
		},
		Left: views.ChartAxis{Format: views.Money}, Right: views.ChartAxis{Whole: true}}
	cost := views.Chart{ID: "platform-cost", Title: "Fees collected and platform coupon subsidy by day", Stacked: true,
		Series: []views.ChartSeries{
			{Name: "Fees collected", Class: "series-3", Kind: views.ChartBar},
			{Name: "Platform subsidy", Class: "series-4", Kind: views.ChartBar},
		},
		Left: views.ChartAxis{Format: views.Money}}
	if p.Figures.Orders == 0 {
		return sales, cost
	}
	best := p.Days[0]
	for _, d := range p.Days {
		title := views.Date(d.Day, time.UTC)
		label := d.Day.Format("Jan 2")
		sales.Points = append(sales.Points, views.ChartPoint{Label: label, Title: title,
			Values: []views.ChartValue{views.MoneyValue(d.Figures.Sales()), views.CountValue(d.Figures.Orders)}})
		cost.Points = append(cost.Points, views.ChartPoint{Label: label, Title: title,
			Values: []views.ChartValue{views.MoneyValue(d.Figures.Fee()), views.MoneyValue(d.Figures.PlatformShare)}})
		if d.Figures.Sales().GreaterThan(best.Figures.Sales()) {
			best = d
		}
	}
	f := p.Figures
	sales.Summary = fmt.Sprintf("%s in sales from %s orders over %d days; the best day was %s with %s.",
		views.Money(f.Sales()), countText(f.Orders), len(p.Days), views.Date(best.Day, time.UTC), views.Money(best.Figures.Sales()))
	cost.Summary = fmt.Sprintf("%s in fees collected and %s of platform coupon subsidy over %d days.",
		views.Money(f.Fee()), views.Money(f.PlatformShare), len(p.Days))
	return sales, cost
}

// platformExports are the page's downloads: figures by day, coupons and
// top shops, each as CSV and XLSX, for the range shown.
func platformExports(id int64, from, to string) []views.PerfExport {
	var out []views.PerfExport
	for _, t := range []string{"days", "coupons", "shops"} {
		out = append(out, views.PerfExport{Table: t, CSV: routes.ManagerPerformanceExport(id, t, "csv", from, to),
			XLSX: routes.ManagerPerformanceExport(id, t, "xlsx", from, to)})
	}
	return out
}

// Export downloads one table of the platform's view (days, coupons or
// shops) as CSV or XLSX, through the same writer as the sellers' exports
// (text cells neutralised for spreadsheets, amounts exact).
func (h *Platform) Export(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	from, to, errs := parseDayRange(c)
	if len(errs) > 0 {
		return models.ErrNotFound
	}
	p, err := h.store.CampaignPlatform(ctx(c), id, from, to)
	if err != nil {
		return err
	}
	var header []string
	var rows [][]cell
	switch c.Param("table") {
	case "days":
		header = []string{"Day (" + p.Campaign.Timezone + ")", "Orders", "Cancelled", "Units", "Sales", "Fees collected",
			"Fees refunded", "Shops' coupon cost", "Platform coupon subsidy"}
		for _, d := range p.Days {
			f := d.Figures
			rows = append(rows, []cell{txt(d.Day.Format(time.DateOnly)), num(f.Orders), num(f.Cancelled), num(f.Units),
				amount(f.Sales()), amount(f.Fee()), amount(f.FeeRefunded), amount(f.SellerShare), amount(f.PlatformShare)})
		}
	case "coupons":
		// The budget columns are the coupon's whole run, like the
		// burn-down; blank for a coupon the platform pays nothing of or
		// without a budget.
		header = []string{"Coupon", "Terms", "Claimed", "Issued", "Left", "Platform share so far", "Platform budget", "Budget left"}
		burns := map[int64]performance.CouponBurn{}
		for _, b := range p.Burns(h.Now()) {
			burns[b.Coupon.ID] = b
		}
		for _, cp := range p.Coupons {
			row := []cell{txt(cp.Code), txt(models.CouponSummary(cp)), num(int64(cp.ClaimedQuantity)),
				num(int64(cp.TotalQuantity)), num(int64(cp.QuantityLeft())), txt(""), txt(""), txt("")}
			if b, ok := burns[cp.ID]; ok {
				row[5] = amount(b.PlatformShare)
				if cp.PlatformBudget.Valid {
					row[6], row[7] = amount(cp.PlatformBudget.Decimal), amount(b.Left)
				}
			}
			rows = append(rows, row)
		}
	case "shops":
		header = []string{"Rank", "Shop", "Shop ID", "Orders", "Sales", "Fees collected", "Platform coupon subsidy"}
		for i, s := range p.TopShops {
			f := s.Figures
			rows = append(rows, []cell{num(int64(i + 1)), txt(s.Name), txt(s.PublicID), num(f.Orders), amount(f.Sales()),
				amount(f.Fee()), amount(f.PlatformShare)})
		}
	default:
		return models.ErrNotFound
	}
	name := fmt.Sprintf("platform-campaign-%d-%s-%s-to-%s", id, c.Param("table"), p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	return exportTable(c, name, c.Param("format"), header, rows)
}
