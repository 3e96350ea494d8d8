package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// decisionNames are the products (and SKUs) one step of decisions named.
type decisionNames struct {
	approved []string // "Title (PID …)"
	rejected []string // "Title (PID …) (reason)"
	skusOut  []string // "of Title (PID …): CODE (reason), …", SKUs kept out of approved products
}

// notifyReviewDecision tells the shop what a reviewer decided on its
// registration, in the decision's transaction, naming the products
// approved and rejected (with each reason) and the SKUs kept out of an
// approved product (with theirs). The last audit row's id is the dedupe
// key: one notice per step of decisions, however often it is sent.
func notifyReviewDecision(tx *gorm.DB, reg Registration, statusLabel string, n decisionNames, stillPending int, auditID int64) error {
	var campaign string
	if err := tx.Raw(`SELECT name FROM campaigns WHERE id = ?`, reg.CampaignID).Scan(&campaign).Error; err != nil {
		return err
	}
	approved, rejected := n.approved, n.rejected
	title := decisionTitle(len(approved), len(rejected)+len(n.skusOut), statusLabel) + ": " + campaign
	var body []string
	if len(approved) > 0 {
		body = append(body, "Registered: "+nameList(approved)+".")
	}
	if len(n.skusOut) > 0 {
		body = append(body, "SKUs not registered "+nameList(n.skusOut)+".")
	}
	if len(rejected) > 0 {
		body = append(body, "Rejected: "+nameList(rejected)+".")
	}
	if stillPending > 0 {
		body = append(body, fmt.Sprintf("%d more still under review.", stillPending))
	}
	body = append(body, "The registration is "+strings.ToLower(statusLabel)+".")
	return NotifyShop(tx, reg.ShopID, NotifyReviewDecision, title, strings.Join(body, " "), SellerRegistrationLink(reg.ID),
		fmt.Sprintf("review-decision-%d", auditID))
}

func decisionTitle(approved, rejected int, statusLabel string) string {
	switch {
	case rejected == 0:
		return "Registration approved"
	case approved == 0 && statusLabel == "Rejected":
		return "Registration rejected"
	case approved == 0:
		return "Products rejected" // a later batch; earlier products stay
	}
	return "Partly registered"
}

// nameList lists up to five names and says how many more.
func nameList(names []string) string {
	const shown = 5
	if len(names) <= shown {
		return strings.Join(names, "; ")
	}
	return strings.Join(names[:shown], "; ") + fmt.Sprintf("; and %d more", len(names)-shown)
}
