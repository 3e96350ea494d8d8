package orders

import (
	"campaignportal/models"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Settlement tests: every rule of issue 8 with each boundary on both sides.

var placed = time.Date(2025, 11, 28, 10, 0, 0, 0, time.UTC)

func camp(id int64, rate string, policy models.FeeRefundPolicy) LineCampaign {
	return LineCampaign{CampaignID: id, CampaignName: "C" + decimal.NewFromInt(id).String(), Rate: dec(rate), Policy: policy,
		CampaignPrice: dec("1")}
}

var noCampaign = LineCampaign{Reason: NotRegistered}

func line(sku string, qty int, unit, discount string, c LineCampaign) SettleLine {
	return SettleLine{SKU: sku, Quantity: qty, UnitPrice: dec(unit), SellerDiscount: dec(discount), Campaign: c}
}

func at(d time.Duration) time.Time { return placed.Add(d) }

func mustSettle(t *testing.T, in SettlementInput) Settlement {
	t.Helper()
	s, err := Settle(in)
	if err != nil {
		t.Fatalf("Settle: %v", err)
	}
	return s
}

func wantMoney(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if got.StringFixed(2) != want {
		t.Errorf("%s = %s, want %s", what, got.StringFixed(2), want)
	}
}

func TestRoundRatHalfCents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		num, den int64
		want     string
	}{
		{1003, 100000, "0.01"}, // 0.01003
		{1005, 100000, "0.01"}, // 0.01005: below a half cent
		{10025, 1000, "10.03"}, // exactly half a cent: up
		{100249999, 10000000, "10.02"},
		{-10025, 1000, "-10.03"}, // away from zero
		{1, 3, "0.33"},
		{2, 3, "0.67"},
		{0, 1, "0.00"},
	}
	for _, tt := range tests {
		if got := roundRat(big.NewRat(tt.num, tt.den)).StringFixed(2); got != tt.want {
			t.Errorf("round(%d/%d) = %s, want %s", tt.num, tt.den, got, tt.want)
		}
	}
}

// The pitfall: 28.07 × 50/140 is exactly 10.025. Dividing first (16 places)
// gives 10.0249999… and rounds down; the engine must give 10.03.
func TestExactProportionRoundsHalfUp(t *testing.T) {
	t.Parallel()
	p := decimal.NewFromInt(50).Div(decimal.NewFromInt(140))
	if got := models.RoundCents(dec("28.07").Mul(p)).StringFixed(2); got != "10.02" {
		t.Fatalf("the pitfall no longer reproduces: %s", got)
	}
	// A fixed coupon of 28.07 on a 140.00 eligible subtotal; 50.00 of it
	// comes back.
	in := SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
		Lines: []SettleLine{line("A", 1, "50.00", "0", camp(1, "0.01", models.RefundInFull)), line("B", 1, "90.00", "0", camp(1, "0.01", models.RefundInFull))},
		Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: models.CouponTerms{Type: models.CouponFixed, Value: dec("28.07"),
			MinPurchase: dec("0"), SellerSharePct: dec("50")}},
		Events: []OrderEvent{{Kind: OrderEventCompleted, At: at(time.Hour)}, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 1}}}},
	}
	s := mustSettle(t, in)
	wantMoney(t, "discount", s.Coupon.Discount, "28.07")
	wantMoney(t, "seller share", s.Coupon.SellerShare, "14.04") // 14.035: the odd half cent goes to the seller
	wantMoney(t, "platform share", s.Coupon.PlatformShare, "14.03")
	r := s.Reversals[0]
	wantMoney(t, "discount reversed", r.Discount, "10.03")
	wantMoney(t, "seller reversed", r.SellerShare, "5.01") // 14.04 × 50/140 = 5.0142…
	wantMoney(t, "platform reversed", r.PlatformShare, "5.02")
}

func TestFee(t *testing.T) {
	t.Parallel()
	full := models.RefundInFull
	tests := []struct {
		name     string
		lines    []SettleLine
		shipping string
		want     string
		exact    string
	}{
		{"the seed's example: $100, $10 seller discount, $5 shipping, 1%",
			[]SettleLine{line("A", 1, "100", "10", camp(1, "0.01", full))}, "5", "0.95", "0.95"},
		{"a rate with three decimals, half cent up", []SettleLine{line("A", 1, "33.00", "0", camp(1, "0.015", full))}, "0", "0.50", "0.495"},
		{"a rate with three decimals, just below a half cent", []SettleLine{line("A", 1, "32.99", "0", camp(1, "0.015", full))}, "0", "0.49", "0.49485"},
		{"quantity times unit price minus the line's discount", []SettleLine{line("A", 3, "20.00", "6.00", camp(1, "0.01", full))}, "0", "0.54", "0.54"},
		{"a line outside any campaign pays no fee", []SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "500", "0", noCampaign)}, "0", "1.00", "1.00"},
		{"shipping counts only with a campaign line", []SettleLine{line("A", 1, "100", "0", noCampaign)}, "9.99", "0.00", "0"},
		{"all the shipping at the highest rate of the order's campaigns",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "100", "0", camp(2, "0.02", full)), line("C", 1, "100", "0", noCampaign)},
			"10", "3.20", "3.20"},
		{"rounded once per order, not once per campaign (0.105 + 0.105)",
			[]SettleLine{line("A", 1, "10.50", "0", camp(1, "0.01", full)), line("B", 1, "10.50", "0", camp(2, "0.01", full))}, "0", "0.21", "0.21"},
		{"a whole-line discount leaves no base", []SettleLine{line("A", 2, "5.00", "10.00", camp(1, "0.01", full))}, "0", "0.00", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec(tt.shipping)})
			wantMoney(t, "fee", s.Fee, tt.want)
			if !s.FeeExact.Equal(dec(tt.exact)) {
				t.Errorf("exact fee = %s, want %s", s.FeeExact, tt.exact)
			}
			if s.Status != OrderPlaced {
				t.Errorf("status = %s", s.Status)
			}
		})
	}
}

