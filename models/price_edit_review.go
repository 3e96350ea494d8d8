package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// PriceEditQueueRow is one price edit request awaiting review, with the
// SKU's limit at request time and as of now.
type PriceEditQueueRow struct {
	ID                int64 // the request
	RegistrationID    int64
	RegistrationSKUID int64 `gorm:"column:registration_sku_id"`
	ShopID            int64
	ShopName          string
	CampaignID        int64
	CampaignName      string
	LookbackDays      int
	ProductTitle      string
	PID               string `gorm:"column:pid"`
	SKUID             int64  `gorm:"column:sku_id"`
	SKUCode           string `gorm:"column:sku_code"`
	Attributes        string
	Tier              Tier
	ProductStatus     ProductStatus
	OldPrice          decimal.Decimal
	NewPrice          decimal.Decimal
	MaxAtRequest      decimal.Decimal // the request's max_price: the maximum when the seller asked
	RetailNow         decimal.Decimal
	SubmittedAt       time.Time
	DueAt             time.Time
	Overdue           bool      `gorm:"-"`
	DueSoon           bool      `gorm:"-"` // due within a day, not late yet
	Live              LiveLimit `gorm:"-"` // lookback low and maximum recomputed now
	AboveLiveMax      bool      `gorm:"-"` // the new price is above the maximum now: it cannot be approved
}

// InCampaign reports whether the request's product still takes part, so
// its price can change.
func (r PriceEditQueueRow) InCampaign() bool {
	return r.ProductStatus == ProductRegistered || r.ProductStatus == ProductPending
}

// PriceEditQueue lists the price edit requests under review, the oldest
// due first, each with the SKU's lookback low and maximum recomputed now.
func (s *Store) PriceEditQueue(ctx context.Context, now time.Time) ([]PriceEditQueueRow, error) {
	var rows []PriceEditQueueRow
	err := s.db.WithContext(ctx).Raw(`SELECT e.id, e.registration_id, e.registration_sku_id, e.shop_id, sh.name AS shop_name,
			r.campaign_id, c.name AS campaign_name, c.lookback_days, p.title AS product_title, p.pid, rs.sku_id, s.sku_code, s.attributes,
			rp.tier, rp.status AS product_status, e.old_price, e.new_price, e.max_price AS max_at_request,
			s.retail_price AS retail_now, e.submitted_at, e.due_at
		FROM price_edit_requests e
		JOIN registrations r ON r.id = e.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN shops sh ON sh.id = e.shop_id
		JOIN registration_skus rs ON rs.id = e.registration_sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN products p ON p.id = rp.product_id
		JOIN skus s ON s.id = rs.sku_id
		WHERE e.status = 'under_review'
		ORDER BY e.due_at, e.submitted_at, e.id`).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	check := make([]pendingSKU, len(rows))
	for i, r := range rows {
		check[i] = pendingSKU{RegistrationID: r.RegistrationID, CampaignID: r.CampaignID, SKUID: r.SKUID, Tier: r.Tier, RetailNow: r.RetailNow}
	}
	limits, err := s.liveLimits(ctx, check, now)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Overdue = ReviewOverdue(rows[i].DueAt, now)
		rows[i].DueSoon = ReviewDueSoon(rows[i].DueAt, now)
		rows[i].Live = limits[i]
		rows[i].AboveLiveMax = rows[i].NewPrice.GreaterThan(limits[i].Max)
	}
	return rows, nil
}

// ReviewCounts is the number of registrations, of price edit requests and
// of withdrawal requests waiting for a reviewer, for the queue's tabs.
func (s *Store) ReviewCounts(ctx context.Context) (registrations, priceEdits, withdrawals int, err error) {
	var n struct{ Registrations, PriceEdits, Withdrawals int }
	err = s.db.WithContext(ctx).Raw(`SELECT
		(SELECT count(*) FROM registrations WHERE status = 'pending') AS registrations,
		(SELECT count(*) FROM price_edit_requests WHERE status = 'under_review') AS price_edits,
		(SELECT count(*) FROM withdrawals WHERE status = 'requested') AS withdrawals`).Scan(&n).Error
	return n.Registrations, n.PriceEdits, n.Withdrawals, err
}

