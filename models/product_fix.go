package models

import "fmt"

// ProductFix is the one change to a whole product that clears the same
// refusal on each of its SKUs, from the refusals the rule functions gave
// each SKU (CheckCampaignPrice or CheckCampaignStock; nil for a SKU that
// passed): every SKU refused by the same rule, each with a fix of its own,
// and at least two of them (one SKU has its own fix). Nil otherwise.
//
//   - price above the maximum on every SKU: the tier's percentage below
//     each SKU's own lookback low (each lands on its maximum, as the price
//     table's bulk action "X% below the lookback low" computes it);
//   - stock below the tier's minimum on every SKU: that minimum on each;
//   - stock above what is available on every SKU: each SKU's available
//     stock (the largest, which the bulk "set to N" caps per SKU).
func ProductFix(rule TierRule, refusals []*FieldError) *Fix {
	if len(refusals) < 2 {
		return nil
	}
	code := refusals[0].code()
	for _, e := range refusals {
		if e == nil || e.Fix == nil || e.Code != code {
			return nil
		}
	}
	switch code {
	case CodePriceAboveMax:
		off := rule.BelowLowPct()
		label := "Apply " + off.String() + " % to every SKU of this product"
		if !off.IsPositive() {
			label = "Lower every SKU of this product to its lowest price"
		}
		return &Fix{Field: FixPercentOff, Value: off.String(), Label: label}
	case CodeStockBelowMin:
		v := refusals[0].Fix.Value // the tier's minimum, the same for each
		return &Fix{Field: FixStock, Value: v, Label: fmt.Sprintf("Set stock to %s on every SKU of this product", v)}
	case CodeStockAboveAvailable:
		most, n := "", 0
		for _, e := range refusals {
			var v int
			if _, err := fmt.Sscan(e.Fix.Value, &v); err == nil && v > n {
				most, n = e.Fix.Value, v
			}
		}
		if most == "" {
			return nil
		}
		return &Fix{Field: FixStock, Value: most, Label: "Set every SKU of this product to its available stock"}
	}
	return nil
}
