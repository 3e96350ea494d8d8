package models

import (
	"context"

	"gorm.io/gorm"
)

// RegistrationETag is the version of a shop's registration as the seller
// API states it (ETag; If-Match on writes): a SHA-256 over the
// registration's seller-facing columns and every row of its products, SKUs
// and price edits, in one statement. Any change to any of them, through
// the screens or the API, changes it; the periodic price check (which
// only notes a count for reviewers) does not. Another shop's registration
// is ErrNotFound. Call it inside the write's transaction, after locking
// the registration, to compare with If-Match.
func RegistrationETag(db *gorm.DB, shopID, regID int64) (string, error) {
	var tag *string
	err := db.Raw(`
		SELECT encode(sha256(convert_to(
			(SELECT concat_ws('|', r.id, r.status, r.campaign_version, r.submitted_at, r.coupons_accepted_at,
				r.decided_at, r.decided_by, r.decision_reason) FROM registrations r WHERE r.id = @reg AND r.shop_id = @shop)
			|| coalesce((SELECT string_agg(rp::text, ',' ORDER BY rp.id) FROM registration_products rp WHERE rp.registration_id = @reg), '')
			|| coalesce((SELECT string_agg(rs::text, ',' ORDER BY rs.id) FROM registration_skus rs WHERE rs.registration_id = @reg), '')
			|| coalesce((SELECT string_agg(pe::text, ',' ORDER BY pe.id) FROM price_edit_requests pe WHERE pe.registration_id = @reg), ''),
			'UTF8')), 'hex')`, map[string]any{"reg": regID, "shop": shopID}).Scan(&tag).Error
	if err != nil {
		return "", err
	}
	if tag == nil || len(*tag) < 32 {
		return "", ErrNotFound
	}
	return `"` + (*tag)[:32] + `"`, nil
}

// SellerRegistrationETag is RegistrationETag on the store's connection.
func (s *Store) SellerRegistrationETag(ctx context.Context, shopID, regID int64) (string, error) {
	return RegistrationETag(s.db.WithContext(ctx), shopID, regID)
}
