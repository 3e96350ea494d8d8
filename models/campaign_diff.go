package models

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// DiffCampaigns lists, in the seller's words, what a new version changes.
// It is what sellers read on the details page and what the audit log keeps.
func DiffCampaigns(old, next Campaign) []string {
	var out []string
	loc := next.Location()
	when := func(t time.Time) string { return t.In(loc).Format("Jan 2, 2006 3:04 PM MST") }
	str := func(label, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %s → %s", label, a, b))
		}
	}
	at := func(label string, a, b time.Time) {
		if !SameMinute(a, b) {
			out = append(out, fmt.Sprintf("%s: %s → %s", label, when(a), when(b)))
		}
	}
	flag := func(label string, a, b bool) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %s → %s", label, yesNo(a), yesNo(b)))
		}
	}
	str("Name", old.Name, next.Name)
	if old.Description != next.Description {
		out = append(out, "Description updated")
	}
	if !slices.Equal(old.Benefits, next.Benefits) {
		out = append(out, "Benefits updated")
	}
	str("Timezone", old.Timezone, next.Timezone)
	at("Registration opens", old.RegistrationOpensAt, next.RegistrationOpensAt)
	at("Registration deadline", old.RegistrationDeadline, next.RegistrationDeadline)
	at("Campaign starts", old.RunStartsAt, next.RunStartsAt)
	at("Campaign ends", old.RunEndsAt, next.RunEndsAt)

	oldSubs := map[string]SubCampaign{}
	for _, s := range old.SubCampaigns {
		oldSubs[s.Name] = s
	}
	newSubs := map[string]bool{}
	for _, s := range next.SubCampaigns {
		newSubs[s.Name] = true
		o, ok := oldSubs[s.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("Sub-campaign %s added (%s – %s)", s.Name, when(s.StartsAt), when(s.EndsAt)))
		case !SameMinute(o.StartsAt, s.StartsAt) || !SameMinute(o.EndsAt, s.EndsAt):
			out = append(out, fmt.Sprintf("Sub-campaign %s: %s – %s → %s – %s", s.Name, when(o.StartsAt), when(o.EndsAt), when(s.StartsAt), when(s.EndsAt)))
		}
	}
	for _, s := range old.SubCampaigns {
		if !newSubs[s.Name] {
			out = append(out, fmt.Sprintf("Sub-campaign %s removed", s.Name))
		}
	}

	str("Minimum SPS", old.MinSPS.StringFixed(2), next.MinSPS.StringFixed(2))
	flag("Shops without an SPS may register", old.AllowNoSPS, next.AllowNoSPS)
	flag("Free shipping required", old.FreeShippingRequired, next.FreeShippingRequired)
	str("Maximum free shipping threshold", nullMoney(old.MaxFreeShippingThreshold), nullMoney(next.MaxFreeShippingThreshold))
	flag("All coupons must be accepted", old.CouponsMustBeAccepted, next.CouponsMustBeAccepted)
	str("Price lookback", fmt.Sprintf("%d days", old.LookbackDays), fmt.Sprintf("%d days", next.LookbackDays))
	for _, t := range []Tier{TierFeatured, TierRegular} {
		o, _ := old.Tier(t)
		n, _ := next.Tier(t)
		name := TierName(t)
		str(name+" maximum price", pct(o.MaxPricePct)+" of the lookback low", pct(n.MaxPricePct)+" of the lookback low")
		str(name+" recommended price", pct(o.RecommendedPct)+" of the lookback low", pct(n.RecommendedPct)+" of the lookback low")
		str(name+" minimum stock", fmt.Sprint(o.MinStock), fmt.Sprint(n.MinStock))
	}
	flag("Extra discount allowed", old.ExtraDiscountAllowed, next.ExtraDiscountAllowed)
	str("Extra discount minimum", nullPct(old.ExtraDiscountMinPct), nullPct(next.ExtraDiscountMinPct))
	flag("Review required", old.ReviewRequired, next.ReviewRequired)
	str("Buyer price floor", floorText(old.BuyerPriceFloorPct), floorText(next.BuyerPriceFloorPct))
	flag("Withdrawals need review", old.WithdrawalReview, next.WithdrawalReview)
	str("Campaign service fee", pct(old.FeeRate.Mul(hundred)), pct(next.FeeRate.Mul(hundred)))
	str("Fee refund policy", refundText(old.FeeRefundPolicy), refundText(next.FeeRefundPolicy))

	oldCoupons := map[string]Coupon{}
	for _, c := range old.Coupons {
		oldCoupons[c.Code] = c
	}
	newCoupons := map[string]bool{}
	for _, c := range next.Coupons {
		newCoupons[c.Code] = true
		o, ok := oldCoupons[c.Code]
		if !ok {
			out = append(out, fmt.Sprintf("Coupon %s added: %s", c.Code, CouponSummary(c)))
			continue
		}
		label := "Coupon " + c.Code + " "
		str(label+"discount", couponValue(o), couponValue(c))
		str(label+"minimum purchase", money(o.MinPurchase), money(c.MinPurchase))
		str(label+"cap", nullMoney(o.Cap), nullMoney(c.Cap))
		str(label+"targeting", targetingText(o), targetingText(c))
		str(label+"co-funded ratio", pct(o.SellerSharePct)+" / "+pct(o.PlatformSharePct), pct(c.SellerSharePct)+" / "+pct(c.PlatformSharePct))
		str(label+"maximum seller funding", nullMoney(o.MaxSellerFunding), nullMoney(c.MaxSellerFunding))
		str(label+"quantity", fmt.Sprint(o.TotalQuantity), fmt.Sprint(c.TotalQuantity))
	}
	for _, c := range old.Coupons {
		if !newCoupons[c.Code] {
			out = append(out, fmt.Sprintf("Coupon %s removed", c.Code))
		}
	}
	return out
}

// CouponSummary is a coupon in one line: "20% off orders of $100.00 or more, up to $50.00, seller 50% / platform 50%".
func CouponSummary(c Coupon) string {
	s := couponValue(c) + " off"
	if c.MinPurchase.IsPositive() {
		s += " orders of " + money(c.MinPurchase) + " or more"
	}
	if c.Cap.Valid {
		s += ", up to " + money(c.Cap.Decimal)
	}
	return s + ", seller " + pct(c.SellerSharePct) + " / platform " + pct(c.PlatformSharePct)
}

func couponValue(c Coupon) string {
	if c.DiscountType == CouponFixed {
		return money(c.Value)
	}
	return pct(c.Value)
}

func targetingText(c Coupon) string {
	if c.Targeting == "segment" {
		return "selected customers (" + c.SegmentName + ")"
	}
	return "all customers"
}

func refundText(p FeeRefundPolicy) string {
	if p == NoRefund {
		return "no refund once charged"
	}
	return "refund in full"
}

// TierName is the tier in the seller's words.
func TierName(t Tier) string {
	if t == TierRegular {
		return "Regular"
	}
	return "Featured"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func money(d decimal.Decimal) string { return "$" + d.StringFixed(2) }

func pct(d decimal.Decimal) string { return d.Round(2).String() + "%" }

func nullMoney(d decimal.NullDecimal) string {
	if !d.Valid {
		return "none"
	}
	return money(d.Decimal)
}

func nullPct(d decimal.NullDecimal) string {
	if !d.Valid {
		return "none"
	}
	return pct(d.Decimal)
}

// floorText is a buyer price floor in the change list's words.
func floorText(d decimal.NullDecimal) string {
	if !d.Valid {
		return "none"
	}
	return pct(d.Decimal) + " of the retail price"
}
