package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"campaignportal/handlers"
	"campaignportal/models"
	"campaignportal/web/routes"
)

// contentSecurityPolicy allows nothing inline: scripts and styles come from
// our own hashed files only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// fetchMetadataGuard refuses state-changing requests a browser marks as
// cross-site, then removes Sec-Fetch-Site so echo's CSRF middleware always
// checks the token: since v4.16 it would otherwise accept any same-origin
// request without one, and every state-changing request must carry one.
func fetchMetadataGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		site := r.Header.Get(echo.HeaderSecFetchSite)
		unsafe := !slices.Contains([]string{http.MethodGet, http.MethodHead, http.MethodOptions}, r.Method)
		if unsafe && site == "cross-site" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
		}
		r.Header.Del(echo.HeaderSecFetchSite)
		return next(c)
	}
}

func csrfConfig(secure bool, skipper middleware.Skipper) middleware.CSRFConfig {
	return middleware.CSRFConfig{
		Skipper:        skipper,
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		ContextKey:     handlers.CSRFContextKey,
		CookieName:     csrfCookieName,
		CookiePath:     "/",
		CookieMaxAge:   int(models.SessionTTL.Seconds()),
		CookieHTTPOnly: true,
		CookieSecure:   secure,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden,
				"This form has expired or did not come from the portal. Reload the page and try again.").SetInternal(err)
		},
	}
}

// loadSession attaches the signed-in session, if the cookie points at a
// live row. Every page and export says Cache-Control: no-store (a shop's
// figures, a CSRF token): no browser or proxy keeps a copy for the next
// person at the same computer. Static files are cacheable, and never pass
// here.
func (a *app) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		token := a.cookies.Token(c)
		if token == "" {
			return next(c)
		}
		s, err := a.store.SessionByToken(c.Request().Context(), token)
		switch {
		case errors.Is(err, models.ErrNotFound):
			if err := a.cookies.End(c); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			handlers.SetSession(c, &s)
		}
		return next(c)
	}
}

// requireRole lets through only signed-in users with one of the roles.
// Visitors go to sign-in (htmx gets 401 with HX-Redirect); the wrong role
// gets 403.
func requireRole(roles ...models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			s := handlers.SessionFrom(c)
			if s == nil {
				login := routes.Login
				if c.Request().Method == http.MethodGet {
					login += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
				}
				if c.Request().Header.Get("HX-Request") == "true" {
					c.Response().Header().Set("HX-Redirect", login)
					return c.NoContent(http.StatusUnauthorized)
				}
				return c.Redirect(http.StatusSeeOther, login)
			}
			if !slices.Contains(roles, s.User.Role) {
				return models.ErrForbidden
			}
			return next(c)
		}
	}
}

// requireSignedIn lets through any signed-in user.
var requireSignedIn = requireRole(models.RoleSeller, models.RoleReviewer, models.RoleManager)

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "portal_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// observe is the one place a request is accounted for: it writes the error
// response (so its status is counted), records the metrics under the route
// pattern (never the raw path, which would explode the label set) and logs
// one line per request with the request id, route and error. A handler that
// fails after its response was committed (a streamed export half sent) cannot
// change the status any more, so the stream is aborted instead: net/http then
// closes the connection without finishing the body and the client's download
// fails visibly, never a truncated file that looks whole.
func observe(log *slog.Logger, m *httpMetrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			aborted, err := runCatchingAbort(next, c)
			if err != nil && c.Response().Committed {
				aborted = true
			}
			if err != nil && !aborted {
				c.Error(err)
			}
			if err == nil {
				err = handlers.NotedError(c)
			}
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			req := c.Request()
			status := c.Response().Status
			level := slog.LevelInfo
			if status >= 500 || aborted || handlers.NotedError(c) != nil {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method), slog.String("route", route), slog.String("uri", req.RequestURI),
				slog.Int("status", status), slog.Duration("latency", time.Since(start)), slog.String("ip", c.RealIP()),
			}
			if err != nil && level == slog.LevelError {
				attrs = append(attrs, slog.String("error", err.Error()))
			}
			if aborted {
				attrs = append(attrs, slog.Bool("aborted", true))
			}
			log.LogAttrs(req.Context(), level, "request", attrs...)
			if m != nil {
				m.requests.WithLabelValues(route, req.Method, strconv.Itoa(status)).Inc()
				m.duration.WithLabelValues(route, req.Method).Observe(time.Since(start).Seconds())
			}
			if aborted {
				panic(http.ErrAbortHandler)
			}
			return nil
		}
	}
}

// runCatchingAbort runs next and turns a handler's own http.ErrAbortHandler
// panic into aborted=true, so the request is still logged and counted; every
// other panic is Recover's (further in).
func runCatchingAbort(next echo.HandlerFunc, c echo.Context) (aborted bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			aborted, err = true, errors.New("the handler aborted the response")
		}
	}()
	return false, next(c)
}

// recoverPanics turns a panic into an error carrying its stack, handed back
// to observe, which shows the friendly page and logs the one line.
func recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll:     true,
		DisableErrorHandler: true,
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	})
}

// countStatements counts the SQL statements the portal sends through GORM
// (portal_db_statements_total), so a page's round trips can be read from
// /metrics around one request (scripts/perf-pages.sh does).
func countStatements(db *gorm.DB, reg prometheus.Registerer) error {
	statements := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "portal_db_statements_total", Help: "SQL statements sent through GORM.",
	})
	reg.MustRegister(statements)
	count := func(*gorm.DB) { statements.Inc() }
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("portal:count_query", count),
		cb.Row().After("gorm:row").Register("portal:count_row", count),
		cb.Raw().After("gorm:raw").Register("portal:count_raw", count),
		cb.Create().After("gorm:create").Register("portal:count_create", count),
		cb.Update().After("gorm:update").Register("portal:count_update", count),
		cb.Delete().After("gorm:delete").Register("portal:count_delete", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// storableForms refuses a form whose text PostgreSQL cannot store (NUL, or
// bytes that are not UTF-8) before any handler reads it: the answer is a
// 400 saying so, and nothing changes. Uploads (multipart) are files, read
// and checked by their own parser.
func storableForms(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
			return next(c)
		}
		form, err := c.FormParams()
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
		}
		for _, vs := range form {
			for _, v := range vs {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					return echo.NewHTTPError(http.StatusBadRequest,
						"Some text you sent holds characters that cannot be stored. Remove them and try again.")
				}
			}
		}
		return next(c)
	}
}
