package models_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// The events feed never misses or repeats an event across pages, however
// transactions interleave: a transaction that took its id first but
// writes its event last (a higher event id) holds the feed back until it
// ends, and then comes first; a page of one at a time walks every event
// exactly once. A transaction open in another database does not hold the
// feed back.
func TestSellerEventsNeverMissOrRepeat(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	ctx := context.Background()
	shop := modeltest.Shop(t, db, "Maple & Co", "4.6", "25")
	user := modeltest.User(t, db, "seller@x.test", models.RoleSeller, shop.ID)
	camp := modeltest.Campaign(t, db, modeltest.OpenCampaign("Black Friday"))
	reg := modeltest.Register(t, db, camp.ID, shop.ID, models.RegistrationRegistered)
	_, skus := modeltest.Product(t, db, shop.ID, "Desk lamp", "120.00")
	rpID := modeltest.RegisterSKU(t, db, reg, skus[0], "100.00", time.Now().Add(-time.Hour))
	store := models.NewStore(db)
	withdraw := func(exec func(string, ...any) error, kind string) {
		t.Helper()
		if err := exec(`INSERT INTO withdrawals (registration_id, registration_product_id, shop_id, kind, requested_at, effective_at, requested_by)
			VALUES (?, ?, ?, ?, now(), now(), ?)`, reg.ID, rpID, shop.ID, kind, user.ID); err != nil {
			t.Fatal(err)
		}
	}
	read := func(after models.EventCursor, limit int) ([]models.SellerEvent, models.EventCursor) {
		t.Helper()
		evs, next, err := store.SellerEvents(ctx, shop.ID, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		return evs, next
	}

	// A transaction in another database, with an id, stays open throughout.
	other := modeltest.NewDB(t).Begin()
	defer other.Rollback()
	if err := other.Exec(`SELECT pg_current_xact_id()`).Error; err != nil {
		t.Fatal(err)
	}

	first := db.Begin()
	defer first.Rollback()
	if err := first.Exec(`SELECT pg_current_xact_id()`).Error; err != nil { // takes its id now
		t.Fatal(err)
	}
	second := db.Begin()
	withdraw(func(q string, a ...any) error { return second.Exec(q, a...).Error }, "product")
	if err := second.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if evs, next := read(models.EventCursor{}, 10); len(evs) != 0 || next != (models.EventCursor{}) {
		t.Fatalf("while an older transaction is open the feed shows %d events (next %v); it could miss that one's", len(evs), next)
	}
	withdraw(func(q string, a ...any) error { return first.Exec(q, a...).Error }, "campaign")
	if err := first.Commit().Error; err != nil {
		t.Fatal(err)
	}
	withdraw(func(q string, a ...any) error { return db.Exec(q, a...).Error }, "discount")

	var kinds []string
	seen := map[int64]bool{}
	cur := models.EventCursor{}
	for range 10 {
		evs, next := read(cur, 1)
		if len(evs) == 0 {
			if next != cur {
				t.Errorf("an empty page moves the cursor from %v to %v", cur, next)
			}
			break
		}
		if seen[evs[0].ID] {
			t.Errorf("event %d shown twice", evs[0].ID)
		}
		seen[evs[0].ID] = true
		kinds = append(kinds, evs[0].Kind+":"+jsonField(t, evs[0].Data, "kind"))
		cur = next
	}
	want := []string{"withdrawal:campaign", "withdrawal:product", "withdrawal:discount"}
	if len(kinds) != len(want) {
		t.Fatalf("the walk saw %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Errorf("event %d is %s, want %s (the transaction that began first comes first)", i, kinds[i], want[i])
		}
	}
	if evs, _, _ := store.SellerEvents(ctx, shop.ID+1000, models.EventCursor{}, 10); len(evs) != 0 {
		t.Errorf("another shop sees %d events", len(evs))
	}
	if c, ok := models.ParseEventCursor(cur.String()); !ok || c != cur {
		t.Errorf("the cursor %v does not round-trip", cur)
	}
	for _, bad := range []string{"x", "1-", "-1", "1-x", "99999999999999999999-1"} {
		if _, ok := models.ParseEventCursor(bad); ok {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

func jsonField(t *testing.T, data, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("event data %q: %v", data, err)
	}
	s, _ := m[field].(string)
	return s
}
