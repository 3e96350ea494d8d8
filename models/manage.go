package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PriceEditRequest is a proposed new campaign price for a registered SKU.
type PriceEditRequest struct {
	ID                int64
	RegistrationID    int64
	RegistrationSKUID int64 `gorm:"column:registration_sku_id"`
	ShopID            int64
	OldPrice          decimal.Decimal
	NewPrice          decimal.Decimal
	MaxPrice          decimal.Decimal
	Status            PriceEditStatus
	SubmittedAt       time.Time
	DueAt             time.Time
	SubmittedBy       int64
	DecidedAt         *time.Time
	DecidedBy         *int64
	ReasonCode        string
	ReasonText        string
}

// ManagedSKU is a SKU row on the Manage page.
type ManagedSKU struct {
	RegistrationSKU
	SKUCode     string `gorm:"column:sku_code"`
	Attributes  string
	OpenEdit    *PriceEditRequest `gorm:"-"`
	LastDecided *PriceEditRequest `gorm:"-"`
}

// ManagedProduct is a product on the Manage page.
type ManagedProduct struct {
	RegistrationProduct
	DecisionCode string `gorm:"column:decision_code"` // the reviewer's standard reason of a rejection
	PID          string `gorm:"column:pid"`
	Title        string
	SKUs         []ManagedSKU `gorm:"-"`
	// OpenWithdrawal is the product's withdrawal request waiting for a
	// reviewer, if any.
	OpenWithdrawal *Withdrawal `gorm:"-"`
}

// ManageView is the Manage page of a registration.
type ManageView struct {
	Registration Registration
	Campaign     Campaign
	Products     []ManagedProduct
	Counts       map[ProductStatus]int
	SKUsOut      int // SKUs a reviewer kept out of products in the campaign
	Withdrawals  []Withdrawal
}

// Withdrawal records a withdrawal: when it was asked and, once approved,
// when it took effect (the approval instant; fees stop from it).
type Withdrawal struct {
	ID                    int64
	RegistrationProductID int64
	Kind                  string
	Status                WithdrawalStatus
	RequestedAt           time.Time
	EffectiveAt           *time.Time // approved at
	DecidedAt             *time.Time // declined or cancelled at
	DecidedBy             *int64
	DecisionReason        string
	Title                 string
	DeciderName           string
}

// EditLockedError refuses a price edit while a co-funded registration or
// product is under review.
type EditLockedError struct{ Reason string }

func (e *EditLockedError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrConflict) true.
func (e *EditLockedError) Is(target error) bool { return target == ErrConflict }

// EditLock says why a SKU's campaign price cannot be edited now, or "".
// The lock is per product: for co-funded campaigns a product's prices wait
// while that product is under review ("edits can only be made once the
// product status changes to Approved"); the registration's other products,
// already approved, stay editable.
func EditLock(c Campaign, product RegistrationProduct) string {
	switch product.Status {
	case ProductPending:
		if c.CoFunded() {
			return "Under review: this campaign has co-funded coupons, so this product's prices can be edited once the reviewer approves it."
		}
		return ""
	case ProductRegistered:
		return ""
	case ProductSKUError:
		return "This product is in SKU error: withdraw and register it again to set prices."
	}
	return "Only products in the campaign can have their price edited."
}

// EditPriceLimit is the highest price an edit of a registered SKU may ask
// for now: the tier's rule on the SKU's lowest price of the lookback days
// up to now (today's retail price when it had none), as at submit and in
// review. The edit pop-up shows it and RequestPriceEdit checks it.
func (s *Store) EditPriceLimit(ctx context.Context, c Campaign, tier Tier, skuID int64, now time.Time) (PriceLimit, error) {
	lows, err := s.LookbackLows(ctx, []int64{skuID}, c.LookbackDays, now)
	if err != nil {
		return PriceLimit{}, err
	}
	low := lows[skuID].Price
	if !low.IsPositive() {
		if err := s.db.WithContext(ctx).Raw(`SELECT retail_price FROM skus WHERE id = ?`, skuID).Row().Scan(&low); err != nil {
			return PriceLimit{}, err
		}
	}
	return c.Rule(tier).PriceLimit(low, c.LookbackDays), nil
}

