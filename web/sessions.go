package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"campaignportal/models"
)

const (
	sessionCookieName = "portal_session"
	sessionTokenKey   = "token"
	csrfCookieName    = "portal_csrf"
)

// sessionCookies keeps the session token in a signed, encrypted cookie.
// The token only points at a row in PostgreSQL, which is what can be
// revoked; the cookie alone proves nothing once the row is gone.
type sessionCookies struct {
	store *sessions.CookieStore
}

func newSessionCookies(keys [][]byte, secure bool) *sessionCookies {
	cs := sessions.NewCookieStore(keys...)
	// gorilla's defaults are not safe enough; set every option explicitly.
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(models.SessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return &sessionCookies{store: cs}
}

// Token returns the session token from the cookie, or "" when absent or
// tampered with.
func (s *sessionCookies) Token(c echo.Context) string {
	sess, err := s.store.Get(c.Request(), sessionCookieName)
	if err != nil {
		return ""
	}
	t, _ := sess.Values[sessionTokenKey].(string)
	return t
}

// Start writes a new session cookie holding the token.
func (s *sessionCookies) Start(c echo.Context, token string) error {
	sess := sessions.NewSession(s.store, sessionCookieName)
	opts := *s.store.Options
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[sessionTokenKey] = token
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	s.rotateCSRF(c)
	return nil
}

// rotateCSRF gives the browser a new CSRF token at sign-in: a token known
// before it (planted, or read on a shared computer) is refused after. This
// cookie comes after the one the CSRF middleware set, so it is the one kept.
func (s *sessionCookies) rotateCSRF(c echo.Context) {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	http.SetCookie(c.Response(), &http.Cookie{Name: csrfCookieName, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		MaxAge: s.store.Options.MaxAge, HttpOnly: true, Secure: s.store.Options.Secure, SameSite: http.SameSiteLaxMode})
}

// End deletes the session cookie.
func (s *sessionCookies) End(c echo.Context) error {
	sess := sessions.NewSession(s.store, sessionCookieName)
	opts := *s.store.Options
	opts.MaxAge = -1
	sess.Options = &opts
	return sess.Save(c.Request(), c.Response())
}
