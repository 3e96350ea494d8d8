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

// PriceEditReviewStore is what the reviewer's price edit tab needs.
type PriceEditReviewStore interface {
	PriceEditQueue(ctx context.Context, now time.Time) ([]models.PriceEditQueueRow, error)
	RecentPriceEditDecisions(ctx context.Context, limit int) ([]models.PriceEditDecisionEntry, error)
	ReviewCounts(ctx context.Context) (registrations, priceEdits, withdrawals int, err error)
	DecidePriceEdit(ctx context.Context, reviewerID, requestID int64, decision models.Decision, reasonCode, reasonText string, now time.Time) error
	BulkApprovePriceEdits(ctx context.Context, reviewerID int64, requestIDs []int64, now time.Time) (int, []string, error)
}

// ReviewPriceEdits is the reviewer's price edit tab: the queue, decisions,
// bulk approval.
type ReviewPriceEdits struct {
	Kit
	store PriceEditReviewStore
}

// NewReviewPriceEdits builds the reviewer's price edit tab.
func NewReviewPriceEdits(k Kit, store PriceEditReviewStore) *ReviewPriceEdits {
	return &ReviewPriceEdits{Kit: k, store: store}
}

// recentPriceEditDecisions is how many decisions the audit list shows.
const recentPriceEditDecisions = 20

// Queue lists the price edit requests under review, oldest due first.
func (h *ReviewPriceEdits) Queue(c echo.Context) error {
	return h.render(c, http.StatusOK, views.PriceEditQueueView{Notice: h.notice(c)})
}

// render fills the queue around what the request left in v (a notice, a
// skipped list, errors) and writes it with status.
func (h *ReviewPriceEdits) render(c echo.Context, status int, v views.PriceEditQueueView) error {
	now := h.Now()
	rows, err := h.store.PriceEditQueue(ctx(c), now)
	if err != nil {
		return err
	}
	registrations, _, withdrawals, err := h.store.ReviewCounts(ctx(c))
	if err != nil {
		return err
	}
	recent, err := h.store.RecentPriceEditDecisions(ctx(c), recentPriceEditDecisions)
	if err != nil {
		return err
	}
	v.Tabs = reviewTabs(views.ReviewTabPriceEdits, registrations, len(rows), withdrawals)
	v.ServiceDays, v.BulkURL = models.ReviewServiceDays, routes.ReviewPriceEditsBulkApprove
	for _, r := range models.RejectReasons {
		v.Reasons = append(v.Reasons, views.ReasonOption{Code: r.Code, Label: r.Label})
	}
	for _, r := range rows {
		row := priceEditRow(r)
		if row.Overdue {
			v.Overdue++
		}
		if row.DueSoon {
			v.DueSoon++
		}
		if row.AboveMax {
			v.Flagged++
		}
		v.Rows = append(v.Rows, row)
	}
	for _, d := range recent {
		v.Recent = append(v.Recent, priceEditDecisionRow(d))
	}
	return Render(c, status, views.PriceEditQueuePage(h.Page(c, "Review queue: price edits", views.NavReviewPriceEdits), v))
}

// notice says what the reviewer just did, from the redirect's query.
func (h *ReviewPriceEdits) notice(c echo.Context) string {
	return decisionNotice(c, "price edit", "Price edit",
		"the new campaign price applies.", "the seller sees the reason.")
}

// Decide approves or rejects one request. Invalid input comes back next
// to the field with 422; a request someone else decided first (or the
// seller replaced), or one that can no longer be approved, with 409.
func (h *ReviewPriceEdits) Decide(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := views.PriceEditForm{RequestID: id, Decision: c.FormValue("decision"),
		ReasonCode: c.FormValue("reason_code"), ReasonText: c.FormValue("reason_text")}
	err = h.store.DecidePriceEdit(ctx(c), SessionFrom(c).User.ID, id, models.Decision(form.Decision), form.ReasonCode, form.ReasonText, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		return h.render(c, http.StatusUnprocessableEntity, views.PriceEditQueueView{Form: form, Errors: invalid.Fields})
	case errors.As(err, &conflict):
		return h.render(c, http.StatusConflict, views.PriceEditQueueView{Conflict: conflict.Message})
	case err != nil:
		return err
	}
	return Redirect(c, routes.ReviewPriceEditsAfterDecision(id, form.Decision))
}

