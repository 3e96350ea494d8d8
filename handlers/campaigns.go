package handlers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// CampaignStore is what the seller's campaign pages read.
type CampaignStore interface {
	SellerCampaigns(ctx context.Context, shop models.Shop, f models.CampaignFilter) ([]models.SellerCampaign, models.TabCounts, error)
	SellerCampaign(ctx context.Context, shop models.Shop, campaignID int64) (models.SellerCampaign, error)
	CampaignChangesSince(ctx context.Context, campaignID int64, version int) ([]models.CampaignVersion, error)
}

// Campaigns is Marketing > Campaigns: the list and the details page.
type Campaigns struct {
	Kit
	store CampaignStore
}

// NewCampaigns builds the campaigns area.
func NewCampaigns(k Kit, store CampaignStore) *Campaigns {
	return &Campaigns{Kit: k, store: store}
}

var tabLabels = map[models.SellerTab]string{
	models.TabOpen:       "Open for registration",
	models.TabUpcoming:   "Upcoming",
	models.TabRegistered: "Registered",
	models.TabEnded:      "Ended",
}

// List renders the campaign list; an htmx tab or filter change gets only
// the panel (with the tabs out of band).
func (h *Campaigns) List(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	f := models.CampaignFilter{
		Tab:          models.ParseSellerTab(c.QueryParam("tab")),
		Query:        searchParam(c, "q"),
		CoFunded:     c.QueryParam("cofunded") == "1",
		EligibleOnly: c.QueryParam("eligible") == "1",
	}
	if len(f.Query) > 100 {
		f.Query = f.Query[:100]
	}
	rows, counts, err := h.store.SellerCampaigns(ctx(c), shop, f)
	if err != nil {
		return err
	}
	now := h.Now()
	l := views.CampaignList{
		Tab: string(f.Tab), TabLabel: tabLabels[f.Tab], Query: f.Query, CoFunded: f.CoFunded, EligibleOnly: f.EligibleOnly,
		ShopName:  shop.Name,
		FilterURL: routes.CampaignList(string(f.Tab), "", false, false),
	}
	for _, t := range models.SellerTabs {
		l.Tabs = append(l.Tabs, views.TabLink{
			Key: string(t), Label: tabLabels[t], Count: counts[t], Current: t == f.Tab,
			URL: routes.CampaignList(string(t), f.Query, f.CoFunded, f.EligibleOnly),
		})
	}
	for _, r := range rows {
		l.Rows = append(l.Rows, campaignRow(r, now))
	}
	if IsPartial(c) {
		return Render(c, http.StatusOK, views.CampaignListPartial(l))
	}
	return Render(c, http.StatusOK, views.CampaignsPage(h.Page(c, "Campaigns", views.NavCampaigns), l))
}

func campaignRow(r models.SellerCampaign, now time.Time) views.CampaignRow {
	cp := r.Campaign
	loc := cp.Location()
	phase := cp.PhaseAt(now)
	row := views.CampaignRow{
		ID: cp.ID, Name: cp.Name, URL: routes.Campaign(cp.ID), Timezone: cp.Timezone,
		Deadline:       timeText(cp.RegistrationDeadline, loc),
		Opens:          timeText(cp.RegistrationOpensAt, loc),
		RunDates:       views.RunDates(cp.RunStartsAt, cp.RunEndsAt, loc),
		PhaseLabel:     phaseLabel(phase),
		Eligible:       r.Eligibility.Eligible,
		Reasons:        r.Eligibility.Reasons,
		CoFunded:       cp.CoFunded(),
		ReviewRequired: cp.ReviewRequired,
		LookbackDays:   cp.LookbackDays,
	}
	for _, s := range cp.SubCampaigns {
		row.SubCampaigns = append(row.SubCampaigns, s.Name)
	}
	switch phase {
	case models.PhaseUpcoming:
		row.Countdown = views.Countdown(now, cp.RegistrationOpensAt)
	case models.PhaseOpen:
		row.ShowCountdown = true
		row.Countdown = views.Countdown(now, cp.RegistrationDeadline)
		row.CountdownSoon = views.Soon(now, cp.RegistrationDeadline)
	}
	row.Action = sellerAction(r, phase)
	if r.Registration != nil && r.Registration.Status != models.RegistrationDraft {
		row.Registration, row.RegistrationOK = registrationLabel(r.Registration.Status, r.Partly)
	}
	return row
}

