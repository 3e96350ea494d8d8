package orders

import (
	"campaignportal/models"
	"campaignportal/models/pgsql"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// OrderView is a stored order with its settlement, recomputed by the
// engine from the inputs frozen at import and the accepted events (one
// order: cheap, and always the same answer).
type OrderView struct {
	ID           int64
	OrderID      string // the marketplace's order id
	ShopID       int64
	ShopPublicID string
	CouponID     int64
	Titles       []string // product title per line
	SKUIDs       []int64  // the SKU of each line
	Events       []OrderEvent
	Settlement   Settlement
}

type orderHead struct {
	id, shopID            int64
	external, shopPublic  string
	placedAt              time.Time
	shipping              pgtype.Numeric
	couponID              *int64
	couponStatus, terms   *string
	status                string
	fee, feeRefunded      pgtype.Numeric
	payout                pgtype.Numeric
	discount, sellerShare pgtype.Numeric
}

const orderHeadSQL = `SELECT o.id, o.shop_id, o.external_id, sh.public_id, o.placed_at, o.shipping_paid, o.coupon_id,
	o.coupon_status, o.coupon_terms::text, o.status, o.fee, o.fee_refunded, o.payout, o.discount, o.seller_share
	FROM orders o JOIN shops sh ON sh.id = o.shop_id `

func scanHead(row pgx.Row) (orderHead, error) {
	var h orderHead
	err := row.Scan(&h.id, &h.shopID, &h.external, &h.shopPublic, &h.placedAt, &h.shipping, &h.couponID, &h.couponStatus,
		&h.terms, &h.status, &h.fee, &h.feeRefunded, &h.payout, &h.discount, &h.sellerShare)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, models.ErrNotFound
	}
	return h, err
}

// loadOrder reads an order's frozen inputs and events and settles them.
func loadOrder(ctx context.Context, q pgsql.Querier, h orderHead) (OrderView, SettlementInput, error) {
	v := OrderView{ID: h.id, OrderID: h.external, ShopID: h.shopID, ShopPublicID: h.shopPublic}
	all, err := loadInputs(ctx, q, []orderHead{h})
	if err != nil {
		return v, SettlementInput{}, err
	}
	oi := all[h.id]
	v.Titles, v.SKUIDs, v.CouponID, v.Events = oi.titles, oi.skuIDs, oi.couponID, oi.in.Events
	s, err := Settle(oi.in)
	if err != nil {
		return v, oi.in, fmt.Errorf("order %d no longer settles: %w", h.id, err)
	}
	v.Settlement = s
	return v, oi.in, nil
}

// orderInputs is what an order settles from, as stored.
type orderInputs struct {
	in       SettlementInput
	titles   []string // product title per line
	skuIDs   []int64  // SKU per line
	couponID int64
}

