package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"campaignportal/models"
)

// Shop B's key on every shop-A resource is a 404 (as a missing one), and
// nothing of A's changes; B's lists never hold A's rows.
func TestSellerAPITenancy(t *testing.T) {
	t.Parallel()
	w := newContractWorld(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	reg := "/api/v1/seller/campaigns/" + id(w.open.ID) + "/registration"
	before := w.get(reg, w.mapleKey).Header().Get("ETag")
	for _, target := range []string{
		reg, reg + "/recommendations", reg + "/related", reg + "/price-edits", reg + "/sku-errors",
		"/api/v1/seller/campaigns/" + id(w.upcoming.ID) + "/registration", // Maple's draft
		"/api/v1/seller/orders/" + id(w.order),
	} {
		rec := w.get(target, w.northKey)
		if rec.Code != http.StatusNotFound {
			t.Errorf("Northwind's key on %s: %d, want 404: %s", target, rec.Code, rec.Body.String())
			continue
		}
		if p := problemOf(t, rec); p["code"] != "not_found" || strings.Contains(rec.Body.String(), "Maple") {
			t.Errorf("%s: %s", target, rec.Body.String())
		}
	}
	for _, target := range []string{"/api/v1/seller/events", "/api/v1/seller/notifications", "/api/v1/seller/settled-records"} {
		rec := w.get(target, w.northKey)
		wantStatus(t, rec, http.StatusOK)
		if !strings.Contains(rec.Body.String(), `"items":[]`) {
			t.Errorf("Northwind's %s holds rows: %s", target, rec.Body.String())
		}
		if rec := w.get(target, w.mapleKey); strings.Contains(rec.Body.String(), `"items":[]`) {
			t.Errorf("Maple's %s is empty, so the check above proves nothing: %s", target, rec.Body.String())
		}
	}
	if after := w.get(reg, w.mapleKey).Header().Get("ETag"); after != before || before == "" {
		t.Errorf("Maple's registration changed: %s → %s", before, after)
	}
}

// A key without the scope an endpoint needs gets 403 insufficient_scope,
// with the scope named in WWW-Authenticate.
func TestSellerAPIScopes(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	finance := w.makeKey(w.maple.ID, w.mapleUser, "Books", []string{string(models.ScopeFinanceRead)})
	for _, tt := range []struct {
		target, key, scope string
	}{
		{"/api/v1/seller/settled-records", w.readOnlyKey, "finance:read"},
		{"/api/v1/seller/orders/1", w.readOnlyKey, "finance:read"},
		{"/api/v1/seller/campaigns", finance, "campaigns:read"},
		{"/api/v1/seller/events", finance, "campaigns:read"},
		{"/api/v1/seller/campaigns/" + strconv.FormatInt(w.open.ID, 10) + "/registration", finance, "campaigns:read"},
	} {
		rec := w.get(tt.target, tt.key)
		wantStatus(t, rec, http.StatusForbidden)
		if p := problemOf(t, rec); p["code"] != "insufficient_scope" {
			t.Errorf("%s: code %v", tt.target, p["code"])
		}
		if h := rec.Header().Get("WWW-Authenticate"); !strings.Contains(h, `scope="`+tt.scope+`"`) {
			t.Errorf("%s: WWW-Authenticate %q does not name %s", tt.target, h, tt.scope)
		}
	}
	wantStatus(t, w.get("/api/v1/seller/settled-records", finance), http.StatusOK)
	wantStatus(t, w.get("/api/v1/seller/campaigns", w.readOnlyKey), http.StatusOK)
}

// The order feed's tokens never open the seller API, seller keys never
// open the order feed, and a signed-in seller's cookie opens neither.
func TestSellerKeysAndOrderFeedTokensAreApart(t *testing.T) {
	t.Parallel()
	aw := newAPIWorld(t)
	w := withSellerKeys(t, aw.world)
	for _, target := range []string{"/api/v1/seller/campaigns", "/api/v1/seller/settled-records", "/api/v1/seller/nothing"} {
		rec := w.get(target, aw.token)
		wantStatus(t, rec, http.StatusUnauthorized)
		if p := problemOf(t, rec); p["code"] != "unauthorized" {
			t.Errorf("order token on %s: %v", target, p)
		}
	}
	if rec := aw.call(http.MethodPost, "/api/v1/orders", []byte(aw.order("K-1", "")), w.mapleKey); rec.Code != http.StatusUnauthorized {
		t.Errorf("a seller key on the order feed: %d, want 401", rec.Code)
	}
	if rec := aw.call(http.MethodGet, "/api/v1/orders/K-1/settlement", nil, w.mapleKey); rec.Code != http.StatusUnauthorized {
		t.Errorf("a seller key on an order's settlement: %d, want 401", rec.Code)
	}
	if s := aw.state(); s.Orders != 0 {
		t.Errorf("%d orders stored", s.Orders)
	}
	// A signed-in seller's browser: its cookie does not authenticate the API.
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get("/api/v1/seller/campaigns")
	wantStatus(t, rec, http.StatusUnauthorized)
	problemOf(t, rec)
	// Nor does it let a write past without a key (no CSRF token needed,
	// none accepted instead of a key).
	rec = b.post("/api/v1/seller/campaigns", url.Values{})
	if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("a cookie POST to the API: %d", rec.Code)
	}
}

