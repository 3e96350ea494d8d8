package models

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ErrNotNumber and friends are what the parsers below report; callers turn
// them into field messages.
var (
	errNotNumber   = errors.New("Enter a number like 25 or 25.50.")
	errTooPrecise  = errors.New("Use at most two decimals.")
	errNotPositive = errors.New("Must be more than 0.")
)

// ParseAmount reads money as people type it ("25", "25.5", "$1,250.00")
// into an exact decimal with at most two decimals, never a float.
func ParseAmount(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	s = strings.ReplaceAll(s, ",", "")
	if !plainNumber.MatchString(s) {
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
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		return 0, errors.New("Enter a whole number.")
	}
	return n, nil
}
