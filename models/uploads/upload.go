package uploads

import (
	"bytes"
	"campaignportal/models"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits of a bulk upload. A file past any of them is refused whole, with
// a message that says which limit and where.
const (
	MaxUploadBytes    = 5 << 20 // the file as sent
	MaxUploadRows     = 10000   // data rows that name a product
	MaxUploadCellLen  = 1000    // characters in one cell
	maxXLSXUnzipped   = 64 << 20
	maxXLSXSheetInRAM = 16 << 20 // larger sheets are streamed from a temporary file
)

// UploadKind is the format of an uploaded file, judged by its content.
type UploadKind string

const (
	UploadCSV  UploadKind = "csv"
	UploadXLSX UploadKind = "xlsx"
)

// UploadFileError refuses a whole file: wrong columns, not a spreadsheet,
// a formula, a huge cell, too many rows, empty. Nothing of it is stored.
type UploadFileError struct{ Message string }

func (e *UploadFileError) Error() string { return e.Message }

func fileErrorf(format string, args ...any) error {
	return &UploadFileError{Message: fmt.Sprintf(format, args...)}
}

// The template's columns, in order. Guide columns are filled in by the
// portal and ignored on upload; the seller fills the last four.
const (
	colPID = iota
	colSKU
	colTitle
	colVariant
	colRetail
	colLow
	colMaxFeatured
	colMaxRegular
	colAvailable
	colPrice
	colStock
	colTier
	colDiscount
	numUploadColumns
)

// UploadColumns are the template's header cells.
var UploadColumns = [numUploadColumns]string{
	"PID", "SKU ID", "Title", "Variant", "Retail price", "Lookback low", "Max price Featured", "Max price Regular",
	"Available stock", "Campaign price", "Campaign stock", "Tier", "Extra discount %",
}

// requiredColumns must be in every upload; the others may be left out.
var requiredColumns = []int{colPID, colSKU, colPrice, colStock}

// headerKey compares header cells ignoring case, spaces and punctuation,
// so "Extra discount (%)" and "extra discount %" are the same column.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var columnByKey = func() map[string]int {
	m := map[string]int{}
	for i, name := range UploadColumns {
		m[headerKey(name)] = i
	}
	return m
}()

// UploadRow is one data row of an upload, as the seller typed it.
type UploadRow struct {
	Line          int // the row number the seller sees in the spreadsheet
	PID           string
	SKUCode       string
	Price         string
	Stock         string
	Tier          string
	ExtraDiscount string
}

// Untouched reports a template row the seller left as it was: nothing to
// add, so it is skipped rather than judged.
func (r UploadRow) Untouched() bool {
	return r.Price == "" && r.Stock == "" && r.Tier == "" && r.ExtraDiscount == ""
}

// ParsedUpload is a file that passed the shape checks.
type ParsedUpload struct {
	Kind UploadKind
	Rows []UploadRow // data rows with something in them, in file order
}

// rowSource streams a spreadsheet's rows: the cells and the row number.
type rowSource interface {
	next() (cells []string, line int, err error) // io.EOF at the end
	close()
}

// SniffUpload tells a CSV from an XLSX file by its content, refusing what
// is neither.
func SniffUpload(content []byte) (UploadKind, error) {
	switch {
	case len(bytes.TrimSpace(content)) == 0:
		return "", fileErrorf("The file is empty. Download the template, fill it in and upload it.")
	case len(content) > MaxUploadBytes:
		return "", fileErrorf("The file is larger than %d MB. Split it into smaller files.", MaxUploadBytes>>20)
	case bytes.HasPrefix(content, []byte("PK\x03\x04")):
		return UploadXLSX, nil
	case bytes.HasPrefix(content, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", fileErrorf("This is an old Excel (.xls) file or a password-protected workbook. " +
			"Save it as an Excel Workbook (.xlsx) or as CSV UTF-8, without a password, and upload it again.")
	case bytes.IndexByte(content, 0) >= 0:
		return "", fileErrorf("This file is not a spreadsheet. Upload the template as .xlsx or .csv.")
	case !utf8.Valid(content):
		return "", fileErrorf("This CSV file is not UTF-8 text. In your spreadsheet program choose " +
			"Save as → CSV UTF-8 (or upload the .xlsx) and try again.")
	}
	return UploadCSV, nil
}

