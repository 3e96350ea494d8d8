package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// actionsWorld is the contract world with a portal whose clock is inside
// the open campaign's registration window (the actions check it), and
// Northwind registered in the same campaign with a product of its own,
// so Northwind's key reaches a registration of its own there.
type actionsWorld struct {
	*contractWorld
	writer *echo.Echo
	reg    string // …/campaigns/{open}/registration
}

func newActionsWorld(t *testing.T) *actionsWorld {
	t.Helper()
	w := &actionsWorld{contractWorld: newContractWorld(t)}
	var inWindow time.Time
	if err := w.db.Raw(`SELECT registration_deadline - interval '1 hour' FROM campaigns WHERE id = ?`, w.open.ID).Scan(&inWindow).Error; err != nil {
		t.Fatal(err)
	}
	w.writer = w.newPortal(models.DefaultAPIRateLimit, func() time.Time { return inWindow })
	northReg := modeltest.Register(t, w.db, w.open.ID, w.north.ID, models.RegistrationRegistered)
	_, kettle := modeltest.Product(t, w.db, w.north.ID, "Kettle", "50.00")
	modeltest.RegisterSKU(t, w.db, northReg, kettle[0], "40.00", apiPlaced.Add(-48*time.Hour))
	w.reg = "/api/v1/seller/campaigns/" + strconv.FormatInt(w.open.ID, 10) + "/registration"
	return w
}

func (w *actionsWorld) post(path, key, body string, opts ...reqOpt) *httptest.ResponseRecorder {
	w.t.Helper()
	return apiCall(w.t, w.writer, http.MethodPost, path, key, strings.NewReader(body), opts...)
}

// state is everything a write of the actions could change, as one string.
func (w *actionsWorld) state() string {
	w.t.Helper()
	var s string
	if err := w.db.Raw(`SELECT concat_ws(' | ',
		(SELECT string_agg(id || ':' || status || ':' || new_price, ',' ORDER BY id) FROM price_edit_requests),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM price_recommendations),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM withdrawals),
		(SELECT string_agg(id || ':' || status || ':' || coalesce(extra_discount_pct::text, '-'), ',' ORDER BY id) FROM registration_products),
		(SELECT string_agg(id || ':' || coalesce(campaign_price::text, '-'), ',' ORDER BY id) FROM registration_skus),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM registrations),
		(SELECT count(*) FROM seller_events))`).Row().Scan(&s); err != nil {
		w.t.Fatal(err)
	}
	return s
}

