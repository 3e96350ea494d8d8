package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models"
)

func TestSignInLandsEachRoleOnItsHome(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for email, home := range map[string]string{
		"seller@x.test": "/campaigns", "reviewer@x.test": "/review", "manager@x.test": "/manager",
	} {
		b := w.browser()
		rec := b.post("/login", url.Values{"email": {email}, "password": {"fixture-password"}})
		wantStatus(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != home {
			t.Errorf("%s lands on %q, want %q", email, loc, home)
		}
		c := b.cookies["portal_session"]
		if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 {
			t.Fatalf("session cookie = %+v, want HttpOnly, Secure, SameSite=Lax, a max age", c)
		}
		wantStatus(t, b.get(home), http.StatusOK)
	}
}

func TestSignInRefusesBadPasswordAndRateLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	rec := b.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"nope"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if msg := parse(t, rec).Find(testid("signin-error")).Text(); !strings.Contains(msg, "do not match") {
		t.Errorf("error message = %q", msg)
	}
	if b.cookies["portal_session"] != nil {
		t.Fatal("a failed sign-in set a session cookie")
	}
	rec = b.post("/login", url.Values{"email": {""}, "password": {""}}, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if strings.Contains(rec.Body.String(), "<html") {
		t.Error("an htmx sign-in error re-rendered the whole page instead of the form")
	}
	for i := 0; i < models.MaxFailuresPerEmail-1; i++ {
		b.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"nope"}})
	}
	rec = b.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"fixture-password"}})
	wantStatus(t, rec, http.StatusTooManyRequests)
	if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Too many sign-in attempts") {
		t.Errorf("rate-limited answer lacks Retry-After or a message: %s", rec.Body.String())
	}
}

func TestHTMXSignInRedirectsWithHeader(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	rec := b.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"fixture-password"}, "next": {"/campaigns?tab=upcoming"}}, htmx)
	wantStatus(t, rec, http.StatusNoContent)
	if got := rec.Header().Get("HX-Redirect"); got != "/campaigns?tab=upcoming" {
		t.Errorf("HX-Redirect = %q", got)
	}
	// An open redirect is refused: "next" only takes local paths.
	b2 := w.browser()
	rec = b2.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"fixture-password"}, "next": {"//evil.example/x"}})
	if loc := rec.Header().Get("Location"); loc != "/campaigns" {
		t.Errorf("next=//evil.example sent the user to %q", loc)
	}
	// A tab or a backslash that browsers drop or turn into a slash.
	for _, next := range []string{"/\t/evil.example/", "/\t\\evil.example", "/\\evil.example"} {
		b3 := w.browser()
		rec = b3.post("/login", url.Values{"email": {"seller@x.test"}, "password": {"fixture-password"}, "next": {next}})
		if loc := rec.Header().Get("Location"); loc != "/campaigns" {
			t.Errorf("next=%q sent the user to %q", next, loc)
		}
	}
}

func TestSignOutEndsTheSessionOnTheServer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	stolen := *b.cookies["portal_session"]
	rec := b.post("/logout", nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if b.cookies["portal_session"] != nil {
		t.Error("sign-out did not clear the cookie")
	}
	// Replaying the old cookie must not work: the session row is revoked.
	b.cookies["portal_session"] = &stolen
	rec = b.get("/campaigns")
	wantStatus(t, rec, http.StatusSeeOther)
	if !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("old cookie after sign-out: Location = %q", rec.Header().Get("Location"))
	}
}

func TestPasswordChangeEndsEverySession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, other := w.browser(), w.browser()
	a.signIn("seller@x.test")
	other.signIn("seller@x.test")
	rec := a.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"short"}}, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc := parse(t, rec)
	if doc.Find("#current_password-error").Length() != 1 || doc.Find("#new_password-error").Length() != 1 {
		t.Errorf("field errors missing: %s", rec.Body.String())
	}
	rec = a.post("/account/password", url.Values{"current_password": {"fixture-password"}, "new_password": {"a much better password"}})
	wantStatus(t, rec, http.StatusSeeOther)
	wantStatus(t, other.get("/campaigns"), http.StatusSeeOther) // signed out elsewhere too
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	noToken := url.Values{}
	tests := []struct {
		name string
		form url.Values
		opts []reqOpt
		want int
	}{
		{"no token", noToken, nil, http.StatusForbidden},
		{"no token, same-origin fetch metadata", noToken, []reqOpt{header("Sec-Fetch-Site", "same-origin")}, http.StatusForbidden},
		{"wrong token", url.Values{"_csrf": {"forged"}}, nil, http.StatusForbidden},
		{"right token, cross-site", url.Values{"_csrf": {b.csrf}}, []reqOpt{header("Sec-Fetch-Site", "cross-site")}, http.StatusForbidden},
	}
	for _, tt := range tests {
		rec := b.do(http.MethodPost, "/logout", tt.form, tt.opts...)
		if rec.Code != tt.want {
			t.Errorf("%s: status = %d, want %d", tt.name, rec.Code, tt.want)
		}
		if b.cookies["portal_session"] == nil {
			t.Fatalf("%s: the refused request signed the user out", tt.name)
		}
	}
	// Accepted: the token in the header (as htmx sends it), with same-origin metadata.
	rec := b.do(http.MethodPost, "/logout", url.Values{}, header("X-CSRF-Token", b.csrf), header("Sec-Fetch-Site", "same-origin"))
	wantStatus(t, rec, http.StatusSeeOther)
	// Accepted: the form field, without fetch metadata (older browsers).
	b.signIn("seller@x.test")
	rec = b.post("/logout", nil)
	wantStatus(t, rec, http.StatusSeeOther)
}

// Sign-in gives a new CSRF token: one known before it (planted, or read on
// a shared computer) is refused after.
func TestSignInRotatesTheCSRFToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.browser()
	b.loadCSRF()
	before := b.csrf
	b.signIn("seller@x.test")
	if b.csrf == "" || b.csrf == before {
		t.Fatalf("the CSRF token is %q after sign-in, %q before", b.csrf, before)
	}
	page := parse(t, b.get("/campaigns"))
	if tok, _ := page.Find(`body`).Attr("hx-headers"); !strings.Contains(tok, b.csrf) {
		t.Errorf("the page carries %q, not the new token %q", tok, b.csrf)
	}
	rec := b.do(http.MethodPost, "/logout", url.Values{"_csrf": {before}})
	wantStatus(t, rec, http.StatusForbidden)
	rec = b.post("/logout", nil)
	wantStatus(t, rec, http.StatusSeeOther)
}
