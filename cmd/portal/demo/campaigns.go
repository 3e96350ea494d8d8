package demo

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
)

// at is a wall-clock time in loc, `days` days from today there.
func (g *generator) at(loc *time.Location, days, hour, minute int) time.Time {
	local := g.now.In(loc)
	return time.Date(local.Year(), local.Month(), local.Day()+days, hour, minute, 0, 0, loc)
}

type demoTier struct {
	tier                   string
	maxPct, recommendedPct string
	minStock               int
}

type demoCoupon struct {
	code, kind, value, minPurchase string
	cap                            any
	targeting, segment             string
	sellerPct, platformPct         string
	maxSellerFunding               any
	total, claimed                 int
}

type demoSub struct {
	name       string
	start, end time.Time
}

type demoCampaign struct {
	slug, name, description, tz, status string
	benefits                            []string
	opens, deadline, runStart, runEnd   time.Time
	lookback                            int
	extraDiscountMin                    any
	review                              bool
	withdrawalReview                    bool // withdrawals wait for a reviewer
	refund                              string
	feeRate                             string // "" is 1%
	subs                                []demoSub
	tiers                               []demoTier
	coupons                             []demoCoupon
}

var standardBenefits = []string{
	"One registration enrols your products in every sale event of the campaign.",
	"Registered products carry the campaign tag, shown to a wider audience at peak traffic.",
	"Exclusive platform-funded promotions and campaign coupons that protect your margin.",
	"Extra traffic streams and marketing placements for a stronger conversion rate.",
}

