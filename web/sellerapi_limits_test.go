package web_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
)

// Two portal instances on one database share each key's budget: 10
// requests a window across both, sent in parallel, let exactly 10 through;
// the rest get 429 with Retry-After and the headers say what is left.
// Another key has its own budget. The clock is fixed, so the window never
// turns during the test.
func TestSellerAPIRateLimitIsSharedByInstances(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	at := time.Date(2026, 3, 1, 10, 0, 15, 0, time.UTC)
	limit := models.APIRateLimit{Requests: 10, Window: time.Minute}
	a := w.newPortal(limit, func() time.Time { return at })
	b := w.newPortal(limit, func() time.Time { return at })
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			e := a
			if i%2 == 1 {
				e = b
			}
			rec := apiCall(t, e, http.MethodGet, "/api/v1/seller/notifications", w.mapleKey, nil)
			mu.Lock()
			defer mu.Unlock()
			codes[rec.Code]++
			if rec.Header().Get("RateLimit-Limit") != "10" || rec.Header().Get("RateLimit-Reset") != "45" {
				t.Errorf("headers: limit %q reset %q, want 10 and 45", rec.Header().Get("RateLimit-Limit"), rec.Header().Get("RateLimit-Reset"))
			}
			if rec.Code == http.StatusTooManyRequests {
				if rec.Header().Get("Retry-After") != "45" || rec.Header().Get("RateLimit-Remaining") != "0" {
					t.Errorf("429: Retry-After %q, remaining %q", rec.Header().Get("Retry-After"), rec.Header().Get("RateLimit-Remaining"))
				}
				if p := problemOf(t, rec); p["code"] != "rate_limited" {
					t.Errorf("429 code %v", p["code"])
				}
			}
		})
	}
	wg.Wait()
	if codes[http.StatusOK] != 10 || codes[http.StatusTooManyRequests] != 6 {
		t.Errorf("answers %v, want 10 × 200 and 6 × 429", codes)
	}
	rec := apiCall(t, b, http.MethodGet, "/api/v1/seller/notifications", w.northKey, nil)
	wantStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("RateLimit-Remaining"); got != "9" {
		t.Errorf("another key's remaining: %q, want 9", got)
	}
	// The next window starts afresh, on either instance.
	at = at.Add(time.Minute)
	rec = apiCall(t, a, http.MethodGet, "/api/v1/seller/notifications", w.mapleKey, nil)
	wantStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("RateLimit-Remaining"); got != strconv.Itoa(9) {
		t.Errorf("next window's remaining: %q, want 9", got)
	}
}
