package models_test

import (
	"campaignportal/cmd/portal/jobs"
	"context"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

func TestDeadlineRemindersArriveOnce(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	seller := modeltest.User(t, w.db, "s@x.test", models.RoleSeller, w.shop.ID)
	reg := w.draft(t)
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The fixture's deadline is 72 hours away: no reminder yet.
	if n, err := w.store.SendDeadlineReminders(bg, time.Now()); err != nil || n != 0 {
		t.Fatalf("72 hours before: %d, %v", n, err)
	}
	at := w.camp.RegistrationDeadline.Add(-47 * time.Hour)
	// Several instances running the job at once: one notification.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := w.store.SendDeadlineReminders(bg, at); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var n int64
	w.db.Table("notifications").Where("user_id = ? AND kind = 'deadline'", seller.ID).Count(&n)
	if n != 1 {
		t.Errorf("deadline notifications = %d, want exactly 1", n)
	}
	if sent, _ := w.store.SendDeadlineReminders(bg, at.Add(time.Hour)); sent != 0 {
		t.Errorf("a later run sent %d more", sent)
	}
	// After the deadline, nothing.
	if sent, _ := w.store.SendDeadlineReminders(bg, w.camp.RegistrationDeadline.Add(time.Minute)); sent != 0 {
		t.Errorf("after the deadline: %d", sent)
	}
}

func TestOverdueReviewsFlaggedOnce(t *testing.T) {
	t.Parallel()
	w, reg, _ := registered(t, true) // pending: co-funded, reviewed
	reviewer := modeltest.User(t, w.db, "r@x.test", models.RoleReviewer, 0)
	if n, _ := w.store.FlagOverdueReviews(bg, time.Now()); n != 0 {
		t.Fatalf("a fresh registration flagged overdue")
	}
	later := models.ReviewDueAt(*reg.SubmittedAt).Add(time.Second)
	if n, err := w.store.FlagOverdueReviews(bg, later); err != nil || n != 1 {
		t.Fatalf("overdue: %d, %v", n, err)
	}
	if n, _ := w.store.FlagOverdueReviews(bg, later.Add(time.Hour)); n != 0 {
		t.Errorf("flagged twice")
	}
	var got int64
	w.db.Table("notifications").Where("user_id = ? AND kind = 'overdue'", reviewer.ID).Count(&got)
	if got != 1 {
		t.Errorf("reviewer notifications = %d", got)
	}
}

// The reminders run as a periodic job on the queue: two instances started
// together send each reminder once.
func TestRemindersRunOnTheJobQueue(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	seller := modeltest.User(t, w.db, "s@x.test", models.RoleSeller, w.shop.ID)
	reg := w.draft(t)
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.db.Exec(`UPDATE campaigns SET registration_deadline = now() + interval '20 hours' WHERE id = ?`, w.camp.ID)
	var dbName string
	w.db.Raw(`SELECT current_database()`).Scan(&dbName)
	for i := 0; i < 2; i++ {
		workers, err := jobs.Start(bg, w.store, jobs.Config{DatabaseURL: modeltest.URLFor(dbName)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = workers.Stop(context.Background()) })
	}
	deadline := time.Now().Add(20 * time.Second)
	var n int64
	for time.Now().Before(deadline) {
		w.db.Table("notifications").Where("user_id = ? AND kind = 'deadline'", seller.ID).Count(&n)
		if n > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	w.db.Table("notifications").Where("user_id = ? AND kind = 'deadline'", seller.ID).Count(&n)
	if n != 1 {
		t.Fatalf("deadline notifications = %d, want exactly 1", n)
	}
}
