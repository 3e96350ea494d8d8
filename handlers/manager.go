package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// ManagerStore is what campaign managers' pages need.
type ManagerStore interface {
	ManagerCampaigns(ctx context.Context) ([]models.ManagerCampaignRow, error)
	ManagedCampaign(ctx context.Context, id int64) (models.ManagedCampaign, error)
	CreateCampaign(ctx context.Context, actorID int64, c models.Campaign) (int64, error)
	SaveCampaign(ctx context.Context, actorID, id int64, revision int, c models.Campaign, now time.Time) (int, error)
	PublishCampaign(ctx context.Context, actorID, id int64, revision int, now time.Time) error
	CloseCampaign(ctx context.Context, actorID, id int64, revision int) error
	DuplicateCampaign(ctx context.Context, actorID, id int64) (int64, error)
}

// Manager is the campaign manager's area: list, create, edit, publish,
// version, close, duplicate, preview.
type Manager struct {
	Kit
	store ManagerStore
}

// NewManager builds the campaign manager's area.
func NewManager(k Kit, store ManagerStore) *Manager { return &Manager{Kit: k, store: store} }

// List is the campaign manager's home: every campaign with its state.
func (h *Manager) List(c echo.Context) error {
	rows, err := h.store.ManagerCampaigns(ctx(c))
	if err != nil {
		return err
	}
	now := h.Now()
	l := views.ManagerList{NewURL: routes.ManagerNew}
	for _, r := range rows {
		loc := r.Campaign.Location()
		state, tone := managerState(r.Campaign, now)
		l.Rows = append(l.Rows, views.ManagerRow{
			URL: routes.ManagerCampaign(r.ID), Name: r.Name, State: state, StateTone: tone,
			Registration: views.RunDates(r.RegistrationOpensAt, r.RegistrationDeadline, loc),
			Runs:         views.RunDates(r.RunStartsAt, r.RunEndsAt, loc),
			Version:      r.Version, Registrations: r.Registrations, PendingReviews: r.PendingReviews,
		})
	}
	return Render(c, http.StatusOK, views.ManagerListPage(h.Page(c, "All campaigns", views.NavManager), l))
}

// managerState names a campaign's state for managers: draft, scheduled,
// open for registration, registration closed, running, ended, closed.
func managerState(cp models.Campaign, now time.Time) (string, string) {
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

// New shows an empty campaign form with the platform's defaults.
func (h *Manager) New(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, h.formView(models.NewCampaignForm(), nil, 0, 0, false, 0))
}

func (h *Manager) formView(f models.CampaignForm, errs map[string]string, id int64, revision int, published bool, version int) views.CampaignFormView {
	v := views.CampaignFormView{Form: f, Errors: errs, Revision: revision, Timezones: models.Timezones, CancelURL: routes.ManagerHome}
	if id == 0 {
		v.Title, v.Submit, v.Action = "New campaign", "Save draft", routes.ManagerNew
	} else {
		v.Action, v.CancelURL = routes.ManagerEdit(id), routes.ManagerCampaign(id)
		v.Title, v.Submit = "Edit "+f.Name, "Save draft"
		if published {
			v.Published, v.NextVersion = true, version+1
			v.Submit = fmt.Sprintf("Publish version %d", version+1)
		}
	}
	return v
}

func (h *Manager) renderForm(c echo.Context, status int, v views.CampaignFormView) error {
	p := h.Page(c, v.Title, views.NavManager)
	if IsPartial(c) {
		return Render(c, status, views.CampaignFormBody(p, v))
	}
	return Render(c, status, views.CampaignFormPage(p, v))
}

// Create saves a new draft.
func (h *Manager) Create(c echo.Context) error {
	form, err := bindCampaignForm(c)
	if err != nil {
		return err
	}
	camp, err := form.Parse()
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.renderForm(c, http.StatusUnprocessableEntity, h.formView(form, invalid.Fields, 0, 0, false, 0))
	}
	if err != nil {
		return err
	}
	id, err := h.store.CreateCampaign(ctx(c), SessionFrom(c).User.ID, camp)
	if err != nil {
		return err
	}
	return Redirect(c, routes.ManagerCampaign(id))
}

// Show is one campaign's page: state, actions, versions and audit log.
func (h *Manager) Show(c echo.Context) error {
	return h.show(c, http.StatusOK, "")
}

func (h *Manager) show(c echo.Context, status int, problem string) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := h.store.ManagedCampaign(ctx(c), id)
	if err != nil {
		return err
	}
	v := managerCampaignView(m, h.Now())
	v.Error = problem
	return Render(c, status, views.ManagerCampaignPage(h.Page(c, v.Name, views.NavManager), v))
}

