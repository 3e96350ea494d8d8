package orders

import (
	"campaignportal/models"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// The settlement engine: what one order owes and who pays which part of
// its coupon, from the order, each line's applicable campaign, the
// coupon's terms and the order's events. Pure: no database, no clock.
// Every amount that involves a fraction (a share of a seller discount, a
// proportion of a coupon) is computed exactly with big.Rat and rounded
// once, half up to the cent, at the end of each step.

// OrderStatus is where an order stands.
type OrderStatus string

const (
	OrderPlaced            OrderStatus = "placed"
	OrderCompleted         OrderStatus = "completed"
	OrderCancelled         OrderStatus = "cancelled"
	OrderPartiallyReturned OrderStatus = "partially_returned"
	OrderReturned          OrderStatus = "returned"
)

// OrderEventKind is something that happens to an order after it is placed.
type OrderEventKind string

const (
	OrderEventCompleted OrderEventKind = "completed"
	OrderEventCancelled OrderEventKind = "cancelled"
	OrderEventReturned  OrderEventKind = "returned"
)

// ReturnLine is part of a return: units of one SKU.
type ReturnLine struct {
	SKU      string `json:"sku_id"`
	Quantity int    `json:"quantity"`
}

// OrderEvent is one accepted (or proposed) event of an order. A return
// without lines returns every unit not yet returned.
type OrderEvent struct {
	Kind  OrderEventKind `json:"kind"`
	At    time.Time      `json:"at"`
	Lines []ReturnLine   `json:"lines,omitempty"`
}

// SettleLine is an order line with its verdict.
type SettleLine struct {
	SKU            string
	Quantity       int
	UnitPrice      decimal.Decimal // per unit, before the seller discount
	SellerDiscount decimal.Decimal // for the whole line
	Campaign       LineCampaign
}

// SettleCoupon is the co-funded coupon an order asked for. Taken says
// whether one was taken from stock for the order when it was imported
// (false when none was left, or when the coupon did not apply).
type SettleCoupon struct {
	ID         int64
	CampaignID int64
	Code       string
	Terms      models.CouponTerms
	Taken      bool
}

// SettlementInput is everything the engine reads.
type SettlementInput struct {
	PlacedAt     time.Time
	Lines        []SettleLine
	ShippingPaid decimal.Decimal
	Coupon       *SettleCoupon
	Events       []OrderEvent
}

// CouponStatus says whether the order's coupon applied, or why not.
type CouponStatus string

const (
	CouponApplied          CouponStatus = "applied"
	CouponNotApplicable    CouponStatus = "not_applicable"
	CouponBelowMinPurchase CouponStatus = "below_min_purchase"
	CouponExhausted        CouponStatus = "exhausted"
	// A $0.00 eligible subtotal: nothing to take a discount from, whatever
	// the minimum purchase (a $0.00 minimum is met, yet nothing applies).
	CouponNothingToDiscount CouponStatus = "nothing_to_discount"
)

// SettledLine is a line of the breakdown.
type SettledLine struct {
	SKU            string          `json:"sku_id"`
	Quantity       int             `json:"quantity"`
	UnitPrice      decimal.Decimal `json:"unit_price"`
	SellerDiscount decimal.Decimal `json:"seller_discount"`
	Value          decimal.Decimal `json:"value"`    // quantity × unit price − seller discount
	FeePart        decimal.Decimal `json:"fee_part"` // rate × value, before rounding (0: not a campaign line)
	Campaign       LineCampaign    `json:"campaign"`
	Returned       int             `json:"returned"`
}

// CouponSettlement is the coupon's part of the breakdown.
type CouponSettlement struct {
	ID               int64             `json:"id"`
	CampaignID       int64             `json:"campaign_id"`
	Code             string            `json:"code"`
	Status           CouponStatus      `json:"status"`
	Type             models.CouponType `json:"type"`
	Value            decimal.Decimal   `json:"value"`
	MinPurchase      decimal.Decimal   `json:"min_purchase"`
	Cap              *string           `json:"cap,omitempty"`
	SellerSharePct   decimal.Decimal   `json:"seller_share_pct"`
	MaxSellerFunding *string           `json:"max_seller_funding,omitempty"`
	EligibleSubtotal decimal.Decimal   `json:"eligible_subtotal"`
	Discount         decimal.Decimal   `json:"discount"`
	SellerShare      decimal.Decimal   `json:"seller_share"`
	PlatformShare    decimal.Decimal   `json:"platform_share"`
}

// PlatformSharePct is the platform's part of the co-funding ratio.
func (c CouponSettlement) PlatformSharePct() decimal.Decimal { return hundred.Sub(c.SellerSharePct) }

// ReversedLine is part of a reversal: units of one line and their value
// (exact, shown rounded to the cent; the event's total is rounded once
// from the exact values).
type ReversedLine struct {
	SKU      string          `json:"sku_id"`
	Quantity int             `json:"quantity"`
	Value    decimal.Decimal `json:"value"`
}

// Totals are the reversals so far and the payout after an event.
type Totals struct {
	Merchandise   decimal.Decimal `json:"merchandise_reversed"`
	Shipping      decimal.Decimal `json:"shipping_reversed"`
	FeeRefunded   decimal.Decimal `json:"fee_refunded"`
	Discount      decimal.Decimal `json:"discount_reversed"`
	SellerShare   decimal.Decimal `json:"seller_share_reversed"`
	PlatformShare decimal.Decimal `json:"platform_share_reversed"`
	Payout        decimal.Decimal `json:"payout"`
}

// Reversal is what a cancellation or a return gave back.
type Reversal struct {
	Kind OrderEventKind `json:"kind"`
	At   time.Time      `json:"at"`
	// Lines are the units returned (every unit for a cancellation).
	Lines []ReversedLine `json:"lines"`
	// CompletesOrder: every unit of the order is now returned, so the
	// merchandise (and, when every campaign refunds in full, the fee)
	// reverses exactly what was left.
	CompletesOrder bool `json:"completes_order"`
	// CompletesCoupon: every unit of the coupon's eligible lines is now
	// returned, so the coupon reverses exactly what was left.
	CompletesCoupon bool            `json:"completes_coupon"`
	Merchandise     decimal.Decimal `json:"merchandise"`
	Shipping        decimal.Decimal `json:"shipping"`
	FeeRefunded     decimal.Decimal `json:"fee_refunded"`
	Discount        decimal.Decimal `json:"discount"`
	SellerShare     decimal.Decimal `json:"seller_share"`
	PlatformShare   decimal.Decimal `json:"platform_share"`
	After           Totals          `json:"after"`
}

// Settlement is the whole breakdown of an order.
type Settlement struct {
	Status      OrderStatus   `json:"status"`
	PlacedAt    time.Time     `json:"placed_at"`
	CompletedAt *time.Time    `json:"completed_at,omitempty"`
	CancelledAt *time.Time    `json:"cancelled_at,omitempty"`
	Lines       []SettledLine `json:"lines"`

	Merchandise decimal.Decimal `json:"merchandise"` // Σ quantity × unit price − seller discount
	Shipping    decimal.Decimal `json:"shipping"`

	CampaignIDs []int64 `json:"campaign_ids"` // the order's applicable campaigns
	// ShippingRate is the highest rate among the applicable campaigns,
	// charged on all of the shipping (zero without a campaign line).
	ShippingRate    decimal.Decimal `json:"shipping_rate"`
	ShippingFeePart decimal.Decimal `json:"shipping_fee_part"`
	FeeExact        decimal.Decimal `json:"fee_exact"` // before rounding
	// FeeAtCompletion is the fee the order settles at if completed; Fee is
	// what is charged (zero once cancelled).
	FeeAtCompletion decimal.Decimal `json:"fee_at_completion"`
	Fee             decimal.Decimal `json:"fee"`
	// FeeFullRefund: every applicable campaign refunds in full.
	FeeFullRefund bool `json:"fee_full_refund"`

	Coupon *CouponSettlement `json:"coupon,omitempty"`

	Reversals []Reversal `json:"reversals"`
	Reversed  Totals     `json:"reversed"` // the running reversals and the payout
}

// Payout is what the seller is paid (negative: the seller owes it).
func (s Settlement) Payout() decimal.Decimal { return s.Reversed.Payout }

// SellerShare is the seller's share of the coupon (zero when none applied).
func (s Settlement) SellerShare() decimal.Decimal {
	if s.Coupon == nil || s.Coupon.Status != CouponApplied {
		return decimal.Zero
	}
	return s.Coupon.SellerShare
}

// PlatformShare is the platform's share of the coupon.
func (s Settlement) PlatformShare() decimal.Decimal {
	if s.Coupon == nil || s.Coupon.Status != CouponApplied {
		return decimal.Zero
	}
	return s.Coupon.PlatformShare
}

// EventError refuses an event: the order stays as it was.
type EventError struct{ Reason string }

func (e *EventError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrConflict) true.
func (e *EventError) Is(target error) bool { return target == models.ErrConflict }

// CheckCoupon decides, before stock is looked at, whether a coupon can
// apply to the lines: not applicable (no line's applicable campaign is the
// coupon's), then nothing to discount (a $0.00 eligible subtotal), then
// below the minimum purchase (on the eligible subtotal, the lines of the
// coupon's campaign only). "" means it applies if one is
// left; the caller then takes one from stock atomically.
func CheckCoupon(lines []SettleLine, couponCampaignID int64, terms models.CouponTerms) (CouponStatus, decimal.Decimal) {
	eligible, any := decimal.Zero, false
	for _, l := range lines {
		if l.Campaign.CampaignID == couponCampaignID && couponCampaignID != 0 {
			any = true
			eligible = eligible.Add(lineValue(l))
		}
	}
	if !any {
		return CouponNotApplicable, eligible
	}
	// The minimum purchase is met at or above it; a zero subtotal has
	// nothing to take a discount from, which is its own reason, not
	// "below" a $0.00 minimum.
	if !eligible.IsPositive() {
		return CouponNothingToDiscount, eligible
	}
	if eligible.LessThan(terms.MinPurchase) {
		return CouponBelowMinPurchase, eligible
	}
	return "", eligible
}

func lineValue(l SettleLine) decimal.Decimal {
	return l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Quantity))).Sub(l.SellerDiscount)
}

