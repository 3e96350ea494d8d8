package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web/apispec"
)

// contractWorld is the seller API world with something in every list:
// Maple's registration of the open campaign (registered SKUs, a price
// edit decided and one open, a recommendation, a product in SKU error, a
// withdrawal, a review decision: events of each kind), a draft in the
// upcoming campaign, a settled order and a notification.
type contractWorld struct {
	*sellerAPIWorld
	reg         models.Registration
	order       int64  // Maple's settled order (the portal's id)
	financeOnly string // a Maple key with finance:read only
	// The lamp's product is in SKU error; the mug's is registered.
	lamp, mug               models.SKU
	lampProduct, mugProduct int64
	mugPID                  string
}

// id of the first row a query finds.
func (w *contractWorld) id(q string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.db.Raw(q, args...).Scan(&n).Error; err != nil || n == 0 {
		w.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func newContractWorld(t *testing.T) *contractWorld {
	t.Helper()
	aw := newAPIWorld(t)
	w := &contractWorld{sellerAPIWorld: withSellerKeys(t, aw.world)}
	w.financeOnly = w.makeKey(w.maple.ID, w.mapleUser, "Accounting", []string{string(models.ScopeFinanceRead)})
	exec := func(q string, args ...any) {
		t.Helper()
		if err := w.db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := w.db.Where("campaign_id = ? AND shop_id = ?", w.open.ID, w.maple.ID).Take(&w.reg).Error; err != nil {
		t.Fatal(err)
	}
	// An order of Maple's registered SKUs, through the order feed.
	wantStatus(t, aw.post("/api/v1/orders", aw.order("C-1", "")), http.StatusCreated)
	if err := w.db.Raw(`SELECT id FROM orders WHERE external_id = 'C-1'`).Scan(&w.order).Error; err != nil || w.order == 0 {
		t.Fatalf("the order: %v", err)
	}
	var skus []struct{ ID, ProductID int64 }
	if err := w.db.Raw(`SELECT rs.id, rs.registration_product_id AS product_id FROM registration_skus rs
		WHERE rs.registration_id = ? ORDER BY rs.id`, w.reg.ID).Scan(&skus).Error; err != nil || len(skus) < 2 {
		t.Fatalf("registered SKUs: %v %v", skus, err)
	}
	// A price edit approved (an event) and another one open.
	exec(`INSERT INTO price_edit_requests (registration_id, registration_sku_id, shop_id, old_price, new_price, max_price,
		submitted_at, due_at, submitted_by) VALUES (?, ?, ?, 100, 95, 120, now() - interval '2 days', now() + interval '1 day', ?)`,
		w.reg.ID, skus[0].ID, w.maple.ID, w.mapleUser)
	exec(`UPDATE price_edit_requests SET status = 'approved', decided_at = now() WHERE registration_sku_id = ?`, skus[0].ID)
	exec(`INSERT INTO price_edit_requests (registration_id, registration_sku_id, shop_id, old_price, new_price, max_price,
		submitted_at, due_at, submitted_by) VALUES (?, ?, ?, 100, 90, 120, now(), now() + interval '2 days', ?)`,
		w.reg.ID, skus[0].ID, w.maple.ID, w.mapleUser)
	exec(`INSERT INTO price_recommendations (registration_id, registration_sku_id, kind, price) VALUES (?, ?, 'recommended', 88)`,
		w.reg.ID, skus[0].ID)
	// A decision (pending → registered), a SKU error, a withdrawal.
	exec(`UPDATE registration_products SET status = 'pending', decided_by = NULL WHERE id = ?`, skus[1].ProductID)
	exec(`UPDATE registration_products SET status = 'registered' WHERE id = ?`, skus[1].ProductID)
	exec(`UPDATE registration_products SET status = 'sku_error', sku_error_at = now(), sku_error_reason = 'The SKU T-1 was deleted.' WHERE id = ?`, skus[1].ProductID)
	exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at, requested_by)
		VALUES (?, ?, ?, 'discount', now(), now(), ?)`, w.reg.ID, skus[0].ProductID, w.maple.ID, w.mapleUser)
	if err := models.NotifyShop(w.db, w.maple.ID, models.NotifySKUError, "A SKU needs you", "T-1 was deleted.", "/campaigns", ""); err != nil {
		t.Fatal(err)
	}
	// A draft in the upcoming campaign, with a product and a SKU to price.
	draft := w.draftWithProduct(w.upcoming.ID, w.maple.ID)
	_ = draft
	// A registered product of its own (the mug) for the actions after
	// submitting, with a recommendation below its price.
	w.mug = aw.skus[2]
	w.mugProduct = modeltest.RegisterSKU(t, w.db, w.reg, w.mug, "25.00", apiPlaced.Add(-48*time.Hour))
	if err := w.db.Raw(`SELECT pid FROM products WHERE id = ?`, w.mug.ProductID).Scan(&w.mugPID).Error; err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO price_recommendations (registration_id, registration_sku_id, kind, price)
		SELECT ?, id, 'recommended', 22 FROM registration_skus WHERE registration_product_id = ?`, w.reg.ID, w.mugProduct)
	w.lamp, w.lampProduct = aw.skus[0], skus[1].ProductID
	return w
}

// withSellerKeys gives a world the seller API keys of sellerAPIWorld.
func withSellerKeys(t *testing.T, base *world) *sellerAPIWorld {
	t.Helper()
	w := &sellerAPIWorld{world: base}
	w.loadKeys()
	return w
}

// draftWithProduct makes a draft registration with one product of one
// SKU, neither priced.
func (w *contractWorld) draftWithProduct(campaignID, shopID int64) int64 {
	w.t.Helper()
	var regID, rpID int64
	if err := w.db.Raw(`INSERT INTO registrations (campaign_id, shop_id, status, campaign_version) VALUES (?, ?, 'draft', 1) RETURNING id`,
		campaignID, shopID).Scan(&regID).Error; err != nil {
		w.t.Fatal(err)
	}
	var sku struct{ ID, ProductID int64 }
	if err := w.db.Raw(`SELECT id, product_id FROM skus WHERE shop_id = ? ORDER BY id LIMIT 1`, shopID).Scan(&sku).Error; err != nil {
		w.t.Fatal(err)
	}
	if err := w.db.Raw(`INSERT INTO registration_products (registration_id, shop_id, product_id, source, problems) VALUES (?, ?, ?, 'pick', 0) RETURNING id`,
		regID, shopID, sku.ProductID).Scan(&rpID).Error; err != nil {
		w.t.Fatal(err)
	}
	if err := w.db.Exec(`INSERT INTO registration_skus (registration_id, registration_product_id, shop_id, sku_id, sku_version,
			retail_price, lookback_low, low_at, max_price, recommended_price, available_stock, problems)
		VALUES (?, ?, ?, ?, 1, 100, 100, now(), 90, 85, 10, ?)`, regID, rpID, shopID, sku.ID,
		int(models.ProblemPriceMissing)|int(models.ProblemStockMissing)).Error; err != nil {
		w.t.Fatal(err)
	}
	return regID
}

// apiContract is the document with a router over its operations.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

func loadContract(t *testing.T) apiContract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apispec.JSON)
	if err != nil {
		t.Fatalf("the OpenAPI document does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	doc.Servers = nil // match paths alone, whatever host the test uses
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return apiContract{doc: doc, router: router}
}

// contractCall is one request of the contract test.
type contractCall struct {
	name   string
	e      *echo.Echo // nil: the world's portal
	method string
	target string
	key    string
	body   string
	header map[string]string
	status int
	// outside: the request is deliberately outside the contract (a bad
	// enum, a malformed id); the document must refuse it too, and the
	// answer must still be a documented one.
	outside bool
}

// check sends the call and validates its request and response against
// the document; it returns the operation's id.
func (ac apiContract) check(t *testing.T, e *echo.Echo, c contractCall) (string, *httptest.ResponseRecorder) {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	opts := []reqOpt{}
	for k, v := range c.header {
		opts = append(opts, header(k, v))
	}
	rec := apiCall(t, e, c.method, c.target, c.key, body, opts...)
	if rec.Code != c.status {
		t.Errorf("%s: %s %s answered %d, want %d: %s", c.name, c.method, c.target, rec.Code, c.status, rec.Body.String())
	}
	req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	route, params, err := ac.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s: %s %s is not in the document: %v", c.name, c.method, c.target, err)
		return "", rec
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil }}}
	err = openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case c.outside && err == nil:
		t.Errorf("%s: the document accepts %s %s, which the test sends as outside it", c.name, c.method, c.target)
	case !c.outside && err != nil:
		t.Errorf("%s: the request breaks the document: %v", c.name, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s: the %d answer breaks the document: %v\n%s", c.name, rec.Code, err, rec.Body.String())
	}
	return route.Operation.OperationID, rec
}