// ParseUpload reads every row of an upload, streaming, and checks its
// shape: a known header, no formulas, no huge cells, at most MaxUploadRows
// data rows. It never looks at the database; UploadChecker judges the
// values.
func ParseUpload(content []byte) (ParsedUpload, error) {
	out := ParsedUpload{}
	kind, _, err := streamUpload(content, func(r UploadRow) error {
		if err := checkRowCount(len(out.Rows), r); err != nil {
			return err
		}
		out.Rows = append(out.Rows, r)
		return nil
	})
	out.Kind = kind
	if err != nil {
		return ParsedUpload{}, err
	}
	if len(out.Rows) == 0 {
		return out, errNoProducts
	}
	return out, nil
}

// checkRowCount refuses the row after MaxUploadRows have been read.
func checkRowCount(read int, r UploadRow) error {
	if read >= MaxUploadRows {
		return fileErrorf("The file has more than %d product rows (row %d is one too many). "+
			"Split it into files of up to %d rows.", MaxUploadRows, r.Line, MaxUploadRows)
	}
	return nil
}

var errNoProducts = &UploadFileError{Message: "The file has a header row but no products. Fill in a row per SKU and upload it again."}

// UploadInspection is what the request learns of a file before storing it.
type UploadInspection struct {
	Kind UploadKind
	Rows int // data rows: exact for CSV, at most this many for XLSX
}

// errStop ends a stream early once enough is known.
var errStop = errors.New("stop")

// InspectUpload refuses malformed files while the seller waits, cheaply:
// a CSV is parsed whole (it is fast); a workbook has its sheet scanned for
// formulas and its header and first product row read, leaving the rest
// (row count, cell sizes) to the check job, which fails the upload with
// the same messages.
func InspectUpload(content []byte) (UploadInspection, error) {
	kind, err := SniffUpload(content)
	if err != nil {
		return UploadInspection{}, err
	}
	if kind == UploadCSV {
		p, err := ParseUpload(content)
		return UploadInspection{Kind: kind, Rows: len(p.Rows)}, err
	}
	seen := false
	_, rowTags, err := streamUpload(content, func(UploadRow) error {
		seen = true
		return errStop
	})
	switch {
	case errors.Is(err, errStop):
	case err != nil:
		return UploadInspection{}, err
	case !seen:
		return UploadInspection{}, errNoProducts
	}
	return UploadInspection{Kind: kind, Rows: min(max(rowTags-1, 1), MaxUploadRows)}, nil
}

// streamUpload opens the file by its kind and hands every non-blank data
// row to emit, stopping at emit's first error. For a workbook it also
// says how many row elements its sheet has.
func streamUpload(content []byte, emit func(UploadRow) error) (UploadKind, int, error) {
	kind, err := SniffUpload(content)
	if err != nil {
		return "", 0, err
	}
	var src rowSource
	rowTags := 0
	if kind == UploadXLSX {
		src, rowTags, err = openXLSX(content)
	} else {
		src = openCSV(content)
	}
	if err != nil {
		return kind, 0, err
	}
	defer src.close()
	return kind, rowTags, readRows(src, emit, kind == UploadXLSX)
}

// readRows finds the header, maps its columns and hands every non-blank
// data row to emit.
func readRows(src rowSource, emit func(UploadRow) error, excelNumbers bool) (err error) {
	defer func() {
		// A third-party parser meeting a hostile file must not take the
		// request or the worker down with it.
		if p := recover(); p != nil {
			err = fileErrorf("This file could not be read as a spreadsheet. Save it again as .xlsx or CSV UTF-8 and upload it.")
		}
	}()
	var columns []int // file column -> template column, -1 for none
	for {
		cells, line, err := src.next()
		if errors.Is(err, io.EOF) {
			if columns == nil {
				return fileErrorf("The file is empty. Download the template, fill it in and upload it.")
			}
			return nil
		}
		if err != nil {
			return err
		}
		if err := checkCells(cells, line); err != nil {
			return err
		}
		if blank(cells) {
			continue
		}
		if columns == nil {
			if columns, err = mapHeader(cells); err != nil {
				return err
			}
			continue
		}
		r := UploadRow{Line: line}
		for i, v := range cells {
			v = strings.TrimSpace(v)
			if i >= len(columns) || columns[i] < 0 {
				if v != "" {
					return fileErrorf("Row %d has a value in column %s, which has no heading. "+
						"Keep to the template's columns.", line, columnName(i))
				}
				continue
			}
			switch columns[i] {
			case colPID:
				r.PID = v
			case colSKU:
				r.SKUCode = unescapeCell(v)
			case colPrice:
				r.Price = excelNumber(v, excelNumbers)
			case colStock:
				r.Stock = excelNumber(v, excelNumbers)
			case colTier:
				r.Tier = v
			case colDiscount:
				r.ExtraDiscount = excelNumber(v, excelNumbers)
			}
		}
		if err := emit(r); err != nil {
			return err
		}
	}
}

