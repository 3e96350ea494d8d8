package models

import (
	"fmt"

	"gorm.io/gorm"
)

// notifyReviewDecision tells the shop what a reviewer decided on its
// registration, in the decision's transaction. The audit row's id is the
// dedupe key: one notice per decision, however often it is sent.
func notifyReviewDecision(tx *gorm.DB, reg Registration, status RegistrationStatus, decision Decision, reason string, auditID int64) error {
	var campaign string
	if err := tx.Raw(`SELECT name FROM campaigns WHERE id = ?`, reg.CampaignID).Scan(&campaign).Error; err != nil {
		return err
	}
	title, body := "Registration approved: "+campaign, "Your submitted products are registered in the campaign."
	if decision == DecisionRejected {
		title, body = "Registration rejected: "+campaign, reason
		if status == RegistrationRegistered {
			// A later batch was rejected; the earlier products stay.
			title = "Products rejected: " + campaign
			body = "The products you submitted last were rejected; products registered earlier stay in the campaign. " + reason
		}
	}
	return NotifyShop(tx, reg.ShopID, NotifyReviewDecision, title, body, SellerRegistrationLink(reg.ID),
		fmt.Sprintf("review-decision-%d", auditID))
}
