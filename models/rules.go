package models

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// The limits on what a seller enters for a SKU and a product, one function
// per rule. The price table, the edit pop-up, recommendations, the bulk
// upload and the API all call these, so the same value gets the same
// verdict and the same words everywhere. Each refusal is a FieldError with
// a machine code (for the API and the upload's error file) and one
// sentence for the person.

// RuleCode names the rule a value broke.
type RuleCode string

// The rule codes, stable: the API and the upload's errors file carry them.
const (
	CodePriceMissing        RuleCode = "price_missing"
	CodePriceInvalid        RuleCode = "price_invalid"
	CodePriceNotPositive    RuleCode = "price_not_positive"
	CodePriceTooLarge       RuleCode = "price_too_large"
	CodePriceAboveMax       RuleCode = "price_above_max"
	CodeStockMissing        RuleCode = "stock_missing"
	CodeStockInvalid        RuleCode = "stock_invalid"
	CodeStockBelowOne       RuleCode = "stock_below_one"
	CodeStockTooLarge       RuleCode = "stock_too_large"
	CodeStockBelowMin       RuleCode = "stock_below_min"
	CodeStockAboveAvailable RuleCode = "stock_above_available"
	CodeDiscountInvalid     RuleCode = "extra_discount_invalid"
	CodeDiscountOutOfRange  RuleCode = "extra_discount_out_of_range"
	CodeDiscountNotAllowed  RuleCode = "extra_discount_not_allowed"
	CodeDiscountBelowMin    RuleCode = "extra_discount_below_min"
	// CodePriceUnchanged refuses a price edit to the price it already has.
	CodePriceUnchanged RuleCode = "price_unchanged"
)

// FieldError is one refused value: which rule, in one sentence, and the
// value the rule itself implies when there is one (Fix).
type FieldError struct {
	Code    RuleCode
	Message string
	Fix     *Fix
}

// FixField is the field a fix changes.
type FixField string

const (
	FixPrice         FixField = "price"
	FixStock         FixField = "stock"
	FixExtraDiscount FixField = "extra_discount"
	FixPercentOff    FixField = "percent_off" // every SKU of a product X% below its own lookback low (ProductFix)
)

// Fix is the one value that meets the rule which refused a value: the
// limit itself (the maximum price, the available stock, the minimum).
type Fix struct {
	Field FixField
	Value string // as the field takes it: "34.99", "10", "5"
	Label string // the button: "Lower to $34.99"
}

func (f *Fix) on(e *FieldError) *FieldError {
	e.Fix = f
	return e
}

// FixOf is the fix a refusal implies, nil when none (also for no error).
func FixOf(err *FieldError) *Fix {
	if err == nil {
		return nil
	}
	return err.Fix
}

// Error is the sentence; a nil error says nothing ("").
func (e *FieldError) Error() string {
	if e == nil {
		return ""
	}
	return e.Message
}

// code is the error's code, "" for none.
func (e *FieldError) code() RuleCode {
	if e == nil {
		return ""
	}
	return e.Code
}

func refuse(code RuleCode, format string, args ...any) *FieldError {
	return &FieldError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// amountError turns a parser error into one sentence about a price.
func amountError(err error, example string) *FieldError {
	var comma *decimalCommaError
	if errors.As(err, &comma) {
		return refuse(CodePriceInvalid, "%s", comma.Error())
	}
	if errors.Is(err, errTooPrecise) {
		return refuse(CodePriceInvalid, "Use at most two decimals, like %s.", example)
	}
	return refuse(CodePriceInvalid, "Enter a price like %s.", example)
}

// ParsePrice reads a price as typed (a campaign price, a new price, a
// retail price): blank is none (not Valid, no error); otherwise a positive
// amount with at most two decimals that the columns hold.
func ParsePrice(raw string) (decimal.NullDecimal, *FieldError) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return decimal.NullDecimal{}, nil
	}
	d, err := ParseAmount(raw)
	switch {
	case err != nil:
		return decimal.NullDecimal{}, amountError(err, "12.99")
	case !d.IsPositive():
		return decimal.NullDecimal{}, refuse(CodePriceNotPositive, "The price must be more than $0.00.")
	case d.GreaterThan(MaxAmount):
		return decimal.NullDecimal{}, refuse(CodePriceTooLarge, "Enter a price of at most $%s.", GroupThousands(MaxAmount.StringFixed(2)))
	}
	return decimal.NewNullDecimal(d), nil
}