// sellerAction is a row's call to action: Manage a registration, Register
// now when open and eligible, otherwise why not.
func sellerAction(r models.SellerCampaign, phase models.Phase) views.ActionLink {
	details := routes.Campaign(r.Campaign.ID)
	switch {
	case r.Registration != nil && r.Registration.Status == models.RegistrationDraft && phase == models.PhaseOpen:
		return views.ActionLink{Label: "Continue registering", URL: routes.Register(r.Campaign.ID), Primary: true}
	case r.Registration != nil && r.Registration.Status != models.RegistrationDraft:
		return views.ActionLink{Label: "Manage", URL: routes.Registration(r.Registration.ID), Primary: true}
	case phase == models.PhaseOpen && r.Eligibility.Eligible:
		return views.ActionLink{Label: "Register now", URL: details, Primary: true}
	case phase == models.PhaseOpen:
		return views.ActionLink{Label: "Register now", Disabled: true, Why: "Your shop does not meet the criteria"}
	default:
		return views.ActionLink{Label: "View details", URL: details}
	}
}

// Show renders a campaign's details with the shop's standing.
func (h *Campaigns) Show(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := h.store.SellerCampaign(ctx(c), shop, id)
	if err != nil {
		return err
	}
	d := campaignDetails(r, h.Now())
	// What changed: since the shop's registration version, or the latest
	// version's changes for everyone else.
	since := r.Campaign.Version - 1
	if r.Registration != nil && r.Registration.CampaignVersion < r.Campaign.Version {
		since = r.Registration.CampaignVersion
		d.RegisteredVersion = since
		d.ConfirmURL = routes.RegistrationConfirm(r.Registration.ID)
	}
	if since >= 1 {
		versions, err := h.store.CampaignChangesSince(ctx(c), r.Campaign.ID, since)
		if err != nil {
			return err
		}
		for i := len(versions) - 1; i >= 0; i-- { // oldest first
			d.Changes = append(d.Changes, versions[i].Changes...)
		}
		if len(versions) > 0 {
			d.ChangesVersion = versions[0].Version
		}
	}
	return Render(c, http.StatusOK, views.CampaignDetailsPage(h.Page(c, d.Name, views.NavCampaigns), d))
}

