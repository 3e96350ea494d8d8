// Package handlers turns HTTP requests into calls on the domain and renders
// the answer. One struct per area, each built from the small interfaces it
// declares: bind, validate, call the domain, map to a view model, render.
package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
)

// Kit is what every area needs besides its store.
type Kit struct {
	Asset func(logical string) string
	Now   func() time.Time
}

const (
	sessionKey = "portal.session"
	// CSRFContextKey is where echo's CSRF middleware leaves the token.
	CSRFContextKey = "csrf"
)

// SetSession records the signed-in session on the request (web middleware).
func SetSession(c echo.Context, s *models.Session) { c.Set(sessionKey, s) }

// SessionFrom returns the signed-in session, or nil.
func SessionFrom(c echo.Context) *models.Session {
	s, _ := c.Get(sessionKey).(*models.Session)
	return s
}

// CSRFToken is the token forms and htmx send back.
func CSRFToken(c echo.Context) string {
	t, _ := c.Get(CSRFContextKey).(string)
	return t
}

// Page builds the props every full page shares.
func (k Kit) Page(c echo.Context, title, nav string) views.Page {
	p := views.Page{Title: title, CSRFToken: CSRFToken(c), Nav: nav, Asset: k.Asset}
	if s := SessionFrom(c); s != nil {
		v := &views.Viewer{Name: s.User.DisplayName, Email: s.User.Email, Role: string(s.User.Role)}
		if s.Shop != nil {
			v.ShopName, v.ShopID = s.Shop.Name, s.Shop.PublicID
		}
		p.Viewer = v
		p.Unread = s.Unread // counted with the session, in the same round trip

	}
	return p
}

// IsPartial decides, in one place, whether to answer with a fragment: an
// htmx request that is neither boosted nor a history restore.
func IsPartial(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}

// Render writes a component with a status. Pages that change with
// HX-Request say so in Vary, so caches keep the two apart.
func Render(c echo.Context, status int, component templ.Component) error {
	c.Response().Header().Add(echo.HeaderVary, "HX-Request")
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return component.Render(c.Request().Context(), c.Response().Writer)
}

// Redirect sends the browser on after a successful POST: HX-Redirect for
// htmx, 303 See Other for a plain form.
func Redirect(c echo.Context, to string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// ctx is the request's context.
func ctx(c echo.Context) context.Context { return c.Request().Context() }

// mustShop returns the seller's shop; routes that call it sit behind the
// seller role check, so a missing shop is a forbidden request.
func mustShop(c echo.Context) (models.Shop, error) {
	s := SessionFrom(c)
	if s == nil || s.Shop == nil {
		return models.Shop{}, models.ErrForbidden
	}
	return *s.Shop, nil
}
