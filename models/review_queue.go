package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Queue filters: each is a condition on a pending registration, answered
// from stored columns (the due moment, the last price check), so a page
// costs the same however long the queue is.
const (
	QueueAll       = ""
	QueueOverdue   = "overdue"
	QueueDueToday  = "due-today"
	QueueAboveMax  = "above-max"
	QueueCoFunded  = "co-funded"
	QueueFirstTime = "first-time"
)

// QueueFlags are the queue's filters in the order the page lists them.
var QueueFlags = []string{QueueAll, QueueOverdue, QueueDueToday, QueueAboveMax, QueueCoFunded, QueueFirstTime}

// Queue orders.
const (
	QueueSortDue       = "due"       // oldest due first (the service level)
	QueueSortSubmitted = "submitted" // newest submission first
	QueueSortShop      = "shop"
	QueueSortCampaign  = "campaign"
)

// QueuePageSize is how many registrations one page of the queue shows.
const QueuePageSize = 50

// QueueFilter is what the reviewer narrowed the queue to.
type QueueFilter struct {
	CampaignID int64
	Shop       string // part of the shop's name
	Flag       string // one of QueueFlags
	Sort       string
	Page       int
}

// QueueCampaign is a campaign with registrations in the queue.
type QueueCampaign struct {
	ID      int64
	Name    string
	Pending int
}

// QueuePage is one page of the queue with the counts per filter.
type QueuePage struct {
	Rows      []ReviewQueueRow
	Total     int // matching the whole filter
	Page      int
	Pages     int
	Counts    map[string]int // per flag, under the campaign and shop filters
	Campaigns []QueueCampaign
}

// queueFlagSQL is each flag's condition on r (registrations), with @now
// and @day_end.
var queueFlagSQL = map[string]string{
	QueueOverdue:  `r.review_due_at < @now`,
	QueueDueToday: `r.review_due_at >= @now AND r.review_due_at < @day_end`,
	QueueAboveMax: `r.above_max_skus > 0`,
	QueueCoFunded: `EXISTS (SELECT 1 FROM coupons cp WHERE cp.campaign_id = r.campaign_id AND cp.seller_share_pct > 0)`,
	// The shop's first submitted registration: it has no other.
	QueueFirstTime: `NOT EXISTS (SELECT 1 FROM registrations r2 WHERE r2.shop_id = r.shop_id AND r2.id <> r.id AND r2.status <> 'draft')`,
}

var queueOrderSQL = map[string]string{
	QueueSortDue:       `r.review_due_at, r.id`,
	QueueSortSubmitted: `r.submitted_at DESC, r.id DESC`,
	QueueSortShop:      `sh.name, r.review_due_at, r.id`,
	QueueSortCampaign:  `c.name, r.review_due_at, r.id`,
}

// ValidQueueFlag and ValidQueueSort check values read from an address.
func ValidQueueFlag(f string) bool { _, ok := queueFlagSQL[f]; return ok || f == QueueAll }

// ValidQueueSort reports whether s is one of the queue's orders.
func ValidQueueSort(s string) bool { _, ok := queueOrderSQL[s]; return ok }

// queueScope is the pending registrations under the campaign and shop
// filters (not the flag) as a FROM and WHERE over r (registrations), sh
// (shops) and c (campaigns), with its named arguments (@now and @day_end
// for the flags).
func queueScope(f QueueFilter, now time.Time) (string, map[string]any) {
	u := now.UTC()
	args := map[string]any{"now": now, "day_end": time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)}
	sql := ` FROM registrations r JOIN shops sh ON sh.id = r.shop_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.status = 'pending'`
	if f.CampaignID > 0 {
		sql += ` AND r.campaign_id = @campaign`
		args["campaign"] = f.CampaignID
	}
	if f.Shop != "" {
		sql += ` AND sh.name ILIKE @shop`
		args["shop"] = "%" + escapeLike(f.Shop) + "%"
	}
	if ValidQueueFlag(f.Flag) && f.Flag != QueueAll {
		sql += ` AND ` + queueFlagSQL[f.Flag]
	}
	return sql, args
}

