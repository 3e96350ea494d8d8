// Command portal runs the Campaign Portal.
//
//	portal serve [--demo]   apply migrations and serve HTTP (--demo loads the demo data into an empty database)
//	portal migrate          apply migrations and exit
//	portal demo             load the demo data into an empty database
//	portal demo shops       add many shops with a seller each (--count N, default 200), for load tests
//	portal rollups rebuild  recompute the campaign performance rollups from the orders
//	portal healthcheck      exit 0 when the portal on $PORT answers /healthz (the image has no curl)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"campaignportal/cmd/portal/demo"
	"campaignportal/cmd/portal/jobs"
	"campaignportal/models"
	"campaignportal/models/database"
	"campaignportal/models/orders"
	"campaignportal/static"
	"campaignportal/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	slog.SetDefault(log)
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		withDemo := fs.Bool("demo", false, "load the demo data when the database is empty")
		if err := fs.Parse(args); err != nil {
			return err
		}
		// Before the database is touched: a binary built before `npm ci`
		// says so as its only line.
		if err := static.Check(); err != nil {
			return err
		}
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		if *withDemo {
			if err := loadDemo(ctx, db, cfg.DatabaseURL, stdout); err != nil {
				return err
			}
		}
		return serve(ctx, cfg, log, db, stdout)
	case "migrate":
		_, err := openDatabase(ctx, cfg, log)
		return err
	case "demo":
		if len(args) > 0 && args[0] == "orders" {
			return runDemoOrders(ctx, args[1:], cfg, log, stdout)
		}
		if len(args) > 0 && args[0] == "shops" {
			return runDemoShops(ctx, args[1:], cfg, log, stdout)
		}
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		return loadDemo(ctx, db, cfg.DatabaseURL, stdout)
	case "tokens", "orders":
		return runOrdersCommand(ctx, cmd, args, cfg, log, stdout)
	case "rollups":
		if len(args) != 1 || args[0] != "rebuild" {
			return errors.New("usage: portal rollups rebuild")
		}
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		start := time.Now()
		sum, err := orders.NewStore(db).RebuildRollups(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Campaign rollups rebuilt from %d orders with a campaign line: %d day rows, %d SKU rows, in %s.\n",
			sum.Orders, sum.DayRows, sum.SKURows, time.Since(start).Round(time.Millisecond))
		return nil
	case "healthcheck":
		return healthcheck(ctx, "http://127.0.0.1:"+strconv.Itoa(cfg.Port)+"/healthz")
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: portal [serve [--demo] | migrate | demo | demo orders | demo shops | tokens | orders import | rollups rebuild | healthcheck]")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: serve, migrate, demo, tokens, orders, rollups, healthcheck)", cmd)
}

// healthcheck asks a running portal whether it is healthy, for the
// container's health check: the distroless image has no shell or curl.
func healthcheck(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	return nil
}

// openDatabase creates the database if needed, connects and migrates. An
// unreachable server is one clear sentence, not a stack trace.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (*gorm.DB, error) {
	unreachable := func() error {
		return fmt.Errorf("cannot reach PostgreSQL at %s: start it with `pg_ctlcluster --skip-systemctl-redirect 15 main start` "+
			"(or `docker compose up -d db` with DATABASE_URL=postgres://postgres@127.0.0.1:55432/portal?sslmode=disable), "+
			"or point DATABASE_URL at a running server", database.RedactedURL(cfg.DatabaseURL))
	}
	if err := database.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		if errors.Is(err, database.ErrDatabaseUnreachable) {
			return nil, unreachable()
		}
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		if errors.Is(err, database.ErrDatabaseUnreachable) {
			return nil, unreachable()
		}
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", database.RedactedURL(cfg.DatabaseURL), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if err := database.Migrate(ctx, sqlDB, log); err != nil {
		return nil, err
	}
	// Work a migration left to the binary (rebuilding rollups), once.
	if err := orders.RunMaintenance(ctx, sqlDB); err != nil {
		return nil, err
	}
	return db, nil
}

