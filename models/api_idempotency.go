package models

import (
	"context"
	"time"
)

// IdempotencyKeep is how long the seller API keeps a request's answer under
// its Idempotency-Key: a replay within it returns the first answer; after
// it, the key may be used again.
const IdempotencyKeep = 24 * time.Hour

// idempotencyStale is when a claim whose request never finished (the
// instance died mid-way) may be taken over by a retry.
const idempotencyStale = 5 * time.Minute

// IdempotentAnswer is the answer stored for a replay.
type IdempotentAnswer struct {
	Status      int
	ContentType string
	ETag        string
	Location    string
	Body        []byte
}

// IdempotencyClaim says what a request with an Idempotency-Key may do.
type IdempotencyClaim struct {
	Owned    bool             // this request runs; Complete or Release it
	Running  bool             // the first request with the key is still running
	Mismatch bool             // the key was used for another request
	Answer   IdempotentAnswer // the first answer, to replay (when none of the above)
}

// ClaimIdempotencyKey decides, in one INSERT ... ON CONFLICT, whether the
// request (requestHash: its method, path, query and body) runs: two
// parallel requests with one key cannot both own it, as the second insert
// waits for the first and then conflicts. A key older than IdempotencyKeep,
// or a claim left running longer than idempotencyStale, is taken over. The
// same statement purges the key's other expired answers.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, keyID int64, key, requestHash string, now time.Time) (IdempotencyClaim, error) {
	var claim IdempotencyClaim
	args := map[string]any{"k": keyID, "key": key, "h": requestHash, "now": now,
		"expired": now.Add(-IdempotencyKeep), "stale": now.Add(-idempotencyStale)}
	var owned []bool
	err := s.db.WithContext(ctx).Raw(`
		WITH purge AS (
			DELETE FROM seller_api_idempotency WHERE key_id = @k AND idem_key <> @key AND created_at < @expired)
		INSERT INTO seller_api_idempotency (key_id, idem_key, request_hash, created_at) VALUES (@k, @key, @h, @now)
		ON CONFLICT (key_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at,
			status = NULL, content_type = '', etag = '', location = '', body = NULL
		WHERE seller_api_idempotency.created_at < @expired
			OR (seller_api_idempotency.status IS NULL AND seller_api_idempotency.created_at < @stale)
		RETURNING true`, args).Scan(&owned).Error
	if err != nil {
		return claim, err
	}
	if len(owned) == 1 {
		claim.Owned = true
		return claim, nil
	}
	var row struct {
		RequestHash string
		Status      *int
		ContentType string
		ETag        string `gorm:"column:etag"`
		Location    string
		Body        []byte
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT request_hash, status, content_type, etag, location, body
		FROM seller_api_idempotency WHERE key_id = ? AND idem_key = ?`, keyID, key).Scan(&row).Error; err != nil {
		return claim, err
	}
	switch {
	case row.RequestHash != requestHash:
		claim.Mismatch = true
	case row.Status == nil:
		claim.Running = true
	default:
		claim.Answer = IdempotentAnswer{Status: *row.Status, ContentType: row.ContentType, ETag: row.ETag,
			Location: row.Location, Body: row.Body}
	}
	return claim, nil
}

// CompleteIdempotencyKey stores the answer of the request that owns the key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, keyID int64, key string, a IdempotentAnswer) error {
	body := a.Body
	if body == nil {
		body = []byte{}
	}
	return s.db.WithContext(ctx).Exec(`UPDATE seller_api_idempotency SET status = ?, content_type = ?, etag = ?, location = ?, body = ?
		WHERE key_id = ? AND idem_key = ? AND status IS NULL`, a.Status, a.ContentType, a.ETag, a.Location, body, keyID, key).Error
}

// ReleaseIdempotencyKey forgets a claim whose request failed on the
// portal's side (5xx), so a retry with the same key runs again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, keyID int64, key string) error {
	return s.db.WithContext(ctx).Exec(`DELETE FROM seller_api_idempotency WHERE key_id = ? AND idem_key = ? AND status IS NULL`,
		keyID, key).Error
}
