package views

// SimStep is one line of the simulator's working: a label, an amount and
// what it comes from.
type SimStep struct {
	Label  string
	Amount string
	Note   string
	Total  bool // a result line (bold, ruled above)
}

// SimCampaignRow is one registration of the SKU at the simulated instant.
type SimCampaignRow struct {
	Campaign string
	Price    string
	Verdict  string
	Applies  bool
}

// SimCouponRow is one co-funded coupon of the applicable campaign.
type SimCouponRow struct {
	Code     string
	Terms    string
	Outcome  string
	Discount string
	Seller   string
	Platform string
	Chosen   bool
}

// SimulatorView is the simulator's answer for one SKU and basket.
type SimulatorView struct {
	SKUID         int64
	CampaignID    int64
	SKULabel      string
	Product       string
	PanelURL      string // this panel again (refreshed when the SKU's row is saved)
	PageURL       string // the page of its own
	Quantity      string
	SellerCoupon  string
	Shipping      string
	At            string // datetime-local, UTC
	AtText        string
	Errors        map[string]string
	Campaigns     []SimCampaignRow
	Coupons       []SimCouponRow
	CouponNote    string
	Steps         []SimStep
	ShopperPays   string
	Payout        string
	PayoutPerUnit string
	FeeRule       string
}
