package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DecideRegistration records a reviewer's decision on a pending
// registration, in one transaction under a row lock, so of two reviewers
// deciding at once exactly one wins and the other gets a ConflictError
// saying who decided and when. Approving registers the pending products;
// rejecting rejects them with the reason. Every decision is audited.
func (s *Store) DecideRegistration(ctx context.Context, reviewerID, regID int64, decision Decision, reasonCode, reasonText string, now time.Time) error {
	reasonText = strings.TrimSpace(reasonText)
	if err := CheckDecision(decision, reasonCode, reasonText); err != nil {
		return err
	}
	if decision == DecisionApproved {
		reasonCode = "" // an approval takes a note, not a reason
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkReviewer(tx, reviewerID); err != nil {
			return err
		}
		regs, err := lockForReview(tx, []int64{regID})
		if err != nil {
			return err
		}
		if len(regs) == 0 {
			return ErrNotFound
		}
		if regs[0].Status != RegistrationPending {
			msg, err := alreadyDecided(tx, regs[0])
			if err != nil {
				return err
			}
			return &ConflictError{Message: msg}
		}
		return decide(tx, reviewerID, regs[0], decision, reasonCode, reasonText, now)
	})
}

// MaxBulkApprove caps one bulk approval.
const MaxBulkApprove = 200

// BulkApprove approves, in one transaction, every listed registration that
// is still pending, and says which were skipped and why (decided by
// someone else meanwhile, withdrawn, not found).
func (s *Store) BulkApprove(ctx context.Context, reviewerID int64, regIDs []int64, now time.Time) (int, []string, error) {
	ids := make([]int64, 0, len(regIDs))
	for _, id := range regIDs {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return 0, nil, &ValidationError{Fields: map[string]string{"reg_id": "Select at least one registration to approve."}}
	case len(ids) > MaxBulkApprove:
		return 0, nil, &ValidationError{Fields: map[string]string{"reg_id": fmt.Sprintf("Approve at most %d registrations at once.", MaxBulkApprove)}}
	}
	approved := 0
	var skipped []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		approved, skipped = 0, nil
		if err := checkReviewer(tx, reviewerID); err != nil {
			return err
		}
		regs, err := lockForReview(tx, ids)
		if err != nil {
			return err
		}
		found := map[int64]bool{}
		for _, reg := range regs {
			found[reg.ID] = true
			if reg.Status != RegistrationPending {
				name, err := registrationName(tx, reg)
				if err != nil {
					return err
				}
				why, err := alreadyDecided(tx, reg)
				if err != nil {
					return err
				}
				skipped = append(skipped, name+": "+why)
				continue
			}
			if err := decide(tx, reviewerID, reg, DecisionApproved, ReasonBulk, "", now); err != nil {
				return err
			}
			approved++
		}
		for _, id := range ids {
			if !found[id] {
				skipped = append(skipped, fmt.Sprintf("Registration #%d was not found.", id))
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return approved, skipped, nil
}

// checkReviewer refuses decisions from anyone but a reviewer; the routes
// check the role too, this keeps the audit honest whatever calls it.
func checkReviewer(tx *gorm.DB, userID int64) error {
	var role Role
	if err := tx.Raw(`SELECT role FROM users WHERE id = ?`, userID).Scan(&role).Error; err != nil {
		return err
	}
	if role != RoleReviewer {
		return ErrForbidden
	}
	return nil
}

// lockForReview locks submitted registrations, in id order so concurrent
// bulk approvals cannot deadlock.
func lockForReview(tx *gorm.DB, ids []int64) ([]Registration, error) {
	var regs []Registration
	err := tx.Raw(`SELECT * FROM registrations WHERE id IN ? AND status <> 'draft' ORDER BY id FOR UPDATE`, ids).Scan(&regs).Error
	return regs, err
}

// decide writes one decision on a locked, pending registration. A
// rejection that leaves products registered from an earlier approval keeps
// the registration Registered: only the newly submitted products are
// rejected.
func decide(tx *gorm.DB, reviewerID int64, reg Registration, decision Decision, reasonCode, reasonText string, now time.Time) error {
	status, productStatus, reason := RegistrationRegistered, ProductRegistered, ""
	if decision == DecisionRejected {
		status, productStatus, reason = RegistrationRejected, ProductRejected, DecisionReasonText(reasonCode, reasonText)
	}
	if err := tx.Exec(`UPDATE registration_products SET status = ?, decision_reason = ?, updated_at = ?
		WHERE registration_id = ? AND status = 'pending'`, productStatus, reason, now, reg.ID).Error; err != nil {
		return err
	}
	if decision == DecisionRejected {
		// Open price edits of the products just rejected are closed.
		if err := tx.Exec(`UPDATE price_edit_requests SET status = 'closed' WHERE status = 'under_review'
			AND registration_sku_id IN (SELECT rs.id FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
				WHERE rp.registration_id = ? AND rp.status = 'rejected')`, reg.ID).Error; err != nil {
			return err
		}
		var live int64
		if err := tx.Table("registration_products").Where("registration_id = ? AND status IN ('registered', 'sku_error')", reg.ID).
			Count(&live).Error; err != nil {
			return err
		}
		if live > 0 {
			status = RegistrationRegistered
		}
	}
	if err := tx.Exec(`UPDATE registrations SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE id = ?`,
		status, now, reviewerID, reason, reg.ID).Error; err != nil {
		return err
	}
	var auditID int64
	if err := tx.Raw(`INSERT INTO review_decisions (registration_id, reviewer_id, decision, reason_code, reason_text, decided_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, reg.ID, reviewerID, decision, reasonCode, reasonText, now).Scan(&auditID).Error; err != nil {
		return err
	}
	return notifyReviewDecision(tx, reg, status, decision, reason, auditID)
}

// alreadyDecided says why a registration can no longer be decided.
func alreadyDecided(tx *gorm.DB, reg Registration) (string, error) {
	if reg.Status == RegistrationWithdrawn {
		return "The seller withdrew this registration.", nil
	}
	var name string
	if reg.DecidedBy != nil {
		if err := tx.Raw(`SELECT display_name FROM users WHERE id = ?`, *reg.DecidedBy).Scan(&name).Error; err != nil {
			return "", err
		}
	}
	if name == "" || reg.DecidedAt == nil {
		return "This registration is no longer pending.", nil
	}
	return fmt.Sprintf("Already decided by %s at %s.", name, reg.DecidedAt.UTC().Format("Jan 2, 2006, 3:04 PM MST")), nil
}

// registrationName names a registration for messages: shop and campaign.
func registrationName(tx *gorm.DB, reg Registration) (string, error) {
	var n struct{ Shop, Campaign string }
	err := tx.Raw(`SELECT sh.name AS shop, c.name AS campaign FROM shops sh, campaigns c WHERE sh.id = ? AND c.id = ?`,
		reg.ShopID, reg.CampaignID).Scan(&n).Error
	return n.Shop + " — " + n.Campaign, err
}
