package uploads_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/cmd/portal/jobs"
	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/uploads"
)

// uploadWorld is an open campaign, a shop eligible for it with a few
// products, and another shop with its own.
type uploadWorld struct {
	db       *gorm.DB
	store    *models.Store
	uploads  *uploads.Uploads
	campaign models.Campaign
	maple    models.Shop
	north    models.Shop
	p1       models.Product // two SKUs at $20 and $30
	p1SKUs   []models.SKU
	p2       models.Product // one SKU at $50
	p2SKUs   []models.SKU
	p3       models.Product
	p3SKUs   []models.SKU
	q        models.Product // north's
	qSKUs    []models.SKU
}

func newUploadWorld(t *testing.T) *uploadWorld {
	t.Helper()
	db := modeltest.NewDB(t)
	w := &uploadWorld{db: db, store: models.NewStore(db)}
	queue, err := uploads.NewRiverQueue(db)
	if err != nil {
		t.Fatal(err)
	}
	w.uploads = uploads.NewUploads(w.store, queue)
	w.campaign = modeltest.Campaign(t, db, modeltest.OpenCampaign("Black Friday"))
	w.maple = modeltest.Shop(t, db, "Maple", "4.6", "25")
	w.north = modeltest.Shop(t, db, "North", "4.6", "25")
	w.p1, w.p1SKUs = modeltest.Product(t, db, w.maple.ID, "Mug", "20.00", "30.00")
	w.p2, w.p2SKUs = modeltest.Product(t, db, w.maple.ID, "Lamp", "50.00")
	w.p3, w.p3SKUs = modeltest.Product(t, db, w.maple.ID, "Rug", "80.00")
	w.q, w.qSKUs = modeltest.Product(t, db, w.north.ID, "North's kettle", "10.00")
	return w
}

func line(pid, sku, price, stock, tier, discount string) string {
	return strings.Join([]string{pid, sku, "", "", "", "", "", "", "", price, stock, tier, discount}, ",")
}

