package views

// The platform's view of a campaign, for campaign managers: view models.

// PlatformStat is one headline figure.
type PlatformStat struct {
	TestID string
	Label  string
	Value  string
	Note   string // a muted line under the value ("" for none)
}

// PlatformCoupon is one coupon of the campaign with its claims so far.
type PlatformCoupon struct {
	Code    string
	Terms   string // "20% off orders of $100.00 or more, up to $50.00, seller 50% / platform 50%"
	Claimed string
	Issued  string
	Left    string
}

// PlatformShop is one row of the top shops.
type PlatformShop struct {
	Rank     string
	Name     string
	PublicID string
	Orders   string
	Sales    string
	Fee      string
	Subsidy  string
}

// PlatformPerf is the platform's view of a campaign.
type PlatformPerf struct {
	Name          string
	Status        string
	StatusTone    string // ok, info, warn, muted, bad
	RunDates      string
	Zone          string // the campaign's timezone: every day on the page is one of its days
	CampaignURL   string
	Exports       []PerfExport // days, coupons, shops
	Action        string       // the range form's target, without a query
	From, To      string       // YYYY-MM-DD, as the inputs show them
	Errors        map[string]string
	Range         string // "Nov 30 – Dec 2, 2025"
	Registrations []PlatformStat
	Orders        []PlatformStat
	SalesChart    Chart
	CostChart     Chart
	CouponsSpent  string // the platform's subsidy in the range, against the coupons claimed
	Coupons       []PlatformCoupon
	Budgets       []PlatformBudget // the coupons the platform pays a share of
	TopShops      []PlatformShop
	TopShopsLimit int
}

func platformValue(d PlatformPerf, name string) string {
	if name == "to" {
		return d.To
	}
	return d.From
}

// Export returns a table's downloads.
func (d PlatformPerf) Export(table string) PerfExport {
	for _, e := range d.Exports {
		if e.Table == table {
			return e
		}
	}
	return PerfExport{}
}

// PlatformBudget is one coupon's platform budget burning down.
type PlatformBudget struct {
	Code       string
	Terms      string
	Budget     string // "$5,000.00", or "" without one
	SetURL     string // the budget's field on the campaign's page
	Spent      string // the platform's share so far
	Left       string
	Status     string // "On track", "Runs out early", "Spent"
	StatusTone string // ok, warn, bad, muted
	Forecast   string // in words
	Exhausted  bool
	Claims     string
	ClaimsText string // "12 claims"
	Discount   string
	Chart      Chart
	Days       []PlatformBudgetDay
}

// PlatformBudgetDay is one day of a burn-down.
type PlatformBudgetDay struct {
	Day           string
	Claims        string
	Discount      string
	PlatformShare string
	Left          string
	Over          bool // the budget is overspent at the end of the day
}
