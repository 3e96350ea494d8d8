package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// RegistrationStore reads a shop's registrations.
type RegistrationStore interface {
	ShopRegistration(ctx context.Context, shopID, registrationID int64) (models.Registration, models.Campaign, error)
	ConfirmCampaignVersion(ctx context.Context, shopID, registrationID int64) error
}

// Registrations is the seller's Manage page of a registration.
type Registrations struct {
	Kit
	store RegistrationStore
}

// NewRegistrations builds the registrations area.
func NewRegistrations(k Kit, store RegistrationStore) *Registrations {
	return &Registrations{Kit: k, store: store}
}

// Show renders one of the shop's registrations; another shop's is a 404.
func (h *Registrations) Show(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	reg, cp, err := h.store.ShopRegistration(ctx(c), shop.ID, id)
	if err != nil {
		return err
	}
	loc := cp.Location()
	now := h.Now()
	v := views.RegistrationView{
		CampaignName: cp.Name, CampaignURL: routes.Campaign(cp.ID),
		Reason:   reg.DecisionReason,
		Deadline: timeText(cp.RegistrationDeadline, loc), Timezone: cp.Timezone, Version: reg.CampaignVersion,
	}
	v.Status, v.StatusOK = registrationLabel(reg.Status)
	if reg.SubmittedAt != nil {
		v.Submitted = views.DateTime(*reg.SubmittedAt, loc)
	}
	if reg.DecidedAt != nil {
		v.Decided = views.DateTime(*reg.DecidedAt, loc)
	}
	if cp.PhaseAt(now) == models.PhaseOpen {
		v.ShowCountdown = true
		v.Countdown = views.Countdown(now, cp.RegistrationDeadline)
	}
	return Render(c, http.StatusOK, views.RegistrationPage(h.Page(c, cp.Name, views.NavCampaigns), v))
}

// ConfirmVersion accepts the campaign's current rules for the shop's
// registration, after the seller has read what changed.
func (h *Registrations) ConfirmVersion(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	reg, _, err := h.store.ShopRegistration(ctx(c), shop.ID, id)
	if err != nil {
		return err
	}
	if err := h.store.ConfirmCampaignVersion(ctx(c), shop.ID, id); err != nil {
		return err
	}
	return Redirect(c, routes.Campaign(reg.CampaignID))
}
