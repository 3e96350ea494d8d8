package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/web"
)

// sellerAPIWorld is the world with a seller API key per shop: Maple's
// with every scope, Northwind's with every scope, and Maple's read-only
// (campaigns:read).
type sellerAPIWorld struct {
	*world
	mapleUser, northUser int64
	mapleKey, northKey   string
	readOnlyKey          string
}

func newSellerAPIWorld(t *testing.T) *sellerAPIWorld {
	t.Helper()
	w := &sellerAPIWorld{world: newWorld(t)}
	w.loadKeys()
	return w
}

// loadKeys makes the world's keys.
func (w *sellerAPIWorld) loadKeys() {
	t := w.t
	if err := w.db.Raw(`SELECT id FROM users WHERE email = 'seller@x.test'`).Scan(&w.mapleUser).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.db.Raw(`SELECT id FROM users WHERE email = 'seller2@x.test'`).Scan(&w.northUser).Error; err != nil {
		t.Fatal(err)
	}
	all := []string{string(models.ScopeCampaignsRead), string(models.ScopeRegistrationsWrite), string(models.ScopeFinanceRead)}
	w.mapleKey = w.makeKey(w.maple.ID, w.mapleUser, "ERP", all)
	w.northKey = w.makeKey(w.north.ID, w.northUser, "Northwind ERP", all)
	w.readOnlyKey = w.makeKey(w.maple.ID, w.mapleUser, "Dashboard", []string{string(models.ScopeCampaignsRead)})
}

func (w *sellerAPIWorld) makeKey(shopID, userID int64, name string, scopes []string) string {
	w.t.Helper()
	_, secret, err := models.NewStore(w.db).CreateSellerAPIKey(context.Background(), shopID, userID, name, scopes)
	if err != nil {
		w.t.Fatal(err)
	}
	return secret
}

// apiCall sends one request to e with the key as a bearer token ("": none).
func apiCall(t *testing.T, e *echo.Echo, method, target, key string, body io.Reader, opts ...reqOpt) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = "192.0.2.30:4000"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func (w *sellerAPIWorld) get(target, key string, opts ...reqOpt) *httptest.ResponseRecorder {
	w.t.Helper()
	return apiCall(w.t, w.e, http.MethodGet, target, key, nil, opts...)
}

// problemOf decodes a problem document, failing unless it is one.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want application/problem+json; body: %s", ct, rec.Body.String())
	}
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("not JSON: %v: %s", err, rec.Body.String())
	}
	return p
}

// newPortal is another portal instance on the world's database, with its
// own rate limit and clock (two of them are two instances behind one
// balancer).
func (w *sellerAPIWorld) newPortal(limit models.APIRateLimit, now func() time.Time) *echo.Echo {
	w.t.Helper()
	e, err := web.New(web.Config{
		SessionKeys:  [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")},
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		APIRateLimit: limit, Now: now,
	}, models.NewStore(w.db))
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}
