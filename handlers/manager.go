package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
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
	CampaignEditChanges(ctx context.Context, id int64, revision int, next models.Campaign, now time.Time) ([]string, error)
	SetCouponBudget(ctx context.Context, actorID, campaignID, couponID int64, input string) error
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
		state, tone := campaignState(r.Campaign, now)
		l.Rows = append(l.Rows, views.ManagerRow{
			URL: routes.ManagerCampaign(r.ID), Name: r.Name, State: state, StateTone: tone,
			Registration: views.RunDates(r.RegistrationOpensAt, r.RegistrationDeadline, loc),
			Runs:         views.RunDates(r.RunStartsAt, r.RunEndsAt, loc),
			Version:      r.Version, Registrations: r.Registrations, PendingReviews: r.PendingReviews,
		})
	}
	return Render(c, http.StatusOK, views.ManagerListPage(h.Page(c, "All campaigns", views.NavManager), l))
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
		v.Action, v.CancelURL, v.ReloadURL = routes.ManagerEdit(id), routes.ManagerCampaign(id), routes.ManagerEdit(id)
		v.Title, v.Submit = "Edit "+f.Name, "Save draft"
		if published {
			v.Published, v.NextVersion = true, version+1
			v.Submit = "Review changes"
		}
	}
	return v
}

func (h *Manager) renderForm(c echo.Context, status int, v views.CampaignFormView) error {
	p := h.Page(c, v.Title, views.NavManager)
	p.Flash = v.Flash
	if IsPartial(c) {
		return Render(c, status, views.CampaignFormBody(p, v))
	}
	return Render(c, status, views.CampaignFormPage(p, v))
}

// formRefused shows the form again with why it was not saved: field
// messages (422), or someone else's save or a closed campaign (409). Every
// refusal is swapped in place (KeepInPlace), so the message is read where
// the manager is working, never as a generic toast.
func (h *Manager) formRefused(c echo.Context, v views.CampaignFormView, err error, loc *time.Location) error {
	var invalid *models.ValidationError
	var stale *models.StaleEditError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		v.Errors = invalid.Fields
		KeepInPlace(c)
		return h.renderForm(c, http.StatusUnprocessableEntity, v)
	case errors.As(err, &stale):
		v.Errors = map[string]string{"form": stale.Error()}
		v.Stale = staleNotice(stale, loc)
		KeepInPlace(c)
		return h.renderForm(c, http.StatusConflict, v)
	case errors.As(err, &conflict):
		v.Errors = map[string]string{"form": conflict.Message}
		KeepInPlace(c)
		return h.renderForm(c, http.StatusConflict, v)
	}
	return err
}

// staleNotice says who saved the campaign last, and when, in its timezone.
func staleNotice(e *models.StaleEditError, loc *time.Location) string {
	switch {
	case e.By != "" && !e.At.IsZero():
		return fmt.Sprintf("%s saved it at %s.", e.By, views.DateTime(e.At, loc))
	case e.By != "":
		return e.By + " saved it last."
	}
	return ""
}

// revisionParam reads the revision a form was made from; missing or not a
// number is 0, which the store refuses (never skips the check).
func revisionParam(c echo.Context) int {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("revision")))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Create saves a new draft.
func (h *Manager) Create(c echo.Context) error {
	form, err := bindCampaignForm(c)
	if err != nil {
		return err
	}
	v := h.formView(form, nil, 0, 0, false, 0)
	camp, err := form.Parse()
	if err != nil {
		return h.formRefused(c, v, err, time.UTC)
	}
	id, err := h.store.CreateCampaign(ctx(c), SessionFrom(c).User.ID, camp)
	if err != nil {
		return err
	}
	return Redirect(c, routes.ManagerCampaignDone(id, "created"))
}

// Show is one campaign's page: state, every rule, actions, versions and
// audit log.
func (h *Manager) Show(c echo.Context) error {
	return h.show(c, http.StatusOK, "")
}

func (h *Manager) show(c echo.Context, status int, problem string) error {
	return h.showWith(c, status, problem, nil)
}

// showWith shows the campaign; refused, when set, is a coupon budget
// refused with its message, kept as typed.
func (h *Manager) showWith(c echo.Context, status int, problem string, refused *budgetRefused) error {
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
	if refused != nil {
		for i := range v.Coupons {
			if b := v.Coupons[i].Budget; b != nil && b.CouponID == refused.couponID {
				b.Value, b.Error = refused.value, refused.message
			}
		}
	}
	p := h.Page(c, v.Name, views.NavManager)
	if status == http.StatusOK {
		p.Flash = managerNotice(c.QueryParam("done"), m.Campaign)
	}
	return Render(c, status, views.ManagerCampaignPage(p, v))
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
	v.Flash = managerNotice(c.QueryParam("done"), m.Campaign)
	return h.renderForm(c, http.StatusOK, v)
}

