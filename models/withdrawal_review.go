package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WithdrawalStatus is where a withdrawal stands. Without withdrawal review
// every withdrawal is approved when asked.
type WithdrawalStatus string

const (
	WithdrawalRequested WithdrawalStatus = "requested" // waiting for a reviewer; the product still pays fees
	WithdrawalApproved  WithdrawalStatus = "approved"  // took effect at effective_at
	WithdrawalDeclined  WithdrawalStatus = "declined"  // a reviewer said no; the product stays
	WithdrawalCancelled WithdrawalStatus = "cancelled" // the seller took the request back (or the product left otherwise)
)

// WithdrawalStatusLabel is a withdrawal's status in the seller's words.
func WithdrawalStatusLabel(s WithdrawalStatus) string {
	switch s {
	case WithdrawalRequested:
		return "Withdrawal requested"
	case WithdrawalApproved:
		return "Approved"
	case WithdrawalDeclined:
		return "Declined"
	case WithdrawalCancelled:
		return "Cancelled"
	}
	return string(s)
}

// WithdrawalKindLabel names what a withdrawal takes out.
func WithdrawalKindLabel(kind string) string {
	switch kind {
	case string(WithdrawCampaign):
		return "Whole campaign (bulk withdraw)"
	case string(WithdrawDiscount):
		return "Extra discount only"
	case "sku_error":
		return "SKU error: withdrawn to register again"
	}
	return "Product"
}

// WithdrawalDeclineReasons are the standard reasons a reviewer picks when
// declining a withdrawal; the seller reads the label.
var WithdrawalDeclineReasons = []RejectReason{
	{Code: "campaign-commitment", Label: "Products committed to a running campaign stay until it ends"},
	{Code: "coupon-commitment", Label: "Shoppers already claimed coupons for these products"},
	{Code: "incomplete", Label: "The request is unclear or incomplete"},
	{Code: ReasonOther, Label: "Other reason"},
}

// CheckWithdrawalDecision validates a reviewer's decision on a withdrawal
// request: a decline needs a standard reason ("other" needs text), text is
// at most MaxReasonLength characters. It returns what the seller reads.
func CheckWithdrawalDecision(d Decision, reasonCode, reasonText string) (string, error) {
	v := &ValidationError{}
	text := strings.TrimSpace(reasonText)
	label := ""
	switch d {
	case DecisionApproved:
	case DecisionRejected:
		for _, r := range WithdrawalDeclineReasons {
			if r.Code == reasonCode {
				label = r.Label
			}
		}
		switch {
		case reasonCode == "":
			v.Add("reason_code", "Choose a reason for declining: the seller reads it.")
		case label == "":
			v.Add("reason_code", "Choose one of the listed reasons.")
		case reasonCode == ReasonOther && text == "":
			v.Add("reason_text", "Describe the reason: \"Other reason\" needs a few words for the seller.")
		}
	default:
		v.Add("decision", "Choose Approve or Decline.")
	}
	if utf8.RuneCountInString(text) > MaxReasonLength {
		v.Add("reason_text", "Keep it to 1,000 characters or fewer.")
	}
	if err := v.OrNil(); err != nil {
		return "", err
	}
	switch {
	case d == DecisionApproved:
		return "", nil
	case reasonCode == ReasonOther:
		return text, nil
	case text == "":
		return label, nil
	}
	return label + ": " + text, nil
}

// openWithdrawals finds the open requests of locked products, by product.
func openWithdrawals(tx *gorm.DB, rps []RegistrationProduct) (map[int64]Withdrawal, error) {
	out := map[int64]Withdrawal{}
	if len(rps) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rps))
	for i, rp := range rps {
		ids[i] = rp.ID
	}
	var ws []Withdrawal
	if err := tx.Raw(`SELECT id, registration_product_id, kind, status, requested_at FROM withdrawals
		WHERE registration_product_id IN ? AND status = 'requested' ORDER BY id FOR UPDATE`, ids).Scan(&ws).Error; err != nil {
		return nil, err
	}
	for _, w := range ws {
		out[w.RegistrationProductID] = w
	}
	return out, nil
}