// ReviewQueuePage is one page of pending registrations under a filter,
// with how many match each flag. Only the page's SKUs get their lookback
// lows recomputed (the "price check now" column); the above-maximum filter
// reads the stored check (RefreshPriceChecks).
func (s *Store) ReviewQueuePage(ctx context.Context, f QueueFilter, now time.Time) (QueuePage, error) {
	if !ValidQueueFlag(f.Flag) {
		f.Flag = QueueAll
	}
	if !ValidQueueSort(f.Sort) {
		f.Sort = QueueSortDue
	}
	f.Page = max(f.Page, 1)
	db := s.db.WithContext(ctx)
	out := QueuePage{Page: f.Page, Counts: map[string]int{}}
	// Counts per flag, one statement.
	cols := []string{"count(*) AS all_rows"}
	for _, flag := range QueueFlags[1:] {
		cols = append(cols, fmt.Sprintf("count(*) FILTER (WHERE %s) AS %q", queueFlagSQL[flag], flag))
	}
	unflagged := f
	unflagged.Flag = QueueAll
	from, args := queueScope(unflagged, now)
	counts := map[string]any{}
	if err := namedRaw(db, "SELECT "+strings.Join(cols, ", ")+from, args).Take(&counts).Error; err != nil {
		return out, err
	}
	out.Counts[QueueAll] = toInt(counts["all_rows"])
	for _, flag := range QueueFlags[1:] {
		out.Counts[flag] = toInt(counts[flag])
	}
	out.Total = out.Counts[f.Flag]
	out.Pages = max(1, (out.Total+QueuePageSize-1)/QueuePageSize)
	// Campaigns to filter by (under the shop filter only).
	from, args = queueScope(QueueFilter{Shop: f.Shop}, now)
	if err := namedRaw(db, "SELECT c.id, c.name, count(*) AS pending"+from+" GROUP BY c.id, c.name ORDER BY c.name", args).
		Scan(&out.Campaigns).Error; err != nil {
		return out, err
	}
	from, args = queueScope(f, now)
	args["limit"], args["offset"] = QueuePageSize, (f.Page-1)*QueuePageSize
	var rows []struct {
		ReviewQueueRow
		ReviewDueAt time.Time
	}
	if err := namedRaw(db, `SELECT r.id AS registration_id, r.shop_id, sh.name AS shop_name, r.campaign_id, c.name AS campaign_name,
			r.submitted_at, r.review_due_at`+from+` ORDER BY `+queueOrderSQL[f.Sort]+` LIMIT @limit OFFSET @offset`, args).
		Scan(&rows).Error; err != nil {
		return out, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		row := r.ReviewQueueRow
		row.DueAt = r.ReviewDueAt
		row.Overdue = ReviewOverdue(row.DueAt, now)
		row.DueSoon = ReviewDueSoon(row.DueAt, now)
		out.Rows = append(out.Rows, row)
		ids[i] = row.RegistrationID
	}
	if len(ids) == 0 {
		return out, nil
	}
	skus, err := s.pendingSKUsOf(ctx, ids)
	if err != nil {
		return out, err
	}
	limits, err := s.liveLimits(ctx, skus, now)
	if err != nil {
		return out, err
	}
	tallyQueueRows(out.Rows, skus, limits)
	return out, nil
}

// QueueIDs are the ids of the pending registrations matching a filter, in
// queue order, at most limit: what "select all of this filter" takes.
func (s *Store) QueueIDs(ctx context.Context, f QueueFilter, limit int, now time.Time) ([]int64, error) {
	from, args := queueScope(f, now)
	args["limit"] = limit
	var ids []int64
	err := namedRaw(s.db.WithContext(ctx), "SELECT r.id"+from+" ORDER BY r.review_due_at, r.id LIMIT @limit", args).Scan(&ids).Error
	return ids, err
}

// pendingSKUsOf are the SKUs of the pending products of some registrations.
func (s *Store) pendingSKUsOf(ctx context.Context, regIDs []int64) ([]pendingSKU, error) {
	var skus []pendingSKU
	err := s.db.WithContext(ctx).Raw(`SELECT rs.registration_id, rs.registration_product_id, r.campaign_id, rs.sku_id, rp.tier,
			rs.campaign_price, s.retail_price AS retail_now
		FROM registration_skus rs
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN registrations r ON r.id = rs.registration_id
		JOIN skus s ON s.id = rs.sku_id
		WHERE rs.registration_id IN ? AND rp.status = 'pending'`, regIDs).Scan(&skus).Error
	return skus, err
}

// tallyQueueRows counts each row's pending products and SKUs, and the SKUs
// above their maximum now.
func tallyQueueRows(rows []ReviewQueueRow, skus []pendingSKU, limits []LiveLimit) {
	idx := make(map[int64]int, len(rows))
	for i := range rows {
		idx[rows[i].RegistrationID] = i
	}
	products := map[int64]bool{}
	for k, sk := range skus {
		i, ok := idx[sk.RegistrationID]
		if !ok {
			continue
		}
		rows[i].SKUs++
		if !products[sk.RegistrationProductID] {
			products[sk.RegistrationProductID] = true
			rows[i].Products++
		}
		if limits[k].AboveMax(sk.CampaignPrice) {
			rows[i].AboveMax++
		}
	}
}

// PriceCheckBatch bounds one run of RefreshPriceChecks.
const PriceCheckBatch = 200

// RefreshPriceChecks recomputes the "above the maximum now" count of the
// pending registrations checked longest ago (never checked first), at most
// PriceCheckBatch per run, and stores it for the queue's filter. The
// periodic reminders job runs it; it returns how many it checked.
func (s *Store) RefreshPriceChecks(ctx context.Context, now time.Time) (int, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Raw(`SELECT id FROM registrations WHERE status = 'pending'
		ORDER BY price_checked_at NULLS FIRST, id LIMIT ?`, PriceCheckBatch).Scan(&ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	skus, err := s.pendingSKUsOf(ctx, ids)
	if err != nil {
		return 0, err
	}
	limits, err := s.liveLimits(ctx, skus, now)
	if err != nil {
		return 0, err
	}
	above := make(map[int64]int, len(ids))
	for k, sk := range skus {
		if limits[k].AboveMax(sk.CampaignPrice) {
			above[sk.RegistrationID]++
		}
	}
	counts := make([]int64, len(ids))
	for i, id := range ids {
		counts[i] = int64(above[id])
	}
	// One statement; a registration decided meanwhile is left alone.
	err = s.db.WithContext(ctx).Exec(`UPDATE registrations r SET above_max_skus = v.n, price_checked_at = ?
		FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS v(id, n)
		WHERE r.id = v.id AND r.status = 'pending'`, now, int64Array(ids), int64Array(counts)).Error
	return len(ids), err
}

func toInt(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case int32:
		return int(n)
	case int:
		return n
	}
	return 0
}

// namedRaw runs SQL with named arguments; GORM passes a map it finds no
// @name for as one positional argument, so a statement without any takes
// none.
func namedRaw(db *gorm.DB, sql string, args map[string]any) *gorm.DB {
	if !strings.Contains(sql, "@") {
		return db.Raw(sql)
	}
	return db.Raw(sql, args)
}
