package uploads

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"campaignportal/models"
)

// The seller API's bulk price/stock requests: rows like an upload's
// (PID, SKU ID, campaign price, stock, tier, extra discount, as typed),
// judged by the upload's own checker (UploadChecker, over the rule
// functions the price table uses), so the same row gets the same verdict,
// message and code in the upload, the price table and the API.

// MaxBulkRows is the most rows one bulk request may carry (the upload's
// limit too).
const MaxBulkRows = 10_000

// BulkResult is the verdict of a bulk request: every row's, and, unless
// it was a dry run, what was saved.
type BulkResult struct {
	DryRun  bool         `json:"dry_run"`
	Rows    []RowVerdict `json:"rows"`
	Passed  int          `json:"passed"`
	Refused int          `json:"refused"`
	Saved   int          `json:"saved"`    // rows put into the draft (0 in a dry run)
	NewSKUs int          `json:"new_skus"` // of which were not in the draft before
	ETag    string       `json:"etag"`
}

// RowVerdict is one row's verdict: its place in the request (from 0), what
// it named, and every refusal.
type RowVerdict struct {
	Index   int        `json:"index"`
	PID     string     `json:"pid"`
	SKUCode string     `json:"sku"`
	Valid   bool       `json:"valid"`
	Errors  []RowError `json:"errors"`
}

// ApplyBulkRows judges rows against the shop's draft of the registration
// and, unless dryRun, saves the rows that pass into the draft (as the
// upload's Save does), all in one transaction with the registration
// locked; ifMatch (nil: no condition) must accept its version. A dry run,
// or a request none of whose rows pass, changes nothing.
func (u *Uploads) ApplyBulkRows(ctx context.Context, shopID, regID int64, rows []UploadRow, dryRun bool,
	ifMatch func(string) bool, now time.Time) (BulkResult, error) {
	res := BulkResult{DryRun: dryRun, Rows: make([]RowVerdict, 0, len(rows))}
	if len(rows) == 0 || len(rows) > MaxBulkRows {
		return res, &models.ValidationError{Fields: map[string]string{"items": fmt.Sprintf("Send from 1 to %d rows.", MaxBulkRows)}}
	}
	etag, err := u.store.WithRegistrationMatch(ctx, shopID, regID, ifMatch, func(tx *models.Store) error {
		return (&Uploads{db: tx.DB(), store: tx}).judgeAndSave(ctx, shopID, regID, rows, dryRun, &res, now)
	})
	res.ETag = etag
	return res, err
}

// judgeAndSave judges rows against the draft of the registration (locked
// by the caller's transaction, which u runs in) and, unless dryRun, saves
// the rows that pass into the draft.
func (u *Uploads) judgeAndSave(ctx context.Context, shopID, regID int64, rows []UploadRow, dryRun bool, res *BulkResult, now time.Time) error {
	terms, err := u.uploadTerms(ctx, regID)
	if err != nil {
		return err
	}
	checker := NewUploadChecker(terms)
	var items []models.DraftItem
	for start := 0; start < len(rows); start += uploadBatch {
		batch := rows[start:min(start+uploadBatch, len(rows))]
		owned, skus, err := u.lookupRows(ctx, shopID, terms.Campaign, batch, now)
		if err != nil {
			return err
		}
		for i, r := range batch {
			// The API may name a SKU alone: its PID is the SKU's.
			if sk := skus[r.SKUCode]; r.PID == "" && sk != nil {
				r.PID = sk.PID
				owned[r.PID] = true
			}
			cr := checker.Check(r, owned[r.PID], skus[r.SKUCode])
			res.Rows = append(res.Rows, RowVerdict{Index: start + i, PID: r.PID, SKUCode: r.SKUCode, Valid: cr.Valid,
				Errors: append([]RowError{}, cr.Errors...)})
			if !cr.Valid {
				res.Refused++
				continue
			}
			res.Passed++
			items = append(items, models.DraftItem{ProductID: cr.ProductID, SKUID: cr.SKUID, Price: cr.Price, Stock: cr.Stock,
				Tier: cr.Tier, ExtraDiscount: cr.ExtraDiscount})
		}
	}
	if dryRun || len(items) == 0 {
		return nil
	}
	added, err := u.store.AddToDraft(ctx, shopID, regID, items, models.SourceUpload, now)
	res.Saved, res.NewSKUs = len(items), added
	return err
}

// BulkJobStatus is where a bulk job stands.
type BulkJobStatus string

// The states of a bulk job.
const (
	BulkQueued  BulkJobStatus = "queued"
	BulkRunning BulkJobStatus = "running"
	BulkDone    BulkJobStatus = "done"
	BulkFailed  BulkJobStatus = "failed"
)

// BulkJob is a bulk request run on the queue: its rows wait in the table,
// and its result (the API's result document) is stored when done.
type BulkJob struct {
	ID             int64
	ShopID         int64
	RegistrationID int64
	KeyID          int64
	DryRun         bool
	Status         BulkJobStatus
	TotalRows      int
	Rows           []byte `gorm:"type:jsonb"`
	Result         []byte `gorm:"type:jsonb"`
	Error          string
	CreatedAt      time.Time
	FinishedAt     *time.Time
}

// TableName is the jobs' table.
func (BulkJob) TableName() string { return "seller_api_bulk_jobs" }

