package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// APIKeysStore keeps the shops' seller API keys.
type APIKeysStore interface {
	SellerAPIKeys(ctx context.Context, shopID int64) ([]models.SellerAPIKey, error)
	CreateSellerAPIKey(ctx context.Context, shopID, userID int64, name string, scopes []string) (models.SellerAPIKey, string, error)
	RevokeSellerAPIKey(ctx context.Context, shopID, keyID, by int64, now time.Time) error
}

// APIKeys is the sellers' "API keys" page: make a key for the shop's own
// tools (shown once), see when each was last used, revoke one.
type APIKeys struct {
	Kit
	store APIKeysStore
}

// NewAPIKeys builds the API keys page.
func NewAPIKeys(k Kit, store APIKeysStore) *APIKeys { return &APIKeys{Kit: k, store: store} }

var scopeLabels = map[models.Scope]string{
	models.ScopeCampaignsRead:      "Read campaigns, registrations, notifications and events",
	models.ScopeRegistrationsWrite: "Register products, set prices and stock, submit, edit prices, withdraw",
	models.ScopeFinanceRead:        "Read settled records and order fee breakdowns",
}

func (h *APIKeys) render(c echo.Context, status int, shopID int64, d views.APIKeys) error {
	keys, err := h.store.SellerAPIKeys(ctx(c), shopID)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, s := range d.Chosen {
		chosen[s] = true
	}
	for _, s := range models.AllScopes {
		d.Scopes = append(d.Scopes, views.ScopeOption{Value: string(s), Label: scopeLabels[s], Checked: chosen[string(s)]})
	}
	for _, k := range keys {
		row := views.APIKeyRow{ID: k.ID, Name: k.Name, Prefix: k.KeyPrefix, CreatedAt: views.UTCTime(k.CreatedAt),
			LastUsed: "never", RevokeURL: routes.APIKeyRevoke(k.ID)}
		for _, s := range k.Scopes {
			row.Scopes = append(row.Scopes, string(s))
		}
		if k.LastUsedAt != nil {
			row.LastUsed = views.UTCTime(*k.LastUsedAt)
		}
		if k.RevokedAt != nil {
			row.Revoked = views.UTCTime(*k.RevokedAt)
		}
		d.Rows = append(d.Rows, row)
	}
	d.DocsURL = routes.APIDocs
	return Render(c, status, views.APIKeysPage(h.Page(c, "API keys", views.NavAPIKeys), d))
}

// List shows the shop's keys and the form for a new one.
func (h *APIKeys) List(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, shop.ID, views.APIKeys{Chosen: []string{string(models.ScopeCampaignsRead)}})
}

// Create makes a key and shows it once. The page is answered directly (no
// redirect), so the key never lands in a URL, a session or a flash.
func (h *APIKeys) Create(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	s := SessionFrom(c)
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	name, scopes := form.Get("name"), form["scope"]
	key, secret, err := h.store.CreateSellerAPIKey(ctx(c), shop.ID, s.User.ID, name, scopes)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.render(c, http.StatusUnprocessableEntity, shop.ID, views.APIKeys{Name: name, Chosen: scopes, Errors: invalid.Fields})
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.render(c, http.StatusOK, shop.ID, views.APIKeys{NewSecret: secret, NewName: key.Name,
		Chosen: []string{string(models.ScopeCampaignsRead)}})
}

// Revoke stops one of the shop's keys; another shop's key is not found.
func (h *APIKeys) Revoke(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.RevokeSellerAPIKey(ctx(c), shop.ID, id, SessionFrom(c).User.ID, h.Now()); err != nil {
		return err
	}
	return Redirect(c, routes.APIKeys)
}