// WithdrawalEditLockText is why a product's prices cannot be edited while
// its withdrawal waits for a reviewer.
const WithdrawalEditLockText = "Withdrawal requested: prices stay as they are until the reviewer decides. Cancel the request to edit them."

// withdrawalEditLock says why a product's prices are locked by an open
// withdrawal of the product (not of its discount only), or "".
func withdrawalEditLock(tx *gorm.DB, rpID int64) (string, error) {
	var n int64
	if err := tx.Table("withdrawals").Where("registration_product_id = ? AND status = 'requested' AND kind <> 'discount'", rpID).
		Count(&n).Error; err != nil {
		return "", err
	}
	if n > 0 {
		return WithdrawalEditLockText, nil
	}
	return "", nil
}

// lockedWithdrawal is a withdrawal under lock, with what deciding it needs.
type lockedWithdrawal struct {
	Withdrawal
	ShopID         int64
	RegistrationID int64
	CampaignName   string
	ProductStatus  ProductStatus
}

// lockWithdrawal locks a withdrawal with its registration and product, in
// the order the seller's withdrawals and edits take them (registration,
// product, withdrawal), so a decision, a cancel and a new withdrawal
// cannot deadlock. shopID > 0 scopes it to the seller's shop.
func lockWithdrawal(tx *gorm.DB, id, shopID int64) (lockedWithdrawal, error) {
	var w lockedWithdrawal
	var ref struct{ RegistrationID, RegistrationProductID, ShopID int64 }
	if err := tx.Raw(`SELECT registration_id, registration_product_id, shop_id FROM withdrawals WHERE id = ?`, id).Scan(&ref).Error; err != nil {
		return w, err
	}
	if ref.RegistrationID == 0 || (shopID > 0 && ref.ShopID != shopID) {
		return w, ErrNotFound
	}
	if err := tx.Exec(`SELECT 1 FROM registrations WHERE id = ? FOR UPDATE`, ref.RegistrationID).Error; err != nil {
		return w, err
	}
	if err := tx.Exec(`SELECT 1 FROM registration_products WHERE id = ? FOR UPDATE`, ref.RegistrationProductID).Error; err != nil {
		return w, err
	}
	err := tx.Raw(`SELECT w.id, w.registration_product_id, w.registration_id, w.shop_id, w.kind, w.status, w.requested_at, w.effective_at,
			w.decided_at, w.decided_by, w.decision_reason, p.title, c.name AS campaign_name, rp.status AS product_status,
			coalesce(u.display_name, '') AS decider_name
		FROM withdrawals w
		JOIN registration_products rp ON rp.id = w.registration_product_id
		JOIN products p ON p.id = rp.product_id
		JOIN registrations r ON r.id = w.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		LEFT JOIN users u ON u.id = w.decided_by
		WHERE w.id = ? FOR UPDATE OF w`, id).Scan(&w).Error
	return w, err
}

// withdrawalClosed says why a request is no longer open: who approved,
// declined or cancelled it, and when.
func withdrawalClosed(w lockedWithdrawal) string {
	at := w.DecidedAt
	if w.Status == WithdrawalApproved {
		at = w.EffectiveAt
	}
	when := ""
	if at != nil {
		when = " at " + at.UTC().Format("Jan 2, 2006 15:04:05") + " UTC"
	}
	who := w.DeciderName
	switch {
	case w.Status == WithdrawalCancelled:
		return "The seller cancelled this withdrawal request" + when + "."
	case who == "":
		return fmt.Sprintf("This withdrawal request is already %s.", strings.ToLower(WithdrawalStatusLabel(w.Status)))
	}
	return fmt.Sprintf("Already decided by %s%s: %s.", who, when, strings.ToLower(WithdrawalStatusLabel(w.Status)))
}

