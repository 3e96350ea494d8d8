package views

import "campaignportal/models"

// ManageSKU is one SKU on the Manage page.
type ManageSKU struct {
	ID            int64
	Code          string
	Attributes    string
	CampaignPrice string
	Stock         string
	EditURL       string
	EditLocked    string // why Edit is disabled, or ""
	CanEdit       bool   // the product is in the campaign: Edit is shown (maybe disabled)
	OpenEdit      *EditSummary
	LastDecision  string
	NotRegistered string // the reviewer's reason for keeping this SKU out of its registered product; "" when in
	SimURL        string // the simulator panel for this SKU
	Fix           string // what the reviewer's standard reason implies for this SKU ("Lower to $34.99"), "" for nothing
}

// EditSummary is an open price edit request as the seller sees it.
type EditSummary struct {
	OldPrice  string
	NewPrice  string
	Submitted string
	DueBy     string
}

// ManageProduct is one product on the Manage page.
type ManageProduct struct {
	ID            int64
	Title         string
	PID           string
	Status        string
	StatusLabel   string
	StatusTone    string
	Reason        string
	Tier          string
	ExtraDiscount string
	CanWithdraw   bool
	SKUError      string
	// WithdrawalRequested is when the product's open withdrawal request
	// was made ("" when none), with what it takes out.
	WithdrawalRequested string
	WithdrawalKind      string
	SKUs                []ManageSKU
	// A rejected product whose reason a rule answers: the form that
	// registers it again with its SKUs' fixes (FixURL "" when none).
	FixURL string
}

// StatusTab is a status filter of the Manage page.
type StatusTab struct {
	Key     string
	Label   string
	Count   int
	URL     string
	Current bool
}

// WithdrawalRow is one withdrawal in the history: asked at Requested;
// Decided is when it was approved (took effect), declined or cancelled.
type WithdrawalRow struct {
	ID         int64
	Product    string
	Kind       string
	Status     string
	StatusTone string
	Requested  string
	Decided    string
	Reason     string
	CancelURL  string // set while the request waits for a reviewer
}

// ManagePage is "Manage a campaign".
type ManagePage struct {
	RegistrationID int64
	CampaignName   string
	CampaignURL    string
	Status         string
	StatusOK       bool
	Reason         string
	Deadline       TimeText
	Countdown      string
	Open           bool
	Timezone       string
	AddURL         string
	WithdrawURL    string
	ResolveURL     string
	Tabs           []StatusTab
	Products       []ManageProduct
	SKUErrors      []ManageProduct
	Withdrawals    []WithdrawalRow
	Notice         string
	Error          string
	DeadlinePassed bool
	EditsPaused    string // one banner when every edit waits for the review
	// WithdrawalReview: the campaign's withdrawals wait for a reviewer.
	WithdrawalReview bool
}

// PriceEditDialog is the Edit pop-up.
type PriceEditDialog struct {
	Action          string
	SKU             string
	Product         string
	CurrentPrice    string
	ExpectedPrice   string
	ExpectedRequest int64
	MaxPrice        string
	Rule            string
	Value           string
	Error           string
	OpenEdit        *EditSummary
	SKUID           int64
	Limit           models.PriceLimit // today's maximum, which the fix is derived from
	Fix             *FixView
	Memory          string // the price memory warning of the price shown
}

// Withdrawable is how many products "Bulk withdraw" takes out of the
// campaign: those under review, registered or in SKU error (the statuses
// models.Store.Withdraw takes for the whole campaign), from the tab counts.
func (m ManagePage) Withdrawable() int {
	n := 0
	for _, t := range m.Tabs {
		switch models.ProductStatus(t.Key) {
		case models.ProductPending, models.ProductRegistered, models.ProductSKUError:
			n += t.Count
		}
	}
	return n
}

// WithdrawConfirm is what the withdraw dialog says happens: at once, or a
// request a reviewer approves when the campaign's withdrawals need review.
func (m ManagePage) WithdrawConfirm(lead string) string {
	if m.WithdrawalReview {
		return "This campaign's withdrawals need review: this asks a reviewer. Until the approval the products stay in the campaign and orders pay the campaign fee; orders placed from the approval on pay none. You can cancel the request while it waits."
	}
	return lead + "Orders placed before now keep their campaign fee; orders placed from now on pay no campaign fee for them."
}
