package performance

import (
	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/models/pgsql"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// Campaign performance: Manage your campaigns (a shop's year over every
// campaign it joined), View data (one campaign's analytics) and the
// platform's view of a campaign. Every figure is read from the rollups
// (campaign_days, campaign_sku_days, settled_totals), never from the
// orders, and means what Settled records means by it.

// PerfFigures are the sums over a set of a campaign's orders.
type PerfFigures struct {
	Orders        int64 // every order placed, cancelled ones included
	Cancelled     int64 // orders cancelled
	WithReturns   int64 // orders with a return (partly or wholly returned)
	Units         int64 // units kept: not returned, not cancelled
	Merchandise   decimal.Decimal
	MerchReversed decimal.Decimal
	FeeCharged    decimal.Decimal
	FeeRefunded   decimal.Decimal
	SellerShare   decimal.Decimal // the shop's coupon cost, net of reversals
	PlatformShare decimal.Decimal // the platform's coupon subsidy, net of reversals
	Payout        decimal.Decimal
}

// Sales: merchandise after seller discounts, net of returns and
// cancellations.
func (f PerfFigures) Sales() decimal.Decimal { return f.Merchandise.Sub(f.MerchReversed) }

// Fee is the campaign service fee net of refunds.
func (f PerfFigures) Fee() decimal.Decimal { return f.FeeCharged.Sub(f.FeeRefunded) }

// Cost is what the campaign cost the shop: fee plus coupon cost.
func (f PerfFigures) Cost() decimal.Decimal { return f.Fee().Add(f.SellerShare) }

// Kept is the number of orders not cancelled.
func (f PerfFigures) Kept() int64 { return f.Orders - f.Cancelled }

// AverageOrder is sales per order not cancelled, rounded half up to the
// cent (zero without such orders).
func (f PerfFigures) AverageOrder() decimal.Decimal {
	if f.Kept() <= 0 {
		return decimal.Zero
	}
	return models.RoundCents(f.Sales().DivRound(decimal.NewFromInt(f.Kept()), 8))
}

// CancellationRate is cancelled orders over orders placed, in percent
// with one decimal.
func (f PerfFigures) CancellationRate() decimal.Decimal { return ratePercent(f.Cancelled, f.Orders) }

// ReturnRate is orders with a return over orders not cancelled, in
// percent with one decimal.
func (f PerfFigures) ReturnRate() decimal.Decimal { return ratePercent(f.WithReturns, f.Kept()) }

func ratePercent(n, of int64) decimal.Decimal {
	if of <= 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(n*100).DivRound(decimal.NewFromInt(of), 1)
}

// addRow adds a rollup row of orders with one status.
func (f *PerfFigures) addRow(status orders.OrderStatus, a orders.CampaignDayAmounts) {
	g := PerfFigures{Orders: a.Orders, Units: a.Units, Merchandise: a.Merchandise, MerchReversed: a.MerchandiseReversed,
		FeeCharged: a.Fee, FeeRefunded: a.FeeRefunded, SellerShare: a.SellerShare, PlatformShare: a.PlatformShare, Payout: a.Payout}
	switch status {
	case orders.OrderCancelled:
		g.Cancelled = a.Orders
	case orders.OrderPartiallyReturned, orders.OrderReturned:
		g.WithReturns = a.Orders
	}
	*f = f.Add(g)
}

// Add sums two sets of figures.
func (f PerfFigures) Add(g PerfFigures) PerfFigures {
	f.Orders += g.Orders
	f.Cancelled += g.Cancelled
	f.WithReturns += g.WithReturns
	f.Units += g.Units
	f.Merchandise = f.Merchandise.Add(g.Merchandise)
	f.MerchReversed = f.MerchReversed.Add(g.MerchReversed)
	f.FeeCharged = f.FeeCharged.Add(g.FeeCharged)
	f.FeeRefunded = f.FeeRefunded.Add(g.FeeRefunded)
	f.SellerShare = f.SellerShare.Add(g.SellerShare)
	f.PlatformShare = f.PlatformShare.Add(g.PlatformShare)
	f.Payout = f.Payout.Add(g.Payout)
	return f
}

// dayRowCols are the summed columns of campaign_days a query reads after
// its grouping columns, scanned through dayAmountTargets.
const dayRowCols = `sum(orders), sum(units), sum(merchandise), sum(merchandise_reversed), sum(shipping), sum(shipping_reversed),
	sum(fee), sum(fee_refunded), sum(seller_share), sum(platform_share), sum(payout)`

func dayAmountTargets(a *orders.CampaignDayAmounts, n *[9]pgtype.Numeric) []any {
	return []any{&a.Orders, &a.Units, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8]}
}

