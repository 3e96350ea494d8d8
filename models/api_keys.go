package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Scope is what a seller API key may do.
type Scope string

// The scopes a seller can give a key.
const (
	ScopeCampaignsRead      Scope = "campaigns:read"
	ScopeRegistrationsWrite Scope = "registrations:write"
	ScopeFinanceRead        Scope = "finance:read"
)

// AllScopes lists the scopes in the order the keys page shows them.
var AllScopes = []Scope{ScopeCampaignsRead, ScopeRegistrationsWrite, ScopeFinanceRead}

// Scopes is a key's scopes, stored as a PostgreSQL text[].
type Scopes []Scope

// Has reports whether s holds scope.
func (s Scopes) Has(scope Scope) bool { return slices.Contains(s, scope) }

// Value writes the array literal ({a,b}); scope names hold no character
// an array literal would need to quote.
func (s Scopes) Value() (driver.Value, error) {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = string(v)
	}
	return "{" + strings.Join(parts, ",") + "}", nil
}

// Scan reads the array literal back.
func (s *Scopes) Scan(src any) error {
	var str string
	switch v := src.(type) {
	case string:
		str = v
	case []byte:
		str = string(v)
	default:
		return fmt.Errorf("scopes: cannot scan %T", src)
	}
	str = strings.Trim(str, "{}")
	*s = nil
	if str == "" {
		return nil
	}
	for _, p := range strings.Split(str, ",") {
		*s = append(*s, Scope(strings.Trim(p, `"`)))
	}
	return nil
}

// SellerAPIKey is a shop's key for the seller API. Only its SHA-256 is
// stored; the key itself is shown once, when made.
type SellerAPIKey struct {
	ID         int64
	ShopID     int64
	Name       string
	Scopes     Scopes `gorm:"type:text[]"`
	KeyHash    string
	KeyPrefix  string
	CreatedBy  int64
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	RevokedBy  *int64
}

// TableName is the keys table.
func (SellerAPIKey) TableName() string { return "seller_api_keys" }

// sellerKeyPrefix marks seller keys; the order feed's tokens start with
// cpt_, so neither can be mistaken for the other even before a lookup.
const sellerKeyPrefix = "cpk_"

// SellerKeyLooksValid reports whether secret has the shape of a seller key.
func SellerKeyLooksValid(secret string) bool {
	if !strings.HasPrefix(secret, sellerKeyPrefix) || len(secret) != len(sellerKeyPrefix)+64 {
		return false
	}
	_, err := hex.DecodeString(secret[len(sellerKeyPrefix):])
	return err == nil
}

func hashSellerKey(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// ParseScopes reads the scopes ticked on the keys page: at least one,
// each known, each once.
func ParseScopes(values []string) (Scopes, error) {
	var out Scopes
	for _, v := range values {
		s := Scope(v)
		if !slices.Contains(AllScopes, s) {
			return nil, &ValidationError{Fields: map[string]string{"scopes": "Choose scopes from the list."}}
		}
		if !out.Has(s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, &ValidationError{Fields: map[string]string{"scopes": "Choose at least one scope: what the key may do."}}
	}
	slices.SortFunc(out, func(a, b Scope) int { return slices.Index(AllScopes, a) - slices.Index(AllScopes, b) })
	return out, nil
}

// CreateSellerAPIKey makes a key for the shop and returns it with the
// secret, which is stored nowhere.
func (s *Store) CreateSellerAPIKey(ctx context.Context, shopID, userID int64, name string, scopes []string) (SellerAPIKey, string, error) {
	name = strings.TrimSpace(name)
	v := &ValidationError{}
	if name == "" || len([]rune(name)) > 80 || strings.ContainsRune(name, 0) {
		v.Add("name", "Name the key (1 to 80 characters), for example the tool that will use it.")
	}
	sc, err := ParseScopes(scopes)
	var scErr *ValidationError
	if errors.As(err, &scErr) {
		v.Add("scopes", scErr.Fields["scopes"])
	}
	if err := v.OrNil(); err != nil {
		return SellerAPIKey{}, "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return SellerAPIKey{}, "", err
	}
	secret := sellerKeyPrefix + hex.EncodeToString(raw)
	k := SellerAPIKey{ShopID: shopID, Name: name, Scopes: sc, KeyHash: hashSellerKey(secret),
		KeyPrefix: secret[:len(sellerKeyPrefix)+6], CreatedBy: userID}
	if err := s.db.WithContext(ctx).Omit("LastUsedAt", "RevokedAt", "RevokedBy", "CreatedAt").Create(&k).Error; err != nil {
		return SellerAPIKey{}, "", err
	}
	return k, secret, nil
}

// SellerAPIKeys lists the shop's keys, newest first, revoked ones too.
func (s *Store) SellerAPIKeys(ctx context.Context, shopID int64) ([]SellerAPIKey, error) {
	var out []SellerAPIKey
	err := s.db.WithContext(ctx).Where("shop_id = ?", shopID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeSellerAPIKey stops one of the shop's keys from opening the API.
// Another shop's key is ErrNotFound; revoking twice is a conflict.
func (s *Store) RevokeSellerAPIKey(ctx context.Context, shopID, keyID, by int64, now time.Time) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE seller_api_keys SET revoked_at = ?, revoked_by = ?
		WHERE id = ? AND shop_id = ? AND revoked_at IS NULL`, now, by, keyID, shopID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.db.WithContext(ctx).Table("seller_api_keys").Where("id = ? AND shop_id = ?", keyID, shopID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return &ConflictError{Message: "This key is already revoked."}
}

// ErrBadAPIKey is a missing, unknown or revoked seller API key.
var ErrBadAPIKey = errors.New("a valid seller API key is required")

// AuthenticateSellerKey finds the active key and records its use (at most
// once a minute, so a busy tool does not write on every request).
func (s *Store) AuthenticateSellerKey(ctx context.Context, secret string, now time.Time) (SellerAPIKey, error) {
	var k SellerAPIKey
	if !SellerKeyLooksValid(secret) {
		return k, ErrBadAPIKey
	}
	h := hashSellerKey(secret)
	err := s.db.WithContext(ctx).Where("key_hash = ? AND revoked_at IS NULL", h).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return SellerAPIKey{}, ErrBadAPIKey
	}
	if err != nil {
		return SellerAPIKey{}, err
	}
	if subtle.ConstantTimeCompare([]byte(k.KeyHash), []byte(h)) != 1 {
		return SellerAPIKey{}, ErrBadAPIKey
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= time.Minute {
		if err := s.db.WithContext(ctx).Exec(`UPDATE seller_api_keys SET last_used_at = ? WHERE id = ?`, now, k.ID).Error; err != nil {
			return k, err
		}
		k.LastUsedAt = &now
	}
	return k, nil
}
