package performance

import (
	"campaignportal/models"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Co-funding budgets on the platform's view of a campaign: each coupon the
// platform pays a share of, day by day over its run (every shop's claims,
// from coupon_days), against the platform budget the manager set, with a
// forecast of the day it runs out. The budget is a monitor, not a cap:
// claims go on once it is spent, and the page says so.

// ForecastDays is how many of the last complete days the forecast's daily
// pace is the mean of.
const ForecastDays = 7

// CouponDay is one day of a coupon's claims, every shop's together.
type CouponDay struct {
	Day           time.Time // a date (midnight UTC) in the campaign's timezone
	Claims        int64
	Capped        int64
	Discount      decimal.Decimal // net of reversals, like both shares
	SellerShare   decimal.Decimal
	PlatformShare decimal.Decimal
}

// BurnDay is a day of the burn-down: the day's figures and the budget
// left at its end (negative: overspent).
type BurnDay struct {
	CouponDay
	Left decimal.Decimal
}

// ForecastKind says what the forecast could tell.
type ForecastKind string

const (
	ForecastNoBudget   ForecastKind = "no_budget"   // no budget set
	ForecastNotStarted ForecastKind = "not_started" // the run has not begun
	ForecastTooEarly   ForecastKind = "too_early"   // no complete day of the run yet
	ForecastSpent      ForecastKind = "spent"       // Day: the day it ran out
	ForecastRunsOut    ForecastKind = "runs_out"    // Day: the day it will run out, at the pace
	ForecastLasts      ForecastKind = "lasts"       // it will not run out before the run ends; LeftAtEnd
	ForecastNoSpend    ForecastKind = "no_spend"    // nothing spent over the pace's days
	ForecastEnded      ForecastKind = "ended"       // the run is over with LeftAtEnd left
)

// BudgetForecast is when a coupon's budget runs out at the pace of the
// last complete days: DailyPace is the mean platform share of the last
// PaceDays complete days of the run (at most ForecastDays, before today),
// and the budget left at the end of yesterday lasts ceil(left ÷ pace)
// more days.
type BudgetForecast struct {
	Kind      ForecastKind
	Day       time.Time
	DailyPace decimal.Decimal // rounded to the cent, for showing
	PaceDays  int
	LeftAtEnd decimal.Decimal
	RunEnds   time.Time // the run's last day
}

// CouponBurn is one coupon's burn-down.
type CouponBurn struct {
	Coupon        models.Coupon
	Days          []BurnDay // every day of the run up to today (or its last day), empty ones too
	Claims        int64
	Capped        int64
	Discount      decimal.Decimal
	PlatformShare decimal.Decimal
	Left          decimal.Decimal // budget − platform share so far
	Forecast      BudgetForecast
}

// Exhausted reports whether the coupon's budget is spent.
func (b CouponBurn) Exhausted() bool { return b.Coupon.PlatformBudget.Valid && !b.Left.IsPositive() }

// BurnDown works a coupon's burn-down out of its days (any order) for a
// run of [runFrom, runTo] (dates), today being the date in the campaign's
// timezone.
func BurnDown(c models.Coupon, days []CouponDay, runFrom, runTo, today time.Time) CouponBurn {
	b := CouponBurn{Coupon: c}
	byDay := map[time.Time]CouponDay{}
	last := today
	if last.After(runTo) {
		last = runTo
	}
	for _, d := range days {
		cur := byDay[d.Day]
		cur.Day = d.Day
		cur.Claims += d.Claims
		cur.Capped += d.Capped
		cur.Discount = cur.Discount.Add(d.Discount)
		cur.SellerShare = cur.SellerShare.Add(d.SellerShare)
		cur.PlatformShare = cur.PlatformShare.Add(d.PlatformShare)
		byDay[d.Day] = cur
		if d.Day.After(last) {
			last = d.Day
		}
	}
	first := runFrom
	for d := range byDay {
		if d.Before(first) {
			first = d
		}
	}
	budget := c.PlatformBudget.Decimal
	spent := decimal.Zero
	var spentOn time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		cd := byDay[d]
		cd.Day = d
		spent = spent.Add(cd.PlatformShare)
		b.Claims += cd.Claims
		b.Capped += cd.Capped
		b.Discount = b.Discount.Add(cd.Discount)
		b.Days = append(b.Days, BurnDay{CouponDay: cd, Left: budget.Sub(spent)})
		if c.PlatformBudget.Valid && spentOn.IsZero() && !budget.Sub(spent).IsPositive() {
			spentOn = d
		}
	}
	b.PlatformShare = spent
	b.Left = budget.Sub(spent)
	b.Forecast = forecast(c, b.Days, spentOn, runFrom, runTo, today)
	return b
}

