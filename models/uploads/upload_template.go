package uploads

import (
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"campaignportal/models"
)

// csvSafe is models.SpreadsheetText: the upload parser removes its
// apostrophe again from SKU IDs (unescapeCell).
func csvSafe(s string) string { return models.SpreadsheetText(s) }

// unescapeCell undoes csvSafe on a value read back.
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

func templateRecord(r TemplateRow) []string {
	return []string{r.PID, csvSafe(r.SKUCode), csvSafe(r.Title), csvSafe(r.Variant), r.Retail.StringFixed(2),
		r.Low.StringFixed(2), r.MaxFeatured.StringFixed(2), r.MaxRegular.StringFixed(2), strconv.Itoa(r.Available),
		"", "", "", ""}
}

// WriteTemplateCSV writes the template as CSV UTF-8 (with the byte-order
// mark Excel needs to read it as UTF-8).
func WriteTemplateCSV(w io.Writer, rows []TemplateRow) error {
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return err
	}
	cw := models.NewCSVWriter(w)
	if err := cw.Write(UploadColumns[:]); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(templateRecord(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTemplateXLSX writes the template as a workbook, streamed row by row:
// the products on the first sheet (the one uploads read), how to fill it
// in on the second.
func WriteTemplateXLSX(w io.Writer, rows []TemplateRow, instructions []string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Products"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	input, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF4CC"}}})
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := [numUploadColumns]float64{14, 16, 40, 20, 12, 12, 18, 18, 15, 15, 15, 12, 16}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, numUploadColumns)
	for i, name := range UploadColumns {
		style := bold
		if i >= colPrice {
			style = input
		}
		header[i] = excelize.Cell{StyleID: style, Value: name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	// Workbook numbers are binary floating point by the file format; these
	// are guide values only, exact to the cent as shown. Uploads read the
	// seller's cells back through excelNumber.
	num := func(d decimal.Decimal) excelize.Cell { return excelize.Cell{StyleID: money, Value: d.InexactFloat64()} }
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		// Text cells cannot be formulas, so PIDs, SKU IDs and titles go in as they are.
		row := []any{r.PID, r.SKUCode, r.Title, r.Variant, num(r.Retail), num(r.Low), num(r.MaxFeatured),
			num(r.MaxRegular), r.Available}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet("How to fill in"); err != nil {
		return err
	}
	for i, line := range instructions {
		if err := f.SetCellStr("How to fill in", "A"+strconv.Itoa(i+1), line); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// UploadErrorColumns head the errors file.
var UploadErrorColumns = []string{"Row", "PID", "SKU ID", "Campaign price", "Campaign stock", "Tier", "Extra discount %", "Reason"}

// WriteUploadErrorsCSV writes the invalid rows, as the seller typed them,
// with the reason for each.
func WriteUploadErrorsCSV(w io.Writer, rows []UploadRowRecord) error {
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return err
	}
	cw := models.NewCSVWriter(w)
	if err := cw.Write(UploadErrorColumns); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{strconv.Itoa(r.RowNumber), csvSafe(r.PID), csvSafe(r.SKUCode), csvSafe(r.PriceText),
			csvSafe(r.StockText), csvSafe(r.TierText), csvSafe(r.DiscountText), csvSafe(r.Reason)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TemplateInstructions explain the template with the campaign's own rules.
func TemplateInstructions(c models.Campaign) []string {
	featured, regular := c.Rule(models.TierFeatured), c.Rule(models.TierRegular)
	lines := []string{
		"Fill in one row per SKU you want to register: Campaign price and Campaign stock are required; Tier and Extra discount % are optional.",
		"Leave a row's last four cells empty to skip that SKU. Do not change the header row; you may delete rows.",
		"Featured: campaign price at most " + featured.MaxPricePct.String() + "% of the lookback low (column Max price Featured), campaign stock at least " + strconv.Itoa(featured.MinStock) + ".",
		"Regular: campaign price at most " + regular.MaxPricePct.String() + "% of the lookback low (column Max price Regular), campaign stock at least " + strconv.Itoa(regular.MinStock) + ".",
		"Tier: Featured or Regular; blank keeps the product's tier in your draft (Regular for a new product). All SKUs of a product share one tier.",
		"Campaign stock can be at most the Available stock. Prices have at most two decimals.",
	}
	if t := c.ExtraDiscount(); t.Allowed {
		min := "any percentage below 100"
		if t.MinPct.Valid {
			min = "at least " + t.MinPct.Decimal.String() + "%"
		}
		lines = append(lines, "Extra discount %: blank for none, or "+min+"; one value for all SKUs of a product.")
	} else {
		lines = append(lines, "Extra discount %: this campaign offers none; leave it blank.")
	}
	lines = append(lines, "Enter values only: formulas are refused. Up to "+strconv.Itoa(MaxUploadRows)+" rows and "+
		strconv.Itoa(MaxUploadBytes>>20)+" MB per file; save as .xlsx or CSV UTF-8.")
	return lines
}
