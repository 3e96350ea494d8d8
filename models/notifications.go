package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// NotificationKind is what a notification is about.
type NotificationKind string

const (
	NotifyReviewDecision    NotificationKind = "review_decision"
	NotifyPriceEditDecision NotificationKind = "price_edit_decision"
	NotifySKUError          NotificationKind = "sku_error"
	NotifyDeadline          NotificationKind = "deadline"
	NotifyOverdue           NotificationKind = "overdue"
)

// Notification is one entry of the notification centre.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	Title     string
	Body      string
	Link      string
	DedupeKey *string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotifyShop tells every user of a shop. A dedupe key makes the same
// notice arrive once however often (or by however many instances) it is
// sent.
func NotifyShop(tx *gorm.DB, shopID int64, kind NotificationKind, title, body, link, dedupeKey string) error {
	var key any
	if dedupeKey != "" {
		key = dedupeKey
	}
	return tx.Exec(`INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
		SELECT id, ?, ?, ?, ?, ? FROM users WHERE shop_id = ?
		ON CONFLICT (user_id, dedupe_key) DO NOTHING`, kind, title, body, link, key, shopID).Error
}

// Notifications lists a user's newest notifications.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	var out []Notification
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// MarkNotificationRead marks one of the user's notifications read and
// returns where it links; another user's id is ErrNotFound.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id int64) (string, error) {
	var n Notification
	res := s.db.WithContext(ctx).Raw(`UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = ? AND user_id = ? RETURNING *`,
		id, userID).Scan(&n)
	if res.Error != nil {
		return "", res.Error
	}
	if res.RowsAffected == 0 {
		return "", ErrNotFound
	}
	return n.Link, nil
}

// MarkAllNotificationsRead clears the bell.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID int64) error {
	return s.db.WithContext(ctx).Exec(`UPDATE notifications SET read_at = now() WHERE user_id = ? AND read_at IS NULL`, userID).Error
}