// Every operation in the document is called, and every request and
// response is checked against it; an operation without a successful call
// fails the test, so the document cannot grow an untested endpoint.
func TestSellerAPIContract(t *testing.T) {
	t.Parallel()
	w := newContractWorld(t)
	ac := loadContract(t)
	const get, post = http.MethodGet, http.MethodPost
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	open, reg := "/api/v1/seller/campaigns/"+id(w.open.ID), "/api/v1/seller/campaigns/"+id(w.open.ID)+"/registration"
	etagRec := w.get(reg, w.mapleKey)
	wantStatus(t, etagRec, http.StatusOK)
	etag := etagRec.Header().Get("ETag")
	// The write side: Northwind (made eligible) registers a product into the open campaign.
	if err := w.db.Exec(`UPDATE shops SET sps = 4.5, free_shipping_threshold = 25 WHERE id = ?`, w.north.ID).Error; err != nil {
		t.Fatal(err)
	}
	kettle, kettleSKUs := modeltest.Product(t, w.db, w.north.ID, "Kettle", "50.00", "60.00")
	bulkRow := func(sku, price string) string {
		return `{"sku":"` + sku + `","campaign_price":"` + price + `","campaign_stock":5}`
	}
	priced := `{"items":[` + bulkRow(kettleSKUs[0].SKUCode, "40.00") + `,` + bulkRow(kettleSKUs[1].SKUCode, "12.999") + `]}`
	refused := `{"items":[` + bulkRow(kettleSKUs[1].SKUCode, "abc") + `]}`
	many := make([]string, 501)
	for i := range many {
		many[i] = bulkRow(kettleSKUs[0].SKUCode, "40.00")
	}
	large := `{"items":[` + strings.Join(many, ",") + `]}`
	var jobID int64
	// A portal whose clock is inside the open campaign's registration window.
	var inWindow time.Time
	if err := w.db.Raw(`SELECT registration_deadline - interval '1 hour' FROM campaigns WHERE id = ?`, w.open.ID).Scan(&inWindow).Error; err != nil {
		t.Fatal(err)
	}
	writer := w.newPortal(models.DefaultAPIRateLimit, func() time.Time { return inWindow })
	limited := w.newPortal(models.APIRateLimit{Requests: 1, Window: time.Hour}, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	limitedKey := w.makeKey(w.maple.ID, w.mapleUser, "Limited", []string{string(models.ScopeCampaignsRead)})
	// After submitting: the Submitted and Manage pages' actions, on
	// Maple's registration of the open campaign (withdrawals reviewed).
	if err := w.db.Exec(`UPDATE campaigns SET withdrawal_review = true, rules_version = nextval('campaign_rules_version_seq') WHERE id = ?`,
		w.open.ID).Error; err != nil {
		t.Fatal(err)
	}
	related := modeltest.Campaign(t, w.db, modeltest.OpenCampaign("Holiday Gift Guide"))
	lampRec := w.id(`SELECT pr.id FROM price_recommendations pr JOIN registration_skus rs ON rs.id = pr.registration_sku_id WHERE rs.sku_id = ?`, w.lamp.ID)
	mugRec := w.id(`SELECT pr.id FROM price_recommendations pr JOIN registration_skus rs ON rs.id = pr.registration_sku_id WHERE rs.sku_id = ?`, w.mug.ID)
	openEdit := w.id(`SELECT e.id FROM price_edit_requests e JOIN registration_skus rs ON rs.id = e.registration_sku_id
		WHERE rs.sku_id = ? AND e.status = 'under_review'`, w.lamp.ID)
	edit := func(sku, price, expected string) string {
		return `{"sku":"` + sku + `","new_price":"` + price + `","expected_price":"` + expected + `","expected_request":null}`
	}
	withdraw := func(kind, pid string) string {
		if pid == "" {
			return `{"kind":"` + kind + `"}`
		}
		return `{"kind":"` + kind + `","products":["` + pid + `"]}`
	}
	var withdrawalID int64
	calls := []contractCall{
		{name: "the document", method: get, target: "/api/v1/openapi.json", status: 200},

		{name: "open campaigns", method: get, target: "/api/v1/seller/campaigns", key: w.mapleKey, status: 200},
		{name: "registered tab, filtered", method: get, target: "/api/v1/seller/campaigns?tab=registered&co_funded=true&eligible_only=false&q=Friday&limit=1", key: w.mapleKey, status: 200},
		{name: "page two", method: get, target: "/api/v1/seller/campaigns?tab=registered&limit=1&cursor=p2", key: w.mapleKey, status: 200},
		{name: "no key", method: get, target: "/api/v1/seller/campaigns", status: 401},
		{name: "a revoked or made-up key", method: get, target: "/api/v1/seller/campaigns", key: "cpk_" + strings.Repeat("ab", 32), status: 401},
		{name: "finance key on campaigns", method: get, target: "/api/v1/seller/campaigns", key: w.financeOnly, status: 403},
		{name: "unknown tab", method: get, target: "/api/v1/seller/campaigns?tab=soon", key: w.mapleKey, status: 422, outside: true},
		{name: "limit past the cap", method: get, target: "/api/v1/seller/campaigns?limit=1000", key: w.mapleKey, status: 422, outside: true},
		{name: "a cursor not given", method: get, target: "/api/v1/seller/campaigns?cursor=zz", key: w.mapleKey, status: 422},
		{name: "within the limit", e: limited, method: get, target: "/api/v1/seller/campaigns", key: limitedKey, status: 200},
		{name: "past the limit", e: limited, method: get, target: "/api/v1/seller/campaigns", key: limitedKey, status: 429},

		{name: "a campaign", method: get, target: open, key: w.mapleKey, status: 200},
		{name: "a draft campaign", method: get, target: "/api/v1/seller/campaigns/" + id(w.draft.ID), key: w.mapleKey, status: 404},
		{name: "no such campaign", method: get, target: "/api/v1/seller/campaigns/999999", key: w.mapleKey, status: 404},

		{name: "the registration", method: get, target: reg, key: w.mapleKey, status: 200},
		{name: "a page of it", method: get, target: reg + "?limit=1&cursor=p2", key: w.mapleKey, status: 200},
		{name: "not modified", method: get, target: reg, key: w.mapleKey, header: map[string]string{"If-None-Match": etag}, status: 304},
		{name: "a draft registration", method: get, target: "/api/v1/seller/campaigns/" + id(w.upcoming.ID) + "/registration", key: w.mapleKey, status: 200},
		{name: "no registration", method: get, target: "/api/v1/seller/campaigns/" + id(w.open.ID) + "/registration", key: w.northKey, status: 404},

		{name: "recommendations", method: get, target: reg + "/recommendations", key: w.mapleKey, status: 200},
		{name: "related campaigns", method: get, target: reg + "/related", key: w.mapleKey, status: 200},
		{name: "price edits", method: get, target: reg + "/price-edits", key: w.mapleKey, status: 200},
		{name: "approved price edits", method: get, target: reg + "/price-edits?status=approved", key: w.mapleKey, status: 200},
		{name: "SKU errors", method: get, target: reg + "/sku-errors", key: w.mapleKey, status: 200},
		{name: "notifications", method: get, target: "/api/v1/seller/notifications?limit=10", key: w.mapleKey, status: 200},

		{name: "settled records", method: get, target: "/api/v1/seller/settled-records", key: w.mapleKey, status: 200},
		{name: "settled records of a campaign", method: get, target: "/api/v1/seller/settled-records?campaign=" + id(w.open.ID) + "&from=2025-11-01&to=2025-12-31&status=placed", key: w.mapleKey, status: 200},
		{name: "a bad day", method: get, target: "/api/v1/seller/settled-records?from=1st", key: w.mapleKey, status: 422, outside: true},
		{name: "a read key on finance", method: get, target: "/api/v1/seller/settled-records", key: w.readOnlyKey, status: 403},
		{name: "an order", method: get, target: "/api/v1/seller/orders/" + id(w.order), key: w.mapleKey, status: 200},
		{name: "another shop's order", method: get, target: "/api/v1/seller/orders/" + id(w.order), key: w.northKey, status: 404},

		{name: "events", method: get, target: "/api/v1/seller/events", key: w.mapleKey, status: 200},
		{name: "events after a cursor", method: get, target: "/api/v1/seller/events?after=0-0&limit=2", key: w.mapleKey, status: 200},
		{name: "a made-up cursor", method: get, target: "/api/v1/seller/events?after=yesterday", key: w.mapleKey, status: 422},

		{e: writer, name: "a finance key cannot write", method: post, target: reg + "/draft", key: w.financeOnly, status: 403},
		{e: writer, name: "open a draft", method: post, target: reg + "/draft", key: w.northKey, header: map[string]string{"Idempotency-Key": "d-1"}, status: 200},
		{e: writer, name: "a read key cannot write", method: post, target: reg + "/draft", key: w.readOnlyKey, status: 403},
		{e: writer, name: "add a product by PID", method: post, target: reg + "/products", key: w.northKey, body: `{"items":[{"pid":"` + kettle.PID + `"}]}`, status: 200},
		{e: writer, name: "add an unknown SKU", method: post, target: reg + "/products", key: w.northKey, body: `{"items":[{"sku":"NOPE"}]}`, status: 404},
		{e: writer, name: "dry run", method: post, target: reg + "/skus/bulk?dry_run=true", key: w.northKey, body: priced, status: 200},
		{e: writer, name: "save what passes", method: post, target: reg + "/skus/bulk", key: w.northKey, body: priced, status: 200},
		{e: writer, name: "no row passes", method: post, target: reg + "/skus/bulk", key: w.northKey, body: refused, status: 422},
		{e: writer, name: "a stale If-Match", method: post, target: reg + "/skus/bulk", key: w.northKey, body: priced, header: map[string]string{"If-Match": `"0123"`}, status: 409},
		{e: writer, name: "a large request runs as a job", method: post, target: reg + "/skus/bulk?dry_run=true", key: w.northKey, body: large, status: 202},
		{e: writer, name: "remove a SKU", method: post, target: reg + "/skus/remove", key: w.northKey, body: `{"skus":["` + kettleSKUs[1].SKUCode + `"]}`, status: 200},
		{e: writer, name: "submit", method: post, target: reg + "/submit", key: w.northKey, body: `{"accept_coupons":true}`, status: 200},
		{e: writer, name: "another shop's job", method: get, target: "/api/v1/seller/bulk-jobs/{job}", key: w.mapleKey, status: 404},
		{e: writer, name: "the job", method: get, target: "/api/v1/seller/bulk-jobs/{job}", key: w.northKey, status: 200},

		{name: "a price edit", method: get, target: reg + "/price-edits/" + id(openEdit), key: w.mapleKey, status: 200},
		{name: "another shop's price edit", method: get, target: reg + "/price-edits/" + id(openEdit), key: w.northKey, status: 404},
		{e: writer, name: "edit from a stale read", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit(w.mug.SKUCode, "21.00", "24.00"), status: 409},
		{e: writer, name: "edit to no price", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit(w.mug.SKUCode, "abc", "25.00"), status: 422},
		{e: writer, name: "edit above the maximum", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit(w.mug.SKUCode, "31.00", "25.00"), status: 422},
		{e: writer, name: "edit of no SKU", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit("NOPE", "21.00", "25.00"), status: 404},
		{e: writer, name: "edit of a product in SKU error", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit(w.lamp.SKUCode, "80.00", "100.00"), status: 409},
		{e: writer, name: "request a price edit", method: post, target: reg + "/price-edits", key: w.mapleKey, body: edit(w.mug.SKUCode, "21.00", "25.00"), status: 201},
		{e: writer, name: "dismiss a recommendation", method: post, target: reg + "/recommendations/" + id(lampRec) + "/dismiss", key: w.mapleKey, status: 200},
		{e: writer, name: "accept one answered", method: post, target: reg + "/recommendations/" + id(lampRec) + "/accept", key: w.mapleKey, status: 409},
		{e: writer, name: "accept a recommendation", method: post, target: reg + "/recommendations/" + id(mugRec) + "/accept", key: w.mapleKey, header: map[string]string{"Idempotency-Key": "rec-1"}, status: 200},
		{e: writer, name: "accept all", method: post, target: reg + "/recommendations/accept-all", key: w.mapleKey, body: `{}`, status: 200},
		{name: "register in a related campaign", method: post, target: reg + "/related/" + id(related.ID) + "/copy", key: w.mapleKey, status: 200},
		{name: "copy to a draft campaign", method: post, target: reg + "/related/" + id(w.draft.ID) + "/copy", key: w.mapleKey, status: 404},
		{e: writer, name: "withdraw a product (reviewed)", method: post, target: reg + "/withdrawals", key: w.mapleKey, body: withdraw("product", w.mugPID), status: 200},
		{e: writer, name: "withdraw it again", method: post, target: reg + "/withdrawals", key: w.mapleKey, body: withdraw("product", w.mugPID), status: 409},
		{e: writer, name: "withdraw no product", method: post, target: reg + "/withdrawals", key: w.mapleKey, body: withdraw("product", "NOPE"), status: 404},
		{e: writer, name: "withdraw a made-up kind", method: post, target: reg + "/withdrawals", key: w.mapleKey, body: withdraw("everything", ""), status: 422, outside: true},
		{name: "withdrawals", method: get, target: reg + "/withdrawals", key: w.mapleKey, status: 200},
		{e: writer, name: "cancel the request", method: post, target: reg + "/withdrawals/{withdrawal}/cancel", key: w.mapleKey, status: 200},
		{e: writer, name: "cancel it again", method: post, target: reg + "/withdrawals/{withdrawal}/cancel", key: w.mapleKey, status: 409},
		{e: writer, name: "fix a SKU error", method: post, target: reg + "/sku-errors/" + id(w.lampProduct) + "/fix", key: w.mapleKey, status: 200},
		{e: writer, name: "fix it again", method: post, target: reg + "/sku-errors/" + id(w.lampProduct) + "/fix", key: w.mapleKey, status: 409},
		{e: writer, name: "withdraw the campaign", method: post, target: reg + "/withdrawals", key: w.mapleKey, body: withdraw("campaign", ""), status: 200},
	}
	succeeded := map[string]bool{}
	for _, c := range calls {
		e := c.e
		if e == nil {
			e = w.e
		}
		c.target = strings.Replace(c.target, "{job}", strconv.FormatInt(jobID, 10), 1)
		c.target = strings.Replace(c.target, "{withdrawal}", strconv.FormatInt(withdrawalID, 10), 1)
		op, rec := ac.check(t, e, c)
		if op == "bulkSKUs" && rec.Code == http.StatusAccepted {
			var job struct{ ID int64 }
			_ = json.Unmarshal(rec.Body.Bytes(), &job)
			jobID = job.ID
		}
		if op == "withdraw" && rec.Code == http.StatusOK && withdrawalID == 0 {
			var res struct{ Withdrawals []struct{ ID int64 } }
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Withdrawals) != 1 {
				t.Fatalf("the withdrawal made: %v %s", err, rec.Body.String())
			}
			withdrawalID = res.Withdrawals[0].ID
		}
		if rec.Code < 300 || rec.Code == http.StatusNotModified {
			succeeded[op] = true
		}
		if rec.Code >= 400 {
			if p := problemOf(t, rec); p["status"] != float64(rec.Code) {
				t.Errorf("%s: the problem's status %v is not the answer's %d", c.name, p["status"], rec.Code)
			}
		}
	}
	var missing []string
	for path, item := range ac.doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !succeeded[op.OperationID] {
				missing = append(missing, fmt.Sprintf("%s %s (%s)", method, path, op.OperationID))
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("the document's %s has no successful call in this test", m)
	}
}

