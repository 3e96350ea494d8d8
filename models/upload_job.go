package models

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
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
	// uploadQueue keeps upload checks apart from other jobs the portal may
	// add, so these workers never fetch a kind they do not know.
	uploadQueue = "uploads"
)

// InsertOpts gives the job a few tries before the upload is marked failed.
func (CheckUploadArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: uploadJobAttempts, Queue: uploadQueue}
}

type checkUploadWorker struct {
	river.WorkerDefaults[CheckUploadArgs]
	uploads *Uploads
	now     func() time.Time
}

// Timeout bounds one attempt; a 10,000-row file takes a few seconds.
func (w *checkUploadWorker) Timeout(*river.Job[CheckUploadArgs]) time.Duration {
	return 2 * time.Minute
}

func (w *checkUploadWorker) Work(ctx context.Context, job *river.Job[CheckUploadArgs]) error {
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
	client, err := river.NewClient(riverdatabasesql.New(sqlDB), &river.Config{Logger: quietLogger()})
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

// WorkerConfig tunes the upload workers of one portal instance.
type WorkerConfig struct {
	DatabaseURL string
	MaxWorkers  int // jobs at once on this instance (default 2)
	Log         *slog.Logger
	Now         func() time.Time
}

// UploadWorkers runs upload checks on this instance until stopped.
type UploadWorkers struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
}

// StartUploadWorkers connects a small pgx pool and starts River's workers.
// They run until Stop, whatever happens to ctx, so a shutdown can let the
// running checks finish.
func StartUploadWorkers(ctx context.Context, uploads *Uploads, cfg WorkerConfig) (*UploadWorkers, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = quietLogger()
	}
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("upload workers: %w", err)
	}
	pcfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("upload workers: %w", err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &checkUploadWorker{uploads: uploads, now: cfg.Now})
	periodic := addReminders(workers, uploads.store, cfg.Now)
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues: map[string]river.QueueConfig{
			uploadQueue:    {MaxWorkers: cmp.Or(cfg.MaxWorkers, 2)},
			remindersQueue: {MaxWorkers: 1},
		},
		PeriodicJobs:         periodic,
		Workers:              workers,
		Logger:               cfg.Log,
		JobTimeout:           2 * time.Minute,
		RescueStuckJobsAfter: 3 * time.Minute,
		SoftStopTimeout:      15 * time.Second,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("upload workers: %w", err)
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("upload workers: %w", err)
	}
	return &UploadWorkers{client: client, pool: pool}, nil
}

// Stop lets running checks finish (up to the soft stop timeout, then
// cancels them; they are retried elsewhere) and closes the pool.
func (w *UploadWorkers) Stop(ctx context.Context) error {
	err := w.client.Stop(ctx)
	w.pool.Close()
	return err
}

// riverMigrationLock serialises River's migrations across instances that
// start together (goose has its own lock).
const riverMigrationLock = 727003

// migrateQueue applies River's own schema after ours.
func migrateQueue(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	if log == nil {
		log = quietLogger()
	}
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), &rivermigrate.Config{Logger: log})
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock) //nolint:errcheck
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("applying the job queue's migrations: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("job queue migration applied", "version", v.Version, "took", v.Duration)
	}
	return nil
}

// QueueSchemaVersion names the newest River migration this build applies,
// so test templates are rebuilt when River's schema moves.
func QueueSchemaVersion() string {
	migrator, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return "river:unknown"
	}
	all := migrator.AllVersions()
	if len(all) == 0 {
		return "river:0"
	}
	return "river:" + strconv.Itoa(all[len(all)-1].Version)
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
