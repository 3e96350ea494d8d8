package models

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
)

// SpreadsheetText keeps a spreadsheet program from running a text cell of
// an export as a formula (CSV injection): text that starts like one (=, +,
// -, @, tab, carriage return) gets a leading apostrophe. Only for text:
// amounts and counts are written as numbers, negative ones included.
func SpreadsheetText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVWriter is the one CSV writer of the portal's exports: every cell that
// is not a plain number (digits, an optional leading minus and decimals,
// as amounts and counts are written) goes through SpreadsheetText, so no
// export can hand a spreadsheet a live formula, whoever named the product.
type CSVWriter struct {
	*csv.Writer
}

// NewCSVWriter writes CSV to w with every text cell neutralised.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{csv.NewWriter(w)} }

// Write writes one record.
func (w *CSVWriter) Write(record []string) error {
	safe := make([]string, len(record))
	for i, v := range record {
		if plainNumberCell.MatchString(v) {
			safe[i] = v
		} else {
			safe[i] = SpreadsheetText(v)
		}
	}
	return w.Writer.Write(safe)
}

var plainNumberCell = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