// The reference page is the document rendered by the portal: one entry
// per operation, each with a curl example of its own path against this
// portal; no script of its own (the CSP stands); the document is served
// byte for byte.
func TestSellerAPIReferencePage(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	ac := loadContract(t)
	rec := w.get("/api/v1/openapi.json", "")
	wantStatus(t, rec, http.StatusOK)
	if !bytes.Equal(rec.Body.Bytes(), apispec.JSON) {
		t.Error("/api/v1/openapi.json is not the document in the repository")
	}
	b := w.browser()
	b.signIn("seller@x.test")
	rec = b.get("/api/docs")
	wantStatus(t, rec, http.StatusOK)
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	doc := parse(t, rec)
	if n := doc.Find("script:not([src])").Length(); n != 0 {
		t.Errorf("%d inline scripts", n)
	}
	n := 0
	for path, item := range ac.doc.Paths.Map() {
		for _, op := range item.Operations() {
			n++
			entry := doc.Find("#op-" + op.OperationID)
			if entry.Length() != 1 {
				t.Errorf("no entry for %s", op.OperationID)
				continue
			}
			curl := entry.Find(testid("curl-example")).Text()
			prefix := path
			if i := strings.Index(path, "{"); i >= 0 {
				prefix = path[:i]
			}
			if !strings.Contains(curl, "curl ") || !strings.Contains(curl, "http://example.com"+prefix) {
				t.Errorf("%s: the curl example does not call %s on this portal: %s", op.OperationID, path, curl)
			}
			// The address (the body may hold JSON braces) names no
			// {parameter}.
			url := curl
			if i := strings.Index(curl, "http://example.com"); i >= 0 {
				url = curl[i:]
			}
			if end := strings.IndexAny(url, "' \n"); end >= 0 {
				url = url[:end]
			}
			if strings.Contains(url, "{") {
				t.Errorf("%s: the curl example leaves a path parameter unfilled: %s", op.OperationID, curl)
			}
		}
	}
	if got := doc.Find(testid("api-operation")).Length(); got != n {
		t.Errorf("%d entries for %d operations", got, n)
	}
	if doc.Find("#problem-rate_limited").Length() != 1 || doc.Find("#problem-price-too-high").Length() != 1 {
		t.Error("the problem and rule codes are not listed with their anchors")
	}
}