func (g *generator) campaigns(tx *gorm.DB, shops shopIDs) (int, error) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	ny, _ := time.LoadLocation("America/New_York")
	chi, _ := time.LoadLocation("America/Chicago")
	bfStart := g.at(la, 6, 0, 0)
	summerEnd := g.at(la, -110, 23, 59)
	kickoff := g.at(chi, 37, 0, 0)
	list := []demoCampaign{
		{
			slug: fmt.Sprintf("bfcm-%d", bfStart.Year()), name: fmt.Sprintf("Black Friday & Cyber Monday %d", bfStart.Year()),
			description: "The biggest shopping week of the year: one registration covers Black Friday and Cyber Monday, with co-funded coupons and Featured placements.",
			tz:          "America/Los_Angeles", status: "published", benefits: standardBenefits,
			opens: g.at(la, -10, 0, 0), deadline: g.at(la, 4, 23, 59), runStart: bfStart, runEnd: g.at(la, 12, 23, 59),
			lookback: 60, extraDiscountMin: "5", review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Black Friday", bfStart, g.at(la, 9, 0, 0)}, {"Cyber Monday", g.at(la, 9, 0, 0), g.at(la, 12, 23, 59)}},
			tiers: []demoTier{{"featured", "85", "80", 20}, {"regular", "100", "95", 5}},
			coupons: []demoCoupon{
				{"BFCM-20PCT", "percent", "20", "100", "50", "all", "", "50", "50", "25", 5000, 1240},
				{"BFCM-10OFF", "fixed", "10", "60", nil, "segment", "Deal seekers", "50", "50", "5", 10000, 3105},
			},
		},
		{
			slug: "holiday-gift-guide", name: "Holiday Gift Guide",
			description: "Gift-ready products featured in the holiday guide. Coupons are fully funded by the platform; registrations go live without review.",
			tz:          "America/New_York", status: "published", benefits: standardBenefits[1:],
			opens: g.at(ny, -5, 9, 0), deadline: g.at(ny, 12, 23, 59), runStart: g.at(ny, 14, 0, 0), runEnd: g.at(ny, 28, 23, 59),
			lookback: 30, extraDiscountMin: nil, review: false, refund: "no_refund",
			subs:  []demoSub{{"Gifts for Everyone", g.at(ny, 14, 0, 0), g.at(ny, 21, 0, 0)}, {"Last-Minute Gifts", g.at(ny, 21, 0, 0), g.at(ny, 28, 23, 59)}},
			tiers: []demoTier{{"featured", "90", "85", 10}, {"regular", "100", "97", 3}},
			coupons: []demoCoupon{
				{"GIFT-15PCT", "percent", "15", "40", "20", "all", "", "0", "100", nil, 20000, 0},
			},
		},
		{
			slug: fmt.Sprintf("cyber-week-tech-%d", bfStart.Year()), name: fmt.Sprintf("Cyber Week Tech Deals %d", bfStart.Year()),
			description: "Gadgets and accessories at their best prices of the year, with a co-funded coupon for tech shoppers.",
			tz:          "America/Los_Angeles", status: "published", benefits: standardBenefits,
			opens: g.at(la, -14, 0, 0), deadline: g.at(la, 6, 23, 59), runStart: g.at(la, 8, 0, 0), runEnd: g.at(la, 15, 23, 59),
			lookback: 30, extraDiscountMin: "5", review: true, withdrawalReview: true, refund: "refund_in_full",
			subs:  []demoSub{{"Cyber Week", g.at(la, 8, 0, 0), g.at(la, 15, 23, 59)}},
			tiers: []demoTier{{"featured", "85", "80", 10}, {"regular", "100", "95", 3}},
			coupons: []demoCoupon{
				{"TECH-15PCT", "percent", "15", "50", "30", "segment", "Tech enthusiasts", "40", "60", "10", 4000, 310},
			},
		},
		{
			slug: fmt.Sprintf("winter-home-refresh-%d", bfStart.Year()), name: fmt.Sprintf("Winter Home Refresh %d", bfStart.Year()),
			description: "Cosy home, kitchen and pet essentials for the cold months.",
			tz:          "America/Chicago", status: "published", benefits: standardBenefits[:3],
			opens: g.at(chi, -12, 0, 0), deadline: g.at(chi, 9, 23, 59), runStart: g.at(chi, 11, 0, 0), runEnd: g.at(chi, 25, 23, 59),
			lookback: 30, extraDiscountMin: nil, review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Home Week", g.at(chi, 11, 0, 0), g.at(chi, 18, 0, 0)}, {"Pet Week", g.at(chi, 18, 0, 0), g.at(chi, 25, 23, 59)}},
			tiers: []demoTier{{"featured", "90", "85", 8}, {"regular", "100", "95", 2}},
			coupons: []demoCoupon{
				{"HOME-5OFF", "fixed", "5", "40", nil, "all", "", "50", "50", "2.50", 9000, 1500},
			},
		},
		{
			slug: fmt.Sprintf("new-year-kickoff-%d", kickoff.Year()), name: fmt.Sprintf("New Year Kickoff %d", kickoff.Year()),
			description: "Start the year with resolution-friendly deals: fitness, organisation and self-care.",
			tz:          "America/Chicago", status: "published", benefits: standardBenefits,
			opens: g.at(chi, 20, 0, 0), deadline: g.at(chi, 34, 23, 59), runStart: kickoff, runEnd: g.at(chi, 44, 23, 59),
			lookback: 30, extraDiscountMin: "5", review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Fresh Start Week", kickoff, g.at(chi, 44, 23, 59)}},
			tiers: []demoTier{{"featured", "85", "80", 15}, {"regular", "100", "95", 5}},
			coupons: []demoCoupon{
				{"NY-5OFF", "fixed", "5", "35", nil, "all", "", "30", "70", "1.50", 8000, 0},
			},
		},
		{
			slug: fmt.Sprintf("summer-super-sale-%d", summerEnd.Year()), name: fmt.Sprintf("Summer Super Sale %d", summerEnd.Year()),
			description: "Mid-year savings across every category.",
			tz:          "America/Los_Angeles", status: "published", benefits: standardBenefits,
			opens: g.at(la, -150, 0, 0), deadline: g.at(la, -125, 23, 59), runStart: g.at(la, -120, 0, 0), runEnd: summerEnd,
			lookback: 30, extraDiscountMin: "5", review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Summer Kickoff", g.at(la, -120, 0, 0), g.at(la, -115, 0, 0)}, {"Summer Finale", g.at(la, -115, 0, 0), summerEnd}},
			tiers: []demoTier{{"featured", "85", "80", 10}, {"regular", "100", "95", 3}},
			coupons: []demoCoupon{
				{"SUMMER-15PCT", "percent", "15", "50", "30", "all", "", "50", "50", "15", 6000, 6000},
			},
		},
		{
			slug: "valentines-day-draft", name: "Valentine's Day (draft)",
			description: "Being prepared by the campaign team; sellers do not see drafts.",
			tz:          "America/New_York", status: "draft", benefits: standardBenefits[:2],
			opens: g.at(ny, 45, 0, 0), deadline: g.at(ny, 70, 23, 59), runStart: g.at(ny, 75, 0, 0), runEnd: g.at(ny, 81, 23, 59),
			lookback: 30, extraDiscountMin: nil, review: false, refund: "refund_in_full",
			tiers: []demoTier{{"featured", "85", "80", 10}, {"regular", "100", "95", 3}},
		},
	}
	var managerID int64
	if err := tx.Raw(`SELECT id FROM users WHERE email = 'manager@demo.test'`).Scan(&managerID).Error; err != nil {
		return 0, err
	}
	for _, c := range list {
		id, err := insertCampaign(tx, c, managerID)
		if err != nil {
			return 0, fmt.Errorf("campaign %s: %w", c.slug, err)
		}
		if err := publishedBackdated(tx, id, managerID, c); err != nil {
			return 0, err
		}
		if c.slug == fmt.Sprintf("bfcm-%d", bfStart.Year()) {
			// A second version, so sellers see what changed: one more day to
			// register and more of the $10 coupon.
			if err := g.secondVersion(tx, id, managerID); err != nil {
				return 0, err
			}
		}
		if c.slug == fmt.Sprintf("summer-super-sale-%d", summerEnd.Year()) {
			// Maple & Co took part in the summer sale.
			if err := tx.Exec(`INSERT INTO registrations (campaign_id, shop_id, status, campaign_version, submitted_at, decided_at, decided_by)
				VALUES (?, ?, 'registered', 1, ?, ?, (SELECT id FROM users WHERE email = 'reviewer@demo.test'))`,
				id, shops["Maple & Co"], c.deadline.AddDate(0, 0, -6), c.deadline.AddDate(0, 0, -4)).Error; err != nil {
				return 0, err
			}
		}
	}
	return len(list), nil
}

