package views

// ProductListRow is one product in the seller's catalogue.
type ProductListRow struct {
	URL        string
	PID        string
	Title      string
	Category   string
	SKUCount   int
	PriceRange string
	Stock      int
}

// ProductList is Managed products.
type ProductList struct {
	Query    string
	Rows     []ProductListRow
	Total    int
	From, To int
	PrevURL  string
	NextURL  string
}

// PriceChange is one row of a SKU's price history.
type PriceChange struct {
	Price  string
	From   string
	To     string
	Source string
}

// SKURow is one SKU of a product.
type SKURow struct {
	ID          int64
	EditURL     string
	DeleteURL   string
	RetailValue string
	CostValue   string // the shop's cost of goods, "" for none
	Error       string
	Code        string
	Attributes  string
	RetailPrice string
	Stock       int
	Reserved    int      // campaign stock held by campaigns, in total
	ReservedIn  []string // per campaign: "Cyber Week: 20 (Dec 1 – Dec 7, 2026)"
	Version     int
	LookbackLow string
	LowDate     string
	History     []PriceChange
}

// ProductDetails is one product of the catalogue.
type ProductDetails struct {
	Title        string
	PID          string
	Category     string
	LookbackDays int
	SKUs         []SKURow
	BackURL      string
	Registered   []string // "Black Friday … (Registered)": where an edit causes a SKU error
	AddURL       string
	CategoryURL  string
	CategoryID   int64
	Categories   []CategoryOption
	Errors       map[string]string
	Notice       string
	Changes      []string          // recent SKU changes, newest first
	Values       map[string]string // the add form's values as typed
	Impact       *EditImpactPanel  // an edit waiting for the seller to confirm its impact
}

// EditImpactRow is one registration an edit would put in SKU error.
type EditImpactRow struct {
	Campaign  string
	Status    string
	Deadline  string
	Why       string
	Fix       string
	CanFix    bool // the deadline still allows the fix
	ManageURL string
}

// HiddenField carries a value of the edit into its confirmation form.
type HiddenField struct{ Name, Value string }

// EditImpactPanel asks the seller to confirm an edit knowing what it
// breaks; Ack is the list's fingerprint, checked by the server.
type EditImpactPanel struct {
	Rows      []EditImpactRow
	Changed   bool // the list changed since the seller saw it
	Error     string
	ActionURL string
	CancelURL string
	Action    string
	Ack       string
	Hidden    []HiddenField
}
