package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// ManageStore is what the seller's Manage page needs.
type ManageStore interface {
	Manage(ctx context.Context, shopID, regID int64, filter models.ProductStatus) (models.ManageView, error)
	RequestPriceEdit(ctx context.Context, shopID, userID, regID, rsID int64, in models.PriceEditInput, now time.Time) (models.PriceEditRequest, error)
	Withdraw(ctx context.Context, shopID, userID, regID int64, kind models.WithdrawKind, rpIDs []int64, now time.Time) (models.WithdrawResult, error)
	CancelWithdrawal(ctx context.Context, shopID, userID, regID, id int64, now time.Time) error
	ResolveSKUError(ctx context.Context, shop models.Shop, userID, regID, rpID int64, now time.Time) ([]models.ClosedEdit, error)
	EditPriceLimit(ctx context.Context, c models.Campaign, tier models.Tier, skuID int64, now time.Time) (models.PriceLimit, error)
	PriceMemories(ctx context.Context, c models.Campaign, prices map[int64]decimal.Decimal) (map[int64]models.PriceMemory, error)
	RejectionFixes(ctx context.Context, v models.ManageView, now time.Time) (map[int64]*models.Fix, error)
	RegisterAgainFixed(ctx context.Context, shop models.Shop, regID, rpID int64, now time.Time) ([]string, error)
}

// Manage is "Manage a campaign": status, price edits, withdrawals, SKU errors.
type Manage struct {
	Kit
	store ManageStore
}

// NewManage builds the manage area.
func NewManage(k Kit, store ManageStore) *Manage { return &Manage{Kit: k, store: store} }

var manageTabs = []struct {
	status models.ProductStatus
	label  string
}{
	{"", "All"}, {models.ProductPending, "Under review"}, {models.ProductRegistered, "Registered"},
	{models.ProductRejected, "Rejected"}, {models.ProductWithdrawn, "Withdrawn"}, {models.ProductSKUError, "SKU error"},
}

// Show renders the Manage page.
func (h *Manage) Show(c echo.Context) error {
	return h.show(c, http.StatusOK, c.QueryParam("notice"), "")
}

func (h *Manage) show(c echo.Context, status int, notice, problem string) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	filter := models.ProductStatus(c.QueryParam("status"))
	valid := false
	for _, t := range manageTabs {
		valid = valid || t.status == filter
	}
	if !valid {
		filter = ""
	}
	mv, err := h.store.Manage(ctx(c), shop.ID, id, filter)
	if err != nil {
		return err
	}
	v := h.manageView(mv, filter)
	v.Notice, v.Error = notice, problem
	if err := h.rejectionFixes(c, mv, &v); err != nil {
		return err
	}
	return Render(c, status, views.ManagePageView(h.Page(c, mv.Campaign.Name, views.NavCampaigns), v))
}