// publishedBackdated writes a campaign's history as if the manager had
// created it two weeks before registration opened and published it a week
// later: the audit entries and, unless it is a draft, version 1.
func publishedBackdated(tx *gorm.DB, id, managerID int64, c demoCampaign) error {
	if err := tx.Exec(`INSERT INTO campaign_audit (campaign_id, actor_id, action, changes, at) VALUES (?, ?, 'created', '["Draft created"]', ?)`,
		id, managerID, c.opens.AddDate(0, 0, -14)).Error; err != nil {
		return err
	}
	if c.status == "draft" {
		return nil
	}
	if err := models.RecordInitialVersion(tx, id, managerID); err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE campaign_versions SET published_at = ? WHERE campaign_id = ?`, c.opens.AddDate(0, 0, -7), id).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO campaign_audit (campaign_id, actor_id, action, changes, at) VALUES (?, ?, 'published', '["Published as version 1"]', ?)`,
		id, managerID, c.opens.AddDate(0, 0, -7)).Error
}

func (g *generator) secondVersion(tx *gorm.DB, id, managerID int64) error {
	store := models.NewStore(tx)
	m, err := store.ManagedCampaign(tx.Statement.Context, id)
	if err != nil {
		return err
	}
	next := m.Campaign
	next.RegistrationDeadline = next.RegistrationDeadline.AddDate(0, 0, 1)
	next.Coupons = append([]models.Coupon(nil), m.Campaign.Coupons...)
	for i := range next.Coupons {
		if next.Coupons[i].Code == "BFCM-10OFF" {
			next.Coupons[i].TotalQuantity = 12000
		}
	}
	_, err = store.SaveCampaign(tx.Statement.Context, managerID, id, m.Campaign.Revision, next, g.now)
	return err
}

func insertCampaign(tx *gorm.DB, c demoCampaign, managerID int64) (int64, error) {
	benefits, err := json.Marshal(c.benefits)
	if err != nil {
		return 0, err
	}
	var publishedAt any
	if c.status != "draft" {
		publishedAt = c.opens.AddDate(0, 0, -7)
	}
	feeRate := c.feeRate
	if feeRate == "" {
		feeRate = "0.01"
	}
	var id int64
	err = tx.Raw(`INSERT INTO campaigns (slug, name, description, benefits, timezone, status,
			registration_opens_at, registration_deadline, run_starts_at, run_ends_at,
			min_sps, allow_no_sps, free_shipping_required, max_free_shipping_threshold, coupons_must_be_accepted,
			lookback_days, extra_discount_allowed, extra_discount_min_pct, review_required, fee_rate, fee_refund_policy,
			published_at, created_by, withdrawal_review)
		VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, 3.5, true, true, 30, true, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.slug, c.name, c.description, string(benefits), c.tz, c.status,
		c.opens, c.deadline, c.runStart, c.runEnd,
		c.lookback, c.extraDiscountMin != nil, c.extraDiscountMin, c.review, feeRate, c.refund, publishedAt, managerID, c.withdrawalReview).Scan(&id).Error
	if err != nil {
		return 0, err
	}
	for i, s := range c.subs {
		if err := tx.Exec(`INSERT INTO sub_campaigns (campaign_id, name, starts_at, ends_at, position) VALUES (?, ?, ?, ?, ?)`,
			id, s.name, s.start, s.end, i).Error; err != nil {
			return 0, err
		}
	}
	for _, t := range c.tiers {
		if err := tx.Exec(`INSERT INTO campaign_tiers (campaign_id, tier, max_price_pct, recommended_pct, min_stock) VALUES (?, ?, ?, ?, ?)`,
			id, t.tier, t.maxPct, t.recommendedPct, t.minStock).Error; err != nil {
			return 0, err
		}
	}
	for _, cp := range c.coupons {
		if err := tx.Exec(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, cap, targeting, segment_name,
				seller_share_pct, platform_share_pct, max_seller_funding, total_quantity, claimed_quantity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, cp.code, cp.kind, cp.value, cp.minPurchase, cp.cap, cp.targeting, cp.segment,
			cp.sellerPct, cp.platformPct, cp.maxSellerFunding, cp.total, cp.claimed).Error; err != nil {
			return 0, err
		}
	}
	return id, nil
}
