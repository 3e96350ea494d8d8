package handlers

import (
	"fmt"
	"time"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// fixView is a rule's fix as a button that puts the value into the field
// (id target) and saves it through the field's own save.
func fixView(f *models.Fix, target string) *views.FixView {
	if f == nil {
		return nil
	}
	return &views.FixView{Target: target, Value: f.Value, Label: f.Label}
}

// MemoryText says what a campaign price does to the SKU's future floor:
// the last day it holds, in the campaign's timezone.
func MemoryText(m models.PriceMemory, camp models.Campaign) string {
	last := m.Until.Add(-time.Nanosecond).In(camp.Location())
	return fmt.Sprintf("Until %s your %d-day floor will be %s (it is %s without this campaign).",
		last.Format("Jan 2, 2006"), m.Days, views.Money(m.Floor), views.Money(m.Before))
}

// productFixes are the product-wide fixes of a draft product: when the
// same rule refuses every one of its SKUs, one button applies the rule's
// change to all of them through the price table's bulk action (one
// transaction, each row checked again by the rule).
func productFixes(camp models.Campaign, p models.DraftProductView, rule models.TierRule) []views.ProductFixView {
	var prices, stocks []*models.FieldError
	for _, s := range p.SKUs {
		var perr, serr *models.FieldError
		if s.CampaignPrice.Valid {
			perr = models.CheckCampaignPrice(s.CampaignPrice.Decimal, models.PriceLimit{Max: s.MaxPrice, Low: s.LookbackLow,
				Tier: rule.Tier, MaxPricePct: rule.MaxPricePct, LookbackDays: camp.LookbackDays})
		}
		if s.CampaignStock != nil {
			serr = models.CheckCampaignStock(*s.CampaignStock, rule.StockLimit(s.AvailableStock).WithReserved(s.ReservedStock))
		}
		prices, stocks = append(prices, perr), append(stocks, serr)
	}
	ids := make([]int64, len(p.SKUs))
	for i, s := range p.SKUs {
		ids[i] = s.ID
	}
	var out []views.ProductFixView
	for _, f := range []*models.Fix{models.ProductFix(rule, prices), models.ProductFix(rule, stocks)} {
		if f == nil {
			continue
		}
		kind := models.BulkSetStock
		if f.Field == models.FixPercentOff {
			kind = models.BulkPercentOff
		}
		out = append(out, views.ProductFixView{Action: routes.RegisterBulk(camp.ID), Kind: string(kind), Value: f.Value,
			SKUIDs: ids, Label: f.Label})
	}
	return out
}
