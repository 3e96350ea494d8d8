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

// Registered is one campaign a product takes part in, as an edit warning
// names it.
type Registered struct {
	RegistrationID        int64
	RegistrationProductID int64
	CampaignName          string
	Status                ProductStatus
}

// ProductRegistrations lists the campaigns where editing the product's
// SKUs would cause a SKU error.
func (s *Store) ProductRegistrations(ctx context.Context, shopID, productID int64) ([]Registered, error) {
	return productRegistrations(s.db.WithContext(ctx), shopID, productID)
}

func productRegistrations(tx *gorm.DB, shopID, productID int64) ([]Registered, error) {
	var out []Registered
	err := tx.Raw(`SELECT rp.registration_id, rp.id AS registration_product_id, c.name AS campaign_name, rp.status
		FROM registration_products rp JOIN registrations r ON r.id = rp.registration_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE rp.shop_id = ? AND rp.product_id = ? AND rp.status IN ('pending', 'registered', 'sku_error')
		ORDER BY c.registration_deadline`, shopID, productID).Scan(&out).Error
	return out, err
}

// NeedsConfirmationError asks the seller to confirm an edit that puts the
// product into SKU error in the registrations listed; nothing changed. The
// seller confirms by sending Fingerprint back; Changed says a confirmation
// was sent for another list (the list changed since it was shown).
type NeedsConfirmationError struct {
	Impacts     []EditImpact
	Fingerprint string
	Changed     bool
}

func (e *NeedsConfirmationError) Error() string {
	names := make([]string, len(e.Impacts))
	for i, im := range e.Impacts {
		names[i] = im.CampaignName
	}
	return "Saving puts the product in SKU error in " + strings.Join(names, ", ") +
		": it stops taking part there until you withdraw and register it again before the deadline."
}

// skuErrorGate decides the edit's impact with the SKU-error rule and lets
// it through when it breaks nothing or the seller confirmed exactly this
// list (ack is the fingerprint shown). It returns the impacts to record.
func skuErrorGate(tx *gorm.DB, shopID, productID int64, e CatalogueEdit, ack string, now time.Time) ([]EditImpact, error) {
	impacts, err := editImpacts(tx, shopID, productID, e, now)
	if err != nil {
		return nil, err
	}
	if len(impacts) == 0 {
		return nil, nil
	}
	if fp := ImpactFingerprint(e, impacts); fp != ack {
		return nil, &NeedsConfirmationError{Impacts: impacts, Fingerprint: fp, Changed: ack != ""}
	}
	return impacts, nil
}

// SKUEdit is a change to one SKU in Managed products. Nil fields stay.
type SKUEdit struct {
	RetailPrice *decimal.Decimal
	Attributes  *string
	CostOfGoods *decimal.NullDecimal // not Valid: no cost given (clears one)
}