// The engine agrees with the single-rate function the campaign details
// page uses for its example.
func TestFeeAgreesWithCampaignServiceFee(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ rate, price, disc, ship string }{{"0.01", "100", "10", "5"}, {"0.015", "19.99", "0.33", "4.49"}, {"0.0275", "1234.56", "12.34", "0"}} {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec(c.ship),
			Lines: []SettleLine{line("A", 1, c.price, c.disc, camp(1, c.rate, models.RefundInFull))}})
		want := models.CampaignServiceFee(dec(c.rate), dec(c.price), dec(c.disc), dec(c.ship))
		if !s.Fee.Equal(want) {
			t.Errorf("%v: engine %s, CampaignServiceFee %s", c, s.Fee, want)
		}
	}
}

func percentCoupon(value, minPurchase, capAmt, sellerPct, maxFunding string) models.CouponTerms {
	t := models.CouponTerms{Type: models.CouponPercent, Value: dec(value), MinPurchase: dec(minPurchase), SellerSharePct: dec(sellerPct)}
	if capAmt != "" {
		t.Cap = nullDec(capAmt)
	}
	if maxFunding != "" {
		t.MaxSellerFunding = nullDec(maxFunding)
	}
	return t
}

func TestCoupon(t *testing.T) {
	t.Parallel()
	full := models.RefundInFull
	seed := percentCoupon("20", "100", "50", "50", "")
	fixed10 := models.CouponTerms{Type: models.CouponFixed, Value: dec("10"), MinPurchase: dec("0"), SellerSharePct: dec("50")}
	tests := []struct {
		name                       string
		lines                      []SettleLine
		couponCampaign             int64
		terms                      models.CouponTerms
		taken                      bool
		status                     CouponStatus
		eligible                   string
		discount, seller, platform string
	}{
		{"the seed: a $100 order gets $20 off, $10 + $10", []SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "100.00", "20.00", "10.00", "10.00"},
		{"the seed: a $300 order gets $50 off (cap), $25 + $25", []SettleLine{line("A", 3, "100", "0", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "300.00", "50.00", "25.00", "25.00"},
		{"minimum purchase met exactly", []SettleLine{line("A", 1, "110", "10", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "100.00", "20.00", "10.00", "10.00"},
		{"minimum purchase missed by a cent", []SettleLine{line("A", 1, "110", "10.01", camp(1, "0.01", full))}, 1, seed, true,
			CouponBelowMinPurchase, "99.99", "0.00", "0.00", "0.00"},
		{"cap hit exactly ($250 × 20% = $50)", []SettleLine{line("A", 1, "250", "0", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "250.00", "50.00", "25.00", "25.00"},
		{"a cent over the cap's subtotal: capped ($250.05 × 20% = 50.01)", []SettleLine{line("A", 1, "250.05", "0", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "250.05", "50.00", "25.00", "25.00"},
		{"a cent under: not capped, half cent up ($249.98 × 20% = 49.996)", []SettleLine{line("A", 1, "249.98", "0", camp(1, "0.01", full))}, 1, seed, true,
			CouponApplied, "249.98", "50.00", "25.00", "25.00"},
		{"percentage half cent up: 15% of 100.10 = 15.015", []SettleLine{line("A", 1, "100.10", "0", camp(1, "0.01", full))}, 1, percentCoupon("15", "0", "", "50", ""), true,
			CouponApplied, "100.10", "15.02", "7.51", "7.51"},
		{"an odd half cent goes to the seller: 10.05 splits 5.03 / 5.02", []SettleLine{line("A", 1, "100.50", "0", camp(1, "0.01", full))}, 1, percentCoupon("10", "0", "", "50", ""), true,
			CouponApplied, "100.50", "10.05", "5.03", "5.02"},
		{"maximum seller funding stops the seller's share", []SettleLine{line("A", 1, "300", "0", camp(1, "0.01", full))}, 1, percentCoupon("20", "100", "50", "50", "20"), true,
			CouponApplied, "300.00", "50.00", "20.00", "30.00"},
		{"maximum seller funding met exactly", []SettleLine{line("A", 1, "300", "0", camp(1, "0.01", full))}, 1, percentCoupon("20", "100", "50", "50", "25"), true,
			CouponApplied, "300.00", "50.00", "25.00", "25.00"},
		{"fixed: the value", []SettleLine{line("A", 1, "30", "0", camp(1, "0.01", full))}, 1, fixed10, true,
			CouponApplied, "30.00", "10.00", "5.00", "5.00"},
		{"fixed: never above the eligible subtotal", []SettleLine{line("A", 1, "7.99", "0", camp(1, "0.01", full))}, 1, fixed10, true,
			CouponApplied, "7.99", "7.99", "4.00", "3.99"},
		{"only the coupon campaign's lines count toward the minimum", []SettleLine{line("A", 1, "60", "0", camp(1, "0.01", full)), line("B", 1, "60", "0", camp(2, "0.01", full)), line("C", 1, "60", "0", noCampaign)}, 1, seed, true,
			CouponBelowMinPurchase, "60.00", "0.00", "0.00", "0.00"},
		{"the eligible subtotal is the campaign's lines only", []SettleLine{line("A", 2, "60", "0", camp(1, "0.01", full)), line("B", 1, "60", "0", camp(2, "0.01", full))}, 1, seed, true,
			CouponApplied, "120.00", "24.00", "12.00", "12.00"},
		{"not applicable: no line in the coupon's campaign", []SettleLine{line("A", 1, "100", "0", camp(2, "0.01", full))}, 1, seed, true,
			CouponNotApplicable, "0.00", "0.00", "0.00", "0.00"},
		{"not applicable comes before below minimum and exhausted", []SettleLine{line("A", 1, "10", "0", noCampaign)}, 1, seed, false,
			CouponNotApplicable, "0.00", "0.00", "0.00", "0.00"},
		{"below minimum comes before exhausted", []SettleLine{line("A", 1, "10", "0", camp(1, "0.01", full))}, 1, seed, false,
			CouponBelowMinPurchase, "10.00", "0.00", "0.00", "0.00"},
		// A $0.00 eligible subtotal has nothing to take off, whatever the
		// minimum: its own reason, and no coupon taken (issue 17).
		{"a $0.00 subtotal with a $0.00 minimum: nothing to discount", []SettleLine{line("A", 1, "10", "10", camp(1, "0.01", full))}, 1, fixed10, false,
			CouponNothingToDiscount, "0.00", "0.00", "0.00", "0.00"},
		{"a $0.00 subtotal at $0.00 unit price", []SettleLine{line("A", 3, "0", "0", camp(1, "0.01", full))}, 1, percentCoupon("15", "0", "", "50", ""), false,
			CouponNothingToDiscount, "0.00", "0.00", "0.00", "0.00"},
		{"a $0.00 subtotal with a minimum: nothing to discount too", []SettleLine{line("A", 1, "10", "10", camp(1, "0.01", full))}, 1, seed, false,
			CouponNothingToDiscount, "0.00", "0.00", "0.00", "0.00"},
		{"a cent meets a $0.00 minimum", []SettleLine{line("A", 1, "0.01", "0", camp(1, "0.01", full))}, 1, fixed10, true,
			CouponApplied, "0.01", "0.01", "0.01", "0.00"},
		{"exhausted: none left", []SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full))}, 1, seed, false,
			CouponExhausted, "100.00", "0.00", "0.00", "0.00"},
		{"a platform-funded coupon: the seller pays nothing", []SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full))}, 1, percentCoupon("20", "0", "", "0", ""), true,
			CouponApplied, "100.00", "20.00", "0.00", "20.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec("5"),
				Coupon: &SettleCoupon{ID: 9, CampaignID: tt.couponCampaign, Terms: tt.terms, Taken: tt.taken}})
			c := s.Coupon
			if c.Status != tt.status {
				t.Fatalf("status = %s, want %s", c.Status, tt.status)
			}
			wantMoney(t, "eligible subtotal", c.EligibleSubtotal, tt.eligible)
			wantMoney(t, "discount", c.Discount, tt.discount)
			wantMoney(t, "seller share", c.SellerShare, tt.seller)
			wantMoney(t, "platform share", c.PlatformShare, tt.platform)
			// The coupon never reduces the fee base.
			noCoupon := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec("5")})
			if !s.Fee.Equal(noCoupon.Fee) {
				t.Errorf("fee with coupon %s, without %s", s.Fee, noCoupon.Fee)
			}
			// payout = merchandise + shipping − fee − seller share
			want := s.Merchandise.Add(dec("5")).Sub(s.Fee).Sub(c.SellerShare)
			wantMoney(t, "payout", s.Payout(), want.StringFixed(2))
		})
	}
}

