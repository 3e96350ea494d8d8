package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The SKU-error rule: which registrations an edit in Managed products
// breaks. One function (SKUErrorRule) decides it, for the impact list the
// seller sees before saving and for the SKU error the save then records, so
// the two cannot disagree.

// CatalogueEditKind is what a Managed products edit does to a SKU.
type CatalogueEditKind string

// The edits Managed products offers.
const (
	EditChangeSKU CatalogueEditKind = "change" // retail price and/or variant
	EditAddSKU    CatalogueEditKind = "add"
	EditDeleteSKU CatalogueEditKind = "delete"
)

// CatalogueEdit is one proposed change to a product's SKUs, as the rule
// reads it. For a change, nil fields stay as they are.
type CatalogueEdit struct {
	Kind       CatalogueEditKind
	SKUID      int64 // the SKU changed or deleted (0 when adding)
	SKUCode    string
	NewRetail  *decimal.Decimal
	NewVariant *string
}

// HeldSKU is one SKU a registration holds: its campaign price and today's
// lookback low over the campaign's own lookback.
type HeldSKU struct {
	CampaignPrice decimal.Decimal
	LookbackLow   decimal.Decimal
}

// RegistrationHold is what one registration holds of the product.
type RegistrationHold struct {
	RegistrationID        int64
	RegistrationProductID int64
	CampaignName          string
	Status                ProductStatus
	Deadline              time.Time
	Timezone              string
	ExtraDiscount         bool // an extra discount needs every live SKU registered
	Rule                  TierRule
	SKUs                  map[int64]HeldSKU
}

// SKUErrorCause is why an edit breaks a registration, and what would let
// the product take part again.
type SKUErrorCause struct {
	Reason string
	// MaxCampaignPrice is, for a retail price cut, the highest campaign price
	// the tier allows after it (a re-registration must be at or below it).
	MaxCampaignPrice decimal.NullDecimal
}

// SKUErrorRule decides whether edit e puts the product held by h into SKU
// error; nil means the registration is untouched. Only products taking part
// (under review or registered) can be broken; one already in SKU error is
// out of the campaign until the seller registers it again.
//
//   - adding a SKU breaks a product with an extra discount (which needs every
//     SKU registered) and nothing else: the new SKU is simply not in it;
//   - deleting a SKU breaks the registrations that hold that SKU;
//   - changing a held SKU's variant breaks it (shoppers would get another
//     item than the one registered);
//   - changing a held SKU's retail price breaks it when its campaign price is
//     above the tier's maximum computed on the lookback low the new price
//     makes (the lower of today's low and the new price). A rise never
//     lowers the low, so it breaks nothing.
func SKUErrorRule(e CatalogueEdit, h RegistrationHold) *SKUErrorCause {
	if h.Status != ProductPending && h.Status != ProductRegistered {
		return nil
	}
	held, holds := h.SKUs[e.SKUID]
	switch e.Kind {
	case EditAddSKU:
		if h.ExtraDiscount {
			return &SKUErrorCause{Reason: "SKU " + e.SKUCode + " added: the product's extra discount needs every SKU registered"}
		}
	case EditDeleteSKU:
		if holds {
			return &SKUErrorCause{Reason: "SKU " + e.SKUCode + " deleted: it is registered at $" + held.CampaignPrice.StringFixed(2)}
		}
	case EditChangeSKU:
		if !holds {
			return nil
		}
		if e.NewVariant != nil {
			return &SKUErrorCause{Reason: fmt.Sprintf("variant of %s changed to %q: shoppers would get another item than the one registered", e.SKUCode, *e.NewVariant)}
		}
		if e.NewRetail != nil {
			low := decimal.Min(held.LookbackLow, *e.NewRetail)
			limit := h.Rule.MaxPrice(low)
			if held.CampaignPrice.GreaterThan(limit) {
				return &SKUErrorCause{
					Reason: fmt.Sprintf("retail price of %s lowered to $%s: its campaign price $%s is above the new maximum of $%s",
						e.SKUCode, e.NewRetail.StringFixed(2), held.CampaignPrice.StringFixed(2), limit.StringFixed(2)),
					MaxCampaignPrice: decimal.NewNullDecimal(limit),
				}
			}
		}
	}
	return nil
}

// EditImpact is one registration an edit would put in SKU error.
type EditImpact struct {
	RegistrationHold
	SKUErrorCause
	// CanReregister says the registration deadline still allows the fix
	// (withdraw and register again).
	CanReregister bool
}

// editImpacts applies the rule to every registration of the product.
func editImpacts(tx *gorm.DB, shopID, productID int64, e CatalogueEdit, now time.Time) ([]EditImpact, error) {
	holds, err := registrationHolds(tx, shopID, productID, now)
	if err != nil {
		return nil, err
	}
	var out []EditImpact
	for _, h := range holds {
		if cause := SKUErrorRule(e, h); cause != nil {
			out = append(out, EditImpact{RegistrationHold: h, SKUErrorCause: *cause, CanReregister: now.Before(h.Deadline)})
		}
	}
	return out, nil
}

