package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ProductDecision is a reviewer's verdict on one product of a registration.
// An approval may keep some of the product's SKUs out (RejectSKUs, each
// with its own reason): the product is registered with its other SKUs. A
// rejection covers every SKU.
type ProductDecision struct {
	RegistrationProductID int64
	Decision              Decision
	ReasonCode            string
	ReasonText            string
	RejectSKUs            []SKURejection
}

// SKURejection is one SKU a reviewer keeps out of the campaign while
// approving its product.
type SKURejection struct {
	RegistrationSKUID int64
	ReasonCode        string
	ReasonText        string
}

// SKUField names a SKU's form field: "reason_code_sku_31".
func SKUField(field string, rsID int64) string { return field + "_sku_" + strconv.FormatInt(rsID, 10) }

// ProductField names a product's form field, so a message lands beside
// the product it is about: "reason_code_12".
func ProductField(field string, rpID int64) string { return field + "_" + strconv.FormatInt(rpID, 10) }

// CheckProductDecisions validates one step of decisions: at least one,
// each product once, each decision valid (a rejection with a standard
// reason, "other" with text). Messages are keyed by ProductField.
func CheckProductDecisions(ds []ProductDecision) error {
	v := &ValidationError{}
	if len(ds) == 0 {
		v.Add("decision", "Choose Approve or Reject for at least one product.")
	}
	seen := map[int64]bool{}
	for _, d := range ds {
		if seen[d.RegistrationProductID] {
			v.Add("decision", "Each product takes one decision.")
			continue
		}
		seen[d.RegistrationProductID] = true
		var invalid *ValidationError
		if err := CheckDecision(d.Decision, d.ReasonCode, d.ReasonText); errors.As(err, &invalid) {
			for k, msg := range invalid.Fields {
				v.Add(ProductField(k, d.RegistrationProductID), msg)
			}
		}
		if len(d.RejectSKUs) > 0 && d.Decision != DecisionApproved {
			v.Add(ProductField("decision", d.RegistrationProductID),
				"Rejecting some SKUs registers the others: choose Approve for the product, or Reject for all of it.")
		}
		seenSKU := map[int64]bool{}
		for _, r := range d.RejectSKUs {
			if seenSKU[r.RegistrationSKUID] {
				v.Add(ProductField("decision", d.RegistrationProductID), "Each SKU takes one decision.")
				continue
			}
			seenSKU[r.RegistrationSKUID] = true
			if err := CheckDecision(DecisionRejected, r.ReasonCode, r.ReasonText); errors.As(err, &invalid) {
				for k, msg := range invalid.Fields {
					v.Add(SKUField(k, r.RegistrationSKUID), msg)
				}
			}
		}
	}
	return v.OrNil()
}

// DecisionResult says what one step of decisions did.
type DecisionResult struct {
	Approved     int                // products registered (some perhaps without every SKU)
	Rejected     int                // products rejected
	RejectedSKUs int                // SKUs kept out of approved products
	Status       RegistrationStatus // the registration's status after it
}

// DecideProducts records, in one transaction, a reviewer's decision on
// each listed product of a registration: approved products are
// registered, rejected ones carry the reason the seller reads. The
// registration row is locked first and then the products, in id order (the
// order the seller's withdrawals use), so of two reviewers deciding the
// same product exactly one wins and the other gets a ConflictError naming
// who decided and when; nothing of the losing step is written. Products
// left out stay under review. The registration's status follows from its
// products (RegistrationStatusOf); every decision is audited and the shop
// is notified once per step, naming the products.
func (s *Store) DecideProducts(ctx context.Context, reviewerID, regID int64, ds []ProductDecision, note string, now time.Time) (DecisionResult, error) {
	for i := range ds {
		ds[i].ReasonText = strings.TrimSpace(ds[i].ReasonText)
		if ds[i].Decision == DecisionApproved {
			ds[i].ReasonCode, ds[i].ReasonText = "", "" // an approval takes a note, not a reason
		}
		for j := range ds[i].RejectSKUs {
			ds[i].RejectSKUs[j].ReasonText = strings.TrimSpace(ds[i].RejectSKUs[j].ReasonText)
		}
	}
	note = strings.TrimSpace(note)
	if err := CheckProductDecisions(ds); err != nil {
		return DecisionResult{}, err
	}
	if err := CheckDecision(DecisionApproved, "", note); err != nil {
		return DecisionResult{}, err // the note's length
	}
	var res DecisionResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, err := lockOneForReview(tx, reviewerID, regID)
		if err != nil {
			return err
		}
		if reg.Status == RegistrationWithdrawn {
			return &ConflictError{Message: "The seller withdrew this registration."}
		}
		res, err = decideProducts(tx, reviewerID, reg, ds, note, false, now)
		return err
	})
	return res, err
}

