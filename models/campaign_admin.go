package models

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ManagerCampaignRow is one campaign in the campaign manager's list.
type ManagerCampaignRow struct {
	Campaign
	Registrations  int
	PendingReviews int
}

// ManagerCampaigns lists every campaign, newest run first, with its
// registration and pending-review counts.
func (s *Store) ManagerCampaigns(ctx context.Context) ([]ManagerCampaignRow, error) {
	var rows []ManagerCampaignRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT c.*,
			(SELECT count(*) FROM registrations r WHERE r.campaign_id = c.id AND r.status IN ('pending', 'registered')) AS registrations,
			(SELECT count(*) FROM registrations r WHERE r.campaign_id = c.id AND r.status = 'pending') AS pending_reviews
		FROM campaigns c
		ORDER BY (c.status = 'draft') DESC, c.run_starts_at DESC, c.id DESC`).Scan(&rows).Error
	return rows, err
}

// CampaignVersion is one published version of a campaign.
type CampaignVersion struct {
	CampaignID  int64
	Version     int
	PublishedAt time.Time
	PublishedBy int64
	Publisher   string
	Changes     StringList
}

// AuditEntry is one change to a campaign: who, when, what.
type AuditEntry struct {
	ID      int64
	Action  string
	Actor   string
	Changes StringList
	At      time.Time
}

// ManagedCampaign is a campaign with its history, for its manager's page.
type ManagedCampaign struct {
	Campaign       Campaign
	Versions       []CampaignVersion
	Audit          []AuditEntry
	Registrations  int
	PendingReviews int
}

// ManagedCampaign loads any campaign, drafts included, with its versions
// and audit log.
func (s *Store) ManagedCampaign(ctx context.Context, id int64) (ManagedCampaign, error) {
	var m ManagedCampaign
	c, err := s.CampaignWithRules(ctx, id)
	if err != nil {
		return m, err
	}
	m.Campaign = c
	db := s.db.WithContext(ctx)
	if m.Versions, err = s.campaignVersions(ctx, id, 0); err != nil {
		return m, err
	}
	if err := db.Raw(`SELECT a.id, a.action, u.display_name AS actor, a.changes, a.at
		FROM campaign_audit a JOIN users u ON u.id = a.actor_id
		WHERE a.campaign_id = ? ORDER BY a.at DESC, a.id DESC`, id).Scan(&m.Audit).Error; err != nil {
		return m, err
	}
	err = db.Raw(`SELECT
			count(*) FILTER (WHERE status IN ('pending', 'registered')) AS registrations,
			count(*) FILTER (WHERE status = 'pending') AS pending_reviews
		FROM registrations WHERE campaign_id = ?`, id).Row().Scan(&m.Registrations, &m.PendingReviews)
	return m, err
}

// campaignVersions lists the versions after `since`, newest first.
func (s *Store) campaignVersions(ctx context.Context, campaignID int64, since int) ([]CampaignVersion, error) {
	var out []CampaignVersion
	err := s.db.WithContext(ctx).Raw(`SELECT v.campaign_id, v.version, v.published_at, v.published_by,
			u.display_name AS publisher, v.changes
		FROM campaign_versions v JOIN users u ON u.id = v.published_by
		WHERE v.campaign_id = ? AND v.version > ? ORDER BY v.version DESC`, campaignID, since).Scan(&out).Error
	return out, err
}

// CampaignChangesSince lists what changed after a version, for the seller
// whose registration was made under it.
func (s *Store) CampaignChangesSince(ctx context.Context, campaignID int64, version int) ([]CampaignVersion, error) {
	return s.campaignVersions(ctx, campaignID, version)
}

// CreateCampaign saves a new draft with its sub-campaigns, tiers and
// coupons, in one transaction, and audits it.
func (s *Store) CreateCampaign(ctx context.Context, actorID int64, c Campaign) (int64, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return createCampaign(tx, actorID, &c, "created", []string{"Draft created"})
	})
	return c.ID, err
}

func createCampaign(tx *gorm.DB, actorID int64, c *Campaign, action string, changes []string) error {
	slug, err := uniqueSlug(tx, c.Name)
	if err != nil {
		return err
	}
	c.ID, c.Slug, c.Status, c.Version, c.Revision = 0, slug, CampaignDraft, 1, 1
	c.PublishedAt, c.ClosedAt, c.CreatedBy = nil, nil, &actorID
	if err := tx.Omit(clause.Associations).Create(c).Error; err != nil {
		return err
	}
	if err := insertSubCampaigns(tx, c.ID, c.SubCampaigns); err != nil {
		return err
	}
	for _, t := range c.Tiers {
		t.ID, t.CampaignID = 0, c.ID
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
	}
	for _, cp := range c.Coupons {
		// A copy starts without the budgets: each run has its own.
		cp.ID, cp.CampaignID, cp.ClaimedQuantity, cp.PlatformBudget = 0, c.ID, 0, decimal.NullDecimal{}
		if err := tx.Create(&cp).Error; err != nil {
			return err
		}
	}
	return audit(tx, c.ID, actorID, action, changes)
}

func insertSubCampaigns(tx *gorm.DB, campaignID int64, subs []SubCampaign) error {
	for i, sc := range subs {
		sc.ID, sc.CampaignID, sc.Position = 0, campaignID, i
		if err := tx.Create(&sc).Error; err != nil {
			return err
		}
	}
	return nil
}

func audit(tx *gorm.DB, campaignID, actorID int64, action string, changes []string) error {
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO campaign_audit (campaign_id, actor_id, action, changes) VALUES (?, ?, ?, ?::jsonb)`,
		campaignID, actorID, action, string(b)).Error
}

