// Package web is the HTTP server: middleware order, sessions, CSRF, the
// error handler, static files and, in routes.go, every route.
package web

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"campaignportal/handlers"
	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/models/performance"
	"campaignportal/models/uploads"
	"campaignportal/static"
)

// Config is the server's part of the portal configuration.
type Config struct {
	// SessionKeys sign (and, when a second key is given, encrypt) the
	// session cookie; pairs as gorilla/securecookie takes them.
	SessionKeys [][]byte
	// SecureCookies marks cookies Secure (sent over HTTPS only; browsers
	// also accept them on http://localhost).
	SecureCookies bool
	// TrustedProxies are the load balancers allowed to set X-Forwarded-For.
	TrustedProxies []*net.IPNet
	Log            *slog.Logger
	Now            func() time.Time
	// Metrics is where the portal registers its metrics (a new registry
	// when nil). They are not served on the application's port: the
	// caller serves MetricsHandler on an address of its own.
	Metrics *prometheus.Registry
	// APIRateLimit is each seller API key's request budget (the default
	// when zero).
	APIRateLimit models.APIRateLimit
}

// MetricsHandler serves the metrics in reg in Prometheus' text format.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// New builds the portal's echo server.
func New(cfg Config, store *models.Store) (*echo.Echo, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	assets, err := static.Load("/static/")
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)

	reg := cfg.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if sqlDB, err := store.DB().DB(); err == nil {
		reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, "portal"))
	}
	metrics := newHTTPMetrics(reg)
	if err := countStatements(store.DB(), reg); err != nil {
		return nil, err
	}

	cookies := newSessionCookies(cfg.SessionKeys, cfg.SecureCookies)
	kit := handlers.Kit{Asset: assets.URL, Now: cfg.Now}
	e.HTTPErrorHandler = errorHandler(cfg.Log, kit)
	orderStore := orders.NewStore(store.DB())
	perfStore := performance.NewStore(store.DB())
	uploadQueue, err := uploads.NewRiverQueue(store.DB()) // bulk upload checks are enqueued with their upload
	if err != nil {
		return nil, err
	}

	apiDocs, err := handlers.NewAPIDocs(kit)
	if err != nil {
		return nil, err
	}
	a := app{
		cfg:           cfg,
		store:         store,
		assets:        assets,
		cookies:       cookies,
		metrics:       metrics,
		registry:      reg,
		auth:          handlers.NewAuth(kit, store, cookies),
		campaigns:     handlers.NewCampaigns(kit, store),
		catalogue:     handlers.NewCatalogue(kit, store),
		registrations: handlers.NewRegistrations(kit, store),
		review:        handlers.NewReview(kit, store),
		priceEdits:    handlers.NewReviewPriceEdits(kit, store),
		withdrawals:   handlers.NewReviewWithdrawals(kit, store),
		manager:       handlers.NewManager(kit, store),
		register:      handlers.NewRegister(kit, store),
		manage:        handlers.NewManage(kit, store),
		notifications: handlers.NewNotifications(kit, store),
		ordersAPI:     handlers.NewOrdersAPI(kit, orderStore),
		finance:       handlers.NewFinance(kit, orderStore),
		performance:   handlers.NewPerformance(kit, perfStore),
		platform:      handlers.NewPlatform(kit, perfStore),
		apiTokens:     handlers.NewAPITokens(kit, orderStore),
		simulator:     handlers.NewSimulator(kit, orderStore),
		uploads:       handlers.NewUploads(kit, uploads.NewUploads(store, uploadQueue)),
		sellerAPI:     handlers.NewSellerAPI(kit, store, orderStore, uploads.NewUploads(store, uploadQueue), cfg.APIRateLimit),
		apiKeys:       handlers.NewAPIKeys(kit, store),
		apiDocs:       apiDocs,
	}
	a.routes(e)
	return e, nil
}

type app struct {
	cfg      Config
	store    *models.Store
	assets   *static.Assets
	cookies  *sessionCookies
	metrics  *httpMetrics
	registry *prometheus.Registry
	healthy  healthCheck

	auth          *handlers.Auth
	campaigns     *handlers.Campaigns
	catalogue     *handlers.Catalogue
	registrations *handlers.Registrations
	review        *handlers.Review
	priceEdits    *handlers.ReviewPriceEdits
	withdrawals   *handlers.ReviewWithdrawals
	manager       *handlers.Manager
	register      *handlers.Register
	manage        *handlers.Manage
	notifications *handlers.Notifications
	ordersAPI     *handlers.OrdersAPI
	finance       *handlers.Finance
	performance   *handlers.Performance
	platform      *handlers.Platform
	apiTokens     *handlers.APITokens
	simulator     *handlers.Simulator
	uploads       *handlers.Uploads
	sellerAPI     *handlers.SellerAPI
	apiKeys       *handlers.APIKeys
	apiDocs       *handlers.APIDocs
}

// ipExtractor takes the client address from the connection, unless the
// request came through a configured trusted proxy.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