func managerCampaignView(m models.ManagedCampaign, now time.Time) views.ManagerCampaign {
	cp := m.Campaign
	loc := cp.Location()
	state, tone := managerState(cp, now)
	v := views.ManagerCampaign{
		ID: cp.ID, Name: cp.Name, State: state, StateTone: tone, Version: cp.Version, Revision: cp.Revision,
		Timezone: cp.Timezone, Opens: views.DateTime(cp.RegistrationOpensAt, loc), Deadline: views.DateTime(cp.RegistrationDeadline, loc),
		RunDates: views.RunDates(cp.RunStartsAt, cp.RunEndsAt, loc), Registrations: m.Registrations, PendingReviews: m.PendingReviews,
		EditURL: routes.ManagerEdit(cp.ID), PreviewURL: routes.ManagerPreview(cp.ID), PublishURL: routes.ManagerPublish(cp.ID),
		CloseURL: routes.ManagerClose(cp.ID), DuplicateURL: routes.ManagerDuplicate(cp.ID),
		CanPublish: cp.Status == models.CampaignDraft, CanClose: cp.Status == models.CampaignPublished,
		CanEdit: cp.Status != models.CampaignClosed, EditLabel: "Edit draft",
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
		v.Coupons = append(v.Coupons, fmt.Sprintf("%s: %s; %d of %d left", cpn.Code, models.CouponSummary(cpn), cpn.QuantityLeft(), cpn.TotalQuantity))
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
	}
	return action
}

// Edit shows the form filled from the campaign.
func (h *Manager) Edit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := h.store.ManagedCampaign(ctx(c), id)
	if err != nil {
		return err
	}
	if m.Campaign.Status == models.CampaignClosed {
		return &models.ConflictError{Message: "This campaign is closed; it can no longer change."}
	}
	v := h.formView(models.FormFromCampaign(m.Campaign), nil, id, m.Campaign.Revision,
		m.Campaign.Status == models.CampaignPublished, m.Campaign.Version)
	return h.renderForm(c, http.StatusOK, v)
}

// Update saves a draft, or publishes a new version of a published campaign.
func (h *Manager) Update(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := h.store.ManagedCampaign(ctx(c), id)
	if err != nil {
		return err
	}
	form, err := bindCampaignForm(c)
	if err != nil {
		return err
	}
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	published := m.Campaign.Status == models.CampaignPublished
	fail := func(status int, fields map[string]string) error {
		return h.renderForm(c, status, h.formView(form, fields, id, revision, published, m.Campaign.Version))
	}
	camp, err := form.Parse()
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return fail(http.StatusUnprocessableEntity, invalid.Fields)
	}
	if err != nil {
		return err
	}
	_, err = h.store.SaveCampaign(ctx(c), SessionFrom(c).User.ID, id, revision, camp, h.Now())
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		return fail(http.StatusUnprocessableEntity, invalid.Fields)
	case errors.As(err, &conflict):
		return fail(http.StatusConflict, map[string]string{"form": conflict.Message})
	case err != nil:
		return err
	}
	return Redirect(c, routes.ManagerCampaign(id))
}

// Publish makes a draft visible to sellers.
func (h *Manager) Publish(c echo.Context) error {
	return h.action(c, func(id int64, revision int) error {
		return h.store.PublishCampaign(ctx(c), SessionFrom(c).User.ID, id, revision, h.Now())
	})
}

// Close ends registration early.
func (h *Manager) Close(c echo.Context) error {
	return h.action(c, func(id int64, revision int) error {
		return h.store.CloseCampaign(ctx(c), SessionFrom(c).User.ID, id, revision)
	})
}

// action runs a campaign state change and shows the campaign again, with
// the reason when it was refused.
func (h *Manager) action(c echo.Context, do func(id int64, revision int) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	err = do(id, revision)
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		msgs := make([]string, 0, len(invalid.Fields))
		for _, m := range invalid.Fields {
			msgs = append(msgs, m)
		}
		return h.show(c, http.StatusUnprocessableEntity, "Not published: "+strings.Join(msgs, " ")+" Edit the campaign first.")
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.ManagerCampaign(id))
}

// Duplicate copies a campaign as next year's draft and opens it.
func (h *Manager) Duplicate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	newID, err := h.store.DuplicateCampaign(ctx(c), SessionFrom(c).User.ID, id)
	if err != nil {
		return err
	}
	return Redirect(c, routes.ManagerEdit(newID))
}

