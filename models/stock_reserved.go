package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Campaign stock reserved: a SKU's campaign stock under review or
// registered is held against its stock for the campaign's run. Campaigns
// overlap when their runs [start, end) intersect, and at no instant may the
// campaigns running then hold more than the SKU's stock. The database
// function sku_reserved_peak computes the peak, for this code and for the
// constraint trigger that backs it (migration 00021).

// reservedPeaks is, per SKU, the most any instant of campaign c's run has
// reserved by other registrations than exceptReg.
func reservedPeaks(tx *gorm.DB, skuIDs []int64, c Campaign, exceptReg int64) (map[int64]int, error) {
	out := make(map[int64]int, len(skuIDs))
	if len(skuIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		SKUID int64 `gorm:"column:sku_id"`
		Peak  int
	}
	if err := tx.Raw(`SELECT v.id AS sku_id, sku_reserved_peak(v.id, ?, ?, ?) AS peak FROM unnest(?::bigint[]) AS v(id)`,
		c.RunStartsAt, c.RunEndsAt, exceptReg, int64Array(skuIDs)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SKUID] = r.Peak
	}
	return out, nil
}

// lockSKUs takes the SKUs' row locks in id order, so two registrations
// taking the same units check one after the other and never deadlock.
func lockSKUs(tx *gorm.DB, skuIDs []int64) error {
	if len(skuIDs) == 0 {
		return nil
	}
	return tx.Exec(`SELECT id FROM skus WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`, int64Array(skuIDs)).Error
}

// Reservation is campaign stock one campaign holds of a SKU.
type Reservation struct {
	SKUID        int64 `gorm:"column:sku_id"`
	CampaignID   int64
	CampaignName string
	Timezone     string
	RunStartsAt  time.Time
	RunEndsAt    time.Time
	Units        int
	Status       ProductStatus
}

// Location is the campaign's display timezone.
func (r Reservation) Location() *time.Location { return Campaign{Timezone: r.Timezone}.Location() }

// StockReservations lists what campaigns hold of the shop's SKUs, run
// order; exceptReg leaves one registration out (0: none), and a non-nil
// window keeps only the campaigns whose run intersects it.
func (s *Store) StockReservations(ctx context.Context, shopID int64, skuIDs []int64, exceptReg int64, window *Campaign) (map[int64][]Reservation, error) {
	out := map[int64][]Reservation{}
	if len(skuIDs) == 0 {
		return out, nil
	}
	q := `SELECT rs.sku_id, c.id AS campaign_id, c.name AS campaign_name, c.timezone, c.run_starts_at, c.run_ends_at,
			rs.campaign_stock AS units, rp.status
		FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN registrations r ON r.id = rs.registration_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE rs.shop_id = ? AND rs.sku_id = ANY(?::bigint[]) AND rs.registration_id <> ?
		  AND rp.status IN ('pending', 'registered') AND rs.campaign_stock IS NOT NULL AND c.status <> 'closed'`
	args := []any{shopID, int64Array(skuIDs), exceptReg}
	if window != nil {
		q += ` AND c.run_starts_at < ? AND c.run_ends_at > ?`
		args = append(args, window.RunEndsAt, window.RunStartsAt)
	}
	var rows []Reservation
	if err := s.db.WithContext(ctx).Raw(q+` ORDER BY c.run_starts_at, c.id`, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SKUID] = append(out[r.SKUID], r)
	}
	return out, nil
}