// SaveCampaign stores an edit. A draft is simply updated. A published
// campaign changes only by a new version: the changes are listed for
// sellers, the rules are snapshotted, and registrations keep the version
// they were made under until their seller confirms. A closed campaign
// cannot change.
func (s *Store) SaveCampaign(ctx context.Context, actorID, id int64, revision int, next Campaign, now time.Time) (int, error) {
	var version int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockCampaignAt(tx, id, revision)
		if err != nil {
			return err
		}
		changes, err := planCampaignEdit(cur, next, now)
		if err != nil {
			return err
		}
		if cur.Status == CampaignDraft {
			if err := updateCampaignRow(tx, id, next, cur.Version); err != nil {
				return err
			}
			if err := replaceDraftChildren(tx, id, next); err != nil {
				return err
			}
			version = cur.Version
			return audit(tx, id, actorID, "edited", changes)
		}
		version = cur.Version + 1
		if err := updateCampaignRow(tx, id, next, version); err != nil {
			return err
		}
		if err := replacePublishedChildren(tx, cur, next); err != nil {
			return err
		}
		if err := recordVersion(tx, id, version, actorID, changes); err != nil {
			return err
		}
		return audit(tx, id, actorID, "new_version", append([]string{fmt.Sprintf("Version %d published", version)}, changes...))
	})
	return version, err
}

