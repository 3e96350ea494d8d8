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
	DecideProducts(ctx context.Context, reviewerID, regID int64, ds []models.ProductDecision, note string, now time.Time) (models.DecisionResult, error)
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
	case "partly":
		return fmt.Sprintf("%s #%d decided: some products approved, some rejected; the seller sees each decision.", title, id)
	}
	return ""
}

// Show is one registration with every SKU's price against the rule.
func (h *Review) Show(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.show(c, http.StatusOK, id, reviewForm{}, nil, "")
}

// reviewForm is one step of decisions as the reviewer sent it.
type reviewForm struct {
	decisions []models.ProductDecision
	note      string
}

func (f reviewForm) of(rpID int64) (models.ProductDecision, bool) {
	for _, d := range f.decisions {
		if d.RegistrationProductID == rpID {
			return d, true
		}
	}
	return models.ProductDecision{}, false
}

func (h *Review) show(c echo.Context, status int, id int64, form reviewForm, errs map[string]string, conflict string) error {
	d, err := h.store.ReviewRegistration(ctx(c), id, h.Now())
	if err != nil {
		return err
	}
	v := reviewView(d)
	v.Note, v.Conflict = form.note, conflict
	if len(errs) > 0 {
		v.FormError = "Nothing was decided yet: the products marked below need attention."
		if msg := errs["decision"]; msg != "" {
			v.FormError = msg
		}
		v.NoteError = errs["reason_text"]
	}
	for i := range v.Deciding {
		pr := &v.Deciding[i]
		if fd, ok := form.of(pr.ID); ok {
			pr.Decision, pr.ReasonCode, pr.ReasonText = string(fd.Decision), fd.ReasonCode, fd.ReasonText
		}
		pr.CodeError = errs[models.ProductField("reason_code", pr.ID)]
		pr.TextError = errs[models.ProductField("reason_text", pr.ID)]
	}
	title := d.Shop.Name + " — " + d.Campaign.Name
	return Render(c, status, views.ReviewPage(h.Page(c, title, views.NavReview), v))
}

// Decide records one step of per-product decisions: each product listed
// in the form with Approve or Reject chosen. Invalid input comes back on
// the page with 422 and the messages beside the products; a product
// someone else decided first, with 409 saying who.
func (h *Review) Decide(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	form := reviewForm{note: params.Get("note")}
	for _, raw := range params["product"] {
		rpID, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || rpID <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "The form was not understood; reload the page.")
		}
		choice := params.Get(models.ProductField("decision", rpID))
		if choice == "" {
			continue // left for later: stays under review
		}
		form.decisions = append(form.decisions, models.ProductDecision{RegistrationProductID: rpID, Decision: models.Decision(choice),
			ReasonCode: params.Get(models.ProductField("reason_code", rpID)), ReasonText: params.Get(models.ProductField("reason_text", rpID))})
	}
	reviewer := SessionFrom(c).User.ID
	res, err := h.store.DecideProducts(ctx(c), reviewer, id, form.decisions, form.note, h.Now())
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &invalid):
		return h.show(c, http.StatusUnprocessableEntity, id, form, invalid.Fields, "")
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, id, reviewForm{}, nil, conflict.Message)
	case err != nil:
		return err
	}
	return Redirect(c, routes.ReviewQueueAfterDecision(id, decisionWord(res)))
}

// decisionWord is the step's outcome for the queue's notice.
func decisionWord(r models.DecisionResult) string {
	switch {
	case r.Rejected == 0:
		return string(models.DecisionApproved)
	case r.Approved == 0:
		return string(models.DecisionRejected)
	}
	return "partly"
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
		LookbackDays: cp.LookbackDays, PendingSKUs: d.PendingSKUs, AboveMax: d.AboveMax,
		QueueURL: routes.ReviewerHome, DecisionURL: routes.ReviewDecision(reg.ID),
	}
	if !v.Pending {
		// An earlier decision's reason is not about a new submission.
		v.Reason = reg.DecisionReason
	}
	if d.PrevID > 0 {
		v.PrevURL = routes.ReviewRegistration(d.PrevID)
	}
	if d.NextID > 0 {
		v.NextURL = routes.ReviewRegistration(d.NextID)
	}
	if d.Shop.SPS.Valid {
		v.SPS = d.Shop.SPS.Decimal.StringFixed(2)
	}
	counts := map[models.ProductStatus]int{}
	for _, p := range d.Products {
		counts[p.Status]++
	}
	v.Status, v.StatusTone = reviewStatus(reg.Status, counts)
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
		pv := views.ReviewProductView{ID: p.ID, Title: p.Title, PID: p.PID, Tier: reviewTierLabel(p.Tier), Reason: p.DecisionReason}
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
			if sv.AboveMax {
				pv.AboveMax++
			}
			pv.SKUs = append(pv.SKUs, sv)
		}
		if p.Status == models.ProductPending {
			pv.Status, pv.Reason = "", "" // the form is its status
			v.Deciding = append(v.Deciding, pv)
		} else {
			v.Others = append(v.Others, pv)
		}
	}
	for _, e := range d.History {
		entry := views.HistoryEntry{When: views.DateTime(e.DecidedAt, reviewTimes), Who: e.ReviewerName, Action: reviewDecisionLabel(e)}
		if e.Product != "" {
			entry.Action += " — " + e.Product
		}
		if e.ReasonText != "" {
			entry.Changes = []string{e.ReasonText}
		}
		v.History = append(v.History, entry)
	}
	return v
}

// reviewStatus is the registration's status in the one vocabulary sellers
// read too, with its tone.
func reviewStatus(s models.RegistrationStatus, counts map[models.ProductStatus]int) (string, string) {
	label := models.RegistrationStatusLabel(s, counts)
	switch {
	case s == models.RegistrationPending || label == "Partly registered":
		return label, "warn"
	case s == models.RegistrationRegistered:
		return label, "ok"
	case s == models.RegistrationRejected:
		return label, "bad"
	}
	return label, "muted"
}

func reviewProductStatus(s models.ProductStatus) (string, string) {
	label := models.ProductStatusLabel(s)
	switch s {
	case models.ProductPending:
		return label, "warn"
	case models.ProductRegistered:
		return label, "ok"
	case models.ProductRejected, models.ProductSKUError:
		return label, "bad"
	}
	return label, "muted"
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