// Northwind's key on every id of Maple's the write actions take (SKU IDs,
// PIDs, recommendation, price edit, withdrawal and product ids, and a
// registration Northwind has not) is a 404 not_found that tells nothing
// of Maple's, and nothing at all is written; a campaigns:read key gets
// 403 on every write, a finance:read key on the reads.
func TestSellerAPIWriteTenancyMatrix(t *testing.T) {
	t.Parallel()
	w := newActionsWorld(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	mugRec := w.id(`SELECT pr.id FROM price_recommendations pr JOIN registration_skus rs ON rs.id = pr.registration_sku_id WHERE rs.sku_id = ?`, w.mug.ID)
	edit := w.id(`SELECT id FROM price_edit_requests WHERE shop_id = ? ORDER BY id DESC LIMIT 1`, w.maple.ID)
	withdrawal := w.id(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, status, requested_at, requested_by)
		VALUES (?, ?, ?, 'product', 'requested', now(), ?) RETURNING id`, w.contractWorld.reg.ID, w.mugProduct, w.maple.ID, w.mapleUser)
	upcoming := "/api/v1/seller/campaigns/" + id(w.upcoming.ID) + "/registration" // Maple's draft; Northwind has none
	bulk := `{"items":[{"sku":"` + w.mug.SKUCode + `","campaign_price":"20.00","campaign_stock":5}]}`
	before := w.state()
	writes := []struct{ path, body string }{
		{w.reg + "/price-edits", `{"sku":"` + w.mug.SKUCode + `","new_price":"21.00","expected_price":"25.00"}`},
		{w.reg + "/recommendations/" + id(mugRec) + "/accept", ""},
		{w.reg + "/recommendations/" + id(mugRec) + "/dismiss", ""},
		{w.reg + "/withdrawals", `{"kind":"product","products":["` + w.mugPID + `"]}`},
		{w.reg + "/withdrawals", `{"kind":"discount","products":["` + w.mugPID + `"]}`},
		{w.reg + "/withdrawals/" + id(withdrawal) + "/cancel", ""},
		{w.reg + "/sku-errors/" + id(w.lampProduct) + "/fix", ""},
		{w.reg + "/products", `{"items":[{"sku":"` + w.mug.SKUCode + `"}]}`},
		{w.reg + "/products", `{"items":[{"pid":"` + w.mugPID + `"}]}`},
		{w.reg + "/skus/bulk", bulk},
		{w.reg + "/skus/bulk?dry_run=true", bulk},
		{w.reg + "/skus/remove", `{"skus":["` + w.mug.SKUCode + `"]}`},
		{upcoming + "/products", `{"items":[{"pid":"` + w.mugPID + `"}]}`},
		{upcoming + "/submit", `{"accept_coupons":true}`},
		{upcoming + "/withdrawals", `{"kind":"campaign"}`},
		{upcoming + "/recommendations/accept-all", ""},
		{upcoming + "/related/" + id(w.open.ID) + "/copy", ""},
	}
	for _, c := range writes {
		rec := w.post(c.path, w.northKey, c.body)
		if rec.Code != http.StatusNotFound {
			t.Errorf("Northwind's key on POST %s: %d, want 404: %s", c.path, rec.Code, rec.Body.String())
			continue
		}
		if p := problemOf(t, rec); p["code"] != "not_found" || strings.Contains(rec.Body.String(), "Maple") ||
			strings.Contains(rec.Body.String(), "mug") {
			t.Errorf("POST %s: %s", c.path, rec.Body.String())
		}
		if rec := w.post(c.path, w.readOnlyKey, c.body); rec.Code != http.StatusForbidden {
			t.Errorf("a campaigns:read key on POST %s: %d, want 403", c.path, rec.Code)
		}
	}
	for _, target := range []string{w.reg + "/price-edits/" + id(edit), upcoming + "/withdrawals"} {
		if rec := apiCall(t, w.writer, http.MethodGet, target, w.northKey, nil); rec.Code != http.StatusNotFound {
			t.Errorf("Northwind's key on GET %s: %d, want 404", target, rec.Code)
		}
		if rec := apiCall(t, w.writer, http.MethodGet, target, w.financeOnly, nil); rec.Code != http.StatusForbidden {
			t.Errorf("a finance:read key on GET %s: %d, want 403", target, rec.Code)
		}
	}
	if after := w.state(); after != before {
		t.Errorf("something was written:\nbefore %s\nafter  %s", before, after)
	}
	// Northwind's own withdrawals list holds nothing of Maple's.
	rec := apiCall(t, w.writer, http.MethodGet, w.reg+"/withdrawals", w.northKey, nil)
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"items":[]`) {
		t.Errorf("Northwind's withdrawals: %s", rec.Body.String())
	}
}

