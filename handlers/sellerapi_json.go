package handlers

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/web/routes"
)

// The seller API's resources. Amounts are strings with two decimals
// ("12.50"), percentages strings as stored ("85" is 85 %), instants RFC
// 3339 in UTC; a value that does not apply is null, never left out.

// listJSON is every list: a page of items and the cursor of the next page
// (null on the last).
type listJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func moneyPtr(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := money(d.Decimal)
	return &s
}

func pctPtr(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := d.Decimal.String()
	return &s
}

type criterionJSON struct {
	Key         string `json:"key"`
	Title       string `json:"title"`
	Requirement string `json:"requirement"`
	YourShop    string `json:"your_shop"`
	Status      string `json:"status"`
}

type eligibilityJSON struct {
	Eligible bool            `json:"eligible"`
	Reasons  []string        `json:"reasons"`
	Criteria []criterionJSON `json:"criteria"`
}

type registrationRefJSON struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	URL    string `json:"url"`
}

type campaignJSON struct {
	ID                   int64                `json:"id"`
	Name                 string               `json:"name"`
	Status               string               `json:"status"`
	Version              int                  `json:"version"`
	Timezone             string               `json:"timezone"`
	RegistrationOpensAt  string               `json:"registration_opens_at"`
	RegistrationDeadline string               `json:"registration_deadline"`
	RunStartsAt          string               `json:"run_starts_at"`
	RunEndsAt            string               `json:"run_ends_at"`
	CoFunded             bool                 `json:"co_funded"`
	Eligibility          eligibilityJSON      `json:"eligibility"`
	Registration         *registrationRefJSON `json:"registration"`
	URL                  string               `json:"url"`
}

func campaignOf(sc models.SellerCampaign) campaignJSON {
	c := sc.Campaign
	out := campaignJSON{ID: c.ID, Name: c.Name, Status: string(c.Status), Version: c.Version, Timezone: c.Timezone,
		RegistrationOpensAt: instant(c.RegistrationOpensAt), RegistrationDeadline: instant(c.RegistrationDeadline),
		RunStartsAt: instant(c.RunStartsAt), RunEndsAt: instant(c.RunEndsAt), CoFunded: c.CoFunded(),
		Eligibility: eligibilityJSON{Eligible: sc.Eligibility.Eligible, Reasons: append([]string{}, sc.Eligibility.Reasons...),
			Criteria: []criterionJSON{}},
		URL: routes.SellerAPICampaign(c.ID)}
	for _, cr := range sc.Eligibility.Criteria {
		out.Eligibility.Criteria = append(out.Eligibility.Criteria, criterionJSON{Key: string(cr.Key), Title: cr.Title,
			Requirement: cr.Requirement, YourShop: cr.YourShop, Status: string(cr.Status)})
	}
	if r := sc.Registration; r != nil {
		out.Registration = &registrationRefJSON{ID: r.ID, Status: string(r.Status), URL: routes.SellerAPIRegistration(c.ID)}
	}
	return out
}

type subCampaignJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
}

type tierJSON struct {
	Tier           string `json:"tier"`
	MaxPricePct    string `json:"max_price_pct"`
	RecommendedPct string `json:"recommended_price_pct"`
	MinStock       int    `json:"min_stock"`
}

type campaignCouponJSON struct {
	ID               int64   `json:"id"`
	Code             string  `json:"code"`
	DiscountType     string  `json:"discount_type"`
	Value            string  `json:"value"`
	MinPurchase      string  `json:"min_purchase"`
	Cap              *string `json:"cap"`
	Targeting        string  `json:"targeting"`
	SegmentName      string  `json:"segment_name"`
	SellerSharePct   string  `json:"seller_share_pct"`
	PlatformSharePct string  `json:"platform_share_pct"`
	MaxSellerFunding *string `json:"max_seller_funding"`
	TotalQuantity    int     `json:"total_quantity"`
	QuantityLeft     int     `json:"quantity_left"`
}

type campaignRulesJSON struct {
	MinSPS                   string  `json:"min_sps"`
	AllowNoSPS               bool    `json:"allow_no_sps"`
	FreeShippingRequired     bool    `json:"free_shipping_required"`
	MaxFreeShippingThreshold *string `json:"max_free_shipping_threshold"`
	CouponsMustBeAccepted    bool    `json:"coupons_must_be_accepted"`
	LookbackDays             int     `json:"lookback_days"`
	ExtraDiscountAllowed     bool    `json:"extra_discount_allowed"`
	ExtraDiscountMinPct      *string `json:"extra_discount_min_pct"`
	ReviewRequired           bool    `json:"review_required"`
}

