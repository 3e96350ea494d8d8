package models

import (
	"context"
	"time"
)

// APIRateLimit is how many requests one seller API key may make in each
// window. Windows are fixed (aligned to the epoch), so every instance
// agrees which window a request falls in.
type APIRateLimit struct {
	Requests int
	Window   time.Duration
}

// DefaultAPIRateLimit is the limit when the configuration sets none.
var DefaultAPIRateLimit = APIRateLimit{Requests: 600, Window: time.Minute}

// APIRateState is a key's standing after one request: whether it passed,
// how many requests are left in the window and when the window ends.
type APIRateState struct {
	Allowed   bool
	Remaining int
	ResetAt   time.Time
}

// TakeAPIRequest counts one request of the key against the limit and says
// whether it may pass, in one statement: the row of the key's current
// window is inserted at 1 or incremented only while below the limit, so
// parallel requests on any number of instances cannot pass a full window.
// A full window returns no row and the request is refused.
func (s *Store) TakeAPIRequest(ctx context.Context, keyID int64, limit APIRateLimit, now time.Time) (APIRateState, error) {
	start := now.Truncate(limit.Window)
	st := APIRateState{ResetAt: start.Add(limit.Window)}
	var counted []int
	err := s.db.WithContext(ctx).Raw(`
		INSERT INTO seller_api_rate AS r (key_id, window_start, requests) VALUES (?, ?, 1)
		ON CONFLICT (key_id, window_start) DO UPDATE SET requests = r.requests + 1 WHERE r.requests < ?
		RETURNING requests`, keyID, start, limit.Requests).Scan(&counted).Error
	if err != nil {
		return st, err
	}
	if len(counted) == 0 {
		return st, nil
	}
	st.Allowed, st.Remaining = true, max(limit.Requests-counted[0], 0)
	if counted[0] == 1 {
		// The key's first request of a window clears its older windows.
		if err := s.db.WithContext(ctx).Exec(`DELETE FROM seller_api_rate WHERE key_id = ? AND window_start < ?`, keyID, start).Error; err != nil {
			return st, err
		}
	}
	return st, nil
}