func (h *Manage) manageView(mv models.ManageView, filter models.ProductStatus) views.ManagePage {
	now := h.Now()
	cp := mv.Campaign
	loc := cp.Location()
	phase := cp.PhaseAt(now)
	v := views.ManagePage{
		RegistrationID: mv.Registration.ID, CampaignName: cp.Name, CampaignURL: routes.Campaign(cp.ID),
		Deadline: timeText(cp.RegistrationDeadline, loc), Countdown: views.Countdown(now, cp.RegistrationDeadline),
		Open: phase == models.PhaseOpen, Timezone: cp.Timezone, AddURL: routes.Register(cp.ID),
		WithdrawURL: routes.RegistrationWithdraw(mv.Registration.ID), ResolveURL: routes.RegistrationResolve(mv.Registration.ID),
		DeadlinePassed: !now.Before(cp.RegistrationDeadline), WithdrawalReview: cp.WithdrawalReview,
	}
	if mv.Registration.Status == models.RegistrationRejected {
		v.Reason = mv.Registration.DecisionReason
	}
	_, v.StatusOK = registrationLabel(mv.Registration.Status, mv.SKUsOut > 0 || mv.Counts[models.ProductRejected] > 0)
	v.Status = models.RegistrationStatusLabel(mv.Registration.Status, mv.Counts, mv.SKUsOut)
	total := 0
	for _, n := range mv.Counts {
		total += n
	}
	if n := mv.Counts[models.ProductPending]; cp.CoFunded() && n > 0 {
		v.EditsPaused = fmt.Sprintf("%d %s under review: %s can be edited once the reviewer approves %s (this campaign has co-funded coupons).",
			n, pick(n, "product", "products"), pick(n, "its prices", "their prices"), pick(n, "it", "them"))
		if n < total {
			v.EditsPaused += " The other products can be edited now."
		}
	}
	for _, t := range manageTabs {
		n := mv.Counts[t.status]
		if t.status == "" {
			n = total
		}
		u := routes.RegistrationTab(mv.Registration.ID, string(t.status))
		v.Tabs = append(v.Tabs, views.StatusTab{Key: string(t.status), Label: t.label, Count: n, URL: u, Current: t.status == filter})
	}
	for _, p := range mv.Products {
		mp := h.manageProduct(mv, p, loc)
		v.Products = append(v.Products, mp)
		if p.Status == models.ProductSKUError {
			v.SKUErrors = append(v.SKUErrors, mp)
		}
	}
	for _, w := range mv.Withdrawals {
		v.Withdrawals = append(v.Withdrawals, withdrawalRow(mv.Registration.ID, w, loc))
	}
	return v
}

// withdrawalRow is one withdrawal of the history with both instants: asked,
// and approved (took effect), declined or cancelled.
func withdrawalRow(regID int64, w models.Withdrawal, loc *time.Location) views.WithdrawalRow {
	row := views.WithdrawalRow{ID: w.ID, Product: w.Title, Kind: models.WithdrawalKindLabel(w.Kind),
		Status: models.WithdrawalStatusLabel(w.Status), Requested: views.DateTimeSeconds(w.RequestedAt, loc), Reason: w.DecisionReason}
	switch w.Status {
	case models.WithdrawalRequested:
		row.StatusTone, row.Decided = "warn", "Waiting for a reviewer"
		row.CancelURL = routes.RegistrationWithdrawalCancel(regID, w.ID)
	case models.WithdrawalApproved:
		row.StatusTone = "ok"
		if w.EffectiveAt != nil {
			row.Decided = views.DateTimeSeconds(*w.EffectiveAt, loc)
		}
	case models.WithdrawalDeclined:
		row.StatusTone = "bad"
	default:
		row.StatusTone = "muted"
	}
	if w.Status != models.WithdrawalApproved && w.DecidedAt != nil {
		row.Decided = views.DateTimeSeconds(*w.DecidedAt, loc)
	}
	return row
}

