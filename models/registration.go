package models

import (
	"time"

	"github.com/shopspring/decimal"
)

// ProductStatus is where one registered product stands.
type ProductStatus string

const (
	ProductDraft      ProductStatus = "draft"
	ProductPending    ProductStatus = "pending"
	ProductRegistered ProductStatus = "registered"
	ProductRejected   ProductStatus = "rejected"
	ProductWithdrawn  ProductStatus = "withdrawn"
	ProductSKUError   ProductStatus = "sku_error"
)

// ItemSource says how a product came into a registration.
type ItemSource string

const (
	SourcePick        ItemSource = "pick"
	SourceUpload      ItemSource = "upload"
	SourceRecommended ItemSource = "recommended"
	SourceCopied      ItemSource = "copied"
)

// RegistrationProduct is a product in a registration, with its tier and
// extra discount.
type RegistrationProduct struct {
	ID               int64
	RegistrationID   int64
	ShopID           int64
	ProductID        int64
	Tier             Tier
	ExtraDiscountPct decimal.NullDecimal
	Source           ItemSource
	Status           ProductStatus
	Problems         Problems
	DecisionReason   string
	WithdrawnAt      *time.Time
	SKUErrorAt       *time.Time `gorm:"column:sku_error_at"`
	SKUErrorReason   string     `gorm:"column:sku_error_reason"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// RegistrationSKU is a SKU in a registration: what the seller entered and
// the rule snapshot it is checked against.
type RegistrationSKU struct {
	ID                    int64
	RegistrationID        int64
	RegistrationProductID int64
	ShopID                int64
	SKUID                 int64 `gorm:"column:sku_id"`
	SKUVersion            int   `gorm:"column:sku_version"`
	RetailPrice           decimal.Decimal
	LookbackLow           decimal.Decimal
	LowAt                 time.Time
	MaxPrice              decimal.Decimal
	RecommendedPrice      decimal.Decimal
	AvailableStock        int // the SKU's stock less ReservedStock
	ReservedStock         int // held by other overlapping campaigns when last checked
	CampaignPrice         decimal.NullDecimal
	CampaignStock         *int
	Problems              Problems
	// A SKU the reviewer kept out of its approved product: when, by whom,
	// and the reason the seller reads ("" while in the campaign).
	RejectedAt      *time.Time
	RejectedBy      *int64
	RejectionCode   string
	RejectionReason string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// KeptOut reports whether the reviewer kept this SKU out of the campaign.
func (r RegistrationSKU) KeptOut() bool { return r.RejectedAt != nil }

// TableName is the registration SKU table.
func (RegistrationSKU) TableName() string { return "registration_skus" }

// Entry is the SKU's entry as the rules read it.
func (r RegistrationSKU) Entry() SKUEntry {
	return SKUEntry{CampaignPrice: r.CampaignPrice, CampaignStock: r.CampaignStock, MaxPrice: r.MaxPrice, AvailableStock: r.AvailableStock, ReservedStock: r.ReservedStock}
}