// DecideRegistration decides every product of a registration that is
// still under review the same way (the bulk actions use it too).
func (s *Store) DecideRegistration(ctx context.Context, reviewerID, regID int64, decision Decision, reasonCode, reasonText string, now time.Time) error {
	reasonText = strings.TrimSpace(reasonText)
	if err := CheckDecision(decision, reasonCode, reasonText); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, err := lockOneForReview(tx, reviewerID, regID)
		if err != nil {
			return err
		}
		if reg.Status != RegistrationPending {
			msg, err := alreadyDecided(tx, reg)
			if err != nil {
				return err
			}
			return &ConflictError{Message: msg}
		}
		_, err = decideAllPending(tx, reviewerID, reg, decision, reasonCode, reasonText, false, now)
		return err
	})
}

// decideAllPending decides every pending product of a locked registration
// the same way; bulk marks a bulk action in the audit.
func decideAllPending(tx *gorm.DB, reviewerID int64, reg Registration, decision Decision, reasonCode, reasonText string, bulk bool, now time.Time) (DecisionResult, error) {
	var ids []int64
	if err := tx.Raw(`SELECT id FROM registration_products WHERE registration_id = ? AND status = 'pending' ORDER BY id`, reg.ID).
		Scan(&ids).Error; err != nil {
		return DecisionResult{}, err
	}
	if len(ids) == 0 {
		return DecisionResult{}, &ConflictError{Message: "No product of this registration is under review."}
	}
	ds := make([]ProductDecision, len(ids))
	note := ""
	for i, id := range ids {
		ds[i] = ProductDecision{RegistrationProductID: id, Decision: decision, ReasonCode: reasonCode, ReasonText: reasonText}
		if decision == DecisionApproved {
			ds[i].ReasonCode, ds[i].ReasonText, note = "", "", reasonText
		}
	}
	return decideProducts(tx, reviewerID, reg, ds, note, bulk, now)
}

// decidedProduct is a product locked for a decision.
type decidedProduct struct {
	ID        int64
	PID       string `gorm:"column:pid"`
	Title     string
	Status    ProductStatus
	DecidedBy *int64
	DecidedAt *time.Time
	Reviewer  string
}