// RequirePrice is ParsePrice where a blank is refused.
func RequirePrice(raw string) (decimal.Decimal, *FieldError) {
	p, ferr := ParsePrice(raw)
	if ferr != nil {
		return decimal.Zero, ferr
	}
	if !p.Valid {
		return decimal.Zero, refuse(CodePriceMissing, "Enter a campaign price.")
	}
	return p.Decimal, nil
}

// PriceLimit is the highest campaign price a SKU's tier allows, with what
// it comes from, for the message.
type PriceLimit struct {
	Max          decimal.Decimal
	Low          decimal.Decimal // the lookback low
	Tier         Tier
	MaxPricePct  decimal.Decimal
	LookbackDays int
}

// PriceLimit is the rule's limit for a SKU whose lookback low is low.
func (r TierRule) PriceLimit(low decimal.Decimal, lookbackDays int) PriceLimit {
	return PriceLimit{Max: r.MaxPrice(low), Low: low, Tier: r.Tier, MaxPricePct: r.MaxPricePct, LookbackDays: lookbackDays}
}

// CheckCampaignPrice refuses a price above the limit; the maximum itself
// passes.
func CheckCampaignPrice(price decimal.Decimal, l PriceLimit) *FieldError {
	if !price.GreaterThan(l.Max) {
		return nil
	}
	rule := "at most your lowest price"
	if off := hundred.Sub(l.MaxPricePct); off.IsPositive() && !l.MaxPricePct.IsZero() {
		rule = "at least " + off.String() + "% below your lowest price"
	}
	fix := &Fix{Field: FixPrice, Value: l.Max.StringFixed(2), Label: "Lower to $" + GroupThousands(l.Max.StringFixed(2))}
	if !l.Low.IsPositive() {
		return fix.on(refuse(CodePriceAboveMax, "Above the maximum of $%s.", l.Max.StringFixed(2)))
	}
	window := "in the lookback window"
	if l.LookbackDays > 0 {
		window = fmt.Sprintf("of the past %d days", l.LookbackDays)
	}
	return fix.on(refuse(CodePriceAboveMax, "Above the maximum of $%s: %s asks for %s %s ($%s).",
		l.Max.StringFixed(2), TierName(l.Tier), rule, window, l.Low.StringFixed(2)))
}

// ParseStock reads a campaign stock as typed: blank is none; otherwise a
// whole number from 1 to MaxStock.
func ParseStock(raw string) (*int, *FieldError) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	n, err := ParseCount(raw)
	switch {
	case errors.Is(err, errCountTooLarge):
		return nil, refuse(CodeStockTooLarge, "Enter at most %s units.", GroupThousands(fmt.Sprint(MaxStock)))
	case err != nil:
		return nil, refuse(CodeStockInvalid, "Enter a whole number of units, like 25.")
	case n < 1:
		return nil, refuse(CodeStockBelowOne, "Enter at least 1 unit.")
	case n > MaxStock:
		return nil, refuse(CodeStockTooLarge, "Enter at most %s units.", GroupThousands(fmt.Sprint(MaxStock)))
	}
	return &n, nil
}

// RequireStock is ParseStock where a blank is refused.
func RequireStock(raw string) (int, *FieldError) {
	n, ferr := ParseStock(raw)
	if ferr != nil {
		return 0, ferr
	}
	if n == nil {
		return 0, refuse(CodeStockMissing, "Enter a campaign stock.")
	}
	return *n, nil
}

