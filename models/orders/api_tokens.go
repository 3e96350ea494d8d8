package orders

import (
	"campaignportal/models"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken is a bearer token of the marketplace's order feed. Only its
// SHA-256 is stored; the token is shown once, when created.
type APIToken struct {
	ID          int64
	Name        string
	TokenHash   string `gorm:"column:token_hash"`
	TokenPrefix string `gorm:"column:token_prefix"`
	CreatedBy   *int64
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
	RevokedBy   *int64
}

// TableName is the tokens table.
func (APIToken) TableName() string { return "api_tokens" }

// Active reports whether the token still opens the API.
func (t APIToken) Active() bool { return t.RevokedAt == nil }

const apiTokenPrefix = "cpt_"

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateAPIToken makes a token named name and returns it with its secret,
// which is not stored anywhere.
func (s *Store) CreateAPIToken(ctx context.Context, name string, createdBy *int64) (APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return APIToken{}, "", &models.ValidationError{Fields: map[string]string{"name": "Name the token (1 to 80 characters), for example the system that will use it."}}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIToken{}, "", err
	}
	secret := apiTokenPrefix + hex.EncodeToString(raw)
	t := APIToken{Name: name, TokenHash: hashToken(secret), TokenPrefix: secret[:len(apiTokenPrefix)+6], CreatedBy: createdBy}
	if err := s.db.WithContext(ctx).Omit("LastUsedAt", "RevokedAt", "RevokedBy").Create(&t).Error; err != nil {
		return APIToken{}, "", err
	}
	return t, secret, nil
}

// APITokens lists every token, newest first.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	var out []APIToken
	err := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeAPIToken stops a token from opening the API; revoking twice is a
// conflict. by is the manager who revoked it (nil: the command line).
func (s *Store) RevokeAPIToken(ctx context.Context, id int64, by *int64, now time.Time) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`, now, by, id)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.db.WithContext(ctx).Table("api_tokens").Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.ErrNotFound
		}
		return &models.ConflictError{Message: "This token is already revoked."}
	}
	return nil
}

// ErrBadToken is a missing, unknown or revoked bearer token.
var ErrBadToken = errors.New("a valid bearer token is required")

// AuthenticateAPIToken finds the active token and records its use (at most
// once a minute, so a busy feed does not write on every request).
func (s *Store) AuthenticateAPIToken(ctx context.Context, secret string, now time.Time) (APIToken, error) {
	var t APIToken
	if !strings.HasPrefix(secret, apiTokenPrefix) || len(secret) != len(apiTokenPrefix)+64 {
		return t, ErrBadToken
	}
	h := hashToken(secret)
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", h).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, ErrBadToken
	}
	if err != nil {
		return t, err
	}
	if subtle.ConstantTimeCompare([]byte(t.TokenHash), []byte(h)) != 1 {
		return APIToken{}, ErrBadToken
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= time.Minute {
		if err := s.db.WithContext(ctx).Exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID).Error; err != nil {
			return t, err
		}
		t.LastUsedAt = &now
	}
	return t, nil
}