func fillDayAmounts(a *orders.CampaignDayAmounts, n *[9]pgtype.Numeric) {
	a.Merchandise, a.MerchandiseReversed, a.Shipping, a.ShippingReversed = pgsql.Decimal(n[0]), pgsql.Decimal(n[1]), pgsql.Decimal(n[2]), pgsql.Decimal(n[3])
	a.Fee, a.FeeRefunded, a.SellerShare, a.PlatformShare, a.Payout = pgsql.Decimal(n[4]), pgsql.Decimal(n[5]), pgsql.Decimal(n[6]), pgsql.Decimal(n[7]), pgsql.Decimal(n[8])
}

// YearCampaign is one row of Manage your campaigns.
type YearCampaign struct {
	CampaignID     int64
	Name           string
	Timezone       string
	RunStartsAt    time.Time
	RunEndsAt      time.Time
	RegistrationID int64  // 0: the shop has only orders in it
	Registration   string // the registration's status ("" without one)
	Figures        PerfFigures
}

// ShopYear is the shop's performance in the campaigns of one year: the
// orders placed in that year (each campaign's calendar) with a line in
// the campaign.
type ShopYear struct {
	Year      int
	Years     []int // years with campaigns or orders, newest first
	Campaigns []YearCampaign
	// Total counts each order once, in its first campaign; Previous is the
	// same for the year before.
	Total, Previous PerfFigures
}

