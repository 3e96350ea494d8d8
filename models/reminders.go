package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReminderWindow is how far ahead deadline reminders look.
const ReminderWindow = 48 * time.Hour

// SendDeadlineReminders tells shops whose registration deadline is less
// than 48 hours away and who still have something to do there: products
// not submitted yet, or products in SKU error. Each shop hears once per
// campaign, however often (and from however many portal instances) this
// runs: the notification's dedupe key holds it. It returns how many shops
// were told for the first time.
func (s *Store) SendDeadlineReminders(ctx context.Context, now time.Time) (int, error) {
	var due []struct {
		CampaignID   int64
		CampaignName string
		Deadline     time.Time
		Timezone     string
		ShopID       int64
		RegID        int64 `gorm:"column:reg_id"`
		Drafts       int
		SKUErrors    int `gorm:"column:sku_errors"`
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT c.id AS campaign_id, c.name AS campaign_name, c.registration_deadline AS deadline, c.timezone,
			r.shop_id, r.id AS reg_id,
			count(*) FILTER (WHERE rp.status = 'draft') AS drafts,
			count(*) FILTER (WHERE rp.status = 'sku_error') AS sku_errors
		FROM campaigns c
		JOIN registrations r ON r.campaign_id = c.id
		JOIN registration_products rp ON rp.registration_id = r.id
		WHERE c.status = 'published' AND c.registration_deadline > ? AND c.registration_deadline <= ?
		  AND rp.status IN ('draft', 'sku_error')
		GROUP BY c.id, r.id`, now, now.Add(ReminderWindow)).Scan(&due).Error
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range due {
		loc, err := time.LoadLocation(d.Timezone)
		if err != nil {
			loc = time.UTC
		}
		what := fmt.Sprintf("%d product%s not submitted", d.Drafts, Plural(d.Drafts))
		link := SellerRegisterLink(d.CampaignID)
		if d.SKUErrors > 0 {
			what = fmt.Sprintf("%d product%s in SKU error", d.SKUErrors, Plural(d.SKUErrors))
			link = SellerSKUErrorsLink(d.RegID)
			if d.Drafts > 0 {
				what += fmt.Sprintf(" and %d not submitted", d.Drafts)
			}
		}
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Exec(`INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
				SELECT id, 'deadline', ?, ?, ?, ? FROM users WHERE shop_id = ?
				ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
				"Deadline soon: "+d.CampaignName,
				fmt.Sprintf("Registration closes %s. You have %s.", d.Deadline.In(loc).Format("Mon, Jan 2, 3:04 PM MST"), what),
				link, fmt.Sprintf("deadline-%d-%d", d.CampaignID, d.ShopID), d.ShopID)
			if res.Error == nil && res.RowsAffected > 0 {
				sent++
			}
			return res.Error
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// FlagOverdueReviews tells reviewers, once per item, about registrations
// and price edit requests past their 5-business-day due date.
func (s *Store) FlagOverdueReviews(ctx context.Context, now time.Time) (int, error) {
	var pending []struct {
		ID          int64
		SubmittedAt time.Time
		Name        string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT r.id, r.submitted_at, sh.name || ' — ' || c.name AS name
		FROM registrations r JOIN shops sh ON sh.id = r.shop_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.status = 'pending'`).Scan(&pending).Error; err != nil {
		return 0, err
	}
	flagged := 0
	for _, p := range pending {
		due := ReviewDueAt(p.SubmittedAt)
		if !ReviewOverdue(due, now) {
			continue
		}
		n, err := s.notifyReviewers(ctx, "Overdue review: "+p.Name,
			"Due "+due.UTC().Format("Mon, Jan 2, 3:04 PM MST")+"; the seller is waiting.",
			ReviewRegistrationLink(p.ID), fmt.Sprintf("overdue-registration-%d", p.ID))
		if err != nil {
			return flagged, err
		}
		flagged += n
	}
	var edits []struct {
		ID    int64
		DueAt time.Time
		Name  string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT e.id, e.due_at, sh.name AS name FROM price_edit_requests e JOIN shops sh ON sh.id = e.shop_id
		WHERE e.status = 'under_review' AND e.due_at < ?`, now).Scan(&edits).Error; err != nil {
		return flagged, err
	}
	for _, e := range edits {
		n, err := s.notifyReviewers(ctx, "Overdue price edit: "+e.Name,
			"Due "+e.DueAt.UTC().Format("Mon, Jan 2, 3:04 PM MST")+".", ReviewPriceEditsLink,
			fmt.Sprintf("overdue-price-edit-%d", e.ID))
		if err != nil {
			return flagged, err
		}
		flagged += n
	}
	return flagged, nil
}

func (s *Store) notifyReviewers(ctx context.Context, title, body, link, key string) (int, error) {
	res := s.db.WithContext(ctx).Exec(`INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
		SELECT id, 'overdue', ?, ?, ?, ? FROM users WHERE role = 'reviewer'
		ON CONFLICT (user_id, dedupe_key) DO NOTHING`, title, body, link, key)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected > 0 {
		return 1, nil
	}
	return 0, nil
}
