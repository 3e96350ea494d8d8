package modeltest

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// RegisterSKU puts a SKU's product in a registration as registered, with a
// campaign price, approved at approvedAt (the registration's decision
// time). It returns the registration product's id.
func RegisterSKU(t testing.TB, db *gorm.DB, reg models.Registration, sku models.SKU, campaignPrice string, approvedAt time.Time) int64 {
	t.Helper()
	var rpID int64
	mustExec(t, db.Raw(`INSERT INTO registration_products (registration_id, shop_id, product_id, source, status, created_at)
		VALUES (?, ?, ?, 'pick', 'registered', ?)
		ON CONFLICT (registration_id, product_id) DO UPDATE SET status = 'registered' RETURNING id`,
		reg.ID, reg.ShopID, sku.ProductID, approvedAt.Add(-time.Hour)).Scan(&rpID))
	mustExec(t, db.Exec(`INSERT INTO registration_skus (registration_id, registration_product_id, shop_id, sku_id, sku_version,
			retail_price, lookback_low, low_at, max_price, recommended_price, available_stock, campaign_price, campaign_stock)
		VALUES (?, ?, ?, ?, 1, ?, ?, now(), ?, ?, 10, ?, 5)`,
		reg.ID, rpID, reg.ShopID, sku.ID, sku.RetailPrice, sku.RetailPrice, sku.RetailPrice, campaignPrice, campaignPrice))
	mustExec(t, db.Exec(`UPDATE registrations SET status = 'registered', decided_at = ?, submitted_at = ? WHERE id = ?`,
		approvedAt, approvedAt.Add(-time.Hour), reg.ID))
	return rpID
}

// SetCampaignRun moves a campaign's run and its sub-campaigns: one
// sub-campaign per run given, inside [first start, last end).
func SetCampaignRun(t testing.TB, db *gorm.DB, campaignID int64, runs ...orders.Run) {
	t.Helper()
	mustExec(t, db.Exec(`DELETE FROM sub_campaigns WHERE campaign_id = ?`, campaignID))
	first, last := runs[0].StartsAt, runs[len(runs)-1].EndsAt
	mustExec(t, db.Exec(`UPDATE campaigns SET registration_opens_at = ?, registration_deadline = ?, run_starts_at = ?, run_ends_at = ?
		WHERE id = ?`, first.Add(-96*time.Hour), first.Add(-48*time.Hour), first, last, campaignID))
	for i, r := range runs {
		mustExec(t, db.Exec(`INSERT INTO sub_campaigns (campaign_id, name, starts_at, ends_at, position) VALUES (?, ?, ?, ?, ?)`,
			campaignID, "Run "+string(rune('A'+i)), r.StartsAt, r.EndsAt, i))
	}
}
