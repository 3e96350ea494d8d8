package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
)

// StaffStore summarises the platform for staff home pages.
type StaffStore interface {
	StaffOverview(ctx context.Context) (models.StaffCampaignCounts, error)
}

// Staff holds the reviewer's and the campaign manager's home pages.
type Staff struct {
	Kit
	store StaffStore
}

// NewStaff builds the staff area.
func NewStaff(k Kit, store StaffStore) *Staff { return &Staff{Kit: k, store: store} }

// ReviewerHome is where reviewers land.
func (h *Staff) ReviewerHome(c echo.Context) error {
	return h.home(c, views.NavReview, "Review queue",
		"Pending registrations and price edits, oldest due first, within the 5-business-day service level.")
}

func (h *Staff) home(c echo.Context, nav, heading, intro string) error {
	o, err := h.store.StaffOverview(ctx(c))
	if err != nil {
		return err
	}
	v := views.StaffHome{Heading: heading, Intro: intro, Drafts: o.Drafts, Published: o.Published,
		Closed: o.Closed, Pending: o.PendingRegistrations}
	if o.OldestPending != nil {
		v.OldestPending = views.DateTime(*o.OldestPending, time.UTC)
	}
	return Render(c, http.StatusOK, views.StaffHomePage(h.Page(c, heading, nav), v))
}