// skusOutKey keys, in Manage's count query, the row of SKUs kept out; it
// is no product status.
const skusOutKey ProductStatus = "(skus kept out)"

// Manage loads a shop's registration with its submitted products, SKUs,
// open price edit requests and withdrawals; filter keeps one status.
func (s *Store) Manage(ctx context.Context, shopID, regID int64, filter ProductStatus) (ManageView, error) {
	var v ManageView
	db := s.db.WithContext(ctx)
	err := db.Where("id = ? AND shop_id = ?", regID, shopID).Take(&v.Registration).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, err
	}
	if v.Campaign, err = s.CampaignWithRules(ctx, v.Registration.CampaignID); err != nil {
		return v, err
	}
	var counts []struct {
		Status ProductStatus
		N      int
	}
	// The products by status, and (one more row, keyed skusOutKey) the SKUs
	// a reviewer kept out of products in the campaign: one statement.
	if err := db.Raw(`SELECT status, count(*) AS n FROM registration_products WHERE registration_id = ? AND status <> 'draft' GROUP BY status
		UNION ALL SELECT ?, count(*) FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rs.rejected_at IS NOT NULL AND rp.status IN ('registered', 'sku_error')`, regID, skusOutKey, regID).
		Scan(&counts).Error; err != nil {
		return v, err
	}
	v.Counts = map[ProductStatus]int{}
	for _, c := range counts {
		if c.Status == skusOutKey {
			v.SKUsOut = c.N
			continue
		}
		v.Counts[c.Status] = c.N
	}
	q := db.Table("registration_products rp").Select("rp.*, p.pid, p.title").Joins("JOIN products p ON p.id = rp.product_id").
		Where("rp.registration_id = ? AND rp.shop_id = ? AND rp.status <> 'draft'", regID, shopID)
	if filter != "" {
		q = q.Where("rp.status = ?", filter)
	}
	if err := q.Order("rp.status = 'sku_error' DESC, p.title, rp.id").Scan(&v.Products).Error; err != nil {
		return v, err
	}
	if len(v.Products) == 0 {
		return v, s.loadWithdrawals(ctx, &v)
	}
	idx := map[int64]int{}
	ids := make([]int64, len(v.Products))
	for i, p := range v.Products {
		idx[p.ID], ids[i] = i, p.ID
	}
	var skus []ManagedSKU
	if err := db.Table("registration_skus rs").Select("rs.*, s.sku_code, s.attributes").Joins("JOIN skus s ON s.id = rs.sku_id").
		Where("rs.registration_product_id IN ?", ids).Order("s.id").Scan(&skus).Error; err != nil {
		return v, err
	}
	var edits []PriceEditRequest
	if err := db.Where("registration_id = ? AND status NOT IN ('replaced', 'closed')", regID).Order("submitted_at").Find(&edits).Error; err != nil {
		return v, err
	}
	for i := range skus {
		for j := range edits {
			e := edits[j]
			if e.RegistrationSKUID != skus[i].ID {
				continue
			}
			if e.Status == EditUnderReview {
				skus[i].OpenEdit = &e
			} else {
				skus[i].LastDecided = &e
			}
		}
		p := &v.Products[idx[skus[i].RegistrationProductID]]
		p.SKUs = append(p.SKUs, skus[i])
	}
	return v, s.loadWithdrawals(ctx, &v)
}