func (h *Manage) manageProduct(mv models.ManageView, p models.ManagedProduct, loc *time.Location) views.ManageProduct {
	mp := views.ManageProduct{ID: p.ID, Title: p.Title, PID: p.PID, Status: string(p.Status),
		StatusLabel: models.ProductStatusLabel(p.Status), Tier: tierLabel(p.Tier), SKUError: p.SKUErrorReason,
		CanWithdraw: p.Status == models.ProductPending || p.Status == models.ProductRegistered || p.Status == models.ProductSKUError}
	switch p.Status {
	case models.ProductRegistered:
		mp.StatusTone = "ok"
	case models.ProductRejected, models.ProductSKUError:
		mp.StatusTone = "bad"
	case models.ProductPending:
		mp.StatusTone = "warn"
	default:
		mp.StatusTone = "muted"
	}
	if p.Status == models.ProductRejected {
		mp.Reason = p.DecisionReason
		if mp.Reason == "" {
			mp.Reason = mv.Registration.DecisionReason
		}
	}
	if p.Status == models.ProductSKUError {
		mp.Reason = p.SKUErrorReason
	}
	if p.ExtraDiscountPct.Valid {
		mp.ExtraDiscount = views.Percent(p.ExtraDiscountPct.Decimal)
	}
	lock := models.EditLock(mv.Campaign, p.RegistrationProduct)
	out := 0 // SKUs the reviewer kept out of this product
	if w := p.OpenWithdrawal; w != nil {
		mp.WithdrawalRequested, mp.WithdrawalKind = views.DateTimeSeconds(w.RequestedAt, loc), models.WithdrawalKindLabel(w.Kind)
		if w.Kind != string(models.WithdrawDiscount) && lock == "" {
			lock = models.WithdrawalEditLockText
		}
	}
	for _, s := range p.SKUs {
		ms := views.ManageSKU{ID: s.ID, Code: s.SKUCode, Attributes: s.Attributes, CampaignPrice: "—", Stock: "—",
			EditURL: routes.RegistrationSKUEdit(mv.Registration.ID, s.ID), EditLocked: lock,
			SimURL:  routes.SimulatorFor(routes.SimulatorPanel, s.SKUID, mv.Campaign.ID),
			CanEdit: p.Status == models.ProductRegistered || p.Status == models.ProductPending}
		if s.CampaignPrice.Valid {
			ms.CampaignPrice = views.Money(s.CampaignPrice.Decimal)
		}
		if s.CampaignStock != nil {
			ms.Stock = strconv.Itoa(*s.CampaignStock)
		}
		if s.KeptOut() && p.Status != models.ProductPending {
			// The reviewer registered the product without this SKU.
			ms.NotRegistered, ms.CanEdit = s.RejectionReason, false
		}
		if s.OpenEdit != nil {
			ms.OpenEdit = editSummary(*s.OpenEdit, loc)
		}
		if s.LastDecided != nil && s.OpenEdit == nil {
			d := s.LastDecided
			ms.LastDecision = fmt.Sprintf("Edit to %s %s", views.Money(d.NewPrice), models.PriceEditStatusLabel(d.Status))
			if d.ReasonText != "" {
				ms.LastDecision += ": " + d.ReasonText
			}
		}
		if ms.NotRegistered != "" {
			out++
		}
		mp.SKUs = append(mp.SKUs, ms)
	}
	if out > 0 && p.Status == models.ProductRegistered {
		mp.StatusLabel = fmt.Sprintf("Registered: %d of %d SKUs", len(mp.SKUs)-out, len(mp.SKUs))
	}
	return mp
}

func editSummary(e models.PriceEditRequest, loc *time.Location) *views.EditSummary {
	return &views.EditSummary{OldPrice: views.Money(e.OldPrice), NewPrice: views.Money(e.NewPrice),
		Submitted: views.DateTime(e.SubmittedAt, loc), DueBy: views.DateTime(e.DueAt, loc)}
}

// EditForm opens the Edit pop-up for one SKU.
func (h *Manage) EditForm(c echo.Context) error {
	d, _, err := h.dialog(c)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.PriceEditDialogView(h.Page(c, "", ""), d))
}

