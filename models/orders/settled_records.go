package orders

import (
	"campaignportal/models"
	"campaignportal/models/pgsql"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Finance > Settled records: a shop's orders with what each settles at,
// read from the settlement columns (never recomputed), paged by keyset on
// (placed_at, id), newest first; totals come from settled_totals, or for
// a campaign from campaign_days.

// SettledFilter narrows the settled records. Days are calendar days, both
// ends included: UTC days, or the campaign's days (Location) when the
// filter has a campaign.
type SettledFilter struct {
	From, To      time.Time // dates (their year, month and day); zero: open
	CampaignID    int64     // 0: every order
	SubCampaignID int64     // with a campaign: 0 every sub-campaign
	Status        OrderStatus
	Location      *time.Location // the campaign's timezone; nil: UTC
}

func (f SettledFilter) loc() *time.Location {
	if f.Location == nil {
		return time.UTC
	}
	return f.Location
}

// fromTo returns the instants [from, to) the filter's days cover.
func (f SettledFilter) fromTo() (*time.Time, *time.Time) {
	var a, b *time.Time
	if !f.From.IsZero() {
		y, m, d := f.From.Date()
		x := time.Date(y, m, d, 0, 0, 0, 0, f.loc())
		a = &x
	}
	if !f.To.IsZero() {
		y, m, d := f.To.Date()
		x := time.Date(y, m, d+1, 0, 0, 0, 0, f.loc())
		b = &x
	}
	return a, b
}

// days returns the filter's dates as YYYY-MM-DD ("" when open).
func (f SettledFilter) days() (string, string) {
	var a, b string
	if !f.From.IsZero() {
		a = f.From.Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		b = f.To.Format(time.DateOnly)
	}
	return a, b
}

// OrderStatuses are the statuses an order can have, in lifecycle order.
var OrderStatuses = []OrderStatus{OrderPlaced, OrderCompleted, OrderPartiallyReturned, OrderReturned, OrderCancelled}

// OrderStatusLabel is a status in the seller's words.
func OrderStatusLabel(s OrderStatus) string {
	switch s {
	case OrderPlaced:
		return "Placed"
	case OrderCompleted:
		return "Completed"
	case OrderPartiallyReturned:
		return "Partly returned"
	case OrderReturned:
		return "Returned"
	case OrderCancelled:
		return "Cancelled"
	}
	return string(s)
}

// SettledCursor is where a page of settled records ends.
type SettledCursor struct {
	PlacedAt time.Time
	ID       int64
}

// String encodes the cursor for a URL.
func (c SettledCursor) String() string {
	return strconv.FormatInt(c.PlacedAt.UnixMicro(), 10) + "_" + strconv.FormatInt(c.ID, 10)
}

// ParseSettledCursor reads a cursor from a URL; ok is false for garbage.
func ParseSettledCursor(s string) (SettledCursor, bool) {
	a, b, found := strings.Cut(s, "_")
	if !found {
		return SettledCursor{}, false
	}
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return SettledCursor{}, false
	}
	return SettledCursor{PlacedAt: time.UnixMicro(us).UTC(), ID: id}, true
}

// SettledRow is one order in the settled records.
type SettledRow struct {
	ID            int64
	OrderID       string
	PlacedAt      time.Time
	Status        OrderStatus
	Amounts       TotalsAmounts // Orders is 1
	CouponApplied bool
}

