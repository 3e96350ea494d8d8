package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"

	"campaignportal/models"
)

// config is everything the portal reads from its environment, parsed and
// validated once at start-up.
type config struct {
	DatabaseURL    string
	Port           int
	SessionKeys    [][]byte
	SessionKeysSet bool
	SecureCookies  bool
	TrustedProxies []*net.IPNet
	LogFormat      string
	LogLevel       slog.Level
	// PprofAddr, when set, serves net/http/pprof there (never on the
	// application port): for profiling under load, off by default.
	PprofAddr string
	// APIRateLimit is each seller API key's budget per minute
	// (API_RATE_LIMIT).
	APIRateLimit models.APIRateLimit
	// MetricsAddr is where /metrics is served, apart from the portal's
	// own port ("": nowhere).
	MetricsAddr string
}

const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/portal?sslmode=disable"

func loadConfig(getenv func(string) string) (config, error) {
	var errs []error
	cfg := config{DatabaseURL: getenv("DATABASE_URL"), Port: 8080, SecureCookies: true, LogFormat: "text"}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = defaultDatabaseURL
	}
	if p := getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("PORT must be a number from 1 to 65535, not %q", p))
		}
		cfg.Port = n
	}
	if v := getenv("COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("COOKIE_SECURE must be true or false, not %q", v))
		}
		cfg.SecureCookies = b
	}
	if v := getenv("SESSION_KEYS"); v != "" {
		for _, k := range strings.Split(v, ",") {
			key, err := decodeKey(strings.TrimSpace(k))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			cfg.SessionKeys = append(cfg.SessionKeys, key)
		}
		cfg.SessionKeysSet = true
	} else {
		// Random keys: sessions end when the portal restarts, and several
		// instances cannot share sessions. Fine on a laptop, logged as a warning.
		hashKey, blockKey := make([]byte, 32), make([]byte, 32)
		_, _ = rand.Read(hashKey)
		_, _ = rand.Read(blockKey)
		cfg.SessionKeys = [][]byte{hashKey, blockKey}
	}
	if v := getenv("TRUSTED_PROXIES"); v != "" {
		for _, s := range strings.Split(v, ",") {
			_, n, err := net.ParseCIDR(strings.TrimSpace(s))
			if err != nil {
				errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR range like 10.0.0.0/8", s))
				continue
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, n)
		}
	}
	switch f := getenv("LOG_FORMAT"); f {
	case "", "text":
	case "json":
		cfg.LogFormat = "json"
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT must be text or json, not %q", f))
	}
	if v := getenv("METRICS_ADDR"); v != "" {
		_, port, err := net.SplitHostPort(v)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("METRICS_ADDR must be host:port, such as 127.0.0.1:9090, not %q", v))
		}
		cfg.MetricsAddr = v
	}
	if l := getenv("LOG_LEVEL"); l != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(l)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, not %q", l))
		}
	}
	cfg.APIRateLimit = models.DefaultAPIRateLimit
	if v := getenv("API_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			errs = append(errs, fmt.Errorf("API_RATE_LIMIT must be the requests a seller API key may make per minute (1 to 1000000), not %q", v))
		}
		cfg.APIRateLimit.Requests = n
	}
	if v := getenv("PPROF_ADDR"); v != "" {
		if _, _, err := net.SplitHostPort(v); err != nil {
			errs = append(errs, fmt.Errorf("PPROF_ADDR must be host:port, like 127.0.0.1:6060, not %q", v))
		}
		cfg.PprofAddr = v
	}
	return cfg, errors.Join(errs...)
}

// decodeKey reads a session key written as hex or base64; keys are 32 or
// 64 bytes (signing) or 16, 24 or 32 bytes (encryption).
func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) >= 16 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) >= 16 {
		return b, nil
	}
	return nil, errors.New("SESSION_KEYS: each key must be hex or base64 of at least 16 bytes (make one with `openssl rand -hex 32`)")
}

func newLogger(cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
