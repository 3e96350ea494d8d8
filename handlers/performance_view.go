package handlers

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"campaignportal/models/orders"
	"campaignportal/models/performance"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// campaignPerfView maps one campaign's analytics to View data. The other
// products bought in the campaign's orders are one row unless others.
func campaignPerfView(p performance.CampaignPerf, sortKey, dir string, others bool) views.CampaignPerf {
	c := p.Campaign
	loc := c.Location()
	from, to := p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)
	runFrom, runTo := c.RunDays()
	records := func(status string) string { return routes.SettledRecordsFor(c.ID, from, to, status) }
	d := views.CampaignPerf{ID: c.ID, Name: c.Name, Zone: c.Timezone, From: from, To: to,
		Run:       views.RunDates(c.RunStartsAt, c.RunEndsAt, loc),
		Range:     views.DateRange(p.From, p.To, time.UTC),
		WholeRun:  from == runFrom.Format(time.DateOnly) && to == runTo.Format(time.DateOnly),
		RunURL:    routes.CampaignPerf(c.ID, "", ""),
		BackURL:   routes.PerformanceYear(p.From.Year()),
		Figures:   figuresView(p.Figures, records("")),
		CancelURL: records(string(orders.OrderCancelled)),
		Days:      len(p.Days),
	}
	if c.RegistrationID != 0 {
		d.ManageURL = routes.Registration(c.RegistrationID)
	}
	for _, t := range []string{"days", "subs", "skus"} {
		d.Exports = append(d.Exports, views.PerfExport{Table: t, CSV: routes.CampaignPerfExport(c.ID, t, "csv", from, to),
			XLSX: routes.CampaignPerfExport(c.ID, t, "xlsx", from, to)})
	}
	d.SalesChart = views.Chart{ID: "chart-sales", Title: "Sales and orders by day",
		Summary: fmt.Sprintf("Sales of %s from %d orders over %d days.", views.Money(p.Figures.Sales()), p.Figures.Orders, len(p.Days)),
		Series: []views.ChartSeries{{Name: "Sales", Class: "series-1", Kind: views.ChartBar, Axis: views.AxisLeft},
			{Name: "Orders", Class: "series-2", Kind: views.ChartLine, Axis: views.AxisRight}},
		Left: views.ChartAxis{Format: views.Money}, Right: views.ChartAxis{Whole: true}}
	d.CostChart = views.Chart{ID: "chart-cost", Title: "Campaign service fee and coupon cost by day",
		Summary: fmt.Sprintf("The campaign cost you %s: %s in fees and %s in coupons.", views.Money(p.Figures.Cost()),
			views.Money(p.Figures.Fee()), views.Money(p.Figures.SellerShare)),
		Series: []views.ChartSeries{{Name: "Campaign service fee", Class: "series-1", Kind: views.ChartBar},
			{Name: "Your coupon cost", Class: "series-2", Kind: views.ChartBar}},
		Left: views.ChartAxis{Format: views.Money}, Stacked: true}
	for _, day := range p.Days {
		f := day.Figures
		label, title := day.Day.Format("Jan 2"), day.Day.Format("Mon, Jan 2, 2006")
		dayURL := routes.SettledRecordsFor(c.ID, day.Day.Format(time.DateOnly), day.Day.Format(time.DateOnly), "")
		d.SalesChart.Points = append(d.SalesChart.Points, views.ChartPoint{Label: label, Title: title, URL: dayURL,
			Values: []views.ChartValue{views.MoneyValue(f.Sales()), views.CountValue(f.Orders)}})
		d.CostChart.Points = append(d.CostChart.Points, views.ChartPoint{Label: label, Title: title, URL: dayURL,
			Values: []views.ChartValue{views.MoneyValue(f.Fee()), views.MoneyValue(f.SellerShare)}})
	}
	if p.Figures.Orders == 0 {
		d.SalesChart.Points, d.CostChart.Points = nil, nil
	}
	for _, s := range p.Subs {
		url := "" // orders outside every run have no filter of their own
		if s.ID != 0 {
			url = routes.SettledRecordsPage(routes.SettledFilter{CampaignID: c.ID, From: from, To: to, SubCampaignID: s.ID}, "")
		}
		d.Subs = append(d.Subs, views.PerfSubRow{Name: s.Name, Figures: figuresView(s.Figures, url)})
	}
	key, dir := performance.SortSKUs(p.SKUs, sortKey, dir)
	d.Sort, d.Dir = key, dir
	link := func(sortKey, dir string, others bool) string {
		v := url.Values{}
		if !d.WholeRun {
			v.Set("from", from)
			v.Set("to", to)
		}
		v.Set("sort", sortKey)
		v.Set("dir", dir)
		if others {
			v.Set("others", "1")
		}
		return routes.CampaignPerfWith(c.ID, v) + "#skus-title"
	}
	for _, col := range []struct{ key, label string }{{"product", "Product and SKU"}, {"units", "Units sold"}, {"sales", "Sales"},
		{"fee", "Campaign service fee"}, {"coupon", "Your coupon cost"}, {"sold", "Campaign stock sold"}} {
		h := views.SortHeader{Label: col.label, Key: col.key}
		next := "desc"
		if col.key == "product" {
			next = "asc"
		}
		if col.key == key {
			h.Aria = map[string]string{"asc": "ascending", "desc": "descending"}[dir]
			if dir == "desc" {
				next = "asc"
			} else {
				next = "desc"
			}
		}
		h.URL = link(col.key, next, others)
		d.SKUHeaders = append(d.SKUHeaders, h)
	}
	table := performance.BuildSKUTable(p.SKUs, others)
	for _, s := range table.Rows {
		d.SKUs = append(d.SKUs, perfSKURow(s))
	}
	if d.OtherSKUs = table.OtherCount; d.OtherSKUs > 0 {
		row := perfSKURow(table.Others)
		row.SKU = fmt.Sprintf("%d SKUs", d.OtherSKUs)
		d.SKUs = append(d.SKUs, row)
		d.OthersURL = link(key, dir, true)
	} else if others {
		d.OthersURL = link(key, dir, false)
		d.ShowingOthers = true
	}
	d.SKUTotal = perfSKURow(table.Total)
	u := p.Uplift
	d.Uplift = views.Uplift{Days: strconv.Itoa(u.Days),
		During: views.Money(u.During.Sales()), DuringOrders: views.Int(u.During.Orders),
		Before: views.Money(u.Before.Sales()), BeforeOrders: views.Int(u.Before.Orders),
		DuringRange: views.DateRange(u.From, u.To, time.UTC), BeforeRange: views.DateRange(u.BeforeFrom, u.BeforeTo, time.UTC),
		DuringURL: routes.SettledRecordsFor(0, u.From.Format(time.DateOnly), u.To.Format(time.DateOnly), ""),
		BeforeURL: routes.SettledRecordsFor(0, u.BeforeFrom.Format(time.DateOnly), u.BeforeTo.Format(time.DateOnly), ""),
		Extra:     views.Money(u.ExtraSales()), ExtraNegative: u.ExtraSales().IsNegative(), Cost: views.Money(p.Figures.Cost())}
	if per, ok := u.PerDollar(p.Figures.Cost()); ok {
		d.Uplift.PerDollar = views.Money(per)
	}
	d.Uplift.Verdict = upliftVerdicts[u.Verdict(p.Figures.Cost())]
	return d
}

func perfSKURow(s performance.PerfSKU) views.PerfSKURow {
	r := views.PerfSKURow{Product: s.ProductTitle, SKU: s.SKUCode, PID: s.PID, CampaignLine: s.CampaignLine, Units: views.Int(s.Units),
		Returned: views.Int(s.UnitsReturned + s.UnitsCancelled), Sales: views.Money(s.Sales), Fee: views.Money(s.Fee),
		CouponCost: views.Money(s.SellerShare), SoldThrough: "—"}
	if st, ok := s.SoldThrough(); ok {
		r.SoldThrough = views.Percent(st) + " of " + views.Int(s.CampaignStock)
	}
	return r
}

// upliftVerdicts say in a sentence whether the campaign paid.
var upliftVerdicts = map[performance.Verdict]string{
	performance.SoldMoreForFree: "You sold more than before, and the campaign cost you nothing.",
	performance.CostNothing:     "The campaign cost you nothing.",
	performance.Paid:            "It paid: your extra sales are larger than what the campaign cost you.",
	performance.SoldMoreButLess: "You sold more than before, but less extra than the campaign cost you.",
	performance.NoExtraSales:    "You did not sell more than in the days before the campaign.",
}
