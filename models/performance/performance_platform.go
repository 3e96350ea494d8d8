package performance

import (
	"campaignportal/models"
	"campaignportal/models/orders"
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// The platform's view of a campaign, for campaign managers: every shop's
// figures together. Money comes from campaign_days (never the orders); the
// counts of registrations, SKUs, decisions, withdrawals and coupons are
// as they stand now, whatever the range of days.

// TopShopsLimit is how many shops the top shops table lists.
const TopShopsLimit = 10

// PlatformRegistrations counts the campaign's registrations (one per
// shop) by status; drafts are not counted.
type PlatformRegistrations struct {
	Pending, Registered, Rejected, Withdrawn int64
}

// Submitted is every registration sent in, whatever became of it.
func (r PlatformRegistrations) Submitted() int64 {
	return r.Pending + r.Registered + r.Rejected + r.Withdrawn
}

// PlatformWithdrawals counts withdrawals by kind. Each withdrawal is one
// product (a campaign withdrawal records every product it took out), so
// CampaignShops also counts the shops that left the whole campaign.
type PlatformWithdrawals struct {
	Product, Campaign, Discount, SKUError int64
	CampaignShops                         int64
}

// Products is the products taken out of the campaign (an extra discount
// withdrawn leaves its product in).
func (w PlatformWithdrawals) Products() int64 { return w.Product + w.Campaign + w.SKUError }

// PlatformShop is one shop's figures in the campaign.
type PlatformShop struct {
	ShopID   int64
	Name     string
	PublicID string
	Figures  PerfFigures
}

// PlatformPerf is the platform's view of a campaign over a range of days
// in the campaign's timezone.
type PlatformPerf struct {
	Campaign PerfCampaign
	Status   models.CampaignStatus
	// Opens and Deadline are the registration window, for the campaign's
	// state (models.Campaign.PhaseAt).
	Opens, Deadline time.Time
	From, To        time.Time // the range shown, dates (midnight UTC)
	Registrations   PlatformRegistrations
	SKUs            int64 // SKUs of products registered or in SKU error
	Approvals       int64 // reviewers' decisions
	Rejections      int64
	Withdrawals     PlatformWithdrawals
	Figures         PerfFigures           // every shop's orders in the range
	Days            []PerfDay             // every day of the range, empty ones too
	Coupons         []models.Coupon       // the campaign's coupons with their claims so far, by code
	CouponDays      map[int64][]CouponDay // every shop's claims by coupon and day (budget.go)
	TopShops        []PlatformShop
}

// CouponsClaimed and CouponsIssued add up the campaign's coupons.
func (p PlatformPerf) CouponsClaimed() (claimed, issued int64) {
	for _, c := range p.Coupons {
		claimed += int64(c.ClaimedQuantity)
		issued += int64(c.TotalQuantity)
	}
	return claimed, issued
}

// CouponsClaimedRate is the coupons claimed over those issued, in percent
// with one decimal.
func (p PlatformPerf) CouponsClaimedRate() decimal.Decimal { return ratePercent(p.CouponsClaimed()) }

// CampaignPlatform reads the platform's view of a campaign for the days
// [from, to] (dates in the campaign's timezone; zero: the run's first or
// last day). An unknown campaign is ErrNotFound.
func (s *Store) CampaignPlatform(ctx context.Context, campaignID int64, from, to time.Time) (PlatformPerf, error) {
	var out PlatformPerf
	err := s.withPgx(ctx, func(conn *pgx.Conn) error {
		c := &out.Campaign
		err := conn.QueryRow(ctx, `SELECT id, name, timezone, run_starts_at, run_ends_at, status,
				registration_opens_at, registration_deadline FROM campaigns WHERE id = $1`, campaignID).
			Scan(&c.ID, &c.Name, &c.Timezone, &c.RunStartsAt, &c.RunEndsAt, &out.Status, &out.Opens, &out.Deadline)
		if err == pgx.ErrNoRows {
			return models.ErrNotFound
		}
		if err != nil {
			return err
		}
		out.From, out.To = clampRange(out.Campaign, from, to)
		if err := platformCounts(ctx, conn, campaignID, &out); err != nil {
			return err
		}
		fromS, toS := out.From.Format(time.DateOnly), out.To.Format(time.DateOnly)
		days, err := perfDays(ctx, conn, `campaign_id = $1`, []any{campaignID}, fromS, toS)
		if err != nil {
			return err
		}
		out.Days = fillDays(days, out.From, out.To)
		for _, d := range out.Days {
			out.Figures = out.Figures.Add(d.Figures)
		}
		out.TopShops, err = platformTopShops(ctx, conn, campaignID, fromS, toS)
		if err != nil {
			return err
		}
		return platformCoupons(ctx, conn, campaignID, &out)
	})
	return out, err
}

// platformCounts reads the registrations, SKUs, decisions and withdrawals
// of a campaign in one round trip.
func platformCounts(ctx context.Context, conn *pgx.Conn, campaignID int64, out *PlatformPerf) error {
	r, w := &out.Registrations, &out.Withdrawals
	return conn.QueryRow(ctx, `SELECT
			(SELECT count(*) FILTER (WHERE status = 'pending') FROM registrations WHERE campaign_id = $1),
			(SELECT count(*) FILTER (WHERE status = 'registered') FROM registrations WHERE campaign_id = $1),
			(SELECT count(*) FILTER (WHERE status = 'rejected') FROM registrations WHERE campaign_id = $1),
			(SELECT count(*) FILTER (WHERE status = 'withdrawn') FROM registrations WHERE campaign_id = $1),
			(SELECT count(*) FROM registration_skus rs
				JOIN registration_products rp ON rp.id = rs.registration_product_id
				JOIN registrations r ON r.id = rp.registration_id
				WHERE r.campaign_id = $1 AND rp.status IN ('registered', 'sku_error') AND rs.rejected_at IS NULL),
			(SELECT count(*) FILTER (WHERE d.decision = 'approved') FROM review_decisions d
				JOIN registrations r ON r.id = d.registration_id WHERE r.campaign_id = $1),
			(SELECT count(*) FILTER (WHERE d.decision = 'rejected') FROM review_decisions d
				JOIN registrations r ON r.id = d.registration_id WHERE r.campaign_id = $1),
			w.product, w.campaign, w.discount, w.sku_error, w.campaign_shops
		FROM (SELECT count(*) FILTER (WHERE kind = 'product') AS product,
				count(*) FILTER (WHERE kind = 'campaign') AS campaign,
				count(*) FILTER (WHERE kind = 'discount') AS discount,
				count(*) FILTER (WHERE kind = 'sku_error') AS sku_error,
				count(DISTINCT w.registration_id) FILTER (WHERE kind = 'campaign') AS campaign_shops
			FROM withdrawals w JOIN registrations r ON r.id = w.registration_id WHERE r.campaign_id = $1) w`, campaignID).
		Scan(&r.Pending, &r.Registered, &r.Rejected, &r.Withdrawn, &out.SKUs, &out.Approvals, &out.Rejections,
			&w.Product, &w.Campaign, &w.Discount, &w.SKUError, &w.CampaignShops)
}

// platformTopShops lists the shops with the most sales in the range, with
// their figures; ties go to the older shop.
func platformTopShops(ctx context.Context, conn *pgx.Conn, campaignID int64, from, to string) ([]PlatformShop, error) {
	rows, err := conn.Query(ctx, `WITH top AS (
			SELECT shop_id, sum(merchandise - merchandise_reversed) AS sales FROM campaign_days
			WHERE campaign_id = $1 AND day >= $2::date AND day <= $3::date
			GROUP BY shop_id ORDER BY sales DESC, shop_id LIMIT $4)
		SELECT d.shop_id, s.name, s.public_id, d.status, `+dayRowCols+`
		FROM campaign_days d JOIN top t ON t.shop_id = d.shop_id JOIN shops s ON s.id = d.shop_id
		WHERE d.campaign_id = $1 AND d.day >= $2::date AND d.day <= $3::date
		GROUP BY d.shop_id, s.name, s.public_id, t.sales, d.status
		ORDER BY t.sales DESC, d.shop_id`, campaignID, from, to, TopShopsLimit)
	if err != nil {
		return nil, err
	}
	var out []PlatformShop
	var shop PlatformShop
	var st string
	var a orders.CampaignDayAmounts
	var nums [9]pgtype.Numeric
	_, err = pgx.ForEachRow(rows, append([]any{&shop.ShopID, &shop.Name, &shop.PublicID, &st}, dayAmountTargets(&a, &nums)...), func() error {
		fillDayAmounts(&a, &nums)
		if len(out) == 0 || out[len(out)-1].ShopID != shop.ShopID {
			out = append(out, PlatformShop{ShopID: shop.ShopID, Name: shop.Name, PublicID: shop.PublicID})
		}
		out[len(out)-1].Figures.addRow(orders.OrderStatus(st), a)
		return nil
	})
	return out, err
}
