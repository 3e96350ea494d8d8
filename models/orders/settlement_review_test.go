package orders

import (
	"campaignportal/models"
	"strings"
	"testing"
	"time"
)

// Review of issue 8: the boundaries the other settlement tests check on one
// side only, and the roundings they do not reach.

// Shipping counts as soon as the order has a campaign line, whatever that
// line's value; and the shipping part rounds with the rest, once.
func TestFeeShippingNeedsACampaignLineNotItsValue(t *testing.T) {
	t.Parallel()
	full := models.RefundInFull
	tests := []struct {
		name     string
		lines    []SettleLine
		shipping string
		fee      string
	}{
		{"a fully discounted campaign line still brings all the shipping in",
			[]SettleLine{line("A", 1, "5.00", "5.00", camp(1, "0.01", full)), line("B", 1, "50.00", "0", noCampaign)}, "10.00", "0.10"},
		{"the same order without its campaign line: no fee at all",
			[]SettleLine{line("A", 1, "5.00", "5.00", noCampaign), line("B", 1, "50.00", "0", noCampaign)}, "10.00", "0.00"},
		{"shipping alone, half a cent: 1.5% × 3.30 = 0.0495 rounds to 0.05",
			[]SettleLine{line("A", 1, "1.00", "1.00", camp(1, "0.015", full))}, "3.30", "0.05"},
		{"shipping alone, just under half a cent: 1.5% × 2.99 = 0.04485 rounds to 0.04",
			[]SettleLine{line("A", 1, "1.00", "1.00", camp(1, "0.015", full))}, "2.99", "0.04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec(tt.shipping)})
			wantMoney(t, "fee", s.Fee, tt.fee)
		})
	}
}

// The percentage coupon's cap on both sides, and the maximum seller funding
// on both sides (the other tests have it exactly met and well above).
func TestCouponCapAndFundingBothSides(t *testing.T) {
	t.Parallel()
	c1 := camp(1, "0.01", models.RefundInFull)
	tests := []struct {
		name                       string
		subtotal                   string
		terms                      models.CouponTerms
		discount, seller, platform string
	}{
		{"a cent under the cap: 20% × 249.95 = 49.99, not capped", "249.95", percentCoupon("20", "100", "50", "50", ""), "49.99", "25.00", "24.99"},
		{"the cap exactly: 20% × 250.00 = 50.00", "250.00", percentCoupon("20", "100", "50", "50", ""), "50.00", "25.00", "25.00"},
		{"a cent over the cap: 20% × 250.05 = 50.01, capped", "250.05", percentCoupon("20", "100", "50", "50", ""), "50.00", "25.00", "25.00"},
		{"seller funding a cent under its share: stopped at 24.99", "300.00", percentCoupon("20", "100", "50", "50", "24.99"), "50.00", "24.99", "25.01"},
		{"seller funding exactly its share", "300.00", percentCoupon("20", "100", "50", "50", "25.00"), "50.00", "25.00", "25.00"},
		{"seller funding a cent above its share: not binding", "300.00", percentCoupon("20", "100", "50", "50", "25.01"), "50.00", "25.00", "25.00"},
		{"seller funding of zero: the platform pays all", "300.00", percentCoupon("20", "100", "50", "50", "0"), "50.00", "0.00", "50.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
				Lines:  []SettleLine{line("A", 1, tt.subtotal, "0", c1)},
				Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: tt.terms}})
			if s.Coupon.Status != CouponApplied {
				t.Fatalf("status %s", s.Coupon.Status)
			}
			wantMoney(t, "discount", s.Coupon.Discount, tt.discount)
			wantMoney(t, "seller share", s.Coupon.SellerShare, tt.seller)
			wantMoney(t, "platform share", s.Coupon.PlatformShare, tt.platform)
		})
	}
}

// Half cents on the roundings of a partial return: the merchandise taken
// back (the seller discount split by quantity), the fee refunded on it, and
// the coupon's discount and seller share reversed; each exactly at half a
// cent (up) and just under it (down).
func TestSettlePartialReturnHalfCents(t *testing.T) {
	t.Parallel()
	c1 := camp(1, "0.01", models.RefundInFull)
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	fixed := func(value, sellerPct string) *SettleCoupon {
		return &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: models.CouponTerms{Type: models.CouponFixed, Value: dec(value),
			MinPurchase: dec("0"), SellerSharePct: dec(sellerPct)}}
	}
	tests := []struct {
		name                                         string
		line                                         SettleLine
		coupon                                       *SettleCoupon
		merchandise, fee, discount, seller, platform string
	}{
		// 10.00 − 0.01 × 1/2 = 9.995 → 10.00; fee 1% × 9.995 = 0.09995 → 0.10
		{"merchandise exactly half a cent", line("A", 2, "10.00", "0.01", c1), nil, "10.00", "0.10", "0.00", "0.00", "0.00"},
		// 10.00 − 0.05 × 1/3 = 9.98333… → 9.98
		{"merchandise under half a cent", line("A", 3, "10.00", "0.05", c1), nil, "9.98", "0.10", "0.00", "0.00", "0.00"},
		// 1% × (50.50 − 0) = 0.505 → 0.51
		{"fee refund exactly half a cent", line("A", 2, "50.50", "0", c1), nil, "50.50", "0.51", "0.00", "0.00", "0.00"},
		// 1% × 50.49 = 0.5049 → 0.50
		{"fee refund under half a cent", line("A", 2, "50.49", "0", c1), nil, "50.49", "0.50", "0.00", "0.00", "0.00"},
		// 2.00 off 8 × 1.00, 1.00 + 1.00; one unit back, p = 1/8:
		// discount 0.25, seller 0.125 → 0.13, platform 0.12
		{"seller share reversed exactly half a cent", line("A", 8, "1.00", "0", c1), fixed("2.00", "50"), "1.00", "0.01", "0.25", "0.13", "0.12"},
		// 1.98 off, 0.99 + 0.99; p = 1/8: discount 0.2475 → 0.25,
		// seller 0.12375 → 0.12, platform 0.13
		{"seller share reversed under half a cent", line("A", 8, "1.00", "0", c1), fixed("1.98", "50"), "1.00", "0.01", "0.25", "0.12", "0.13"},
		// 0.20 off, 0.10 + 0.10; p = 1/8: discount 0.025 → 0.03 (half up),
		// seller 0.0125 → 0.01, platform 0.02
		{"discount reversed exactly half a cent", line("A", 8, "1.00", "0", c1), fixed("0.20", "50"), "1.00", "0.01", "0.03", "0.01", "0.02"},
		// 0.99 off, 0.50 + 0.49; p = 1/8: discount 0.12375 → 0.12,
		// seller 0.0625 → 0.06, platform 0.06
		{"discount reversed under half a cent", line("A", 8, "1.00", "0", c1), fixed("0.99", "50"), "1.00", "0.01", "0.12", "0.06", "0.06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"), Lines: []SettleLine{tt.line}, Coupon: tt.coupon,
				Events: []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 1}}}}})
			r := s.Reversals[0]
			if r.CompletesOrder || r.CompletesCoupon {
				t.Fatalf("one unit of several completes nothing: %+v", r)
			}
			wantMoney(t, "merchandise back", r.Merchandise, tt.merchandise)
			wantMoney(t, "fee refunded", r.FeeRefunded, tt.fee)
			wantMoney(t, "discount reversed", r.Discount, tt.discount)
			wantMoney(t, "seller reversed", r.SellerShare, tt.seller)
			wantMoney(t, "platform reversed", r.PlatformShare, tt.platform)
		})
	}
}

