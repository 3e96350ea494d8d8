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

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// ReviewStore is what the reviewer's pages need.
type ReviewStore interface {
	ReviewQueue(ctx context.Context, now time.Time) ([]models.ReviewQueueRow, error)
	ReviewRegistration(ctx context.Context, regID int64, now time.Time) (models.ReviewDetail, error)
	DecideRegistration(ctx context.Context, reviewerID, regID int64, decision models.Decision, reasonCode, reasonText string, now time.Time) error
	BulkApprove(ctx context.Context, reviewerID int64, regIDs []int64, now time.Time) (int, []string, error)
	ReviewCounts(ctx context.Context) (registrations, priceEdits int, err error)
}

// Review is the reviewer's area: the queue, one registration, decisions.
type Review struct {
	Kit
	store ReviewStore
}

// NewReview builds the reviewer's area.
func NewReview(k Kit, store ReviewStore) *Review { return &Review{Kit: k, store: store} }

// reviewTimes: reviewers work across campaigns, so their pages show UTC,
// the zone the service level is counted in.
var reviewTimes = time.UTC

// Queue lists pending registrations, oldest due first.
func (h *Review) Queue(c echo.Context) error {
	return h.queue(c, http.StatusOK, h.queueNotice(c), nil, "")
}

func (h *Review) queue(c echo.Context, status int, notice string, skipped []string, bulkError string) error {
	now := h.Now()
	rows, err := h.store.ReviewQueue(ctx(c), now)
	if err != nil {
		return err
	}
	_, priceEdits, err := h.store.ReviewCounts(ctx(c))
	if err != nil {
		return err
	}
	q := views.ReviewQueueView{ServiceDays: models.ReviewServiceDays, Notice: notice, Skipped: skipped,
		BulkError: bulkError, BulkURL: routes.ReviewBulkApprove, Tabs: reviewTabs(views.ReviewTabRegistrations, len(rows), priceEdits)}
	for _, r := range rows {
		row := views.ReviewQueueRow{
			ID: r.RegistrationID, URL: routes.ReviewRegistration(r.RegistrationID), Shop: r.ShopName, Campaign: r.CampaignName,
			Submitted: timeText(r.SubmittedAt, reviewTimes), Due: timeText(r.DueAt, reviewTimes),
			Overdue: r.Overdue, DueSoon: r.DueSoon,
			Products: r.Products, SKUs: r.SKUs, AboveMax: r.AboveMax,
		}
		if row.Overdue {
			q.Overdue++
		}
		if row.DueSoon {
			q.DueSoon++
		}
		if row.AboveMax > 0 {
			q.Flagged++
		}
		q.Rows = append(q.Rows, row)
	}
	return Render(c, status, views.ReviewQueuePage(h.Page(c, "Review queue", views.NavReview), q))
}

// queueNotice says what the reviewer just did, from the redirect's query.
func (h *Review) queueNotice(c echo.Context) string {
	return decisionNotice(c, "registration", "Registration",
		"its products are registered.", "the seller sees the reason.")
}

// decisionNotice reads a reviewer's redirect query: how many items a bulk
// approval took, or the one decision just made.
func decisionNotice(c echo.Context, noun, title, approved, rejected string) string {
	if n, err := strconv.Atoi(c.QueryParam("approved")); err == nil && n >= 0 {
		return fmt.Sprintf("%d %s%s approved.", n, noun, reviewPlural(n))
	}
	id, err := strconv.ParseInt(c.QueryParam("decided"), 10, 64)
	if err != nil || id <= 0 {
		return ""
	}
	switch models.Decision(c.QueryParam("decision")) {
	case models.DecisionApproved:
		return fmt.Sprintf("%s #%d approved: %s", title, id, approved)
	case models.DecisionRejected:
		return fmt.Sprintf("%s #%d rejected: %s", title, id, rejected)
	}
	return ""
}

// Show is one registration with every SKU's price against the rule.
func (h *Review) Show(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.show(c, http.StatusOK, id, views.ReviewForm{}, nil, "")
}

func (h *Review) show(c echo.Context, status int, id int64, form views.ReviewForm, errs map[string]string, conflict string) error {
	d, err := h.store.ReviewRegistration(ctx(c), id, h.Now())
	if err != nil {
		return err
	}
	v := reviewView(d)
	v.Form, v.Errors, v.Conflict = form, errs, conflict
	title := d.Shop.Name + " — " + d.Campaign.Name
	return Render(c, status, views.ReviewPage(h.Page(c, title, views.NavReview), v))
}

// Decide records an approval or a rejection. Invalid input comes back on
// the page with 422; a decision someone else made first, with 409.
func (h *Review) Decide(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := views.ReviewForm{
		Decision:   c.FormValue("decision"),
		ReasonCode: c.FormValue("reason_code"),
		ReasonText: c.FormValue("reason_text"),
	}
	reviewer := SessionFrom(c).User.ID
	err = h.store.DecideRegistration(ctx(c), reviewer, id, models.Decision(form.Decision), form.ReasonCode, form.ReasonText, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		return h.show(c, http.StatusUnprocessableEntity, id, form, invalid.Fields, "")
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, id, views.ReviewForm{}, nil, conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.ReviewQueueAfterDecision(id, form.Decision))
}