func campaignDetails(r models.SellerCampaign, now time.Time) views.CampaignDetails {
	cp := r.Campaign
	loc := cp.Location()
	phase := cp.PhaseAt(now)
	d := views.CampaignDetails{
		ID: cp.ID, Name: cp.Name, Description: cp.Description, Benefits: cp.Benefits, Timezone: cp.Timezone,
		PhaseLabel:       phaseLabel(phase),
		Opens:            timeText(cp.RegistrationOpensAt, loc),
		Deadline:         timeText(cp.RegistrationDeadline, loc),
		RunStart:         timeText(cp.RunStartsAt, loc),
		RunEnd:           timeText(cp.RunEndsAt, loc),
		RunDates:         views.RunDates(cp.RunStartsAt, cp.RunEndsAt, loc),
		Criteria:         r.Eligibility.Criteria,
		Eligible:         r.Eligibility.Eligible,
		Reasons:          r.Eligibility.Reasons,
		CouponsRequired:  cp.CouponsMustBeAccepted,
		LookbackRule:     models.LookbackRuleText(cp.LookbackDays),
		ReviewRequired:   cp.ReviewRequired,
		WithdrawalReview: cp.WithdrawalReview,
		FeeRate:          views.Percent(models.PercentOf(cp.FeeRate)),
		Version:          cp.Version,
		ListURL:          routes.Campaigns,
		RegistrationOpen: phase == models.PhaseOpen,
	}
	if phase == models.PhaseOpen {
		d.ShowCountdown = true
		d.Countdown = views.Countdown(now, cp.RegistrationDeadline)
		d.CountdownSoon = views.Soon(now, cp.RegistrationDeadline)
	}
	for _, s := range cp.SubCampaigns {
		d.SubCampaigns = append(d.SubCampaigns, views.SubCampaignView{Name: s.Name, Dates: views.RunDates(s.StartsAt, s.EndsAt, loc)})
	}
	for _, t := range cp.Tiers {
		d.Tiers = append(d.Tiers, tierView(t, cp.LookbackDays))
	}
	for _, cpn := range cp.Coupons {
		d.Coupons = append(d.Coupons, couponRow(cpn))
	}
	if showsCouponsUsed(r) {
		for _, u := range models.CouponsUsed(cp.Coupons, r.CouponUsage) {
			d.CouponsUsed = append(d.CouponsUsed, couponUsedRow(u))
		}
	}
	if cp.ExtraDiscountAllowed && cp.ExtraDiscountMinPct.Valid {
		d.ExtraDiscount = fmt.Sprintf("optional, per product, at least %s; every SKU of the product must be registered. Leave it blank for none.",
			views.Percent(cp.ExtraDiscountMinPct.Decimal))
	} else {
		d.ExtraDiscount = "not offered in this campaign."
	}
	if cp.FeeRefundPolicy == models.RefundInFull {
		d.FeeRefund = "Cancelled or returned orders are not charged, and a fee already charged is refunded in full."
	} else {
		d.FeeRefund = "Cancelled or returned orders are not charged; a fee already charged is not refunded."
	}
	// The source's worked example, computed by the same function that
	// charges real orders.
	ex := models.ExampleFee(cp.FeeRate)
	d.Fee = views.FeeExample{
		ItemPrice: views.Money(ex.ItemPrice), SellerDiscount: views.Money(ex.SellerDiscount),
		PriceAfterDiscount: views.Money(ex.AfterDiscount), Shipping: views.Money(ex.Shipping), Rate: d.FeeRate,
		Fee: views.Money(ex.Fee),
	}
	if phase == models.PhaseOpen && r.Eligibility.Eligible {
		d.RegisterURL = routes.Register(cp.ID)
	}
	if r.Registration != nil && r.Registration.Status != models.RegistrationDraft {
		d.Registration, _ = registrationLabel(r.Registration.Status, r.Partly)
		d.RegistrationURL = routes.Registration(r.Registration.ID)
	}
	return d
}

func tierView(t models.CampaignTier, lookbackDays int) views.TierView {
	name := "Featured"
	if t.Tier == models.TierRegular {
		name = "Regular"
	}
	tr := models.TierRule{Tier: t.Tier, MaxPricePct: t.MaxPricePct, RecommendedPct: t.RecommendedPct, MinStock: t.MinStock}
	rule := fmt.Sprintf("Campaign price at or below your %d-day low", lookbackDays)
	if off := tr.BelowLowPct(); off.IsPositive() {
		rule = fmt.Sprintf("Campaign price at least %s below your %d-day low", views.Percent(off), lookbackDays)
	}
	return views.TierView{Name: name, Rule: rule, MinStock: t.MinStock,
		Recommended: views.Percent(tr.RecommendedBelowLowPct()) + " below the low"}
}

