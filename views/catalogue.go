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
	Changes      []string // recent SKU changes, newest first
}