// BulkApprove approves every ticked registration that is still pending.
func (h *Review) BulkApprove(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []int64
	for _, s := range form["reg_id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 {
			return h.queue(c, http.StatusUnprocessableEntity, "", nil, "The selection was not understood; reload the queue and tick again.")
		}
		ids = append(ids, id)
	}
	approved, skipped, err := h.store.BulkApprove(ctx(c), SessionFrom(c).User.ID, ids, h.Now())
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.queue(c, http.StatusUnprocessableEntity, "", nil, invalid.Fields["reg_id"])
	}
	if err != nil {
		return err
	}
	if len(skipped) > 0 {
		// Say which were left alone and why: a redirect would lose the list.
		// Posting again is harmless, as decided ones are skipped.
		return h.queue(c, http.StatusOK, fmt.Sprintf("%d registration%s approved.", approved, reviewPlural(approved)), skipped, "")
	}
	return Redirect(c, routes.ReviewQueueAfterBulk(approved))
}

func reviewView(d models.ReviewDetail) views.ReviewView {
	reg, cp := d.Registration, d.Campaign
	v := views.ReviewView{
		ID: reg.ID, Shop: d.Shop.Name, ShopID: d.Shop.PublicID, SPS: "none yet", Campaign: cp.Name, CampaignTZ: cp.Timezone,
		Pending: reg.Status == models.RegistrationPending, Due: timeText(d.DueAt, reviewTimes), Overdue: d.Overdue,
		Reason: reg.DecisionReason, LookbackDays: cp.LookbackDays, PendingSKUs: d.PendingSKUs, AboveMax: d.AboveMax,
		QueueURL: routes.ReviewerHome, DecisionURL: routes.ReviewDecision(reg.ID),
	}
	if d.Shop.SPS.Valid {
		v.SPS = d.Shop.SPS.Decimal.StringFixed(2)
	}
	v.Status, v.StatusTone = reviewStatus(reg.Status)
	if reg.SubmittedAt != nil {
		v.Submitted = timeText(*reg.SubmittedAt, reviewTimes)
	}
	if reg.DecidedAt != nil && !v.Pending {
		v.Decided, v.DecidedBy = views.DateTime(*reg.DecidedAt, reviewTimes), d.DecidedByName
		if v.DecidedBy == "" {
			v.DecidedBy = "the portal (no review needed)"
		}
	}
	for _, t := range []models.Tier{models.TierFeatured, models.TierRegular} {
		if _, ok := cp.Tier(t); ok {
			r := cp.Rule(t)
			v.Rules = append(v.Rules, views.TierRuleText{Tier: reviewTierLabel(t),
				Text: fmt.Sprintf("at most %s of the lookback low; minimum stock %d", views.Percent(r.MaxPricePct), r.MinStock)})
		}
	}
	for _, r := range models.RejectReasons {
		v.Reasons = append(v.Reasons, views.ReasonOption{Code: r.Code, Label: r.Label})
	}
	for _, p := range d.Products {
		pv := views.ReviewProductView{Title: p.Title, PID: p.PID, Tier: reviewTierLabel(p.Tier), Reason: p.DecisionReason}
		pv.Status, pv.StatusTone = reviewProductStatus(p.Status)
		if p.ExtraDiscountPct.Valid {
			pv.ExtraDiscount = views.Percent(p.ExtraDiscountPct.Decimal)
		}
		for _, s := range p.SKUs {
			sv := views.ReviewSKUView{
				Code: s.SKUCode, Attributes: s.Attributes, CampaignPrice: "—", CampaignStock: "—",
				Available: s.AvailableStock, StockNow: s.StockNow,
				LowAtSubmit: views.Money(s.LowAtSubmit), MaxAtSubmit: views.Money(s.MaxAtSubmit),
				LiveLow: views.Money(s.Live.Low), LiveLowDate: views.Date(s.Live.LowAt, reviewTimes), LiveMax: views.Money(s.Live.Max),
				AboveMax: s.AboveLiveMax, StockShort: s.StockShort,
			}
			if s.CampaignPrice.Valid {
				sv.CampaignPrice = views.Money(s.CampaignPrice.Decimal)
			}
			if s.CampaignStock != nil {
				sv.CampaignStock = strconv.Itoa(*s.CampaignStock)
			}
			pv.SKUs = append(pv.SKUs, sv)
		}
		v.Products = append(v.Products, pv)
	}
	for _, e := range d.History {
		entry := views.HistoryEntry{When: views.DateTime(e.DecidedAt, reviewTimes), Who: e.ReviewerName, Action: reviewDecisionLabel(e)}
		if e.ReasonText != "" {
			entry.Changes = []string{e.ReasonText}
		}
		v.History = append(v.History, entry)
	}
	return v
}

func reviewStatus(s models.RegistrationStatus) (string, string) {
	switch s {
	case models.RegistrationPending:
		return "Pending review", "warn"
	case models.RegistrationRegistered:
		return "Registered", "ok"
	case models.RegistrationRejected:
		return "Rejected", "bad"
	case models.RegistrationWithdrawn:
		return "Withdrawn", "muted"
	}
	return string(s), "muted"
}

func reviewProductStatus(s models.ProductStatus) (string, string) {
	switch s {
	case models.ProductPending:
		return "Awaiting review", "warn"
	case models.ProductRegistered:
		return "Registered", "ok"
	case models.ProductRejected:
		return "Rejected", "bad"
	case models.ProductWithdrawn:
		return "Withdrawn", "muted"
	case models.ProductSKUError:
		return "SKU error", "bad"
	}
	return string(s), "muted"
}

func reviewTierLabel(t models.Tier) string {
	if t == models.TierFeatured {
		return "Featured"
	}
	return "Regular"
}

func reviewDecisionLabel(e models.ReviewDecisionEntry) string {
	if e.Decision == models.DecisionApproved {
		if e.ReasonCode == models.ReasonBulk {
			return "Approved (bulk)"
		}
		return "Approved"
	}
	if label, ok := models.RejectReasonLabel(e.ReasonCode); ok {
		return "Rejected: " + label
	}
	return "Rejected"
}

func reviewPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