func (w *uploadWorld) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUploadChecksSavesOnceAndNeverDuplicates(t *testing.T) {
	t.Parallel()
	w := newUploadWorld(t)
	now := time.Now()
	file := csvFile(
		line(w.p1.PID, w.p1SKUs[0].SKUCode, "19.99", "5", "", ""),           // 2 valid
		line(w.p1.PID, w.p1SKUs[1].SKUCode, "30.01", "5", "", ""),           // 3 above the maximum
		line(w.q.PID, w.qSKUs[0].SKUCode, "9.00", "5", "", ""),              // 4 another shop's
		line(w.p2.PID, w.p2SKUs[0].SKUCode, "42.50", "10", "Featured", "5"), // 5 valid, Featured at 85%
		line(w.p1.PID, w.p1SKUs[0].SKUCode, "18.00", "5", "", ""),           // 6 listed twice
		line(w.p3.PID, w.p3SKUs[0].SKUCode, "", "", "", ""),                 // 7 left as in the template
	)
	up, existing, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "prices.csv", file, now)
	if err != nil || existing {
		t.Fatalf("CreateUpload: %+v, existing %v, %v", up, existing, err)
	}
	if up.Status != uploads.UploadQueued || up.TotalRows != 6 || up.Kind != uploads.UploadCSV {
		t.Fatalf("new upload = %+v", up)
	}
	if n := w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'check_upload' AND args->>'upload_id' = ?`, strconv.FormatInt(up.ID, 10)); n != 1 {
		t.Fatalf("jobs enqueued = %d, want 1", n)
	}

	if err := w.uploads.ProcessUpload(bg, up.ID, now); err != nil {
		t.Fatal(err)
	}
	// A retry after a crash starts over without doubling rows.
	w.db.Exec(`UPDATE uploads SET status = 'processing' WHERE id = ?`, up.ID)
	if err := w.uploads.ProcessUpload(bg, up.ID, now); err != nil {
		t.Fatal(err)
	}
	up, _, err = w.uploads.ShopUpload(bg, w.maple.ID, w.campaign.ID, up.ID)
	if err != nil {
		t.Fatal(err)
	}
	if up.Status != uploads.UploadDone || up.ProcessedRows != 6 || up.ValidRows != 2 || up.InvalidRows != 3 || up.SkippedRows != 1 {
		t.Fatalf("checked upload = %+v", up)
	}
	bad, err := w.uploads.InvalidUploadRows(bg, up.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantReasons := map[int]string{
		3: "Above the maximum of $30.00: Regular asks",
		4: "is not one of your shop's products",
		6: "listed twice; row 2 has it already",
	}
	if len(bad) != len(wantReasons) {
		t.Fatalf("invalid rows = %+v", bad)
	}
	for _, r := range bad {
		if !strings.Contains(r.Reason, wantReasons[r.RowNumber]) {
			t.Errorf("row %d reason = %q, want %q", r.RowNumber, r.Reason, wantReasons[r.RowNumber])
		}
	}

	// Nothing is in the draft before saving.
	if n := w.count(t, `SELECT count(*) FROM registration_skus`); n != 0 {
		t.Fatalf("registration_skus before save = %d", n)
	}
	res, err := w.uploads.SaveUpload(bg, w.maple, w.campaign.ID, up.ID, now)
	if err != nil || res.Rows != 2 || res.NewSKUs != 2 || res.Replayed {
		t.Fatalf("SaveUpload = %+v, %v", res, err)
	}
	var saved []struct {
		SKUID         int64 `gorm:"column:sku_id"`
		CampaignPrice string
		CampaignStock int
		Tier          string
		Source        string
		Discount      *string
	}
	w.db.Raw(`SELECT rs.sku_id, rs.campaign_price::text AS campaign_price, rs.campaign_stock, rp.tier, rp.source,
			rp.extra_discount_pct::text AS discount
		FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id ORDER BY rs.sku_id`).Scan(&saved)
	if len(saved) != 2 || saved[0].SKUID != w.p1SKUs[0].ID || saved[0].CampaignPrice != "19.99" || saved[0].CampaignStock != 5 ||
		saved[0].Tier != "regular" || saved[0].Source != "upload" || saved[1].SKUID != w.p2SKUs[0].ID ||
		saved[1].CampaignPrice != "42.50" || saved[1].Tier != "featured" || saved[1].Discount == nil || *saved[1].Discount != "5.00" {
		t.Fatalf("draft rows = %+v", saved)
	}
	if n := w.count(t, `SELECT count(*) FROM registration_products WHERE product_id = ?`, w.q.ID); n != 0 {
		t.Fatalf("another shop's product reached the draft")
	}

	// Saving again, or uploading the same file again, changes nothing.
	res, err = w.uploads.SaveUpload(bg, w.maple, w.campaign.ID, up.ID, now)
	if err != nil || !res.Replayed || res.Rows != 2 {
		t.Fatalf("second save = %+v, %v", res, err)
	}
	again, existing, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "prices (1).csv", file, now)
	if err != nil || !existing || again.ID != up.ID || again.SavedAt == nil {
		t.Fatalf("same file again = %+v, existing %v, %v", again, existing, err)
	}
	if n := w.count(t, `SELECT count(*) FROM uploads`); n != 1 {
		t.Fatalf("uploads = %d, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'check_upload'`); n != 1 {
		t.Fatalf("jobs = %d, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM registration_skus`); n != 2 {
		t.Fatalf("registration_skus = %d, want 2", n)
	}

	// Another shop sees nothing of it.
	if _, _, err := w.uploads.ShopUpload(bg, w.north.ID, w.campaign.ID, up.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("north reading maple's upload: %v", err)
	}
	if _, err := w.uploads.SaveUpload(bg, w.north, w.campaign.ID, up.ID, now); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("north saving maple's upload: %v", err)
	}
}

