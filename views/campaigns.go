package views

import "campaignportal/models"

// TabLink is one tab of the campaign list.
type TabLink struct {
	Key     string
	Label   string
	Count   int
	URL     string
	Current bool
}

// ActionLink is a row's call to action.
type ActionLink struct {
	Label    string
	URL      string
	Primary  bool
	Disabled bool
	Why      string // shown when disabled
}

// TimeText is a moment as the seller reads it, in the campaign's timezone.
type TimeText struct {
	Text string // "Mon, Nov 30, 2026, 11:59 PM PST"
	ISO  string
}

// CampaignRow is one campaign in the seller's list.
type CampaignRow struct {
	ID             int64
	Name           string
	URL            string
	SubCampaigns   []string
	Timezone       string
	Deadline       TimeText
	Opens          TimeText
	Countdown      string
	CountdownSoon  bool
	ShowCountdown  bool
	RunDates       string
	PhaseLabel     string
	Eligible       bool
	Reasons        []string
	Registration   string // status label, empty when not registered
	RegistrationOK bool
	CoFunded       bool
	ReviewRequired bool
	LookbackDays   int
	Action         ActionLink
}

// CampaignList is the Marketing > Campaigns page.
type CampaignList struct {
	Tab          string
	TabLabel     string
	Query        string
	CoFunded     bool
	EligibleOnly bool
	Tabs         []TabLink
	Rows         []CampaignRow
	ShopName     string
	FilterURL    string // the list URL for the current tab, without filters
}

// CriterionView is one line of the details page's criteria.
type CriterionView struct {
	models.Criterion
}

// CouponRow is one coupon in the details page's table.
type CouponRow struct {
	Code          string
	Type          string // "$" or "%"
	TypeLabel     string
	Value         string
	MinPurchase   string
	Cap           string
	Targeting     string
	Ratio         string // "50% / 50%"
	MaxSellerFund string
	QuantityLeft  string
	Example       string // what the seller pays on an example order
}

// CouponUsedRow is what a co-funded coupon has cost the shop so far and
// the most it can still cost.
type CouponUsedRow struct {
	Code       string
	MaxFunding string // "$12.00 per order" or "No limit"
	Claims     string
	Used       string // the shop's share so far, net of returns
	Capped     string // claims the maximum seller funding stopped
	Left       string // the most it can still cost: "$240.00", or "No limit"
	LeftNote   string // how Left is worked out
}

// FeeExample is the worked example of the campaign service fee.
type FeeExample struct {
	ItemPrice, SellerDiscount, PriceAfterDiscount, Shipping, Rate, Fee string
}

// TierView states a tier's rule.
type TierView struct {
	Name        string
	Rule        string
	MinStock    int
	Recommended string
}

// CampaignDetails is the campaign details page.
type CampaignDetails struct {
	ID               int64
	Name             string
	Description      string
	Benefits         []string
	Timezone         string
	PhaseLabel       string
	Opens            TimeText
	Deadline         TimeText
	Countdown        string
	CountdownSoon    bool
	ShowCountdown    bool
	RunDates         string
	RunStart         TimeText
	RunEnd           TimeText
	SubCampaigns     []SubCampaignView
	Criteria         []models.Criterion
	Eligible         bool
	Reasons          []string
	Coupons          []CouponRow
	CouponsUsed      []CouponUsedRow // the shop's co-funding so far, once registered
	CouponsRequired  bool
	Tiers            []TierView
	LookbackRule     string
	ExtraDiscount    string
	ReviewRequired   bool
	WithdrawalReview bool // withdrawals wait for a reviewer's approval
	FeeRate          string
	FeeRefund        string
	Fee              FeeExample
	Registration     string
	RegistrationURL  string
	RegisterURL      string
	Version          int
	ListURL          string
	RegistrationOpen bool
	// Preview is set when a campaign manager previews the page.
	Preview string
	// Changes lists what the latest version changed (or, for a shop
	// registered under an older version, everything since).
	Changes        []string
	ChangesVersion int
	// RegisteredVersion is the version the shop's registration was made
	// under when it is older than the campaign's; ConfirmURL accepts the new one.
	RegisteredVersion int
	ConfirmURL        string
}

// SubCampaignView is a sub-campaign with its dates.
type SubCampaignView struct {
	Name  string
	Dates string
}