func updateCampaignRow(tx *gorm.DB, id int64, c Campaign, version int) error {
	benefits, err := c.Benefits.Value()
	if err != nil {
		return err
	}
	res := tx.Model(&Campaign{}).Where("id = ?", id).Updates(map[string]any{
		"name": c.Name, "description": c.Description, "benefits": gorm.Expr("?::jsonb", benefits), "timezone": c.Timezone,
		"registration_opens_at": c.RegistrationOpensAt, "registration_deadline": c.RegistrationDeadline,
		"run_starts_at": c.RunStartsAt, "run_ends_at": c.RunEndsAt,
		"min_sps": c.MinSPS, "allow_no_sps": c.AllowNoSPS, "free_shipping_required": c.FreeShippingRequired,
		"max_free_shipping_threshold": c.MaxFreeShippingThreshold, "coupons_must_be_accepted": c.CouponsMustBeAccepted,
		"lookback_days": c.LookbackDays, "extra_discount_allowed": c.ExtraDiscountAllowed,
		"extra_discount_min_pct": c.ExtraDiscountMinPct, "review_required": c.ReviewRequired,
		"withdrawal_review": c.WithdrawalReview,
		"fee_rate":          c.FeeRate, "fee_refund_policy": c.FeeRefundPolicy, "buyer_price_floor_pct": c.BuyerPriceFloorPct,
		"version": version, "revision": gorm.Expr("revision + 1"), "updated_at": gorm.Expr("now()"),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrNotFound
	}
	return nil
}

func replaceDraftChildren(tx *gorm.DB, id int64, c Campaign) error {
	for _, table := range []string{"sub_campaigns", "campaign_tiers", "coupons"} {
		if err := tx.Exec("DELETE FROM "+table+" WHERE campaign_id = ?", id).Error; err != nil {
			return err
		}
	}
	if err := insertSubCampaigns(tx, id, c.SubCampaigns); err != nil {
		return err
	}
	for _, t := range c.Tiers {
		t.ID, t.CampaignID = 0, id
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
	}
	for _, cp := range c.Coupons {
		cp.ID, cp.CampaignID, cp.ClaimedQuantity = 0, id, 0
		if err := tx.Create(&cp).Error; err != nil {
			return err
		}
	}
	return nil
}

// replacePublishedChildren updates a published campaign's parts in place:
// coupons are matched by code so the quantity shoppers claimed is kept.
func replacePublishedChildren(tx *gorm.DB, cur, next Campaign) error {
	if err := tx.Exec("DELETE FROM sub_campaigns WHERE campaign_id = ?", cur.ID).Error; err != nil {
		return err
	}
	if err := insertSubCampaigns(tx, cur.ID, next.SubCampaigns); err != nil {
		return err
	}
	for _, t := range next.Tiers {
		res := tx.Model(&CampaignTier{}).Where("campaign_id = ? AND tier = ?", cur.ID, t.Tier).Updates(map[string]any{
			"max_price_pct": t.MaxPricePct, "recommended_pct": t.RecommendedPct, "min_stock": t.MinStock})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			t.ID, t.CampaignID = 0, cur.ID
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
		}
	}
	existing := map[string]bool{}
	for _, cp := range cur.Coupons {
		existing[cp.Code] = true
	}
	for _, cp := range next.Coupons {
		if !existing[cp.Code] {
			cp.ID, cp.CampaignID, cp.ClaimedQuantity, cp.PlatformBudget = 0, cur.ID, 0, decimal.NullDecimal{}
			if err := tx.Create(&cp).Error; err != nil {
				return err
			}
			continue
		}
		res := tx.Model(&Coupon{}).Where("campaign_id = ? AND code = ?", cur.ID, cp.Code).Updates(map[string]any{
			"discount_type": cp.DiscountType, "value": cp.Value, "min_purchase": cp.MinPurchase, "cap": cp.Cap,
			"targeting": cp.Targeting, "segment_name": cp.SegmentName, "seller_share_pct": cp.SellerSharePct,
			"platform_share_pct": cp.PlatformSharePct, "max_seller_funding": cp.MaxSellerFunding,
			"total_quantity": cp.TotalQuantity,
			// A coupon the platform no longer pays a share of keeps no
			// subsidy budget (coupons_budget_needs_platform_share).
			"platform_budget": gorm.Expr("CASE WHEN ?::numeric > 0 THEN platform_budget END", cp.PlatformSharePct)})
		if res.Error != nil {
			return res.Error
		}
	}
	return nil
}

