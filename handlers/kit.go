// Package handlers turns HTTP requests into calls on the domain and renders
// the answer. One struct per area, each built from the small interfaces it
// declares: bind, validate, call the domain, map to a view model, render.
package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
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

// Render renders a component into a buffer and sends it with the status
// only once it rendered: a template that fails half way leaves the
// response untouched, so the error page can still say 500. Pages that
// change with HX-Request say so in Vary, so caches keep the two apart.
func Render(c echo.Context, status int, component templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("rendering the response: %w", err)
	}
	h := c.Response().Header()
	h.Add(echo.HeaderVary, "HX-Request")
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// renderBuffers keeps page buffers between requests; one that grew past
// maxPooledBuffer (a very long table) is left to the garbage collector.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuffer = 1 << 20

// errorKey is where a handler that answered anyway leaves the error it
// met, for the request's one log line (see NoteError).
const errorKey = "portal.error"

// NoteError records an error a handler dealt with in its own answer (a
// streamed batch that reports the failure in its last line): the request
// is then logged as failed, with the error, on its one log line.
func NoteError(c echo.Context, err error) { c.Set(errorKey, err) }

// NotedError is the error NoteError recorded, or nil.
func NotedError(c echo.Context) error {
	err, _ := c.Get(errorKey).(error)
	return err
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

// KeepInPlace marks a re-rendered form that refuses with a status htmx
// does not swap by default (409): static/js/app.js swaps it in place, so
// the reason shows where the seller is working instead of a toast.
func KeepInPlace(c echo.Context) { c.Response().Header().Set("X-Portal-Swap", "1") }
