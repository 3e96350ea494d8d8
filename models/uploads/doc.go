// Package uploads owns bulk uploads of a registration's products: the
// downloadable templates (XLSX and CSV, safe against formula injection),
// parsing hostile spreadsheets with limits, checking every row against the
// shop's catalogue and the campaign's rules (the same rule functions as the
// price table, from package models), storing the result, and the River
// worker that runs the check (wired in cmd/portal/jobs).
package uploads
