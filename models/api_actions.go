package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// The seller API names things as a seller's own tool knows them (SKU IDs,
// PIDs); the screens' functions take the registration's row ids. These
// look-ups turn one into the other, always within the shop's registration:
// another shop's SKU or product reads like a missing one (ErrNotFound).

// RegistrationSKUByCode is the id of the registration's SKU with that SKU
// ID (the seller's code), among the products submitted (not the draft's).
func (s *Store) RegistrationSKUByCode(ctx context.Context, shopID, regID int64, code string) (int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Raw(`SELECT rs.id FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rs.shop_id = ? AND rp.status <> 'draft' AND s.sku_code = ?`, regID, shopID, code).
		Scan(&ids).Error; err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// RegistrationProductsByPID are the ids of the registration's submitted
// products with those PIDs, in the order given; missing lists the indexes
// of PIDs that name no submitted product of the registration.
func (s *Store) RegistrationProductsByPID(ctx context.Context, shopID, regID int64, pids []string) (ids []int64, missing []int, err error) {
	var rows []struct {
		ID  int64
		PID string `gorm:"column:pid"`
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT rp.id, p.pid FROM registration_products rp JOIN products p ON p.id = rp.product_id
		WHERE rp.registration_id = ? AND rp.shop_id = ? AND rp.status <> 'draft' AND p.pid IN ?`, regID, shopID, pids).
		Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	byPID := map[string]int64{}
	for _, r := range rows {
		byPID[r.PID] = r.ID
	}
	for i, pid := range pids {
		id, ok := byPID[pid]
		if !ok {
			missing = append(missing, i)
			continue
		}
		ids = append(ids, id)
	}
	return ids, missing, nil
}

// ShopPriceEdit is one price edit request of the shop's registration,
// whatever its status, with its SKU's code.
func (s *Store) ShopPriceEdit(ctx context.Context, shopID, regID, id int64) (PriceEditRequest, string, error) {
	var e PriceEditRequest
	err := s.db.WithContext(ctx).Where("id = ? AND registration_id = ? AND shop_id = ?", id, regID, shopID).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, "", ErrNotFound
	}
	if err != nil {
		return e, "", err
	}
	var code string
	err = s.db.WithContext(ctx).Raw(`SELECT s.sku_code FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id WHERE rs.id = ?`,
		e.RegistrationSKUID).Row().Scan(&code)
	return e, code, err
}

// WithdrawalRecord is a withdrawal of the shop's registration as the seller
// API shows it: the product by PID, both instants, the status.
type WithdrawalRecord struct {
	ID                    int64
	RegistrationProductID int64
	PID                   string `gorm:"column:pid"`
	Title                 string
	Kind                  string
	Status                WithdrawalStatus
	RequestedAt           time.Time
	EffectiveAt           *time.Time
	DecidedAt             *time.Time
	DecisionReason        string
}

// ShopWithdrawals lists the withdrawals of the shop's registration, newest
// first (the Manage page's history); ids, when given, keeps those.
func (s *Store) ShopWithdrawals(ctx context.Context, shopID, regID int64, ids []int64) ([]WithdrawalRecord, error) {
	var out []WithdrawalRecord
	q := s.db.WithContext(ctx).Table("withdrawals w").
		Select("w.id, w.registration_product_id, p.pid, p.title, w.kind, w.status, w.requested_at, w.effective_at, w.decided_at, w.decision_reason").
		Joins("JOIN registration_products rp ON rp.id = w.registration_product_id").Joins("JOIN products p ON p.id = rp.product_id").
		Where("w.registration_id = ? AND w.shop_id = ?", regID, shopID)
	if ids != nil {
		q = q.Where("w.id IN ?", ids)
	}
	err := q.Order("w.requested_at DESC, w.id DESC").Scan(&out).Error
	return out, err
}

// ShopRecommendation is one recommendation of the shop's registration as
// the Submitted page shows it, whatever its product's status now.
func (s *Store) ShopRecommendation(ctx context.Context, shopID, regID, id int64) (Recommendation, error) {
	var out []Recommendation
	if err := s.db.WithContext(ctx).Raw(`SELECT pr.id, pr.kind, pr.price, pr.status, pr.final_price, s.sku_code, p.title, rp.tier,
			rs.campaign_price, rs.max_price
		FROM price_recommendations pr
		JOIN registration_skus rs ON rs.id = pr.registration_sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN skus s ON s.id = rs.sku_id JOIN products p ON p.id = rp.product_id
		WHERE pr.id = ? AND pr.registration_id = ? AND rs.shop_id = ?`, id, regID, shopID).Scan(&out).Error; err != nil {
		return Recommendation{}, err
	}
	if len(out) == 0 {
		return Recommendation{}, ErrNotFound
	}
	return out[0], nil
}
