package models

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// SellerEvent is one entry of a shop's events feed: a review decision, a
// SKU error raised or resolved, a price edit's result or a withdrawal.
// Triggers (migration 00019) write it in the transaction of the change.
type SellerEvent struct {
	ID             int64
	ShopID         int64
	CampaignID     int64
	RegistrationID int64
	Kind           string
	Data           string // a JSON object, as the trigger built it
	At             time.Time
	Xact           uint64
}

// EventCursor is where a page of the feed ends: the (transaction, id)
// of its last event. The zero cursor is the feed's start.
type EventCursor struct {
	Xact uint64
	ID   int64
}

// String encodes the cursor for a URL.
func (c EventCursor) String() string {
	return strconv.FormatUint(c.Xact, 10) + "-" + strconv.FormatInt(c.ID, 10)
}

// ParseEventCursor reads a cursor; "" is the start, ok is false for garbage.
func ParseEventCursor(s string) (EventCursor, bool) {
	if s == "" {
		return EventCursor{}, true
	}
	a, b, found := strings.Cut(s, "-")
	if !found {
		return EventCursor{}, false
	}
	x, err1 := strconv.ParseUint(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || id < 0 || x > 1<<62 {
		return EventCursor{}, false
	}
	return EventCursor{Xact: x, ID: id}, true
}

// SellerEvents reads the shop's events after the cursor, oldest first, at
// most limit, and the cursor to ask from next (the same cursor when there
// was nothing new). Only events of transactions older than every one still
// running are shown: such a transaction has ended, so no event can appear
// later before the returned cursor, and a page never misses or repeats one.
func (s *Store) SellerEvents(ctx context.Context, shopID int64, after EventCursor, limit int) ([]SellerEvent, EventCursor, error) {
	var out []SellerEvent
	err := s.db.WithContext(ctx).Raw(`
		SELECT id, shop_id, campaign_id, registration_id, kind, data::text AS data, at, xact::text::bigint AS xact
		FROM seller_events
		WHERE shop_id = ? AND xact < pg_snapshot_xmin(pg_current_snapshot())
		  AND (xact, id) > (?::text::xid8, ?)
		ORDER BY xact, id LIMIT ?`, shopID, strconv.FormatUint(after.Xact, 10), after.ID, limit).Scan(&out).Error
	if err != nil {
		return nil, after, err
	}
	next := after
	if n := len(out); n > 0 {
		next = EventCursor{Xact: out[n-1].Xact, ID: out[n-1].ID}
	}
	return out, next, nil
}