func couponRow(c models.Coupon) views.CouponRow {
	row := views.CouponRow{
		Code:          c.Code,
		MinPurchase:   views.Money(c.MinPurchase),
		Cap:           "—",
		Targeting:     "All customers",
		Ratio:         fmt.Sprintf("%s / %s", views.Percent(c.SellerSharePct), views.Percent(c.PlatformSharePct)),
		MaxSellerFund: "No limit",
		QuantityLeft:  fmt.Sprintf("%d of %d", c.QuantityLeft(), c.TotalQuantity),
	}
	if c.DiscountType == models.CouponFixed {
		row.Type, row.TypeLabel, row.Value = "$", "Fixed amount off", views.Money(c.Value)
	} else {
		row.Type, row.TypeLabel, row.Value = "%", "Percentage off", views.Percent(c.Value)
	}
	if c.Cap.Valid {
		row.Cap = views.Money(c.Cap.Decimal)
	}
	if c.Targeting == "segment" {
		row.Targeting = "Selected customers: " + c.SegmentName
	}
	if c.MaxSellerFunding.Valid {
		row.MaxSellerFund = views.Money(c.MaxSellerFunding.Decimal) + " per order"
	}
	// An example the seller can check by hand: an order at the minimum
	// purchase (or $100 when there is none).
	if order, cost := models.ExampleCoupon(c); cost.Applies {
		row.Example = fmt.Sprintf("On a %s order: %s off, you pay %s", views.Money(order), views.Money(cost.Discount), views.Money(cost.SellerShare))
	}
	return row
}

func timeText(t time.Time, loc *time.Location) views.TimeText {
	return views.TimeText{Text: views.DateTime(t, loc), ISO: views.ISO(t)}
}

func phaseLabel(p models.Phase) string {
	switch p {
	case models.PhaseDraft:
		return "Draft"
	case models.PhaseUpcoming:
		return "Upcoming"
	case models.PhaseOpen:
		return "Open for registration"
	case models.PhaseRegistrationClosed:
		return "Registration closed"
	case models.PhaseRunning:
		return "Running"
	case models.PhaseClosed:
		return "Closed early"
	default:
		return "Ended"
	}
}

// registrationLabel is a registration status in the seller's words, and
// whether it is a good one; partly: registered with products rejected or
// SKUs kept out by the reviewer.
func registrationLabel(s models.RegistrationStatus, partly bool) (string, bool) {
	switch {
	case s == models.RegistrationPending:
		return "Under review", false
	case s == models.RegistrationRegistered && partly:
		return "Partly registered", true
	case s == models.RegistrationRegistered:
		return "Registered", true
	case s == models.RegistrationRejected:
		return "Rejected", false
	case s == models.RegistrationWithdrawn:
		return "Withdrawn", false
	}
	return string(s), false
}

// showsCouponsUsed: a shop sees its co-funding once registered (or
// withdrawn), or whenever it has claims.
func showsCouponsUsed(r models.SellerCampaign) bool {
	if r.Registration == nil {
		return false
	}
	switch r.Registration.Status {
	case models.RegistrationRegistered, models.RegistrationWithdrawn:
		return true
	}
	for _, u := range r.CouponUsage {
		if u.Claims > 0 {
			return true
		}
	}
	return false
}

func couponUsedRow(u models.CouponUsed) views.CouponUsedRow {
	c := u.Coupon
	row := views.CouponUsedRow{Code: c.Code, MaxFunding: "No limit", Claims: views.Count(int(u.Claims)),
		Used: views.Money(u.SellerShare), Capped: views.Count(int(u.Capped)), Left: "No limit",
		LeftNote: "no maximum seller funding or cap"}
	if c.MaxSellerFunding.Valid {
		row.MaxFunding = views.Money(c.MaxSellerFunding.Decimal) + " per order"
	}
	if u.Limited {
		most, _ := c.MostSellerSharePerOrder()
		row.Left = views.Money(u.MostLeft)
		row.LeftNote = fmt.Sprintf("%s coupons left × at most %s an order", views.Count(max(c.QuantityLeft(), 0)), views.Money(most))
	}
	return row
}