func TestCheckCoupon(t *testing.T) {
	t.Parallel()
	lines := []SettleLine{line("A", 1, "100", "0", camp(1, "0.01", models.RefundInFull))}
	if st, _ := CheckCoupon(lines, 0, percentCoupon("20", "0", "", "50", "")); st != CouponNotApplicable {
		t.Errorf("campaign 0: %s", st)
	}
	if st, sub := CheckCoupon(lines, 1, percentCoupon("20", "100", "", "50", "")); st != "" || sub.StringFixed(2) != "100.00" {
		t.Errorf("applies: %q %s", st, sub)
	}
}

// payoutSum recomputes the payout from the published parts, as a seller
// checking by hand would.
func payoutSum(s Settlement) decimal.Decimal {
	r := s.Reversed
	return s.Merchandise.Add(s.Shipping).Sub(s.Fee).Sub(s.SellerShare()).Sub(r.Merchandise).Sub(r.Shipping).Add(r.FeeRefunded).Add(r.SellerShare)
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	in := SettlementInput{PlacedAt: placed, ShippingPaid: dec("5"),
		Lines:  []SettleLine{line("A", 2, "100", "10", camp(1, "0.01", models.NoRefund))},
		Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("20", "100", "50", "50", "")},
		Events: []OrderEvent{{Kind: OrderEventCancelled, At: at(time.Minute)}},
	}
	s := mustSettle(t, in)
	if s.Status != OrderCancelled || s.CancelledAt == nil {
		t.Fatalf("status %s", s.Status)
	}
	wantMoney(t, "fee", s.Fee, "0.00")
	wantMoney(t, "fee at completion", s.FeeAtCompletion, "1.95")
	wantMoney(t, "fee refunded", s.Reversed.FeeRefunded, "0.00")
	wantMoney(t, "merchandise reversed", s.Reversed.Merchandise, "190.00")
	wantMoney(t, "shipping reversed", s.Reversed.Shipping, "5.00")
	wantMoney(t, "discount reversed", s.Reversed.Discount, "38.00")
	wantMoney(t, "seller reversed", s.Reversed.SellerShare, "19.00")
	wantMoney(t, "platform reversed", s.Reversed.PlatformShare, "19.00")
	wantMoney(t, "payout", s.Payout(), "0.00")
	if len(s.Reversals) != 1 || !s.Reversals[0].CompletesOrder {
		t.Fatalf("reversals: %+v", s.Reversals)
	}
}

