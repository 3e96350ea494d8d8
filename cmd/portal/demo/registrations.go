package demo

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
)

// registrations submits Fresh Start's registrations through the portal's
// own store, back-dated, so the reviewer's queue has work: oldest first,
// one overdue, one with a SKU whose price is now above its maximum
// (Fresh Start ran a sale after submitting, lowering its lookback low).
func (g *generator) registrations(tx *gorm.DB) error {
	store := models.NewStore(tx)
	ctx := tx.Statement.Context
	var shop models.Shop
	if err := tx.Where("name = ?", "Fresh Start").Take(&shop).Error; err != nil {
		return err
	}
	plans := []struct {
		slugPrefix string
		daysAgo    int
		products   int
		breakLow   bool
	}{
		{"cyber-week-tech-", 9, 3, false}, // overdue: submitted 9 days ago
		{"bfcm-", 3, 4, true},             // a SKU now above its maximum
		{"winter-home-refresh-", 1, 2, false},
	}
	var productIDs []int64
	if err := tx.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ? AND NOT EXISTS (
			SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.stock < 40) ORDER BY p.id`, shop.ID).Scan(&productIDs).Error; err != nil {
		return err
	}
	next := 0
	for _, pl := range plans {
		var campaignID int64
		if err := tx.Raw(`SELECT id FROM campaigns WHERE slug LIKE ? ORDER BY id LIMIT 1`, pl.slugPrefix+"%").Scan(&campaignID).Error; err != nil {
			return err
		}
		at := g.now.Add(-time.Duration(pl.daysAgo) * 24 * time.Hour).Add(-3 * time.Hour)
		reg, camp, err := store.OpenDraft(ctx, shop, campaignID, at)
		if err != nil {
			return fmt.Errorf("%s: %w", pl.slugPrefix, err)
		}
		var items []models.DraftItem
		for i := 0; i < pl.products && next < len(productIDs); i++ {
			items = append(items, models.DraftItem{ProductID: productIDs[next]})
			next++
		}
		if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, at); err != nil {
			return err
		}
		// Prices: the recommended price; stock: the tier minimum or what there is.
		if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRecommend, All: true}, at); err != nil {
			return err
		}
		if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkStockShare, Percent: decimal.NewFromInt(25), All: true}, at); err != nil {
			return err
		}
		if _, err := store.SubmitDraft(ctx, shop, reg.ID, true, fmt.Sprintf("demo-%d", reg.ID), at); err != nil {
			return fmt.Errorf("submitting %s: %w", camp.Name, err)
		}
		if pl.breakLow {
			// A short sale after submitting: the lookback low drops below the
			// registered campaign price's basis.
			var skuID int64
			var low decimal.Decimal
			if err := tx.Raw(`SELECT sku_id, lookback_low FROM registration_skus WHERE registration_id = ? ORDER BY id LIMIT 1`, reg.ID).
				Row().Scan(&skuID, &low); err != nil {
				return err
			}
			saleFrom, saleTo := g.now.Add(-30*time.Hour), g.now.Add(-6*time.Hour)
			var current decimal.Decimal
			if err := tx.Raw(`SELECT price FROM price_history WHERE sku_id = ? AND valid_to IS NULL`, skuID).Row().Scan(&current); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE price_history SET valid_to = ? WHERE sku_id = ? AND valid_to IS NULL`, saleFrom, skuID).Error; err != nil {
				return err
			}
			salePrice := low.Mul(decimal.RequireFromString("0.7")).RoundFloor(2)
			if err := tx.Exec(`INSERT INTO price_history (sku_id, price, valid_from, valid_to, source) VALUES (?, ?, ?, ?, 'sale'), (?, ?, ?, NULL, 'retail')`,
				skuID, salePrice, saleFrom, saleTo, skuID, current, saleTo).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