// DecideWithdrawal approves or declines a withdrawal request, in one
// transaction under row locks: of two reviewers deciding at once exactly
// one wins and the other is told who decided and when; a request the
// seller cancelled meanwhile is refused as such. Approving takes the
// product (or its extra discount) out now: the approval instant is the
// withdrawal's effective moment, so orders placed from it on pay no fee.
// The shop is notified in the same transaction.
func (s *Store) DecideWithdrawal(ctx context.Context, reviewerID, id int64, decision Decision, reasonCode, reasonText string, now time.Time) error {
	sellerReason, err := CheckWithdrawalDecision(decision, reasonCode, reasonText)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkReviewer(tx, reviewerID); err != nil {
			return err
		}
		w, err := lockWithdrawal(tx, id, 0)
		if err != nil {
			return err
		}
		if w.Status != WithdrawalRequested {
			return &ConflictError{Message: withdrawalClosed(w)}
		}
		title := fmt.Sprintf("Withdrawal approved: %s", w.Title)
		body := fmt.Sprintf("%s: orders placed from %s UTC on pay no campaign fee for it.", w.CampaignName, now.UTC().Format("Jan 2, 2006 15:04:05"))
		if decision == DecisionApproved {
			var rp RegistrationProduct
			if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", w.RegistrationProductID).Take(&rp).Error; err != nil {
				return err
			}
			kind := WithdrawKind(w.Kind)
			if kind == WithdrawDiscount {
				title = fmt.Sprintf("Extra discount withdrawal approved: %s", w.Title)
				body = fmt.Sprintf("%s: the product stays in the campaign at its campaign price, without the extra discount.", w.CampaignName)
			}
			if err := applyWithdrawal(tx, rp, kind, now); err != nil {
				return err
			}
			res := tx.Exec(`UPDATE withdrawals SET status = 'approved', effective_at = ?, decided_by = ? WHERE id = ? AND status = 'requested'`,
				now, reviewerID, w.ID)
			if res.Error != nil {
				return res.Error
			}
			if err := refreshRegistrationStatus(tx, w.RegistrationID); err != nil {
				return err
			}
		} else {
			if err := tx.Exec(`UPDATE withdrawals SET status = 'declined', decided_at = ?, decided_by = ?, decision_code = ?, decision_reason = ?
				WHERE id = ? AND status = 'requested'`, now, reviewerID, reasonCode, sellerReason, w.ID).Error; err != nil {
				return err
			}
			title = fmt.Sprintf("Withdrawal declined: %s", w.Title)
			body = fmt.Sprintf("%s: the product stays in the campaign and keeps paying the campaign fee. %s", w.CampaignName, sellerReason)
		}
		return NotifyShop(tx, w.ShopID, NotifyReviewDecision, title, body, SellerRegistrationLink(w.RegistrationID)+"#withdrawals",
			fmt.Sprintf("withdrawal-decision-%d", w.ID))
	})
}

// CancelWithdrawal takes back a shop's own open withdrawal request. It
// waits for a reviewer deciding the same request (row locks): a request
// approved or declined first is refused, saying who decided it and when.
func (s *Store) CancelWithdrawal(ctx context.Context, shopID, userID, regID, id int64, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		w, err := lockWithdrawal(tx, id, shopID)
		if err != nil {
			return err
		}
		if w.RegistrationID != regID {
			return ErrNotFound
		}
		if w.Status != WithdrawalRequested {
			return &ConflictError{Message: withdrawalClosed(w)}
		}
		return tx.Exec(`UPDATE withdrawals SET status = 'cancelled', decided_at = ?, decided_by = ? WHERE id = ? AND status = 'requested'`,
			now, userID, w.ID).Error
	})
}

// WithdrawalQueueFilter narrows the withdrawal queue.
type WithdrawalQueueFilter struct {
	CampaignID int64
	Shop       string // part of the shop's name
	Kind       string // "" for every kind
	Page       int
}

// WithdrawalQueueRow is one request waiting for a reviewer.
type WithdrawalQueueRow struct {
	ID             int64
	RegistrationID int64
	ShopName       string
	CampaignName   string
	ProductTitle   string
	PID            string `gorm:"column:pid"`
	Kind           string
	ExtraDiscount  decimal.NullDecimal // the discount a discount-only withdrawal takes away
	RequestedAt    time.Time
	RequesterName  string
}

// WithdrawalQueuePage is one page of the queue, with the campaigns that
// have requests (for the filter) and the total matching.
type WithdrawalQueuePage struct {
	Rows      []WithdrawalQueueRow
	Total     int
	Page      int
	Pages     int
	Campaigns []QueueCampaign
}