// decideProducts writes one step of decisions on a locked registration;
// bulk marks each audit row as made by a bulk action.
func decideProducts(tx *gorm.DB, reviewerID int64, reg Registration, ds []ProductDecision, note string, bulk bool, now time.Time) (DecisionResult, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.RegistrationProductID
	}
	slices.Sort(ids)
	var locked []decidedProduct
	if err := tx.Raw(`SELECT rp.id, p.pid, p.title, rp.status, rp.decided_by, rp.decided_at, COALESCE(u.display_name, '') AS reviewer
		FROM registration_products rp JOIN products p ON p.id = rp.product_id LEFT JOIN users u ON u.id = rp.decided_by
		WHERE rp.registration_id = ? AND rp.id IN ? ORDER BY rp.id FOR UPDATE OF rp`, reg.ID, ids).Scan(&locked).Error; err != nil {
		return DecisionResult{}, err
	}
	if len(locked) != len(ids) {
		return DecisionResult{}, ErrNotFound
	}
	byID := make(map[int64]decidedProduct, len(locked))
	var conflicts []string
	for _, p := range locked {
		byID[p.ID] = p
		if p.Status != ProductPending {
			conflicts = append(conflicts, productDecidedText(p))
		}
	}
	if len(conflicts) > 0 {
		return DecisionResult{}, &ConflictError{Message: strings.Join(conflicts, " ")}
	}
	skus, err := lockDecidedSKUs(tx, ds)
	if err != nil {
		return DecisionResult{}, err
	}
	var res DecisionResult
	var approved, rejected, skusOut []string
	reasons := map[string]bool{}
	audit := func(p decidedProduct, rsID *int64, d Decision, code, text string) error {
		return tx.Exec(`INSERT INTO review_decisions (registration_id, registration_product_id, registration_sku_id, reviewer_id, decision,
			reason_code, reason_text, decided_at, bulk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			reg.ID, p.ID, rsID, reviewerID, d, code, text, now, bulk).Error
	}
	for _, d := range ds {
		p := byID[d.RegistrationProductID]
		ev, reason := EventApprove, ""
		if d.Decision == DecisionRejected {
			ev, reason = EventReject, DecisionReasonText(d.ReasonCode, d.ReasonText)
		}
		to, err := NextProductStatus(p.Status, ev)
		if err != nil {
			return res, err
		}
		if err := tx.Exec(`UPDATE registration_products SET status = ?, decision_reason = ?, decision_code = ?, decided_by = ?, decided_at = ?, updated_at = ?
			WHERE id = ?`, to, reason, d.ReasonCode, reviewerID, now, now, p.ID).Error; err != nil {
			return res, err
		}
		// SKUs kept out of an approved product: each with its reason, its
		// open price edit closed, its own audit row.
		var out []string
		for _, r := range d.RejectSKUs {
			sk := skus[r.RegistrationSKUID]
			why := DecisionReasonText(r.ReasonCode, r.ReasonText)
			if err := tx.Exec(`UPDATE registration_skus SET rejected_at = ?, rejected_by = ?, rejection_code = ?, rejection_reason = ?, updated_at = ?
				WHERE id = ?`, now, reviewerID, r.ReasonCode, why, now, sk.ID).Error; err != nil {
				return res, err
			}
			if err := tx.Exec(`UPDATE price_edit_requests SET status = 'closed' WHERE status = 'under_review' AND registration_sku_id = ?`, sk.ID).Error; err != nil {
				return res, err
			}
			if err := audit(p, &sk.ID, DecisionRejected, r.ReasonCode, r.ReasonText); err != nil {
				return res, err
			}
			out = append(out, sk.Code+" ("+strings.TrimRight(why, ".")+")")
			res.RejectedSKUs++
		}
		text := note
		if d.Decision == DecisionRejected {
			text = d.ReasonText
			res.Rejected++
			rejected = append(rejected, productName(p)+" ("+strings.TrimRight(reason, ".")+")")
			reasons[reason] = true
			// Open price edits of a rejected product are closed.
			if err := tx.Exec(`UPDATE price_edit_requests SET status = 'closed' WHERE status = 'under_review'
				AND registration_sku_id IN (SELECT id FROM registration_skus WHERE registration_product_id = ?)`, p.ID).Error; err != nil {
				return res, err
			}
		} else {
			res.Approved++
			approved = append(approved, productName(p))
			if len(out) > 0 {
				skusOut = append(skusOut, "of "+productName(p)+": "+strings.Join(out, ", "))
			}
		}
		if err := audit(p, nil, d.Decision, d.ReasonCode, text); err != nil {
			return res, err
		}
	}
	counts, err := productCounts(tx, reg.ID)
	if err != nil {
		return res, err
	}
	out, err := skusKeptOut(tx, reg.ID)
	if err != nil {
		return res, err
	}
	res.Status = RegistrationStatusOf(counts)
	regReason := ""
	if res.Status == RegistrationRejected && len(reasons) == 1 {
		for r := range reasons {
			regReason = r
		}
	} else if res.Status == RegistrationRejected {
		regReason = "Each product's reason is shown beside it."
	}
	if err := tx.Exec(`UPDATE registrations SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE id = ?`,
		res.Status, now, reviewerID, regReason, reg.ID).Error; err != nil {
		return res, err
	}
	if res.Status != RegistrationPending {
		if err := settleOverdueNotices(tx, fmt.Sprintf("overdue-registration-%d", reg.ID), now); err != nil {
			return res, err
		}
	}
	var auditID int64
	if err := tx.Raw(`SELECT max(id) FROM review_decisions WHERE registration_id = ?`, reg.ID).Scan(&auditID).Error; err != nil {
		return res, err
	}
	return res, notifyReviewDecision(tx, reg, RegistrationStatusLabel(res.Status, counts, out),
		decisionNames{approved: approved, rejected: rejected, skusOut: skusOut}, counts[ProductPending], auditID)
}

// decidedSKU is a SKU locked for a per-SKU decision.
type decidedSKU struct {
	ID                    int64
	RegistrationProductID int64
	Code                  string
}

// lockDecidedSKUs locks every SKU of the approved products that keep SKUs
// out, in id order, and checks each SKU listed belongs to its product and
// that at least one SKU of each stays in (rejecting them all is rejecting
// the product).
func lockDecidedSKUs(tx *gorm.DB, ds []ProductDecision) (map[int64]decidedSKU, error) {
	var rpIDs []int64
	for _, d := range ds {
		if d.Decision == DecisionApproved && len(d.RejectSKUs) > 0 {
			rpIDs = append(rpIDs, d.RegistrationProductID)
		}
	}
	out := map[int64]decidedSKU{}
	if len(rpIDs) == 0 {
		return out, nil
	}
	var rows []decidedSKU
	if err := tx.Raw(`SELECT rs.id, rs.registration_product_id, s.sku_code AS code FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id
		WHERE rs.registration_product_id IN ? ORDER BY rs.id FOR UPDATE OF rs`, rpIDs).Scan(&rows).Error; err != nil {
		return nil, err
	}
	perProduct := map[int64]int{}
	for _, r := range rows {
		out[r.ID] = r
		perProduct[r.RegistrationProductID]++
	}
	v := &ValidationError{}
	for _, d := range ds {
		if d.Decision != DecisionApproved || len(d.RejectSKUs) == 0 {
			continue
		}
		for _, r := range d.RejectSKUs {
			if sk, ok := out[r.RegistrationSKUID]; !ok || sk.RegistrationProductID != d.RegistrationProductID {
				return nil, ErrNotFound
			}
		}
		if len(d.RejectSKUs) >= perProduct[d.RegistrationProductID] {
			v.Add(ProductField("decision", d.RegistrationProductID),
				"Every SKU of this product is marked to reject: choose Reject for the product instead.")
		}
	}
	return out, v.OrNil()
}

// skusKeptOut counts the SKUs a reviewer kept out of the registration's
// products in the campaign.
func skusKeptOut(tx *gorm.DB, regID int64) (int, error) {
	var n int
	err := tx.Raw(`SELECT count(*) FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rs.rejected_at IS NOT NULL AND rp.status IN ('registered', 'sku_error')`, regID).Scan(&n).Error
	return n, err
}

// productCounts counts a registration's submitted products by status.
func productCounts(tx *gorm.DB, regID int64) (map[ProductStatus]int, error) {
	var rows []struct {
		Status ProductStatus
		N      int
	}
	if err := tx.Raw(`SELECT status, count(*) AS n FROM registration_products WHERE registration_id = ? AND status <> 'draft' GROUP BY status`,
		regID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	counts := make(map[ProductStatus]int, len(rows))
	for _, r := range rows {
		counts[r.Status] = r.N
	}
	return counts, nil
}

func productName(p decidedProduct) string { return p.Title + " (PID " + p.PID + ")" }

// productDecidedText says why a product can no longer be decided: who
// decided it and when, or what the seller did.
func productDecidedText(p decidedProduct) string {
	name := productName(p)
	switch {
	case p.Status == ProductWithdrawn:
		return name + " was withdrawn by the seller."
	case p.Status == ProductSKUError:
		return name + " is in SKU error: the seller changed it."
	case p.Status == ProductDraft:
		return name + " is back in the seller's draft."
	case p.Reviewer != "" && p.DecidedAt != nil:
		return fmt.Sprintf("%s was already decided by %s at %s: %s.", name, p.Reviewer,
			p.DecidedAt.UTC().Format("Jan 2, 2006, 3:04 PM MST"), strings.ToLower(ProductStatusLabel(p.Status)))
	}
	return name + " is no longer under review."
}

// MaxBulkApprove caps one bulk action.
const MaxBulkApprove = 200

// BulkApprove approves, in one transaction, every listed registration that
// is still pending, and says which were skipped and why (decided by
// someone else meanwhile, withdrawn, not found).
func (s *Store) BulkApprove(ctx context.Context, reviewerID int64, regIDs []int64, now time.Time) (int, []string, error) {
	return s.BulkDecide(ctx, reviewerID, regIDs, DecisionApproved, "", "", now)
}

// BulkDecide approves or rejects (with one reason) every pending product
// of each listed registration, in one transaction, and says which
// registrations were skipped and why.
func (s *Store) BulkDecide(ctx context.Context, reviewerID int64, regIDs []int64, decision Decision, reasonCode, reasonText string, now time.Time) (int, []string, error) {
	ids := make([]int64, 0, len(regIDs))
	for _, id := range regIDs {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return 0, nil, &ValidationError{Fields: map[string]string{"reg_id": "Select at least one registration."}}
	case len(ids) > MaxBulkApprove:
		return 0, nil, &ValidationError{Fields: map[string]string{"reg_id": fmt.Sprintf("Decide at most %d registrations at once.", MaxBulkApprove)}}
	}
	reasonText = strings.TrimSpace(reasonText)
	if err := CheckDecision(decision, reasonCode, reasonText); err != nil {
		return 0, nil, err
	}
	done := 0
	var skipped []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done, skipped = 0, nil
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
			if _, err := decideAllPending(tx, reviewerID, reg, decision, reasonCode, reasonText, true, now); err != nil {
				return err
			}
			done++
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
	return done, skipped, nil
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

// lockOneForReview checks the reviewer and locks one submitted
// registration (ErrNotFound when there is none).
func lockOneForReview(tx *gorm.DB, reviewerID, regID int64) (Registration, error) {
	if err := checkReviewer(tx, reviewerID); err != nil {
		return Registration{}, err
	}
	regs, err := lockForReview(tx, []int64{regID})
	if err != nil {
		return Registration{}, err
	}
	if len(regs) == 0 {
		return Registration{}, ErrNotFound
	}
	return regs[0], nil
}

// lockForReview locks submitted registrations, in id order so concurrent
// bulk approvals cannot deadlock.
func lockForReview(tx *gorm.DB, ids []int64) ([]Registration, error) {
	var regs []Registration
	err := tx.Raw(`SELECT * FROM registrations WHERE id IN ? AND status <> 'draft' ORDER BY id FOR UPDATE`, ids).Scan(&regs).Error
	return regs, err
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

// settleOverdueNotices marks the reviewers' "Overdue review" notices of an
// item read once it is decided: they are no longer news for anyone.
func settleOverdueNotices(tx *gorm.DB, dedupeKey string, now time.Time) error {
	return tx.Exec(`UPDATE notifications SET read_at = ? WHERE kind = 'overdue' AND dedupe_key = ? AND read_at IS NULL`, now, dedupeKey).Error
}
