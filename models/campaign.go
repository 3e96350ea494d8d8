package models

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// CampaignStatus is the lifecycle state a campaign manager sets.
type CampaignStatus string

const (
	CampaignDraft     CampaignStatus = "draft"
	CampaignPublished CampaignStatus = "published"
	CampaignClosed    CampaignStatus = "closed"
)

// FeeRefundPolicy says what happens to a charged fee when an order is
// cancelled or returned.
type FeeRefundPolicy string

const (
	RefundInFull FeeRefundPolicy = "refund_in_full"
	NoRefund     FeeRefundPolicy = "no_refund"
)

// StringList is a JSON array of strings in a jsonb column.
type StringList []string

// Scan implements sql.Scanner.
func (l *StringList) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case []byte:
		return json.Unmarshal(v, l)
	case string:
		return json.Unmarshal([]byte(v), l)
	}
	return errors.New("StringList: unsupported source type")
}

// Value implements driver.Valuer.
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Campaign is an integrated campaign: one registration for several
// sub-campaigns, with its rules.
type Campaign struct {
	ID                       int64
	Slug                     string
	Name                     string
	Description              string
	Benefits                 StringList `gorm:"type:jsonb"`
	Timezone                 string
	Status                   CampaignStatus
	Version                  int
	RegistrationOpensAt      time.Time
	RegistrationDeadline     time.Time
	RunStartsAt              time.Time
	RunEndsAt                time.Time
	MinSPS                   decimal.Decimal `gorm:"column:min_sps"`
	AllowNoSPS               bool            `gorm:"column:allow_no_sps"`
	FreeShippingRequired     bool
	MaxFreeShippingThreshold decimal.NullDecimal
	CouponsMustBeAccepted    bool
	LookbackDays             int
	ExtraDiscountAllowed     bool
	ExtraDiscountMinPct      decimal.NullDecimal
	ReviewRequired           bool
	// WithdrawalReview makes a withdrawal of a registered product a
	// request a reviewer approves; fees stop from the approval instant.
	WithdrawalReview   bool
	FeeRate            decimal.Decimal
	FeeRefundPolicy    FeeRefundPolicy
	BuyerPriceFloorPct decimal.NullDecimal // the stacked buyer price the reviewer is warned below, in % of retail; none when not Valid
	PublishedAt        *time.Time
	ClosedAt           *time.Time
	CreatedBy          *int64
	Revision           int    // bumped on every save: optimistic locking of the working copy
	DuplicatedFrom     *int64 // the campaign this one was copied from
	// RulesVersion is set by the database on every change of the campaign
	// or its sub-campaigns, tiers and coupons (claimed counts aside): the
	// key of the in-memory rules cache; read-only.
	RulesVersion int64 `gorm:"->"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	SubCampaigns []SubCampaign  `gorm:"foreignKey:CampaignID"`
	Tiers        []CampaignTier `gorm:"foreignKey:CampaignID"`
	Coupons      []Coupon       `gorm:"foreignKey:CampaignID"`
}

// SubCampaign is one sale event inside an integrated campaign.
type SubCampaign struct {
	ID         int64
	CampaignID int64
	Name       string
	StartsAt   time.Time
	EndsAt     time.Time
	Position   int
}

// Tier is a product tier of a campaign.
type Tier string

const (
	TierFeatured Tier = "featured"
	TierRegular  Tier = "regular"
)

// CampaignTier holds one tier's price rule and minimum stock.
type CampaignTier struct {
	ID             int64
	CampaignID     int64
	Tier           Tier
	MaxPricePct    decimal.Decimal // campaign price at most this % of the lookback low
	RecommendedPct decimal.Decimal // recommended price as % of the lookback low
	MinStock       int
}

// Coupon is a campaign coupon, possibly co-funded by the seller.
type Coupon struct {
	ID               int64
	CampaignID       int64
	Code             string
	DiscountType     CouponType
	Value            decimal.Decimal
	MinPurchase      decimal.Decimal
	Cap              decimal.NullDecimal
	Targeting        string
	SegmentName      string
	SellerSharePct   decimal.Decimal
	PlatformSharePct decimal.Decimal
	MaxSellerFunding decimal.NullDecimal
	TotalQuantity    int
	ClaimedQuantity  int
	// PlatformBudget is what the platform means to spend on its share of
	// the coupon (coupon_budget.go): staff only, never versioned.
	PlatformBudget decimal.NullDecimal
}

// Terms returns the parts of the coupon that decide its cost.
func (c Coupon) Terms() CouponTerms {
	return CouponTerms{Type: c.DiscountType, Value: c.Value, MinPurchase: c.MinPurchase, Cap: c.Cap,
		SellerSharePct: c.SellerSharePct, MaxSellerFunding: c.MaxSellerFunding}
}

// QuantityLeft is how many coupons shoppers can still claim.
func (c Coupon) QuantityLeft() int { return c.TotalQuantity - c.ClaimedQuantity }

// CoFunded reports whether the seller pays part of the coupon.
func (c Coupon) CoFunded() bool { return c.SellerSharePct.IsPositive() }

// EligibilityRules returns the campaign's criteria for the eligibility check.
func (c Campaign) EligibilityRules() EligibilityRules {
	return EligibilityRules{
		MinSPS:                   c.MinSPS,
		AllowNoSPS:               c.AllowNoSPS,
		FreeShippingRequired:     c.FreeShippingRequired,
		MaxFreeShippingThreshold: c.MaxFreeShippingThreshold,
		CouponsMustBeAccepted:    c.CouponsMustBeAccepted,
		CouponCount:              len(c.Coupons),
		LookbackDays:             c.LookbackDays,
	}
}

// CoFunded reports whether any coupon of the campaign is co-funded.
func (c Campaign) CoFunded() bool {
	for _, cp := range c.Coupons {
		if cp.CoFunded() {
			return true
		}
	}
	return false
}

// Tier returns the campaign's rule for a tier, if it has one.
func (c Campaign) Tier(t Tier) (CampaignTier, bool) {
	for _, ct := range c.Tiers {
		if ct.Tier == t {
			return ct, true
		}
	}
	return CampaignTier{}, false
}

// Location is the campaign's display timezone (UTC if the name is unknown).
func (c Campaign) Location() *time.Location {
	if loc, ok := locations.Load(c.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	locations.Store(c.Timezone, loc)
	return loc
}

// locations remembers loaded time zones by name: LoadLocation reads and
// parses the zone file on every call, and a list page asks once a row.
// The zone database does not change while the process runs.
var locations sync.Map

// Phase is where a campaign stands at a moment.
type Phase string

const (
	PhaseDraft              Phase = "draft"
	PhaseUpcoming           Phase = "upcoming"
	PhaseOpen               Phase = "open"
	PhaseRegistrationClosed Phase = "registration-closed"
	PhaseRunning            Phase = "running"
	PhaseEnded              Phase = "ended"
	PhaseClosed             Phase = "closed"
)

// PhaseAt derives the campaign's phase from its status and dates. The
// registration window is [opens, deadline): at the deadline it is closed.
func (c Campaign) PhaseAt(now time.Time) Phase {
	switch {
	case c.Status == CampaignDraft:
		return PhaseDraft
	case c.Status == CampaignClosed:
		return PhaseClosed
	case now.Before(c.RegistrationOpensAt):
		return PhaseUpcoming
	case now.Before(c.RegistrationDeadline):
		return PhaseOpen
	case now.Before(c.RunStartsAt):
		return PhaseRegistrationClosed
	case now.Before(c.RunEndsAt):
		return PhaseRunning
	default:
		return PhaseEnded
	}
}

// RegistrationStatus is the state of a shop's registration.
type RegistrationStatus string

const (
	RegistrationDraft      RegistrationStatus = "draft"
	RegistrationPending    RegistrationStatus = "pending"
	RegistrationRegistered RegistrationStatus = "registered"
	RegistrationRejected   RegistrationStatus = "rejected"
	RegistrationWithdrawn  RegistrationStatus = "withdrawn"
)

// Registration is a shop's enrolment in a campaign.
type Registration struct {
	ID                int64
	CampaignID        int64
	ShopID            int64
	Status            RegistrationStatus
	CampaignVersion   int
	CreatedAt         time.Time
	SubmittedAt       *time.Time
	CouponsAcceptedAt *time.Time
	SubmitKey         *string
	DecidedAt         *time.Time
	DecidedBy         *int64
	DecisionReason    string
	// ReviewDueAt is computed by the database from SubmittedAt (the
	// review_due_at function, the same rule as ReviewDueAt); read-only.
	ReviewDueAt *time.Time `gorm:"->"`
	// AboveMaxSKUs is how many pending SKUs the last price check found
	// above their maximum, at PriceCheckedAt.
	AboveMaxSKUs   int `gorm:"column:above_max_skus"`
	PriceCheckedAt *time.Time
}
