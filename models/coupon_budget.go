package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Co-funding budgets. A campaign manager gives a coupon the platform pays
// a share of a subsidy budget; it is a monitor, not a cap (claims never
// stop for it: the coupon's quantity is the limit sellers and shoppers
// were promised). Changing it is audited on the campaign and is not a new
// version: sellers never see the budget.

// BudgetField is the form field of a coupon's platform budget.
const BudgetField = "budget"

// ParseCouponBudget reads a platform budget as typed: blank removes it,
// otherwise an amount above $0.00, to the cent, within the column's
// limit. The coupon must be one the platform pays a share of.
func ParseCouponBudget(c Coupon, s string) (decimal.NullDecimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.NullDecimal{}, nil
	}
	var p formParser
	if !c.PlatformSharePct.IsPositive() {
		p.v.Add(BudgetField, "The platform pays no share of this coupon, so it has no subsidy budget.")
		return decimal.NullDecimal{}, p.v.OrNil()
	}
	d := p.amount(BudgetField, s, true)
	if err := p.v.OrNil(); err != nil {
		return decimal.NullDecimal{}, err
	}
	return decimal.NewNullDecimal(d), nil
}

// SetCouponBudget sets (or, blank, removes) the platform budget of a
// coupon of a campaign, under the coupon's row lock, and audits the change
// on the campaign. A coupon of another campaign is ErrNotFound; a budget
// as it already is, a validation error ("Nothing changed").
func (s *Store) SetCouponBudget(ctx context.Context, actorID, campaignID, couponID int64, input string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Coupon
		err := tx.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).
			Where("id = ? AND campaign_id = ?", couponID, campaignID).Take(&c).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		next, err := ParseCouponBudget(c, input)
		if err != nil {
			return err
		}
		if next.Valid == c.PlatformBudget.Valid && (!next.Valid || next.Decimal.Equal(c.PlatformBudget.Decimal)) {
			return &ValidationError{Fields: map[string]string{BudgetField: "That is the budget already."}}
		}
		if err := tx.Exec(`UPDATE coupons SET platform_budget = ? WHERE id = ?`, next, c.ID).Error; err != nil {
			return err
		}
		return audit(tx, campaignID, actorID, "budget", []string{
			fmt.Sprintf("Coupon %s platform budget: %s → %s", c.Code, budgetText(c.PlatformBudget), budgetText(next))})
	})
}

func budgetText(b decimal.NullDecimal) string {
	if !b.Valid {
		return "none"
	}
	return "$" + GroupThousands(b.Decimal.StringFixed(2))
}

// MostSellerSharePerOrder is the most one order's coupon can cost the
// seller: the seller's part (SplitDiscount, the settlement's rule) of the
// largest discount the coupon gives, a fixed value or a percentage's cap,
// or the maximum seller funding, whichever is lower. False: no limit (an
// uncapped percentage without a maximum seller funding).
func (c Coupon) MostSellerSharePerOrder() (decimal.Decimal, bool) {
	t := c.Terms()
	switch {
	case c.DiscountType == CouponFixed:
		return SplitDiscount(t, c.Value).SellerShare, true
	case c.Cap.Valid:
		return SplitDiscount(t, c.Cap.Decimal).SellerShare, true
	case c.MaxSellerFunding.Valid:
		return c.MaxSellerFunding.Decimal, true
	}
	return decimal.Zero, false
}

// CouponUsage is what a co-funded coupon has cost one shop so far, from
// its settled orders (coupon_days): the claims, the claims whose share the
// maximum seller funding stopped, and the shares net of reversals.
type CouponUsage struct {
	CouponID      int64
	Claims        int64
	Capped        int64
	Discount      decimal.Decimal
	SellerShare   decimal.Decimal
	PlatformShare decimal.Decimal
}

// CouponUsed is a coupon's usage beside its terms, in the seller's words:
// used so far, and the most it can still cost the shop (coupons left ×
// the most one order can cost).
type CouponUsed struct {
	Coupon Coupon
	CouponUsage
	// MostLeft is the most the coupon can still cost the shop; Limited
	// false: no limit.
	MostLeft decimal.Decimal
	Limited  bool
}

// CouponsUsed lists the campaign's co-funded coupons with the shop's
// usage, in the campaign's coupon order.
func CouponsUsed(coupons []Coupon, usage []CouponUsage) []CouponUsed {
	by := map[int64]CouponUsage{}
	for _, u := range usage {
		by[u.CouponID] = u
	}
	var out []CouponUsed
	for _, c := range coupons {
		if !c.CoFunded() {
			continue
		}
		u, ok := by[c.ID]
		if !ok {
			u = CouponUsage{CouponID: c.ID}
		}
		row := CouponUsed{Coupon: c, CouponUsage: u}
		if most, limited := c.MostSellerSharePerOrder(); limited {
			row.Limited = true
			row.MostLeft = most.Mul(decimal.NewFromInt(int64(max(c.QuantityLeft(), 0))))
		}
		out = append(out, row)
	}
	return out
}

// couponUsageColumn is the shop's usage of the campaign's coupons, read
// with the shop's registration (r): one JSON array, no statement of its
// own.
const couponUsageColumn = `(SELECT coalesce(json_agg(json_build_object('CouponID', u.coupon_id, 'Claims', u.claims,
		'Capped', u.capped, 'Discount', u.discount, 'SellerShare', u.seller_share, 'PlatformShare', u.platform_share)
		ORDER BY u.coupon_id), '[]')
	FROM (SELECT d.coupon_id, sum(d.claims) AS claims, sum(d.capped) AS capped, sum(d.discount) AS discount,
			sum(d.seller_share) AS seller_share, sum(d.platform_share) AS platform_share
		FROM coupon_days d JOIN coupons k ON k.id = d.coupon_id
		WHERE d.shop_id = r.shop_id AND k.campaign_id = r.campaign_id GROUP BY d.coupon_id) u) AS coupon_usage`

func parseCouponUsage(b []byte) ([]CouponUsage, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var out []CouponUsage
	err := json.Unmarshal(b, &out)
	return out, err
}