// Preview shows the details page exactly as a seller will see it, for a
// shop that meets the criteria.
func (h *Manager) Preview(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := h.store.ManagedCampaign(ctx(c), id)
	if err != nil {
		return err
	}
	example := models.Shop{Name: "Example shop"}
	example.SPS.Valid, example.SPS.Decimal = true, m.Campaign.MinSPS
	if m.Campaign.MaxFreeShippingThreshold.Valid {
		example.FreeShipping, example.FreeShippingThreshold = true, m.Campaign.MaxFreeShippingThreshold
	}
	r := models.SellerCampaign{Campaign: m.Campaign, Eligibility: models.CheckEligibility(example.Standing(), m.Campaign.EligibilityRules())}
	d := campaignDetails(r, h.Now())
	d.Preview = fmt.Sprintf("Preview of version %d as sellers see it; criteria shown for a shop that just meets them.", m.Campaign.Version)
	d.ListURL = routes.ManagerCampaign(id)
	if len(m.Versions) > 0 {
		d.Changes = m.Versions[0].Changes
		d.ChangesVersion = m.Versions[0].Version
	}
	return Render(c, http.StatusOK, views.CampaignDetailsPage(h.Page(c, "Preview: "+d.Name, views.NavManager), d))
}

// bindCampaignForm reads the submitted form, repeated rows included.
func bindCampaignForm(c echo.Context) (models.CampaignForm, error) {
	vals, err := c.FormParams()
	if err != nil {
		return models.CampaignForm{}, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	get := vals.Get
	on := func(k string) bool { return vals.Get(k) == "1" }
	f := models.CampaignForm{
		Name: get("name"), Description: get("description"), Benefits: get("benefits"), Timezone: get("timezone"),
		Opens: get("opens"), Deadline: get("deadline"), RunStart: get("run_start"), RunEnd: get("run_end"),
		MinSPS: get("min_sps"), AllowNoSPS: on("allow_no_sps"), FreeShippingRequired: on("free_shipping_required"),
		MaxThreshold: get("max_threshold"), CouponsRequired: on("coupons_required"), LookbackDays: get("lookback_days"),
		FeaturedMaxPct: get("featured_max_pct"), FeaturedRecPct: get("featured_rec_pct"), FeaturedMinStock: get("featured_min_stock"),
		RegularMaxPct: get("regular_max_pct"), RegularRecPct: get("regular_rec_pct"), RegularMinStock: get("regular_min_stock"),
		ExtraDiscountAllowed: on("extra_discount_allowed"), ExtraDiscountMin: get("extra_discount_min"),
		ReviewRequired: on("review_required"), FeeRatePct: get("fee_rate"), RefundPolicy: get("refund_policy"),
	}
	rows := func(names ...string) int {
		n := 0
		for _, name := range names {
			n = max(n, len(vals[name]))
		}
		return n
	}
	at := func(v url.Values, name string, i int) string {
		if i < len(v[name]) {
			return v[name][i]
		}
		return ""
	}
	for i := 0; i < rows("sub_name", "sub_start", "sub_end"); i++ {
		s := models.SubCampaignForm{Name: at(vals, "sub_name", i), Start: at(vals, "sub_start", i), End: at(vals, "sub_end", i)}
		if s != (models.SubCampaignForm{}) {
			f.SubCampaigns = append(f.SubCampaigns, s)
		}
	}
	couponFields := []string{"coupon_code", "coupon_type", "coupon_value", "coupon_min", "coupon_cap", "coupon_targeting",
		"coupon_segment", "coupon_seller_pct", "coupon_platform_pct", "coupon_max_funding", "coupon_quantity"}
	for i := 0; i < rows(couponFields...); i++ {
		cf := models.CouponForm{Code: at(vals, "coupon_code", i), Type: at(vals, "coupon_type", i), Value: at(vals, "coupon_value", i),
			MinPurchase: at(vals, "coupon_min", i), Cap: at(vals, "coupon_cap", i), Targeting: at(vals, "coupon_targeting", i),
			Segment: at(vals, "coupon_segment", i), SellerPct: at(vals, "coupon_seller_pct", i), PlatformPct: at(vals, "coupon_platform_pct", i),
			MaxSellerFunding: at(vals, "coupon_max_funding", i), Quantity: at(vals, "coupon_quantity", i)}
		if cf.Code == "" && cf.Value == "" && cf.Quantity == "" && cf.MinPurchase == "" && cf.Cap == "" {
			continue // an untouched new row
		}
		f.Coupons = append(f.Coupons, cf)
	}
	return f, nil
}