func TestPlacedShowsWhatItWouldSettleAt(t *testing.T) {
	t.Parallel()
	s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("5"), Lines: []SettleLine{line("A", 1, "100", "10", camp(1, "0.01", models.RefundInFull))}})
	wantMoney(t, "fee", s.Fee, "0.95")
	wantMoney(t, "payout", s.Payout(), "94.05")
	if s.Status != OrderPlaced {
		t.Fatal(s.Status)
	}
}

func TestEventRules(t *testing.T) {
	t.Parallel()
	base := func(events ...OrderEvent) SettlementInput {
		return SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"), Events: events,
			Lines: []SettleLine{line("A", 3, "10", "0", camp(1, "0.01", models.RefundInFull)), line("B", 1, "5", "0", noCampaign)}}
	}
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	tests := []struct {
		name   string
		events []OrderEvent
		reason string // "" = accepted
		status OrderStatus
	}{
		{"completed at placed_at exactly", []OrderEvent{{Kind: OrderEventCompleted, At: placed}}, "", OrderCompleted},
		{"completed a second before placed_at", []OrderEvent{{Kind: OrderEventCompleted, At: at(-time.Second)}}, "before the order was placed", ""},
		{"cancelled from placed", []OrderEvent{{Kind: OrderEventCancelled, At: at(time.Second)}}, "", OrderCancelled},
		{"a second completion", []OrderEvent{done, {Kind: OrderEventCompleted, At: at(2 * time.Hour)}}, "already completed", ""},
		{"cancelled after completion", []OrderEvent{done, {Kind: OrderEventCancelled, At: at(2 * time.Hour)}}, "only a placed order can be cancelled", ""},
		{"completed after cancellation", []OrderEvent{{Kind: OrderEventCancelled, At: at(time.Second)}, {Kind: OrderEventCompleted, At: at(2 * time.Second)}}, "cancelled order cannot be completed", ""},
		{"returned while placed", []OrderEvent{{Kind: OrderEventReturned, At: at(time.Second)}}, "only a completed order can be returned", ""},
		{"returned after cancellation", []OrderEvent{{Kind: OrderEventCancelled, At: at(time.Second)}, {Kind: OrderEventReturned, At: at(2 * time.Second)}}, "cancelled order cannot be returned", ""},
		{"an event before the previous one", []OrderEvent{done, {Kind: OrderEventReturned, At: at(time.Hour - time.Second)}}, "before the previous event", ""},
		{"an event at the previous one's moment", []OrderEvent{done, {Kind: OrderEventReturned, At: at(time.Hour), Lines: []ReturnLine{{"A", 1}}}}, "", OrderPartiallyReturned},
		{"a partial return", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 2}}}}, "", OrderPartiallyReturned},
		{"returning every unit line by line", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 3}, {"B", 1}}}}, "", OrderReturned},
		{"no lines returns every unit left", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 1}}}, {Kind: OrderEventReturned, At: at(3 * time.Hour)}}, "", OrderReturned},
		{"nothing left to return", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour)}, {Kind: OrderEventReturned, At: at(3 * time.Hour)}}, "already returned", ""},
		{"an unknown SKU", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"Z", 1}}}}, "not in the order", ""},
		{"a quantity below 1", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 0}}}}, "at least 1", ""},
		{"returning exactly what was sold", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 3}}}}, "", OrderPartiallyReturned},
		{"returning one more than was sold", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 4}}}}, "only 3 of 3", ""},
		{"returning more than is left", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 2}}}, {Kind: OrderEventReturned, At: at(3 * time.Hour), Lines: []ReturnLine{{"A", 2}}}}, "only 1 of 3", ""},
		{"a SKU listed twice", []OrderEvent{done, {Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 1}, {"A", 1}}}}, "listed twice", ""},
		{"an unknown event", []OrderEvent{{Kind: "shipped", At: at(time.Second)}}, "unknown event", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Settle(base(tt.events...))
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if s.Status != tt.status {
					t.Errorf("status = %s, want %s", s.Status, tt.status)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v, want %q", err, tt.reason)
			}
			if !errors.Is(err, models.ErrConflict) {
				t.Errorf("%v is not a conflict", err)
			}
		})
	}
}

