package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SellerTab is a tab of the seller's campaign list.
type SellerTab string

const (
	TabOpen       SellerTab = "open"
	TabUpcoming   SellerTab = "upcoming"
	TabRegistered SellerTab = "registered"
	TabEnded      SellerTab = "ended"
)

// SellerTabs lists the tabs in display order.
var SellerTabs = []SellerTab{TabOpen, TabUpcoming, TabRegistered, TabEnded}

// ParseSellerTab reads a tab name, defaulting to Open.
func ParseSellerTab(s string) SellerTab {
	for _, t := range SellerTabs {
		if string(t) == s {
			return t
		}
	}
	return TabOpen
}

// CampaignFilter narrows the seller's campaign list.
type CampaignFilter struct {
	Tab          SellerTab
	Query        string // name contains, case-insensitive
	CoFunded     bool   // only campaigns with co-funded coupons
	EligibleOnly bool   // only campaigns the shop is eligible for
}

// SellerCampaign is one row of the seller's list: the campaign, the shop's
// eligibility and its registration, if any.
type SellerCampaign struct {
	Campaign     Campaign
	Eligibility  Eligibility
	Registration *Registration
	// Partly: the registration is registered, but a reviewer rejected some
	// of its products or kept SKUs of its products out ("Partly registered").
	Partly bool
	// CouponUsage is what the campaign's coupons have cost the shop so far
	// (none without a registration).
	CouponUsage []CouponUsage
}

// partlyColumn is, for the registration r, whether it is registered with
// products rejected or SKUs of its products in the campaign kept out:
// "Partly registered".
const partlyColumn = `(r.status = 'registered' AND (
		EXISTS (SELECT 1 FROM registration_products rp WHERE rp.registration_id = r.id AND rp.status = 'rejected')
		OR EXISTS (SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE rs.registration_id = r.id AND rs.rejected_at IS NOT NULL AND rp.status IN ('registered', 'sku_error')))) AS partly`

// registrationWithPartly is a registration read with partlyColumn.
type registrationWithPartly struct {
	Registration
	Partly bool
}

// registrationWithUsage is a registration read with the shop's coupon
// usage (couponUsageColumn).
type registrationWithUsage struct {
	Registration
	Partly      bool
	CouponUsage []byte
}

// TabCounts is how many campaigns each tab holds for the current search.
type TabCounts map[SellerTab]int

// tabCondition is the SQL for a tab; "r" is the shop's registration.
func tabCondition(t SellerTab) string {
	switch t {
	case TabUpcoming:
		return "c.status = 'published' AND c.registration_opens_at > now()"
	case TabRegistered:
		return "r.id IS NOT NULL AND r.status <> 'draft'"
	case TabEnded:
		return "(c.status = 'closed' OR (c.status = 'published' AND c.registration_deadline <= now()))"
	default:
		return "c.status = 'published' AND c.registration_opens_at <= now() AND c.registration_deadline > now()"
	}
}

func tabOrder(t SellerTab) string {
	switch t {
	case TabUpcoming:
		return "c.registration_opens_at, c.id"
	case TabRegistered:
		return "c.run_ends_at DESC, c.id"
	case TabEnded:
		return "c.run_ends_at DESC, c.id"
	default:
		return "c.registration_deadline, c.id"
	}
}

// sellerVisible applies the filters every tab shares: no drafts, the search
// text and the co-funded filter; it joins the shop's registration as "r".
func sellerVisible(db *gorm.DB, shopID int64, f CampaignFilter) *gorm.DB {
	q := db.Table("campaigns c").
		Joins("LEFT JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = ?", shopID).
		Where("c.status <> 'draft'")
	if s := strings.TrimSpace(f.Query); s != "" {
		q = q.Where("c.name ILIKE ?", "%"+escapeLike(s)+"%")
	}
	if f.CoFunded {
		q = q.Where("EXISTS (SELECT 1 FROM coupons cp WHERE cp.campaign_id = c.id AND cp.seller_share_pct > 0)")
	}
	return q
}