// dialog builds the pop-up's view from the SKU's current state.
func (h *Manage) dialog(c echo.Context) (views.PriceEditDialog, models.ManageView, error) {
	shop, regID, rsID, err := shopAndIDs(c, "id", "sku")
	if err != nil {
		return views.PriceEditDialog{}, models.ManageView{}, err
	}
	mv, err := h.store.Manage(ctx(c), shop.ID, regID, "")
	if err != nil {
		return views.PriceEditDialog{}, mv, err
	}
	loc := mv.Campaign.Location()
	for _, p := range mv.Products {
		for _, s := range p.SKUs {
			if s.ID != rsID {
				continue
			}
			if why := models.EditLock(mv.Campaign, p.RegistrationProduct); why != "" {
				return views.PriceEditDialog{}, mv, &models.EditLockedError{Reason: why}
			}
			if w := p.OpenWithdrawal; w != nil && w.Kind != string(models.WithdrawDiscount) {
				return views.PriceEditDialog{}, mv, &models.EditLockedError{Reason: models.WithdrawalEditLockText}
			}
			rule := mv.Campaign.Rule(p.Tier)
			limit, err := h.store.EditPriceLimit(ctx(c), mv.Campaign, p.Tier, s.SKUID, h.Now())
			if err != nil {
				return views.PriceEditDialog{}, mv, err
			}
			d := views.PriceEditDialog{Action: routes.RegistrationSKUEdit(regID, rsID), SKU: s.SKUCode, Product: p.Title,
				CurrentPrice: views.Money(s.CampaignPrice.Decimal), ExpectedPrice: s.CampaignPrice.Decimal.StringFixed(2),
				MaxPrice: fmt.Sprintf("%s (from your lowest price of the past %d days, %s)", views.Money(limit.Max),
					mv.Campaign.LookbackDays, views.Money(limit.Low)),
				Rule: tierLabel(p.Tier) + ": " + ruleText(rule, mv.Campaign.LookbackDays)}
			if s.OpenEdit != nil {
				d.ExpectedRequest = s.OpenEdit.ID
				d.OpenEdit = editSummary(*s.OpenEdit, loc)
			}
			d.Limit, d.SKUID = limit, s.SKUID
			if err := h.memory(c, mv.Campaign, &d, s.CampaignPrice.Decimal); err != nil {
				return d, mv, err
			}
			return d, mv, nil
		}
	}
	return views.PriceEditDialog{}, mv, models.ErrNotFound
}

// RequestEdit submits the pop-up: a price edit request, or the pop-up
// again with the reason.
func (h *Manage) RequestEdit(c echo.Context) error {
	shop, regID, rsID, err := shopAndIDs(c, "id", "sku")
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(c.FormValue("price"))
	in := models.PriceEditInput{}
	in.ExpectedPrice, _ = decimal.NewFromString(c.FormValue("expected_price"))
	in.ExpectedRequest, _ = strconv.ParseInt(c.FormValue("expected_request"), 10, 64)
	fail := func(status int, msg string) error {
		d, dmv, derr := h.dialog(c)
		if derr != nil {
			return derr
		}
		d.Value, d.Error = raw, msg
		if p, ferr := models.ParsePrice(raw); ferr == nil && p.Valid {
			// The fix the price rule itself implies, and the memory of
			// the price typed.
			d.Fix = fixView(models.FixOf(models.CheckCampaignPrice(p.Decimal, d.Limit)), "edit-price")
			if err := h.memory(c, dmv.Campaign, &d, p.Decimal); err != nil {
				return err
			}
		}
		KeepInPlace(c)
		return Render(c, status, views.PriceEditDialogView(h.Page(c, "", ""), d))
	}
	price, ferr := models.ParsePrice(raw)
	switch {
	case ferr != nil:
		return fail(http.StatusUnprocessableEntity, ferr.Message)
	case !price.Valid:
		return fail(http.StatusUnprocessableEntity, "Enter the new campaign price, like 12.99.")
	}
	in.NewPrice = price.Decimal
	req, err := h.store.RequestPriceEdit(ctx(c), shop.ID, SessionFrom(c).User.ID, regID, rsID, in, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	var locked *models.EditLockedError
	switch {
	case errors.As(err, &locked):
		return fail(http.StatusConflict, locked.Reason)
	case errors.As(err, &invalid):
		return fail(http.StatusUnprocessableEntity, invalid.Fields["price"])
	case errors.As(err, &conflict):
		return fail(http.StatusConflict, conflict.Message)
	case err != nil:
		return err
	}
	notice := fmt.Sprintf("Price edit submitted: %s → %s, due by %s.", views.Money(req.OldPrice), views.Money(req.NewPrice),
		views.DateTime(req.DueAt, time.UTC))
	return Redirect(c, routes.Registration(regID)+"?notice="+urlQueryEscape(notice)+fmt.Sprintf("#sku-%d", rsID))
}

// Withdraw takes products, the whole campaign or an extra discount out.
func (h *Manage) Withdraw(c echo.Context) error {
	shop, regID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	var ids []int64
	for _, raw := range form["product"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return models.ErrNotFound
		}
		ids = append(ids, id)
	}
	kind := models.WithdrawKind(form.Get("kind"))
	res, err := h.store.Withdraw(ctx(c), shop.ID, SessionFrom(c).User.ID, regID, kind, ids, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		for _, m := range invalid.Fields {
			return h.show(c, http.StatusUnprocessableEntity, "", m)
		}
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, "", conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.Registration(regID)+"?notice="+urlQueryEscape(withdrawNotice(kind, res)))
}

