package models

// Editing a campaign safely: the revision every change is made from, the
// row lock it is checked under, and what an edit would change.

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StaleEditError refuses a change made from a form older than the
// campaign: someone saved it after the editor loaded it. By and At name the
// last save, when the audit log has it. It matches ErrConflict.
type StaleEditError struct {
	By string
	At time.Time
}

func (e *StaleEditError) Error() string {
	return "Someone else saved this campaign while you were editing it."
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *StaleEditError) Is(target error) bool { return target == ErrConflict }

// errNoRevision refuses a save, publish or close that does not say which
// revision it was made from: without it two editors overwrite each other.
func errNoRevision() error {
	return &ValidationError{Fields: map[string]string{"revision": "This form does not say which version of the campaign it was made from; reload the campaign and try again."}}
}

// lockCampaignAt loads a campaign with its rules under a row lock and checks
// the revision the editor started from: it is required (a missing or 0
// revision is refused, never skipped) and must be the current one.
func lockCampaignAt(tx *gorm.DB, id int64, revision int) (Campaign, error) {
	if revision <= 0 {
		return Campaign{}, errNoRevision()
	}
	c, err := lockCampaign(tx, id)
	if err != nil {
		return c, err
	}
	if c.Revision != revision {
		stale := &StaleEditError{}
		var last struct {
			Actor string
			At    time.Time
		}
		if err := tx.Raw(`SELECT u.display_name AS actor, a.at FROM campaign_audit a JOIN users u ON u.id = a.actor_id
			WHERE a.campaign_id = ? ORDER BY a.at DESC, a.id DESC LIMIT 1`, id).Scan(&last).Error; err != nil {
			return c, err
		}
		stale.By, stale.At = last.Actor, last.At
		return c, stale
	}
	return c, nil
}

// lockCampaign loads a campaign with its rules under a row lock.
func lockCampaign(tx *gorm.DB, id int64) (Campaign, error) {
	var c Campaign
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	if err := tx.Where("campaign_id = ?", id).Order("position, starts_at").Find(&c.SubCampaigns).Error; err != nil {
		return c, err
	}
	if err := tx.Where("campaign_id = ?", id).Order("tier").Find(&c.Tiers).Error; err != nil {
		return c, err
	}
	err = tx.Where("campaign_id = ?", id).Order("id").Find(&c.Coupons).Error
	return c, err
}

// planCampaignEdit checks an edit against the campaign as it is and lists
// what it changes: a closed campaign cannot change, a published one only
// within CheckSchedule, and an edit that changes nothing is refused.
func planCampaignEdit(cur, next Campaign, now time.Time) ([]string, error) {
	switch cur.Status {
	case CampaignClosed:
		return nil, &ConflictError{Message: "This campaign is closed; it can no longer change."}
	case CampaignDraft:
		changes := DiffCampaigns(cur, next)
		if len(changes) == 0 {
			return nil, &ValidationError{Fields: map[string]string{"form": "Nothing changed."}}
		}
		return changes, nil
	}
	if err := CheckSchedule(next, &cur, now); err != nil {
		return nil, err
	}
	changes := DiffCampaigns(cur, next)
	if len(changes) == 0 {
		return nil, &ValidationError{Fields: map[string]string{"form": "Nothing changed, so there is no new version to publish."}}
	}
	return changes, nil
}

// CampaignEditChanges lists what saving next would change, with the same
// checks as SaveCampaign, and saves nothing: a manager reads the list of a
// published campaign's new version before publishing it.
func (s *Store) CampaignEditChanges(ctx context.Context, id int64, revision int, next Campaign, now time.Time) ([]string, error) {
	var changes []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockCampaignAt(tx, id, revision)
		if err != nil {
			return err
		}
		changes, err = planCampaignEdit(cur, next, now)
		return err
	})
	return changes, err
}
