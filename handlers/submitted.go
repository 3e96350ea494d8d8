package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// Submitted is the page after submitting: status, price recommendations
// and related campaigns.
func (h *Register) Submitted(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	sv, err := h.store.Submitted(ctx(c), shop, id, h.Now())
	if err != nil {
		return err
	}
	v := views.SubmittedPage{CampaignName: sv.Campaign.Name, Products: sv.Products, SKUs: sv.SKUs,
		ManageURL: routes.Registration(id), RegisterURL: routes.Register(sv.Campaign.ID),
		AcceptAllURL: routes.RecommendationsAccept(id), Notice: c.QueryParam("notice")}
	v.Status, v.StatusOK = registrationLabel(sv.Registration.Status, false)
	switch sv.Registration.Status {
	case models.RegistrationPending:
		v.Message = "This campaign has co-funded coupons or stricter rules, so a reviewer checks it within 5 business days. You will see the decision here and in Manage."
	case models.RegistrationRegistered:
		v.Message = "Your products are in the campaign."
	}
	for _, r := range sv.Recommendations {
		v.Recommendations = append(v.Recommendations, recommendationRow(id, r))
		if r.Status == "open" {
			v.OpenRecommendations++
		}
	}
	for _, r := range sv.Related {
		loc := r.Campaign.Location()
		rc := views.RelatedCampaign{Name: r.Campaign.Name, Deadline: views.DateTime(r.Campaign.RegistrationDeadline, loc),
			CopyURL: routes.RegisterCopy(r.Campaign.ID, id), ViewURL: routes.Campaign(r.Campaign.ID)}
		for _, s := range r.Campaign.SubCampaigns {
			rc.Subs = append(rc.Subs, s.Name)
		}
		v.Related = append(v.Related, rc)
	}
	return Render(c, http.StatusOK, views.SubmittedPageView(h.Page(c, "Registration submitted", views.NavCampaigns), v))
}

func recommendationRow(regID int64, r models.Recommendation) views.RecommendationRow {
	row := views.RecommendationRow{ID: r.ID, URL: routes.Recommendation(regID, r.ID), Product: r.Title, SKU: r.SKUCode,
		Recommended: views.Money(r.Price), Status: r.Status, YourPrice: "—"}
	if r.CampaignPrice.Valid {
		row.YourPrice = views.Money(r.CampaignPrice.Decimal)
	}
	if r.Kind == "featured" {
		row.Why = "Qualifies the SKU's price for Featured"
	} else {
		row.Why = "The campaign's recommended price"
	}
	switch r.Status {
	case "accepted":
		row.Outcome = "Accepted: " + views.Money(r.FinalPrice.Decimal)
	case "edited":
		row.Outcome = "Your price: " + views.Money(r.FinalPrice.Decimal)
	case "dismissed":
		row.Outcome = "Dismissed"
	}
	return row
}

// AcceptAllRecommendations accepts every open recommendation at once and
// returns to the Submitted page saying how many.
func (h *Register) AcceptAllRecommendations(c echo.Context) error {
	shop, regID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	n, err := h.store.AcceptAllRecommendations(ctx(c), shop.ID, SessionFrom(c).User.ID, regID, h.Now())
	if err != nil {
		return err
	}
	notice := fmt.Sprintf("%d %s accepted.", n, pick(n, "recommendation", "recommendations"))
	return Redirect(c, routes.RegistrationSubmitted(regID)+"?notice="+urlQueryEscape(notice))
}

// DecideRecommendation records accept, edit or dismiss and answers with
// the row.
func (h *Register) DecideRecommendation(c echo.Context) error {
	shop, regID, recID, err := shopAndIDs(c, "id", "rec")
	if err != nil {
		return err
	}
	action := models.RecommendationAction(c.FormValue("action"))
	raw := strings.TrimSpace(c.FormValue("price"))
	var price decimal.NullDecimal
	var ferr *models.FieldError
	if action == models.RecommendationEdit {
		price, ferr = models.ParsePrice(raw)
	}
	if ferr != nil {
		err = &models.ValidationError{Fields: map[string]string{"price": ferr.Message}}
	} else {
		err = h.store.DecideRecommendation(ctx(c), shop.ID, SessionFrom(c).User.ID, regID, recID, action, price, h.Now())
	}
	var invalid *models.ValidationError
	status := http.StatusOK
	var fieldErr string
	switch {
	case errors.As(err, &invalid):
		status, fieldErr = http.StatusUnprocessableEntity, invalid.Fields["price"]+invalid.Fields["action"]
	case err != nil:
		return err
	}
	if !IsPartial(c) && status == http.StatusOK {
		return Redirect(c, routes.RegistrationSubmitted(regID))
	}
	sv, err := h.store.Submitted(ctx(c), shop, regID, h.Now())
	if err != nil {
		return err
	}
	for _, r := range sv.Recommendations {
		if r.ID == recID {
			row := recommendationRow(regID, r)
			row.Error, row.EditValue = fieldErr, raw
			return Render(c, status, views.RecommendationRowView(h.Page(c, "", ""), row))
		}
	}
	return models.ErrNotFound
}

// CopyFrom opens another campaign's price table pre-filled with the prices
// of a registration the shop just submitted.
func (h *Register) CopyFrom(c echo.Context) error {
	shop, to, from, err := shopAndIDs(c, "id", "from")
	if err != nil {
		return err
	}
	_, n, err := h.store.CopyToCampaign(ctx(c), shop, from, to, h.Now())
	if err != nil {
		return err
	}
	return Redirect(c, routes.Register(to)+"?notice="+urlQueryEscape(fmt.Sprintf("Pre-filled %d SKUs with the prices you entered; they are checked against this campaign's rules.", n)))
}
