package views

import (
	"strconv"
	"strings"
)

// NavPerformance marks Manage your campaigns in the side navigation.
const NavPerformance = "performance"

// Int shows a whole number with thousands separators: 12,480.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PerfFigures are a set of orders' figures, written out. RecordsURL opens
// the same orders on Settled records ("" for none).
type PerfFigures struct {
	RecordsURL       string
	Orders           string
	Cancelled        string
	Units            string
	Sales            string
	Merchandise      string
	Returned         string
	AverageOrder     string
	Fee              string // net of refunds
	FeeCharged       string
	FeeRefunded      string
	CouponCost       string // the shop's share, net
	Subsidy          string // the platform's share, net
	Cost             string // fee + coupon cost
	Payout           string
	PayoutNegative   bool
	CancellationRate string
	ReturnRate       string
}

// Change is a figure's change against the year before; Good and Bad say
// which way helps the seller (less cost is good).
type Change struct {
	Text      string
	Good, Bad bool
}

// PerfChange is the change of each yearly figure.
type PerfChange struct {
	Sales, Orders, Units, AverageOrder, Fee, CouponCost, Subsidy, Payout Change
}

// PerformanceRow is one campaign in Manage your campaigns.
type PerformanceRow struct {
	Name              string
	Run               string
	Zone              string
	Registration      string
	RegistrationClass string
	ViewURL           string
	Figures           PerfFigures
}

// PerformanceYear is Manage your campaigns.
type PerformanceYear struct {
	Year      string
	PrevYear  string
	Years     []Option
	YearError string
	Rows      []PerformanceRow
	Empty     bool
	Total     PerfFigures // each order once
	Previous  PerfFigures
	Change    PerfChange
	CSVURL    string
	XLSXURL   string
}

// PerfSubRow is one sub-campaign's share.
type PerfSubRow struct {
	Name    string
	Figures PerfFigures
}

// SortHeader is a sortable column heading.
type SortHeader struct {
	Label string
	Key   string
	URL   string
	Aria  string // "ascending", "descending" or "" when not sorted by it
}

// PerfSKURow is one SKU in View data.
type PerfSKURow struct {
	Product      string
	SKU          string
	PID          string
	CampaignLine bool
	Units        string
	Returned     string // returned or cancelled
	Sales        string
	Fee          string
	CouponCost   string
	SoldThrough  string
}

// PerfExport is one table's downloads.
type PerfExport struct {
	Table     string
	CSV, XLSX string
}

// Uplift compares the shop's sales during the range with the days before.
type Uplift struct {
	Days          string
	During        string
	DuringOrders  string
	DuringRange   string
	DuringURL     string
	Before        string
	BeforeOrders  string
	BeforeRange   string
	BeforeURL     string
	Extra         string
	ExtraNegative bool
	Cost          string
	PerDollar     string // extra sales per $1 of cost ("" without cost)
	Verdict       string
}

// CampaignPerf is View data.
type CampaignPerf struct {
	ID         int64
	Name       string
	Zone       string
	Run        string
	Range      string
	From, To   string
	WholeRun   bool
	RunURL     string
	BackURL    string
	ManageURL  string
	Errors     map[string]string
	Figures    PerfFigures
	CancelURL  string
	Days       int
	SalesChart Chart
	CostChart  Chart
	Subs       []PerfSubRow
	Sort, Dir  string
	SKUHeaders []SortHeader
	SKUs       []PerfSKURow
	SKUTotal   PerfSKURow
	// The other products bought in the same orders: one row of OtherSKUs
	// SKUs, or one row each (ShowingOthers); OthersURL switches.
	OtherSKUs     int
	ShowingOthers bool
	OthersURL     string
	Uplift        Uplift
	Exports       []PerfExport
}

// Export returns a table's downloads.
func (d CampaignPerf) Export(table string) PerfExport {
	for _, e := range d.Exports {
		if e.Table == table {
			return e
		}
	}
	return PerfExport{}
}
