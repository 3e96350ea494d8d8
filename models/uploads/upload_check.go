package uploads

import (
	"campaignportal/models"
	"fmt"
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
}

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
	fail := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	c := k.terms.Campaign

	switch {
	case r.PID == "":
		fail("Enter the PID.")
	case !pidIsShops:
		fail("PID %s is not one of your shop's products.", clip(r.PID, 40))
	}
	switch {
	case r.SKUCode == "":
		fail("Enter the SKU ID.")
	case sku == nil:
		fail("SKU ID %s is not one of your shop's SKUs.", clip(r.SKUCode, 64))
	case pidIsShops && sku.PID != r.PID:
		fail("SKU ID %s belongs to PID %s, not PID %s.", sku.SKUCode, sku.PID, clip(r.PID, 40))
		sku = nil
	}
	if r.SKUCode != "" {
		if first, ok := k.seenSKU[r.SKUCode]; ok {
			fail("SKU ID %s is listed twice; row %d has it already.", clip(r.SKUCode, 64), first)
		} else {
			k.seenSKU[r.SKUCode] = r.Line
		}
	}
	if sku != nil && k.terms.Submitted[sku.ProductID] {
		fail("This product is already submitted; change its price from the registration's Manage page.")
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
		fail("Tier must be Featured, Regular or blank (blank keeps the product's tier).")
	}
	rule := c.Rule(tier)
	name := models.TierName(rule.Tier)

	switch price, err := models.ParseAmount(r.Price); {
	case r.Price == "":
		fail("Enter a campaign price.")
	case err != nil:
		fail("Campaign price %q: %v", clip(r.Price, 20), err)
	case !price.IsPositive():
		fail("Campaign price must be more than $0.00.")
	default:
		out.Price = decimal.NewNullDecimal(price)
		if sku != nil && tierOK {
			if maxP := rule.MaxPrice(sku.Low); price.GreaterThan(maxP) {
				fail("Campaign price $%s is above the %s maximum of $%s (%s%% of the lookback low $%s).",
					price.StringFixed(2), name, maxP.StringFixed(2), rule.MaxPricePct.String(), sku.Low.StringFixed(2))
			}
		}
	}

	switch stock, err := models.ParseCount(r.Stock); {
	case r.Stock == "":
		fail("Enter a campaign stock.")
	case err != nil:
		fail("Campaign stock %q: enter a whole number.", clip(r.Stock, 20))
	case stock < 1 || (tierOK && stock < rule.MinStock):
		fail("Campaign stock %d is below the %s minimum of %d.", stock, name, max(rule.MinStock, 1))
	default:
		out.Stock = &stock
		if sku != nil && stock > sku.Available {
			fail("Campaign stock %d is more than the %d you have in stock.", stock, sku.Available)
		}
	}

	if r.ExtraDiscount != "" {
		terms := c.ExtraDiscount()
		switch pct, err := models.ParsePercent(r.ExtraDiscount); {
		case !terms.Allowed:
			fail("This campaign offers no extra discount; leave Extra discount %% blank.")
		case err != nil:
			fail("Extra discount %q: %v", clip(r.ExtraDiscount, 20), err)
		case !pct.IsPositive() || pct.GreaterThanOrEqual(decimal.NewFromInt(100)):
			fail("Extra discount must be more than 0%% and less than 100%%.")
		case terms.MinPct.Valid && pct.LessThan(terms.MinPct.Decimal):
			fail("Extra discount %s%% is below the campaign's minimum of %s%%.", pct.String(), terms.MinPct.Decimal.String())
		default:
			out.ExtraDiscount = decimal.NewNullDecimal(pct)
		}
	}

	// One product has one tier and one extra discount.
	if sku != nil && tierOK {
		if first, ok := k.products[sku.ProductID]; ok {
			if first.tier != tier {
				fail("Tier %s differs from row %d of the same product (%s); a product has one tier.",
					models.TierName(tier), first.line, models.TierName(first.tier))
			}
			if first.discount.Valid != out.ExtraDiscount.Valid ||
				(first.discount.Valid && !first.discount.Decimal.Equal(out.ExtraDiscount.Decimal)) {
				fail("Extra discount differs from row %d of the same product; a product has one extra discount.", first.line)
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
