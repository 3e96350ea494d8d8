package handlers

import (
	"fmt"
	"time"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// campaignState names a campaign's state for staff, the one vocabulary of
// the manager's list, the campaign page and the platform view: draft,
// scheduled, open for registration, registration closed, running, ended,
// closed early.
func campaignState(cp models.Campaign, now time.Time) (string, string) {
	switch cp.PhaseAt(now) {
	case models.PhaseDraft:
		return "Draft", "muted"
	case models.PhaseUpcoming:
		return "Scheduled", "info"
	case models.PhaseOpen:
		return "Open for registration", "ok"
	case models.PhaseRegistrationClosed:
		return "Registration closed", "warn"
	case models.PhaseRunning:
		return "Running", "ok"
	case models.PhaseClosed:
		return "Closed", "bad"
	}
	return "Ended", "muted"
}

// managerNotice is the success message after an action, named by the
// redirect's ?done= (a fixed word, so the query cannot put text on the page).
func managerNotice(done string, cp models.Campaign) string {
	switch done {
	case "created":
		return "Draft saved. Preview it as sellers will see it, then publish when ready."
	case "saved":
		return "Draft saved."
	case "published":
		return fmt.Sprintf("Published as version 1. Sellers see it from %s.", views.DateTime(cp.RegistrationOpensAt, cp.Location()))
	case "version":
		return fmt.Sprintf("Version %d published. Sellers see what changed; registrations keep their rules until their seller confirms.", cp.Version)
	case "closed":
		return "Registration closed early. No new registrations are accepted; registered products stay in the campaign."
	case "budget":
		return "Platform budget saved. The Performance page shows it burn down."
	case "duplicated":
		return "Duplicated as a draft for next year: every date moved a year on. Check it, save it and publish when ready."
	}
	return ""
}

func managerCampaignView(m models.ManagedCampaign, now time.Time) views.ManagerCampaign {
	cp := m.Campaign
	loc := cp.Location()
	state, tone := campaignState(cp, now)
	v := views.ManagerCampaign{
		ID: cp.ID, Name: cp.Name, State: state, StateTone: tone, Version: cp.Version, Revision: cp.Revision,
		Timezone: cp.Timezone, Opens: views.DateTime(cp.RegistrationOpensAt, loc), Deadline: views.DateTime(cp.RegistrationDeadline, loc),
		RunDates: views.RunDates(cp.RunStartsAt, cp.RunEndsAt, loc), Registrations: m.Registrations, PendingReviews: m.PendingReviews,
		EditURL: routes.ManagerEdit(cp.ID), PreviewURL: routes.ManagerPreview(cp.ID), PublishURL: routes.ManagerPublish(cp.ID),
		CloseURL: routes.ManagerClose(cp.ID), DuplicateURL: routes.ManagerDuplicate(cp.ID),
		CanPublish: cp.Status == models.CampaignDraft, CanClose: cp.Status == models.CampaignPublished,
		CanEdit: cp.Status != models.CampaignClosed, EditLabel: "Edit draft",
		Rules: campaignRules(cp),
	}
	if cp.Status == models.CampaignPublished {
		v.EditLabel = "Edit (new version)"
	}
	if cp.Status != models.CampaignDraft { // closed early, a campaign still runs
		v.PerformanceURL = routes.ManagerPerformance(cp.ID, "", "")
	}
	for _, s := range cp.SubCampaigns {
		v.SubCampaigns = append(v.SubCampaigns, views.SubCampaignView{Name: s.Name, Dates: views.RunDates(s.StartsAt, s.EndsAt, loc)})
	}
	for _, cpn := range cp.Coupons {
		row := views.ManagerCoupon{Text: fmt.Sprintf("%s: %s; %d of %d left", cpn.Code, models.CouponSummary(cpn), cpn.QuantityLeft(), cpn.TotalQuantity)}
		// A budget for what the platform pays of the coupon; a draft's
		// coupons are not saved rows yet to keep one against.
		if cpn.PlatformSharePct.IsPositive() && cp.Status != models.CampaignDraft {
			row.Budget = &views.ManagerBudget{CouponID: cpn.ID, Code: cpn.Code, FieldID: routes.CouponBudgetFieldID(cpn.ID),
				Action: routes.ManagerCouponBudget(cp.ID, cpn.ID)}
			if cpn.PlatformBudget.Valid {
				row.Budget.Value = cpn.PlatformBudget.Decimal.StringFixed(2)
			}
		}
		v.Coupons = append(v.Coupons, row)
	}
	for _, ver := range m.Versions {
		v.Versions = append(v.Versions, views.HistoryEntry{When: views.DateTime(ver.PublishedAt, loc), Who: ver.Publisher,
			Action: fmt.Sprintf("Version %d", ver.Version), Changes: ver.Changes})
	}
	for _, a := range m.Audit {
		v.Audit = append(v.Audit, views.HistoryEntry{When: views.DateTime(a.At, loc), Who: a.Actor, Action: auditLabel(a.Action), Changes: a.Changes})
	}
	return v
}

// campaignRules states every rule of the campaign, grouped as the form
// groups them, in the words sellers read.
func campaignRules(cp models.Campaign) []views.RuleGroup {
	sps := "Minimum " + cp.MinSPS.StringFixed(2) + "; shops without an SPS yet may not register"
	if cp.AllowNoSPS {
		sps = "Minimum " + cp.MinSPS.StringFixed(2) + "; shops without an SPS yet may register"
	}
	shipping := "Not required"
	if cp.FreeShippingRequired {
		shipping = "Required"
		if cp.MaxFreeShippingThreshold.Valid {
			shipping = "Required, on orders of " + views.Money(cp.MaxFreeShippingThreshold.Decimal) + " or less"
		}
	}
	coupons := "Optional: a shop chooses which coupons to accept"
	if cp.CouponsMustBeAccepted {
		coupons = "Every campaign coupon must be accepted to enrol"
	}
	eligibility := views.RuleGroup{Title: "Eligibility", TestID: "rules-eligibility", Rules: []views.Rule{
		{Label: "Shop Performance Score", Value: sps},
		{Label: "Free shipping", Value: shipping},
		{Label: "Campaign coupons", Value: coupons},
	}}

	prices := views.RuleGroup{Title: "Prices and tiers", TestID: "rules-prices", Rules: []views.Rule{
		{Label: "Price lookback", Value: fmt.Sprintf("%d days: %s", cp.LookbackDays, models.LookbackRuleText(cp.LookbackDays))},
	}}
	for _, t := range cp.Tiers {
		tv := tierView(t, cp.LookbackDays)
		prices.Rules = append(prices.Rules, views.Rule{Label: tv.Name + " tier",
			Value: fmt.Sprintf("%s (at most %s of the low); recommended %s; at least %d in stock per SKU",
				tv.Rule, views.Percent(t.MaxPricePct), tv.Recommended, t.MinStock)})
	}
	extra := "Not offered"
	if cp.ExtraDiscountAllowed && cp.ExtraDiscountMinPct.Valid {
		extra = "Optional, per product, at least " + views.Percent(cp.ExtraDiscountMinPct.Decimal) + "; every SKU of the product must be registered"
	}
	prices.Rules = append(prices.Rules, views.Rule{Label: "Extra discount", Value: extra})

	review := "No: registrations are accepted when submitted"
	if cp.ReviewRequired {
		review = "Yes: a reviewer approves or rejects each product"
	}
	refund := "Cancelled or returned orders are not charged; a fee already charged is not refunded"
	if cp.FeeRefundPolicy == models.RefundInFull {
		refund = "Cancelled or returned orders are not charged; a fee already charged is refunded in full"
	}
	floor := "None"
	if cp.BuyerPriceFloorPct.Valid {
		floor = views.Percent(cp.BuyerPriceFloorPct.Decimal) + " of the retail price: reviewers are warned of a SKU whose stacked buyer price (campaign price − extra discount − the largest co-funded coupon) is below it"
	}
	fees := views.RuleGroup{Title: "Review and fees", TestID: "rules-fees", Rules: []views.Rule{
		{Label: "Registrations need review", Value: review},
		{Label: "Buyer price floor", Value: floor},
		{Label: "Withdrawals need review", Value: withdrawalPolicy(cp.WithdrawalReview)},
		{Label: "Campaign service fee", Value: views.Percent(models.PercentOf(cp.FeeRate)) +
			" of gross sales − seller discount + customer-paid shipping, once per order"},
		{Label: "Fee refund policy", Value: refund},
	}}
	return []views.RuleGroup{eligibility, prices, fees}
}

func auditLabel(action string) string {
	switch action {
	case "created":
		return "Created"
	case "edited":
		return "Draft edited"
	case "published":
		return "Published"
	case "new_version":
		return "New version published"
	case "closed":
		return "Closed early"
	case "duplicated":
		return "Duplicated"
	case "budget":
		return "Platform budget changed"
	}
	return action
}
