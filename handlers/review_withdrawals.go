package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// WithdrawalReviewStore is what the reviewer's withdrawal tab needs.
type WithdrawalReviewStore interface {
	WithdrawalQueue(ctx context.Context, f models.WithdrawalQueueFilter) (models.WithdrawalQueuePage, error)
	RecentWithdrawalDecisions(ctx context.Context, limit int) ([]models.WithdrawalDecisionEntry, error)
	ReviewCounts(ctx context.Context) (registrations, priceEdits, withdrawals int, err error)
	DecideWithdrawal(ctx context.Context, reviewerID, id int64, decision models.Decision, reasonCode, reasonText string, now time.Time) error
}

// ReviewWithdrawals is the reviewer's withdrawal tab: requests of
// campaigns whose withdrawals need review, approved or declined one by one.
type ReviewWithdrawals struct {
	Kit
	store WithdrawalReviewStore
}

// NewReviewWithdrawals builds the reviewer's withdrawal tab.
func NewReviewWithdrawals(k Kit, store WithdrawalReviewStore) *ReviewWithdrawals {
	return &ReviewWithdrawals{Kit: k, store: store}
}

// Queue lists the open withdrawal requests, oldest first.
func (h *ReviewWithdrawals) Queue(c echo.Context) error {
	v := views.WithdrawalQueueView{Notice: decisionNotice(c, "withdrawal", "Withdrawal request",
		"the product left the campaign; orders placed from now on pay no campaign fee.", "")}
	if models.Decision(c.QueryParam("decision")) == models.DecisionRejected {
		v.Notice = fmt.Sprintf("Withdrawal request #%s declined: the product stays and the seller sees the reason.", c.QueryParam("decided"))
	}
	return h.render(c, http.StatusOK, v)
}

func withdrawalFilter(c echo.Context) models.WithdrawalQueueFilter {
	f := models.WithdrawalQueueFilter{Shop: searchParam(c, "shop"), Page: pageParam(c)}
	if id, err := strconv.ParseInt(c.QueryParam("campaign"), 10, 64); err == nil && id > 0 {
		f.CampaignID = id
	}
	switch k := c.QueryParam("kind"); models.WithdrawKind(k) {
	case models.WithdrawProduct, models.WithdrawCampaign, models.WithdrawDiscount:
		f.Kind = k
	}
	return f
}

