package views

import (
	"fmt"

	"campaignportal/models"
)

// ManagerRow is one campaign in the campaign manager's list.
type ManagerRow struct {
	URL            string
	Name           string
	State          string
	StateTone      string // ok, info, warn, muted, bad
	Registration   string
	Runs           string
	Version        int
	Registrations  int
	PendingReviews int
}

// ManagerList is the campaign manager's home.
type ManagerList struct {
	Rows   []ManagerRow
	NewURL string
}

// HistoryEntry is one audit or version line.
type HistoryEntry struct {
	When    string
	Who     string
	Action  string
	Changes []string
}

// ManagerCampaign is one campaign's page for its manager.
type ManagerCampaign struct {
	ID             int64
	Name           string
	State          string
	StateTone      string
	Version        int
	Revision       int
	Timezone       string
	Opens          string
	Deadline       string
	RunDates       string
	SubCampaigns   []SubCampaignView
	Coupons        []string
	Registrations  int
	PendingReviews int
	EditURL        string
	PreviewURL     string
	PublishURL     string
	CloseURL       string
	DuplicateURL   string
	PerformanceURL string // "" for drafts: nothing to show yet
	CanPublish     bool
	CanClose       bool
	CanEdit        bool
	EditLabel      string
	Versions       []HistoryEntry
	Audit          []HistoryEntry
	Error          string
}

// CampaignFormView is the create/edit form.
type CampaignFormView struct {
	Form        models.CampaignForm
	Errors      map[string]string
	Action      string
	Revision    int
	Title       string
	Submit      string
	Published   bool // editing a published campaign: saving publishes a new version
	NextVersion int
	CancelURL   string
	Timezones   []string
}

// Err returns the message for a field, if any.
func (f CampaignFormView) Err(key string) string { return f.Errors[key] }

// closeBody says what closing registration early does to the
// registrations there are.
func closeBody(registrations int) string {
	switch registrations {
	case 0:
		return "No seller has registered; no registrations are accepted from now on."
	case 1:
		return "Its 1 registration stays in the campaign; no new registrations are accepted from now on."
	}
	return fmt.Sprintf("Its %d registrations stay in the campaign; no new registrations are accepted from now on.", registrations)
}
