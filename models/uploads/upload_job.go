package uploads

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"gorm.io/gorm"
)

// Upload checks run on River, a job queue that lives in PostgreSQL: a job
// is inserted in the transaction that stores its upload (River's
// database/sql driver works on GORM's *sql.Tx), and any portal instance's
// workers (on pgx, woken by LISTEN/NOTIFY) may take it. A restart loses
// nothing: queued jobs wait in the table, and a job cut off mid-way is
// retried, or rescued once it has been stuck for RescueStuckJobsAfter.

// CheckUploadArgs is the job that checks one upload.
type CheckUploadArgs struct {
	UploadID int64 `json:"upload_id"`
}

// Kind names the job in River's table.
func (CheckUploadArgs) Kind() string { return "check_upload" }

const (
	uploadJobAttempts = 5
	// Queue keeps upload checks apart from other jobs the portal may add,
	// so these workers never fetch a kind they do not know.
	Queue = "uploads"
)

// InsertOpts gives the job a few tries before the upload is marked failed.
func (CheckUploadArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: uploadJobAttempts, Queue: Queue}
}

// CheckUploadWorker checks uploads on River's workers.
type CheckUploadWorker struct {
	river.WorkerDefaults[CheckUploadArgs]
	uploads *Uploads
	now     func() time.Time
}

// NewCheckUploadWorker builds the worker; now is the clock rows are judged at.
func NewCheckUploadWorker(uploads *Uploads, now func() time.Time) *CheckUploadWorker {
	return &CheckUploadWorker{uploads: uploads, now: now}
}

// Timeout bounds one attempt; a 10,000-row file takes a few seconds.
func (w *CheckUploadWorker) Timeout(*river.Job[CheckUploadArgs]) time.Duration {
	return 2 * time.Minute
}

func (w *CheckUploadWorker) Work(ctx context.Context, job *river.Job[CheckUploadArgs]) error {
	err := w.uploads.ProcessUpload(ctx, job.Args.UploadID, w.now())
	if err != nil && job.Attempt >= job.MaxAttempts {
		// The last try: say so on the page instead of leaving it waiting.
		_ = w.uploads.failUpload(context.WithoutCancel(ctx), job.Args.UploadID,
			"The portal could not check this file. Upload it again; if that fails too, contact seller support.")
	}
	return err
}

// RiverQueue enqueues upload checks on River within GORM transactions.
type RiverQueue struct {
	client *river.Client[*sql.Tx]
}

// NewRiverQueue builds an insert-only River client on the portal's pool.
func NewRiverQueue(db *gorm.DB) (*RiverQueue, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverdatabasesql.New(sqlDB), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	return &RiverQueue{client: client}, nil
}

// EnqueueUploadTx inserts the check of an upload in the caller's transaction.
func (q *RiverQueue) EnqueueUploadTx(ctx context.Context, tx *sql.Tx, uploadID int64) error {
	_, err := q.client.InsertTx(ctx, tx, CheckUploadArgs{UploadID: uploadID}, nil)
	return err
}
