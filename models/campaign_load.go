package models

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
)

// campaignRulesColumns loads a campaign's rules (sub-campaigns, coupons,
// tiers) in the same statement as the campaign row, as three JSON arrays,
// instead of one statement per kind: a page showing a campaign costs one
// round trip for it. The keys are the Go field names, so encoding/json
// fills the structs; numeric values travel as JSON numbers, which
// decimal.Decimal reads exactly, and timestamps as ISO 8601 with their
// offset.
const campaignRulesColumns = `c.*,
	(SELECT coalesce(json_agg(json_build_object(
		'ID', s.id, 'CampaignID', s.campaign_id, 'Name', s.name, 'StartsAt', s.starts_at,
		'EndsAt', s.ends_at, 'Position', s.position) ORDER BY s.position, s.starts_at, s.id), '[]')
	 FROM sub_campaigns s WHERE s.campaign_id = c.id) AS rules_sub_campaigns,
	(SELECT coalesce(json_agg(json_build_object(
		'ID', k.id, 'CampaignID', k.campaign_id, 'Code', k.code, 'DiscountType', k.discount_type,
		'Value', k.value, 'MinPurchase', k.min_purchase, 'Cap', k.cap, 'Targeting', k.targeting,
		'SegmentName', k.segment_name, 'SellerSharePct', k.seller_share_pct,
		'PlatformSharePct', k.platform_share_pct, 'MaxSellerFunding', k.max_seller_funding,
		'TotalQuantity', k.total_quantity, 'ClaimedQuantity', k.claimed_quantity) ORDER BY k.id), '[]')
	 FROM coupons k WHERE k.campaign_id = c.id) AS rules_coupons,
	(SELECT coalesce(json_agg(json_build_object(
		'ID', t.id, 'CampaignID', t.campaign_id, 'Tier', t.tier, 'MaxPricePct', t.max_price_pct,
		'RecommendedPct', t.recommended_pct, 'MinStock', t.min_stock) ORDER BY t.tier), '[]')
	 FROM campaign_tiers t WHERE t.campaign_id = c.id) AS rules_tiers`

type campaignWithRulesRow struct {
	Campaign
	RulesSubCampaigns []byte
	RulesCoupons      []byte
	RulesTiers        []byte
}

func (r campaignWithRulesRow) campaign() (Campaign, error) {
	c := r.Campaign
	if err := json.Unmarshal(r.RulesSubCampaigns, &c.SubCampaigns); err != nil {
		return c, fmt.Errorf("campaign %d sub-campaigns: %w", c.ID, err)
	}
	if err := json.Unmarshal(r.RulesCoupons, &c.Coupons); err != nil {
		return c, fmt.Errorf("campaign %d coupons: %w", c.ID, err)
	}
	if err := json.Unmarshal(r.RulesTiers, &c.Tiers); err != nil {
		return c, fmt.Errorf("campaign %d tiers: %w", c.ID, err)
	}
	// An empty list loads as an empty slice; GORM's Preload left nil.
	if len(c.SubCampaigns) == 0 {
		c.SubCampaigns = nil
	}
	if len(c.Coupons) == 0 {
		c.Coupons = nil
	}
	if len(c.Tiers) == 0 {
		c.Tiers = nil
	}
	return c, nil
}

// campaignsWithRules loads the campaigns db's conditions select (written
// against the alias c: Where("c.id = ?", id)), each with its rules, in
// one statement.
func campaignsWithRules(db *gorm.DB) ([]Campaign, error) {
	return campaignsWithRulesFrom(db.Table("campaigns c"))
}

// campaignsWithRulesFrom is campaignsWithRules for a query that already
// names its tables (campaigns as c, joined to others).
func campaignsWithRulesFrom(q *gorm.DB) ([]Campaign, error) {
	var rows []campaignWithRulesRow
	if err := q.Select(campaignRulesColumns).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Campaign, 0, len(rows))
	for _, r := range rows {
		c, err := r.campaign()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