// TestUploadOfAnotherShopsProductsSavesNothing: a file naming only
// another shop's PIDs and SKU IDs is checked row by row, every row is
// refused with its reason, and saving adds nothing.
func TestUploadOfAnotherShopsProductsSavesNothing(t *testing.T) {
	t.Parallel()
	w := newUploadWorld(t)
	now := time.Now()
	file := csvFile(line(w.q.PID, w.qSKUs[0].SKUCode, "9.00", "5", "", ""),
		line(w.p1.PID, w.qSKUs[0].SKUCode, "9.00", "5", "", "")) // our PID, their SKU ID
	up, _, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "theirs.csv", file, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.uploads.ProcessUpload(bg, up.ID, now); err != nil {
		t.Fatal(err)
	}
	rows, total, err := w.uploads.UploadRows(bg, up.ID, false, 1, 50)
	if err != nil || total != 2 {
		t.Fatalf("invalid rows = %d, %v", total, err)
	}
	if !strings.Contains(rows[0].Reason, "PID "+w.q.PID+" is not one of your shop's products") ||
		!strings.Contains(rows[1].Reason, "SKU ID "+w.qSKUs[0].SKUCode+" is not one of your shop's SKUs") {
		t.Fatalf("reasons = %q / %q", rows[0].Reason, rows[1].Reason)
	}
	_, err = w.uploads.SaveUpload(bg, w.maple, w.campaign.ID, up.ID, now)
	var conflict *models.ConflictError
	if !errors.As(err, &conflict) || !strings.Contains(conflict.Message, "no valid rows") {
		t.Fatalf("save = %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM registration_products`); n != 0 {
		t.Fatalf("registration_products = %d, want 0", n)
	}
}

type failingQueue struct{}

func (failingQueue) EnqueueUploadTx(context.Context, *sql.Tx, int64) error {
	return errors.New("queue down")
}

func (failingQueue) EnqueueBulkTx(context.Context, *sql.Tx, int64) error {
	return errors.New("queue down")
}

// TestUploadIsStoredOnlyWithItsJob: the upload row and its job are one
// transaction, and a malformed file stores nothing at all.
func TestUploadIsStoredOnlyWithItsJob(t *testing.T) {
	t.Parallel()
	w := newUploadWorld(t)
	now := time.Now()
	broken := uploads.NewUploads(w.store, failingQueue{})
	file := csvFile(line(w.p1.PID, w.p1SKUs[0].SKUCode, "10", "5", "", ""))
	if _, _, err := broken.CreateUpload(bg, w.maple, w.campaign.ID, 0, "a.csv", file, now); err == nil {
		t.Fatal("an upload was stored although its job could not be")
	}
	_, _, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "formula.csv",
		csvFile(line(w.p1.PID, w.p1SKUs[0].SKUCode, "=A1*2", "5", "", "")), now)
	var fe *uploads.UploadFileError
	if !errors.As(err, &fe) {
		t.Fatalf("formula file: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM uploads`) + w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'check_upload'`); n != 0 {
		t.Fatalf("rows left behind: %d", n)
	}

	// A check that failed on our side is queued again by the same file.
	up, _, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "a.csv", file, now)
	if err != nil {
		t.Fatal(err)
	}
	w.db.Exec(`UPDATE uploads SET status = 'failed', error = 'boom' WHERE id = ?`, up.ID)
	again, existing, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "a.csv", file, now)
	if err != nil || !existing || again.Status != uploads.UploadQueued || again.Error != "" {
		t.Fatalf("failed upload re-sent = %+v, %v", again, err)
	}
	if n := w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'check_upload'`); n != 2 {
		t.Fatalf("jobs = %d, want 2", n)
	}
}

// TestUploadWaitsInTheQueueForAWorker: an upload made while no worker
// runs (a restart, say) is checked once workers start.
func TestUploadWaitsInTheQueueForAWorker(t *testing.T) {
	t.Parallel()
	w := newUploadWorld(t)
	now := time.Now()
	up, _, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "a.csv",
		csvFile(line(w.p1.PID, w.p1SKUs[0].SKUCode, "10", "5", "", "")), now)
	if err != nil {
		t.Fatal(err)
	}
	var dbName string
	w.db.Raw(`SELECT current_database()`).Scan(&dbName)
	workers, err := jobs.Start(bg, w.store,
		jobs.Config{DatabaseURL: modeltest.URLFor(dbName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = workers.Stop(context.Background()) })
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, _, err := w.uploads.ShopUpload(bg, w.maple.ID, w.campaign.ID, up.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == uploads.UploadDone {
			if got.ValidRows != 1 {
				t.Fatalf("checked = %+v", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("upload still %s after 15s", got.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWorkbookProblemsFoundLateFailTheUpload: a workbook is only skimmed
// while the seller waits; a problem further down (here a huge cell) fails
// the upload in the job with the same message, and nothing of it stays.
func TestWorkbookProblemsFoundLateFailTheUpload(t *testing.T) {
	t.Parallel()
	w := newUploadWorld(t)
	now := time.Now()
	file := xlsxFile(t, [][]any{{"PID", "SKU ID", "Campaign price", "Campaign stock"},
		{w.p1.PID, w.p1SKUs[0].SKUCode, "10", "5"},
		{w.p1.PID, strings.Repeat("x", 1200), "10", "5"}}, nil)
	up, _, err := w.uploads.CreateUpload(bg, w.maple, w.campaign.ID, 0, "late.xlsx", file, now)
	if err != nil {
		t.Fatal(err)
	}
	if up.Kind != uploads.UploadXLSX || up.TotalRows != 2 {
		t.Fatalf("upload = %+v", up)
	}
	if err := w.uploads.ProcessUpload(bg, up.ID, now); err != nil {
		t.Fatal(err)
	}
	up, _, _ = w.uploads.ShopUpload(bg, w.maple.ID, w.campaign.ID, up.ID)
	if up.Status != uploads.UploadFailed || !strings.Contains(up.Error, "Row 3, column B has more than 1000 characters") {
		t.Fatalf("upload = %+v", up)
	}
	if n := w.count(t, `SELECT count(*) FROM upload_rows`); n != 0 {
		t.Fatalf("rows of a failed upload: %d", n)
	}
	if _, err := w.uploads.SaveUpload(bg, w.maple, w.campaign.ID, up.ID, now); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("saving a failed upload: %v", err)
	}
}