// The shipping part of the fee comes back with the return that completes
// the whole order, not with the one that brings the last campaign line
// back; and only when every campaign of the order refunds in full.
func TestSettleShippingPartOfTheFeeOnlyWithTheCompletingReturn(t *testing.T) {
	t.Parallel()
	full, none := models.RefundInFull, models.NoRefund
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	ret := func(d time.Duration, sku string) OrderEvent {
		return OrderEvent{Kind: OrderEventReturned, At: at(d), Lines: []ReturnLine{{sku, 1}}}
	}
	tests := []struct {
		name    string
		lines   []SettleLine
		events  []OrderEvent
		fee     string
		refunds []string
	}{
		// fee = 1% × 100 + 1% × 10 = 1.10
		{"every campaign line back, a plain line still out: no shipping part yet",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "50", "0", noCampaign)},
			[]OrderEvent{done, ret(2*time.Hour, "A"), ret(3*time.Hour, "B")}, "1.10", []string{"1.00", "0.10"}},
		// fee = 1% × 100 + 2% × 100 + 2% × 10 = 3.20: the shipping part is
		// at the highest rate and comes back at the end
		{"two campaigns, both in full: the shipping part (at the highest rate) comes back last",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "100", "0", camp(2, "0.02", full))},
			[]OrderEvent{done, ret(2*time.Hour, "A"), ret(3*time.Hour, "B")}, "3.20", []string{"1.00", "2.20"}},
		{"two campaigns, one not refunding: the full line's part only, never the shipping part",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "100", "0", camp(2, "0.02", none))},
			[]OrderEvent{done, ret(2*time.Hour, "B"), ret(3*time.Hour, "A")}, "3.20", []string{"0.00", "1.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec("10"), Events: tt.events})
			wantMoney(t, "fee", s.Fee, tt.fee)
			var got []string
			for _, r := range s.Reversals {
				got = append(got, r.FeeRefunded.StringFixed(2))
			}
			if strings.Join(got, " ") != strings.Join(tt.refunds, " ") {
				t.Errorf("refunds %v, want %v", got, tt.refunds)
			}
			if !s.Reversals[len(s.Reversals)-1].CompletesOrder || s.Status != OrderReturned {
				t.Errorf("the last return does not complete the order")
			}
			wantMoney(t, "payout by hand", payoutSum(s), s.Payout().StringFixed(2))
		})
	}
}

// A cancellation under either policy: no fee, everything back, payout 0.
func TestSettleCancellationUnderEitherPolicy(t *testing.T) {
	t.Parallel()
	for _, p := range []models.FeeRefundPolicy{models.RefundInFull, models.NoRefund} {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("5"),
			Lines:  []SettleLine{line("A", 1, "100", "10", camp(1, "0.01", p)), line("B", 1, "20", "0", noCampaign)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: models.CouponTerms{Type: models.CouponFixed, Value: dec("10"), MinPurchase: dec("0"), SellerSharePct: dec("50")}},
			Events: []OrderEvent{{Kind: OrderEventCancelled, At: placed}}})
		wantMoney(t, string(p)+" fee", s.Fee, "0.00")
		wantMoney(t, string(p)+" fee at completion", s.FeeAtCompletion, "0.95")
		wantMoney(t, string(p)+" fee refunded", s.Reversed.FeeRefunded, "0.00")
		wantMoney(t, string(p)+" shipping back", s.Reversed.Shipping, "5.00")
		wantMoney(t, string(p)+" merchandise back", s.Reversed.Merchandise, "110.00")
		wantMoney(t, string(p)+" seller share back", s.Reversed.SellerShare, "5.00")
		wantMoney(t, string(p)+" platform share back", s.Reversed.PlatformShare, "5.00")
		wantMoney(t, string(p)+" payout", s.Payout(), "0.00")
	}
}
