package views

import (
	"strconv"
	"strings"
)

// UploadPageView is the bulk upload screen: the templates to download,
// the upload form, the current upload (if any) and the recent ones.
type UploadPageView struct {
	CampaignName    string
	CampaignURL     string
	RegisterURL     string // the price table of the draft
	TemplateCSVURL  string
	TemplateXLSXURL string
	Rules           []string // the campaign's rules, as the checks apply them
	Form            UploadFormView
	Current         *UploadStatusView
	Recent          []UploadListItem
}

// UploadFormView is the upload form, with the reason a file was refused.
type UploadFormView struct {
	Action  string
	Error   string
	MaxMB   int
	MaxRows int
}

// UploadStatusView is one upload: its progress while it is checked, then
// the verdict per row.
type UploadStatusView struct {
	ID        int64
	FileName  string
	Uploaded  string
	StatusURL string // polled while waiting
	Existing  bool   // the same file was uploaded before: this is that upload
	Waiting   bool
	Queued    bool
	Processed int
	Total     int
	Approx    bool // Total is an upper bound (a workbook not read yet)
	Percent   int
	Failed    bool
	Error     string
	Valid     int
	Invalid   int
	Skipped   int
	Saved     bool
	SavedText string
	SaveURL   string
	CanSave   bool
	SaveError string // why saving did nothing
	ErrorsURL string
	DraftURL  string

	Show       string // "invalid" or "valid"
	Page       int    // the page of rows shown, from 1
	InvalidURL string
	ValidURL   string
	Rows       []UploadRowView
	From, To   int
	TotalShown int
	PrevURL    string
	NextURL    string
}

// UploadRowView is one judged row.
type UploadRowView struct {
	Line     int
	PID      string
	SKU      string
	Price    string
	Stock    string
	Tier     string
	Discount string
	Reason   string
	Valid    bool
	// A refused row whose every refusal has the rule's fix: the button
	// (FixLabel, posted to FixURL) that adds the fixed row to the draft.
	FixURL   string
	FixLabel string
	FixError string // why applying it was refused
	Fixed    string // it was applied: what went into the draft
}

// UploadListItem is one recent upload of the draft.
type UploadListItem struct {
	FileName string
	When     string
	Status   string
	Tone     string
	Summary  string
	URL      string
}

// Count shows a whole number with thousands separators: 10,000.
func Count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
