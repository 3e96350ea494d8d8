package demo

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
)

// mapleCyberWeek gives Maple & Co one co-funded campaign already under way,
// with a product in every state: Registered (one with an open price edit,
// one with an extra discount), Withdrawn, SKU error, Rejected with a
// reason and Under review; and the reviewer's price edit queue gets one
// request due soon and one overdue. Everything goes through the portal's
// own store, back-dated.
func (g *generator) mapleCyberWeek(tx *gorm.DB) error {
	store := models.NewStore(tx)
	ctx := tx.Statement.Context
	var shop models.Shop
	if err := tx.Where("name = ?", "Maple & Co").Take(&shop).Error; err != nil {
		return err
	}
	var sellerID, reviewerID, campaignID int64
	if err := tx.Raw(`SELECT id FROM users WHERE email = 'seller@demo.test'`).Scan(&sellerID).Error; err != nil {
		return err
	}
	if err := tx.Raw(`SELECT id FROM users WHERE email = 'reviewer@demo.test'`).Scan(&reviewerID).Error; err != nil {
		return err
	}
	if err := tx.Raw(`SELECT id FROM campaigns WHERE slug LIKE 'cyber-week-tech-%'`).Scan(&campaignID).Error; err != nil {
		return err
	}
	var products []int64
	if err := tx.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ? AND NOT EXISTS (
			SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.stock < 40)
		ORDER BY p.id DESC LIMIT 6`, shop.ID).Scan(&products).Error; err != nil {
		return err
	}
	if len(products) < 6 {
		return fmt.Errorf("demo: Maple has only %d well-stocked products", len(products))
	}
	day := func(d float64) time.Time { return g.now.Add(time.Duration(d * float64(24*time.Hour))) }
	submit := func(at time.Time, key string, ids ...int64) (int64, error) {
		reg, _, err := store.OpenDraft(ctx, shop, campaignID, at)
		if err != nil {
			return 0, err
		}
		var items []models.DraftItem
		for _, id := range ids {
			items = append(items, models.DraftItem{ProductID: id})
		}
		if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, at); err != nil {
			return 0, err
		}
		if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRecommend, All: true}, at); err != nil {
			return 0, err
		}
		if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkStockShare, Percent: decimal.NewFromInt(30), All: true}, at); err != nil {
			return 0, err
		}
		_, err = store.SubmitDraft(ctx, shop, reg.ID, true, key, at)
		return reg.ID, err
	}
	// Batch 1: four products, approved.
	regID, err := submit(day(-12), "demo-maple-1", products[0], products[1], products[2], products[3])
	if err != nil {
		return fmt.Errorf("maple batch 1: %w", err)
	}
	if err := store.DecideRegistration(ctx, reviewerID, regID, models.DecisionApproved, "", "", day(-10)); err != nil {
		return err
	}
	// Extra discount on product 1 (every SKU is registered).
	if err := tx.Exec(`UPDATE registration_products SET extra_discount_pct = 8 WHERE registration_id = ? AND product_id = ?`, regID, products[1]).Error; err != nil {
		return err
	}
	// Price edits: one overdue (8 days ago), one due soon (4 business days ago or so).
	var skus []struct {
		ID            int64
		CampaignPrice decimal.Decimal
	}
	if err := tx.Raw(`SELECT rs.id, rs.campaign_price FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rp.product_id IN (?, ?) ORDER BY rp.product_id, rs.id`, regID, products[0], products[1]).Scan(&skus).Error; err != nil {
		return err
	}
	for i, at := range []time.Time{day(-8), day(-4)} {
		sku := skus[i*len(skus)/2]
		in := models.PriceEditInput{NewPrice: sku.CampaignPrice.Sub(decimal.NewFromInt(1)), ExpectedPrice: sku.CampaignPrice}
		if _, err := store.RequestPriceEdit(ctx, shop.ID, sellerID, regID, sku.ID, in, at); err != nil {
			return fmt.Errorf("maple price edit: %w", err)
		}
	}
	// Product 2 withdrawn; product 3 in SKU error after a retail price change.
	var rp2 int64
	if err := tx.Raw(`SELECT id FROM registration_products WHERE registration_id = ? AND product_id = ?`, regID, products[2]).Scan(&rp2).Error; err != nil {
		return err
	}
	// The campaign's withdrawals need review: product 2's withdrawal was a
	// request, approved the next day; product 1's extra discount withdrawal
	// waits in the reviewer's queue.
	if _, err := store.Withdraw(ctx, shop.ID, sellerID, regID, models.WithdrawProduct, []int64{rp2}, day(-5)); err != nil {
		return err
	}
	var w2 int64
	if err := tx.Raw(`SELECT id FROM withdrawals WHERE registration_product_id = ? AND status = 'requested'`, rp2).Scan(&w2).Error; err != nil {
		return err
	}
	if err := store.DecideWithdrawal(ctx, reviewerID, w2, models.DecisionApproved, "", "", day(-4.2)); err != nil {
		return fmt.Errorf("maple withdrawal approval: %w", err)
	}
	var rp1 int64
	if err := tx.Raw(`SELECT id FROM registration_products WHERE registration_id = ? AND product_id = ?`, regID, products[1]).Scan(&rp1).Error; err != nil {
		return err
	}
	if _, err := store.Withdraw(ctx, shop.ID, sellerID, regID, models.WithdrawDiscount, []int64{rp1}, day(-0.8)); err != nil {
		return fmt.Errorf("maple discount withdrawal: %w", err)
	}
	var sku3 models.SKU
	if err := tx.Where("product_id = ? AND deleted_at IS NULL", products[3]).Order("id").Take(&sku3).Error; err != nil {
		return err
	}
	// A cut below its campaign price: the campaign price is above the new maximum.
	var campaignPrice decimal.Decimal
	if err := tx.Raw(`SELECT campaign_price FROM registration_skus WHERE registration_id = ? AND sku_id = ?`, regID, sku3.ID).Scan(&campaignPrice).Error; err != nil {
		return err
	}
	newRetail := campaignPrice.Sub(decimal.RequireFromString("1.00"))
	edit := models.SKUEdit{RetailPrice: &newRetail}
	var confirm *models.NeedsConfirmationError
	if err := store.EditSKU(ctx, shop.ID, sellerID, sku3.ID, edit, "", day(-1)); !errors.As(err, &confirm) {
		return fmt.Errorf("maple SKU error: the edit should break the registration: %w", err)
	}
	if err := store.EditSKU(ctx, shop.ID, sellerID, sku3.ID, edit, confirm.Fingerprint, day(-1)); err != nil {
		return err
	}
	// Batch 2: one product, rejected with a reason.
	if _, err := submit(day(-6), "demo-maple-2", products[4]); err != nil {
		return fmt.Errorf("maple batch 2: %w", err)
	}
	if err := store.DecideRegistration(ctx, reviewerID, regID, models.DecisionRejected, "stock-insufficient",
		"Keep at least 30% of your stock for the campaign.", day(-4)); err != nil {
		return err
	}
	// Batch 3: one product, under review now.
	if _, err := submit(day(-0.5), "demo-maple-3", products[5]); err != nil {
		return fmt.Errorf("maple batch 3: %w", err)
	}
	return nil
}