// Update saves a draft. An edit of a published campaign is a new version:
// the first submit shows what it changes and asks; only the second, which
// carries the digest of the list the manager read, publishes it.
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
	revision := revisionParam(c)
	published := m.Campaign.Status == models.CampaignPublished
	v := h.formView(form, nil, id, revision, published, m.Campaign.Version)
	loc := m.Campaign.Location()
	camp, err := form.Parse()
	if err != nil {
		return h.formRefused(c, v, err, loc)
	}
	if published {
		changes, err := h.store.CampaignEditChanges(ctx(c), id, revision, camp, h.Now())
		if err != nil {
			return h.formRefused(c, v, err, loc)
		}
		if digest := changesDigest(changes); c.FormValue("confirm") != "1" || c.FormValue("changes_digest") != digest {
			v.Changes, v.ChangesDigest = changes, digest
			return h.renderForm(c, http.StatusOK, v)
		}
	}
	if _, err := h.store.SaveCampaign(ctx(c), SessionFrom(c).User.ID, id, revision, camp, h.Now()); err != nil {
		return h.formRefused(c, v, err, loc)
	}
	done := "saved"
	if published {
		done = "version"
	}
	return Redirect(c, routes.ManagerCampaignDone(id, done))
}

// changesDigest names a list of changes, so a confirmation publishes only
// the list the manager read (an edit typed after it is shown again).
func changesDigest(changes []string) string {
	sum := sha256.Sum256([]byte(strings.Join(changes, "\n")))
	return hex.EncodeToString(sum[:12])
}

// Publish makes a draft visible to sellers.
func (h *Manager) Publish(c echo.Context) error {
	return h.action(c, "published", "Not published", func(id int64, revision int) error {
		return h.store.PublishCampaign(ctx(c), SessionFrom(c).User.ID, id, revision, h.Now())
	})
}

// Close ends registration early.
func (h *Manager) Close(c echo.Context) error {
	return h.action(c, "closed", "Not closed", func(id int64, revision int) error {
		return h.store.CloseCampaign(ctx(c), SessionFrom(c).User.ID, id, revision)
	})
}

// action runs a campaign state change and shows the campaign again, with
// the reason when it was refused, or its success message.
func (h *Manager) action(c echo.Context, done, refused string, do func(id int64, revision int) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = do(id, revisionParam(c))
	var invalid *models.ValidationError
	var stale *models.StaleEditError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		if msg, ok := invalid.Fields["revision"]; ok {
			return h.show(c, http.StatusUnprocessableEntity, refused+": "+msg)
		}
		msgs := make([]string, 0, len(invalid.Fields))
		for _, m := range invalid.Fields {
			msgs = append(msgs, m)
		}
		sort.Strings(msgs)
		return h.show(c, http.StatusUnprocessableEntity, refused+": "+strings.Join(msgs, " ")+" Edit the campaign first.")
	case errors.As(err, &stale):
		who := ""
		if m, err := h.store.ManagedCampaign(ctx(c), id); err == nil {
			who = " " + staleNotice(stale, m.Campaign.Location())
		}
		return h.show(c, http.StatusConflict, refused+": someone else saved this campaign after this page was loaded."+who+
			" This page now shows their version; check it and try again.")
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.ManagerCampaignDone(id, done))
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
	return Redirect(c, routes.ManagerEditDone(newID, "duplicated"))
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
		ReviewRequired: on("review_required"), WithdrawalReview: on("withdrawal_review"), FeeRatePct: get("fee_rate"), RefundPolicy: get("refund_policy"),
		BuyerFloorPct: get("buyer_floor_pct"),
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
		// A blank row is kept: Parse marks it, the manager fills or removes it.
		f.SubCampaigns = append(f.SubCampaigns, models.SubCampaignForm{Name: at(vals, "sub_name", i), Start: at(vals, "sub_start", i), End: at(vals, "sub_end", i)})
	}
	couponFields := []string{"coupon_code", "coupon_type", "coupon_value", "coupon_min", "coupon_cap", "coupon_targeting",
		"coupon_segment", "coupon_seller_pct", "coupon_platform_pct", "coupon_max_funding", "coupon_quantity"}
	for i := 0; i < rows(couponFields...); i++ {
		cf := models.CouponForm{Code: at(vals, "coupon_code", i), Type: at(vals, "coupon_type", i), Value: at(vals, "coupon_value", i),
			MinPurchase: at(vals, "coupon_min", i), Cap: at(vals, "coupon_cap", i), Targeting: at(vals, "coupon_targeting", i),
			Segment: at(vals, "coupon_segment", i), SellerPct: at(vals, "coupon_seller_pct", i), PlatformPct: at(vals, "coupon_platform_pct", i),
			MaxSellerFunding: at(vals, "coupon_max_funding", i), Quantity: at(vals, "coupon_quantity", i)}
		f.Coupons = append(f.Coupons, cf)
	}
	return f, nil
}

type budgetRefused struct {
	couponID       int64
	value, message string
}

// SetBudget sets (blank: removes) a coupon's platform subsidy budget. It
// is audited on the campaign, not a new version: sellers never see it.
// A refused amount comes back next to its field with 422, nothing saved.
func (h *Manager) SetBudget(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	couponID, err := idParam(c, "coupon")
	if err != nil {
		return err
	}
	value := c.FormValue(models.BudgetField)
	err = h.store.SetCouponBudget(ctx(c), SessionFrom(c).User.ID, id, couponID, value)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.showWith(c, http.StatusUnprocessableEntity, "", &budgetRefused{couponID: couponID, value: value,
			message: invalid.Fields[models.BudgetField]})
	}
	if err != nil {
		return err
	}
	return Redirect(c, routes.ManagerCampaignDone(id, "budget")+"#"+routes.CouponBudgetFieldID(couponID))
}