// StockLimit is what a SKU's campaign stock must lie within.
type StockLimit struct {
	Min       int // the tier's minimum (at least 1)
	Available int // the shop's stock of the SKU less what overlapping campaigns reserve
	Reserved  int // reserved by overlapping campaigns
	Tier      Tier
}

// WithReserved says how many units overlapping campaigns hold, for the
// message.
func (l StockLimit) WithReserved(n int) StockLimit {
	l.Reserved = n
	return l
}

// StockLimit is the rule's limit for a SKU with available units.
func (r TierRule) StockLimit(available int) StockLimit {
	return StockLimit{Min: max(r.MinStock, 1), Available: available, Tier: r.Tier}
}

// CheckCampaignStock refuses a stock above what the shop has or below the
// tier's minimum; both ends themselves pass.
func CheckCampaignStock(n int, l StockLimit) *FieldError {
	// The fix is the end of the range the stock fell off, when the range
	// is not empty (fewer units available than the minimum: no fix).
	var fix *Fix
	set := func(n int) *Fix {
		if l.Available < l.Min {
			return nil
		}
		return &Fix{Field: FixStock, Value: fmt.Sprint(n), Label: fmt.Sprintf("Set stock to %d", n)}
	}
	switch {
	case n > l.Available && l.Reserved > 0:
		fix = set(l.Available)
		return fix.on(refuse(CodeStockAboveAvailable, "Only %d available: %d of your %d are reserved in overlapping campaigns.", l.Available, l.Reserved, l.Available+l.Reserved))
	case n > l.Available:
		fix = set(l.Available)
		return fix.on(refuse(CodeStockAboveAvailable, "Only %d available.", l.Available))
	case n < l.Min:
		fix = set(l.Min)
		return fix.on(refuse(CodeStockBelowMin, "At least %d for %s.", l.Min, TierName(l.Tier)))
	}
	return nil
}

// ParseExtraDiscount reads a product's extra discount ("5", "5%", "12.5"):
// blank is none; otherwise more than 0% and below 100%, two decimals.
func ParseExtraDiscount(raw string) (decimal.NullDecimal, *FieldError) {
	raw = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(raw), "%"))
	if raw == "" {
		return decimal.NullDecimal{}, nil
	}
	d, err := ParseAmount(raw)
	switch {
	case err != nil:
		return decimal.NullDecimal{}, refuse(CodeDiscountInvalid, "Enter a percentage like 5, or leave it blank for none.")
	case !d.IsPositive() || d.GreaterThanOrEqual(hundred):
		return decimal.NullDecimal{}, refuse(CodeDiscountOutOfRange,
			"The extra discount must be more than 0%% and below 100%%; leave it blank for none.")
	}
	return decimal.NewNullDecimal(d), nil
}

// CheckExtraDiscountTerms refuses an extra discount the campaign does not
// offer, or one below its minimum (the minimum itself passes).
func CheckExtraDiscountTerms(pct decimal.Decimal, t ExtraDiscountTerms) *FieldError {
	switch {
	case !t.Allowed:
		return refuse(CodeDiscountNotAllowed, "This campaign does not offer an extra discount; leave it blank.")
	case t.MinPct.Valid && pct.LessThan(t.MinPct.Decimal):
		fix := &Fix{Field: FixExtraDiscount, Value: t.MinPct.Decimal.String(), Label: "Raise to " + t.MinPct.Decimal.String() + " %"}
		return fix.on(refuse(CodeDiscountBelowMin, "The extra discount must be at least %s%% (leave it blank for none).",
			t.MinPct.Decimal.String()))
	}
	return nil
}

// GroupThousands writes the integer part of a plain decimal string with
// thousands separators: "1234567.50" -> "1,234,567.50".
func GroupThousands(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
