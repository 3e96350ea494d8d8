package views

// NavReviewPriceEdits marks "Price edits" in the reviewer's navigation.
const NavReviewPriceEdits = "review-price-edits"

// The reviewer queue's tabs.
const (
	ReviewTabRegistrations = "registrations"
	ReviewTabPriceEdits    = "price-edits"
	ReviewTabDecided       = "decided"
)

// ReviewTab is one tab of the reviewer's queue, with what waits in it.
type ReviewTab struct {
	Key     string
	Label   string
	URL     string
	Count   int
	Current bool
}

// PriceEditRow is one price edit request in the reviewer's queue.
type PriceEditRow struct {
	ID              int64
	Shop            string
	Campaign        string
	RegistrationURL string // the registration's review page
	Product         string
	PID             string
	SKU             string
	Attributes      string
	Tier            string
	OldPrice        string
	NewPrice        string
	MaxAtRequest    string
	LiveLow         string
	LiveLowDate     string
	LiveMax         string
	AboveMax        bool     // the new price is above the maximum now
	LeftCampaign    string   // the product's status when it is no longer in the campaign
	Flags           []string // what the edit does against the SKU's history, in words
	Submitted       TimeText
	Due             TimeText
	Overdue         bool
	DueSoon         bool
	DecisionURL     string
}

// CanApprove reports whether approving can succeed: the new price is
// within the maximum now and the product is still in the campaign.
func (r PriceEditRow) CanApprove() bool { return !r.AboveMax && r.LeftCampaign == "" }

// PriceEditDecisionRow is one decided price edit in the audit list.
type PriceEditDecisionRow struct {
	When     string
	Who      string
	Shop     string
	Campaign string
	SKU      string
	Change   string // "$19.00 → $18.00"
	Decision string
	Tone     string
	Reason   string
}

// PriceEditForm is what the reviewer sent for one request, kept when the
// queue comes back with errors.
type PriceEditForm struct {
	RequestID  int64
	Decision   string
	ReasonCode string
	ReasonText string
}

// PriceEditQueueView is the price edit tab of the reviewer's queue.
type PriceEditQueueView struct {
	Tabs        []ReviewTab
	Rows        []PriceEditRow
	Overdue     int
	DueSoon     int
	Flagged     int // requests above the maximum now
	ServiceDays int
	Notice      string
	Skipped     []string // requests a bulk approval left alone, and why
	BulkError   string
	BulkURL     string
	Reasons     []ReasonOption
	Form        PriceEditForm
	Errors      map[string]string
	Conflict    string // the request was decided (or replaced) meanwhile
	Recent      []PriceEditDecisionRow
}

// FieldErr is the message for a field of the request's form, when that
// form was the one sent.
func (v PriceEditQueueView) FieldErr(id int64, key string) string {
	if v.Form.RequestID != id {
		return ""
	}
	return v.Errors[key]
}

// Value is what the request's form carried for a field, so a re-rendered
// form keeps the reviewer's words.
func (v PriceEditQueueView) Value(id int64, key string) string {
	if v.Form.RequestID != id {
		return ""
	}
	switch key {
	case "reason_code":
		return v.Form.ReasonCode
	case "reason_text":
		return v.Form.ReasonText
	}
	return ""
}

// RejectOpen keeps a row's reject form open when it came back with errors.
func (v PriceEditQueueView) RejectOpen(id int64) bool {
	return v.Form.RequestID == id && v.Form.Decision == "rejected" && len(v.Errors) > 0
}