// WithdrawalQueuePageSize is how many requests a queue page shows.
const WithdrawalQueuePageSize = 50

// WithdrawalQueue lists open withdrawal requests, oldest first, 50 to a
// page: a count and one page over the requests' partial index, whatever
// the queue's length.
func (s *Store) WithdrawalQueue(ctx context.Context, f WithdrawalQueueFilter) (WithdrawalQueuePage, error) {
	var out WithdrawalQueuePage
	db := s.db.WithContext(ctx)
	base := func() *gorm.DB {
		q := db.Table("withdrawals w").
			Joins("JOIN registrations r ON r.id = w.registration_id").
			Joins("JOIN shops sh ON sh.id = w.shop_id").
			Where("w.status = 'requested'")
		if f.CampaignID > 0 {
			q = q.Where("r.campaign_id = ?", f.CampaignID)
		}
		if f.Shop != "" {
			q = q.Where("sh.name ILIKE ?", "%"+escapeLike(f.Shop)+"%")
		}
		if f.Kind != "" {
			q = q.Where("w.kind = ?", f.Kind)
		}
		return q
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return out, err
	}
	out.Total = int(total)
	out.Pages = max(1, (out.Total+WithdrawalQueuePageSize-1)/WithdrawalQueuePageSize)
	out.Page = min(max(f.Page, 1), out.Pages)
	if err := base().Joins("JOIN campaigns c ON c.id = r.campaign_id").
		Joins("JOIN registration_products rp ON rp.id = w.registration_product_id").
		Joins("JOIN products p ON p.id = rp.product_id").
		Joins("JOIN users u ON u.id = w.requested_by").
		Select(`w.id, w.registration_id, sh.name AS shop_name, c.name AS campaign_name, p.title AS product_title, p.pid, w.kind,
			w.previous_extra_discount AS extra_discount, w.requested_at, u.display_name AS requester_name`).
		Order("w.requested_at, w.id").Limit(WithdrawalQueuePageSize).Offset((out.Page - 1) * WithdrawalQueuePageSize).
		Scan(&out.Rows).Error; err != nil {
		return out, err
	}
	err := db.Raw(`SELECT c.id, c.name, count(*) AS pending FROM withdrawals w JOIN registrations r ON r.id = w.registration_id
		JOIN campaigns c ON c.id = r.campaign_id WHERE w.status = 'requested' GROUP BY c.id, c.name ORDER BY c.name`).Scan(&out.Campaigns).Error
	return out, err
}

// WithdrawalDecisionEntry is one decided withdrawal request, for the
// queue's list of recent decisions.
type WithdrawalDecisionEntry struct {
	ID             int64
	ShopName       string
	CampaignName   string
	ProductTitle   string
	Kind           string
	Status         WithdrawalStatus
	RequestedAt    time.Time
	DecidedAt      time.Time
	DecisionReason string
	ReviewerName   string
}

// RecentWithdrawalDecisions lists the latest reviewer decisions on
// withdrawal requests, newest first.
func (s *Store) RecentWithdrawalDecisions(ctx context.Context, limit int) ([]WithdrawalDecisionEntry, error) {
	var out []WithdrawalDecisionEntry
	err := s.db.WithContext(ctx).Raw(`SELECT w.id, sh.name AS shop_name, c.name AS campaign_name, p.title AS product_title, w.kind, w.status,
			w.requested_at, coalesce(w.effective_at, w.decided_at) AS decided_at, w.decision_reason, u.display_name AS reviewer_name
		FROM withdrawals w
		JOIN registrations r ON r.id = w.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN shops sh ON sh.id = w.shop_id
		JOIN registration_products rp ON rp.id = w.registration_product_id
		JOIN products p ON p.id = rp.product_id
		JOIN users u ON u.id = w.decided_by AND u.role = 'reviewer'
		WHERE w.status IN ('approved', 'declined')
		ORDER BY coalesce(w.effective_at, w.decided_at) DESC, w.id DESC
		LIMIT ?`, limit).Scan(&out).Error
	return out, err
}
