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
// was nothing new).
//
// Only events of transactions below the horizon are shown: the oldest
// transaction that was running when the statement's snapshot was taken
// and may write this database's events (a transaction known to belong to
// another database on the server does not hold the feed back; one whose
// database cannot be told, or that ended just now, does, until the next
// read). Every transaction below the horizon has ended, so no event can
// appear later before the returned cursor: a page never misses or repeats
// one. A long transaction in this database delays the feed, never loses
// an event.
func (s *Store) SellerEvents(ctx context.Context, shopID int64, after EventCursor, limit int) ([]SellerEvent, EventCursor, error) {
	var out []SellerEvent
	err := s.db.WithContext(ctx).Raw(`
		WITH snap AS (SELECT pg_current_snapshot() AS s),
		horizon AS (
			SELECT coalesce((
				SELECT min(x) FROM pg_snapshot_xip(snap.s) x
				WHERE NOT EXISTS (
					SELECT 1 FROM pg_stat_activity a
					WHERE a.backend_xid IS NOT NULL AND a.datname IS NOT NULL AND a.datname <> current_database()
					  AND a.backend_xid::text::bigint = (x::text::bigint & 4294967295))
			), pg_snapshot_xmax(snap.s)) AS h
			FROM snap)
		SELECT e.id, e.shop_id, e.campaign_id, e.registration_id, e.kind, e.data::text AS data, e.at, e.xact::text::bigint AS xact
		FROM seller_events e, horizon
		WHERE e.shop_id = ? AND e.xact < horizon.h
		  AND (e.xact, e.id) > (?::text::xid8, ?)
		ORDER BY e.xact, e.id LIMIT ?`, shopID, strconv.FormatUint(after.Xact, 10), after.ID, limit).Scan(&out).Error
	if err != nil {
		return nil, after, err
	}
	next := after
	if n := len(out); n > 0 {
		next = EventCursor{Xact: out[n-1].Xact, ID: out[n-1].ID}
	}
	return out, next, nil
}
