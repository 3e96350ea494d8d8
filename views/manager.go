package views

import (
	"fmt"

	"campaignportal/models"
)

// ManagerRow is one campaign in the campaign manager's list.
type ManagerRow struct {
	URL            string
	Name           string
	State          string
	StateTone      string // ok, info, warn, muted, bad
	Registration   string
	Runs           string
	Version        int
	Registrations  int
	PendingReviews int
}

// ManagerList is the campaign manager's home.
type ManagerList struct {
	Rows   []ManagerRow
	NewURL string
}

// HistoryEntry is one audit or version line.
type HistoryEntry struct {
	When    string
	Who     string
	Action  string
	Changes []string
}

// ManagerCampaign is one campaign's page for its manager.
type ManagerCampaign struct {
	ID             int64
	Name           string
	State          string
	StateTone      string
	Version        int
	Revision       int
	Timezone       string
	Opens          string
	Deadline       string
	RunDates       string
	SubCampaigns   []SubCampaignView
	Coupons        []ManagerCoupon
	Registrations  int
	PendingReviews int
	EditURL        string
	PreviewURL     string
	PublishURL     string
	CloseURL       string
	DuplicateURL   string
	PerformanceURL string // "" for drafts: nothing to show yet
	CanPublish     bool
	CanClose       bool
	CanEdit        bool
	EditLabel      string
	Rules          []RuleGroup
	Versions       []HistoryEntry
	Audit          []HistoryEntry
	Error          string
}

// Rule is one rule of a campaign, stated in words.
type Rule struct {
	Label string
	Value string
}

// RuleGroup is a titled group of rules on the manager's campaign page.
type RuleGroup struct {
	Title  string
	TestID string
	Rules  []Rule
}

// CampaignFormView is the create/edit form.
type CampaignFormView struct {
	Form        models.CampaignForm
	Errors      map[string]string
	Action      string
	Revision    int
	Title       string
	Submit      string
	Published   bool // editing a published campaign: saving publishes a new version
	NextVersion int
	CancelURL   string
	ReloadURL   string // the edit form, fresh from the campaign ("" when new)
	Timezones   []string
	Flash       string
	// Stale says who saved the campaign after this form was loaded (the
	// 409 answer), "" when unknown or not stale.
	Stale string
	// Changes is what saving a published campaign's edit publishes, shown
	// to confirm before it is; ChangesDigest ties the confirmation to it.
	Changes       []string
	ChangesDigest string
}

// Err returns the message for a field, if any.
func (f CampaignFormView) Err(key string) string { return f.Errors[key] }

// Blank says whether a sub-campaign ("subs") or coupon ("coupons") row was
// submitted empty and kept for the manager to fill or remove.
func (f CampaignFormView) Blank(section string, i int) bool {
	key := "name"
	if section == "coupons" {
		key = "code"
	}
	return f.Err(rowKey(section, i, key)) == models.BlankRowMessage
}

// ErrorLink is one line of the form's error summary: what is wrong, and
// the id of the field it jumps to.
type ErrorLink struct {
	Target  string
	Label   string
	Message string
}

// formFields are the form's single fields in the order they appear, with
// the label the summary gives them; sub-campaign and coupon rows follow
// "subs" and "coupons".
var formFields = []struct{ key, label string }{
	{"name", "Name"}, {"description", "Description"}, {"benefits", "Benefits"}, {"timezone", "Timezone"},
	{"opens", "Registration opens"}, {"deadline", "Registration deadline"}, {"run_start", "Campaign starts"},
	{"run_end", "Campaign ends"}, {"subs", "Sub-campaigns"},
	{"min_sps", "Minimum SPS"}, {"allow_no_sps", "Shops without an SPS"}, {"free_shipping_required", "Free shipping required"},
	{"max_threshold", "Maximum free shipping threshold"}, {"coupons_required", "Coupons must be accepted"},
	{"lookback_days", "Price lookback"},
	{"featured_max_pct", "Featured maximum price"}, {"featured_rec_pct", "Featured recommended price"},
	{"featured_min_stock", "Featured minimum stock"},
	{"regular_max_pct", "Regular maximum price"}, {"regular_rec_pct", "Regular recommended price"},
	{"regular_min_stock", "Regular minimum stock"},
	{"extra_discount_allowed", "Extra discount"}, {"extra_discount_min", "Extra discount minimum"},
	{"review_required", "Registrations need review"}, {"withdrawal_review", "Withdrawals need review"}, {"buyer_floor_pct", "Buyer price floor"}, {"fee_rate", "Campaign service fee"},
	{"refund_policy", "Fee on cancelled or returned orders"}, {"coupons", "Coupons"},
}

var subFields = []struct{ key, label string }{{"name", "name"}, {"start", "start"}, {"end", "end"}}

var couponFields = []struct{ key, label string }{
	{"code", "code"}, {"type", "type"}, {"value", "value"}, {"min", "minimum purchase"}, {"cap", "cap"},
	{"targeting", "targeting"}, {"segment", "segment"}, {"seller_pct", "seller share"},
	{"platform_pct", "platform share"}, {"max_funding", "max seller funding"}, {"quantity", "quantity"},
}

// ErrorLinks lists every field message in the order of the form, each
// linking to its field ("form" and "revision", which belong to no field,
// are the summary's heading instead).
func (f CampaignFormView) ErrorLinks() []ErrorLink {
	var out []ErrorLink
	add := func(key, target, label string) {
		if msg := f.Err(key); msg != "" {
			out = append(out, ErrorLink{Target: target, Label: label, Message: msg})
		}
	}
	rows := func(section, prefix, noun string, n int, fields []struct{ key, label string }) {
		for i := 0; i < n; i++ {
			for _, fl := range fields {
				add(rowKey(section, i, fl.key), rowID(prefix, i, fl.key), fmt.Sprintf("%s %d, %s", noun, i+1, fl.label))
			}
		}
	}
	for _, fl := range formFields {
		target := fl.key
		if fl.key == "subs" || fl.key == "coupons" {
			target = fl.key + "-error"
		}
		add(fl.key, target, fl.label)
		switch fl.key {
		case "subs":
			rows("subs", "sub", "Sub-campaign", len(f.Form.SubCampaigns), subFields)
		case "coupons":
			rows("coupons", "coupon", "Coupon", len(f.Form.Coupons), couponFields)
		}
	}
	return out
}

// closeBody says what closing registration early does to the
// registrations there are.
func closeBody(registrations int) string {
	switch registrations {
	case 0:
		return "No seller has registered; no registrations are accepted from now on."
	case 1:
		return "Its 1 registration stays in the campaign; no new registrations are accepted from now on."
	}
	return fmt.Sprintf("Its %d registrations stay in the campaign; no new registrations are accepted from now on.", registrations)
}

// ManagerCoupon is a coupon on its campaign's page: its terms and, when
// the platform pays a share, its subsidy budget's field.
type ManagerCoupon struct {
	Text   string
	Budget *ManagerBudget
}

// ManagerBudget is a coupon's platform budget form.
type ManagerBudget struct {
	CouponID int64
	Code     string
	FieldID  string
	Action   string
	Value    string // as saved, or as typed when refused
	Error    string
}