type feeExampleJSON struct {
	ItemPrice      string `json:"item_price"`
	SellerDiscount string `json:"seller_discount"`
	AfterDiscount  string `json:"after_discount"`
	Shipping       string `json:"shipping"`
	Fee            string `json:"fee"`
}

type feePolicyJSON struct {
	RatePct      string         `json:"rate_pct"`
	RefundPolicy string         `json:"refund_policy"`
	Example      feeExampleJSON `json:"example"`
}

type campaignDetailsJSON struct {
	campaignJSON
	Description  string               `json:"description"`
	Benefits     []string             `json:"benefits"`
	SubCampaigns []subCampaignJSON    `json:"sub_campaigns"`
	Tiers        []tierJSON           `json:"tiers"`
	Coupons      []campaignCouponJSON `json:"coupons"`
	Rules        campaignRulesJSON    `json:"rules"`
	FeePolicy    feePolicyJSON        `json:"fee_policy"`
}

func campaignDetailsOf(sc models.SellerCampaign) campaignDetailsJSON {
	c := sc.Campaign
	ex := models.ExampleFee(c.FeeRate)
	out := campaignDetailsJSON{campaignJSON: campaignOf(sc), Description: c.Description, Benefits: append([]string{}, c.Benefits...),
		SubCampaigns: []subCampaignJSON{}, Tiers: []tierJSON{}, Coupons: []campaignCouponJSON{},
		Rules: campaignRulesJSON{MinSPS: c.MinSPS.StringFixed(2), AllowNoSPS: c.AllowNoSPS, FreeShippingRequired: c.FreeShippingRequired,
			MaxFreeShippingThreshold: moneyPtr(c.MaxFreeShippingThreshold), CouponsMustBeAccepted: c.CouponsMustBeAccepted,
			LookbackDays: c.LookbackDays, ExtraDiscountAllowed: c.ExtraDiscountAllowed, ExtraDiscountMinPct: pctPtr(c.ExtraDiscountMinPct),
			ReviewRequired: c.ReviewRequired},
		FeePolicy: feePolicyJSON{RatePct: models.PercentOf(c.FeeRate).String(), RefundPolicy: string(c.FeeRefundPolicy),
			Example: feeExampleJSON{ItemPrice: money(ex.ItemPrice), SellerDiscount: money(ex.SellerDiscount),
				AfterDiscount: money(ex.AfterDiscount), Shipping: money(ex.Shipping), Fee: money(ex.Fee)}}}
	for _, s := range c.SubCampaigns {
		out.SubCampaigns = append(out.SubCampaigns, subCampaignJSON{ID: s.ID, Name: s.Name, StartsAt: instant(s.StartsAt), EndsAt: instant(s.EndsAt)})
	}
	for _, t := range c.Tiers {
		out.Tiers = append(out.Tiers, tierJSON{Tier: string(t.Tier), MaxPricePct: t.MaxPricePct.String(),
			RecommendedPct: t.RecommendedPct.String(), MinStock: t.MinStock})
	}
	for _, cp := range c.Coupons {
		value := cp.Value.String()
		if cp.DiscountType == models.CouponFixed {
			value = money(cp.Value)
		}
		out.Coupons = append(out.Coupons, campaignCouponJSON{ID: cp.ID, Code: cp.Code, DiscountType: string(cp.DiscountType),
			Value: value, MinPurchase: money(cp.MinPurchase), Cap: moneyPtr(cp.Cap), Targeting: cp.Targeting,
			SegmentName: cp.SegmentName, SellerSharePct: cp.SellerSharePct.String(), PlatformSharePct: cp.PlatformSharePct.String(),
			MaxSellerFunding: moneyPtr(cp.MaxSellerFunding), TotalQuantity: cp.TotalQuantity, QuantityLeft: cp.QuantityLeft()})
	}
	return out
}

// problemJSON is one rule a SKU or product breaks now, by the price
// table's code and words.
type ruleProblemJSON struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func problemsOf(ps models.Problems) []ruleProblemJSON {
	out := []ruleProblemJSON{}
	for _, p := range ps.List() {
		out = append(out, ruleProblemJSON{Code: p.Key(), Label: p.Label()})
	}
	return out
}