// EditSKU changes a SKU's retail price or attributes. The SKU's version
// moves on and a price change closes the current price period and opens a
// new one. Registrations the SKU-error rule says the edit breaks are put in
// SKU error; unless ack is the fingerprint of exactly that list (the seller
// saw and confirmed it), the list comes back as *NeedsConfirmationError and
// nothing changes. The cost of goods is the shop's own figure, for the
// reviewer's eyes: changing it alone moves no version and puts nothing in
// SKU error.
func (s *Store) EditSKU(ctx context.Context, shopID, userID, skuID int64, e SKUEdit, ack string, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sku SKU
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND shop_id = ? AND deleted_at IS NULL", skuID, shopID).Take(&sku).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		v := &ValidationError{}
		edit := CatalogueEdit{Kind: EditChangeSKU, SKUID: sku.ID, SKUCode: sku.SKUCode}
		var changes []string
		if e.RetailPrice != nil && !e.RetailPrice.Equal(sku.RetailPrice) {
			if !e.RetailPrice.IsPositive() {
				v.Add("retail_price", "The price must be more than $0.00.")
			}
			edit.NewRetail = e.RetailPrice
			changes = append(changes, fmt.Sprintf("retail price of %s changed from $%s to $%s", sku.SKUCode, sku.RetailPrice.StringFixed(2), e.RetailPrice.StringFixed(2)))
		}
		if e.Attributes != nil && strings.TrimSpace(*e.Attributes) != sku.Attributes {
			if len(*e.Attributes) > 200 {
				v.Add("attributes", "Keep the variant under 200 characters.")
			}
			variant := strings.TrimSpace(*e.Attributes)
			edit.NewVariant = &variant
			changes = append(changes, fmt.Sprintf("variant of %s changed to %q", sku.SKUCode, variant))
		}
		costChanged := e.CostOfGoods != nil && !sameNullAmount(*e.CostOfGoods, sku.CostOfGoods)
		if costChanged && e.CostOfGoods.Valid && (!e.CostOfGoods.Decimal.IsPositive() || e.CostOfGoods.Decimal.GreaterThan(MaxAmount)) {
			v.Add("cost_of_goods", "Enter a cost of goods above $0.00 and within $9,999,999,999.99, or leave it empty.")
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		if len(changes) == 0 && !costChanged {
			return &ValidationError{Fields: map[string]string{"form": "Nothing changed."}}
		}
		var impacts []EditImpact
		if len(changes) > 0 {
			if impacts, err = skuErrorGate(tx, shopID, sku.ProductID, edit, ack, now); err != nil {
				return err
			}
		}
		if costChanged {
			if err := tx.Exec(`UPDATE skus SET cost_of_goods = ?, updated_at = ? WHERE id = ?`, *e.CostOfGoods, now, sku.ID).Error; err != nil {
				return err
			}
			if err := logSKUChange(tx, sku, userID, "cost_of_goods", nullAmountText(sku.CostOfGoods), nullAmountText(*e.CostOfGoods)); err != nil {
				return err
			}
			if len(changes) == 0 {
				return nil
			}
		}
		if edit.NewRetail != nil {
			if err := setPrice(tx, sku.ID, *e.RetailPrice, now); err != nil {
				return err
			}
			if err := logSKUChange(tx, sku, userID, "retail_price", sku.RetailPrice.StringFixed(2), e.RetailPrice.StringFixed(2)); err != nil {
				return err
			}
		}
		if edit.NewVariant != nil {
			if err := logSKUChange(tx, sku, userID, "attributes", sku.Attributes, *edit.NewVariant); err != nil {
				return err
			}
		}
		updates := map[string]any{"version": gorm.Expr("version + 1"), "updated_at": now}
		if edit.NewRetail != nil {
			updates["retail_price"] = *e.RetailPrice
		}
		if edit.NewVariant != nil {
			updates["attributes"] = *edit.NewVariant
		}
		if err := tx.Model(&SKU{}).Where("id = ?", sku.ID).Updates(updates).Error; err != nil {
			return err
		}
		return markSKUError(tx, shopID, impacts, now)
	})
}

// AddSKU adds a SKU to a product; registrations it breaks (see
// SKUErrorRule) go to SKU error once ack confirms them, as in EditSKU.
func (s *Store) AddSKU(ctx context.Context, shopID, userID, productID int64, code, attributes string, price decimal.Decimal, stock int, ack string, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("products").Where("id = ? AND shop_id = ?", productID, shopID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		v := &ValidationError{}
		code = strings.TrimSpace(code)
		if code == "" || len(code) > 64 {
			v.Add("sku_code", "Give the SKU an id of 1 to 64 characters.")
		}
		if !price.IsPositive() {
			v.Add("retail_price", "The price must be more than $0.00.")
		}
		if stock < 0 {
			v.Add("stock", "Stock cannot be negative.")
		}
		var dup int64
		if err := tx.Table("skus").Where("shop_id = ? AND sku_code = ?", shopID, code).Count(&dup).Error; err != nil {
			return err
		}
		if dup > 0 {
			v.Add("sku_code", "Your shop already has a SKU with this id.")
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		impacts, err := skuErrorGate(tx, shopID, productID, CatalogueEdit{Kind: EditAddSKU, SKUCode: code}, ack, now)
		if err != nil {
			return err
		}
		sku := SKU{ProductID: productID, ShopID: shopID, SKUCode: code, Attributes: strings.TrimSpace(attributes),
			RetailPrice: price, Stock: stock, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&sku).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, ?, ?)`, sku.ID, price, now).Error; err != nil {
			return err
		}
		if err := logSKUChange(tx, sku, userID, "added", "", code); err != nil {
			return err
		}
		return markSKUError(tx, shopID, impacts, now)
	})
}

// DeleteSKU removes a SKU from a product; registrations holding it go to
// SKU error once ack confirms them, as in EditSKU. The SKU stays in
// history, marked deleted.
func (s *Store) DeleteSKU(ctx context.Context, shopID, userID, skuID int64, ack string, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sku SKU
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND shop_id = ? AND deleted_at IS NULL", skuID, shopID).Take(&sku).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var live int64
		if err := tx.Table("skus").Where("product_id = ? AND deleted_at IS NULL", sku.ProductID).Count(&live).Error; err != nil {
			return err
		}
		if live <= 1 {
			return &ValidationError{Fields: map[string]string{"form": "A product keeps at least one SKU."}}
		}
		impacts, err := skuErrorGate(tx, shopID, sku.ProductID, CatalogueEdit{Kind: EditDeleteSKU, SKUID: sku.ID, SKUCode: sku.SKUCode}, ack, now)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE skus SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, now, now, sku.ID).Error; err != nil {
			return err
		}
		if err := logSKUChange(tx, sku, userID, "deleted", sku.SKUCode, ""); err != nil {
			return err
		}
		return markSKUError(tx, shopID, impacts, now)
	})
}

// ChangeCategory moves a product to another category; not while it is
// registered in a campaign.
func (s *Store) ChangeCategory(ctx context.Context, shopID, productID, categoryID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		regs, err := productRegistrations(tx, shopID, productID)
		if err != nil {
			return err
		}
		if len(regs) > 0 {
			return &ConflictError{Message: "The category cannot change while the product is registered in " + regs[0].CampaignName + ". Withdraw it first."}
		}
		res := tx.Exec(`UPDATE products SET category_id = ?, updated_at = now() WHERE id = ? AND shop_id = ?`, categoryID, productID, shopID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// setPrice closes the SKU's current price period and opens a new one.
func setPrice(tx *gorm.DB, skuID int64, price decimal.Decimal, now time.Time) error {
	if err := tx.Exec(`UPDATE price_history SET valid_to = ? WHERE sku_id = ? AND valid_to IS NULL AND valid_from < ?`, now, skuID, now).Error; err != nil {
		return err
	}
	// A second change in the same instant replaces the period just opened.
	if err := tx.Exec(`DELETE FROM price_history WHERE sku_id = ? AND valid_to IS NULL AND valid_from >= ?`, skuID, now).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO price_history (sku_id, price, valid_from, source) VALUES (?, ?, ?, 'retail')`, skuID, price, now).Error
}