// ShopYearPerformance reads Manage your campaigns for a year. The
// campaigns listed are those whose run overlaps the year and that the
// shop submitted a registration to, and those it has orders in that year.
func (s *Store) ShopYearPerformance(ctx context.Context, shopID int64, year int) (ShopYear, error) {
	out := ShopYear{Year: year}
	from := fmt.Sprintf("%04d-01-01", year-1)
	to := fmt.Sprintf("%04d-01-01", year+1)
	byCampaign := map[int64]*YearCampaign{}
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT campaign_id, extract(year FROM day)::int, lead, status, `+dayRowCols+`
			FROM campaign_days WHERE shop_id = $1 AND day >= $2::date AND day < $3::date GROUP BY 1, 2, 3, 4`, shopID, from, to)
		if err != nil {
			return err
		}
		var cid int64
		var y int
		var lead bool
		var st string
		var a orders.CampaignDayAmounts
		var n [9]pgtype.Numeric
		if _, err := pgx.ForEachRow(rows, append([]any{&cid, &y, &lead, &st}, dayAmountTargets(&a, &n)...), func() error {
			fillDayAmounts(&a, &n)
			if y == year {
				yc := byCampaign[cid]
				if yc == nil {
					yc = &YearCampaign{CampaignID: cid}
					byCampaign[cid] = yc
				}
				yc.Figures.addRow(orders.OrderStatus(st), a)
				if lead {
					out.Total.addRow(orders.OrderStatus(st), a)
				}
			} else if lead {
				out.Previous.addRow(orders.OrderStatus(st), a)
			}
			return nil
		}); err != nil {
			return err
		}
		// The campaigns of the year: registered ones whose run overlaps
		// it, and those with orders.
		ids := make([]int64, 0, len(byCampaign))
		for id := range byCampaign {
			ids = append(ids, id)
		}
		rows, err = c.Query(ctx, `SELECT c.id, c.name, c.timezone, c.run_starts_at, c.run_ends_at, coalesce(r.id, 0), coalesce(r.status, '')
			FROM campaigns c LEFT JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $1
			WHERE c.id = ANY($2) OR (r.id IS NOT NULL AND r.submitted_at IS NOT NULL
				AND (c.run_starts_at AT TIME ZONE c.timezone) < make_date($3 + 1, 1, 1)
				AND (c.run_ends_at AT TIME ZONE c.timezone) > make_date($3, 1, 1))`, shopID, ids, year)
		if err != nil {
			return err
		}
		var yc YearCampaign
		if _, err := pgx.ForEachRow(rows, []any{&yc.CampaignID, &yc.Name, &yc.Timezone, &yc.RunStartsAt, &yc.RunEndsAt,
			&yc.RegistrationID, &yc.Registration}, func() error {
			row := yc
			if got := byCampaign[yc.CampaignID]; got != nil {
				row.Figures = got.Figures
			}
			out.Campaigns = append(out.Campaigns, row)
			return nil
		}); err != nil {
			return err
		}
		// Years to choose from: with orders or a registered run.
		rows, err = c.Query(ctx, `SELECT DISTINCT y FROM (
				SELECT extract(year FROM day)::int AS y FROM campaign_days WHERE shop_id = $1
				UNION SELECT extract(year FROM c.run_starts_at AT TIME ZONE c.timezone)::int FROM registrations r
					JOIN campaigns c ON c.id = r.campaign_id WHERE r.shop_id = $1 AND r.submitted_at IS NOT NULL) ys ORDER BY y DESC`, shopID)
		if err != nil {
			return err
		}
		_, err = pgx.ForEachRow(rows, []any{&y}, func() error { out.Years = append(out.Years, y); return nil })
		return err
	})
	sort.Slice(out.Campaigns, func(i, j int) bool {
		a, b := out.Campaigns[i], out.Campaigns[j]
		if !a.RunStartsAt.Equal(b.RunStartsAt) {
			return a.RunStartsAt.After(b.RunStartsAt)
		}
		return a.CampaignID < b.CampaignID
	})
	return out, err
}

// PerfDay is one calendar day (in the campaign's timezone).
type PerfDay struct {
	Day     time.Time // midnight UTC of the date
	Figures PerfFigures
}

// PerfSub is one sub-campaign's share of the orders.
type PerfSub struct {
	ID      int64 // 0: placed outside every sub-campaign's run
	Name    string
	Figures PerfFigures
}

// PerfSKU is one SKU's lines in a campaign's orders.
type PerfSKU struct {
	SKUID          int64
	SKUCode        string
	ProductID      int64
	ProductTitle   string
	PID            string
	CampaignLine   bool // sold in this campaign (false: bought in the same orders)
	Orders         int64
	Units          int64
	UnitsReturned  int64
	UnitsCancelled int64
	Sales          decimal.Decimal
	Fee            decimal.Decimal
	SellerShare    decimal.Decimal
	PlatformShare  decimal.Decimal
	CampaignStock  int64 // registered campaign stock (0: none)
}

// SoldThrough is units sold (kept) over the registered campaign stock, in
// percent with one decimal; ok is false without campaign stock.
func (p PerfSKU) SoldThrough() (decimal.Decimal, bool) {
	if p.CampaignStock <= 0 {
		return decimal.Zero, false
	}
	return ratePercent(p.Units, p.CampaignStock), true
}

// PerfCampaign is a campaign as the performance pages show it.
type PerfCampaign struct {
	ID             int64
	Name           string
	Timezone       string
	RunStartsAt    time.Time
	RunEndsAt      time.Time
	RegistrationID int64
}

// Location is the campaign's timezone.
func (c PerfCampaign) Location() *time.Location {
	return orders.CampaignOption{Timezone: c.Timezone}.Location()
}

// RunDays are the first and last calendar days of the run.
func (c PerfCampaign) RunDays() (time.Time, time.Time) {
	loc := c.Location()
	return dateOf(c.RunStartsAt.In(loc)), dateOf(c.RunEndsAt.Add(-time.Nanosecond).In(loc))
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Uplift compares the shop's orders during a range of days with the same
// number of days just before it: every order of the shop, campaign or not,
// UTC days as on Settled records without a campaign filter.
type Uplift struct {
	Days                 int
	From, To             time.Time // the range compared
	BeforeFrom, BeforeTo time.Time
	During, Before       orders.TotalsAmounts
}

// ExtraSales is the sales during the range above those before it.
func (u Uplift) ExtraSales() decimal.Decimal { return u.During.Sales().Sub(u.Before.Sales()) }

// CampaignPerf is View data: one campaign's analytics for a shop over a
// range of days in the campaign's timezone.
type CampaignPerf struct {
	Campaign PerfCampaign
	From, To time.Time // the range shown, dates (midnight UTC)
	Figures  PerfFigures
	Days     []PerfDay // every day of the range, empty ones too
	Subs     []PerfSub
	SKUs     []PerfSKU
	Uplift   Uplift
}

// MaxPerfDays bounds a range of days on the performance pages.
const MaxPerfDays = 400

// ShopCampaign finds a campaign the shop registered to or has orders in
// (another campaign is not found).
func (s *Store) ShopCampaign(ctx context.Context, shopID, campaignID int64) (PerfCampaign, error) {
	var c PerfCampaign
	err := s.withPgx(ctx, func(conn *pgx.Conn) error {
		err := conn.QueryRow(ctx, `SELECT c.id, c.name, c.timezone, c.run_starts_at, c.run_ends_at, coalesce(r.id, 0)
			FROM campaigns c LEFT JOIN registrations r ON r.campaign_id = c.id AND r.shop_id = $1
			WHERE c.id = $2 AND ((r.id IS NOT NULL AND r.submitted_at IS NOT NULL)
				OR EXISTS (SELECT 1 FROM campaign_days d WHERE d.shop_id = $1 AND d.campaign_id = c.id))`, shopID, campaignID).
			Scan(&c.ID, &c.Name, &c.Timezone, &c.RunStartsAt, &c.RunEndsAt, &c.RegistrationID)
		if err == pgx.ErrNoRows {
			return models.ErrNotFound
		}
		return err
	})
	return c, err
}

// CampaignPerformance reads View data for the days [from, to] (dates in
// the campaign's timezone; zero: the run's first or last day).
func (s *Store) CampaignPerformance(ctx context.Context, shopID int64, c PerfCampaign, from, to time.Time) (CampaignPerf, error) {
	out := CampaignPerf{Campaign: c}
	out.From, out.To = clampRange(c, from, to)
	fromS, toS := out.From.Format(time.DateOnly), out.To.Format(time.DateOnly)
	err := s.withPgx(ctx, func(conn *pgx.Conn) error {
		days, err := perfDays(ctx, conn, `shop_id = $1 AND campaign_id = $2`, []any{shopID, c.ID}, fromS, toS)
		if err != nil {
			return err
		}
		out.Days = fillDays(days, out.From, out.To)
		for _, d := range out.Days {
			out.Figures = out.Figures.Add(d.Figures)
		}
		if out.Subs, err = perfSubs(ctx, conn, shopID, c.ID, fromS, toS); err != nil {
			return err
		}
		if out.SKUs, err = perfSKUs(ctx, conn, shopID, c, fromS, toS); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	n := int(out.To.Sub(out.From).Hours()/24) + 1
	u := Uplift{Days: n, From: out.From, To: out.To, BeforeFrom: out.From.AddDate(0, 0, -n), BeforeTo: out.From.AddDate(0, 0, -1)}
	if u.During, err = s.orders.SettledTotals(ctx, shopID, orders.SettledFilter{From: u.From, To: u.To}); err != nil {
		return out, err
	}
	if u.Before, err = s.orders.SettledTotals(ctx, shopID, orders.SettledFilter{From: u.BeforeFrom, To: u.BeforeTo}); err != nil {
		return out, err
	}
	out.Uplift = u
	return out, nil
}

// clampRange keeps a range within MaxPerfDays and in order; open ends are
// the run's days.
func clampRange(c PerfCampaign, from, to time.Time) (time.Time, time.Time) {
	runFrom, runTo := c.RunDays()
	if from.IsZero() {
		from = runFrom
	}
	if to.IsZero() {
		to = runTo
	}
	from, to = dateOf(from), dateOf(to)
	if to.Before(from) {
		from, to = to, from
	}
	if to.Sub(from) > time.Duration(MaxPerfDays-1)*24*time.Hour {
		to = from.AddDate(0, 0, MaxPerfDays-1)
	}
	return from, to
}

// perfDays sums campaign_days by day and status under a condition.
func perfDays(ctx context.Context, conn *pgx.Conn, cond string, args []any, from, to string) (map[string]*PerfFigures, error) {
	n := len(args)
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT day, status, %s FROM campaign_days WHERE %s AND day >= $%d::date AND day <= $%d::date
		GROUP BY 1, 2`, dayRowCols, cond, n+1, n+2), append(args, from, to)...)
	if err != nil {
		return nil, err
	}
	out := map[string]*PerfFigures{}
	var day time.Time
	var st string
	var a orders.CampaignDayAmounts
	var nums [9]pgtype.Numeric
	_, err = pgx.ForEachRow(rows, append([]any{&day, &st}, dayAmountTargets(&a, &nums)...), func() error {
		fillDayAmounts(&a, &nums)
		k := day.Format(time.DateOnly)
		f := out[k]
		if f == nil {
			f = &PerfFigures{}
			out[k] = f
		}
		f.addRow(orders.OrderStatus(st), a)
		return nil
	})
	return out, err
}

