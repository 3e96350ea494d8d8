package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

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
		CookieName:     "portal_csrf",
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
// live row.
func (a *app) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
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

// middleware records each request under its route pattern (never the raw
// path, which would explode the label set).
func (m *httpMetrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // write the error response now, so its status is counted
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRemoteIP: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method), slog.String("uri", v.URI),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP))
			return nil
		},
	})
}
