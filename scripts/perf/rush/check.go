package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
)

// checkWrites compares each seller's last acknowledged writes with what
// PostgreSQL holds: the draft price of every row saved, the open price
// edit of every SKU an edit was requested for, and that every submitted
// row left the draft. It returns one line per lost write.
func checkWrites(ctx context.Context, dbURL string, ss []*seller) (lost []string, checked int, err error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, 0, err
	}
	defer conn.Close(ctx)
	prices, edits, statuses := map[int64]string{}, map[int64][]string{}, map[int64]string{}
	rows, err := conn.Query(ctx, `SELECT rs.id, coalesce(rs.campaign_price::text, ''), rp.status FROM registration_skus rs
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN shops s ON s.id = rs.shop_id WHERE s.public_id LIKE 'RUSH-%'`)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var id int64
		var price, status string
		if err := rows.Scan(&id, &price, &status); err != nil {
			return nil, 0, err
		}
		prices[id], statuses[id] = price, status
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows, err = conn.Query(ctx, `SELECT e.registration_sku_id, e.new_price::text FROM price_edit_requests e
		JOIN shops s ON s.id = e.shop_id WHERE s.public_id LIKE 'RUSH-%' AND e.status = 'under_review'`)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var id int64
		var price string
		if err := rows.Scan(&id, &price); err != nil {
			return nil, 0, err
		}
		edits[id] = append(edits[id], price)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, s := range ss {
		for id, want := range s.savedPrice {
			checked++
			if got := prices[id]; got != want {
				lost = append(lost, fmt.Sprintf("rush-%d: row %d saved at %s, the database holds %q", s.n, id, want, got))
			}
		}
		for id, want := range s.editPrice {
			checked++
			if got := edits[id]; len(got) != 1 || got[0] != want {
				lost = append(lost, fmt.Sprintf("rush-%d: SKU %d edit to %s accepted, open edits in the database %v", s.n, id, want, got))
			}
		}
		for id := range s.submitted {
			checked++
			if st := statuses[id]; st == "draft" || st == "" {
				lost = append(lost, fmt.Sprintf("rush-%d: row %d submitted, its product is %q", s.n, id, st))
			}
		}
	}
	sort.Strings(lost)
	return lost, checked, nil
}