// A line of 3 units with a $1.00 seller discount: each unit is worth
// 10 − 1/3. Returned one at a time, each event rounds on its own (9.67,
// 9.67) and the last, which completes the order, reverses what is left
// (9.66); returned at once, 29.00. Both net to the same totals.
func TestPartialReturnsNetToTheSameTotals(t *testing.T) {
	t.Parallel()
	lines := []SettleLine{line("A", 3, "10.00", "1.00", camp(1, "0.015", models.RefundInFull)), line("B", 1, "20.00", "0", camp(2, "0.01", models.RefundInFull))}
	coupon := &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("10", "0", "", "50", "")}
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	returnB := OrderEvent{Kind: OrderEventReturned, At: at(90 * time.Minute), Lines: []ReturnLine{{"B", 1}}}
	oneByOne := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: lines, ShippingPaid: dec("4.99"), Coupon: coupon, Events: []OrderEvent{done, returnB,
		{Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 1}}},
		{Kind: OrderEventReturned, At: at(3 * time.Hour), Lines: []ReturnLine{{"A", 1}}},
		{Kind: OrderEventReturned, At: at(4 * time.Hour), Lines: []ReturnLine{{"A", 1}}},
	}})
	atOnce := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: lines, ShippingPaid: dec("4.99"), Coupon: coupon, Events: []OrderEvent{done, returnB,
		{Kind: OrderEventReturned, At: at(2 * time.Hour), Lines: []ReturnLine{{"A", 3}}},
	}})
	// fee = 0.015 × 29 + 0.01 × 20 + 0.015 × 4.99 = 0.70985 → 0.71
	wantMoney(t, "fee", oneByOne.Fee, "0.71")
	wantMoney(t, "discount", oneByOne.Coupon.Discount, "2.90") // 10% of 29.00
	join := func(s Settlement, f func(Reversal) decimal.Decimal) string {
		var out []string
		for _, r := range s.Reversals {
			out = append(out, f(r).StringFixed(2))
		}
		return strings.Join(out, " ")
	}
	checks := []struct {
		what string
		f    func(Reversal) decimal.Decimal
		want string
	}{
		{"merchandise", func(r Reversal) decimal.Decimal { return r.Merchandise }, "20.00 9.67 9.67 9.66"},
		// 0.015 × 9.666… = 0.145 → 0.15; the last brings back the rest,
		// the shipping part included.
		{"fee refunded", func(r Reversal) decimal.Decimal { return r.FeeRefunded }, "0.20 0.15 0.15 0.21"},
		// p = 1/3: 2.90/3 = 0.9666… → 0.97; the last reverses what is left.
		{"discount", func(r Reversal) decimal.Decimal { return r.Discount }, "0.00 0.97 0.97 0.96"},
		{"seller share", func(r Reversal) decimal.Decimal { return r.SellerShare }, "0.00 0.48 0.48 0.49"},
		{"platform share", func(r Reversal) decimal.Decimal { return r.PlatformShare }, "0.00 0.49 0.49 0.47"},
	}
	for _, c := range checks {
		if got := join(oneByOne, c.f); got != c.want {
			t.Errorf("%s per event: %s, want %s", c.what, got, c.want)
		}
	}
	if !oneByOne.Reversals[3].CompletesCoupon || oneByOne.Reversals[2].CompletesCoupon || !oneByOne.Reversals[3].CompletesOrder {
		t.Errorf("completion flags wrong")
	}
	if !sameTotals(oneByOne.Reversed, atOnce.Reversed) {
		t.Errorf("1+1+1 totals %+v\n3 at once totals %+v", oneByOne.Reversed, atOnce.Reversed)
	}
	wantMoney(t, "merchandise reversed", atOnce.Reversed.Merchandise, "49.00")
	wantMoney(t, "fee refunded", atOnce.Reversed.FeeRefunded, "0.71")
	wantMoney(t, "discount reversed", atOnce.Reversed.Discount, "2.90")
	wantMoney(t, "seller reversed", atOnce.Reversed.SellerShare, "1.45")
	wantMoney(t, "payout", atOnce.Payout(), "4.99")
	if oneByOne.Status != OrderReturned || atOnce.Status != OrderReturned {
		t.Errorf("status %s / %s", oneByOne.Status, atOnce.Status)
	}
}

func sameTotals(a, b Totals) bool {
	return a.Merchandise.Equal(b.Merchandise) && a.Shipping.Equal(b.Shipping) && a.FeeRefunded.Equal(b.FeeRefunded) &&
		a.Discount.Equal(b.Discount) && a.SellerShare.Equal(b.SellerShare) && a.PlatformShare.Equal(b.PlatformShare) &&
		a.Payout.Equal(b.Payout)
}