// BulkApprove approves every ticked request that can still be approved.
func (h *ReviewPriceEdits) BulkApprove(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []int64
	for _, s := range form["edit_id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 {
			return h.render(c, http.StatusUnprocessableEntity,
				views.PriceEditQueueView{BulkError: "The selection was not understood; reload the queue and tick again."})
		}
		ids = append(ids, id)
	}
	approved, skipped, err := h.store.BulkApprovePriceEdits(ctx(c), SessionFrom(c).User.ID, ids, h.Now())
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return h.render(c, http.StatusUnprocessableEntity, views.PriceEditQueueView{BulkError: invalid.Fields["edit_id"]})
	}
	if err != nil {
		return err
	}
	if len(skipped) > 0 {
		// Say which were left alone and why: a redirect would lose the list.
		// Posting again is harmless, as decided ones are skipped.
		return h.render(c, http.StatusOK, views.PriceEditQueueView{
			Notice: fmt.Sprintf("%d price edit%s approved.", approved, reviewPlural(approved)), Skipped: skipped})
	}
	return Redirect(c, routes.ReviewPriceEditsAfterBulk(approved))
}

// reviewTabs are the reviewer queue's tabs, with what waits in each.
func reviewTabs(current string, registrations, priceEdits, withdrawals int) []views.ReviewTab {
	return []views.ReviewTab{
		{Key: views.ReviewTabRegistrations, Label: "Registrations", URL: routes.ReviewerHome, Count: registrations,
			Current: current == views.ReviewTabRegistrations},
		{Key: views.ReviewTabPriceEdits, Label: "Price edits", URL: routes.ReviewPriceEdits, Count: priceEdits,
			Current: current == views.ReviewTabPriceEdits},
		{Key: views.ReviewTabWithdrawals, Label: "Withdrawals", URL: routes.ReviewWithdrawals, Count: withdrawals,
			Current: current == views.ReviewTabWithdrawals},
		{Key: views.ReviewTabDecided, Label: "Decided", URL: routes.ReviewDecided, Count: -1,
			Current: current == views.ReviewTabDecided},
	}
}

func priceEditRow(r models.PriceEditQueueRow) views.PriceEditRow {
	row := views.PriceEditRow{
		ID: r.ID, Shop: r.ShopName, Campaign: r.CampaignName, RegistrationURL: routes.ReviewRegistration(r.RegistrationID),
		Product: r.ProductTitle, PID: r.PID, SKU: r.SKUCode, Attributes: r.Attributes, Tier: reviewTierLabel(r.Tier),
		OldPrice: views.Money(r.OldPrice), NewPrice: views.Money(r.NewPrice), MaxAtRequest: views.Money(r.MaxAtRequest),
		LiveLow: views.Money(r.Live.Low), LiveLowDate: views.Date(r.Live.LowAt, reviewTimes), LiveMax: views.Money(r.Live.Max),
		AboveMax: r.AboveLiveMax, Submitted: timeText(r.SubmittedAt, reviewTimes), Due: timeText(r.DueAt, reviewTimes),
		Overdue: r.Overdue, DueSoon: r.DueSoon, DecisionURL: routes.ReviewPriceEditDecision(r.ID),
		Flags: models.PriceEditFlags(r.OldPrice, r.NewPrice, r.Live, r.LookbackDays),
	}
	if !r.InCampaign() {
		row.LeftCampaign = strings.ToLower(models.ProductStatusLabel(r.ProductStatus))
	}
	return row
}

func priceEditDecisionRow(d models.PriceEditDecisionEntry) views.PriceEditDecisionRow {
	row := views.PriceEditDecisionRow{When: views.DateTime(d.DecidedAt, reviewTimes), Who: d.ReviewerName, Shop: d.ShopName,
		Campaign: d.CampaignName, SKU: d.SKUCode, Change: views.Money(d.OldPrice) + " → " + views.Money(d.NewPrice),
		Decision: "Approved", Tone: "ok", Reason: d.ReasonText}
	switch {
	case d.Status == models.EditRejected:
		row.Decision, row.Tone = "Rejected", "bad"
	case d.ReasonCode == models.ReasonBulk:
		row.Decision = "Approved (bulk)"
	}
	return row
}
