package views

// RecommendationRow is one price recommendation on the Submitted page.
type RecommendationRow struct {
	ID          int64
	URL         string
	Product     string
	SKU         string
	Why         string
	YourPrice   string
	Recommended string
	Status      string // open, accepted, edited, dismissed
	Outcome     string
	Error       string
	EditValue   string
}

// RelatedCampaign is another open campaign the shop may join.
type RelatedCampaign struct {
	Name     string
	Deadline string
	Subs     []string
	CopyURL  string
	ViewURL  string
}

// SubmittedPage is the page after submitting.
type SubmittedPage struct {
	CampaignName    string
	Status          string
	StatusOK        bool
	Message         string
	Products        int
	SKUs            int
	ManageURL       string
	RegisterURL     string
	Recommendations []RecommendationRow
	// OpenRecommendations counts those not answered yet, for "Accept all".
	OpenRecommendations int
	AcceptAllURL        string
	Notice              string
	Related             []RelatedCampaign
}
