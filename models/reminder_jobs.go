package models

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// RemindersQueue holds the periodic reminder jobs, apart from uploads.
const RemindersQueue = "reminders"

// ReminderInterval is how often deadline reminders and overdue flags run.
const ReminderInterval = 10 * time.Minute

// RemindersArgs is the periodic job that sends deadline reminders and
// flags overdue reviews.
type RemindersArgs struct{}

// Kind names the job for River.
func (RemindersArgs) Kind() string { return "reminders" }

// InsertOpts keeps one reminders job per interval in the queue, however
// many instances schedule it (River's leader schedules periodic jobs; the
// unique period is the second guard, the notifications' dedupe keys the
// third).
func (RemindersArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: RemindersQueue, MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByPeriod: ReminderInterval}}
}

// RemindersWorker sends deadline reminders, flags overdue reviews and
// refreshes the review queue's price checks.
type RemindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	store *Store
	now   func() time.Time
}

func (w *RemindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	now := w.now()
	if _, err := w.store.SendDeadlineReminders(ctx, now); err != nil {
		return err
	}
	if _, err := w.store.FlagOverdueReviews(ctx, now); err != nil {
		return err
	}
	// The queue's "above the maximum" filter reads this stored check.
	_, err := w.store.RefreshPriceChecks(ctx, now)
	return err
}

// NewRemindersWorker builds the worker; now is the clock it judges by.
func NewRemindersWorker(store *Store, now func() time.Time) *RemindersWorker {
	return &RemindersWorker{store: store, now: now}
}

// RemindersSchedule is the periodic job that runs the worker every
// ReminderInterval (and once when the portal starts).
func RemindersSchedule() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ReminderInterval),
		func() (river.JobArgs, *river.InsertOpts) { return RemindersArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}