func (s *Store) loadWithdrawals(ctx context.Context, v *ManageView) error {
	if err := s.db.WithContext(ctx).Raw(`SELECT w.id, w.registration_product_id, w.kind, w.status, w.requested_at, w.effective_at,
			w.decided_at, w.decided_by, w.decision_reason, p.title, coalesce(u.display_name, '') AS decider_name
		FROM withdrawals w JOIN registration_products rp ON rp.id = w.registration_product_id JOIN products p ON p.id = rp.product_id
		LEFT JOIN users u ON u.id = w.decided_by
		WHERE w.registration_id = ? ORDER BY w.requested_at DESC, w.id DESC`, v.Registration.ID).Scan(&v.Withdrawals).Error; err != nil {
		return err
	}
	for i := range v.Withdrawals {
		w := &v.Withdrawals[i]
		if w.Status != WithdrawalRequested {
			continue
		}
		for j := range v.Products {
			if v.Products[j].ID == w.RegistrationProductID {
				v.Products[j].OpenWithdrawal = w
			}
		}
	}
	return nil
}

// PriceEditInput is a seller's edit from the pop-up, with what the form
// showed, so an edit made from a stale tab is refused, not lost.
type PriceEditInput struct {
	NewPrice        decimal.Decimal
	ExpectedPrice   decimal.Decimal // the campaign price the form showed
	ExpectedRequest int64           // the open request the form showed (0: none)
}

// ConflictPriceChanged is the conflict of a price edit made from a stale
// view: the campaign price or the open edit changed since it was read.
const ConflictPriceChanged = "price_changed"