// settledQuery builds the list query; with a campaign it walks that
// campaign's index, otherwise the shop's.
func settledQuery(shopID int64, f SettledFilter, after *SettledCursor, limit int) (string, []any) {
	cols := `o.id, o.external_id, o.placed_at, o.status, o.merchandise, o.shipping_paid,
		o.merchandise_reversed + o.shipping_reversed, o.fee, o.fee_refunded, o.seller_share - o.seller_share_reversed,
		o.platform_share - o.platform_share_reversed, o.payout, o.coupon_status = 'applied', o.merchandise_reversed`
	args := []any{shopID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	from, to := f.fromTo()
	var b strings.Builder
	at, id := "o.placed_at", "o.id"
	if f.CampaignID != 0 {
		at, id = "oc.placed_at", "oc.order_id"
		fmt.Fprintf(&b, `SELECT %s FROM order_campaigns oc JOIN orders o ON o.id = oc.order_id
			WHERE oc.shop_id = $1 AND oc.campaign_id = %s`, cols, arg(f.CampaignID))
	} else {
		fmt.Fprintf(&b, `SELECT %s FROM orders o WHERE o.shop_id = $1`, cols)
	}
	if f.CampaignID != 0 && f.SubCampaignID != 0 {
		fmt.Fprintf(&b, ` AND oc.sub_campaign_id = %s`, arg(f.SubCampaignID))
	}
	if from != nil {
		fmt.Fprintf(&b, ` AND %s >= %s`, at, arg(*from))
	}
	if to != nil {
		fmt.Fprintf(&b, ` AND %s < %s`, at, arg(*to))
	}
	if f.Status != "" {
		fmt.Fprintf(&b, ` AND o.status = %s`, arg(string(f.Status)))
	}
	if after != nil {
		fmt.Fprintf(&b, ` AND (%s, %s) < (%s, %s)`, at, id, arg(after.PlacedAt), arg(after.ID))
	}
	fmt.Fprintf(&b, ` ORDER BY %s DESC, %s DESC`, at, id)
	if limit > 0 {
		fmt.Fprintf(&b, ` LIMIT %d`, limit)
	}
	return b.String(), args
}

func scanSettledRow(rows pgx.Rows) (SettledRow, error) {
	var r SettledRow
	var st string
	var m, sh, rev, fee, fr, ss, ps, pay, mr pgtype.Numeric
	var applied *bool
	if err := rows.Scan(&r.ID, &r.OrderID, &r.PlacedAt, &st, &m, &sh, &rev, &fee, &fr, &ss, &ps, &pay, &applied, &mr); err != nil {
		return r, err
	}
	r.Status = OrderStatus(st)
	r.CouponApplied = applied != nil && *applied
	r.Amounts = TotalsAmounts{Orders: 1, Merchandise: pgsql.Decimal(m), Shipping: pgsql.Decimal(sh), Reversed: pgsql.Decimal(rev), Fee: pgsql.Decimal(fee),
		FeeRefunded: pgsql.Decimal(fr), SellerShare: pgsql.Decimal(ss), PlatformShare: pgsql.Decimal(ps), Payout: pgsql.Decimal(pay), MerchReversed: pgsql.Decimal(mr)}
	return r, nil
}

// SettledRecords returns a page of the shop's settled records after the
// cursor, and the cursor of the next page (nil on the last page).
func (s *Store) SettledRecords(ctx context.Context, shopID int64, f SettledFilter, after *SettledCursor, limit int) ([]SettledRow, *SettledCursor, error) {
	var out []SettledRow
	var next *SettledCursor
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		q, args := settledQuery(shopID, f, after, limit+1)
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanSettledRow(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = &SettledCursor{PlacedAt: last.PlacedAt, ID: last.ID}
	}
	return out, next, nil
}

// EachSettledRecord streams every settled record of the filter, newest
// first, without holding them in memory (for exports).
func (s *Store) EachSettledRecord(ctx context.Context, shopID int64, f SettledFilter, fn func(SettledRow) error) error {
	return s.withPgx(ctx, func(c *pgx.Conn) error {
		q, args := settledQuery(shopID, f, nil, 0)
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanSettledRow(rows)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// SettledTotals sums the filter's orders from the running totals: the
// shop's settled_totals (UTC days), or with a campaign its campaign_days
// (the campaign's days).
func (s *Store) SettledTotals(ctx context.Context, shopID int64, f SettledFilter) (TotalsAmounts, error) {
	var t TotalsAmounts
	args := []any{shopID}
	q := `SELECT coalesce(sum(orders), 0), coalesce(sum(merchandise), 0), coalesce(sum(shipping), 0), coalesce(sum(reversed), 0),
		coalesce(sum(fee), 0), coalesce(sum(fee_refunded), 0), coalesce(sum(seller_share), 0), coalesce(sum(platform_share), 0),
		coalesce(sum(payout), 0), coalesce(sum(merchandise_reversed), 0) FROM `
	if f.CampaignID != 0 {
		args = append(args, f.CampaignID, f.SubCampaignID)
		q += `(SELECT orders, merchandise, shipping, merchandise_reversed + shipping_reversed AS reversed, fee, fee_refunded, seller_share,
			platform_share, payout, merchandise_reversed, day, status FROM campaign_days WHERE shop_id = $1 AND campaign_id = $2
			AND ($3::bigint = 0 OR sub_campaign_id = $3::bigint)) t WHERE true`
	} else {
		q += `settled_totals WHERE shop_id = $1 AND campaign_id = 0`
	}
	from, to := f.days()
	if from != "" {
		args = append(args, from)
		q += fmt.Sprintf(" AND day >= $%d::date", len(args))
	}
	if to != "" {
		args = append(args, to)
		q += fmt.Sprintf(" AND day <= $%d::date", len(args))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		q += fmt.Sprintf(" AND status = $%d", len(args))
	}
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		var m, sh, rev, fee, fr, ss, ps, pay, mr pgtype.Numeric
		if err := c.QueryRow(ctx, q, args...).Scan(&t.Orders, &m, &sh, &rev, &fee, &fr, &ss, &ps, &pay, &mr); err != nil {
			return err
		}
		t.Merchandise, t.Shipping, t.Reversed, t.Fee = pgsql.Decimal(m), pgsql.Decimal(sh), pgsql.Decimal(rev), pgsql.Decimal(fee)
		t.FeeRefunded, t.SellerShare, t.PlatformShare, t.Payout, t.MerchReversed = pgsql.Decimal(fr), pgsql.Decimal(ss), pgsql.Decimal(ps), pgsql.Decimal(pay), pgsql.Decimal(mr)
		return nil
	})
	return t, err
}

// CampaignOption is a campaign to filter by.
type CampaignOption struct {
	ID       int64
	Name     string
	Timezone string
}

// Location is the campaign's timezone (UTC when unknown).
func (o CampaignOption) Location() *time.Location {
	if loc, err := time.LoadLocation(o.Timezone); err == nil && o.Timezone != "" {
		return loc
	}
	return time.UTC
}

// SettledCampaigns lists the campaigns the shop has orders in.
func (s *Store) SettledCampaigns(ctx context.Context, shopID int64) ([]CampaignOption, error) {
	var out []CampaignOption
	err := s.db.WithContext(ctx).Raw(`SELECT c.id, c.name, c.timezone FROM campaigns c
		WHERE c.id IN (SELECT DISTINCT campaign_id FROM campaign_days WHERE shop_id = ?) AND c.status <> 'draft'
		ORDER BY c.run_starts_at DESC, c.id`, shopID).Scan(&out).Error
	return out, err
}

// CampaignSettledTotals sums one campaign's orders in one shop (the
// manage page's fee and coupon totals so far).
func (s *Store) CampaignSettledTotals(ctx context.Context, shopID, campaignID int64) (TotalsAmounts, error) {
	return s.SettledTotals(ctx, shopID, SettledFilter{CampaignID: campaignID})
}

// RegistrationCampaign is the campaign of one of the shop's registrations
// (another shop's registration is not found).
func (s *Store) RegistrationCampaign(ctx context.Context, shopID, regID int64) (CampaignOption, error) {
	var out CampaignOption
	res := s.db.WithContext(ctx).Raw(`SELECT c.id, c.name, c.timezone FROM registrations r JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.id = ? AND r.shop_id = ?`, regID, shopID).Scan(&out)
	if res.Error != nil {
		return out, res.Error
	}
	if res.RowsAffected == 0 {
		return out, models.ErrNotFound
	}
	return out, nil
}

// SubCampaignOptions lists the sub-campaigns, in order, of a campaign the
// shop has orders in (none for any other campaign).
func (s *Store) SubCampaignOptions(ctx context.Context, shopID, campaignID int64) ([]CampaignOption, error) {
	var out []CampaignOption
	// Only a campaign of the shop's orders (never a draft): the id comes
	// from the query string.
	err := s.db.WithContext(ctx).Raw(`SELECT s.id, s.name FROM sub_campaigns s JOIN campaigns c ON c.id = s.campaign_id
		WHERE s.campaign_id = ? AND c.status <> 'draft'
		  AND EXISTS (SELECT 1 FROM campaign_days d WHERE d.shop_id = ? AND d.campaign_id = s.campaign_id)
		ORDER BY s.position, s.id`, campaignID, shopID).Scan(&out).Error
	return out, err
}