// The actions' outcomes reach the events feed, from the transaction of
// each change: a reviewed withdrawal's request and its cancellation, a SKU
// error resolved by its fix, and the reviewer's decision on a price edit
// asked through the API. The 409s of the price edit's guards carry their
// codes, and its 422 the rule's code on the API's field.
func TestSellerAPIActionsReachTheEventsFeed(t *testing.T) {
	t.Parallel()
	w := newActionsWorld(t)
	if err := w.db.Exec(`UPDATE campaigns SET withdrawal_review = true, rules_version = nextval('campaign_rules_version_seq') WHERE id = ?`,
		w.open.ID).Error; err != nil {
		t.Fatal(err)
	}
	feed := apiCall(t, w.writer, http.MethodGet, "/api/v1/seller/events", w.mapleKey, nil)
	wantStatus(t, feed, http.StatusOK)
	var page struct {
		Items []struct {
			Kind string
			Data map[string]any
		}
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(feed.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	cursor := page.NextCursor

	editBody := func(price, expected string) string {
		return `{"sku":"` + w.mug.SKUCode + `","new_price":"` + price + `","expected_price":"` + expected + `"}`
	}
	rec := w.post(w.reg+"/price-edits", w.mapleKey, editBody("31.00", "25.00"))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(rec.Body.String(), `"field":"new_price","code":"price_above_max"`) {
		t.Errorf("above the maximum: %s", rec.Body.String())
	}
	rec = w.post(w.reg+"/price-edits", w.mapleKey, editBody("21.00", "24.00"))
	wantStatus(t, rec, http.StatusConflict)
	if p := problemOf(t, rec); p["code"] != "price_changed" {
		t.Errorf("stale: %v", p)
	}
	rec = w.post(w.reg+"/price-edits", w.mapleKey, `{"sku":"`+w.lamp.SKUCode+`","new_price":"80.00","expected_price":"100.00"}`)
	wantStatus(t, rec, http.StatusConflict)
	if p := problemOf(t, rec); p["code"] != "edit_locked" {
		t.Errorf("in SKU error: %v", p)
	}
	rec = w.post(w.reg+"/price-edits", w.mapleKey, editBody("21.00", "25.00"))
	wantStatus(t, rec, http.StatusCreated)
	var edit struct{ ID int64 }
	if err := json.Unmarshal(rec.Body.Bytes(), &edit); err != nil || edit.ID == 0 {
		t.Fatalf("the edit: %s", rec.Body.String())
	}
	// A second edit from the same read (no open edit known) is stale now.
	wantStatus(t, w.post(w.reg+"/price-edits", w.mapleKey, editBody("20.00", "25.00")), http.StatusConflict)
	var reviewer int64
	if err := w.db.Raw(`SELECT id FROM users WHERE email = 'reviewer@x.test'`).Scan(&reviewer).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.NewStore(w.db).DecidePriceEdit(context.Background(), reviewer, edit.ID, models.DecisionApproved, "", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	rec = apiCall(t, w.writer, http.MethodGet, w.reg+"/price-edits/"+strconv.FormatInt(edit.ID, 10), w.mapleKey, nil)
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"status":"approved"`) {
		t.Errorf("the edit's status: %s", rec.Body.String())
	}

	rec = w.post(w.reg+"/withdrawals", w.mapleKey, `{"kind":"product","products":["`+w.mugPID+`"]}`)
	wantStatus(t, rec, http.StatusOK)
	var res struct {
		Withdrawn, Requested int
		Withdrawals          []struct {
			ID     int64
			Status string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Requested != 1 || res.Withdrawn != 0 || len(res.Withdrawals) != 1 ||
		res.Withdrawals[0].Status != "requested" {
		t.Fatalf("a reviewed withdrawal: %s", rec.Body.String())
	}
	wantStatus(t, w.post(w.reg+"/withdrawals/"+strconv.FormatInt(res.Withdrawals[0].ID, 10)+"/cancel", w.mapleKey, ""), http.StatusOK)
	wantStatus(t, w.post(w.reg+"/sku-errors/"+strconv.FormatInt(w.lampProduct, 10)+"/fix", w.mapleKey, ""), http.StatusOK)

	feed = apiCall(t, w.writer, http.MethodGet, "/api/v1/seller/events?after="+cursor, w.mapleKey, nil)
	wantStatus(t, feed, http.StatusOK)
	page.Items = nil
	if err := json.Unmarshal(feed.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Items {
		s := e.Kind + ":" + e.Data["status"].(string)
		for _, k := range []string{"state", "kind"} {
			if v, ok := e.Data[k].(string); ok {
				s += ":" + v
			}
		}
		got = append(got, s)
	}
	// The fix is a withdrawal of its own (kind sku_error, at once) and
	// the SKU error's resolution.
	want := "price_edit_result:approved withdrawal:requested:product withdrawal:cancelled:product withdrawal:approved:sku_error sku_error:draft:resolved"
	if strings.Join(got, " ") != want {
		t.Errorf("the feed after the actions: %v, want %s", got, want)
	}
}
