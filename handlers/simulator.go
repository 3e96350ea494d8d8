package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// SimulatorStore loads a shop's SKU with its registrations and coupons.
type SimulatorStore interface {
	SimulationSetup(ctx context.Context, shopID, skuID int64, at time.Time) (orders.SimulationSetup, error)
}

// Simulator is the price simulator: a page of its own and the panel the
// price table and the manage page show. It changes nothing (GET).
type Simulator struct {
	Kit
	store SimulatorStore
}

// NewSimulator builds the simulator.
func NewSimulator(k Kit, store SimulatorStore) *Simulator { return &Simulator{Kit: k, store: store} }

const simTimeLayout = "2006-01-02T15:04"

// Page renders the simulator on its own page.
func (h *Simulator) Page(c echo.Context) error {
	v, status, err := h.simulate(c)
	if err != nil {
		return err
	}
	v.PanelURL = ""
	if IsPartial(c) {
		return Render(c, status, views.SimulatorPanel(h.Kit.Page(c, "", ""), v))
	}
	return Render(c, status, views.SimulatorPageView(h.Kit.Page(c, "Price simulator", views.NavCampaigns), v))
}

// Panel renders the panel alone.
func (h *Simulator) Panel(c echo.Context) error {
	v, status, err := h.simulate(c)
	if err != nil {
		return err
	}
	return Render(c, status, views.SimulatorPanel(h.Kit.Page(c, "", ""), v))
}

func (h *Simulator) simulate(c echo.Context) (views.SimulatorView, int, error) {
	shop, err := mustShop(c)
	if err != nil {
		return views.SimulatorView{}, 0, err
	}
	skuID, err := positiveID(c.QueryParam("sku"))
	if err != nil {
		return views.SimulatorView{}, 0, err
	}
	campaignID, _ := positiveID(c.QueryParam("campaign"))
	now := h.Now().UTC()
	setup, err := h.store.SimulationSetup(ctx(c), shop.ID, skuID, now)
	if err != nil {
		return views.SimulatorView{}, 0, err
	}
	v := views.SimulatorView{SKUID: skuID, CampaignID: campaignID, SKULabel: setup.SKU.Code, Product: setup.SKU.Title,
		PanelURL: routes.SimulatorFor(routes.SimulatorPanel, skuID, campaignID), PageURL: routes.SimulatorFor(routes.Simulator, skuID, campaignID),
		Errors: map[string]string{}}
	in := setup.Input
	in.At = defaultInstant(in.Registrations, campaignID, now)

	v.Quantity = strings.TrimSpace(c.QueryParam("qty"))
	if v.Quantity == "" {
		v.Quantity = "1"
	}
	if n, err := models.ParseCount(v.Quantity); err != nil || n < 1 || n > models.MaxOrderQuantity {
		v.Errors["qty"] = fmt.Sprintf("Enter a whole number of units from 1 to %s.", models.GroupThousands(fmt.Sprint(models.MaxOrderQuantity)))
	} else {
		in.Quantity = n
	}
	amount := func(field, raw string) decimal.Decimal {
		raw = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(raw), "$"))
		if raw == "" {
			return decimal.Zero
		}
		d, err := models.ParseAmount(raw)
		if err != nil || d.GreaterThan(models.MaxAmount) {
			v.Errors[field] = "Enter an amount like 5.00, or leave it blank for none."
		}
		return d
	}
	v.SellerCoupon, v.Shipping = c.QueryParam("seller_coupon"), c.QueryParam("shipping")
	in.SellerDiscount = amount("seller_coupon", v.SellerCoupon)
	in.ShippingPaid = amount("shipping", v.Shipping)
	v.At = in.At.Format(simTimeLayout)
	if raw := strings.TrimSpace(c.QueryParam("at")); raw != "" {
		v.At = raw
		at, err := time.ParseInLocation(simTimeLayout, raw, time.UTC)
		if err != nil || at.Year() < 2000 || at.Year() > 2099 {
			v.Errors["at"] = "Enter a date and time like 2026-11-27T09:00 (UTC)."
		} else {
			in.At = at
		}
	}
	if len(v.Errors) > 0 {
		return v, http.StatusUnprocessableEntity, nil
	}
	for id := range setup.Hypothetical {
		for i := range in.Registrations {
			if in.Registrations[i].RegistrationID == id {
				at := in.At
				in.Registrations[i].ApprovedAt = &at
			}
		}
	}
	sim, err := orders.Simulate(in)
	if err != nil {
		return v, 0, err
	}
	fillSimulation(&v, sim, setup)
	return v, http.StatusOK, nil
}