// registrationHolds loads the registrations where the product takes part,
// with the rule inputs of their SKUs as of now. Their rows stay locked to
// the end of the transaction, so a review decision cannot change the list
// between the rule's verdict and the SKU error it records.
func registrationHolds(tx *gorm.DB, shopID, productID int64, now time.Time) ([]RegistrationHold, error) {
	var rows []struct {
		RegistrationID        int64
		RegistrationProductID int64
		CampaignID            int64
		CampaignName          string
		Status                ProductStatus
		Deadline              time.Time
		Timezone              string
		Tier                  Tier
		ExtraDiscountPct      decimal.NullDecimal
	}
	if err := tx.Raw(`SELECT rp.registration_id, rp.id AS registration_product_id, c.id AS campaign_id, c.name AS campaign_name,
			rp.status, c.registration_deadline AS deadline, c.timezone, rp.tier, rp.extra_discount_pct
		FROM registration_products rp JOIN registrations r ON r.id = rp.registration_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE rp.shop_id = ? AND rp.product_id = ? AND rp.status IN ('pending', 'registered')
		ORDER BY c.registration_deadline, rp.id
		FOR UPDATE OF rp`, shopID, productID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	rpIDs := make([]int64, len(rows))
	for i, r := range rows {
		rpIDs[i] = r.RegistrationProductID
	}
	var skus []struct {
		RegistrationProductID int64
		SKUID                 int64 `gorm:"column:sku_id"`
		CampaignPrice         decimal.NullDecimal
		RetailPrice           decimal.Decimal
	}
	if err := tx.Raw(`SELECT rs.registration_product_id, rs.sku_id, rs.campaign_price, s.retail_price
		FROM registration_skus rs JOIN skus s ON s.id = rs.sku_id
		WHERE rs.registration_product_id = ANY(?::bigint[])`, int64Array(rpIDs)).Scan(&skus).Error; err != nil {
		return nil, err
	}
	skuIDs := make([]int64, 0, len(skus))
	for _, s := range skus {
		skuIDs = append(skuIDs, s.SKUID)
	}
	store := NewStore(tx)
	campaigns := map[int64]Campaign{}
	lows := map[int]map[int64]LookbackLow{} // by lookback days
	out := make([]RegistrationHold, len(rows))
	byRP := map[int64]*RegistrationHold{}
	lookbackOf := map[int64]int{} // registration product -> its campaign's lookback days
	for i, r := range rows {
		c, ok := campaigns[r.CampaignID]
		if !ok {
			var err error
			if c, err = store.CampaignWithRules(tx.Statement.Context, r.CampaignID); err != nil {
				return nil, err
			}
			campaigns[r.CampaignID] = c
		}
		if _, ok := lows[c.LookbackDays]; !ok {
			l, err := store.LookbackLows(tx.Statement.Context, skuIDs, c.LookbackDays, now)
			if err != nil {
				return nil, err
			}
			lows[c.LookbackDays] = l
		}
		out[i] = RegistrationHold{RegistrationID: r.RegistrationID, RegistrationProductID: r.RegistrationProductID,
			CampaignName: r.CampaignName, Status: r.Status, Deadline: r.Deadline, Timezone: r.Timezone,
			ExtraDiscount: r.ExtraDiscountPct.Valid, Rule: c.Rule(r.Tier), SKUs: map[int64]HeldSKU{}}
		byRP[r.RegistrationProductID] = &out[i]
		lookbackOf[r.RegistrationProductID] = c.LookbackDays
	}
	for _, s := range skus {
		h := byRP[s.RegistrationProductID]
		low := s.RetailPrice // no price in the window: the retail price is the low, as when registering
		if l, ok := lows[lookbackOf[s.RegistrationProductID]][s.SKUID]; ok && l.Price.IsPositive() {
			low = l.Price
		}
		h.SKUs[s.SKUID] = HeldSKU{CampaignPrice: s.CampaignPrice.Decimal, LookbackLow: low}
	}
	return out, nil
}

// ImpactFingerprint names an edit and the impact list it has, so a
// confirmation given for one list cannot save an edit whose list changed
// since it was shown (another tab, a review decision, a new registration).
func ImpactFingerprint(e CatalogueEdit, impacts []EditImpact) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d|%s|", e.Kind, e.SKUID, e.SKUCode)
	if e.NewRetail != nil {
		fmt.Fprintf(h, "retail=%s|", e.NewRetail.StringFixed(2))
	}
	if e.NewVariant != nil {
		fmt.Fprintf(h, "variant=%q|", *e.NewVariant)
	}
	lines := make([]string, len(impacts))
	for i, im := range impacts {
		lines[i] = fmt.Sprintf("%d:%s:%s", im.RegistrationProductID, im.Status, im.Reason)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Location is the campaign's display timezone (UTC if unknown).
func (h RegistrationHold) Location() *time.Location { return Campaign{Timezone: h.Timezone}.Location() }