func withdrawalQuery(f models.WithdrawalQueueFilter, page int) url.Values {
	q := url.Values{}
	if f.CampaignID > 0 {
		q.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	if f.Shop != "" {
		q.Set("shop", f.Shop)
	}
	if f.Kind != "" {
		q.Set("kind", f.Kind)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return q
}

// recentWithdrawalDecisions is how many decisions the audit list shows.
const recentWithdrawalDecisions = 20

func (h *ReviewWithdrawals) render(c echo.Context, status int, v views.WithdrawalQueueView) error {
	now := h.Now()
	f := withdrawalFilter(c)
	qp, err := h.store.WithdrawalQueue(ctx(c), f)
	if err != nil {
		return err
	}
	registrations, priceEdits, withdrawals, err := h.store.ReviewCounts(ctx(c))
	if err != nil {
		return err
	}
	recent, err := h.store.RecentWithdrawalDecisions(ctx(c), recentWithdrawalDecisions)
	if err != nil {
		return err
	}
	v.Tabs = reviewTabs(views.ReviewTabWithdrawals, registrations, priceEdits, withdrawals)
	v.ServiceDays, v.Shop, v.Kind, v.ClearURL = models.ReviewServiceDays, f.Shop, f.Kind, routes.ReviewWithdrawals
	v.Total, v.Page, v.Pages = qp.Total, qp.Page, qp.Pages
	for _, cp := range qp.Campaigns {
		v.Campaigns = append(v.Campaigns, views.FilterOption{Value: strconv.FormatInt(cp.ID, 10),
			Label: fmt.Sprintf("%s (%d)", cp.Name, cp.Pending), Selected: cp.ID == f.CampaignID})
	}
	for _, k := range []models.WithdrawKind{models.WithdrawProduct, models.WithdrawCampaign, models.WithdrawDiscount} {
		v.Kinds = append(v.Kinds, views.FilterOption{Value: string(k), Label: models.WithdrawalKindLabel(string(k)), Selected: string(k) == f.Kind})
	}
	if qp.Page > 1 {
		v.PrevURL = routes.ReviewWithdrawalsWith(withdrawalQuery(f, qp.Page-1))
	}
	if qp.Page < qp.Pages {
		v.NextURL = routes.ReviewWithdrawalsWith(withdrawalQuery(f, qp.Page+1))
	}
	for _, r := range models.WithdrawalDeclineReasons {
		v.Reasons = append(v.Reasons, views.ReasonOption{Code: r.Code, Label: r.Label})
	}
	for _, r := range qp.Rows {
		due := models.ReviewDueAt(r.RequestedAt)
		row := views.WithdrawalQueueRow{ID: r.ID, Shop: r.ShopName, Campaign: r.CampaignName, Product: r.ProductTitle, PID: r.PID,
			Kind: models.WithdrawalKindLabel(r.Kind), RequestedBy: r.RequesterName,
			Requested: timeText(r.RequestedAt, reviewTimes), Due: timeText(due, reviewTimes),
			Overdue: models.ReviewOverdue(due, now), DecisionURL: routes.ReviewWithdrawalDecision(r.ID)}
		if r.Kind == string(models.WithdrawDiscount) && r.ExtraDiscount.Valid {
			row.Kind += " (" + views.Percent(r.ExtraDiscount.Decimal) + " off)"
		}
		v.Rows = append(v.Rows, row)
	}
	for _, d := range recent {
		row := views.WithdrawalDecisionRow{When: views.DateTime(d.DecidedAt, reviewTimes), Who: d.ReviewerName, Shop: d.ShopName,
			Campaign: d.CampaignName, Product: d.ProductTitle, Kind: models.WithdrawalKindLabel(d.Kind),
			Requested: views.DateTime(d.RequestedAt, reviewTimes), Decision: "Approved", Tone: "ok", Reason: d.DecisionReason}
		if d.Status == models.WithdrawalDeclined {
			row.Decision, row.Tone = "Declined", "bad"
		}
		v.Recent = append(v.Recent, row)
	}
	return Render(c, status, views.WithdrawalQueuePage(h.Page(c, "Review queue: withdrawals", views.NavReviewWithdrawals), v))
}

// Decide approves or declines one request: invalid input comes back next
// to the field with 422, a request decided or cancelled meanwhile with 409
// naming who and when.
func (h *ReviewWithdrawals) Decide(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := views.PriceEditForm{RequestID: id, Decision: c.FormValue("decision"),
		ReasonCode: c.FormValue("reason_code"), ReasonText: c.FormValue("reason_text")}
	err = h.store.DecideWithdrawal(ctx(c), SessionFrom(c).User.ID, id, models.Decision(form.Decision), form.ReasonCode, form.ReasonText, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		return h.render(c, http.StatusUnprocessableEntity, views.WithdrawalQueueView{Form: form, Errors: invalid.Fields})
	case errors.As(err, &conflict):
		return h.render(c, http.StatusConflict, views.WithdrawalQueueView{Conflict: conflict.Message})
	case err != nil:
		return err
	}
	return Redirect(c, routes.ReviewWithdrawalsAfterDecision(id, form.Decision))
}

// withdrawalPolicy says, on the campaign's pages, how its withdrawals go.
func withdrawalPolicy(review bool) string {
	if review {
		return "Yes: a reviewer approves each withdrawal; the product stays and pays fees until the approval, and orders placed from the approval instant pay none"
	}
	return "No: a withdrawal takes effect when the seller confirms it"
}