// loadInputs reads the frozen inputs and events of several orders in
// three queries.
func loadInputs(ctx context.Context, q pgsql.Querier, heads []orderHead) (map[int64]*orderInputs, error) {
	out := make(map[int64]*orderInputs, len(heads))
	ids := make([]int64, len(heads))
	for i, h := range heads {
		ids[i] = h.id
		oi := &orderInputs{in: SettlementInput{PlacedAt: h.placedAt, ShippingPaid: pgsql.Decimal(h.shipping)}}
		if h.couponID != nil && h.terms != nil {
			var c couponSnapshot
			if err := json.Unmarshal([]byte(*h.terms), &c); err != nil {
				return nil, err
			}
			oi.couponID = *h.couponID
			oi.in.Coupon = &SettleCoupon{ID: c.CouponID, CampaignID: c.CampaignID, Code: c.Code, Terms: c.Terms(),
				Taken: h.couponStatus != nil && *h.couponStatus == string(CouponApplied)}
		}
		out[h.id] = oi
	}
	rows, err := q.Query(ctx, `SELECT l.order_id, l.sku_id, s.sku_code, p.title, l.quantity, l.unit_price, l.seller_discount, l.campaign_id,
			coalesce(c.name, ''), l.registration_id, l.campaign_price, l.fee_rate, l.fee_policy, l.not_campaign, l.not_campaign_at
		FROM order_lines l JOIN skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id
		LEFT JOIN campaigns c ON c.id = l.campaign_id
		WHERE l.order_id = ANY($1) ORDER BY l.order_id, l.line_no`, ids)
	if err != nil {
		return nil, err
	}
	var (
		orderID, skuID          int64
		sku, title, name        string
		qty                     int
		unit, disc, price, rate pgtype.Numeric
		campaignID, regID       *int64
		policy, reason          *string
		reasonAt                *time.Time
	)
	if _, err := pgx.ForEachRow(rows, []any{&orderID, &skuID, &sku, &title, &qty, &unit, &disc, &campaignID, &name, &regID, &price,
		&rate, &policy, &reason, &reasonAt}, func() error {
		l := SettleLine{SKU: sku, Quantity: qty, UnitPrice: pgsql.Decimal(unit), SellerDiscount: pgsql.Decimal(disc)}
		if campaignID != nil {
			l.Campaign = LineCampaign{CampaignID: *campaignID, CampaignName: name, Rate: pgsql.Decimal(rate), Policy: models.FeeRefundPolicy(*policy),
				CampaignPrice: pgsql.Decimal(price)}
			if regID != nil {
				l.Campaign.RegistrationID = *regID
			}
		} else {
			l.Campaign = LineCampaign{Reason: NotCampaignReason(*reason), ReasonAt: reasonAt}
		}
		oi := out[orderID]
		oi.in.Lines = append(oi.in.Lines, l)
		oi.titles = append(oi.titles, title)
		oi.skuIDs = append(oi.skuIDs, skuID)
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT order_id, kind, at, lines::text FROM order_events WHERE order_id = ANY($1) ORDER BY order_id, seq`, ids)
	if err != nil {
		return nil, err
	}
	var kind, lines string
	var at time.Time
	if _, err := pgx.ForEachRow(rows, []any{&orderID, &kind, &at, &lines}, func() error {
		ev := OrderEvent{Kind: OrderEventKind(kind), At: at}
		if err := json.Unmarshal([]byte(lines), &ev.Lines); err != nil {
			return err
		}
		oi := out[orderID]
		oi.in.Events = append(oi.in.Events, ev)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) orderViewByID(ctx context.Context, id int64) (OrderView, error) {
	var v OrderView
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		h, err := scanHead(c.QueryRow(ctx, orderHeadSQL+`WHERE o.id = $1`, id))
		if err != nil {
			return err
		}
		v, _, err = loadOrder(ctx, c, h)
		return err
	})
	return v, err
}

// OrderByExternalID loads an order by the shop's public id and the
// marketplace's order id (the API's view).
func (s *Store) OrderByExternalID(ctx context.Context, shopPublicID, orderID string) (OrderView, error) {
	var v OrderView
	if !couldExist(shopPublicID, orderID) {
		return v, models.ErrNotFound
	}
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		h, err := scanHead(c.QueryRow(ctx, orderHeadSQL+`WHERE sh.public_id = $1 AND o.external_id = $2`, shopPublicID, orderID))
		if err != nil {
			return err
		}
		v, _, err = loadOrder(ctx, c, h)
		return err
	})
	return v, err
}

// SellerOrder loads one of the shop's orders by the portal's id; another
// shop's order is not found.
func (s *Store) SellerOrder(ctx context.Context, shopID, id int64) (OrderView, error) {
	var v OrderView
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		h, err := scanHead(c.QueryRow(ctx, orderHeadSQL+`WHERE o.id = $1 AND o.shop_id = $2`, id, shopID))
		if err != nil {
			return err
		}
		v, _, err = loadOrder(ctx, c, h)
		return err
	})
	return v, err
}

// AddOrderEvent accepts an event for an order, or refuses it with an
// EventError (nothing changes). The order row is locked, so events of one
// order are judged one at a time.
func (s *Store) AddOrderEvent(ctx context.Context, shopPublicID, orderID string, ev OrderEvent) (OrderView, error) {
	var v OrderView
	if !couldExist(shopPublicID, orderID) {
		return v, models.ErrNotFound
	}
	err := s.inPgxTx(ctx, func(tx pgx.Tx) error {
		h, err := scanHead(tx.QueryRow(ctx, orderHeadSQL+`WHERE sh.public_id = $1 AND o.external_id = $2 FOR UPDATE OF o`, shopPublicID, orderID))
		if err != nil {
			return err
		}
		before, in, err := loadOrder(ctx, tx, h)
		if err != nil {
			return err
		}
		in.Events = append(in.Events, ev)
		after, err := Settle(in)
		if err != nil {
			return err
		}
		lines := ev.Lines
		if lines == nil {
			lines = []ReturnLine{}
		}
		b, err := json.Marshal(lines)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, seq, kind, at, lines) VALUES ($1, $2, $3, $4, $5)`,
			h.id, len(in.Events), string(ev.Kind), ev.At, string(b)); err != nil {
			return err
		}
		r := after.Reversed
		tag, err := tx.Exec(ctx, `UPDATE orders SET status = $2, fee = $3, fee_refunded = $4, merchandise_reversed = $5,
				shipping_reversed = $6, discount_reversed = $7, seller_share_reversed = $8, platform_share_reversed = $9,
				payout = $10, last_event_at = $11, updated_at = now() WHERE id = $1`,
			h.id, string(after.Status), pgsql.Numeric(after.Fee), pgsql.Numeric(r.FeeRefunded), pgsql.Numeric(r.Merchandise), pgsql.Numeric(r.Shipping),
			pgsql.Numeric(r.Discount), pgsql.Numeric(r.SellerShare), pgsql.Numeric(r.PlatformShare), pgsql.Numeric(r.Payout), ev.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("order %d: update matched %d rows", h.id, tag.RowsAffected())
		}
		lineNos, returned := []int32{}, []int32{}
		for i, l := range after.Lines {
			if l.Returned != before.Settlement.Lines[i].Returned {
				lineNos, returned = append(lineNos, int32(i+1)), append(returned, int32(l.Returned))
			}
		}
		if len(lineNos) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE order_lines l SET returned = u.returned FROM unnest($2::smallint[], $3::int[]) AS u(line_no, returned)
				WHERE l.order_id = $1 AND l.line_no = u.line_no`, h.id, lineNos, returned); err != nil {
				return err
			}
		}
		delta := totalsDelta{}
		delta.add(h.shopID, h.placedAt, before.Settlement, -1)
		delta.add(h.shopID, h.placedAt, after, 1)
		if err := delta.flush(ctx, tx); err != nil {
			return err
		}
		places, err := orderPlacements(ctx, tx, h, before.Settlement.CampaignIDs)
		if err != nil {
			return err
		}
		rollups := newRollupDelta()
		rollups.add(h.shopID, before.SKUIDs, places, before.Settlement, -1)
		rollups.add(h.shopID, before.SKUIDs, places, after, 1)
		if err := rollups.flush(ctx, tx); err != nil {
			return err
		}
		v = before
		v.Events, v.Settlement = in.Events, after
		return nil
	})
	return v, err
}

// orderPlacements reads an order's frozen placement in each of its
// campaigns: the keys of its rollup rows (order_campaigns is read through
// its key).
func orderPlacements(ctx context.Context, q pgsql.Querier, h orderHead, campaignIDs []int64) ([]OrderPlacement, error) {
	var places []OrderPlacement
	rows, err := q.Query(ctx, `SELECT campaign_id, day, coalesce(sub_campaign_id, 0) FROM order_campaigns
		WHERE shop_id = $1 AND campaign_id = ANY($2) AND placed_at = $3 AND order_id = $4`, h.shopID, campaignIDs, h.placedAt, h.id)
	if err != nil {
		return nil, err
	}
	var p OrderPlacement
	var day time.Time
	_, err = pgx.ForEachRow(rows, []any{&p.CampaignID, &day, &p.SubCampaignID}, func() error {
		p.Day = day.Format(time.DateOnly)
		places = append(places, p)
		return nil
	})
	return places, err
}

// couldExist says whether an order could have these ids: an id no order
// can have (NUL or bytes that are not UTF-8 among them, which PostgreSQL
// refuses to compare) finds nothing without asking.
func couldExist(shopPublicID, orderID string) bool {
	if !isOrderID(orderID) || len(shopPublicID) < 4 || len(shopPublicID) > 32 {
		return false
	}
	for i := 0; i < len(shopPublicID); i++ {
		if c := shopPublicID[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