// CreateBulkJob stores a bulk request's rows with its job, in one
// transaction.
func (u *Uploads) CreateBulkJob(ctx context.Context, shopID, regID, keyID int64, rows []UploadRow, dryRun bool,
	now time.Time) (BulkJob, error) {
	job := BulkJob{ShopID: shopID, RegistrationID: regID, KeyID: keyID, DryRun: dryRun, Status: BulkQueued,
		TotalRows: len(rows), CreatedAt: now}
	if len(rows) == 0 || len(rows) > MaxBulkRows {
		return job, &models.ValidationError{Fields: map[string]string{"items": fmt.Sprintf("Send from 1 to %d rows.", MaxBulkRows)}}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return job, err
	}
	job.Rows = b
	err = u.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("registrations").Where("id = ? AND shop_id = ?", regID, shopID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.ErrNotFound
		}
		if err := tx.Omit("Result", "FinishedAt").Create(&job).Error; err != nil {
			return err
		}
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok || u.queue == nil {
			return fmt.Errorf("uploads: enqueue needs a queue and a *sql.Tx, got %T", tx.Statement.ConnPool)
		}
		return u.queue.EnqueueBulkTx(ctx, sqlTx, job.ID)
	})
	job.Rows = nil
	return job, err
}

// ShopBulkJob loads a bulk job of the shop (without its rows); another
// shop's job is ErrNotFound.
func (u *Uploads) ShopBulkJob(ctx context.Context, shopID, jobID int64) (BulkJob, error) {
	var job BulkJob
	err := u.db.WithContext(ctx).Omit("Rows").Where("id = ? AND shop_id = ?", jobID, shopID).Take(&job).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return job, models.ErrNotFound
	}
	return job, err
}

// RunBulkJob runs a queued (or interrupted) bulk job and stores its
// result (BulkResult as JSON) with the job's state: a job done before
// does nothing. A refusal of the
// whole request (the campaign closed meanwhile, the draft is gone) fails
// the job with its reason.
func (u *Uploads) RunBulkJob(ctx context.Context, jobID int64, now time.Time) error {
	var job BulkJob
	res := u.db.WithContext(ctx).Model(&job).
		Where("id = ? AND status IN ('queued', 'running')", jobID).Update("status", BulkRunning)
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	if err := u.db.WithContext(ctx).Where("id = ?", jobID).Take(&job).Error; err != nil {
		return err
	}
	var rows []UploadRow
	if err := json.Unmarshal(job.Rows, &rows); err != nil {
		return u.failBulkJob(ctx, jobID, "The job's rows could not be read; send the request again.", now)
	}
	out, err := u.ApplyBulkRows(ctx, job.ShopID, job.RegistrationID, rows, job.DryRun, nil, now)
	var conflict *models.ConflictError
	var late *models.DeadlinePassedError
	switch {
	case errors.As(err, &conflict):
		return u.failBulkJob(ctx, jobID, conflict.Message, now)
	case errors.As(err, &late):
		return u.failBulkJob(ctx, jobID, late.Error(), now)
	case errors.Is(err, models.ErrNotFound):
		return u.failBulkJob(ctx, jobID, "The registration or some of its products are gone; read it again and send the request again.", now)
	case err != nil:
		return err
	}
	doc, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return u.db.WithContext(ctx).Exec(`UPDATE seller_api_bulk_jobs SET status = 'done', result = ?, finished_at = ?, rows = '[]'
		WHERE id = ? AND status = 'running'`, doc, now, jobID).Error
}

func (u *Uploads) failBulkJob(ctx context.Context, jobID int64, message string, now time.Time) error {
	return u.db.WithContext(ctx).Exec(`UPDATE seller_api_bulk_jobs SET status = 'failed', error = ?, finished_at = ?
		WHERE id = ? AND status IN ('queued', 'running')`, message, now, jobID).Error
}

// RunBulkArgs is the job that runs one bulk request.
type RunBulkArgs struct {
	JobID int64 `json:"job_id"`
}

// Kind names the job in River's table.
func (RunBulkArgs) Kind() string { return "seller_api_bulk" }

// InsertOpts runs bulk jobs on the uploads' queue, a few tries each.
func (RunBulkArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: uploadJobAttempts, Queue: Queue}
}

// RunBulkWorker runs bulk requests on River's workers.
type RunBulkWorker struct {
	river.WorkerDefaults[RunBulkArgs]
	uploads *Uploads
	now     func() time.Time
}

// NewRunBulkWorker builds the worker; now is the clock rows are judged at.
func NewRunBulkWorker(uploads *Uploads, now func() time.Time) *RunBulkWorker {
	return &RunBulkWorker{uploads: uploads, now: now}
}

// Timeout bounds one attempt; 10,000 rows take a few seconds.
func (w *RunBulkWorker) Timeout(*river.Job[RunBulkArgs]) time.Duration { return 2 * time.Minute }

// Work runs the job; the last failed try marks it failed for the client.
func (w *RunBulkWorker) Work(ctx context.Context, job *river.Job[RunBulkArgs]) error {
	err := w.uploads.RunBulkJob(ctx, job.Args.JobID, w.now())
	if err != nil && job.Attempt >= job.MaxAttempts {
		_ = w.uploads.failBulkJob(context.WithoutCancel(ctx), job.Args.JobID,
			"The portal could not run this request; send it again, and contact seller support if that fails too.", w.now())
	}
	return err
}

// EnqueueBulkTx inserts the run of a bulk job in the caller's transaction.
func (q *RiverQueue) EnqueueBulkTx(ctx context.Context, tx *sql.Tx, jobID int64) error {
	_, err := q.client.InsertTx(ctx, tx, RunBulkArgs{JobID: jobID}, nil)
	return err
}