// Settle works out the whole breakdown. It refuses (with an EventError)
// events that break the order's rules: they are checked in order, each
// against the state the previous ones left.
func Settle(in SettlementInput) (Settlement, error) {
	s := Settlement{Status: OrderPlaced, PlacedAt: in.PlacedAt, Shipping: in.ShippingPaid, Reversals: []Reversal{},
		CampaignIDs: []int64{}, FeeFullRefund: true}
	feeExact := decimal.Zero
	hasCampaignLine := false
	for _, l := range in.Lines {
		v := lineValue(l)
		sl := SettledLine{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice, SellerDiscount: l.SellerDiscount,
			Value: v, FeePart: decimal.Zero, Campaign: l.Campaign}
		s.Merchandise = s.Merchandise.Add(v)
		if l.Campaign.IsCampaign() {
			hasCampaignLine = true
			sl.FeePart = l.Campaign.Rate.Mul(v)
			feeExact = feeExact.Add(sl.FeePart)
			if l.Campaign.Rate.GreaterThan(s.ShippingRate) {
				s.ShippingRate = l.Campaign.Rate
			}
			if l.Campaign.Policy != models.RefundInFull {
				s.FeeFullRefund = false
			}
			if !containsID(s.CampaignIDs, l.Campaign.CampaignID) {
				s.CampaignIDs = append(s.CampaignIDs, l.Campaign.CampaignID)
			}
		}
		s.Lines = append(s.Lines, sl)
	}
	if hasCampaignLine {
		s.ShippingFeePart = s.ShippingRate.Mul(in.ShippingPaid)
		feeExact = feeExact.Add(s.ShippingFeePart)
	} else {
		s.FeeFullRefund = false
	}
	s.FeeExact = feeExact
	s.FeeAtCompletion = models.RoundCents(feeExact)
	s.Fee = s.FeeAtCompletion

	var eligibleLines []bool
	if c := in.Coupon; c != nil {
		cs := &CouponSettlement{ID: c.ID, CampaignID: c.CampaignID, Code: c.Code, Type: c.Terms.Type, Value: c.Terms.Value,
			MinPurchase: c.Terms.MinPurchase, SellerSharePct: c.Terms.SellerSharePct}
		if c.Terms.Cap.Valid {
			v := c.Terms.Cap.Decimal.StringFixed(2)
			cs.Cap = &v
		}
		if c.Terms.MaxSellerFunding.Valid {
			v := c.Terms.MaxSellerFunding.Decimal.StringFixed(2)
			cs.MaxSellerFunding = &v
		}
		status, eligible := CheckCoupon(in.Lines, c.CampaignID, c.Terms)
		cs.EligibleSubtotal = eligible
		if status == "" && !c.Taken {
			status = CouponExhausted
		}
		if status == "" {
			cost := models.SplitCoupon(c.Terms, eligible)
			status = CouponApplied
			cs.Discount, cs.SellerShare, cs.PlatformShare = cost.Discount, cost.SellerShare, cost.PlatformShare
			eligibleLines = make([]bool, len(in.Lines))
			for i, l := range in.Lines {
				eligibleLines[i] = l.Campaign.CampaignID == c.CampaignID
			}
		}
		cs.Status = status
		s.Coupon = cs
	}
	s.Reversed.Payout = s.payout()

	last := in.PlacedAt
	for i, ev := range in.Events {
		if ev.At.Before(in.PlacedAt) {
			return s, &EventError{Reason: fmt.Sprintf("event %d: at %s is before the order was placed (%s)", i+1, ev.At.Format(time.RFC3339), in.PlacedAt.Format(time.RFC3339))}
		}
		if ev.At.Before(last) {
			return s, &EventError{Reason: fmt.Sprintf("event %d: at %s is before the previous event (%s)", i+1, ev.At.Format(time.RFC3339), last.Format(time.RFC3339))}
		}
		var err error
		switch ev.Kind {
		case OrderEventCompleted:
			err = s.complete(ev)
		case OrderEventCancelled:
			err = s.cancel(ev)
		case OrderEventReturned:
			err = s.returned(ev, eligibleLines)
		default:
			err = &EventError{Reason: fmt.Sprintf("unknown event %q", ev.Kind)}
		}
		if err != nil {
			return s, &EventError{Reason: fmt.Sprintf("event %d (%s): %s", i+1, ev.Kind, err.Error())}
		}
		last = ev.At
	}
	return s, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// payout = merchandise + shipping − fee − seller share − merchandise
// reversed − shipping reversed + fee refunded + seller share reversed.
// Never clamped: a negative payout is owed by the seller.
func (s *Settlement) payout() decimal.Decimal {
	r := s.Reversed
	return s.Merchandise.Add(s.Shipping).Sub(s.Fee).Sub(s.SellerShare()).
		Sub(r.Merchandise).Sub(r.Shipping).Add(r.FeeRefunded).Add(r.SellerShare)
}

func (s *Settlement) complete(ev OrderEvent) error {
	switch s.Status {
	case OrderPlaced:
	case OrderCompleted, OrderPartiallyReturned, OrderReturned:
		return &EventError{Reason: "the order is already completed"}
	default:
		return &EventError{Reason: "a cancelled order cannot be completed"}
	}
	if len(ev.Lines) > 0 {
		return &EventError{Reason: "a completion takes no lines"}
	}
	at := ev.At
	s.CompletedAt, s.Status = &at, OrderCompleted
	return nil
}

// cancel: no fee, the coupon split reversed, merchandise and shipping given
// back; the payout is zero.
func (s *Settlement) cancel(ev OrderEvent) error {
	switch s.Status {
	case OrderPlaced:
	case OrderCancelled:
		return &EventError{Reason: "the order is already cancelled"}
	default:
		return &EventError{Reason: "only a placed order can be cancelled; a completed order is returned"}
	}
	if len(ev.Lines) > 0 {
		return &EventError{Reason: "a cancellation takes no lines"}
	}
	at := ev.At
	s.CancelledAt, s.Status = &at, OrderCancelled
	s.Fee = decimal.Zero
	r := Reversal{Kind: ev.Kind, At: ev.At, CompletesOrder: true, Merchandise: s.Merchandise, Shipping: s.Shipping,
		FeeRefunded: decimal.Zero}
	for i := range s.Lines {
		l := &s.Lines[i]
		r.Lines = append(r.Lines, ReversedLine{SKU: l.SKU, Quantity: l.Quantity, Value: l.Value})
	}
	if s.Coupon != nil && s.Coupon.Status == CouponApplied {
		r.CompletesCoupon = true
		r.Discount, r.SellerShare, r.PlatformShare = s.Coupon.Discount, s.Coupon.SellerShare, s.Coupon.PlatformShare
	}
	s.apply(r)
	return nil
}

func (s *Settlement) apply(r Reversal) {
	t := &s.Reversed
	t.Merchandise = t.Merchandise.Add(r.Merchandise)
	t.Shipping = t.Shipping.Add(r.Shipping)
	t.FeeRefunded = t.FeeRefunded.Add(r.FeeRefunded)
	t.Discount = t.Discount.Add(r.Discount)
	t.SellerShare = t.SellerShare.Add(r.SellerShare)
	t.PlatformShare = t.PlatformShare.Add(r.PlatformShare)
	t.Payout = s.payout()
	r.After = *t
	s.Reversals = append(s.Reversals, r)
}

// returned reverses the returned lines' value, the fee by each line's
// campaign policy and the coupon in proportion; the event that completes
// the return reverses exactly what is left.
func (s *Settlement) returned(ev OrderEvent, eligibleLines []bool) error {
	switch s.Status {
	case OrderCompleted, OrderPartiallyReturned:
	case OrderReturned:
		return &EventError{Reason: "every unit is already returned"}
	case OrderPlaced:
		return &EventError{Reason: "only a completed order can be returned; a placed order is cancelled"}
	default:
		return &EventError{Reason: "a cancelled order cannot be returned"}
	}
	qty := make([]int, len(s.Lines))
	if len(ev.Lines) == 0 {
		for i, l := range s.Lines {
			qty[i] = l.Quantity - l.Returned
		}
	} else {
		idx := make(map[string]int, len(s.Lines))
		for i, l := range s.Lines {
			idx[l.SKU] = i
		}
		seen := map[string]bool{}
		for _, rl := range ev.Lines {
			i, ok := idx[rl.SKU]
			switch {
			case !ok:
				return &EventError{Reason: fmt.Sprintf("SKU %q is not in the order", rl.SKU)}
			case seen[rl.SKU]:
				return &EventError{Reason: fmt.Sprintf("SKU %q is listed twice", rl.SKU)}
			case rl.Quantity < 1:
				return &EventError{Reason: fmt.Sprintf("SKU %q: the quantity must be at least 1", rl.SKU)}
			case rl.Quantity > s.Lines[i].Quantity-s.Lines[i].Returned:
				return &EventError{Reason: fmt.Sprintf("SKU %q: returning %d, but only %d of %d sold are not returned yet",
					rl.SKU, rl.Quantity, s.Lines[i].Quantity-s.Lines[i].Returned, s.Lines[i].Quantity)}
			}
			seen[rl.SKU] = true
			qty[i] = rl.Quantity
		}
	}

	r := Reversal{Kind: ev.Kind, At: ev.At, Shipping: decimal.Zero}
	merch, feeRefund, eligibleReturned := new(big.Rat), new(big.Rat), new(big.Rat)
	completesOrder, completesCoupon, eligibleUnits := true, eligibleLines != nil, 0
	for i := range s.Lines {
		l := &s.Lines[i]
		if qty[i] > 0 {
			v := returnedValue(l, qty[i])
			merch.Add(merch, v)
			if l.Campaign.IsCampaign() && l.Campaign.Policy == models.RefundInFull {
				feeRefund.Add(feeRefund, new(big.Rat).Mul(l.Campaign.Rate.Rat(), v))
			}
			if eligibleLines != nil && eligibleLines[i] {
				eligibleReturned.Add(eligibleReturned, v)
				eligibleUnits += qty[i]
			}
			l.Returned += qty[i]
			r.Lines = append(r.Lines, ReversedLine{SKU: l.SKU, Quantity: qty[i], Value: roundRat(v)})
		}
		if l.Returned < l.Quantity {
			completesOrder = false
			if eligibleLines != nil && eligibleLines[i] {
				completesCoupon = false
			}
		}
	}
	if len(r.Lines) == 0 {
		return &EventError{Reason: "nothing is left to return"}
	}
	left := s.Merchandise.Sub(s.Reversed.Merchandise)
	feeLeft := s.Fee.Sub(s.Reversed.FeeRefunded)
	r.CompletesOrder = completesOrder
	if completesOrder {
		r.Merchandise = left
	} else {
		r.Merchandise = clamp(roundRat(merch), decimal.Zero, left)
	}
	if completesOrder && s.FeeFullRefund {
		r.FeeRefunded = feeLeft
	} else {
		r.FeeRefunded = clamp(roundRat(feeRefund), decimal.Zero, feeLeft)
	}

	if c := s.Coupon; eligibleUnits > 0 {
		discLeft := c.Discount.Sub(s.Reversed.Discount)
		sellerLeft := c.SellerShare.Sub(s.Reversed.SellerShare)
		platformLeft := c.PlatformShare.Sub(s.Reversed.PlatformShare)
		r.CompletesCoupon = completesCoupon
		if completesCoupon {
			r.Discount, r.SellerShare, r.PlatformShare = discLeft, sellerLeft, platformLeft
		} else {
			// p = returned eligible value / eligible subtotal; multiply
			// first, divide once, round once.
			p := new(big.Rat).Quo(eligibleReturned, c.EligibleSubtotal.Rat())
			r.Discount = clamp(roundRat(new(big.Rat).Mul(c.Discount.Rat(), p)), decimal.Zero, discLeft)
			lo := decimal.Max(decimal.Zero, r.Discount.Sub(platformLeft))
			hi := decimal.Min(sellerLeft, r.Discount)
			r.SellerShare = clamp(roundRat(new(big.Rat).Mul(c.SellerShare.Rat(), p)), lo, hi)
			r.PlatformShare = r.Discount.Sub(r.SellerShare)
		}
	}
	if completesOrder {
		s.Status = OrderReturned
	} else {
		s.Status = OrderPartiallyReturned
	}
	s.apply(r)
	return nil
}

// returnedValue is returned × unit price − seller discount × returned /
// quantity, exactly.
func returnedValue(l *SettledLine, returned int) *big.Rat {
	r := big.NewRat(int64(returned), 1)
	gross := new(big.Rat).Mul(l.UnitPrice.Rat(), r)
	share := new(big.Rat).Mul(l.SellerDiscount.Rat(), big.NewRat(int64(returned), int64(l.Quantity)))
	return gross.Sub(gross, share)
}

// roundRat rounds an exact fraction to the cent, half away from zero (half
// up for the non-negative amounts settled here): the one division happens
// here, so an exact half cent is seen as one.
func roundRat(r *big.Rat) decimal.Decimal {
	num := new(big.Int).Mul(r.Num(), big.NewInt(100))
	den := r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	m.Abs(m).Lsh(m, 1)
	if m.Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return decimal.NewFromBigInt(q, -2)
}

func clamp(d, lo, hi decimal.Decimal) decimal.Decimal {
	if d.LessThan(lo) {
		d = lo
	}
	if d.GreaterThan(hi) {
		d = hi
	}
	return d
}
