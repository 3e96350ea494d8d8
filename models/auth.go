package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Sign-in limits: failures within the window, per account and per client
// address. Counters live in PostgreSQL so every portal instance sees them.
const (
	LoginWindow          = 15 * time.Minute
	MaxFailuresPerEmail  = 5
	MaxFailuresPerClient = 30
)

// SessionTTL is how long a session lasts without a new sign-in.
const SessionTTL = 12 * time.Hour

// NormalizeEmail trims and lower-cases an email for lookups.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Authenticate checks an email and password. Each attempt is decided and
// counted before the password is looked at, in one transaction under a
// lock per counter (reserveAttempt): an attempt takes a place in both
// counters (the account's, the client's) or is refused with a
// *RateLimitedError, so parallel attempts cannot pass a full counter
// between a check and a count, on one instance or many. A right password
// gives its places back and clears the account's counter.
func (s *Store) Authenticate(ctx context.Context, email, password, clientIP string) (User, error) {
	email = NormalizeEmail(email)
	db := s.db.WithContext(ctx)
	ids, err := s.reserveAttempt(ctx, []attemptBucket{
		{"email:" + email, MaxFailuresPerEmail}, {"client:" + clientIP, MaxFailuresPerClient}})
	if err != nil {
		return User{}, err
	}
	var u User
	err = db.Where("email = ?", email).Take(&u).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, err
	}
	hash := dummyHash
	if found {
		hash = u.PasswordHash
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return User{}, err
	}
	if !found || !ok {
		// The places taken stay: they are this failure.
		if err := db.Exec(`DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'`).Error; err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	if err := db.Exec(`DELETE FROM login_failures WHERE bucket = ? OR id IN ?`, "email:"+email, ids).Error; err != nil {
		return User{}, err
	}
	return u, nil
}

// attemptBucket is one counter of attempts and its limit in LoginWindow.
type attemptBucket struct {
	name string
	max  int
}

