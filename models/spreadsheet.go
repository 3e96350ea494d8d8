package models

import "strings"

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