type priceEditJSON struct {
	ID                int64   `json:"id"`
	RegistrationSKUID int64   `json:"registration_sku_id"`
	SKUCode           string  `json:"sku_code"`
	OldPrice          string  `json:"old_price"`
	NewPrice          string  `json:"new_price"`
	MaxPrice          string  `json:"max_price"`
	Status            string  `json:"status"`
	SubmittedAt       string  `json:"submitted_at"`
	DueAt             string  `json:"due_at"`
	DecidedAt         *string `json:"decided_at"`
	ReasonCode        string  `json:"reason_code"`
	Reason            string  `json:"reason"`
}

func priceEditOf(e *models.PriceEditRequest, skuCode string) *priceEditJSON {
	if e == nil {
		return nil
	}
	return &priceEditJSON{ID: e.ID, RegistrationSKUID: e.RegistrationSKUID, SKUCode: skuCode, OldPrice: money(e.OldPrice),
		NewPrice: money(e.NewPrice), MaxPrice: money(e.MaxPrice), Status: string(e.Status), SubmittedAt: instant(e.SubmittedAt),
		DueAt: instant(e.DueAt), DecidedAt: instantPtr(e.DecidedAt), ReasonCode: e.ReasonCode, Reason: e.ReasonText}
}

type registrationSKUJSON struct {
	ID               int64             `json:"id"`
	SKUID            int64             `json:"sku_id"`
	SKUCode          string            `json:"sku_code"`
	Attributes       string            `json:"attributes"`
	RetailPrice      string            `json:"retail_price"`
	LookbackLow      string            `json:"lookback_low"`
	MaxPrice         string            `json:"max_price"`
	RecommendedPrice string            `json:"recommended_price"`
	AvailableStock   int               `json:"available_stock"`
	CampaignPrice    *string           `json:"campaign_price"`
	CampaignStock    *int              `json:"campaign_stock"`
	Problems         []ruleProblemJSON `json:"problems"`
	OpenPriceEdit    *priceEditJSON    `json:"open_price_edit"`
	LastPriceEdit    *priceEditJSON    `json:"last_decided_price_edit"`
}

func registrationSKUOf(s models.RegistrationSKU, code, attrs string) registrationSKUJSON {
	return registrationSKUJSON{ID: s.ID, SKUID: s.SKUID, SKUCode: code, Attributes: attrs, RetailPrice: money(s.RetailPrice),
		LookbackLow: money(s.LookbackLow), MaxPrice: money(s.MaxPrice), RecommendedPrice: money(s.RecommendedPrice),
		AvailableStock: s.AvailableStock, CampaignPrice: moneyPtr(s.CampaignPrice), CampaignStock: s.CampaignStock,
		Problems: problemsOf(s.Problems)}
}

type registrationProductJSON struct {
	ID               int64                 `json:"id"`
	ProductID        int64                 `json:"product_id"`
	PID              string                `json:"pid"`
	Title            string                `json:"title"`
	Tier             string                `json:"tier"`
	ExtraDiscountPct *string               `json:"extra_discount_pct"`
	Source           string                `json:"source"`
	Status           string                `json:"status"`
	DecisionReason   string                `json:"decision_reason"`
	SKUErrorReason   string                `json:"sku_error_reason"`
	SKUErrorAt       *string               `json:"sku_error_at"`
	WithdrawnAt      *string               `json:"withdrawn_at"`
	Problems         []ruleProblemJSON     `json:"problems"`
	SKUs             []registrationSKUJSON `json:"skus"`
}

func registrationProductOf(p models.RegistrationProduct, pid, title string) registrationProductJSON {
	return registrationProductJSON{ID: p.ID, ProductID: p.ProductID, PID: pid, Title: title, Tier: string(p.Tier),
		ExtraDiscountPct: pctPtr(p.ExtraDiscountPct), Source: string(p.Source), Status: string(p.Status),
		DecisionReason: p.DecisionReason, SKUErrorReason: p.SKUErrorReason, SKUErrorAt: instantPtr(p.SKUErrorAt),
		WithdrawnAt: instantPtr(p.WithdrawnAt), Problems: problemsOf(p.Problems), SKUs: []registrationSKUJSON{}}
}

type registrationJSON struct {
	ID                int64                     `json:"id"`
	CampaignID        int64                     `json:"campaign_id"`
	Status            string                    `json:"status"`
	CampaignVersion   int                       `json:"campaign_version"`
	CreatedAt         string                    `json:"created_at"`
	SubmittedAt       *string                   `json:"submitted_at"`
	CouponsAcceptedAt *string                   `json:"coupons_accepted_at"`
	DecidedAt         *string                   `json:"decided_at"`
	DecisionReason    string                    `json:"decision_reason"`
	ReviewDueAt       *string                   `json:"review_due_at"`
	ProductCounts     map[string]int            `json:"product_counts"`
	Products          []registrationProductJSON `json:"products"`
	NextCursor        *string                   `json:"next_cursor"`
	ETag              string                    `json:"etag"`
}

