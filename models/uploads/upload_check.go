package uploads

import (
	"campaignportal/models"
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// UploadSKU is a live SKU of the shop that an upload row names, with what
// its row is checked against.
type UploadSKU struct {
	SKUID     int64
	ProductID int64
	PID       string
	SKUCode   string
	Available int             // stock the shop has
	Low       decimal.Decimal // lookback low (the retail price when the window has none)
}

// UploadTerms is what an upload's rows are judged by: the campaign's rules
// and where the shop's draft stands.
type UploadTerms struct {
	Campaign   models.Campaign
	DraftTiers map[int64]models.Tier // product id -> its tier in the draft
	Submitted  map[int64]bool        // product id -> already submitted (changes go through price edits)
}

// CheckedRow is an upload row with its verdict and, when valid, the
// values to save.
type CheckedRow struct {
	UploadRow
	Valid         bool
	Reason        string // why not, in the seller's words; several joined with "; "
	ProductID     int64
	SKUID         int64
	Price         decimal.NullDecimal
	Stock         *int
	Tier          models.Tier
	ExtraDiscount decimal.NullDecimal
	Errors        []RowError // each refusal with its field and machine code (the API's errors[])
}

// RowError is one refusal of a row: the column it is about (the API's
// field names), the rule's machine code and the sentence the upload's
// errors file and the price table show.
type RowError struct {
	Field   string          `json:"field"`
	Code    models.RuleCode `json:"code"`
	Message string          `json:"message"`
	Fix     *models.Fix     `json:"-"` // the value the rule implies, when it implies one
}

// The row's fields, as the API names them.
const (
	FieldPID           = "pid"
	FieldSKU           = "sku"
	FieldPrice         = "campaign_price"
	FieldStock         = "campaign_stock"
	FieldTier          = "tier"
	FieldExtraDiscount = "extra_discount"
)

// The codes of a row's refusals that are not about one value's rule
// (those carry the models.Code* of the rule).
const (
	CodePIDMissing       models.RuleCode = "pid_missing"
	CodePIDUnknown       models.RuleCode = "pid_unknown"
	CodeSKUMissing       models.RuleCode = "sku_missing"
	CodeSKUUnknown       models.RuleCode = "sku_unknown"
	CodeSKUOfOtherPID    models.RuleCode = "sku_of_other_pid"
	CodeSKUListedTwice   models.RuleCode = "sku_listed_twice"
	CodeProductSubmitted models.RuleCode = "product_submitted"
	CodeTierInvalid      models.RuleCode = "tier_invalid"
	CodeTierDiffers      models.RuleCode = "tier_differs"
	CodeDiscountDiffers  models.RuleCode = "extra_discount_differs"
)

// apiField names the upload's columns as the API's fields.
var apiField = map[string]string{"Campaign price": FieldPrice, "Campaign stock": FieldStock, "Extra discount": FieldExtraDiscount}

// UploadChecker judges the rows of one file in order. It remembers what
// earlier rows chose, so a SKU listed twice and a product given two tiers
// or two extra discounts are caught wherever the rows are.
type UploadChecker struct {
	terms    UploadTerms
	seenSKU  map[string]int // SKU ID -> first row naming it
	products map[int64]productChoice
}

type productChoice struct {
	line     int
	tier     models.Tier
	discount decimal.NullDecimal
}

// NewUploadChecker starts judging a file.
func NewUploadChecker(t UploadTerms) *UploadChecker {
	return &UploadChecker{terms: t, seenSKU: map[string]int{}, products: map[int64]productChoice{}}
}

// Check judges one row. pidIsShops says whether the row's PID is one of
// the shop's products; sku is the shop's live SKU with the row's SKU ID,
// or nil. Another shop's PID or SKU reads exactly like an unknown one.
func (k *UploadChecker) Check(r UploadRow, pidIsShops bool, sku *UploadSKU) CheckedRow {
	out := CheckedRow{UploadRow: r}
	var why []string
	fail := func(f string, code models.RuleCode, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		why = append(why, msg)
		out.Errors = append(out.Errors, RowError{Field: f, Code: code, Message: msg})
	}
	c := k.terms.Campaign

	switch {
	case r.PID == "":
		fail(FieldPID, CodePIDMissing, "Enter the PID.")
	case !pidIsShops:
		fail(FieldPID, CodePIDUnknown, "PID %s is not one of your shop's products.", clip(r.PID, 40))
	}
	switch {
	case r.SKUCode == "":
		fail(FieldSKU, CodeSKUMissing, "Enter the SKU ID.")
	case sku == nil:
		fail(FieldSKU, CodeSKUUnknown, "SKU ID %s is not one of your shop's SKUs.", clip(r.SKUCode, 64))
	case pidIsShops && sku.PID != r.PID:
		fail(FieldSKU, CodeSKUOfOtherPID, "SKU ID %s belongs to PID %s, not PID %s.", sku.SKUCode, sku.PID, clip(r.PID, 40))
		sku = nil
	}
	if r.SKUCode != "" {
		if first, ok := k.seenSKU[r.SKUCode]; ok {
			fail(FieldSKU, CodeSKUListedTwice, "SKU ID %s is listed twice; row %d has it already.", clip(r.SKUCode, 64), first)
		} else {
			k.seenSKU[r.SKUCode] = r.Line
		}
	}
	if sku != nil && k.terms.Submitted[sku.ProductID] {
		fail(FieldSKU, CodeProductSubmitted, "This product is already submitted; change its price from the registration's Manage page.")
	}

	// Tier: blank keeps the product's tier in the draft, Regular for a new one.
	tier, tierOK := models.TierRegular, true
	switch strings.ToLower(r.Tier) {
	case "featured":
		tier = models.TierFeatured
	case "regular":
	case "":
		if sku != nil {
			if t, ok := k.terms.DraftTiers[sku.ProductID]; ok {
				tier = t
			}
		}
	default:
		tierOK = false
		fail(FieldTier, CodeTierInvalid, "Tier must be Featured, Regular or blank (blank keeps the product's tier).")
	}
	rule := c.Rule(tier)

	// The same rule functions as the price table and the API, each refusal
	// named by its field.
	field := func(name string, ferr *models.FieldError) bool {
		if ferr != nil {
			why = append(why, name+": "+ferr.Message)
			out.Errors = append(out.Errors, RowError{Field: apiField[name], Code: ferr.Code, Message: ferr.Message, Fix: ferr.Fix})
		}
		return ferr == nil
	}
	if price, ferr := models.RequirePrice(r.Price); field("Campaign price", ferr) {
		out.Price = decimal.NewNullDecimal(price)
		if sku != nil && tierOK {
			field("Campaign price", models.CheckCampaignPrice(price, rule.PriceLimit(sku.Low, c.LookbackDays)))
		}
	}
	if stock, ferr := models.RequireStock(r.Stock); field("Campaign stock", ferr) {
		out.Stock = &stock
		limit := rule.StockLimit(math.MaxInt)
		if sku != nil {
			limit.Available = sku.Available
		}
		if !tierOK {
			limit.Min = 1
		}
		field("Campaign stock", models.CheckCampaignStock(stock, limit))
	}
	if pct, ferr := models.ParseExtraDiscount(r.ExtraDiscount); field("Extra discount", ferr) && pct.Valid {
		if field("Extra discount", models.CheckExtraDiscountTerms(pct.Decimal, c.ExtraDiscount())) {
			out.ExtraDiscount = pct
		}
	}

	// One product has one tier and one extra discount.
	if sku != nil && tierOK {
		if first, ok := k.products[sku.ProductID]; ok {
			if first.tier != tier {
				fail(FieldTier, CodeTierDiffers, "Tier %s differs from row %d of the same product (%s); a product has one tier.",
					models.TierName(tier), first.line, models.TierName(first.tier))
			}
			if first.discount.Valid != out.ExtraDiscount.Valid ||
				(first.discount.Valid && !first.discount.Decimal.Equal(out.ExtraDiscount.Decimal)) {
				fail(FieldExtraDiscount, CodeDiscountDiffers, "Extra discount differs from row %d of the same product; a product has one extra discount.", first.line)
			}
		} else if len(why) == 0 {
			k.products[sku.ProductID] = productChoice{line: r.Line, tier: tier, discount: out.ExtraDiscount}
		}
	}

	if len(why) > 0 {
		out.Reason = strings.Join(why, " ")
		out.Price, out.Stock, out.ExtraDiscount = decimal.NullDecimal{}, nil, decimal.NullDecimal{}
		return out
	}
	out.Valid = true
	out.ProductID, out.SKUID, out.Tier = sku.ProductID, sku.SKUID, tier
	return out
}

// Fixes are the fixes of a refused row when every one of its refusals has
// one (applying them all is what makes the row pass); nil otherwise.
func (r CheckedRow) Fixes() []models.Fix {
	if r.Valid || len(r.Errors) == 0 {
		return nil
	}
	out := make([]models.Fix, 0, len(r.Errors))
	for _, e := range r.Errors {
		if e.Fix == nil {
			return nil
		}
		out = append(out, *e.Fix)
	}
	return out
}