// PriceEditDecisionEntry is one decided price edit, as the audit shows it.
type PriceEditDecisionEntry struct {
	ID             int64
	RegistrationID int64
	ShopName       string
	CampaignName   string
	SKUCode        string `gorm:"column:sku_code"`
	OldPrice       decimal.Decimal
	NewPrice       decimal.Decimal
	Status         PriceEditStatus
	ReasonCode     string
	ReasonText     string // what the seller reads
	DecidedAt      time.Time
	ReviewerName   string
}

// RecentPriceEditDecisions lists the latest decided price edits, newest
// first: the request rows are the audit of who decided what, and when.
func (s *Store) RecentPriceEditDecisions(ctx context.Context, limit int) ([]PriceEditDecisionEntry, error) {
	var out []PriceEditDecisionEntry
	err := s.db.WithContext(ctx).Raw(`SELECT e.id, e.registration_id, sh.name AS shop_name, c.name AS campaign_name, s.sku_code,
			e.old_price, e.new_price, e.status, e.reason_code, e.reason_text, e.decided_at, u.display_name AS reviewer_name
		FROM price_edit_requests e
		JOIN registrations r ON r.id = e.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN shops sh ON sh.id = e.shop_id
		JOIN registration_skus rs ON rs.id = e.registration_sku_id
		JOIN skus s ON s.id = rs.sku_id
		JOIN users u ON u.id = e.decided_by
		WHERE e.status IN ('approved', 'rejected')
		ORDER BY e.decided_at DESC, e.id DESC
		LIMIT ?`, limit).Scan(&out).Error
	return out, err
}

// SellerSKULink is a SKU's row on the seller's Manage page.
func SellerSKULink(regID, rsID int64) string {
	return SellerRegistrationLink(regID) + "#sku-" + strconv.FormatInt(rsID, 10)
}

// DecidePriceEdit records a reviewer's decision on a price edit request,
// in one transaction under row locks, so of two reviewers deciding at once
// exactly one wins and the other gets a ConflictError saying who decided
// and when. Approving sets the SKU's campaign price to the new price, and
// is refused when that price is above the maximum the lookback low allows
// now; rejecting needs a standard reason, which the seller reads. The
// request row is the audit; the shop is notified.
func (s *Store) DecidePriceEdit(ctx context.Context, reviewerID, requestID int64, decision Decision, reasonCode, reasonText string, now time.Time) error {
	reasonCode, reasonText, err := priceEditReason(decision, reasonCode, reasonText)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkReviewer(tx, reviewerID); err != nil {
			return err
		}
		edits, limits, err := lockPriceEdits(ctx, tx, []int64{requestID}, now)
		if err != nil {
			return err
		}
		if len(edits) == 0 {
			return ErrNotFound
		}
		why, err := priceEditRefusal(tx, edits[0], limits[0], decision)
		if err != nil {
			return err
		}
		if why != "" {
			return &ConflictError{Message: why}
		}
		return decidePriceEdit(tx, reviewerID, edits[0], limits[0], decision, reasonCode, reasonText, now)
	})
}

