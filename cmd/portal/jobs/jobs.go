// Package jobs wires the portal's background work onto River, a job queue
// that lives in PostgreSQL: which queues run on this instance, with how many
// workers, and the periodic jobs. The workers themselves live beside the
// domain they serve (uploads.CheckUploadWorker, models.RemindersWorker).
//
// A job is inserted in the transaction that stores what it is about, and
// any portal instance's workers (on pgx, woken by LISTEN/NOTIFY) may take
// it. A restart loses nothing: queued jobs wait in the table, and a job cut
// off mid-way is retried, or rescued once it has been stuck for
// RescueStuckJobsAfter.
package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"campaignportal/models"
	"campaignportal/models/uploads"
)

// Config tunes the workers of one portal instance.
type Config struct {
	DatabaseURL string
	MaxWorkers  int // upload checks at once on this instance (default 2)
	Log         *slog.Logger
	Now         func() time.Time
}

// Workers runs the background jobs on this instance until stopped.
type Workers struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
}

// Start connects a small pgx pool and starts River's workers: upload checks
// and the periodic reminders. They run until Stop, whatever happens to ctx,
// so a shutdown can let the running checks finish.
func Start(ctx context.Context, store *models.Store, cfg Config) (*Workers, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}
	pcfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, uploads.NewCheckUploadWorker(uploads.NewUploads(store, nil), cfg.Now))
	river.AddWorker(workers, uploads.NewRunBulkWorker(uploads.NewUploads(store, nil), cfg.Now))
	river.AddWorker(workers, models.NewRemindersWorker(store, cfg.Now))
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues: map[string]river.QueueConfig{
			uploads.Queue:         {MaxWorkers: cmp.Or(cfg.MaxWorkers, 2)},
			models.RemindersQueue: {MaxWorkers: 1},
		},
		PeriodicJobs:         []*river.PeriodicJob{models.RemindersSchedule()},
		Workers:              workers,
		Logger:               cfg.Log,
		JobTimeout:           2 * time.Minute,
		RescueStuckJobsAfter: 3 * time.Minute,
		SoftStopTimeout:      15 * time.Second,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("job workers: %w", err)
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("job workers: %w", err)
	}
	return &Workers{client: client, pool: pool}, nil
}

// Stop lets running jobs finish (up to the soft stop timeout, then cancels
// them; they are retried elsewhere) and closes the pool.
func (w *Workers) Stop(ctx context.Context) error {
	err := w.client.Stop(ctx)
	w.pool.Close()
	return err
}