// reserveAttempt takes a place in every bucket, or none: under a
// transaction-scoped advisory lock per bucket (taken in name order, so two
// attempts never wait on each other crosswise), it counts each bucket's
// recent places and refuses with *RateLimitedError when one is full;
// otherwise it inserts a place in each and returns their ids.
func (s *Store) reserveAttempt(ctx context.Context, buckets []attemptBucket) ([]int64, error) {
	sort.Slice(buckets, func(i, j int) bool { return buckets[i].name < buckets[j].name })
	var ids []int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, b := range buckets {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 7001))`, b.name).Error; err != nil {
				return err
			}
		}
		for _, b := range buckets {
			if wait, err := loginWait(tx, b.name, b.max); err != nil {
				return err
			} else if wait > 0 {
				return &RateLimitedError{RetryAfter: wait}
			}
		}
		for _, b := range buckets {
			var id int64
			if err := tx.Raw(`INSERT INTO login_failures (bucket) VALUES (?) RETURNING id`, b.name).Scan(&id).Error; err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// loginWait says how long until the bucket drops below max places in the
// window (0: not limited).
func loginWait(tx *gorm.DB, bucket string, max int) (time.Duration, error) {
	var row struct {
		N      int
		Oldest *time.Time
	}
	err := tx.Raw(`
		SELECT count(*) AS n, min(failed_at) AS oldest FROM (
			SELECT failed_at FROM login_failures
			WHERE bucket = ? AND failed_at > now() - make_interval(secs => ?)
			ORDER BY failed_at DESC LIMIT ?) recent`,
		bucket, int(LoginWindow.Seconds()), max).Scan(&row).Error
	if err != nil || row.N < max || row.Oldest == nil {
		return 0, err
	}
	wait := time.Until(row.Oldest.Add(LoginWindow))
	if wait <= 0 {
		return 0, nil
	}
	return wait, nil
}

// Session is a signed-in browser.
type Session struct {
	User      User
	Shop      *Shop
	ExpiresAt time.Time
	// Unread is the user's unread notifications when the request began,
	// for the bell.
	Unread int
}

// CreateSession starts a session for the user and returns the token for the
// cookie. Only the token's SHA-256 is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, clientIP, userAgent string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err := s.db.WithContext(ctx).Exec(`
		INSERT INTO sessions (token_hash, user_id, expires_at, client_ip, user_agent)
		VALUES (?, ?, now() + make_interval(secs => ?), ?, ?)`,
		tokenHash(token), userID, int(SessionTTL.Seconds()), clientIP, userAgent).Error
	return token, err
}

// SessionByToken loads the live session for a cookie token, with its user
// and, for sellers, the shop. Revoked or expired sessions are ErrNotFound.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNotFound
	}
	// One round trip for everything a page's layout needs: the session,
	// its user, the user's shop and the unread count for the bell. The
	// session's last_seen_at is touched at most once a minute, by a second
	// statement only then: a plain SELECT costs PostgreSQL about a fifth
	// less than one carrying a data-modifying CTE (pgbench, 16 clients).
	// Scanned field by field: GORM's reflective Scan into a struct was
	// about a third of the CPU of a simple page.
	var (
		sess                        Session
		stale                       bool
		shopID                      *int64
		shopPublicID, shopName, cur *string
		shopFree                    *bool
		shopCreated                 *time.Time
		shop                        Shop
	)
	u := &sess.User
	err := s.db.WithContext(ctx).Raw(`
		SELECT s.expires_at, s.last_seen_at < now() - interval '1 minute',
		       u.id, u.email, u.display_name, u.password_hash, u.role, u.shop_id, u.password_changed_at, u.created_at,
		       sh.id, sh.public_id, sh.name, sh.sps, sh.free_shipping, sh.free_shipping_threshold,
		       sh.currency, sh.created_at,
		       (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		LEFT JOIN shops sh ON sh.id = u.shop_id
		WHERE s.token_hash = @hash AND s.revoked_at IS NULL AND s.expires_at > now()`,
		sql.Named("hash", tokenHash(token))).Row().Scan(
		&sess.ExpiresAt, &stale,
		&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Role, &u.ShopID, &u.PasswordChangedAt, &u.CreatedAt,
		&shopID, &shopPublicID, &shopName, &shop.SPS, &shopFree, &shop.FreeShippingThreshold,
		&cur, &shopCreated,
		&sess.Unread)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, err
	}
	if stale {
		if err := s.db.WithContext(ctx).Exec(`UPDATE sessions SET last_seen_at = now()
			WHERE token_hash = ? AND last_seen_at < now() - interval '1 minute'`, tokenHash(token)).Error; err != nil {
			return Session{}, err
		}
	}
	if shopID != nil {
		shop.ID = *shopID
		shop.PublicID, shop.Name, shop.Currency = deref(shopPublicID), deref(shopName), deref(cur)
		shop.FreeShipping = shopFree != nil && *shopFree
		if shopCreated != nil {
			shop.CreatedAt = *shopCreated
		}
		sess.Shop = &shop
	}
	return sess, nil
}

// RevokeSession ends one session (sign-out).
func (s *Store) RevokeSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Exec(
		`UPDATE sessions SET revoked_at = now() WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash(token)).Error
}

// ChangePassword checks the current password, stores the new one and ends
// every session of the user, all in one transaction.
func (s *Store) ChangePassword(ctx context.Context, userID int64, current, next string) error {
	v := &ValidationError{}
	if len(next) < 10 {
		v.Add("new_password", "Use at least 10 characters.")
	} else if len(next) > 256 {
		v.Add("new_password", "Use at most 256 characters.")
	}
	var u User
	if err := s.db.WithContext(ctx).Where("id = ?", userID).Take(&u).Error; err != nil {
		return err
	}
	// Guessing the current password is limited like signing in.
	bucket := fmt.Sprintf("password:%d", userID)
	ids, err := s.reserveAttempt(ctx, []attemptBucket{{bucket, MaxFailuresPerEmail}})
	if err != nil {
		return err
	}
	ok, err := VerifyPassword(u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		v.Add("current_password", "This is not your current password.")
	} else if err := s.db.WithContext(ctx).Exec(`DELETE FROM login_failures WHERE bucket = ? OR id IN ?`, bucket, ids).Error; err != nil {
		return err
	}
	if err := v.OrNil(); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE users SET password_hash = ?, password_changed_at = now() WHERE id = ?`, hash, userID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNotFound
		}
		return tx.Exec(`UPDATE sessions SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL`, userID).Error
	})
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
