package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

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
		'TotalQuantity', k.total_quantity, 'ClaimedQuantity', k.claimed_quantity,
		'PlatformBudget', k.platform_budget) ORDER BY k.id), '[]')
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
	var rows []campaignWithRulesRow
	if err := db.Table("campaigns c").Select(campaignRulesColumns).Find(&rows).Error; err != nil {
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

// campaignVersionColumns is what a page reads of a campaign whose rules it
// may already hold: the id, the rules version the database keeps (see
// migration 00022) and the coupons' claimed counts in coupon id order,
// which orders move without changing the version. PostgreSQL's text form
// of an integer array: {3,0,12}.
const campaignVersionColumns = `c.id, c.rules_version,
	ARRAY(SELECT k.claimed_quantity FROM coupons k WHERE k.campaign_id = c.id ORDER BY k.id)::text`

// maxCachedCampaigns bounds the rules cache; past it the cache starts
// afresh (a marketplace has hundreds of live campaigns, not thousands).
const maxCachedCampaigns = 4096

// rulesCache holds campaigns with their rules by id, each as of the rules
// version it was loaded at. An entry is used only when the database names
// the same version on the same request, so it is never stale: the version
// changes, by trigger, with every write to the campaign or its rules, and
// comes from a sequence, so no two contents ever share one (a rolled-back
// write's number is never handed out again).
type rulesCache struct {
	mu sync.RWMutex
	m  map[int64]Campaign
}

func newRulesCache() *rulesCache { return &rulesCache{m: make(map[int64]Campaign)} }

// get returns a copy of the cached campaign id at version, with the
// claimed counts given, or false.
func (rc *rulesCache) get(id, version int64, claimed []int) (Campaign, bool) {
	rc.mu.RLock()
	c, ok := rc.m[id]
	rc.mu.RUnlock()
	if !ok || c.RulesVersion != version || len(claimed) != len(c.Coupons) {
		return Campaign{}, false
	}
	// Callers may change what they are given; the cached slices are not
	// theirs.
	c = c.withOwnRules()
	for i := range c.Coupons {
		c.Coupons[i].ClaimedQuantity = claimed[i]
	}
	return c, true
}

func (rc *rulesCache) put(c Campaign) {
	c = c.withOwnRules()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old, ok := rc.m[c.ID]; ok && old.RulesVersion > c.RulesVersion {
		return // a newer version is already here
	}
	if _, ok := rc.m[c.ID]; !ok && len(rc.m) >= maxCachedCampaigns {
		rc.m = make(map[int64]Campaign)
	}
	rc.m[c.ID] = c
}

// withOwnRules is c with copies of its slices, shared with no one.
func (c Campaign) withOwnRules() Campaign {
	c.Benefits = slices.Clone(c.Benefits)
	c.SubCampaigns = slices.Clone(c.SubCampaigns)
	c.Tiers = slices.Clone(c.Tiers)
	c.Coupons = slices.Clone(c.Coupons)
	return c
}

// parseIntArray reads PostgreSQL's text form of a one-dimensional integer
// array ({1,2,3} or {}).
func parseIntArray(s string) ([]int, error) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, fmt.Errorf("not an array: %q", s)
	}
	s = s[1 : len(s)-1]
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("array element %q: %w", p, err)
		}
		out[i] = n
	}
	return out, nil
}

// campaignsCached loads the campaigns q selects (written against the
// alias c, in q's order) with their rules: one light statement for the
// ids, versions and claimed counts, and the full rules (campaignsWithRules)
// only for campaigns whose version this process has not seen. db is the
// handle q was built from (a transaction, or the pool).
func (s *Store) campaignsCached(db, q *gorm.DB) ([]Campaign, error) {
	rows, err := q.Select(campaignVersionColumns).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type seen struct {
		id, version int64
		claimed     []int
	}
	var list []seen
	for rows.Next() {
		var (
			r      seen
			claims string
		)
		if err := rows.Scan(&r.id, &r.version, &claims); err != nil {
			return nil, err
		}
		if r.claimed, err = parseIntArray(claims); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	out := make([]Campaign, len(list))
	var missing []int64
	at := make(map[int64]int, len(list))
	for i, r := range list {
		c, ok := s.rules.get(r.id, r.version, r.claimed)
		if ok {
			out[i] = c
			continue
		}
		missing = append(missing, r.id)
		at[r.id] = i
	}
	if len(missing) == 0 {
		return out, nil
	}
	loaded, err := campaignsWithRules(db.Where("c.id IN ?", missing))
	if err != nil {
		return nil, err
	}
	for _, c := range loaded {
		s.rules.put(c)
		// Loaded a moment after the light statement, the campaign may be
		// newer than the version it named: it is the whole of one
		// version either way, claimed counts included.
		out[at[c.ID]] = c
		delete(at, c.ID)
	}
	if len(at) > 0 { // deleted between the two statements
		kept := out[:0]
		for i, c := range out {
			if _, gone := at[list[i].id]; !gone {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out, nil
}