func logSKUChange(tx *gorm.DB, sku SKU, userID int64, change, oldValue, newValue string) error {
	return tx.Exec(`INSERT INTO sku_changes (sku_id, shop_id, user_id, change, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)`,
		sku.ID, sku.ShopID, userID, change, oldValue, newValue).Error
}

// markSKUError puts the product into SKU error in the registrations the
// rule named, and tells the shop why.
func markSKUError(tx *gorm.DB, shopID int64, impacts []EditImpact, now time.Time) error {
	for _, r := range impacts {
		to, err := NextProductStatus(r.Status, EventSKUEdited)
		if err != nil {
			return err
		}
		res := tx.Exec(`UPDATE registration_products SET status = ?, sku_error_at = COALESCE(sku_error_at, ?), sku_error_reason = ?, updated_at = now()
			WHERE id = ? AND status = ?`, to, now, r.Reason, r.RegistrationProductID, r.Status)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			// A review decision or withdrawal moved it since the list was read.
			return &ConflictError{Message: "The product's status in " + r.CampaignName + " changed meanwhile. Check the list again."}
		}
		if err := NotifyShop(tx, shopID, NotifySKUError, "SKU error in "+r.CampaignName,
			"A product stopped taking part: "+r.Reason+". Withdraw and register it again before the deadline.",
			SellerSKUErrorsLink(r.RegistrationID),
			fmt.Sprintf("sku-error-%d-%d", r.RegistrationProductID, now.Unix())); err != nil {
			return err
		}
	}
	return nil
}

// Categories lists every category.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var out []Category
	err := s.db.WithContext(ctx).Table("categories").Order("name").Find(&out).Error
	return out, err
}

// SKUChange is one recorded change to a SKU.
type SKUChange struct {
	SKUCode  string `gorm:"column:sku_code"`
	Change   string
	OldValue string
	NewValue string
	Who      string
	At       time.Time
}

// RecentSKUChanges lists the latest changes to a product's SKUs: who
// changed which price, and when.
func (s *Store) RecentSKUChanges(ctx context.Context, shopID, productID int64, limit int) ([]SKUChange, error) {
	var out []SKUChange
	err := s.db.WithContext(ctx).Raw(`SELECT s.sku_code, c.change, c.old_value, c.new_value, u.display_name AS who, c.at
		FROM sku_changes c JOIN skus s ON s.id = c.sku_id JOIN users u ON u.id = c.user_id
		WHERE c.shop_id = ? AND s.product_id = ? ORDER BY c.at DESC, c.id DESC LIMIT ?`, shopID, productID, limit).Scan(&out).Error
	return out, err
}

func sameNullAmount(a, b decimal.NullDecimal) bool {
	return a.Valid == b.Valid && (!a.Valid || a.Decimal.Equal(b.Decimal))
}

// nullAmountText is an optional amount in the change log: "9.50", or ""
// for none.
func nullAmountText(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.StringFixed(2)
}
