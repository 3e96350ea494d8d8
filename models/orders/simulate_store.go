package orders

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/pgsql"
)

// SimulatedSKU names the SKU a simulation is about.
type SimulatedSKU struct {
	ID          int64
	Code        string
	Attributes  string
	Title       string
	PID         string
	RetailPrice decimal.Decimal
}

// SimulationSetup is what the simulator page needs: the SKU, its
// registrations (the ones in force and, counted as approved from the
// simulated instant on, its draft and pending ones: "once approved") and
// the coupons of their campaigns.
type SimulationSetup struct {
	SKU   SimulatedSKU
	Input SimulationInput
	// Hypothetical are the registrations counted as approved at the
	// instant although no reviewer approved them yet.
	Hypothetical map[int64]bool
}

// SimulationSetup loads a shop's SKU for the simulator; another shop's
// SKU (or a deleted one) is not found.
func (s *Store) SimulationSetup(ctx context.Context, shopID, skuID int64, at time.Time) (SimulationSetup, error) {
	out := SimulationSetup{Hypothetical: map[int64]bool{}}
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		var retail pgtype.Numeric
		err := c.QueryRow(ctx, `SELECT s.id, s.sku_code, s.attributes, p.title, p.pid, s.retail_price
			FROM skus s JOIN products p ON p.id = s.product_id
			WHERE s.id = $1 AND s.shop_id = $2 AND s.deleted_at IS NULL`, skuID, shopID).
			Scan(&out.SKU.ID, &out.SKU.Code, &out.SKU.Attributes, &out.SKU.Title, &out.SKU.PID, &retail)
		if errors.Is(err, pgx.ErrNoRows) {
			return models.ErrNotFound
		}
		if err != nil {
			return err
		}
		out.SKU.RetailPrice = pgsql.Decimal(retail)
		regs, err := LoadSKURegistrations(ctx, c, []int64{skuID})
		if err != nil {
			return err
		}
		in := SimulationInput{At: at, SKU: out.SKU.Code, RetailPrice: out.SKU.RetailPrice, Registrations: regs[skuID],
			ExtraDiscountPct: map[int64]decimal.NullDecimal{}, Quantity: 1}
		hyp, err := hypotheticalRegistrations(ctx, c, shopID, skuID, at)
		if err != nil {
			return err
		}
		for _, r := range hyp {
			out.Hypothetical[r.RegistrationID] = true
		}
		in.Registrations = append(in.Registrations, hyp...)
		var regIDs, campaignIDs []int64
		for _, r := range in.Registrations {
			regIDs, campaignIDs = append(regIDs, r.RegistrationID), append(campaignIDs, r.CampaignID)
		}
		rows, err := c.Query(ctx, `SELECT rp.registration_id, rp.extra_discount_pct FROM registration_products rp
			JOIN skus s ON s.product_id = rp.product_id
			WHERE s.id = $1 AND rp.registration_id = ANY($2) AND rp.extra_discount_pct IS NOT NULL`, skuID, regIDs)
		if err != nil {
			return err
		}
		var regID int64
		var pct pgtype.Numeric
		if _, err := pgx.ForEachRow(rows, []any{&regID, &pct}, func() error {
			in.ExtraDiscountPct[regID] = decimal.NewNullDecimal(pgsql.Decimal(pct))
			return nil
		}); err != nil {
			return err
		}
		in.Coupons, err = campaignCoupons(ctx, c, campaignIDs)
		out.Input = in
		return err
	})
	return out, err
}

// hypotheticalRegistrations are the SKU's draft and pending registrations
// with a campaign price, as if approved at the instant.
func hypotheticalRegistrations(ctx context.Context, c *pgx.Conn, shopID, skuID int64, at time.Time) ([]SKURegistration, error) {
	rows, err := c.Query(ctx, `SELECT r.id, c.id, c.name, c.fee_rate, c.fee_refund_policy, rs.campaign_price, r.created_at,
			c.run_starts_at, c.run_ends_at
		FROM registration_skus rs
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN registrations r ON r.id = rs.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		WHERE rs.sku_id = $1 AND rs.shop_id = $2 AND rs.campaign_price IS NOT NULL AND rp.status IN ('draft', 'pending')`, skuID, shopID)
	if err != nil {
		return nil, err
	}
	var out []SKURegistration
	var r SKURegistration
	var rate, price pgtype.Numeric
	var policy string
	var run Run
	if _, err := pgx.ForEachRow(rows, []any{&r.RegistrationID, &r.CampaignID, &r.CampaignName, &rate, &policy, &price, &r.RegisteredAt,
		&run.StartsAt, &run.EndsAt}, func() error {
		x := r
		x.FeeRate, x.CampaignPrice, x.Policy = pgsql.Decimal(rate), pgsql.Decimal(price), models.FeeRefundPolicy(policy)
		approved := at
		x.ApprovedAt = &approved
		x.Runs = []Run{run}
		out = append(out, x)
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range out {
		subs, err := c.Query(ctx, `SELECT starts_at, ends_at FROM sub_campaigns WHERE campaign_id = $1 ORDER BY position`, out[i].CampaignID)
		if err != nil {
			return nil, err
		}
		var runs []Run
		if _, err := pgx.ForEachRow(subs, []any{&run.StartsAt, &run.EndsAt}, func() error { runs = append(runs, run); return nil }); err != nil {
			return nil, err
		}
		if len(runs) > 0 {
			out[i].Runs = runs
		}
	}
	return out, nil
}

// campaignCoupons are the campaigns' coupons with their terms as they are
// now (an imported order freezes them the same way).
func campaignCoupons(ctx context.Context, c *pgx.Conn, campaignIDs []int64) ([]SimCoupon, error) {
	rows, err := c.Query(ctx, `SELECT id, campaign_id, code, discount_type, value, min_purchase, cap, seller_share_pct, max_seller_funding
		FROM coupons WHERE campaign_id = ANY($1) ORDER BY campaign_id, id`, campaignIDs)
	if err != nil {
		return nil, err
	}
	var out []SimCoupon
	var sc SimCoupon
	var kind string
	var value, minPurchase, cap, seller, maxFunding pgtype.Numeric
	_, err = pgx.ForEachRow(rows, []any{&sc.ID, &sc.CampaignID, &sc.Code, &kind, &value, &minPurchase, &cap, &seller, &maxFunding}, func() error {
		x := sc
		x.Terms = models.CouponTerms{Type: models.CouponType(kind), Value: pgsql.Decimal(value), MinPurchase: pgsql.Decimal(minPurchase),
			SellerSharePct: pgsql.Decimal(seller)}
		if cap.Valid {
			x.Terms.Cap = decimal.NewNullDecimal(pgsql.Decimal(cap))
		}
		if maxFunding.Valid {
			x.Terms.MaxSellerFunding = decimal.NewNullDecimal(pgsql.Decimal(maxFunding))
		}
		out = append(out, x)
		return nil
	})
	return out, err
}
