package orders

import (
	"campaignportal/models/pgsql"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// RebuildSummary says what a rebuild of the rollups read and wrote.
type RebuildSummary struct {
	Orders  int // orders with a campaign line
	DayRows int64
	SKURows int64
}

const rebuildPage = 2000

// RebuildRollups recomputes the campaign rollups from the orders' frozen
// inputs and events, with the same engine and the same sharing out as the
// imports, in one transaction. Imports and events wait for it (the rollup
// tables are locked first): one that committed before the lock is read
// here, one that commits after adds its change on top, so none is lost or
// counted twice. Readers keep the old rollups until it commits.
func (s *Store) RebuildRollups(ctx context.Context) (RebuildSummary, error) {
	var sum RebuildSummary
	err := s.inPgxTx(ctx, func(tx pgx.Tx) error {
		var err error
		sum, err = rebuildRollups(ctx, tx)
		return err
	})
	return sum, err
}

func rebuildRollups(ctx context.Context, tx pgx.Tx) (RebuildSummary, error) {
	var sum RebuildSummary
	if _, err := tx.Exec(ctx, `LOCK TABLE campaign_days, campaign_sku_days, coupon_days IN EXCLUSIVE MODE`); err != nil {
		return sum, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM campaign_days`); err != nil {
		return sum, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM campaign_sku_days`); err != nil {
		return sum, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM coupon_days`); err != nil {
		return sum, err
	}
	delta := newRollupDelta()
	var after int64
	for {
		heads, err := campaignOrderHeads(ctx, tx, after)
		if err != nil {
			return sum, err
		}
		if len(heads) == 0 {
			break
		}
		after = heads[len(heads)-1].id
		inputs, err := loadInputs(ctx, tx, heads)
		if err != nil {
			return sum, err
		}
		settled := make([]Settlement, len(heads))
		for i, h := range heads {
			if settled[i], err = Settle(inputs[h.id].in); err != nil {
				return sum, fmt.Errorf("order %d no longer settles: %w", h.id, err)
			}
		}
		places, err := pagePlacements(ctx, tx, heads, settled)
		if err != nil {
			return sum, err
		}
		for i, h := range heads {
			delta.add(h.shopID, inputs[h.id].skuIDs, places[h.id], settled[i], 1)
		}
		sum.Orders += len(heads)
		// Bound the memory of a big rebuild: flushed rows merge.
		if len(delta.skus)+len(delta.coupons) > 50000 {
			if err := delta.flush(ctx, tx); err != nil {
				return sum, err
			}
			delta = newRollupDelta()
		}
	}
	if err := delta.flush(ctx, tx); err != nil {
		return sum, err
	}
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM campaign_days), (SELECT count(*) FROM campaign_sku_days)`).
		Scan(&sum.DayRows, &sum.SKURows); err != nil {
		return sum, err
	}
	_, err := tx.Exec(ctx, `DELETE FROM maintenance_tasks WHERE name = 'rebuild_campaign_rollups'`)
	return sum, err
}

// campaignOrderHeads pages through the orders with a campaign line.
func campaignOrderHeads(ctx context.Context, q pgsql.Querier, after int64) ([]orderHead, error) {
	rows, err := q.Query(ctx, orderHeadSQL+`WHERE o.id > $1
		AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.campaign_id IS NOT NULL)
		ORDER BY o.id LIMIT $2`, after, rebuildPage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []orderHead
	for rows.Next() {
		h, err := scanHead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// pagePlacements reads the frozen placements of a page of orders, through
// order_campaigns' key.
func pagePlacements(ctx context.Context, q pgsql.Querier, heads []orderHead, settled []Settlement) (map[int64][]OrderPlacement, error) {
	var shops, camps, orders []int64
	var placed []time.Time
	for i, h := range heads {
		for _, cid := range settled[i].CampaignIDs {
			shops, camps, orders, placed = append(shops, h.shopID), append(camps, cid), append(orders, h.id), append(placed, h.placedAt)
		}
	}
	out := map[int64][]OrderPlacement{}
	if len(orders) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT oc.order_id, oc.campaign_id, oc.day, coalesce(oc.sub_campaign_id, 0) FROM order_campaigns oc
		JOIN unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bigint[]) AS u(shop_id, campaign_id, placed_at, order_id)
		ON oc.shop_id = u.shop_id AND oc.campaign_id = u.campaign_id AND oc.placed_at = u.placed_at AND oc.order_id = u.order_id`,
		shops, camps, placed, orders)
	if err != nil {
		return nil, err
	}
	var id int64
	var p OrderPlacement
	var day time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &p.CampaignID, &day, &p.SubCampaignID}, func() error {
		p.Day = day.Format(time.DateOnly)
		out[id] = append(out[id], p)
		return nil
	})
	return out, err
}

// RunMaintenance does the work migrations leave to the binary (see
// maintenance_tasks), once: the task row is locked while it runs and
// deleted by it.
func RunMaintenance(ctx context.Context, db *sql.DB) error {
	return pgsql.WithConn(ctx, db, func(c *pgx.Conn) error {
		return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			var name string
			err := tx.QueryRow(ctx, `SELECT name FROM maintenance_tasks WHERE name = 'rebuild_campaign_rollups' FOR UPDATE`).Scan(&name)
			if err == pgx.ErrNoRows {
				return nil
			}
			if err != nil {
				return err
			}
			_, err = rebuildRollups(ctx, tx)
			return err
		})
	})
}