// withdrawNotice says what a withdrawal did: withdrawn now, or requested
// (the product stays and pays fees until a reviewer approves).
func withdrawNotice(kind models.WithdrawKind, res models.WithdrawResult) string {
	var parts []string
	if n := res.Withdrawn; n > 0 {
		if kind == models.WithdrawDiscount {
			parts = append(parts, "Extra discount withdrawn; the product stays in the campaign at its campaign price.")
		} else {
			parts = append(parts, fmt.Sprintf("%d %s withdrawn. Orders placed from now on pay no campaign fee for %s.", n,
				pick(n, "product", "products"), pick(n, "it", "them")))
		}
	}
	if n := res.Requested; n > 0 {
		what := fmt.Sprintf("%d %s", n, pick(n, "product", "products"))
		if kind == models.WithdrawDiscount {
			what = "the extra discount"
		}
		parts = append(parts, fmt.Sprintf("Withdrawal requested for %s: this campaign's withdrawals need review. Until a reviewer approves, %s and orders pay the campaign fee; you can cancel the request below.",
			what, pick(n, "it stays in the campaign", "they stay in the campaign")))
	}
	return strings.Join(parts, " ")
}

// CancelWithdrawal takes back the shop's own withdrawal request while it
// waits for a reviewer.
func (h *Manage) CancelWithdrawal(c echo.Context) error {
	shop, regID, wID, err := shopAndIDs(c, "id", "wid")
	if err != nil {
		return err
	}
	err = h.store.CancelWithdrawal(ctx(c), shop.ID, SessionFrom(c).User.ID, regID, wID, h.Now())
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, "", conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.Registration(regID)+"?notice="+urlQueryEscape("Withdrawal request cancelled: the product stays in the campaign.")+"#withdrawals")
}

// Resolve withdraws a product in SKU error and opens it for registering
// again, keeping the prices still valid.
func (h *Manage) Resolve(c echo.Context) error {
	shop, regID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	rpID, err := strconv.ParseInt(c.FormValue("product"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	mv, err := h.store.Manage(ctx(c), shop.ID, regID, "")
	if err != nil {
		return err
	}
	closed, err := h.store.ResolveSKUError(ctx(c), shop, SessionFrom(c).User.ID, regID, rpID, h.Now())
	if err != nil {
		return err
	}
	notice := "The product is back in your draft: SKUs that did not change kept their price; set the new or changed ones, then submit. Your other products stay as they were."
	if len(closed) > 0 {
		notice += " This closed " + models.ClosedEditsText(closed) + ": set the price you want in the draft."
	}
	return Redirect(c, routes.Register(mv.Campaign.ID)+"?notice="+urlQueryEscape(notice))
}

// memory puts the price memory of price into the pop-up.
func (h *Manage) memory(c echo.Context, camp models.Campaign, d *views.PriceEditDialog, price decimal.Decimal) error {
	if !price.IsPositive() {
		return nil
	}
	mem, err := h.store.PriceMemories(ctx(c), camp, map[int64]decimal.Decimal{d.SKUID: price})
	if err != nil {
		return err
	}
	d.Memory = ""
	if m := mem[d.SKUID]; m.Sets {
		d.Memory = MemoryText(m, camp)
	}
	return nil
}
