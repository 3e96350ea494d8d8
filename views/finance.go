package views

// Finance > Settled records, an order's details, and the order feed's
// tokens: view models.

// Nav keys of these pages.
const (
	NavFinance   = "finance"
	NavAPITokens = "api-tokens"
)

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// SettledRow is one order in the settled records.
type SettledRow struct {
	URL            string
	OrderID        string
	PlacedAt       string
	PlacedISO      string
	Status         string
	StatusClass    string
	Merchandise    string
	Returned       string
	Fee            string
	FeeRefunded    string
	SellerShare    string
	PlatformShare  string
	Payout         string
	PayoutNegative bool
}

// SettledTotals are the filtered orders' sums.
type SettledTotals struct {
	Orders         string
	Merchandise    string
	Sales          string // merchandise net of returns and cancellations
	Returned       string
	Fee            string
	FeeRefunded    string
	SellerShare    string
	PlatformShare  string
	Payout         string
	PayoutNegative bool
}

// SettledRecords is the Settled records page.
type SettledRecords struct {
	From, To  string
	Zone      string // the timezone of the dates: UTC, or the filtered campaign's
	Campaigns []Option
	// The chosen campaign's sub-campaigns (none without a campaign).
	SubCampaigns []Option
	Statuses     []Option
	Errors       map[string]string
	Rows         []SettledRow
	Totals       SettledTotals
	NextURL      string
	FirstURL     string // shown when not on the first page
	CSVURL       string
	XLSXURL      string
	Filtered     bool
}

// OrderDetailLine is a line of an order with its campaign, or why none.
type OrderDetailLine struct {
	SKU            string
	Title          string
	Quantity       string
	UnitPrice      string
	SellerDiscount string
	Value          string
	Returned       string
	Campaign       string // "" when not a campaign line
	CampaignInfo   string // rate, refund policy, campaign price
	NotCampaign    string // why not
	FeePart        string
}

// OrderCoupon is the coupon's part of an order.
type OrderCoupon struct {
	Code        string
	Applied     bool
	Status      string // applied or the reason in words
	Terms       string
	Ratio       string
	MaxFunding  string
	Eligible    string
	Discount    string
	DiscountHow string
	Seller      string
	SellerHow   string
	Platform    string
	PlatformHow string
}

// OrderReversal is a cancellation or a return and what it gave back.
type OrderReversal struct {
	Title       string
	At          string
	Lines       []string
	Merchandise string
	Shipping    string
	FeeRefunded string
	Discount    string
	Seller      string
	Platform    string
	Notes       []string
	PayoutAfter string
}

// TimelineEntry is one moment of an order.
type TimelineEntry struct{ What, When string }

// OrderDetails is an order's details page: the whole calculation.
type OrderDetails struct {
	BackURL        string
	OrderID        string
	Status         string
	StatusClass    string
	Timeline       []TimelineEntry
	Lines          []OrderDetailLine
	Merchandise    string
	Shipping       string
	Campaigns      []string
	FeeTerms       []string
	FeeExact       string
	Fee            string
	FeeAtCompleted string
	FeeNotes       []string
	Coupon         *OrderCoupon
	Reversals      []OrderReversal
	Reversed       ReversedTotals
	PayoutTerms    []string
	Payout         string
	PayoutNegative bool
}

// ReversedTotals are what an order's cancellation or returns gave back.
type ReversedTotals struct {
	Merchandise string
	Shipping    string
	FeeRefunded string
	Discount    string
	Seller      string
	Platform    string
}

// APITokenRow is a token on the managers' page.
type APITokenRow struct {
	ID        int64
	Name      string
	Prefix    string
	CreatedAt string
	LastUsed  string
	Revoked   string
	RevokeURL string
}

// APITokens is the order feed's tokens page.
type APITokens struct {
	Rows      []APITokenRow
	NewSecret string // shown once, right after creating
	NewName   string
	Name      string
	Errors    map[string]string
}

// CampaignMoney is a campaign's fee and coupon totals so far, on its
// Manage page.
type CampaignMoney struct {
	Orders        string
	Fee           string
	FeeRefunded   string
	SellerShare   string
	PlatformShare string
	Payout        string
	RecordsURL    string
}