func registrationOf(r models.Registration) registrationJSON {
	return registrationJSON{ID: r.ID, CampaignID: r.CampaignID, Status: string(r.Status), CampaignVersion: r.CampaignVersion,
		CreatedAt: instant(r.CreatedAt), SubmittedAt: instantPtr(r.SubmittedAt), CouponsAcceptedAt: instantPtr(r.CouponsAcceptedAt),
		DecidedAt: instantPtr(r.DecidedAt), DecisionReason: r.DecisionReason, ReviewDueAt: instantPtr(r.ReviewDueAt),
		ProductCounts: map[string]int{}, Products: []registrationProductJSON{}}
}

type recommendationJSON struct {
	ID            int64   `json:"id"`
	Kind          string  `json:"kind"`
	Price         string  `json:"price"`
	Status        string  `json:"status"`
	FinalPrice    *string `json:"final_price"`
	SKUCode       string  `json:"sku_code"`
	Title         string  `json:"title"`
	Tier          string  `json:"tier"`
	CampaignPrice *string `json:"campaign_price"`
	MaxPrice      string  `json:"max_price"`
}

func recommendationOf(r models.Recommendation) recommendationJSON {
	return recommendationJSON{ID: r.ID, Kind: r.Kind, Price: money(r.Price), Status: r.Status, FinalPrice: moneyPtr(r.FinalPrice),
		SKUCode: r.SKUCode, Title: r.Title, Tier: string(r.Tier), CampaignPrice: moneyPtr(r.CampaignPrice), MaxPrice: money(r.MaxPrice)}
}

type skuErrorJSON struct {
	RegistrationProductID int64                 `json:"registration_product_id"`
	ProductID             int64                 `json:"product_id"`
	PID                   string                `json:"pid"`
	Title                 string                `json:"title"`
	Reason                string                `json:"reason"`
	Since                 *string               `json:"since"`
	SKUs                  []registrationSKUJSON `json:"skus"`
}

type notificationJSON struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Link      string  `json:"link"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at"`
}

func notificationOf(n models.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: string(n.Kind), Title: n.Title, Body: n.Body, Link: n.Link,
		CreatedAt: instant(n.CreatedAt), ReadAt: instantPtr(n.ReadAt)}
}

type settledRecordJSON struct {
	ID            int64  `json:"id"`
	OrderID       string `json:"order_id"`
	PlacedAt      string `json:"placed_at"`
	Status        string `json:"status"`
	Merchandise   string `json:"merchandise"`
	Shipping      string `json:"shipping"`
	Reversed      string `json:"reversed"`
	Fee           string `json:"fee"`
	FeeRefunded   string `json:"fee_refunded"`
	SellerShare   string `json:"seller_share"`
	PlatformShare string `json:"platform_share"`
	Payout        string `json:"payout"`
	CouponApplied bool   `json:"coupon_applied"`
	URL           string `json:"url"`
}

func settledRecordOf(r orders.SettledRow) settledRecordJSON {
	a := r.Amounts
	return settledRecordJSON{ID: r.ID, OrderID: r.OrderID, PlacedAt: instant(r.PlacedAt), Status: string(r.Status),
		Merchandise: money(a.Merchandise), Shipping: money(a.Shipping), Reversed: money(a.Reversed), Fee: money(a.Fee),
		FeeRefunded: money(a.FeeRefunded), SellerShare: money(a.SellerShare), PlatformShare: money(a.PlatformShare),
		Payout: money(a.Payout), CouponApplied: r.CouponApplied, URL: routes.SellerAPIOrder(r.ID)}
}

type eventJSON struct {
	ID             string          `json:"id"`
	Kind           string          `json:"kind"`
	At             string          `json:"at"`
	CampaignID     int64           `json:"campaign_id"`
	RegistrationID int64           `json:"registration_id"`
	Data           json.RawMessage `json:"data"`
}

func eventOf(e models.SellerEvent) eventJSON {
	return eventJSON{ID: models.EventCursor{Xact: e.Xact, ID: e.ID}.String(), Kind: e.Kind, At: instant(e.At.In(time.UTC)),
		CampaignID: e.CampaignID, RegistrationID: e.RegistrationID, Data: json.RawMessage(e.Data)}
}
