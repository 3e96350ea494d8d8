package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/cmd/portal/jobs"
	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/uploads"
	"campaignportal/web/routes"
)

// startUploadWorkers runs River's workers on the world's database, as
// `portal serve` does, so uploads go through the real queue.
func (w *world) startUploadWorkers() {
	w.t.Helper()
	var dbName string
	if err := w.db.Raw(`SELECT current_database()`).Scan(&dbName).Error; err != nil {
		w.t.Fatal(err)
	}
	workers, err := jobs.Start(context.Background(), models.NewStore(w.db),
		jobs.Config{DatabaseURL: modeltest.URLFor(dbName)})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { _ = workers.Stop(context.Background()) })
}

// upload posts a file as the upload form does (multipart), with the CSRF
// token unless withCSRF is false.
func (b *browser) upload(target, fileName string, content []byte, withCSRF bool, opts ...reqOpt) *httptest.ResponseRecorder {
	b.t.Helper()
	if b.csrf == "" {
		b.loadCSRF()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if withCSRF {
		_ = mw.WriteField("_csrf", b.csrf)
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.RemoteAddr = "192.0.2.10:5555"
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	return rec
}

// waitChecked polls the upload's status card, as the page does every
// second, until the check is over.
func (b *browser) waitChecked(statusURL string) *httptest.ResponseRecorder {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec := b.get(statusURL, htmx)
		wantStatus(b.t, rec, http.StatusOK)
		state, _ := parse(b.t, rec).Find(testid("upload-status")).Attr("data-state")
		if state == "done" || state == "failed" {
			return rec
		}
		if state != "waiting" {
			b.t.Fatalf("status card state %q: %s", state, rec.Body.String())
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("upload still waiting after 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (w *world) countRows(query string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.db.Raw(query, args...).Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

func uploadCSV(lines ...string) []byte {
	return []byte(strings.Join(uploads.UploadColumns[:], ",") + "\n" + strings.Join(lines, "\n") + "\n")
}

func uploadLine(pid, sku, price, stock, tier string) string {
	return strings.Join([]string{pid, sku, "", "", "", "", "", "", "", price, stock, tier, ""}, ",")
}

// TestBulkUploadThroughTheQueue: a seller uploads a CSV, the check runs on
// River, the page shows valid and invalid rows with reasons, saving adds
// the valid rows to the draft, and neither a second save nor the same file
// again adds anything. Another shop's PID in the file is refused on its
// row and never reaches the draft.
func TestBulkUploadThroughTheQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.startUploadWorkers()
	mug, mugSKUs := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00", "30.00")
	kettle, kettleSKUs := modeltest.Product(t, w.db, w.north.ID, "North's kettle", "10.00")
	b := w.browser()
	b.signIn("seller@x.test")
	page := routes.RegisterUpload(w.open.ID)

	rec := b.get(page)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	for _, id := range []string{"template-xlsx", "template-csv", "upload-submit", "upload-rules"} {
		if doc.Find(testid(id)).Length() != 1 {
			t.Fatalf("upload page lacks %s", id)
		}
	}

	file := uploadCSV(
		uploadLine(mug.PID, mugSKUs[0].SKUCode, "19.99", "5", ""),         // valid
		uploadLine(mug.PID, mugSKUs[1].SKUCode, "31.00", "5", ""),         // above the maximum
		uploadLine(kettle.PID, kettleSKUs[0].SKUCode, "9.00", "5", ""),    // another shop's
		uploadLine(mug.PID, mugSKUs[1].SKUCode+"-nope", "10.00", "5", ""), // unknown SKU
		uploadLine(mug.PID, mugSKUs[0].SKUCode, "18.00", "4", "Featured"), // listed twice
	)
	rec = b.upload(page, "prices.csv", file, true)
	wantStatus(t, rec, http.StatusSeeOther)
	statusURL := rec.Header().Get("Location")
	if !strings.HasPrefix(statusURL, page+"/") {
		t.Fatalf("redirect to %q", statusURL)
	}

	// The full page carries the card that polls while the job runs.
	rec = b.get(statusURL)
	wantStatus(t, rec, http.StatusOK)
	if card := parse(t, rec).Find(testid("upload-status")); card.Length() != 1 {
		t.Fatal("status page has no status card")
	} else if state, _ := card.Attr("data-state"); state == "waiting" {
		if trig, _ := card.Attr("hx-trigger"); trig != "every 1s" {
			t.Errorf("waiting card polls with %q", trig)
		}
	}

	rec = b.waitChecked(statusURL)
	doc = parse(t, rec)
	if got := doc.Find(testid("valid-count")).Text(); got != "1" {
		t.Fatalf("valid rows = %q: %s", got, rec.Body.String())
	}
	if got := doc.Find(testid("invalid-count")).Text(); got != "4" {
		t.Fatalf("invalid rows = %q", got)
	}
	if _, polls := doc.Find(testid("upload-status")).Attr("hx-trigger"); polls {
		t.Error("a checked upload still polls")
	}
	reasons := doc.Find(testid("reason")).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	wantReasons := []string{"Above the maximum of $30.00: Regular asks", "PID " + kettle.PID + " is not one of your shop's products",
		"is not one of your shop's SKUs", "listed twice; row 2 has it already"}
	if len(reasons) != len(wantReasons) {
		t.Fatalf("reasons = %q", reasons)
	}
	for i, want := range wantReasons {
		if !strings.Contains(reasons[i], want) {
			t.Errorf("row reason %d = %q, want %q", i, reasons[i], want)
		}
	}
	validTab, _ := doc.Find(testid("tab-valid")).Attr("href")
	rec = b.get(validTab, htmx)
	wantStatus(t, rec, http.StatusOK)
	if rows := parse(t, rec).Find(testid("upload-row")); rows.Length() != 1 || !strings.Contains(rows.Text(), mugSKUs[0].SKUCode) {
		t.Fatalf("valid rows: %s", rows.Text())
	}

	// The errors file lists the invalid rows with their reasons.
	errorsURL, _ := doc.Find(testid("upload-errors-file")).Attr("href")
	rec = b.get(errorsURL)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "prices-errors.csv") {
		t.Fatalf("errors file headers: %v", rec.Header())
	}
	if body := rec.Body.String(); strings.Count(body, "\n") != 5 || !strings.Contains(body, "is not one of your shop's products") {
		t.Fatalf("errors file:\n%s", body)
	}

	// Nothing is in the draft until the seller saves.
	if n := w.countRows(`SELECT count(*) FROM registration_skus rs JOIN registrations r ON r.id = rs.registration_id
		WHERE r.shop_id = ? AND r.campaign_id = ?`, w.maple.ID, w.open.ID); n != 0 {
		t.Fatalf("draft rows before saving = %d", n)
	}
	saveURL, _ := doc.Find(`form:has(` + testid("upload-save") + `)`).Attr("action")
	rec = b.post(saveURL, nil)
	wantStatus(t, rec, http.StatusSeeOther)
	rec = b.post(saveURL, nil) // a double submit
	wantStatus(t, rec, http.StatusSeeOther)
	var saved []struct {
		SKUID         int64 `gorm:"column:sku_id"`
		CampaignPrice string
		CampaignStock int
	}
	w.db.Raw(`SELECT rs.sku_id, rs.campaign_price::text AS campaign_price, rs.campaign_stock FROM registration_skus rs
		JOIN registrations r ON r.id = rs.registration_id WHERE r.shop_id = ? AND r.campaign_id = ?`, w.maple.ID, w.open.ID).Scan(&saved)
	if len(saved) != 1 || saved[0].SKUID != mugSKUs[0].ID || saved[0].CampaignPrice != "19.99" || saved[0].CampaignStock != 5 {
		t.Fatalf("draft after saving = %+v", saved)
	}
	if n := w.countRows(`SELECT count(*) FROM registration_products WHERE product_id = ?`, kettle.ID); n != 0 {
		t.Fatal("another shop's product reached the draft")
	}
	rec = b.get(statusURL)
	if parse(t, rec).Find(testid("upload-saved")).Length() != 1 {
		t.Fatal("the page does not say the upload was saved")
	}

	// The same file again leads to the same upload: nothing new.
	rec = b.upload(page, "prices (copy).csv", file, true)
	wantStatus(t, rec, http.StatusSeeOther)
	again := rec.Header().Get("Location")
	if again != routes.UploadStatusAgain(w.open.ID, uploadID(t, statusURL)) {
		t.Fatalf("same file again went to %q, not to the first upload %q", again, statusURL)
	}
	rec = b.get(again)
	if doc := parse(t, rec); doc.Find(testid("upload-existing")).Length() != 1 || doc.Find(testid("upload-saved")).Length() != 1 {
		t.Fatalf("the page does not say this file was uploaded and saved before: %s", rec.Body.String())
	}
	if n := w.countRows(`SELECT count(*) FROM uploads`); n != 1 {
		t.Fatalf("uploads = %d", n)
	}
	if n := w.countRows(`SELECT count(*) FROM river_job WHERE kind = 'check_upload'`); n != 1 {
		t.Fatalf("jobs = %d", n)
	}
	if n := w.countRows(`SELECT count(*) FROM registration_skus`); n != 1 {
		t.Fatalf("registration_skus = %d", n)
	}
	if rec := b.get(page); parse(t, rec).Find(testid("recent-upload")).Length() != 1 {
		t.Fatal("recent uploads do not list the upload once")
	}
}

// TestBulkUploadRefusals: malformed files are refused with the reason and
// store nothing; uploads without the CSRF token are forbidden; another
// shop's upload is a missing page.
func TestBulkUploadRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mug, mugSKUs := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00")
	oak := modeltest.Shop(t, w.db, "Oak Hollow", "4.9", "20")
	modeltest.User(t, w.db, "oak@x.test", models.RoleSeller, oak.ID)
	b := w.browser()
	b.signIn("seller@x.test")
	page := routes.RegisterUpload(w.open.ID)

	for name, file := range map[string][]byte{
		"formula":      uploadCSV(uploadLine(mug.PID, mugSKUs[0].SKUCode, "=2*10", "5", "")),
		"not a sheet":  {0x89, 'P', 'N', 'G', 0, 1, 2, 3},
		"empty":        {},
		"wrong header": []byte("Product,Price\n" + mug.PID + ",10\n"),
	} {
		rec := b.upload(page, name+".csv", file, true, htmx)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if msg := parse(t, rec).Find(testid("upload-error")).Text(); msg == "" {
			t.Errorf("%s: no message: %s", name, rec.Body.String())
		}
	}
	if n := w.countRows(`SELECT count(*) FROM uploads`); n != 0 {
		t.Fatalf("refused files stored: %d", n)
	}

	// No CSRF token: forbidden, nothing stored.
	good := uploadCSV(uploadLine(mug.PID, mugSKUs[0].SKUCode, "10", "5", ""))
	wantStatus(t, b.upload(page, "a.csv", good, false), http.StatusForbidden)
	if n := w.countRows(`SELECT count(*) FROM uploads`); n != 0 {
		t.Fatalf("upload without CSRF stored: %d", n)
	}

	rec := b.upload(page, "a.csv", good, true)
	wantStatus(t, rec, http.StatusSeeOther)
	statusURL := rec.Header().Get("Location")
	// The check itself runs in the queue-driven tests; here the upload
	// only has to exist.
	saveURL := statusURL + "/save"
	rec = b.do(http.MethodPost, saveURL, nil)
	wantStatus(t, rec, http.StatusForbidden)
	// No worker runs in this test, so the file is still waiting: saving
	// says why it did nothing, on the upload's card.
	rec = b.post(saveURL, nil, htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if msg := parse(t, rec).Find(testid("save-error")).Text(); !strings.Contains(msg, "still being checked") {
		t.Fatalf("save before the check: %q", msg)
	}

	// Another shop: every URL of the upload is a missing page.
	other := w.browser()
	other.signIn("oak@x.test")
	wantStatus(t, other.get(statusURL), http.StatusNotFound)
	wantStatus(t, other.get(statusURL, htmx), http.StatusNotFound)
	wantStatus(t, other.get(statusURL+"/errors.csv"), http.StatusNotFound)
	wantStatus(t, other.post(saveURL, nil), http.StatusNotFound)
	// Oak's own page works, and its template lists only Oak's SKUs.
	wantStatus(t, other.get(page), http.StatusOK)
	rec = other.get(page + "/template.csv")
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), mugSKUs[0].SKUCode) {
		t.Fatal("another shop's SKU in the template")
	}
	// Staff cannot open seller pages.
	staff := w.browser()
	staff.signIn("reviewer@x.test")
	wantStatus(t, staff.get(page), http.StatusForbidden)
}

// TestBulkUploadTemplates: both templates list the shop's SKUs with the
// guide prices, and a workbook filled in goes through the same path.
func TestBulkUploadTemplates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mug, mugSKUs := modeltest.Product(t, w.db, w.maple.ID, "Mug", "20.00", "30.00")
	b := w.browser()
	b.signIn("seller@x.test")
	page := routes.RegisterUpload(w.open.ID)

	rec := b.get(page + "/template.csv")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	// Featured is 85% of the lookback low, rounded down; Regular 100%.
	for _, want := range []string{strings.Join(uploads.UploadColumns[:], ","),
		mug.PID + "," + mugSKUs[0].SKUCode + ",Mug,,20.00,20.00,17.00,20.00,10,,,,",
		mug.PID + "," + mugSKUs[1].SKUCode + ",Mug,,30.00,30.00,25.50,30.00,10,,,,"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV template lacks %q:\n%s", want, body)
		}
	}
	rec = b.get(page + "/template.xlsx")
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("xlsx content type %q", ct)
	}
	parsed, err := uploads.ParseUpload(rec.Body.Bytes())
	if err != nil || len(parsed.Rows) != 2 || parsed.Rows[0].SKUCode != mugSKUs[0].SKUCode || !parsed.Rows[0].Untouched() {
		t.Fatalf("xlsx template parses to %+v, %v", parsed, err)
	}
}

func uploadID(t *testing.T, statusURL string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(statusURL[strings.LastIndex(statusURL, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("upload id in %q: %v", statusURL, err)
	}
	return id
}
