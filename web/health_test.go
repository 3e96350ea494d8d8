package web

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHealthAsksTheDatabaseAtMostEveryInterval(t *testing.T) {
	var h healthCheck
	var pings atomic.Int32
	down := errors.New("connection refused")
	var isDown atomic.Bool
	ping := func(context.Context) error {
		pings.Add(1)
		if isDown.Load() {
			return down
		}
		return nil
	}
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	// Many requests at once: one ping between them.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.check(context.Background(), ping, now); err != nil {
				t.Errorf("healthy database: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := pings.Load(); n < 1 || n > 50 {
		t.Fatalf("%d pings", n)
	}
	first := pings.Load()
	if err := h.check(context.Background(), ping, now.Add(healthEvery/2)); err != nil || pings.Load() != first {
		t.Errorf("within the interval: %v, %d pings (want the last answer, no new ping)", err, pings.Load()-first)
	}
	// The database goes down: the next check after the interval says so.
	isDown.Store(true)
	if err := h.check(context.Background(), ping, now.Add(healthEvery)); !errors.Is(err, down) {
		t.Errorf("after the interval with the database down: %v", err)
	}
	if err := h.check(context.Background(), ping, now.Add(healthEvery+time.Millisecond)); !errors.Is(err, down) {
		t.Errorf("the down answer is kept within the interval: %v", err)
	}
}