// SellerCampaigns lists the campaigns of one tab for a shop, with the
// shop's eligibility for each, and the count of every tab.
func (s *Store) SellerCampaigns(ctx context.Context, shop Shop, f CampaignFilter) ([]SellerCampaign, TabCounts, error) {
	db := s.db.WithContext(ctx)
	var counts struct{ Open, Upcoming, Registered, Ended int }
	err := sellerVisible(db, shop.ID, f).Select(
		"count(*) FILTER (WHERE " + tabCondition(TabOpen) + ") AS open, " +
			"count(*) FILTER (WHERE " + tabCondition(TabUpcoming) + ") AS upcoming, " +
			"count(*) FILTER (WHERE " + tabCondition(TabRegistered) + ") AS registered, " +
			"count(*) FILTER (WHERE " + tabCondition(TabEnded) + ") AS ended").
		Scan(&counts).Error
	if err != nil {
		return nil, nil, err
	}
	tabCounts := TabCounts{TabOpen: counts.Open, TabUpcoming: counts.Upcoming,
		TabRegistered: counts.Registered, TabEnded: counts.Ended}

	campaigns, err := s.campaignsCached(db, sellerVisible(db, shop.ID, f).Where(tabCondition(f.Tab)).
		Order(tabOrder(f.Tab)).Limit(200))
	if err != nil {
		return nil, nil, err
	}
	if len(campaigns) == 0 {
		return nil, tabCounts, nil
	}
	ids := make([]int64, len(campaigns))
	for i, c := range campaigns {
		ids[i] = c.ID
	}
	var regs []registrationWithPartly
	if err := db.Raw(`SELECT r.*, `+partlyColumn+` FROM registrations r WHERE r.shop_id = ? AND r.campaign_id IN ?`, shop.ID, ids).
		Scan(&regs).Error; err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]Campaign, len(campaigns))
	for _, c := range campaigns {
		byID[c.ID] = c
	}
	regByCampaign := make(map[int64]*Registration, len(regs))
	partly := make(map[int64]bool, len(regs))
	for i := range regs {
		regByCampaign[regs[i].CampaignID] = &regs[i].Registration
		partly[regs[i].ID] = regs[i].Partly
	}
	rows := make([]SellerCampaign, 0, len(ids))
	for _, id := range ids {
		c := byID[id]
		row := SellerCampaign{Campaign: c, Eligibility: CheckEligibility(shop.Standing(), c.EligibilityRules()),
			Registration: regByCampaign[id]}
		if row.Registration != nil {
			row.Partly = partly[row.Registration.ID]
		}
		if f.EligibleOnly && !row.Eligibility.Eligible {
			continue
		}
		rows = append(rows, row)
	}
	return rows, tabCounts, nil
}

// SellerCampaign loads one campaign a seller may see (published or closed,
// never a draft) with the shop's eligibility and registration.
func (s *Store) SellerCampaign(ctx context.Context, shop Shop, campaignID int64) (SellerCampaign, error) {
	c, err := s.CampaignWithRules(ctx, campaignID)
	if err != nil {
		return SellerCampaign{}, err
	}
	if c.Status == CampaignDraft {
		return SellerCampaign{}, ErrNotFound
	}
	row := SellerCampaign{Campaign: c, Eligibility: CheckEligibility(shop.Standing(), c.EligibilityRules())}
	var regs []registrationWithUsage
	if err := s.db.WithContext(ctx).Raw(`SELECT r.*, `+partlyColumn+`, `+couponUsageColumn+`
		FROM registrations r WHERE r.shop_id = ? AND r.campaign_id = ?`,
		shop.ID, campaignID).Scan(&regs).Error; err != nil {
		return SellerCampaign{}, err
	}
	if len(regs) == 1 {
		row.Registration, row.Partly = &regs[0].Registration, regs[0].Partly
		var err error
		if row.CouponUsage, err = parseCouponUsage(regs[0].CouponUsage); err != nil {
			return SellerCampaign{}, fmt.Errorf("coupon usage: %w", err)
		}
	}
	return row, nil
}

func (s *Store) CampaignWithRules(ctx context.Context, id int64) (Campaign, error) {
	db := s.db.WithContext(ctx)
	cs, err := s.campaignsCached(db, db.Table("campaigns c").Where("c.id = ?", id))
	if err != nil {
		return Campaign{}, err
	}
	if len(cs) == 0 {
		return Campaign{}, ErrNotFound
	}
	return cs[0], nil
}

// ShopRegistration loads a registration of the shop with its campaign.
// Another shop's registration is ErrNotFound, exactly like a missing one.
func (s *Store) ShopRegistration(ctx context.Context, shopID, registrationID int64) (Registration, Campaign, error) {
	var reg Registration
	err := s.db.WithContext(ctx).Where("id = ? AND shop_id = ?", registrationID, shopID).Take(&reg).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Registration{}, Campaign{}, ErrNotFound
	}
	if err != nil {
		return Registration{}, Campaign{}, err
	}
	c, err := s.CampaignWithRules(ctx, reg.CampaignID)
	return reg, c, err
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
