package views

// RuleView states a tier's requirement in the left panel.
type RuleView struct {
	Name     string
	Price    string
	MinStock int
}

// FilterLink is one error filter of the price table.
type FilterLink struct {
	Key     string
	Label   string
	Count   int
	URL     string
	Current bool
}

// SKURowView is one SKU row of the price table.
type SKURowView struct {
	ID           int64
	UpdateURL    string
	Code         string
	Attributes   string
	RetailPrice  string
	LookbackLow  string
	LowDate      string
	MaxPrice     string
	Recommended  string
	TierRule     string
	Available    int
	Reserved     int    // held by other overlapping campaigns
	Price        string // as entered (or stored)
	Stock        string
	Keep         string // profit preview per unit
	KeepDetail   string
	Problems     []string
	PriceError   string
	StockError   string
	PriceTooHigh bool
	PriceFix     *FixView
	StockFix     *FixView
	Memory       string // the price memory warning, when the price becomes the floor
	SimURL       string // the simulator panel for this SKU
}

// FixView is the one-click fix of a refused value: a button that puts
// Value into the field Target and saves it the way typing does.
type FixView struct {
	Target string
	Value  string
	Label  string
}

// ProductFixView is a product-wide fix: the price table's bulk action
// (Kind, Value) on every SKU row of the product.
type ProductFixView struct {
	Action string
	Kind   string
	Value  string
	SKUIDs []int64
	Label  string
}

// ProductBlock is one product of the price table with its SKUs.
type ProductBlock struct {
	ID            int64
	UpdateURL     string
	Title         string
	PID           string
	Tier          string
	ExtraDiscount string
	ExtraAllowed  bool
	ExtraHint     string
	Source        string
	Problems      []string
	Error         string
	ExtraFix      *FixView
	ProductFixes  []ProductFixView // one change for every SKU of the product
	SKUs          []SKURowView
	SKUsOfProduct int
}

// ProfitTotals is the profit preview of the whole draft.
type ProfitTotals struct {
	Revenue, Fees, Coupons, Keep string
}

// RegisterPage is "Set campaign price and stock".
type RegisterPage struct {
	CampaignID      int64
	CampaignName    string
	CampaignURL     string
	Deadline        TimeText
	Countdown       string
	Timezone        string
	LookbackDays    int
	Rules           []RuleView
	CouponLines     []string
	ExtraDiscount   string
	ReviewRequired  bool
	Products        []ProductBlock
	Filters         []FilterLink
	AllURL          string
	FilterKey       string
	Totals          ProfitTotals
	SKUCount        int
	ProductCount    int
	ProblemSKUs     int
	PickURL         string
	UploadURL       string
	RecommendedURL  string
	BulkURL         string
	SubmitURL       string
	SubmitKey       string
	CouponsRequired bool
	CouponCount     int
	Errors          map[string]string
	Refused         []string // why the last submit was refused, for the summary at the top
	Notice          string
	PrevURL         string
	NextURL         string
	PageInfo        string
	Status          string // the registration's status when already submitted
	ManageURL       string
}

// PickRowView is one product on the Pick screen.
type PickRowView struct {
	ProductID  int64
	Title      string
	PID        string
	Category   string
	SKUs       int
	PriceRange string
	Stock      int
	MeetsRule  bool
	InDraft    bool
}

// PickPage is "Pick from your catalogue".
type PickPage struct {
	CampaignName string
	BackURL      string
	Action       string
	Query        string
	CategoryID   int64
	MeetsOnly    bool
	Categories   []CategoryOption
	Rows         []PickRowView
	Total        int
	PrevURL      string
	NextURL      string
	LookbackDays int
}

// CategoryOption is one category in a filter.
type CategoryOption struct {
	ID   int64
	Name string
}

// FilterCount is how many rows the current problem filter shows, the rows
// a bulk action "on every row with this error" acts on.
func (r RegisterPage) FilterCount() int {
	for _, f := range r.Filters {
		if f.Current {
			return f.Count
		}
	}
	return 0
}