// fillDays lists every day of [from, to], zero on days without orders.
func fillDays(m map[string]*PerfFigures, from, to time.Time) []PerfDay {
	var out []PerfDay
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		pd := PerfDay{Day: d}
		if f := m[d.Format(time.DateOnly)]; f != nil {
			pd.Figures = *f
		}
		out = append(out, pd)
	}
	return out
}

func perfSubs(ctx context.Context, conn *pgx.Conn, shopID, campaignID int64, from, to string) ([]PerfSub, error) {
	var out []PerfSub
	rows, err := conn.Query(ctx, `SELECT id, name FROM sub_campaigns WHERE campaign_id = $1 ORDER BY position, id`, campaignID)
	if err != nil {
		return nil, err
	}
	var sub PerfSub
	if _, err := pgx.ForEachRow(rows, []any{&sub.ID, &sub.Name}, func() error { out = append(out, sub); return nil }); err != nil {
		return nil, err
	}
	rows, err = conn.Query(ctx, `SELECT sub_campaign_id, status, `+dayRowCols+` FROM campaign_days
		WHERE shop_id = $1 AND campaign_id = $2 AND day >= $3::date AND day <= $4::date GROUP BY 1, 2`, shopID, campaignID, from, to)
	if err != nil {
		return nil, err
	}
	var id int64
	var st string
	var a orders.CampaignDayAmounts
	var nums [9]pgtype.Numeric
	_, err = pgx.ForEachRow(rows, append([]any{&id, &st}, dayAmountTargets(&a, &nums)...), func() error {
		fillDayAmounts(&a, &nums)
		for i := range out {
			if out[i].ID == id {
				out[i].Figures.addRow(orders.OrderStatus(st), a)
				return nil
			}
		}
		out = append(out, PerfSub{ID: id, Name: "Outside the sub-campaigns' runs"})
		out[len(out)-1].Figures.addRow(orders.OrderStatus(st), a)
		return nil
	})
	return out, err
}

