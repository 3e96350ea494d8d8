package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// AuthStore is what sign-in needs from the domain.
type AuthStore interface {
	Authenticate(ctx context.Context, email, password, clientIP string) (models.User, error)
	CreateSession(ctx context.Context, userID int64, clientIP, userAgent string) (string, error)
	RevokeSession(ctx context.Context, token string) error
	ChangePassword(ctx context.Context, userID int64, current, next string) error
}

// SessionCookies reads and writes the signed session cookie.
type SessionCookies interface {
	Token(c echo.Context) string
	Start(c echo.Context, token string) error
	End(c echo.Context) error
}

// Auth handles signing in and out and the account page.
type Auth struct {
	Kit
	store   AuthStore
	cookies SessionCookies
}

// NewAuth builds the sign-in area.
func NewAuth(k Kit, store AuthStore, cookies SessionCookies) *Auth {
	return &Auth{Kit: k, store: store, cookies: cookies}
}

// HomeFor is where a role lands after signing in.
func HomeFor(role models.Role) string {
	switch role {
	case models.RoleReviewer:
		return routes.ReviewerHome
	case models.RoleManager:
		return routes.ManagerHome
	default:
		return routes.Campaigns
	}
}

// Home sends visitors to their landing page.
func (h *Auth) Home(c echo.Context) error {
	if s := SessionFrom(c); s != nil {
		return c.Redirect(http.StatusSeeOther, HomeFor(s.User.Role))
	}
	return c.Redirect(http.StatusSeeOther, routes.Login)
}

// ShowLogin renders the sign-in page.
func (h *Auth) ShowLogin(c echo.Context) error {
	if s := SessionFrom(c); s != nil {
		return c.Redirect(http.StatusSeeOther, HomeFor(s.User.Role))
	}
	form := views.SignInForm{Next: safeNext(c.QueryParam("next"))}
	return Render(c, http.StatusOK, views.SignIn(h.Page(c, "Sign in", ""), form))
}

// Login checks the credentials and starts a new session.
func (h *Auth) Login(c echo.Context) error {
	form := views.SignInForm{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next"))}
	password := c.FormValue("password")
	fail := func(status int, msg string) error {
		form.Error = msg
		p := h.Page(c, "Sign in", "")
		if IsPartial(c) {
			return Render(c, status, views.SignInFormBody(p, form))
		}
		return Render(c, status, views.SignIn(p, form))
	}
	if form.Email == "" || password == "" {
		return fail(http.StatusUnprocessableEntity, "Enter your email and password.")
	}
	user, err := h.store.Authenticate(ctx(c), form.Email, password, c.RealIP())
	var limited *models.RateLimitedError
	switch {
	case errors.As(err, &limited):
		c.Response().Header().Set("Retry-After", itoa(int(limited.RetryAfter.Seconds())+1))
		return fail(http.StatusTooManyRequests, limited.Error())
	case errors.Is(err, models.ErrBadCredentials):
		return fail(http.StatusUnprocessableEntity, "That email and password do not match an account.")
	case err != nil:
		return err
	}
	// A fresh session id at every sign-in; the old one, if any, ends.
	if old := h.cookies.Token(c); old != "" {
		if err := h.store.RevokeSession(ctx(c), old); err != nil {
			return err
		}
	}
	token, err := h.store.CreateSession(ctx(c), user.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	if err := h.cookies.Start(c, token); err != nil {
		return err
	}
	to := HomeFor(user.Role)
	if form.Next != "" {
		to = form.Next
	}
	return Redirect(c, to)
}

// Logout ends the session for real: the row is revoked, not just the cookie.
func (h *Auth) Logout(c echo.Context) error {
	if token := h.cookies.Token(c); token != "" {
		if err := h.store.RevokeSession(ctx(c), token); err != nil {
			return err
		}
	}
	if err := h.cookies.End(c); err != nil {
		return err
	}
	return Redirect(c, routes.Login)
}

// ShowAccount renders the account page.
func (h *Auth) ShowAccount(c echo.Context) error {
	return Render(c, http.StatusOK, views.Account(h.Page(c, "Account", views.NavAccount), views.PasswordForm{}))
}

// ChangePassword stores a new password and signs the user out everywhere.
func (h *Auth) ChangePassword(c echo.Context) error {
	s := SessionFrom(c)
	err := h.store.ChangePassword(ctx(c), s.User.ID, c.FormValue("current_password"), c.FormValue("new_password"))
	var invalid *models.ValidationError
	var limited *models.RateLimitedError
	if errors.As(err, &limited) {
		// Too many wrong current passwords: said beside the field, like any refusal.
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(limited.RetryAfter.Seconds())+1))
		invalid = &models.ValidationError{Fields: map[string]string{"current_password": limited.Error()}}
	}
	if invalid != nil || errors.As(err, &invalid) {
		p := h.Page(c, "Account", views.NavAccount)
		f := views.PasswordForm{Errors: invalid.Fields}
		if IsPartial(c) {
			return Render(c, http.StatusUnprocessableEntity, views.PasswordFormBody(p, f))
		}
		return Render(c, http.StatusUnprocessableEntity, views.Account(p, f))
	}
	if err != nil {
		return err
	}
	if err := h.cookies.End(c); err != nil {
		return err
	}
	return Redirect(c, routes.Login+"?changed=1")
}

// safeNext keeps only local paths, so a sign-in link cannot send people to
// another site. Browsers drop tabs and newlines from a URL and read a
// backslash as a slash, so "/\t/evil.example" would be "//evil.example":
// any control character, backslash or invalid UTF-8 refuses the whole
// value, and what is left must parse as a path with no scheme or host.
func safeNext(next string) string {
	if next == "" || !utf8.ValidString(next) || strings.ContainsRune(next, '\\') {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	if u.Path == routes.Login || u.Path == routes.Logout {
		return ""
	}
	return next
}