func TestFeeRefundPolicies(t *testing.T) {
	t.Parallel()
	full, none := models.RefundInFull, models.NoRefund
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	ret := func(d time.Duration, lines ...ReturnLine) OrderEvent {
		return OrderEvent{Kind: OrderEventReturned, At: at(d), Lines: lines}
	}
	tests := []struct {
		name       string
		lines      []SettleLine
		shipping   string
		events     []OrderEvent
		fee        string
		refunds    []string
		payout     string
		fullRefund bool
	}{
		{"full: the seed's order returned whole gets the whole fee back, shipping part included",
			[]SettleLine{line("A", 1, "100", "10", camp(1, "0.01", full))}, "5", []OrderEvent{done, ret(2 * time.Hour)},
			"0.95", []string{"0.95"}, "5.00", true},
		{"full: a partial return refunds the returned lines' part only, not shipping",
			[]SettleLine{line("A", 2, "100", "0", camp(1, "0.01", full))}, "50", []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1})},
			"2.50", []string{"1.00"}, "148.50", true},
		{"full: then the return that completes the order brings back the rest, shipping part included",
			[]SettleLine{line("A", 2, "100", "0", camp(1, "0.01", full))}, "50", []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1}), ret(3 * time.Hour)},
			"2.50", []string{"1.00", "1.50"}, "50.00", true},
		{"full: refund half cent up (0.01 × 50.50 = 0.505)",
			[]SettleLine{line("A", 2, "50.50", "0", camp(1, "0.01", full))}, "0", []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1})},
			"1.01", []string{"0.51"}, "50.00", true},
		{"none: nothing comes back; a whole return leaves the seller owing the fee",
			[]SettleLine{line("A", 1, "100", "10", camp(1, "0.01", none))}, "0", []OrderEvent{done, ret(2 * time.Hour)},
			"0.90", []string{"0.00"}, "-0.90", false},
		{"none: with shipping, the payout is shipping less the fee",
			[]SettleLine{line("A", 1, "100", "10", camp(1, "0.01", none))}, "5", []OrderEvent{done, ret(2 * time.Hour)},
			"0.95", []string{"0.00"}, "4.05", false},
		{"mixed: each returned line follows its own campaign; no shipping part at the end",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.02", full)), line("B", 1, "100", "0", camp(2, "0.01", none))}, "10",
			[]OrderEvent{done, ret(2*time.Hour, ReturnLine{"B", 1}), ret(3 * time.Hour)},
			"3.20", []string{"0.00", "2.00"}, "8.80", false},
		{"non-campaign lines refund nothing",
			[]SettleLine{line("A", 1, "100", "0", camp(1, "0.01", full)), line("B", 1, "100", "0", noCampaign)}, "0",
			[]OrderEvent{done, ret(2*time.Hour, ReturnLine{"B", 1})},
			"1.00", []string{"0.00"}, "99.00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSettle(t, SettlementInput{PlacedAt: placed, Lines: tt.lines, ShippingPaid: dec(tt.shipping), Events: tt.events})
			wantMoney(t, "fee", s.Fee, tt.fee)
			if s.FeeFullRefund != tt.fullRefund {
				t.Errorf("full refund = %v", s.FeeFullRefund)
			}
			if len(s.Reversals) != len(tt.refunds) {
				t.Fatalf("%d reversals", len(s.Reversals))
			}
			for i, r := range s.Reversals {
				wantMoney(t, "refund", r.FeeRefunded, tt.refunds[i])
				if !r.Shipping.IsZero() {
					t.Errorf("a return took shipping back: %s", r.Shipping)
				}
			}
			wantMoney(t, "payout", s.Payout(), tt.payout)
			wantMoney(t, "payout by hand", payoutSum(s), tt.payout)
		})
	}
}

