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
	// Filters, counts, order and paging.
	Chips         []QueueChip
	Campaigns     []FilterOption
	Sorts         []FilterOption
	CampaignID    string
	Shop          string
	Flag          string
	Sort          string
	Total         int // matching the filter
	Page          int
	Pages         int
	PrevURL       string
	NextURL       string
	ClearURL      string
	DecidedURL    string
	BulkDecideURL string
	Reasons       []ReasonOption
}

// QueueChip is one filter of the queue with how many match it.
type QueueChip struct {
	Key     string
	Label   string
	Count   int
	URL     string
	Current bool
}

// FilterOption is one choice of a filter's select.
type FilterOption struct {
	Value    string
	Label    string
	Selected bool
}

// DecidedRow is one audited decision in the decided list.
type DecidedRow struct {
	When     TimeText
	Shop     string
	Campaign string
	Product  string // "" for decisions made on a whole registration
	PID      string
	SKU      string // the SKU's code for a decision on one SKU
	Bulk     bool   // made by a bulk action across the queue
	Reviewer string
	Decision string
	Tone     string
	Reason   string
	URL      string
}

// DecidedView is the decided list with its search.
type DecidedView struct {
	Rows     []DecidedRow
	Shop     string
	Campaign string
	PID      string
	Reviewer string
	Day      string // YYYY-MM-DD
	How      []FilterOption
	DayError string
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Tabs     []ReviewTab
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
	ID            int64 // registration SKU id: the SKU's field names
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
	RaisedFlag    string // why the reviewer may doubt the discount, in words; "" for none
	CostFlag      string // the campaign price below the shop's cost of goods, in words
	FloorFlag     string // the stacked buyer price below the campaign's floor, in words
	KeptOut       string // decided earlier: the reason this SKU was kept out of its registered product
	// Decidable: the SKU's product is under review with other SKUs, so this
	// SKU can be rejected on its own; what the reviewer chose, kept when
	// the page comes back with errors, and the messages beside it.
	Decidable  bool
	Reject     bool
	ReasonCode string
	ReasonText string
	CodeError  string
	TextError  string
}

// ReviewProductView is one product of the registration.
type ReviewProductView struct {
	ID            int64 // registration product id: the decision's field names
	Title         string
	PID           string
	Tier          string
	ExtraDiscount string // "" for none
	Status        string
	StatusTone    string
	Reason        string
	AboveMax      int // its SKUs above the maximum now (pending products only)
	SKUs          []ReviewSKUView
	// What the reviewer chose for it, kept when the page comes back with
	// errors, and the messages beside it.
	Decision      string // "approved", "rejected" or ""
	ReasonCode    string
	ReasonText    string
	CodeError     string
	TextError     string
	DecisionError string
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
	Reason       string // the registration's own reason, shown once nothing is under review
	LookbackDays int
	Rules        []TierRuleText
	Deciding     []ReviewProductView // the products under review: what this page decides
	Others       []ReviewProductView // decided earlier, withdrawn or in SKU error, shown apart
	PendingSKUs  int
	AboveMax     int
	History      []HistoryEntry
	QueueURL     string
	DecisionURL  string
	PrevURL      string // the previous and next registrations in the queue, "" at the ends
	NextURL      string
	Reasons      []ReasonOption
	Note         string
	NoteError    string
	FormError    string // what is wrong with the step as a whole
	Conflict     string // a product was decided by someone else meanwhile
}
