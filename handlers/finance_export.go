package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/web/routes"
)

// Exports of the filtered settled records, streamed: rows go out as the
// database returns them (CSV), or through excelize's StreamWriter, which
// spills to a temporary file past a few megabytes (XLSX), so 100,000 rows
// never sit in memory.

var exportHeader = []string{"Order ID", "Placed at (UTC)", "Status", "Merchandise", "Shipping", "Returned", "Campaign service fee",
	"Fee refunded", "Coupon seller share", "Platform subsidy", "Payout"}

func exportName(ext string, now time.Time) string {
	return fmt.Sprintf("settled-records-%s.%s", now.UTC().Format("20060102-1504"), ext)
}

// ExportCSV streams the filtered records as CSV, amounts exactly as
// stored (two decimals).
func (h *Finance) ExportCSV(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	f, _, _ := parseSettledFilter(c)
	if _, err := h.campaignZone(c, shop.ID, &f); err != nil {
		return err
	}
	if _, err := h.subCampaigns(c, shop.ID, &f, &routes.SettledFilter{}); err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+exportName("csv", h.Now())+`"`)
	w.WriteHeader(http.StatusOK)
	cw := models.NewCSVWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	n := 0
	err = h.store.EachSettledRecord(ctx(c), shop.ID, f, func(r orders.SettledRow) error {
		a := r.Amounts
		if err := cw.Write([]string{models.SpreadsheetText(r.OrderID), r.PlacedAt.UTC().Format(time.RFC3339), orders.OrderStatusLabel(r.Status),
			a.Merchandise.StringFixed(2), a.Shipping.StringFixed(2), a.Reversed.StringFixed(2), a.Fee.StringFixed(2),
			a.FeeRefunded.StringFixed(2), a.SellerShare.StringFixed(2), a.PlatformShare.StringFixed(2), a.Payout.StringFixed(2)}); err != nil {
			return err
		}
		if n++; n%2000 == 0 {
			cw.Flush()
			w.Flush()
		}
		return cw.Error()
	})
	cw.Flush()
	return err
}

// ExportXLSX streams the filtered records as a workbook. Amounts are
// written as numbers with a two-decimal format so they add up in the
// spreadsheet; the CSV carries them as exact decimal text.
func (h *Finance) ExportXLSX(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	f, _, _ := parseSettledFilter(c)
	if _, err := h.campaignZone(c, shop.ID, &f); err != nil {
		return err
	}
	if _, err := h.subCampaigns(c, shop.ID, &f, &routes.SettledFilter{}); err != nil {
		return err
	}
	wb, err := newWorkbook("Settled records", exportHeader, 3)
	if err != nil {
		return err
	}
	err = h.store.EachSettledRecord(ctx(c), shop.ID, f, func(r orders.SettledRow) error {
		a := r.Amounts
		cells := []any{r.OrderID, r.PlacedAt.UTC().Format("2006-01-02 15:04:05"), orders.OrderStatusLabel(r.Status)}
		for _, d := range []decimal.Decimal{a.Merchandise, a.Shipping, a.Reversed, a.Fee, a.FeeRefunded, a.SellerShare,
			a.PlatformShare, a.Payout} {
			cells = append(cells, wb.amount(d))
		}
		return wb.add(cells)
	})
	if err != nil {
		wb.book.Close()
		return err
	}
	return wb.send(c, exportName("xlsx", h.Now()))
}