func forecast(c models.Coupon, days []BurnDay, spentOn, runFrom, runTo, today time.Time) BudgetForecast {
	f := BudgetForecast{RunEnds: runTo}
	budget := c.PlatformBudget.Decimal
	switch {
	case !c.PlatformBudget.Valid:
		f.Kind = ForecastNoBudget
		return f
	case !spentOn.IsZero():
		f.Kind, f.Day = ForecastSpent, spentOn
		return f
	case today.After(runTo):
		f.Kind = ForecastEnded
		f.LeftAtEnd = budget
		if len(days) > 0 {
			f.LeftAtEnd = days[len(days)-1].Left
		}
		return f
	case today.Before(runFrom):
		f.Kind = ForecastNotStarted
		return f
	}
	// The complete days of the run before today, the last ForecastDays.
	var complete []BurnDay
	leftYesterday := budget
	for _, d := range days {
		if d.Day.Before(today) {
			leftYesterday = d.Left
			if !d.Day.Before(runFrom) {
				complete = append(complete, d)
			}
		}
	}
	if len(complete) == 0 {
		f.Kind = ForecastTooEarly
		return f
	}
	if len(complete) > ForecastDays {
		complete = complete[len(complete)-ForecastDays:]
	}
	sum := decimal.Zero
	for _, d := range complete {
		sum = sum.Add(d.PlatformShare)
	}
	n := decimal.NewFromInt(int64(len(complete)))
	f.PaceDays = len(complete)
	f.DailyPace = models.RoundCents(sum.DivRound(n, 8))
	yesterday := today.AddDate(0, 0, -1)
	daysLeftInRun := int64(runTo.Sub(yesterday).Hours()/24 + 0.5) // today through the run's last day
	if !sum.IsPositive() {
		f.Kind, f.LeftAtEnd = ForecastNoSpend, leftYesterday
		return f
	}
	// Days the budget lasts: ceil(left × n ÷ sum), multiplied first and
	// divided once.
	need := leftYesterday.Mul(n).Div(sum).Ceil()
	if need.GreaterThan(decimal.NewFromInt(daysLeftInRun)) {
		f.Kind = ForecastLasts
		f.LeftAtEnd = models.RoundCents(leftYesterday.Sub(sum.Mul(decimal.NewFromInt(daysLeftInRun)).DivRound(n, 8)))
		return f
	}
	f.Kind, f.Day = ForecastRunsOut, yesterday.AddDate(0, 0, int(need.IntPart()))
	return f
}

// Burns are the burn-downs of the campaign's coupons the platform pays a
// share of, in code order, as of now.
func (p PlatformPerf) Burns(now time.Time) []CouponBurn {
	runFrom, runTo := p.Campaign.RunDays()
	today := dateOf(now.In(p.Campaign.Location()))
	var out []CouponBurn
	for _, c := range p.Coupons {
		if !c.PlatformSharePct.IsPositive() {
			continue
		}
		out = append(out, BurnDown(c, p.CouponDays[c.ID], runFrom, runTo, today))
	}
	return out
}

// platformCoupons reads the campaign's coupons with their claims so far
// and, for the burn-downs, every shop's claims by day, in one statement.
func platformCoupons(ctx context.Context, conn *pgx.Conn, campaignID int64, out *PlatformPerf) error {
	var raw []byte
	err := conn.QueryRow(ctx, `SELECT coalesce(json_agg(json_build_object(
			'Coupon', json_build_object('ID', k.id, 'CampaignID', k.campaign_id, 'Code', k.code,
				'DiscountType', k.discount_type, 'Value', k.value, 'MinPurchase', k.min_purchase, 'Cap', k.cap,
				'Targeting', k.targeting, 'SegmentName', k.segment_name, 'SellerSharePct', k.seller_share_pct,
				'PlatformSharePct', k.platform_share_pct, 'MaxSellerFunding', k.max_seller_funding,
				'TotalQuantity', k.total_quantity, 'ClaimedQuantity', k.claimed_quantity, 'PlatformBudget', k.platform_budget),
			'Days', (SELECT coalesce(json_agg(json_build_object('Day', d.day, 'Claims', d.claims, 'Capped', d.capped,
					'Discount', d.discount, 'SellerShare', d.seller_share, 'PlatformShare', d.platform_share) ORDER BY d.day), '[]')
				FROM (SELECT day, sum(claims) AS claims, sum(capped) AS capped, sum(discount) AS discount,
						sum(seller_share) AS seller_share, sum(platform_share) AS platform_share
					FROM coupon_days WHERE coupon_id = k.id GROUP BY day) d)
		) ORDER BY k.code), '[]') FROM coupons k WHERE k.campaign_id = $1`, campaignID).Scan(&raw)
	if err != nil {
		return err
	}
	var rows []struct {
		Coupon models.Coupon
		Days   []struct {
			Day string
			CouponDay
		}
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		return fmt.Errorf("campaign %d coupons: %w", campaignID, err)
	}
	out.CouponDays = map[int64][]CouponDay{}
	for _, r := range rows {
		out.Coupons = append(out.Coupons, r.Coupon)
		for _, d := range r.Days {
			day, err := time.Parse(time.DateOnly, d.Day)
			if err != nil {
				return fmt.Errorf("coupon %d day %q: %w", r.Coupon.ID, d.Day, err)
			}
			cd := d.CouponDay
			cd.Day = day
			out.CouponDays[r.Coupon.ID] = append(out.CouponDays[r.Coupon.ID], cd)
		}
	}
	return nil
}
