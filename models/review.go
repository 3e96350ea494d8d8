package models

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// ReviewServiceDays is the reviewers' service level: a pending registration
// is due this many business days after it was submitted.
const ReviewServiceDays = 5

// ReviewDueAt is when a registration submitted at submitted must be
// decided: submitted + 5 business days, counted in UTC (Saturdays and
// Sundays skipped, same time of day).
func ReviewDueAt(submitted time.Time) time.Time {
	return AddBusinessDays(submitted, ReviewServiceDays, time.UTC)
}

// ReviewOverdue reports whether a review due at due is late at now: the
// due moment itself is still on time.
func ReviewOverdue(due, now time.Time) bool { return now.After(due) }

// ReviewDueSoon reports whether a review not yet late falls due within a
// day, so the queue can warn before it is overdue.
func ReviewDueSoon(due, now time.Time) bool {
	return !ReviewOverdue(due, now) && due.Sub(now) < 24*time.Hour
}

// Decision is a reviewer's verdict on a pending registration.
type Decision string

const (
	DecisionApproved Decision = "approved"
	DecisionRejected Decision = "rejected"
)

// RejectReason is one of the standard reasons a reviewer picks when
// rejecting; sellers read its label.
type RejectReason struct {
	Code  string
	Label string
}

// ReasonOther is the reason that needs the reviewer's own words.
const ReasonOther = "other"

// ReasonBulk marks, in a price edit's audit, approvals made with Approve
// selected (registration decisions carry a bulk mark of their own).
const ReasonBulk = "bulk"

// RejectReasons are the standard rejection reasons, in the order the form
// lists them.
var RejectReasons = []RejectReason{
	{Code: "price-above-maximum", Label: "Campaign price above the maximum allowed"},
	{Code: "stock-insufficient", Label: "Not enough stock for the campaign"},
	{Code: "product-not-eligible", Label: "Product not eligible for this campaign"},
	{Code: "incomplete", Label: "Product information incomplete or inaccurate"},
	{Code: ReasonOther, Label: "Other reason"},
}

// RejectReasonLabel finds the label of a standard reason.
func RejectReasonLabel(code string) (string, bool) {
	for _, r := range RejectReasons {
		if r.Code == code {
			return r.Label, true
		}
	}
	return "", false
}

// MaxReasonLength caps the reviewer's text, in characters.
const MaxReasonLength = 1000

// CheckDecision validates a decision as the reviewer entered it: a
// rejection needs a standard reason, and "other" needs text; an approval
// takes an optional note. Messages are keyed by form field.
func CheckDecision(d Decision, reasonCode, reasonText string) error {
	v := &ValidationError{}
	text := strings.TrimSpace(reasonText)
	switch d {
	case DecisionApproved:
	case DecisionRejected:
		if reasonCode == "" {
			v.Add("reason_code", "Choose a reason for the rejection: the seller reads it.")
		} else if _, ok := RejectReasonLabel(reasonCode); !ok {
			v.Add("reason_code", "Choose one of the listed reasons.")
		}
		if reasonCode == ReasonOther && text == "" {
			v.Add("reason_text", "Describe the reason: \"Other reason\" needs a few words for the seller.")
		}
	default:
		v.Add("decision", "Choose Approve or Reject.")
	}
	if utf8.RuneCountInString(text) > MaxReasonLength {
		v.Add("reason_text", "Keep it to 1,000 characters or fewer.")
	}
	return v.OrNil()
}

// DecisionReasonText is what the seller reads for a rejection: the
// standard reason's label, then the reviewer's text. "Other reason" shows
// the text alone.
func DecisionReasonText(reasonCode, reasonText string) string {
	text := strings.TrimSpace(reasonText)
	label, ok := RejectReasonLabel(reasonCode)
	switch {
	case !ok || reasonCode == ReasonOther:
		return text
	case text == "":
		return label
	default:
		return label + ": " + text
	}
}

// LiveLimit is a SKU's price limit recomputed now: the lookback low over
// the campaign's window as of now, when the SKU was last offered at it,
// and the tier's maximum campaign price.
type LiveLimit struct {
	Low   decimal.Decimal
	LowAt time.Time
	Max   decimal.Decimal
}