// The coupon on a partial return: reversed in proportion, the seller's
// part kept within what is left and high enough that the platform never
// gets back more than it paid; not recomputed on what the customer keeps.
func TestCouponOnReturns(t *testing.T) {
	t.Parallel()
	done := OrderEvent{Kind: OrderEventCompleted, At: at(time.Hour)}
	ret := func(d time.Duration, lines ...ReturnLine) OrderEvent {
		return OrderEvent{Kind: OrderEventReturned, At: at(d), Lines: lines}
	}
	c1 := camp(1, "0.01", models.RefundInFull)
	t.Run("a capped coupon stays capped", func(t *testing.T) {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
			Lines:  []SettleLine{line("A", 3, "100", "0", c1)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("20", "100", "50", "50", "")},
			Events: []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1})}})
		// p = 1/3: 50 × 1/3 = 16.67, not 50 − min(20% × 200, 50) = 10.
		wantMoney(t, "discount reversed", s.Reversed.Discount, "16.67")
		wantMoney(t, "seller reversed", s.Reversed.SellerShare, "8.33")
		wantMoney(t, "platform reversed", s.Reversed.PlatformShare, "8.34")
	})
	t.Run("falling below the minimum does not claw it back", func(t *testing.T) {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
			Lines:  []SettleLine{line("A", 2, "60", "0", c1)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("20", "100", "50", "50", "")},
			Events: []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1})}})
		wantMoney(t, "discount reversed", s.Reversed.Discount, "12.00")
		wantMoney(t, "seller reversed", s.Reversed.SellerShare, "6.00")
	})
	t.Run("returning a line outside the coupon's campaign reverses nothing of it", func(t *testing.T) {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
			Lines:  []SettleLine{line("A", 1, "100", "0", c1), line("B", 1, "100", "0", noCampaign)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("20", "100", "50", "50", "")},
			Events: []OrderEvent{done, ret(2*time.Hour, ReturnLine{"B", 1})}})
		wantMoney(t, "discount reversed", s.Reversed.Discount, "0.00")
		if s.Reversals[0].CompletesCoupon {
			t.Error("completes coupon")
		}
	})
	t.Run("the seller's reversal is capped by its share left when max funding binds", func(t *testing.T) {
		s := mustSettle(t, SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
			Lines:  []SettleLine{line("A", 2, "150", "0", c1)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: percentCoupon("20", "100", "50", "50", "5")},
			Events: []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1}), ret(3 * time.Hour)}})
		wantMoney(t, "seller share", s.Coupon.SellerShare, "5.00")
		wantMoney(t, "first seller reversal", s.Reversals[0].SellerShare, "2.50")
		wantMoney(t, "first platform reversal", s.Reversals[0].PlatformShare, "22.50")
		wantMoney(t, "second seller reversal", s.Reversals[1].SellerShare, "2.50")
		wantMoney(t, "platform reversed", s.Reversed.PlatformShare, "45.00")
	})
	fourUnits := func(value, sellerPct string) SettlementInput {
		return SettlementInput{PlacedAt: placed, ShippingPaid: dec("0"),
			Lines:  []SettleLine{line("A", 4, "0.25", "0", c1)},
			Coupon: &SettleCoupon{ID: 1, CampaignID: 1, Taken: true, Terms: models.CouponTerms{Type: models.CouponFixed, Value: dec(value), MinPurchase: dec("0"), SellerSharePct: dec(sellerPct)}},
			Events: []OrderEvent{done, ret(2*time.Hour, ReturnLine{"A", 1}), ret(3*time.Hour, ReturnLine{"A", 1}), ret(4*time.Hour, ReturnLine{"A", 1}), ret(5 * time.Hour)}}
	}
	splits := func(s Settlement) string {
		var got []string
		for _, r := range s.Reversals {
			got = append(got, r.Discount.StringFixed(2)+"="+r.SellerShare.StringFixed(2)+"+"+r.PlatformShare.StringFixed(2))
		}
		return strings.Join(got, " ")
	}
	t.Run("the ceiling: the seller never gets back more than its share left", func(t *testing.T) {
		// Discount 0.05: seller 0.03 (0.025 up), platform 0.02; p = 1/4
		// each time: discount round(0.0125) = 0.01, seller round(0.0075)
		// = 0.01 three times, and the last reverses what is left.
		s := mustSettle(t, fourUnits("0.05", "50"))
		if got, want := splits(s), "0.01=0.01+0.00 0.01=0.01+0.00 0.01=0.01+0.00 0.02=0.00+0.02"; got != want {
			t.Errorf("reversals %s, want %s", got, want)
		}
	})
	t.Run("the floor: the platform never gets back more than it paid", func(t *testing.T) {
		// Discount 0.10 at 90/10: seller 0.09, platform 0.01. p = 1/4:
		// discount round(0.025) = 0.03, seller round(0.0225) = 0.02, so
		// the platform gets its whole 0.01 back at once. Next time the
		// seller's round(0.0225) = 0.02 would give the platform 0.01 more
		// than it paid: the floor lifts the seller's part to 0.03.
		s := mustSettle(t, fourUnits("0.10", "90"))
		wantMoney(t, "seller share", s.Coupon.SellerShare, "0.09")
		if got, want := splits(s), "0.03=0.02+0.01 0.03=0.03+0.00 0.03=0.03+0.00 0.01=0.01+0.00"; got != want {
			t.Errorf("reversals %s, want %s", got, want)
		}
		wantMoney(t, "platform reversed", s.Reversed.PlatformShare, "0.01")
	})
}

