package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// writeWorld is the seller API world with Northwind's products to
// register into the open campaign through the API.
type writeWorld struct {
	*sellerAPIWorld
	product models.Product
	skus    []models.SKU
	base    string // …/campaigns/{open}/registration
}

func newWriteWorld(t *testing.T) *writeWorld {
	t.Helper()
	w := &writeWorld{sellerAPIWorld: newSellerAPIWorld(t)}
	// Northwind meets the open campaign's criteria, so it may register.
	if err := w.db.Exec(`UPDATE shops SET sps = 4.5, free_shipping_threshold = 25 WHERE id = ?`, w.north.ID).Error; err != nil {
		t.Fatal(err)
	}
	w.product, w.skus = modeltest.Product(t, w.db, w.north.ID, "Kettle", "50.00", "60.00")
	w.base = "/api/v1/seller/campaigns/" + strconv.FormatInt(w.open.ID, 10) + "/registration"
	return w
}

func (w *writeWorld) post(path, key, body string, opts ...reqOpt) *httptest.ResponseRecorder {
	w.t.Helper()
	return apiCall(w.t, w.e, http.MethodPost, path, key, strings.NewReader(body), opts...)
}

func (w *writeWorld) count(q string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.db.Raw(q, args...).Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestSellerAPIWriteJourney: open a draft, add a product by PID, dry-run a
// bulk (nothing written), fix and save, a stale If-Match (409), submit.
func TestSellerAPIWriteJourney(t *testing.T) {
	t.Parallel()
	w := newWriteWorld(t)
	rec := w.post(w.base+"/draft", w.northKey, "")
	wantStatus(t, rec, http.StatusOK)
	rec = w.post(w.base+"/products", w.northKey, `{"items":[{"pid":"`+w.product.PID+`"}]}`)
	wantStatus(t, rec, http.StatusOK)
	etag := rec.Header().Get("ETag")
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE shop_id = ?`, w.north.ID); n != 2 {
		t.Fatalf("%d SKUs in the draft, want 2", n)
	}
	bulk := `{"items":[{"sku":"` + w.skus[0].SKUCode + `","campaign_price":"40.00","campaign_stock":5},` +
		`{"sku":"` + w.skus[1].SKUCode + `","campaign_price":"12.999","campaign_stock":5}]}`
	rec = w.post(w.base+"/skus/bulk?dry_run=true", w.northKey, bulk)
	wantStatus(t, rec, http.StatusOK)
	t.Log(rec.Body.String())
	var res struct {
		Passed, Refused int
		Rows            []struct {
			Valid  bool
			Errors []struct{ Field, Code, Detail string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Passed != 1 || res.Refused != 1 || res.Rows[1].Errors[0].Code != string(models.CodePriceInvalid) ||
		res.Rows[1].Errors[0].Field != "campaign_price" {
		t.Fatalf("dry run verdicts: %+v", res)
	}
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE shop_id = ? AND campaign_price IS NOT NULL`, w.north.ID); n != 0 {
		t.Fatalf("a dry run saved %d prices", n)
	}
	// The registration did not change, so its version still matches.
	rec = w.post(w.base+"/skus/bulk", w.northKey, strings.Replace(bulk, "12.999", "45.00", 1), header("If-Match", etag))
	wantStatus(t, rec, http.StatusOK)
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE shop_id = ? AND campaign_price IS NOT NULL`, w.north.ID); n != 2 {
		t.Fatalf("%d prices saved, want 2", n)
	}
	rec = w.post(w.base+"/submit", w.northKey, `{"accept_coupons":true}`, header("If-Match", etag))
	wantStatus(t, rec, http.StatusConflict)
	if p := problemOf(t, rec); p["code"] != "version_mismatch" {
		t.Fatalf("stale If-Match: %v", p)
	}
	rec = w.post(w.base+"/submit", w.northKey, `{"accept_coupons":true}`)
	wantStatus(t, rec, http.StatusOK)
	if n := w.count(`SELECT count(*) FROM registrations WHERE shop_id = ? AND campaign_id = ? AND status <> 'draft'`, w.north.ID, w.open.ID); n != 1 {
		t.Fatalf("the registration was not submitted: %s", rec.Body.String())
	}
}

// TestSellerAPIWriteTenancyAndScope: Maple's keys on Northwind's draft: 404
// (no registration of Maple's own) or 403 for a read-only key; nothing
// written. Northwind's key cannot add Maple's products.
func TestSellerAPIWriteTenancyAndScope(t *testing.T) {
	t.Parallel()
	w := newWriteWorld(t)
	wantStatus(t, w.post(w.base+"/draft", w.northKey, ""), http.StatusOK)
	_, mapleSKUs := modeltest.Product(t, w.db, w.maple.ID, "Maple mug", "20.00")
	// North's key naming Maple's SKU: not found (as an unknown one), nothing added.
	rec := w.post(w.base+"/products", w.northKey, `{"items":[{"sku":"`+mapleSKUs[0].SKUCode+`"}]}`)
	wantStatus(t, rec, http.StatusNotFound)
	for _, path := range []string{"/skus/bulk", "/skus/bulk?dry_run=true"} {
		rec := w.post(w.base+path, w.northKey, `{"items":[{"sku":"`+w.skus[0].SKUCode+`","campaign_price":"40.00","campaign_stock":5},`+
			`{"sku":"`+mapleSKUs[0].SKUCode+`","campaign_price":"15.00","campaign_stock":5}]}`)
		wantStatus(t, rec, http.StatusNotFound)
		if p := problemOf(t, rec); !strings.Contains(rec.Body.String(), `"field":"items[1].sku","code":"sku_unknown"`) {
			t.Errorf("%s with Maple's SKU: %v", path, p)
		}
	}
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE campaign_price IS NOT NULL`); n != 0 {
		t.Fatal("a bulk naming another shop's SKU saved its other rows")
	}
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE sku_id = ?`, mapleSKUs[0].ID); n != 0 {
		t.Fatal("another shop's SKU was added")
	}
	for _, path := range []string{"/products", "/skus/bulk", "/skus/remove", "/submit"} {
		// Maple has no draft of the open campaign: Northwind's is not hers.
		before := w.count(`SELECT count(*) FROM registration_skus`)
		body := `{"items":[{"sku":"` + w.skus[0].SKUCode + `"}]}`
		if path == "/skus/remove" {
			body = `{"skus":["` + w.skus[0].SKUCode + `"]}`
		} else if path == "/submit" {
			body = `{"accept_coupons":true}`
		}
		rec := w.post(w.base+path, w.mapleKey, body)
		if rec.Code != http.StatusNotFound {
			t.Errorf("Maple's key on %s: %d %s", path, rec.Code, rec.Body.String())
		}
		if after := w.count(`SELECT count(*) FROM registration_skus`); after != before {
			t.Errorf("%s wrote with another shop's key", path)
		}
		wantStatus(t, w.post(w.base+path, w.readOnlyKey, body), http.StatusForbidden)
	}
}

// TestSellerAPIIdempotency: the same key and body replay the first answer
// and write once; another body is a 422; parallel requests write once.
func TestSellerAPIIdempotency(t *testing.T) {
	t.Parallel()
	w := newWriteWorld(t)
	wantStatus(t, w.post(w.base+"/draft", w.northKey, ""), http.StatusOK)
	add := `{"items":[{"sku":"` + w.skus[0].SKUCode + `"}]}`
	first := w.post(w.base+"/products", w.northKey, add, header("Idempotency-Key", "k-1"))
	wantStatus(t, first, http.StatusOK)
	// Meanwhile the draft changes: a replay still answers what the first did.
	wantStatus(t, w.post(w.base+"/products", w.northKey, `{"items":[{"sku":"`+w.skus[1].SKUCode+`"}]}`), http.StatusOK)
	again := w.post(w.base+"/products", w.northKey, add, header("Idempotency-Key", "k-1"))
	wantStatus(t, again, http.StatusOK)
	if again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the replay is not the first answer:\n%s\n%s", first.Body.String(), again.Body.String())
	}
	other := w.post(w.base+"/products", w.northKey, `{"items":[{"pid":"`+w.product.PID+`"}]}`, header("Idempotency-Key", "k-1"))
	wantStatus(t, other, http.StatusUnprocessableEntity)
	if p := problemOf(t, other); !strings.Contains(other.Body.String(), "idempotency_key_reused") {
		t.Fatalf("another body: %v", p)
	}
	// Two parallel bulk saves with one key: one write (its price), the
	// other answer is the same or a 409 asking to retry.
	wantStatus(t, w.post(w.base+"/skus/remove", w.northKey, `{"skus":["`+w.skus[1].SKUCode+`"]}`), http.StatusOK)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := w.post(w.base+"/products", w.northKey, `{"items":[{"sku":"`+w.skus[1].SKUCode+`"}]}`, header("Idempotency-Key", "k-par"))
			codes[i] = rec.Code
		}()
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusOK && c != http.StatusConflict {
			t.Fatalf("parallel answers %v", codes)
		}
	}
	if n := w.count(`SELECT count(*) FROM seller_api_idempotency WHERE idem_key = 'k-par' AND status = 200`); n != 1 {
		t.Fatalf("%d answers kept for one key", n)
	}
}

// TestSellerAPIBulkJob: more than 500 rows run on the real queue; the
// job's resource gives the same result document, and the rows that pass
// are saved.
func TestSellerAPIBulkJob(t *testing.T) {
	t.Parallel()
	w := newWriteWorld(t)
	w.startUploadWorkers()
	wantStatus(t, w.post(w.base+"/draft", w.northKey, ""), http.StatusOK)
	rows := make([]string, 501)
	for i := range rows {
		rows[i] = `{"sku":"` + w.skus[0].SKUCode + `","campaign_price":"40.00","campaign_stock":5}`
	}
	rec := w.post(w.base+"/skus/bulk", w.northKey, `{"items":[`+strings.Join(rows, ",")+`]}`)
	wantStatus(t, rec, http.StatusAccepted)
	loc := rec.Header().Get("Location")
	var job struct {
		Status string
		Error  string
		Result *struct{ Passed, Refused, Saved int }
	}
	for range 600 { // until the worker is done (the queue is polled, not timed)
		rec = w.get(loc, w.northKey)
		wantStatus(t, rec, http.StatusOK)
		if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil {
			t.Fatal(err)
		}
		if job.Status == "done" || job.Status == "failed" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if job.Status != "done" || job.Result == nil || job.Result.Passed != 1 || job.Result.Refused != 500 || job.Result.Saved != 1 {
		t.Fatalf("the job: %s", rec.Body.String())
	}
	if n := w.count(`SELECT count(*) FROM registration_skus WHERE sku_id = ? AND campaign_price = 40`, w.skus[0].ID); n != 1 {
		t.Fatalf("the job saved %d rows", n)
	}
	wantStatus(t, w.get(loc, w.mapleKey), http.StatusNotFound)
}