// RequestPriceEdit creates a price edit request for a registered SKU. A
// newer edit replaces the open one. It is refused while a co-funded
// registration or product is under review, above the rule's maximum (from
// today's lookback low), and when the price changed since the form was
// opened (another tab).
func (s *Store) RequestPriceEdit(ctx context.Context, shopID, userID, regID, rsID int64, in PriceEditInput, now time.Time) (PriceEditRequest, error) {
	var out PriceEditRequest
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		var sku RegistrationSKU
		err = tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND registration_id = ? AND shop_id = ?", rsID, regID, shopID).Take(&sku).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var rp RegistrationProduct
		if err := tx.Where("id = ?", sku.RegistrationProductID).Take(&rp).Error; err != nil {
			return err
		}
		if why := EditLock(c, rp); why != "" {
			return &EditLockedError{Reason: why}
		}
		if sku.KeptOut() {
			return &EditLockedError{Reason: "The reviewer did not register this SKU: " + sku.RejectionReason}
		}
		if why, err := withdrawalEditLock(tx, rp.ID); err != nil || why != "" {
			if err != nil {
				return err
			}
			return &EditLockedError{Reason: why}
		}
		var open PriceEditRequest
		hasOpen := true
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("registration_sku_id = ? AND status = 'under_review'", sku.ID).
			Take(&open).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			hasOpen = false
		} else if err != nil {
			return err
		}
		current := sku.CampaignPrice.Decimal
		if !current.Equal(in.ExpectedPrice) || (hasOpen && open.ID != in.ExpectedRequest) || (!hasOpen && in.ExpectedRequest != 0) {
			msg := fmt.Sprintf("The price changed while you were editing: it is now $%s", current.StringFixed(2))
			if hasOpen {
				msg += fmt.Sprintf(", with an edit to $%s under review", open.NewPrice.StringFixed(2))
			}
			return &ConflictError{Message: msg + ". Review it and edit again if needed.", Code: ConflictPriceChanged}
		}
		limit, err := s.on(tx).EditPriceLimit(ctx, c, rp.Tier, sku.SKUID, now)
		if err != nil {
			return err
		}
		maxPrice := limit.Max
		v := &ValidationError{}
		_, ferr := ParsePrice(in.NewPrice.String())
		if ferr == nil {
			ferr = CheckCampaignPrice(in.NewPrice, limit)
		}
		switch {
		case ferr != nil:
			v.AddRule("price", ferr)
		case in.NewPrice.Equal(current):
			v.AddRule("price", &FieldError{Code: CodePriceUnchanged, Message: "That is the current campaign price."})
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		if hasOpen {
			if _, err := NextPriceEditStatus(open.Status, EditEventReplace); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE price_edit_requests SET status = 'replaced' WHERE id = ?`, open.ID).Error; err != nil {
				return err
			}
		}
		out = PriceEditRequest{RegistrationID: regID, RegistrationSKUID: sku.ID, ShopID: shopID, OldPrice: current,
			NewPrice: in.NewPrice.Round(2), MaxPrice: maxPrice, Status: EditUnderReview, SubmittedAt: now,
			DueAt: ReviewDueAt(now), SubmittedBy: userID}
		return tx.Create(&out).Error
	})
	return out, err
}

// WithdrawKind says what a withdrawal takes out.
type WithdrawKind string

const (
	WithdrawProduct  WithdrawKind = "product"  // one product leaves the campaign
	WithdrawCampaign WithdrawKind = "campaign" // every product leaves (bulk withdraw)
	WithdrawDiscount WithdrawKind = "discount" // only the extra discount goes; the product stays
)

// WithdrawResult says what a withdrawal did: products (or discounts)
// withdrawn at once, and requests made for a reviewer.
type WithdrawResult struct {
	Withdrawn int
	Requested int
	IDs       []int64 // the withdrawals made, in product order
}

// Withdraw takes products (or their extra discount) out of a registration
// in one transaction. Without withdrawal review (the campaign's setting)
// a withdrawal is approved at the instant it is asked, both moments
// recorded, since orders placed before it keep their fee. With it, a
// withdrawal of a registered product is a request (withdrawals.status
// 'requested'): the product stays registered and pays fees until a
// reviewer approves it. Products under review or in SKU error pay no fee,
// so they leave at once either way. A product has at most one open
// request: asking again is refused, a whole-campaign withdrawal skips
// products already asked for, and withdrawing a product replaces (cancels)
// its open discount-only request. Open price edits of withdrawn products
// are closed.
func (s *Store) Withdraw(ctx context.Context, shopID, userID, regID int64, kind WithdrawKind, rpIDs []int64, now time.Time) (WithdrawResult, error) {
	var out WithdrawResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		out = WithdrawResult{}
		_, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		q := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("registration_id = ? AND shop_id = ?", regID, shopID).Order("id")
		switch kind {
		case WithdrawCampaign:
			q = q.Where("status IN ('pending', 'registered', 'sku_error')")
		case WithdrawProduct, WithdrawDiscount:
			if len(rpIDs) == 0 {
				return &ValidationError{Fields: map[string]string{"products": "Select the products to withdraw."}}
			}
			q = q.Where("id IN ?", rpIDs)
		default:
			return &ValidationError{Fields: map[string]string{"kind": "Choose what to withdraw."}}
		}
		var rps []RegistrationProduct
		if err := q.Find(&rps).Error; err != nil {
			return err
		}
		if kind != WithdrawCampaign && len(rps) != len(uniqueIDs(rpIDs, func(x int64) int64 { return x })) {
			return ErrNotFound
		}
		open, err := openWithdrawals(tx, rps)
		if err != nil {
			return err
		}
		skipped := 0
		for _, rp := range rps {
			pending, hasOpen := open[rp.ID]
			if kind == WithdrawDiscount {
				if !rp.ExtraDiscountPct.Valid {
					return &ConflictError{Message: "This product has no extra discount to withdraw."}
				}
				if rp.Status != ProductRegistered && rp.Status != ProductPending {
					return &ConflictError{Message: "Only a product in the campaign has an extra discount to withdraw."}
				}
			}
			if hasOpen {
				if kind == WithdrawCampaign && pending.Kind != string(WithdrawDiscount) {
					skipped++
					continue
				}
				if kind == WithdrawDiscount || pending.Kind != string(WithdrawDiscount) {
					return &ConflictError{Message: fmt.Sprintf("A withdrawal of this product (%s) is already requested, since %s UTC: wait for the reviewer or cancel the request first.",
						strings.ToLower(WithdrawalKindLabel(pending.Kind)), pending.RequestedAt.UTC().Format("Jan 2, 2006 15:04:05"))}
				}
				// Withdrawing the product takes its discount with it.
				if err := tx.Exec(`UPDATE withdrawals SET status = 'cancelled', decided_at = ?, decided_by = ? WHERE id = ? AND status = 'requested'`,
					now, userID, pending.ID).Error; err != nil {
					return err
				}
			}
			if c.WithdrawalReview && rp.Status == ProductRegistered {
				var id int64
				if err := tx.Raw(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, status, requested_at,
						requested_by, previous_extra_discount) VALUES (?, ?, ?, ?, 'requested', ?, ?, ?) RETURNING id`,
					regID, rp.ID, shopID, string(kind), now, userID, rp.ExtraDiscountPct).Scan(&id).Error; err != nil {
					return err
				}
				out.Requested++
				out.IDs = append(out.IDs, id)
				continue
			}
			if err := applyWithdrawal(tx, rp, kind, now); err != nil {
				return err
			}
			var id int64
			if err := tx.Raw(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at,
					requested_by, previous_extra_discount) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				regID, rp.ID, shopID, string(kind), now, now, userID, rp.ExtraDiscountPct).Scan(&id).Error; err != nil {
				return err
			}
			out.Withdrawn++
			out.IDs = append(out.IDs, id)
		}
		if kind == WithdrawCampaign && out.Withdrawn+out.Requested == 0 {
			if skipped > 0 {
				return &ConflictError{Message: "Every product in the campaign already has a withdrawal requested: the reviewer decides them."}
			}
			return &ConflictError{Message: "No product is in the campaign to withdraw."}
		}
		return refreshRegistrationStatus(tx, regID)
	})
	return out, err
}

