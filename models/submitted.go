package models

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Recommendation is a price the portal suggests after submitting.
type Recommendation struct {
	ID            int64
	Kind          string // featured | recommended
	Price         decimal.Decimal
	Status        string
	FinalPrice    decimal.NullDecimal
	SKUCode       string `gorm:"column:sku_code"`
	Title         string
	Tier          Tier
	CampaignPrice decimal.NullDecimal
	MaxPrice      decimal.Decimal
}

// SubmittedView is what the Submitted page shows.
type SubmittedView struct {
	Registration    Registration
	Campaign        Campaign
	Products        int
	SKUs            int
	Recommendations []Recommendation
	Related         []SellerCampaign
}

// Submitted loads the shop's registration after submitting, with its
// recommendations and the other open campaigns the shop may join.
func (s *Store) Submitted(ctx context.Context, shop Shop, regID int64, now time.Time) (SubmittedView, error) {
	var v SubmittedView
	db := s.db.WithContext(ctx)
	err := db.Where("id = ? AND shop_id = ?", regID, shop.ID).Take(&v.Registration).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, err
	}
	if v.Campaign, err = s.CampaignWithRules(ctx, v.Registration.CampaignID); err != nil {
		return v, err
	}
	if err := db.Raw(`SELECT count(DISTINCT rp.id), count(rs.id) FROM registration_products rp
		JOIN registration_skus rs ON rs.registration_product_id = rp.id
		WHERE rp.registration_id = ? AND rp.status IN ('pending', 'registered') AND rs.rejected_at IS NULL`, regID).Row().Scan(&v.Products, &v.SKUs); err != nil {
		return v, err
	}
	if err := db.Raw(`SELECT pr.id, pr.kind, pr.price, pr.status, pr.final_price, s.sku_code, p.title, rp.tier,
			rs.campaign_price, rs.max_price
		FROM price_recommendations pr
		JOIN registration_skus rs ON rs.id = pr.registration_sku_id
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN skus s ON s.id = rs.sku_id JOIN products p ON p.id = rp.product_id
		WHERE pr.registration_id = ? AND rp.status IN ('pending', 'registered') AND pr.kind = 'recommended' AND rs.rejected_at IS NULL
		  AND (pr.status <> 'open' OR pr.price < rs.campaign_price)
		ORDER BY p.title, s.id`, regID).
		Scan(&v.Recommendations).Error; err != nil {
		return v, err
	}
	rows, _, err := s.SellerCampaigns(ctx, shop, CampaignFilter{Tab: TabOpen, EligibleOnly: true})
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		if r.Campaign.ID == v.Campaign.ID {
			continue
		}
		if r.Registration != nil && r.Registration.Status != RegistrationDraft {
			continue
		}
		v.Related = append(v.Related, r)
	}
	return v, nil
}

// RecommendationAction is what the seller does with a recommendation.
type RecommendationAction string

const (
	RecommendationAccept  RecommendationAction = "accept"
	RecommendationEdit    RecommendationAction = "edit"
	RecommendationDismiss RecommendationAction = "dismiss"
)

// Recommendations are shown one per SKU (the recommended price of its
// tier; the Featured kind of earlier versions is not offered any more),
// open ones only while they are below the SKU's price, in a fixed order
// so an answered row stays where it was.

// AcceptAllRecommendations accepts every open recommendation the Submitted
// page shows, in one transaction, as Accept one by one would; it returns
// how many.
func (s *Store) AcceptAllRecommendations(ctx context.Context, shopID, userID, regID int64, now time.Time) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		var ids []int64
		if err := tx.Raw(`SELECT pr.id FROM price_recommendations pr
			JOIN registration_skus rs ON rs.id = pr.registration_sku_id
			JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE pr.registration_id = ? AND pr.status = 'open' AND pr.kind = 'recommended'
			  AND rp.status IN ('pending', 'registered') AND pr.price < rs.campaign_price AND rs.rejected_at IS NULL
			ORDER BY pr.id`, reg.ID).Scan(&ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			if err := decideRecommendation(tx, reg, c, shopID, userID, id, RecommendationAccept, decimal.NullDecimal{}, now); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// DecideRecommendation records the seller's answer to a recommendation.
// Accept takes the recommended price, Edit a price of the seller's own
// within the maximum; while the product is under review the price changes
// at once, once registered it becomes a price edit request (reviewed like
// any edit). Dismiss leaves the price. Each answer is recorded once.
func (s *Store) DecideRecommendation(ctx context.Context, shopID, userID, regID, recID int64, action RecommendationAction, price decimal.NullDecimal, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reg, c, err := s.lockRegistration(tx, shopID, regID)
		if err != nil {
			return err
		}
		return decideRecommendation(tx, reg, c, shopID, userID, recID, action, price, now)
	})
}