// checkCells refuses formulas and huge cells, wherever they are.
func checkCells(cells []string, line int) error {
	for i, v := range cells {
		if utf8.RuneCountInString(v) > MaxUploadCellLen {
			return fileErrorf("Row %d, column %s has more than %d characters. Cells hold one value each; "+
				"shorten it and upload again.", line, columnName(i), MaxUploadCellLen)
		}
		if strings.HasPrefix(strings.TrimSpace(v), "=") {
			return fileErrorf("Row %d, column %s holds a formula. Uploads take values only: copy the cells and "+
				"paste them as values, then upload again.", line, columnName(i))
		}
	}
	return nil
}

func blank(cells []string) bool {
	for _, v := range cells {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// mapHeader matches the header row to the template's columns: every cell
// must name a known column, once, and the required ones must be there.
func mapHeader(cells []string) ([]int, error) {
	// Trailing empty header cells are harmless (some programs write them).
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	columns := make([]int, len(cells))
	seen := map[int]bool{}
	for i, v := range cells {
		col, ok := columnByKey[headerKey(v)]
		switch {
		case strings.TrimSpace(v) == "":
			return nil, fileErrorf("The header row has an empty heading in column %s. The first row must be the template's "+
				"headings: %s.", columnName(i), strings.Join(UploadColumns[:], ", "))
		case !ok:
			return nil, fileErrorf("The column %q (column %s) is not one of the template's. The first row must be the "+
				"template's headings: %s.", clip(strings.TrimSpace(v), 40), columnName(i), strings.Join(UploadColumns[:], ", "))
		case seen[col]:
			return nil, fileErrorf("The column %q appears twice in the header row.", UploadColumns[col])
		}
		seen[col] = true
		columns[i] = col
	}
	var missing []string
	for _, col := range requiredColumns {
		if !seen[col] {
			missing = append(missing, UploadColumns[col])
		}
	}
	if len(missing) > 0 {
		return nil, fileErrorf("The header row lacks the column%s %s. Download the template and keep its first row.",
			models.Plural(len(missing)), strings.Join(missing, ", "))
	}
	return columns, nil
}

// columnName is a spreadsheet column letter: 0 -> A, 26 -> AA.
func columnName(i int) string {
	name := ""
	for i >= 0 {
		name = string(rune('A'+i%26)) + name
		i = i/26 - 1
	}
	return name
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// excelNumber undoes binary floating point in numbers a workbook stores
// (19.99 may be kept as 19.989999999999998): Excel shows 15 significant
// digits, so that is what the seller typed. Text is left alone.
func excelNumber(v string, fromWorkbook bool) string {
	if !fromWorkbook || v == "" || len(v) > 40 || !strings.ContainsAny(v, ".Ee") {
		return v
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9') && !strings.ContainsRune(".eE+-", r) {
			return v
		}
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	if digits := d.NumDigits(); digits > 15 {
		d = d.Round(-d.Exponent() - int32(digits-15))
	}
	if d.Exponent() < -12 || d.Exponent() > 12 {
		return v // not a price or a count; let the value checks say so
	}
	return d.String()
}

// csvSource reads CSV, comma or semicolon separated, with or without the
// byte-order mark Excel writes.
type csvSource struct {
	r    *csv.Reader
	line int
}

func openCSV(content []byte) *csvSource {
	content = bytes.TrimPrefix(content, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(content))
	firstLine, _, _ := bytes.Cut(content, []byte("\n"))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvSource{r: r}
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err == nil {
		// The line the record starts on is the row a spreadsheet shows
		// (encoding/csv skips empty lines, which are rows there too).
		s.line, _ = s.r.FieldPos(0)
		return rec, s.line, nil
	}
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, fileErrorf("Line %d is not valid CSV (%v). Save the file from your spreadsheet program as "+
			"CSV UTF-8 and upload it again.", pe.StartLine, pe.Err)
	}
	return nil, 0, fileErrorf("The file could not be read as CSV: %v.", err)
}

func (s *csvSource) close() {}