// LiveMaxPrice works out a SKU's limit from its lookback low now. A SKU
// with no price in the window falls back to its retail price, as the
// snapshot taken at submit does.
func LiveMaxPrice(r TierRule, low LookbackLow, retail decimal.Decimal, now time.Time) LiveLimit {
	l := LiveLimit{Low: low.Price, LowAt: low.At}
	if !l.Low.IsPositive() {
		l.Low, l.LowAt = retail, now
	}
	l.Max = r.MaxPrice(l.Low)
	return l
}

// AboveMax reports whether a campaign price is above the limit; a price
// equal to the maximum passes.
func (l LiveLimit) AboveMax(price decimal.NullDecimal) bool {
	return price.Valid && price.Decimal.GreaterThan(l.Max)
}

// RegistrationStatusOf is the registration's status as its submitted
// products make it: Under review while any product waits for a decision;
// otherwise Registered when any product is in the campaign (registered or
// in SKU error), Rejected when every decided product was rejected, and
// Withdrawn when none is left. Drafts (a batch not submitted yet) do not
// count.
func RegistrationStatusOf(counts map[ProductStatus]int) RegistrationStatus {
	switch {
	case counts[ProductPending] > 0:
		return RegistrationPending
	case counts[ProductRegistered]+counts[ProductSKUError] > 0:
		return RegistrationRegistered
	case counts[ProductRejected] > 0:
		return RegistrationRejected
	}
	return RegistrationWithdrawn
}

