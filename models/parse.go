package models

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

var (
	plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	// thousands: "1,250" and "1,250.00" are read as US amounts.
	thousands = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)
	// decimalComma: "33,00" or "33,5" is a European decimal comma, which
	// the portal does not guess at (it would be 3300 read as thousands).
	decimalComma = regexp.MustCompile(`^([0-9]+),([0-9]{1,2})$`)
)

// decimalCommaError refuses "33,00" with the amount the seller likely meant.
type decimalCommaError struct{ suggestion string }

func (e *decimalCommaError) Error() string { return "Use a point for cents: " + e.suggestion + "." }

// sentence is a parser error worded for the person who typed the value:
// callers show it as it is (the campaign form) or turn it into the rule
// functions' messages (rules.go).
type sentence string

func (s sentence) Error() string { return string(s) }

// errNotNumber and friends are what the parsers below report.
const (
	errNotNumber     sentence = "Enter a number like 25 or 25.50."
	errTooPrecise    sentence = "Use at most two decimals."
	errNotWhole      sentence = "Enter a whole number."
	errCountTooLarge sentence = "Too large." // beyond what an integer column holds
)

// ParseAmount reads money as people type it ("25", "25.5", "$1,250.00")
// into an exact decimal with at most two decimals, never a float.
func ParseAmount(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	if m := decimalComma.FindStringSubmatch(s); m != nil {
		return decimal.Zero, &decimalCommaError{suggestion: m[1] + "." + (m[2] + "0")[:2]}
	}
	if thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if len(s) > 40 || !plainNumber.MatchString(s) {
		return decimal.Zero, errNotNumber
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, errNotNumber
	}
	if d.Exponent() < -2 && !d.Equal(d.Round(2)) {
		return decimal.Zero, errTooPrecise
	}
	return d.Round(2), nil
}

// ParsePercent reads a percentage ("15", "12.5", "15%") with at most two
// decimals.
func ParsePercent(s string) (decimal.Decimal, error) {
	return ParseAmount(strings.TrimSuffix(strings.TrimSpace(s), "%"))
}

// ParseCount reads a whole number.
func ParseCount(s string) (int, error) {
	s = strings.TrimSpace(s)
	if thousands.MatchString(s) && !strings.Contains(s, ".") {
		s = strings.ReplaceAll(s, ",", "")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	var numErr *strconv.NumError
	if errors.As(err, &numErr) && numErr.Err == strconv.ErrRange && !strings.HasPrefix(s, "-") {
		return 0, errCountTooLarge
	}
	if err != nil {
		return 0, errNotWhole
	}
	if n > math.MaxInt32 {
		return 0, errCountTooLarge
	}
	if n < math.MinInt32 {
		return 0, errNotWhole
	}
	return int(n), nil
}