func loadDemo(ctx context.Context, db *gorm.DB, databaseURL string, stdout io.Writer) error {
	sum, err := demo.Load(ctx, db, time.Now())
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintln(stdout, "Demo data: the database already has data, so nothing was loaded.")
		demo.PrintSignIns(stdout)
		return nil
	}
	if err != nil {
		return fmt.Errorf("loading demo data: %w", err)
	}
	fmt.Fprintf(stdout, "Demo data loaded: %d shops, %d products, %d SKUs, %d price periods, %d campaigns.\n",
		sum.Shops, sum.Products, sum.SKUs, sum.PricePeriods, sum.Campaigns)
	// demoOrders ends with ANALYZE, for the catalogue as for the orders.
	if err := demoOrders(ctx, databaseURL, stdout, demoOrderCount); err != nil {
		return err
	}
	demo.PrintSignIns(stdout)
	return nil
}

// analyze refreshes the planner's statistics after a bulk load. Without
// it, until autovacuum comes round, PostgreSQL plans the demo's thousands
// of orders as ten rows: the settled records' newest-first page was a
// bitmap scan and a sort of every order of the shop (5 ms) instead of
// reading 51 index entries (0.2 ms).
func analyze(ctx context.Context, db *gorm.DB) error {
	if err := db.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		return fmt.Errorf("refreshing the planner's statistics: %w", err)
	}
	return nil
}

// pprofMux serves the runtime profiles (net/http/pprof) on their own
// listener, so they never sit on the application's port.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func serve(ctx context.Context, cfg config, log *slog.Logger, db *gorm.DB, stdout io.Writer) error {
	if !cfg.SessionKeysSet {
		log.Warn("SESSION_KEYS is not set: using random keys, so sessions end when the portal restarts " +
			"and instances cannot share them; set SESSION_KEYS in production")
	}
	registry := prometheus.NewRegistry()
	e, err := web.New(web.Config{
		SessionKeys: cfg.SessionKeys, SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies, Log: log,
		Metrics: registry, APIRateLimit: cfg.APIRateLimit,
	}, models.NewStore(db))
	if err != nil {
		return err
	}
	// Background jobs (bulk upload checks, reminders): every instance works
	// its share of the job queue in PostgreSQL; stopping lets running checks
	// finish first.
	uploadWorkers, err := jobs.Start(ctx, models.NewStore(db),
		jobs.Config{DatabaseURL: cfg.DatabaseURL, Log: log.With("component", "jobs")})
	if err != nil {
		return err
	}
	stopWorkers := func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := uploadWorkers.Stop(stopCtx); err != nil {
			log.Warn("stopping the upload workers", "error", err)
		}
	}
	defer stopWorkers() // idempotent; covers the early returns
	srv := &http.Server{
		Addr:              ":" + strconv.Itoa(cfg.Port),
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 3) // the portal, pprof, metrics
	go func() { errc <- srv.ListenAndServe() }()
	if cfg.PprofAddr != "" {
		prof := &http.Server{Addr: cfg.PprofAddr, Handler: pprofMux(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- prof.ListenAndServe() }()
		defer prof.Close()
		log.Info("profiling", "addr", cfg.PprofAddr)
	}
	fmt.Fprintf(stdout, "Campaign Portal is listening on http://localhost:%d\n", cfg.Port)
	log.Info("listening", "addr", srv.Addr)
	// Metrics only on their own address (METRICS_ADDR), for the monitoring
	// network; never on the application's port.
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", web.MetricsHandler(registry))
		metricsSrv = &http.Server{Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second}
		go func() { errc <- metricsSrv.ListenAndServe() }()
		log.Info("metrics listening", "addr", cfg.MetricsAddr)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx)
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	stopWorkers() // before the pool their jobs use closes
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
	return nil
}