// BulkApprovePriceEdits approves, in one transaction, every listed request
// that can still be approved, and says which were skipped and why (decided
// or replaced meanwhile, above the maximum now, product no longer in the
// campaign, not found).
func (s *Store) BulkApprovePriceEdits(ctx context.Context, reviewerID int64, requestIDs []int64, now time.Time) (int, []string, error) {
	ids := make([]int64, 0, len(requestIDs))
	for _, id := range requestIDs {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return 0, nil, &ValidationError{Fields: map[string]string{"edit_id": "Select at least one price edit to approve."}}
	case len(ids) > MaxBulkApprove:
		return 0, nil, &ValidationError{Fields: map[string]string{"edit_id": fmt.Sprintf("Approve at most %d price edits at once.", MaxBulkApprove)}}
	}
	approved := 0
	var skipped []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		approved, skipped = 0, nil
		if err := checkReviewer(tx, reviewerID); err != nil {
			return err
		}
		edits, limits, err := lockPriceEdits(ctx, tx, ids, now)
		if err != nil {
			return err
		}
		found := map[int64]bool{}
		for i, e := range edits {
			found[e.ID] = true
			why, err := priceEditRefusal(tx, e, limits[i], DecisionApproved)
			if err != nil {
				return err
			}
			if why != "" {
				skipped = append(skipped, fmt.Sprintf("SKU %s (%s — %s): %s", e.SKUCode, e.ShopName, e.CampaignName, why))
				continue
			}
			if err := decidePriceEdit(tx, reviewerID, e, limits[i], DecisionApproved, ReasonBulk, "", now); err != nil {
				return err
			}
			approved++
		}
		for _, id := range ids {
			if !found[id] {
				skipped = append(skipped, fmt.Sprintf("Price edit request #%d was not found.", id))
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return approved, skipped, nil
}

// priceEditReason validates a decision as entered and returns the reason
// to record. An approval records no reason: the request row is what the
// seller reads, and an approval needs no explanation.
func priceEditReason(decision Decision, reasonCode, reasonText string) (string, string, error) {
	if err := CheckDecision(decision, reasonCode, reasonText); err != nil {
		return "", "", err
	}
	if decision == DecisionApproved {
		return "", "", nil
	}
	return reasonCode, reasonText, nil
}

// lockedPriceEdit is a request under lock, with what deciding it needs.
type lockedPriceEdit struct {
	PriceEditRequest
	CampaignID    int64
	CampaignName  string
	ShopName      string
	SKUID         int64  `gorm:"column:sku_id"`
	SKUCode       string `gorm:"column:sku_code"`
	Tier          Tier
	ProductStatus ProductStatus
	RetailNow     decimal.Decimal
}

// lockPriceEdits locks the requests with their registrations and SKUs, in
// the order the seller's edits take them (registration, SKU, request; each
// by id), so a decision and an edit or withdrawal cannot deadlock, and
// recomputes each SKU's limit as of now.
func lockPriceEdits(ctx context.Context, tx *gorm.DB, ids []int64, now time.Time) ([]lockedPriceEdit, []LiveLimit, error) {
	var locked []int64
	if err := tx.Raw(`SELECT id FROM registrations WHERE id IN (SELECT registration_id FROM price_edit_requests WHERE id IN ?)
		ORDER BY id FOR UPDATE`, ids).Scan(&locked).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Raw(`SELECT id FROM registration_skus WHERE id IN (SELECT registration_sku_id FROM price_edit_requests WHERE id IN ?)
		ORDER BY id FOR UPDATE`, ids).Scan(&locked).Error; err != nil {
		return nil, nil, err
	}
	var edits []lockedPriceEdit
	if err := tx.Raw(`SELECT e.*, r.campaign_id, c.name AS campaign_name, sh.name AS shop_name, rs.sku_id, s.sku_code,
			rp.tier, rp.status AS product_status, s.retail_price AS retail_now
		FROM price_edit_requests e
		JOIN registrations r ON r.id = e.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN shops sh ON sh.id = e.shop_id
		JOIN registration_skus rs ON rs.id = e.registration_sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN skus s ON s.id = rs.sku_id
		WHERE e.id IN ? ORDER BY e.id FOR UPDATE OF e`, ids).Scan(&edits).Error; err != nil {
		return nil, nil, err
	}
	check := make([]pendingSKU, len(edits))
	for i, e := range edits {
		check[i] = pendingSKU{RegistrationID: e.RegistrationID, CampaignID: e.CampaignID, SKUID: e.SKUID, Tier: e.Tier, RetailNow: e.RetailNow}
	}
	limits, err := NewStore(tx).liveLimits(ctx, check, now)
	if err != nil {
		return nil, nil, err
	}
	return edits, limits, nil
}

// priceEditRefusal says why a locked request cannot take the decision
// now, or "": decided or replaced already, or, for an approval, a product
// no longer in the campaign or a new price above the maximum now.
func priceEditRefusal(tx *gorm.DB, e lockedPriceEdit, limit LiveLimit, decision Decision) (string, error) {
	ev := EditEventApprove
	if decision == DecisionRejected {
		ev = EditEventReject
	}
	if _, err := NextPriceEditStatus(e.Status, ev); err != nil {
		return priceEditClosed(tx, e.PriceEditRequest)
	}
	if decision != DecisionApproved {
		return "", nil
	}
	if e.ProductStatus != ProductRegistered && e.ProductStatus != ProductPending {
		return fmt.Sprintf("The product is no longer in the campaign (%s), so its price cannot change: reject the edit instead.",
			ProductStatusLabel(e.ProductStatus)), nil
	}
	if e.NewPrice.GreaterThan(limit.Max) {
		return fmt.Sprintf("The new price of $%s is above the maximum of $%s now (lookback low $%s), so it cannot be approved: reject it with the reason.",
			e.NewPrice.StringFixed(2), limit.Max.StringFixed(2), limit.Low.StringFixed(2)), nil
	}
	return "", nil
}

// priceEditClosed says why a request is no longer under review: who
// decided it and when, or that the seller replaced or withdrew it.
func priceEditClosed(tx *gorm.DB, e PriceEditRequest) (string, error) {
	switch e.Status {
	case EditApproved, EditRejected:
		var name string
		if e.DecidedBy != nil {
			if err := tx.Raw(`SELECT display_name FROM users WHERE id = ?`, *e.DecidedBy).Scan(&name).Error; err != nil {
				return "", err
			}
		}
		if name == "" || e.DecidedAt == nil {
			return fmt.Sprintf("This price edit request is already %s.", PriceEditStatusLabel(e.Status)), nil
		}
		return fmt.Sprintf("Already decided by %s at %s: %s.", name, e.DecidedAt.UTC().Format("Jan 2, 2006, 3:04 PM MST"),
			PriceEditStatusLabel(e.Status)), nil
	case EditReplaced:
		var newer int64
		if err := tx.Table("price_edit_requests").Where("registration_sku_id = ? AND id > ?", e.RegistrationSKUID, e.ID).
			Count(&newer).Error; err != nil {
			return "", err
		}
		if newer > 0 {
			return "The seller replaced this request by a newer edit.", nil
		}
		return "The seller withdrew this product, which closed the request.", nil
	case EditClosed:
		return "The product left the campaign (withdrawn, rejected or sent back to the draft), which closed the request.", nil
	}
	return fmt.Sprintf("This price edit request is already %s.", PriceEditStatusLabel(e.Status)), nil
}

// decidePriceEdit writes one decision on a locked request that can take
// it. Approving sets the campaign price and raises the SKU's stored
// maximum to today's when today's is higher, so the registration's rule
// (price at or below max_price, checked at commit) holds.
func decidePriceEdit(tx *gorm.DB, reviewerID int64, e lockedPriceEdit, limit LiveLimit, decision Decision, reasonCode, reasonText string, now time.Time) error {
	ev, sellerReason := EditEventApprove, ""
	if decision == DecisionRejected {
		ev, sellerReason = EditEventReject, DecisionReasonText(reasonCode, reasonText)
	}
	to, err := NextPriceEditStatus(e.Status, ev)
	if err != nil {
		return err
	}
	if to == EditApproved {
		if err := tx.Exec(`UPDATE registration_skus SET campaign_price = ?, max_price = GREATEST(max_price, ?), updated_at = ? WHERE id = ?`,
			e.NewPrice, limit.Max, now, e.RegistrationSKUID).Error; err != nil {
			return err
		}
	}
	// reason_text keeps what the seller reads (the reason's label and the
	// reviewer's words); reason_code keeps the standard reason.
	res := tx.Exec(`UPDATE price_edit_requests SET status = ?, decided_at = ?, decided_by = ?, reason_code = ?, reason_text = ?
		WHERE id = ? AND status = 'under_review'`, to, now, reviewerID, reasonCode, sellerReason, e.ID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return &ConflictError{Message: "This price edit request is no longer under review."}
	}
	title := fmt.Sprintf("Price edit approved: SKU %s", e.SKUCode)
	body := fmt.Sprintf("%s: the campaign price is now $%s (was $%s).", e.CampaignName, e.NewPrice.StringFixed(2), e.OldPrice.StringFixed(2))
	if to == EditRejected {
		title = fmt.Sprintf("Price edit rejected: SKU %s", e.SKUCode)
		body = fmt.Sprintf("%s: the edit to $%s was rejected and the campaign price is unchanged. %s", e.CampaignName,
			e.NewPrice.StringFixed(2), sellerReason)
	}
	if err := settleOverdueNotices(tx, fmt.Sprintf("overdue-price-edit-%d", e.ID), now); err != nil {
		return err
	}
	return NotifyShop(tx, e.ShopID, NotifyPriceEditDecision, title, body, SellerSKULink(e.RegistrationID, e.RegistrationSKUID),
		fmt.Sprintf("price-edit-decision-%d", e.ID))
}