// recordVersion snapshots the campaign's rules as they are now in tx.
func recordVersion(tx *gorm.DB, id int64, version int, actorID int64, changes []string) error {
	snap, err := lockCampaign(tx, id)
	if err != nil {
		return err
	}
	snapJSON, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if changes == nil {
		changes = []string{}
	}
	changesJSON, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO campaign_versions (campaign_id, version, published_by, changes, snapshot)
		VALUES (?, ?, ?, ?::jsonb, ?::jsonb)`, id, version, actorID, string(changesJSON), string(snapJSON)).Error
}

// RecordInitialVersion snapshots a campaign published outside PublishCampaign
// (the demo loader's past campaigns) as its version 1.
func RecordInitialVersion(tx *gorm.DB, id, actorID int64) error {
	return recordVersion(tx, id, 1, actorID, nil)
}

// PublishCampaign makes a draft visible to sellers (from its registration
// opening time on) as version 1.
func (s *Store) PublishCampaign(ctx context.Context, actorID, id int64, revision int, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockCampaignAt(tx, id, revision)
		if err != nil {
			return err
		}
		if cur.Status != CampaignDraft {
			return &ConflictError{Message: "Only a draft can be published; this campaign already was."}
		}
		if err := CheckSchedule(cur, nil, now); err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE campaigns SET status = 'published', published_at = now(), version = 1,
			revision = revision + 1, updated_at = now() WHERE id = ?`, id).Error; err != nil {
			return err
		}
		if err := recordVersion(tx, id, 1, actorID, nil); err != nil {
			return err
		}
		return audit(tx, id, actorID, "published", []string{"Published as version 1"})
	})
}

// CloseCampaign ends registration early. Registered products stay.
func (s *Store) CloseCampaign(ctx context.Context, actorID, id int64, revision int) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockCampaignAt(tx, id, revision)
		if err != nil {
			return err
		}
		if cur.Status != CampaignPublished {
			return &ConflictError{Message: "Only a published campaign can be closed."}
		}
		if err := tx.Exec(`UPDATE campaigns SET status = 'closed', closed_at = now(), revision = revision + 1,
			updated_at = now() WHERE id = ?`, id).Error; err != nil {
			return err
		}
		return audit(tx, id, actorID, "closed", []string{"Closed early: no new registrations; registered products stay"})
	})
}

var yearInName = regexp.MustCompile(`\b(20[0-9]{2})\b`)

// NextYearName turns "Black Friday 2026" into "Black Friday 2027"; a name
// without a year gets " (copy)".
func NextYearName(name string) string {
	if yearInName.MatchString(name) {
		return yearInName.ReplaceAllStringFunc(name, func(y string) string {
			n, _ := strconv.Atoi(y)
			return strconv.Itoa(n + 1)
		})
	}
	return name + " (copy)"
}

// DuplicateCampaign copies a campaign as a draft for next year: every date
// a year later at the same local time, the year in the name moved on,
// coupons unclaimed.
func (s *Store) DuplicateCampaign(ctx context.Context, actorID, id int64) (int64, error) {
	var newID int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		src, err := lockCampaign(tx, id)
		if err != nil {
			return err
		}
		loc := src.Location()
		year := func(t time.Time) time.Time { return t.In(loc).AddDate(1, 0, 0) }
		c := src
		c.Name = NextYearName(src.Name)
		c.RegistrationOpensAt, c.RegistrationDeadline = year(src.RegistrationOpensAt), year(src.RegistrationDeadline)
		c.RunStartsAt, c.RunEndsAt = year(src.RunStartsAt), year(src.RunEndsAt)
		c.DuplicatedFrom = &src.ID
		c.SubCampaigns = nil
		for _, sc := range src.SubCampaigns {
			sc.StartsAt, sc.EndsAt = year(sc.StartsAt), year(sc.EndsAt)
			c.SubCampaigns = append(c.SubCampaigns, sc)
		}
		if err := createCampaign(tx, actorID, &c, "duplicated", []string{"Duplicated from " + src.Name}); err != nil {
			return err
		}
		newID = c.ID
		return nil
	})
	return newID, err
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func uniqueSlug(tx *gorm.DB, name string) (string, error) {
	base := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "campaign"
	}
	if len(base) > 60 {
		base = strings.Trim(base[:60], "-")
	}
	for i := 1; ; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		var n int64
		if err := tx.Table("campaigns").Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
	}
}

// ConfirmCampaignVersion moves a shop's registration onto the campaign's
// current version, once the seller has read what changed.
func (s *Store) ConfirmCampaignVersion(ctx context.Context, shopID, registrationID int64) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE registrations r SET campaign_version = c.version
		FROM campaigns c WHERE c.id = r.campaign_id AND r.id = ? AND r.shop_id = ?`, registrationID, shopID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
