package views

// ReviewQueueRow is one pending registration in the reviewer queue.
type ReviewQueueRow struct {
	ID        int64
	URL       string
	Shop      string
	Campaign  string
	Submitted TimeText
	Due       TimeText
	Overdue   bool
	DueSoon   bool // due within a day, not late yet
	Products  int
	SKUs      int
	AboveMax  int // SKUs priced above their maximum as of now
}

// ReviewQueueView is the reviewer's home: the queue, oldest due first.
type ReviewQueueView struct {
	Rows        []ReviewQueueRow
	Overdue     int
	DueSoon     int
	Flagged     int // registrations with a SKU above its maximum now
	ServiceDays int
	Notice      string   // what was just decided
	Skipped     []string // registrations a bulk approval left alone, and why
	BulkError   string
	BulkURL     string
	Tabs        []ReviewTab // registrations and price edits
}

// ReasonOption is one standard rejection reason in the select.
type ReasonOption struct {
	Code  string
	Label string
}

// TierRuleText is one tier's price rule in words.
type TierRuleText struct {
	Tier string
	Text string
}

// ReviewSKUView is one SKU with its price against the rule.
type ReviewSKUView struct {
	Code          string
	Attributes    string
	CampaignPrice string
	CampaignStock string
	Available     int // at submit
	StockNow      int
	LowAtSubmit   string
	MaxAtSubmit   string
	LiveLow       string
	LiveLowDate   string
	LiveMax       string
	AboveMax      bool
	StockShort    bool
}

// ReviewProductView is one product of the registration.
type ReviewProductView struct {
	Title         string
	PID           string
	Tier          string
	ExtraDiscount string // "" for none
	Status        string
	StatusTone    string
	Reason        string
	SKUs          []ReviewSKUView
}

// ReviewForm is what the reviewer entered, kept when the page comes back
// with errors.
type ReviewForm struct {
	Decision   string // "approved" or "rejected": which form was sent
	ReasonCode string
	ReasonText string
}

// ReviewView is one registration's review page.
type ReviewView struct {
	ID           int64
	Shop         string
	ShopID       string
	SPS          string
	Campaign     string
	CampaignTZ   string
	Status       string
	StatusTone   string
	Pending      bool
	Submitted    TimeText
	Due          TimeText
	Overdue      bool
	Decided      string
	DecidedBy    string
	Reason       string
	LookbackDays int
	Rules        []TierRuleText
	Products     []ReviewProductView
	PendingSKUs  int
	AboveMax     int
	History      []HistoryEntry
	QueueURL     string
	DecisionURL  string
	Reasons      []ReasonOption
	Form         ReviewForm
	Errors       map[string]string
	Conflict     string // the registration was decided by someone else meanwhile
}

// FieldErr is the message for a field of one of the two forms (approve or
// reject): only the form that was sent shows its errors.
func (v ReviewView) FieldErr(decision, key string) string {
	if v.Form.Decision != decision {
		return ""
	}
	return v.Errors[key]
}

// Value is what the form that was sent carried for a field, so a
// re-rendered form keeps the reviewer's words.
func (v ReviewView) Value(decision, key string) string {
	if v.Form.Decision != decision {
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