func TestApplicableCampaign(t *testing.T) {
	t.Parallel()
	ptr := func(d time.Duration) *time.Time { x := placed.Add(d); return &x }
	running := []Run{{StartsAt: at(-24 * time.Hour), EndsAt: at(24 * time.Hour)}}
	reg := func(id int64, price string, mods ...func(*SKURegistration)) SKURegistration {
		r := SKURegistration{RegistrationID: id, CampaignID: id, CampaignName: "C", FeeRate: dec("0.01"), Policy: models.RefundInFull,
			CampaignPrice: dec(price), RegisteredAt: at(-72 * time.Hour), ApprovedAt: ptr(-48 * time.Hour), Runs: running}
		for _, m := range mods {
			m(&r)
		}
		return r
	}
	approved := func(d time.Duration) func(*SKURegistration) {
		return func(r *SKURegistration) { r.ApprovedAt = ptr(d) }
	}
	withdrawn := func(d time.Duration) func(*SKURegistration) {
		return func(r *SKURegistration) { r.WithdrawnAt = append(r.WithdrawnAt, *ptr(d)) }
	}
	skuError := func(d time.Duration) func(*SKURegistration) {
		return func(r *SKURegistration) { r.SKUErrorAt = ptr(d) }
	}
	runs := func(rs ...Run) func(*SKURegistration) { return func(r *SKURegistration) { r.Runs = rs } }
	registered := func(d time.Duration) func(*SKURegistration) {
		return func(r *SKURegistration) { r.RegisteredAt = at(d) }
	}
	tests := []struct {
		name     string
		regs     []SKURegistration
		campaign int64
		reason   NotCampaignReason
	}{
		{"no registration", nil, 0, NotRegistered},
		{"approved and running", []SKURegistration{reg(1, "10")}, 1, ""},
		{"approved exactly at placed_at", []SKURegistration{reg(1, "10", approved(0))}, 1, ""},
		{"approved one second after placed_at", []SKURegistration{reg(1, "10", approved(time.Second))}, 0, NotApproved},
		{"never approved (pending or rejected)", []SKURegistration{reg(1, "10", func(r *SKURegistration) { r.ApprovedAt = nil })}, 0, NotApproved},
		{"run starts exactly at placed_at", []SKURegistration{reg(1, "10", runs(Run{at(0), at(time.Hour)}))}, 1, ""},
		{"run starts one second later", []SKURegistration{reg(1, "10", runs(Run{at(time.Second), at(time.Hour)}))}, 0, OutsideRun},
		{"run ends exactly at placed_at (end exclusive)", []SKURegistration{reg(1, "10", runs(Run{at(-time.Hour), at(0)}))}, 0, OutsideRun},
		{"run ends one second later", []SKURegistration{reg(1, "10", runs(Run{at(-time.Hour), at(time.Second)}))}, 1, ""},
		{"between two sub-campaigns", []SKURegistration{reg(1, "10", runs(Run{at(-2 * time.Hour), at(-time.Hour)}, Run{at(time.Hour), at(2 * time.Hour)}))}, 0, OutsideRun},
		{"in the second sub-campaign", []SKURegistration{reg(1, "10", runs(Run{at(-2 * time.Hour), at(-time.Hour)}, Run{at(0), at(2 * time.Hour)}))}, 1, ""},
		{"withdrawal effective exactly at placed_at", []SKURegistration{reg(1, "10", withdrawn(0))}, 0, Withdrawn},
		{"withdrawal effective one second later", []SKURegistration{reg(1, "10", withdrawn(time.Second))}, 1, ""},
		{"withdrawal before the approval (an earlier enrolment)", []SKURegistration{reg(1, "10", withdrawn(-50*time.Hour))}, 1, ""},
		{"SKU error since placed_at", []SKURegistration{reg(1, "10", skuError(0))}, 0, InSKUError},
		{"SKU error one second later", []SKURegistration{reg(1, "10", skuError(time.Second))}, 1, ""},
		{"lowest campaign price wins", []SKURegistration{reg(1, "10.00"), reg(2, "9.99"), reg(3, "10.01")}, 2, ""},
		{"a tie goes to the earliest registration", []SKURegistration{reg(1, "10", registered(-10*time.Hour)), reg(2, "10", registered(-20*time.Hour))}, 2, ""},
		{"a tie at the same moment goes to the lower id", []SKURegistration{reg(2, "10"), reg(1, "10")}, 1, ""},
		{"a cheaper registration that does not count is skipped", []SKURegistration{reg(1, "10"), reg(2, "5", withdrawn(0))}, 1, ""},
		{"the most telling reason is kept", []SKURegistration{reg(1, "10", approved(time.Hour)), reg(2, "10", withdrawn(-time.Hour))}, 0, Withdrawn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ApplicableCampaign(tt.regs, placed)
			if got.CampaignID != tt.campaign || got.Reason != tt.reason {
				t.Errorf("got campaign %d reason %q, want %d %q", got.CampaignID, got.Reason, tt.campaign, tt.reason)
			}
			if got.Reason == Withdrawn && (got.ReasonAt == nil || !strings.HasPrefix(got.ReasonText(), "Withdrawn at ")) {
				t.Errorf("withdrawn without its time: %q", got.ReasonText())
			}
		})
	}
}

func TestEnrolmentApproval(t *testing.T) {
	t.Parallel()
	h := func(n int) time.Time { return placed.Add(time.Duration(n) * time.Hour) }
	ts := func(ns ...int) []time.Time {
		var out []time.Time
		for _, n := range ns {
			out = append(out, h(n))
		}
		return out
	}
	ptr := func(n int) *time.Time { x := h(n); return &x }
	tests := []struct {
		name        string
		status      models.ProductStatus
		created     int
		withdrawals []time.Time
		approvals   []time.Time
		decided     *time.Time
		want        *time.Time
	}{
		{"the approval of its batch", models.ProductRegistered, 5, nil, ts(1, 10), ptr(10), ptr(10)},
		{"a later batch's approval, not an earlier one", models.ProductRegistered, 5, nil, ts(1, 7, 9), ptr(9), ptr(7)},
		{"back-dated: created after every approval", models.ProductRegistered, 50, nil, ts(1, 10), ptr(10), ptr(1)},
		{"no review: the decision time", models.ProductRegistered, 5, nil, nil, ptr(6), ptr(6)},
		{"re-registered after a withdrawal", models.ProductRegistered, 5, ts(20), ts(10, 30), ptr(30), ptr(30)},
		{"re-registered, not approved yet", models.ProductSKUError, 5, ts(20), ts(10), ptr(10), nil},
		{"withdrawn: the approval before the withdrawal", models.ProductWithdrawn, 5, ts(20), ts(10, 30), ptr(30), ptr(10)},
		{"withdrawn before any approval", models.ProductWithdrawn, 5, ts(8), ts(10), ptr(10), nil},
		{"never decided", models.ProductRegistered, 5, nil, nil, nil, nil},
	}
	for _, tt := range tests {
		got := enrolmentApproval(tt.status, h(tt.created), tt.withdrawals, tt.approvals, tt.decided)
		if (got == nil) != (tt.want == nil) || (got != nil && !got.Equal(*tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
