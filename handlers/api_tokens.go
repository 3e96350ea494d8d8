package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// APITokensStore keeps the order feed's bearer tokens.
type APITokensStore interface {
	APITokens(ctx context.Context) ([]orders.APIToken, error)
	CreateAPIToken(ctx context.Context, name string, createdBy *int64) (orders.APIToken, string, error)
	RevokeAPIToken(ctx context.Context, id int64, by *int64, now time.Time) error
}

// APITokens is the campaign managers' page for the order feed's tokens.
type APITokens struct {
	Kit
	store APITokensStore
}

// NewAPITokens builds the tokens page.
func NewAPITokens(k Kit, store APITokensStore) *APITokens { return &APITokens{Kit: k, store: store} }

func (h *APITokens) render(c echo.Context, status int, d views.APITokens) error {
	toks, err := h.store.APITokens(ctx(c))
	if err != nil {
		return err
	}
	for _, t := range toks {
		row := views.APITokenRow{ID: t.ID, Name: t.Name, Prefix: t.TokenPrefix, CreatedAt: t.CreatedAt.UTC().Format("Jan 2, 2006 15:04"),
			LastUsed: "never", RevokeURL: routes.ManagerAPITokenRevoke(t.ID)}
		if t.LastUsedAt != nil {
			row.LastUsed = t.LastUsedAt.UTC().Format("Jan 2, 2006 15:04")
		}
		if t.RevokedAt != nil {
			row.Revoked = t.RevokedAt.UTC().Format("Jan 2, 2006 15:04")
		}
		d.Rows = append(d.Rows, row)
	}
	return Render(c, status, views.APITokensPage(h.Page(c, "Order feed tokens", views.NavAPITokens), d))
}

// List shows the tokens.
func (h *APITokens) List(c echo.Context) error { return h.render(c, http.StatusOK, views.APITokens{}) }

// Create makes a token and shows its secret once. The page is answered
// directly (no redirect), so the secret never lands in a URL or a session.
func (h *APITokens) Create(c echo.Context) error {
	s := SessionFrom(c)
	if s == nil {
		return models.ErrForbidden
	}
	name := c.FormValue("name")
	tok, secret, err := h.store.CreateAPIToken(ctx(c), name, &s.User.ID)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.render(c, http.StatusUnprocessableEntity, views.APITokens{Name: name, Errors: invalid.Fields})
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.render(c, http.StatusOK, views.APITokens{NewSecret: secret, NewName: tok.Name})
}

// Revoke stops a token from opening the API.
func (h *APITokens) Revoke(c echo.Context) error {
	s := SessionFrom(c)
	if s == nil {
		return models.ErrForbidden
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	if err := h.store.RevokeAPIToken(ctx(c), id, &s.User.ID, h.Now()); err != nil {
		return err
	}
	return Redirect(c, routes.ManagerAPITokens)
}
