package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// workbook is one streamed sheet of an XLSX export: a bold header row,
// then rows added one by one (never all held in memory). Amounts are
// numbers with a two-decimal format, so they add up in the spreadsheet.
type workbook struct {
	book  *excelize.File
	sw    *excelize.StreamWriter
	money int
	row   int
}

// newWorkbook starts a sheet; the first wide columns are wider (names,
// dates).
func newWorkbook(sheet string, header []string, wide int) (*workbook, error) {
	w := &workbook{book: excelize.NewFile()}
	fail := func(err error) (*workbook, error) { w.book.Close(); return nil, err }
	if err := w.book.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	var err error
	if w.sw, err = w.book.NewStreamWriter(sheet); err != nil {
		return fail(err)
	}
	if w.money, err = w.book.NewStyle(&excelize.Style{NumFmt: 4}); err != nil { // #,##0.00
		return fail(err)
	}
	bold, err := w.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	if wide > 0 {
		if err := w.sw.SetColWidth(1, wide, 22); err != nil {
			return fail(err)
		}
	}
	if wide < len(header) {
		if err := w.sw.SetColWidth(wide+1, len(header), 16); err != nil {
			return fail(err)
		}
	}
	head := make([]any, len(header))
	for i, hd := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: hd}
	}
	if err := w.sw.SetRow("A1", head, excelize.RowOpts{Height: 18}); err != nil {
		return fail(err)
	}
	w.row = 1
	return w, nil
}

// amount is a money cell.
func (w *workbook) amount(d decimal.Decimal) excelize.Cell {
	return excelize.Cell{StyleID: w.money, Value: d.InexactFloat64()}
}

// add writes the next row.
func (w *workbook) add(cells []any) error {
	w.row++
	return w.sw.SetRow("A"+strconv.Itoa(w.row), cells)
}

// send finishes the sheet and answers with it as a download.
func (w *workbook) send(c echo.Context, filename string) error {
	defer w.book.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	r := c.Response()
	r.Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	r.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	r.WriteHeader(http.StatusOK)
	return w.book.Write(r)
}
