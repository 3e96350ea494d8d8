package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/performance"
)

// cell is one value of an exported table: text, a whole number or an
// amount of money (written with two decimals).
type cell struct {
	text  string
	n     *int64
	money *decimal.Decimal
}

func txt(s string) cell             { return cell{text: s} }
func num(n int64) cell              { return cell{n: &n} }
func amount(d decimal.Decimal) cell { return cell{money: &d} }

// exportTable answers a small table as CSV (amounts as exact decimal
// text) or XLSX (amounts as numbers with a two-decimal format).
func exportTable(c echo.Context, name, format string, header []string, rows [][]cell) error {
	w := c.Response()
	switch format {
	case "csv":
		w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		w.WriteHeader(http.StatusOK)
		cw := models.NewCSVWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, v := range r {
				switch {
				case v.n != nil:
					rec[i] = strconv.FormatInt(*v.n, 10)
				case v.money != nil:
					rec[i] = v.money.StringFixed(2)
				default:
					rec[i] = models.SpreadsheetText(v.text)
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "xlsx":
		wb, err := newWorkbook("Data", header, 1)
		if err != nil {
			return err
		}
		for _, r := range rows {
			cells := make([]any, len(r))
			for j, v := range r {
				switch {
				case v.n != nil:
					cells[j] = *v.n
				case v.money != nil:
					cells[j] = wb.amount(*v.money)
				default:
					cells[j] = v.text
				}
			}
			if err := wb.add(cells); err != nil {
				wb.book.Close()
				return err
			}
		}
		return wb.send(c, name+".xlsx")
	}
	return models.ErrNotFound
}

func figureCells(f performance.PerfFigures) []cell {
	return []cell{num(f.Orders), num(f.Cancelled), num(f.Units), amount(f.Sales()), amount(f.AverageOrder()), amount(f.FeeCharged),
		amount(f.FeeRefunded), amount(f.SellerShare), amount(f.PlatformShare), amount(f.Payout)}
}

var figureHeader = []string{"Orders", "Cancelled", "Units", "Sales", "Average order", "Service fees charged", "Fees refunded",
	"Your coupon cost", "Platform subsidy", "Payout"}

// ExportYear downloads Manage your campaigns' table for a year.
func (h *Performance) ExportYear(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	year, ok := h.year(c)
	if !ok {
		return models.ErrNotFound
	}
	y, err := h.store.ShopYearPerformance(ctx(c), shop.ID, year)
	if err != nil {
		return err
	}
	header := append([]string{"Campaign", "Run starts (UTC)", "Run ends (UTC)", "Registration"}, figureHeader...)
	var rows [][]cell
	for _, yc := range y.Campaigns {
		rows = append(rows, append([]cell{txt(yc.Name), txt(yc.RunStartsAt.UTC().Format(time.RFC3339)),
			txt(yc.RunEndsAt.UTC().Format(time.RFC3339)), txt(perfRegistrationLabel(yc.Registration))}, figureCells(yc.Figures)...))
	}
	rows = append(rows, append([]cell{txt(fmt.Sprintf("Total %d (each order once)", year)), txt(""), txt(""), txt("")}, figureCells(y.Total)...))
	rows = append(rows, append([]cell{txt(fmt.Sprintf("Total %d (each order once)", year-1)), txt(""), txt(""), txt("")}, figureCells(y.Previous)...))
	return exportTable(c, fmt.Sprintf("campaigns-%d", year), c.Param("format"), header, rows)
}

// ExportCampaign downloads one of View data's tables: days, subs or skus.
func (h *Performance) ExportCampaign(c echo.Context) error {
	p, errs, err := h.loadCampaign(c)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return models.ErrNotFound
	}
	name := fmt.Sprintf("campaign-%d-%s-%s-to-%s", p.Campaign.ID, c.Param("table"), p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	var header []string
	var rows [][]cell
	switch c.Param("table") {
	case "days":
		header = append([]string{"Day (" + p.Campaign.Timezone + ")"}, figureHeader...)
		for _, d := range p.Days {
			rows = append(rows, append([]cell{txt(d.Day.Format(time.DateOnly))}, figureCells(d.Figures)...))
		}
	case "subs":
		header = append([]string{"Sub-campaign"}, figureHeader...)
		for _, s := range p.Subs {
			rows = append(rows, append([]cell{txt(s.Name)}, figureCells(s.Figures)...))
		}
	case "skus":
		performance.SortSKUs(p.SKUs, c.QueryParam("sort"), c.QueryParam("dir"))
		header = []string{"Product", "PID", "SKU", "In this campaign", "Orders", "Units kept", "Units returned", "Units cancelled",
			"Sales", "Service fee", "Your coupon cost", "Platform subsidy", "Campaign stock"}
		for _, s := range p.SKUs {
			in := "yes"
			if !s.CampaignLine {
				in = "no: bought in the same orders"
			}
			rows = append(rows, []cell{txt(s.ProductTitle), txt(s.PID), txt(s.SKUCode), txt(in), num(s.Orders), num(s.Units),
				num(s.UnitsReturned), num(s.UnitsCancelled), amount(s.Sales), amount(s.Fee), amount(s.SellerShare),
				amount(s.PlatformShare), num(s.CampaignStock)})
		}
	default:
		return models.ErrNotFound
	}
	return exportTable(c, name, c.Param("format"), header, rows)
}