func perfSKUs(ctx context.Context, conn *pgx.Conn, shopID int64, c PerfCampaign, from, to string) ([]PerfSKU, error) {
	rows, err := conn.Query(ctx, `SELECT d.sku_id, s.sku_code, p.id, p.title, p.pid, d.campaign_line, sum(d.orders), sum(d.units),
			sum(d.units_returned), sum(d.units_cancelled), sum(d.sales), sum(d.fee), sum(d.seller_share), sum(d.platform_share),
			coalesce((SELECT rs.campaign_stock FROM registration_skus rs WHERE rs.registration_id = $5 AND rs.sku_id = d.sku_id), 0)
		FROM campaign_sku_days d JOIN skus s ON s.id = d.sku_id JOIN products p ON p.id = s.product_id
		WHERE d.shop_id = $1 AND d.campaign_id = $2 AND d.day >= $3::date AND d.day <= $4::date
		GROUP BY d.sku_id, s.sku_code, p.id, p.title, p.pid, d.campaign_line
		ORDER BY d.campaign_line DESC, sum(d.sales) DESC, d.sku_id`, shopID, c.ID, from, to, c.RegistrationID)
	if err != nil {
		return nil, err
	}
	var out []PerfSKU
	var r PerfSKU
	var sales, fee, ss, ps pgtype.Numeric
	var stock *int64
	_, err = pgx.ForEachRow(rows, []any{&r.SKUID, &r.SKUCode, &r.ProductID, &r.ProductTitle, &r.PID, &r.CampaignLine, &r.Orders, &r.Units,
		&r.UnitsReturned, &r.UnitsCancelled, &sales, &fee, &ss, &ps, &stock}, func() error {
		row := r
		row.Sales, row.Fee, row.SellerShare, row.PlatformShare = pgsql.Decimal(sales), pgsql.Decimal(fee), pgsql.Decimal(ss), pgsql.Decimal(ps)
		if stock != nil {
			row.CampaignStock = *stock
		}
		out = append(out, row)
		return nil
	})
	return out, err
}