// RegistrationStatusLabel names a registration's status in the words both
// sellers and reviewers read, from its status, its products' and how many
// SKUs of its products in the campaign a reviewer kept out: a registration
// with products registered and others rejected, or with a registered
// product missing a rejected SKU, is "Partly registered".
func RegistrationStatusLabel(s RegistrationStatus, counts map[ProductStatus]int, skusOut int) string {
	switch s {
	case RegistrationDraft:
		return "Not submitted"
	case RegistrationPending:
		return "Under review"
	case RegistrationRegistered:
		if counts[ProductRejected] > 0 || skusOut > 0 {
			return "Partly registered"
		}
		return "Registered"
	case RegistrationRejected:
		return "Rejected"
	case RegistrationWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// RaiseLookbackDays is how far before submission the reviewer's "retail
// price raised" flag looks.
const RaiseLookbackDays = 30

// RetailRaisedFlag says, in words for the reviewer, that a SKU's retail
// price at submission is above its retail price 30 days before: the
// campaign discount is then measured from a raised price. "" when it was
// not raised, or no retail price was in effect then (a new SKU, or a sale
// running at that moment).
func RetailRaisedFlag(before decimal.NullDecimal, atSubmit decimal.Decimal) string {
	if !before.Valid || !atSubmit.GreaterThan(before.Decimal) {
		return ""
	}
	pct := atSubmit.Sub(before.Decimal).Mul(decimal.NewFromInt(100)).Div(before.Decimal).Round(0)
	return "Retail price raised from $" + before.Decimal.StringFixed(2) + " to $" + atSubmit.StringFixed(2) +
		" (+" + pct.String() + "%) in the 30 days before submitting: the campaign discount starts from a raised price."
}

// PriceEditFlags say, in words for the reviewer, what a price edit does
// against the SKU's own history: a raise of the campaign price buyers
// already saw, or a new price that is no discount at all on the SKU's
// lowest price of the lookback window (the maximum allows it for a tier at
// 100% of the low). Flags inform; the maximum decides.
func PriceEditFlags(oldPrice, newPrice decimal.Decimal, live LiveLimit, lookbackDays int) []string {
	var flags []string
	if newPrice.GreaterThan(oldPrice) {
		flags = append(flags, "Raises the campaign price from $"+oldPrice.StringFixed(2)+" to $"+newPrice.StringFixed(2)+
			": buyers have seen the lower price during the campaign.")
	}
	if live.Low.IsPositive() && !newPrice.LessThan(live.Low) {
		flags = append(flags, fmt.Sprintf("No discount on the SKU's own history: $%s is not below its lowest price of the past %d days ($%s).",
			newPrice.StringFixed(2), lookbackDays, live.Low.StringFixed(2)))
	}
	return flags
}

// CostFloorFlag says, in words for the reviewer, that a campaign price is
// below the cost of goods the shop gave for the SKU: "" when it is not,
// or the shop gave none. A price equal to the cost is not flagged.
func CostFloorFlag(price, cost decimal.NullDecimal) string {
	if !price.Valid || !cost.Valid || !price.Decimal.LessThan(cost.Decimal) {
		return ""
	}
	return "Campaign price $" + price.Decimal.StringFixed(2) + " is below the shop's cost of goods $" + cost.Decimal.StringFixed(2) + "."
}

// StackedPrice is what a buyer pays for one unit when every discount the
// campaign allows is stacked: the campaign price, less the product's extra
// discount, less the largest co-funded coupon that one unit at that price
// reaches (its minimum purchase met).
type StackedPrice struct {
	CampaignPrice  decimal.Decimal
	ExtraDiscount  decimal.Decimal
	Selling        decimal.Decimal // after the extra discount
	Coupon         string          // the coupon's code; "" when none applies
	CouponDiscount decimal.Decimal
	Buyer          decimal.Decimal
}

// StackBuyerPrice works a stacked buyer price out with the functions that
// price and settle real orders: the extra discount as the profit preview
// takes it (PreviewUnit), each coupon's discount as settlement splits it
// (SplitCoupon, on one unit's subtotal).
func StackBuyerPrice(price decimal.Decimal, extraPct decimal.NullDecimal, coupons []Coupon) StackedPrice {
	u := PreviewUnit(price, extraPct, decimal.Zero, nil)
	sp := StackedPrice{CampaignPrice: price, ExtraDiscount: u.ExtraDiscount, Selling: u.SellingPrice}
	for _, c := range coupons {
		if !c.CoFunded() {
			continue
		}
		if cost := SplitCoupon(c.Terms(), u.SellingPrice); cost.Applies && cost.Discount.GreaterThan(sp.CouponDiscount) {
			sp.Coupon, sp.CouponDiscount = c.Code, cost.Discount
		}
	}
	sp.Buyer = sp.Selling.Sub(sp.CouponDiscount)
	return sp
}

// BuyerFloor is the campaign's floor for a SKU: floorPct of its retail
// price, rounded to the cent.
func BuyerFloor(retail, floorPct decimal.Decimal) decimal.Decimal {
	return RoundCents(retail.Mul(floorPct).Div(hundred))
}

// BuyerFloorFlag says, in words for the reviewer, that a SKU's stacked
// buyer price is below the campaign's floor, with the numbers that make
// it: "" when it is not, or the campaign sets no floor. A price at the
// floor passes.
func BuyerFloorFlag(sp StackedPrice, retail decimal.Decimal, floorPct decimal.NullDecimal) string {
	if !floorPct.Valid {
		return ""
	}
	floor := BuyerFloor(retail, floorPct.Decimal)
	if !sp.Buyer.LessThan(floor) {
		return ""
	}
	steps := "campaign price $" + sp.CampaignPrice.StringFixed(2)
	if sp.ExtraDiscount.IsPositive() {
		steps += " − extra discount $" + sp.ExtraDiscount.StringFixed(2)
	}
	if sp.Coupon != "" {
		steps += " − coupon " + sp.Coupon + " $" + sp.CouponDiscount.StringFixed(2)
	}
	if !sp.ExtraDiscount.IsPositive() && sp.Coupon == "" {
		steps += "; no extra discount, and no co-funded coupon reaches it"
	}
	return "Stacked buyer price $" + sp.Buyer.StringFixed(2) + " (" + steps + ") is below the campaign's floor of $" + floor.StringFixed(2) +
		" (" + floorPct.Decimal.String() + "% of the $" + retail.StringFixed(2) + " retail price)."
}
