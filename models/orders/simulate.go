package orders

import (
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
)

// The price simulator: what a shopper pays and what the seller keeps for
// an order of one SKU placed at a given instant. It builds the order the
// marketplace would send and settles it with Settle, the engine that
// settles imported orders; its only arithmetic of its own is the shopper's
// unit price (campaign price less the extra discount, models'
// ExtraDiscountAmount) and the payout shared per unit.

// SimCoupon is a co-funded coupon a simulated order could use.
type SimCoupon struct {
	ID         int64
	CampaignID int64
	Code       string
	Terms      models.CouponTerms
}

// SimulationInput is the SKU, its registrations and the basket.
type SimulationInput struct {
	At          time.Time
	SKU         string
	RetailPrice decimal.Decimal
	// Registrations are the SKU's registrations as the campaign-line rule
	// reads them (a draft's is passed as approved at At: "once approved").
	Registrations []SKURegistration
	// ExtraDiscountPct is each registration's product extra discount.
	ExtraDiscountPct map[int64]decimal.NullDecimal
	// Coupons are the co-funded coupons of the campaigns involved.
	Coupons        []SimCoupon
	Quantity       int
	SellerDiscount decimal.Decimal // the seller's own coupons on the order: they stack
	ShippingPaid   decimal.Decimal
}

// RegistrationVerdict is one registration of the SKU at the instant:
// whether it counts, and whether its price is the one that applies.
type RegistrationVerdict struct {
	Registration SKURegistration
	Verdict      LineCampaign // its own verdict, as if it were the only one
	Applies      bool
}

// CouponOption is one coupon of the applicable campaign on this basket.
type CouponOption struct {
	Coupon     SimCoupon
	Settlement CouponSettlement
	// Chosen: the one the order gets (one co-funded coupon per order: the
	// applied coupon with the largest discount, the first on a tie).
	Chosen bool
}

// Simulation is the step-by-step answer.
type Simulation struct {
	Quantity      int
	RetailPrice   decimal.Decimal
	Line          LineCampaign // the applicable campaign, or why none
	Verdicts      []RegistrationVerdict
	CampaignPrice decimal.Decimal // zero without a campaign line
	ExtraDiscount decimal.Decimal // per unit
	UnitPrice     decimal.Decimal // what the shopper pays per unit before coupons
	Coupons       []CouponOption
	Settlement    Settlement // the order settled with the chosen coupon
	ShopperPays   decimal.Decimal
	PayoutPerUnit decimal.Decimal
}

// Order is the simulated order as the import would store it: its lines,
// shipping and the chosen coupon (nil: none).
func (s Simulation) Order() (SettleLine, *SimCoupon) {
	l := s.Settlement.Lines[0]
	line := SettleLine{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice, SellerDiscount: l.SellerDiscount, Campaign: l.Campaign}
	for _, c := range s.Coupons {
		if c.Chosen {
			cp := c.Coupon
			return line, &cp
		}
	}
	return line, nil
}

// Simulate settles the simulated order. Quantity below 1 counts as 1; a
// seller discount above the line is stopped at the line's value.
func Simulate(in SimulationInput) (Simulation, error) {
	qty := max(in.Quantity, 1)
	sim := Simulation{Quantity: qty, RetailPrice: in.RetailPrice}
	sim.Line = ApplicableCampaign(in.Registrations, in.At)
	for _, r := range in.Registrations {
		v := ApplicableCampaign([]SKURegistration{r}, in.At)
		sim.Verdicts = append(sim.Verdicts, RegistrationVerdict{Registration: r, Verdict: v,
			Applies: sim.Line.IsCampaign() && r.RegistrationID == sim.Line.RegistrationID})
	}
	sim.UnitPrice = in.RetailPrice
	if sim.Line.IsCampaign() {
		sim.CampaignPrice = sim.Line.CampaignPrice
		sim.ExtraDiscount = models.ExtraDiscountAmount(sim.CampaignPrice, in.ExtraDiscountPct[sim.Line.RegistrationID])
		sim.UnitPrice = sim.CampaignPrice.Sub(sim.ExtraDiscount)
	}
	gross := sim.UnitPrice.Mul(decimal.NewFromInt(int64(qty)))
	line := SettleLine{SKU: in.SKU, Quantity: qty, UnitPrice: sim.UnitPrice,
		SellerDiscount: decimal.Min(decimal.Max(in.SellerDiscount, decimal.Zero), gross), Campaign: sim.Line}
	order := SettlementInput{PlacedAt: in.At, Lines: []SettleLine{line}, ShippingPaid: decimal.Max(in.ShippingPaid, decimal.Zero)}

	chosen := -1
	for _, c := range in.Coupons {
		if !sim.Line.IsCampaign() || c.CampaignID != sim.Line.CampaignID {
			continue
		}
		withCoupon := order
		withCoupon.Coupon = &SettleCoupon{ID: c.ID, CampaignID: c.CampaignID, Code: c.Code, Terms: c.Terms, Taken: true}
		s, err := Settle(withCoupon)
		if err != nil {
			return sim, err
		}
		sim.Coupons = append(sim.Coupons, CouponOption{Coupon: c, Settlement: *s.Coupon})
		if s.Coupon.Status == CouponApplied && (chosen < 0 || s.Coupon.Discount.GreaterThan(sim.Coupons[chosen].Settlement.Discount)) {
			chosen = len(sim.Coupons) - 1
		}
	}
	if chosen >= 0 {
		sim.Coupons[chosen].Chosen = true
		c := sim.Coupons[chosen].Coupon
		order.Coupon = &SettleCoupon{ID: c.ID, CampaignID: c.CampaignID, Code: c.Code, Terms: c.Terms, Taken: true}
	}
	s, err := Settle(order)
	if err != nil {
		return sim, err
	}
	sim.Settlement = s
	discount := decimal.Zero
	if s.Coupon != nil {
		discount = s.Coupon.Discount
	}
	sim.ShopperPays = s.Merchandise.Add(s.Shipping).Sub(discount)
	sim.PayoutPerUnit = models.RoundCents(s.Payout().Div(decimal.NewFromInt(int64(qty))))
	return sim, nil
}
