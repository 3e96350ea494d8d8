package handlers

import (
	"context"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
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