// defaultInstant: the start of the chosen campaign's run while it has not
// started (a seller plans ahead), now otherwise.
func defaultInstant(regs []orders.SKURegistration, campaignID int64, now time.Time) time.Time {
	for _, r := range regs {
		if r.CampaignID != campaignID || len(r.Runs) == 0 {
			continue
		}
		first := r.Runs[0].StartsAt
		for _, run := range r.Runs {
			if run.StartsAt.Before(first) {
				first = run.StartsAt
			}
			if run.Contains(now) {
				return now.Truncate(time.Minute)
			}
		}
		return first.UTC()
	}
	return now.Truncate(time.Minute)
}

func fillSimulation(v *views.SimulatorView, sim orders.Simulation, setup orders.SimulationSetup) {
	m := views.Money
	s := sim.Settlement
	v.AtText = sim.Settlement.PlacedAt.UTC().Format("Jan 2, 2006 15:04 UTC")
	for _, r := range sim.Verdicts {
		row := views.SimCampaignRow{Campaign: r.Registration.CampaignName, Price: m(r.Registration.CampaignPrice), Applies: r.Applies}
		switch {
		case r.Applies:
			row.Verdict = "the lowest campaign price counting now"
		case r.Verdict.IsCampaign():
			row.Verdict = "counts, but another campaign's price is lower (or registered earlier)"
		default:
			row.Verdict = r.Verdict.ReasonText()
		}
		if setup.Hypothetical[r.Registration.RegistrationID] {
			row.Verdict += " · not approved yet: shown as if approved"
		}
		v.Campaigns = append(v.Campaigns, row)
	}
	v.FeeRule = "One campaign service fee per order: the rate and base are those of the campaign whose price applies, the lowest campaign price among the campaigns that count at that moment."
	for _, c := range sim.Coupons {
		cs := c.Settlement
		row := views.SimCouponRow{Code: c.Coupon.Code, Terms: couponTerms(c.Coupon.Terms), Chosen: c.Chosen,
			Discount: m(cs.Discount), Seller: m(cs.SellerShare), Platform: m(cs.PlatformShare)}
		switch cs.Status {
		case orders.CouponApplied:
			row.Outcome = "applies"
			if !c.Chosen {
				row.Outcome = "applies, but another coupon takes more off"
			}
		case orders.CouponBelowMinPurchase:
			row.Outcome = fmt.Sprintf("below the %s minimum purchase (%s)", m(cs.MinPurchase), m(cs.EligibleSubtotal))
			row.Discount, row.Seller, row.Platform = "—", "—", "—"
		default:
			row.Outcome = "does not apply"
			row.Discount, row.Seller, row.Platform = "—", "—", "—"
		}
		v.Coupons = append(v.Coupons, row)
	}
	v.CouponNote = "One co-funded coupon per order: the shopper uses the one that takes the most off. Your share stops at the coupon's maximum seller funding; the platform pays the rest."

	qty := decimal.NewFromInt(int64(sim.Quantity))
	steps := []views.SimStep{{Label: "Retail price", Amount: m(sim.RetailPrice), Note: "per unit"}}
	if sim.Line.IsCampaign() {
		steps = append(steps, views.SimStep{Label: "Campaign price", Amount: m(sim.CampaignPrice), Note: sim.Line.CampaignName})
		if sim.ExtraDiscount.IsPositive() {
			steps = append(steps, views.SimStep{Label: "Extra discount", Amount: "−" + m(sim.ExtraDiscount), Note: "per unit, on the campaign price"})
		}
	}
	line := s.Lines[0]
	steps = append(steps,
		views.SimStep{Label: "Shopper's unit price", Amount: m(sim.UnitPrice), Total: true},
		views.SimStep{Label: fmt.Sprintf("× %d unit%s", sim.Quantity, models.Plural(sim.Quantity)), Amount: m(sim.UnitPrice.Mul(qty))})
	if line.SellerDiscount.IsPositive() {
		steps = append(steps, views.SimStep{Label: "Your own coupon", Amount: "−" + m(line.SellerDiscount), Note: "stacks with the campaign's coupon; you pay it all"})
	}
	steps = append(steps, views.SimStep{Label: "Merchandise", Amount: m(s.Merchandise), Total: true})
	if s.Shipping.IsPositive() {
		steps = append(steps, views.SimStep{Label: "Shipping paid", Amount: "+" + m(s.Shipping)})
	}
	discount, coupon := decimal.Zero, ""
	if s.Coupon != nil {
		discount, coupon = s.Coupon.Discount, s.Coupon.Code
		steps = append(steps, views.SimStep{Label: "Co-funded coupon " + coupon, Amount: "−" + m(discount), Note: "taken off what the shopper pays"})
	}
	steps = append(steps, views.SimStep{Label: "Shopper pays", Amount: m(sim.ShopperPays), Total: true})
	if sim.Line.IsCampaign() {
		base := s.Merchandise.Add(s.Shipping)
		steps = append(steps, views.SimStep{Label: "Campaign service fee", Amount: "−" + m(s.Fee),
			Note: fmt.Sprintf("%s × (%s merchandise + %s shipping = %s); the coupon does not reduce the base", views.Percent(models.PercentOf(sim.Line.Rate)), m(s.Merchandise), m(s.Shipping), m(base))})
	} else {
		steps = append(steps, views.SimStep{Label: "Campaign service fee", Amount: m(decimal.Zero), Note: "no campaign line: no fee"})
	}
	if s.Coupon != nil {
		steps = append(steps,
			views.SimStep{Label: "Your coupon share", Amount: "−" + m(s.Coupon.SellerShare), Note: fmt.Sprintf("%s of %s", views.Percent(s.Coupon.SellerSharePct), m(discount)) + maxFundingNote(s.Coupon)},
			views.SimStep{Label: "Platform's coupon share", Amount: m(s.Coupon.PlatformShare), Note: "paid by the platform, not taken from you"})
	}
	steps = append(steps,
		views.SimStep{Label: "You are paid", Amount: m(s.Payout()), Note: "merchandise + shipping − fee − your coupon share", Total: true},
		views.SimStep{Label: "Per unit", Amount: m(sim.PayoutPerUnit), Note: fmt.Sprintf("÷ %d unit%s, to the cent", sim.Quantity, models.Plural(sim.Quantity))})
	v.Steps = steps
	v.ShopperPays, v.Payout, v.PayoutPerUnit = m(sim.ShopperPays), m(s.Payout()), m(sim.PayoutPerUnit)
}

func maxFundingNote(c *orders.CouponSettlement) string {
	if c.MaxSellerFunding == nil {
		return ""
	}
	return ", at most $" + *c.MaxSellerFunding
}

func couponTerms(t models.CouponTerms) string {
	s := views.Money(t.Value) + " off"
	if t.Type == models.CouponPercent {
		s = views.Percent(t.Value) + " off"
		if t.Cap.Valid {
			s += ", at most " + views.Money(t.Cap.Decimal)
		}
	}
	if t.MinPurchase.IsPositive() {
		s += ", orders of " + views.Money(t.MinPurchase) + "+"
	}
	s += fmt.Sprintf(" · you fund %s", views.Percent(t.SellerSharePct))
	if t.MaxSellerFunding.Valid {
		s += ", at most " + views.Money(t.MaxSellerFunding.Decimal)
	}
	return s
}
