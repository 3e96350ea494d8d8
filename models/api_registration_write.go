package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ErrStaleVersion is a write whose If-Match names an older version of the
// registration than the stored one.
var ErrStaleVersion = errors.New("the registration changed since that version was read")

// WithRegistrationMatch runs fn in one transaction with the shop's
// registration locked: when ifMatch is not nil, the registration's
// version (RegistrationETag) must satisfy it, or nothing runs
// (ErrStaleVersion). fn gets a store on the transaction, so the screens'
// own functions it calls (AddToDraft, ApplyBulk, SubmitDraft…) commit or
// roll back with the check. It returns the version after fn.
func (s *Store) WithRegistrationMatch(ctx context.Context, shopID, regID int64, ifMatch func(etag string) bool,
	fn func(tx *Store) error) (string, error) {
	var etag string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, _, err := s.lockRegistration(tx, shopID, regID); err != nil {
			return err
		}
		if ifMatch != nil {
			before, err := RegistrationETag(tx, shopID, regID)
			if err != nil {
				return err
			}
			if !ifMatch(before) {
				return ErrStaleVersion
			}
		}
		if err := fn(s.on(tx)); err != nil {
			return err
		}
		var err error
		etag, err = RegistrationETag(tx, shopID, regID)
		return err
	})
	return etag, err
}

// CatalogueRef names a product of the shop by PID, or one SKU by its SKU
// ID (and optionally its PID), as a seller's own tool knows them.
type CatalogueRef struct {
	PID     string
	SKUCode string
}

// ResolveCatalogueRefs turns references into draft items: a PID alone is
// every live SKU of the product, a SKU ID is that SKU. Another shop's PID
// or SKU reads like an unknown one; missing lists the indexes of refs
// that name nothing of the shop (or a SKU of another PID than given).
func (s *Store) ResolveCatalogueRefs(ctx context.Context, shopID int64, refs []CatalogueRef) (items []DraftItem, missing []int, err error) {
	var pids, codes []string
	for _, r := range refs {
		if r.PID != "" {
			pids = append(pids, r.PID)
		}
		if r.SKUCode != "" {
			codes = append(codes, r.SKUCode)
		}
	}
	products := map[string]int64{}
	if len(pids) > 0 {
		var found []Product
		if err := s.db.WithContext(ctx).Select("id, pid").Where("shop_id = ? AND pid IN ?", shopID, pids).Find(&found).Error; err != nil {
			return nil, nil, err
		}
		for _, p := range found {
			products[p.PID] = p.ID
		}
	}
	type skuRef struct {
		ID        int64
		ProductID int64
		PID       string `gorm:"column:pid"`
		SKUCode   string `gorm:"column:sku_code"`
	}
	skus := map[string]skuRef{}
	if len(codes) > 0 {
		var found []skuRef
		if err := s.db.WithContext(ctx).Raw(`SELECT s.id, s.product_id, p.pid, s.sku_code FROM skus s JOIN products p ON p.id = s.product_id
			WHERE s.shop_id = ? AND p.shop_id = ? AND s.deleted_at IS NULL AND s.sku_code IN ?`, shopID, shopID, codes).
			Scan(&found).Error; err != nil {
			return nil, nil, err
		}
		for _, f := range found {
			skus[f.SKUCode] = f
		}
	}
	for i, r := range refs {
		switch {
		case r.SKUCode != "":
			sk, ok := skus[r.SKUCode]
			if !ok || (r.PID != "" && r.PID != sk.PID) {
				missing = append(missing, i)
				continue
			}
			items = append(items, DraftItem{ProductID: sk.ProductID, SKUID: sk.ID})
		case r.PID != "":
			id, ok := products[r.PID]
			if !ok {
				missing = append(missing, i)
				continue
			}
			items = append(items, DraftItem{ProductID: id})
		default:
			missing = append(missing, i)
		}
	}
	return items, missing, nil
}

// DraftSKUIDsByCode finds the registration SKU ids of SKU IDs (codes) in
// the shop's draft; one that is not there is ErrNotFound.
func (s *Store) DraftSKUIDsByCode(ctx context.Context, shopID, regID int64, codes []string) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT rs.id FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rs.shop_id = ? AND rp.status = 'draft' AND s.sku_code IN ?`, regID, shopID, codes).
		Scan(&ids).Error
	if err != nil {
		return nil, err
	}
	distinct := map[string]bool{}
	for _, c := range codes {
		distinct[c] = true
	}
	if len(ids) != len(distinct) {
		return nil, ErrNotFound
	}
	return ids, nil
}
