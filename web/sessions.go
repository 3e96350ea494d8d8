package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

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

	// decoded remembers what recent cookie values decoded to. Decoding is
	// an HMAC check, a decryption and a gob decoding that compiles its
	// types afresh each time: about a fifth of the CPU of a simple page.
	// A value is only ever stored after it decoded, and the same signed
	// value always decodes to the same token, so the cache cannot accept
	// anything the store would refuse, except a cookie past its MaxAge by
	// up to decodedTTL; the session row's own expiry, checked in SQL on
	// every request, is the same instant and is what counts.
	mu      sync.Mutex
	decoded map[string]decodedCookie
}

type decodedCookie struct {
	token string
	at    time.Time
}

const (
	decodedTTL = time.Minute
	decodedCap = 8192 // past it the cache starts again empty: bounded memory
)

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
	return &sessionCookies{store: cs, decoded: map[string]decodedCookie{}}
}

// Token returns the session token from the cookie, or "" when absent or
// tampered with.
func (s *sessionCookies) Token(c echo.Context) string {
	ck, err := c.Request().Cookie(sessionCookieName)
	if err != nil || ck.Value == "" {
		return ""
	}
	now := time.Now()
	s.mu.Lock()
	d, ok := s.decoded[ck.Value]
	s.mu.Unlock()
	if ok && now.Sub(d.at) < decodedTTL {
		return d.token
	}
	sess, err := s.store.Get(c.Request(), sessionCookieName)
	if err != nil {
		return ""
	}
	t, _ := sess.Values[sessionTokenKey].(string)
	if t != "" {
		s.mu.Lock()
		if len(s.decoded) >= decodedCap {
			clear(s.decoded)
		}
		s.decoded[ck.Value] = decodedCookie{token: t, at: now}
		s.mu.Unlock()
	}
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