// decideRecommendation answers one recommendation of a registration
// already locked by the caller's transaction.
func decideRecommendation(tx *gorm.DB, reg Registration, c Campaign, shopID, userID, recID int64, action RecommendationAction, price decimal.NullDecimal, now time.Time) error {
	var rec struct {
		ID                int64
		RegistrationSKUID int64 `gorm:"column:registration_sku_id"`
		Price             decimal.Decimal
		Status            string
	}
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Table("price_recommendations").
		Where("id = ? AND registration_id = ?", recID, reg.ID).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if rec.Status != "open" {
		return &ConflictError{Message: "This recommendation was already answered."}
	}
	var sku RegistrationSKU
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", rec.RegistrationSKUID).Take(&sku).Error; err != nil {
		return err
	}
	if sku.KeptOut() && action != RecommendationDismiss {
		return &ConflictError{Message: "The reviewer did not register this SKU: " + sku.RejectionReason}
	}
	final := decimal.NullDecimal{}
	status := "dismissed"
	switch action {
	case RecommendationAccept:
		final, status = decimal.NewNullDecimal(rec.Price), "accepted"
	case RecommendationEdit:
		if !price.Valid {
			return &ValidationError{Fields: map[string]string{"price": "Enter a price like 12.99."}}
		}
		if _, ferr := ParsePrice(price.Decimal.String()); ferr != nil {
			return &ValidationError{Fields: map[string]string{"price": ferr.Message}}
		}
		if ferr := CheckCampaignPrice(price.Decimal, PriceLimit{Max: sku.MaxPrice}); ferr != nil {
			return &ValidationError{Fields: map[string]string{"price": ferr.Message}}
		}
		final, status = price, "edited"
	case RecommendationDismiss:
	default:
		return &ValidationError{Fields: map[string]string{"action": "Choose accept, edit or dismiss."}}
	}
	if final.Valid {
		if err := checkOpen(c, now); err != nil {
			return err
		}
		var rp RegistrationProduct
		if err := tx.Where("id = ?", sku.RegistrationProductID).Take(&rp).Error; err != nil {
			return err
		}
		switch rp.Status {
		case ProductPending:
			// Still under review: the reviewer sees the new price.
			if err := tx.Exec(`UPDATE registration_skus SET campaign_price = ?, updated_at = now() WHERE id = ?`, final, sku.ID).Error; err != nil {
				return err
			}
		case ProductRegistered:
			// Already in the campaign: a price edit request, reviewed like any edit.
			if !final.Decimal.Equal(sku.CampaignPrice.Decimal) {
				if err := tx.Exec(`UPDATE price_edit_requests SET status = 'replaced' WHERE registration_sku_id = ? AND status = 'under_review'`, sku.ID).Error; err != nil {
					return err
				}
				if err := tx.Create(&PriceEditRequest{RegistrationID: reg.ID, RegistrationSKUID: sku.ID, ShopID: shopID,
					OldPrice: sku.CampaignPrice.Decimal, NewPrice: final.Decimal, MaxPrice: sku.MaxPrice, Status: EditUnderReview,
					SubmittedAt: now, DueAt: ReviewDueAt(now), SubmittedBy: userID}).Error; err != nil {
					return err
				}
			}
		default:
			return &ConflictError{Message: "This product is no longer in the campaign."}
		}
	}
	return tx.Exec(`UPDATE price_recommendations SET status = ?, final_price = ?, decided_at = ?, decided_by = ? WHERE id = ?`,
		status, final, now, userID, rec.ID).Error
}

// CopyToCampaign opens another campaign's draft pre-filled with the SKUs,
// tiers, prices and stock of one of the shop's submitted registrations.
// The prices are then checked against that campaign's own rules.
func (s *Store) CopyToCampaign(ctx context.Context, shop Shop, fromRegID, toCampaignID int64, now time.Time) (Registration, int, error) {
	var src []struct {
		ProductID     int64
		SKUID         int64 `gorm:"column:sku_id"`
		Tier          Tier
		CampaignPrice decimal.NullDecimal
		CampaignStock *int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT rp.product_id, rs.sku_id, rp.tier, rs.campaign_price, rs.campaign_stock
		FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN registrations r ON r.id = rp.registration_id
		WHERE r.id = ? AND r.shop_id = ? AND rp.status IN ('pending', 'registered')`, fromRegID, shop.ID).Scan(&src).Error
	if err != nil {
		return Registration{}, 0, err
	}
	if len(src) == 0 {
		var n int64
		if err := s.db.WithContext(ctx).Table("registrations").Where("id = ? AND shop_id = ?", fromRegID, shop.ID).Count(&n).Error; err != nil {
			return Registration{}, 0, err
		}
		if n == 0 {
			return Registration{}, 0, ErrNotFound
		}
	}
	reg, _, err := s.OpenDraft(ctx, shop, toCampaignID, now)
	if err != nil {
		return reg, 0, err
	}
	items := make([]DraftItem, 0, len(src))
	for _, r := range src {
		items = append(items, DraftItem{ProductID: r.ProductID, SKUID: r.SKUID, Tier: r.Tier, Price: r.CampaignPrice, Stock: r.CampaignStock})
	}
	n, err := s.AddToDraft(ctx, shop.ID, reg.ID, items, SourceCopied, now)
	return reg, n, err
}