// The API keys page: a key is shown once and stored as a hash; a refused
// form says why next to the field and creates nothing; revoking asks
// first (data-confirm) and stops the key; another shop's key is 404.
func TestAPIKeysPage(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	rec := b.get("/api-keys")
	wantStatus(t, rec, http.StatusOK)
	if n := parse(t, rec).Find(testid("key-row")).Length(); n != 2 {
		t.Errorf("%d keys listed, want Maple's 2", n)
	}

	rec = b.post("/api-keys", url.Values{"name": {""}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc := parse(t, rec)
	if doc.Find("#key-name-error").Length() != 1 || doc.Find("#key-scopes-error").Length() != 1 {
		t.Errorf("the refusal does not name both fields: %s", doc.Find("form").Text())
	}
	rec = b.post("/api-keys", url.Values{"name": {"Sheets"}, "scope": {"everything"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if v, _ := parse(t, rec).Find("#key-name").Attr("value"); v != "Sheets" {
		t.Errorf("the name typed is lost: %q", v)
	}

	rec = b.post("/api-keys", url.Values{"name": {"Sheets"}, "scope": {"campaigns:read", "finance:read"}})
	wantStatus(t, rec, http.StatusOK)
	secret := strings.TrimSpace(parse(t, rec).Find(testid("new-key-secret")).Text())
	if !models.SellerKeyLooksValid(secret) {
		t.Fatalf("the new key %q", secret)
	}
	var stored int64
	w.db.Raw(`SELECT count(*) FROM seller_api_keys WHERE key_hash = encode(sha256(?::bytea), 'hex') AND shop_id = ?
		AND scopes = ARRAY['campaigns:read', 'finance:read'] AND position(? in key_hash) = 0`, secret, w.maple.ID, secret[4:]).Scan(&stored)
	if stored != 1 {
		t.Errorf("the key is not stored as its SHA-256 with its scopes")
	}
	wantStatus(t, w.get("/api/v1/seller/settled-records", secret), http.StatusOK)
	rec = b.get("/api-keys")
	if strings.Contains(rec.Body.String(), secret) {
		t.Error("the key is shown again")
	}
	if got := parse(t, rec).Find(testid("key-last-used")).First().Text(); got == "never" {
		t.Errorf("the key just used says last used %q", got)
	}
	form := parse(t, rec).Find(`form[data-confirm-title]`).First()
	action, _ := form.Attr("action")
	if action == "" {
		t.Fatal("no revoke form with a confirmation")
	}

	// Northwind cannot revoke Maple's key.
	nb := w.browser()
	nb.signIn("seller2@x.test")
	wantStatus(t, nb.post(action, nil), http.StatusNotFound)
	wantStatus(t, w.get("/api/v1/seller/settled-records", secret), http.StatusOK)

	wantStatus(t, b.post(action, nil), http.StatusSeeOther)
	wantStatus(t, w.get("/api/v1/seller/settled-records", secret), http.StatusUnauthorized)
	if rec := b.post(action, nil); rec.Code != http.StatusConflict {
		t.Errorf("revoking twice: %d, want 409", rec.Code)
	}
	// Staff have no API keys page.
	rb := w.browser()
	rb.signIn("reviewer@x.test")
	wantStatus(t, rb.get("/api-keys"), http.StatusForbidden)
	if _, _, err := models.NewStore(w.db).CreateSellerAPIKey(context.Background(), w.maple.ID, w.mapleUser, strings.Repeat("x", 81), []string{"campaigns:read"}); err == nil {
		t.Error("an 81-character name is accepted")
	}
}

// The feed carries each kind of change the triggers record, and the
// registration's ETag follows any change to its rows (304 until then).
func TestSellerAPIEventsAndRegistrationVersion(t *testing.T) {
	t.Parallel()
	w := newContractWorld(t)
	rec := w.get("/api/v1/seller/events", w.mapleKey)
	wantStatus(t, rec, http.StatusOK)
	var feed struct {
		Items []struct {
			Kind string         `json:"kind"`
			Data map[string]any `json:"data"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range feed.Items {
		kinds = append(kinds, e.Kind+":"+fmt.Sprint(e.Data["status"]))
	}
	want := "price_edit_result:approved decision:registered sku_error:sku_error withdrawal:approved"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("the feed holds %q, want %q", got, want)
	}
	if rec := w.get("/api/v1/seller/events?after="+feed.NextCursor, w.mapleKey); !strings.Contains(rec.Body.String(), `"items":[]`) {
		t.Errorf("after the last cursor: %s", rec.Body.String())
	}

	reg := "/api/v1/seller/campaigns/" + strconv.FormatInt(w.open.ID, 10) + "/registration"
	etag := w.get(reg, w.mapleKey).Header().Get("ETag")
	wantStatus(t, w.get(reg, w.mapleKey, header("If-None-Match", etag)), http.StatusNotModified)
	if err := w.db.Exec(`UPDATE registration_skus SET campaign_stock = campaign_stock - 1 WHERE registration_id = ?`, w.reg.ID).Error; err != nil {
		t.Fatal(err)
	}
	rec = w.get(reg, w.mapleKey, header("If-None-Match", etag))
	wantStatus(t, rec, http.StatusOK)
	if rec.Header().Get("ETag") == etag {
		t.Error("the ETag did not change with a SKU's stock")
	}
}

// A method an endpoint does not take is 405 naming the ones it does; an
// unknown path is 404; both are problem documents, behind the key check.
func TestSellerAPIUnknownPathsAndMethods(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	rec := apiCall(t, w.e, http.MethodDelete, "/api/v1/seller/campaigns", w.mapleKey, nil)
	wantStatus(t, rec, http.StatusMethodNotAllowed)
	if rec.Header().Get("Allow") != "GET" || problemOf(t, rec)["code"] != "method_not_allowed" {
		t.Errorf("Allow %q: %s", rec.Header().Get("Allow"), rec.Body.String())
	}
	rec = w.get("/api/v1/seller/coupons", w.mapleKey)
	wantStatus(t, rec, http.StatusNotFound)
	problemOf(t, rec)
	wantStatus(t, w.get("/api/v1/seller/coupons", ""), http.StatusUnauthorized)
}