// applyWithdrawal takes a locked product (or its extra discount) out of
// the campaign now. Open price edits of a withdrawn product are closed.
func applyWithdrawal(tx *gorm.DB, rp RegistrationProduct, kind WithdrawKind, now time.Time) error {
	if kind == WithdrawDiscount {
		return tx.Exec(`UPDATE registration_products SET extra_discount_pct = NULL, updated_at = now() WHERE id = ?`, rp.ID).Error
	}
	to, err := NextProductStatus(rp.Status, EventWithdraw)
	if err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE registration_products SET status = ?, withdrawn_at = ?, updated_at = now() WHERE id = ?`,
		to, now, rp.ID).Error; err != nil {
		return err
	}
	return tx.Exec(`UPDATE price_edit_requests SET status = 'closed' WHERE status = 'under_review'
		AND registration_sku_id IN (SELECT id FROM registration_skus WHERE registration_product_id = ?)`, rp.ID).Error
}

// refreshRegistrationStatus keeps the registration's status in step with
// its products: withdrawn when none is left in the campaign.
func refreshRegistrationStatus(tx *gorm.DB, regID int64) error {
	return tx.Exec(`UPDATE registrations r SET status = 'withdrawn'
		WHERE r.id = ? AND r.status IN ('pending', 'registered')
		  AND NOT EXISTS (SELECT 1 FROM registration_products rp WHERE rp.registration_id = r.id
		                  AND rp.status IN ('pending', 'registered', 'sku_error', 'draft'))`, regID).Error
}

// ResolveSKUError withdraws a product in SKU error and puts it back in the
// registration's draft with its SKUs as they are now: SKUs whose price is
// still valid keep it; new or changed SKUs ask for a price. Refused after
// the deadline. The registration's other products are left as they were.
// Open price edits of the product are closed; they are returned (and told
// in a notification) so the seller knows which to ask for again. All of it
// is one transaction.
func (s *Store) ResolveSKUError(ctx context.Context, shop Shop, userID, regID, rpID int64, now time.Time) ([]ClosedEdit, error) {
	var closed []ClosedEdit
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, c, err := s.lockRegistration(tx, shop.ID, regID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, now); err != nil {
			return err
		}
		var rp RegistrationProduct
		err = tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND registration_id = ? AND shop_id = ?", rpID, reg.ID, shop.ID).Take(&rp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if rp.Status != ProductSKUError {
			return &ConflictError{Message: "This product is not in SKU error."}
		}
		if _, err := NextProductStatus(rp.Status, EventWithdraw); err != nil {
			return err
		}
		// The product leaves now (it pays no fee since its SKU error), which
		// ends any withdrawal request of it still waiting for a reviewer.
		if err := tx.Exec(`UPDATE withdrawals SET status = 'cancelled', decided_at = ?, decided_by = ?
			WHERE registration_product_id = ? AND status = 'requested'`, now, userID, rp.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at, requested_by)
			VALUES (?, ?, ?, 'sku_error', ?, ?, ?)`, reg.ID, rp.ID, shop.ID, now, now, userID).Error; err != nil {
			return err
		}
		// Back to a draft: SKUs that changed (new version) or were deleted
		// lose their row; unchanged ones keep their price and stock.
		if err := tx.Exec(`DELETE FROM registration_skus rs USING skus s WHERE rs.registration_product_id = ? AND s.id = rs.sku_id
			AND (s.deleted_at IS NOT NULL OR s.version <> rs.sku_version)`, rp.ID).Error; err != nil {
			return err
		}
		if err := tx.Raw(`WITH c AS (UPDATE price_edit_requests e SET status = 'closed' WHERE e.status = 'under_review'
				AND e.registration_sku_id IN (SELECT id FROM registration_skus WHERE registration_product_id = ?)
				RETURNING e.registration_sku_id, e.new_price)
			SELECT s.sku_code, c.new_price FROM c JOIN registration_skus rs ON rs.id = c.registration_sku_id
			JOIN skus s ON s.id = rs.sku_id ORDER BY s.sku_code`, rp.ID).Scan(&closed).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE registration_products SET status = 'draft', sku_error_at = NULL, sku_error_reason = '',
			withdrawn_at = NULL, updated_at = now() WHERE id = ?`, rp.ID).Error; err != nil {
			return err
		}
		if err := refreshRegistrationStatus(tx, reg.ID); err != nil {
			return err
		}
		if len(closed) > 0 {
			if err := NotifyShop(tx, shop.ID, NotifyPriceEditDecision, "Price edits closed in "+c.Name,
				"Registering the product again closed "+ClosedEditsText(closed)+". Set the prices in the draft, then submit.",
				SellerRegisterLink(c.ID), fmt.Sprintf("edits-closed-%d-%d", rp.ID, now.Unix())); err != nil {
				return err
			}
		}
		// The product's current SKUs go back in the draft (new ones
		// without a price), in the same transaction (a savepoint).
		_, err = s.on(tx).AddToDraft(ctx, shop.ID, regID, []DraftItem{{ProductID: rp.ProductID}}, SourcePick, now)
		return err
	})
	return closed, err
}

// ClosedEdit is an open price edit that re-registering its product closed.
type ClosedEdit struct {
	SKUCode  string `gorm:"column:sku_code"`
	NewPrice decimal.Decimal
}

// ClosedEditsText names closed edits in a sentence: "the price edit of
// LAMP-1 to $27.00".
func ClosedEditsText(edits []ClosedEdit) string {
	parts := make([]string, len(edits))
	for i, e := range edits {
		parts[i] = e.SKUCode + " to $" + e.NewPrice.StringFixed(2)
	}
	if len(edits) == 1 {
		return "the price edit of " + parts[0]
	}
	return "the price edits of " + strings.Join(parts, ", ")
}
