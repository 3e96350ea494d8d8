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

// ReviewStore is what the reviewer's pages need.
type ReviewStore interface {
	ReviewQueuePage(ctx context.Context, f models.QueueFilter, now time.Time) (models.QueuePage, error)
	QueueIDs(ctx context.Context, f models.QueueFilter, limit int, now time.Time) ([]int64, error)
	BulkDecide(ctx context.Context, reviewerID int64, regIDs []int64, decision models.Decision, reasonCode, reasonText string, now time.Time) (int, []string, error)
	DecidedReviews(ctx context.Context, f models.DecidedFilter) (models.DecidedPage, error)
	ReviewRegistration(ctx context.Context, regID int64, now time.Time) (models.ReviewDetail, error)
	DecideProducts(ctx context.Context, reviewerID, regID int64, ds []models.ProductDecision, note string, now time.Time) (models.DecisionResult, error)
	BulkApprove(ctx context.Context, reviewerID int64, regIDs []int64, now time.Time) (int, []string, error)
	ReviewCounts(ctx context.Context) (registrations, priceEdits, withdrawals int, err error)
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

// queueFilter reads the queue's filter from the address (or a bulk form);
// anything not understood is left out.
func queueFilter(c echo.Context, form func(string) string) models.QueueFilter {
	f := models.QueueFilter{Shop: searchParam(c, "shop"), Flag: form("flag"), Sort: form("sort"), Page: pageParam(c)}
	if c.Request().Method == http.MethodPost {
		f.Shop = strings.TrimSpace(form("shop"))
	}
	if id, err := strconv.ParseInt(form("campaign"), 10, 64); err == nil && id > 0 {
		f.CampaignID = id
	}
	if !models.ValidQueueFlag(f.Flag) {
		f.Flag = models.QueueAll
	}
	if !models.ValidQueueSort(f.Sort) {
		f.Sort = ""
	}
	return f
}

// queueQuery is a filter as the queue's address carries it.
func queueQuery(f models.QueueFilter) url.Values {
	q := url.Values{}
	if f.CampaignID > 0 {
		q.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	if f.Shop != "" {
		q.Set("shop", f.Shop)
	}
	if f.Flag != "" {
		q.Set("flag", f.Flag)
	}
	if f.Sort != "" && f.Sort != models.QueueSortDue {
		q.Set("sort", f.Sort)
	}
	if f.Page > 1 {
		q.Set("page", strconv.Itoa(f.Page))
	}
	return q
}

var queueFlagLabels = map[string]string{
	models.QueueAll: "All", models.QueueOverdue: "Overdue", models.QueueDueToday: "Due today",
	models.QueueAboveMax: "Above maximum", models.QueueCoFunded: "Co-funded", models.QueueFirstTime: "First-time shop",
}

var queueSorts = []views.FilterOption{
	{Value: models.QueueSortDue, Label: "Oldest due first"}, {Value: models.QueueSortSubmitted, Label: "Newest submitted first"},
	{Value: models.QueueSortShop, Label: "Shop A–Z"}, {Value: models.QueueSortCampaign, Label: "Campaign A–Z"},
}

func (h *Review) queue(c echo.Context, status int, notice string, skipped []string, bulkError string) error {
	now := h.Now()
	f := queueFilter(c, c.FormValue)
	qp, err := h.store.ReviewQueuePage(ctx(c), f, now)
	if err != nil {
		return err
	}
	pending, priceEdits, withdrawals, err := h.store.ReviewCounts(ctx(c))
	if err != nil {
		return err
	}
	q := views.ReviewQueueView{ServiceDays: models.ReviewServiceDays, Notice: notice, Skipped: skipped,
		BulkError: bulkError, BulkURL: routes.ReviewBulkApprove, BulkDecideURL: routes.ReviewBulkDecide,
		Tabs: reviewTabs(views.ReviewTabRegistrations, pending, priceEdits, withdrawals),
		Shop: f.Shop, Flag: f.Flag, Sort: f.Sort, Total: qp.Total, Page: qp.Page, Pages: qp.Pages,
		ClearURL: routes.ReviewerHome, DecidedURL: routes.ReviewDecided}
	if f.CampaignID > 0 {
		q.CampaignID = strconv.FormatInt(f.CampaignID, 10)
	}
	for _, flag := range models.QueueFlags {
		chip := f
		chip.Flag, chip.Page = flag, 0
		q.Chips = append(q.Chips, views.QueueChip{Key: flagKey(flag), Label: queueFlagLabels[flag], Count: qp.Counts[flag],
			URL: routes.ReviewQueueWith(queueQuery(chip)), Current: flag == f.Flag})
	}
	for _, cp := range qp.Campaigns {
		q.Campaigns = append(q.Campaigns, views.FilterOption{Value: strconv.FormatInt(cp.ID, 10),
			Label: fmt.Sprintf("%s (%d)", cp.Name, cp.Pending), Selected: cp.ID == f.CampaignID})
	}
	for _, o := range queueSorts {
		o.Selected = o.Value == f.Sort || (f.Sort == "" && o.Value == models.QueueSortDue)
		q.Sorts = append(q.Sorts, o)
	}
	if qp.Page > 1 {
		prev := f
		prev.Page = qp.Page - 1
		q.PrevURL = routes.ReviewQueueWith(queueQuery(prev))
	}
	if qp.Page < qp.Pages {
		next := f
		next.Page = qp.Page + 1
		q.NextURL = routes.ReviewQueueWith(queueQuery(next))
	}
	for _, r := range models.RejectReasons {
		q.Reasons = append(q.Reasons, views.ReasonOption{Code: r.Code, Label: r.Label})
	}
	for _, r := range qp.Rows {
		row := views.ReviewQueueRow{
			ID: r.RegistrationID, URL: routes.ReviewRegistration(r.RegistrationID), Shop: r.ShopName, Campaign: r.CampaignName,
			Submitted: timeText(r.SubmittedAt, reviewTimes), Due: timeText(r.DueAt, reviewTimes),
			Overdue: r.Overdue, DueSoon: r.DueSoon,
			Products: r.Products, SKUs: r.SKUs, AboveMax: r.AboveMax,
		}
		if row.DueSoon {
			q.DueSoon++
		}
		if row.AboveMax > 0 {
			q.Flagged++
		}
		q.Rows = append(q.Rows, row)
	}
	q.Overdue = qp.Counts[models.QueueOverdue]
	return Render(c, status, views.ReviewQueuePage(h.Page(c, "Review queue", views.NavReview), q))
}

// flagKey names a filter in test ids: "all" for no filter.
func flagKey(flag string) string {
	if flag == models.QueueAll {
		return "all"
	}
	return flag
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
	if n, err := strconv.Atoi(c.QueryParam("rejected")); err == nil && n >= 0 {
		return fmt.Sprintf("%d %s%s rejected: the sellers see the reason.", n, noun, reviewPlural(n))
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
	case "skus":
		return fmt.Sprintf("%s #%d approved without the SKUs you rejected: the seller sees each SKU's reason.", title, id)
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
		pr.DecisionError = errs[models.ProductField("decision", pr.ID)]
		fd, _ := form.of(pr.ID)
		for j := range pr.SKUs {
			s := &pr.SKUs[j]
			for _, r := range fd.RejectSKUs {
				if r.RegistrationSKUID == s.ID {
					s.Reject, s.ReasonCode, s.ReasonText = true, r.ReasonCode, r.ReasonText
				}
			}
			s.CodeError = errs[models.SKUField("reason_code", s.ID)]
			s.TextError = errs[models.SKUField("reason_text", s.ID)]
		}
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
		var rejectSKUs []models.SKURejection
		for _, raw := range params[models.ProductField("reject_sku", rpID)] {
			rsID, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
			if err != nil || rsID <= 0 {
				return echo.NewHTTPError(http.StatusBadRequest, "The form was not understood; reload the page.")
			}
			rejectSKUs = append(rejectSKUs, models.SKURejection{RegistrationSKUID: rsID,
				ReasonCode: params.Get(models.SKUField("reason_code", rsID)), ReasonText: params.Get(models.SKUField("reason_text", rsID))})
		}
		if choice == "" && len(rejectSKUs) == 0 {
			continue // left for later: stays under review
		}
		if choice == string(models.DecisionRejected) {
			rejectSKUs = nil // the product's reason covers every SKU
		}
		form.decisions = append(form.decisions, models.ProductDecision{RegistrationProductID: rpID, Decision: models.Decision(choice),
			ReasonCode: params.Get(models.ProductField("reason_code", rpID)), ReasonText: params.Get(models.ProductField("reason_text", rpID)),
			RejectSKUs: rejectSKUs})
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
	case r.Rejected == 0 && r.RejectedSKUs > 0:
		return "skus"
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

// BulkDecide approves or rejects (with one reason) the ticked
// registrations, or every one matching the queue's filter (up to
// models.MaxBulkApprove), and says which were skipped.
func (h *Review) BulkDecide(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	decision := models.Decision(form.Get("decision"))
	var ids []int64
	if form.Get("scope") == "filter" {
		ids, err = h.store.QueueIDs(ctx(c), queueFilter(c, form.Get), models.MaxBulkApprove, h.Now())
		if err != nil {
			return err
		}
	} else {
		for _, s := range form["reg_id"] {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				return h.queue(c, http.StatusUnprocessableEntity, "", nil, "The selection was not understood; reload the queue and tick again.")
			}
			ids = append(ids, id)
		}
	}
	done, skipped, err := h.store.BulkDecide(ctx(c), SessionFrom(c).User.ID, ids, decision, form.Get("reason_code"), form.Get("reason_text"), h.Now())
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		msg := invalid.Fields["reg_id"]
		for _, k := range []string{"decision", "reason_code", "reason_text"} {
			if msg == "" {
				msg = invalid.Fields[k]
			}
		}
		return h.queue(c, http.StatusUnprocessableEntity, "", nil, msg)
	}
	if err != nil {
		return err
	}
	verb := "approved"
	if decision == models.DecisionRejected {
		verb = "rejected"
	}
	notice := fmt.Sprintf("%d registration%s %s.", done, reviewPlural(done), verb)
	if len(skipped) > 0 {
		return h.queue(c, http.StatusOK, notice, skipped, "")
	}
	if decision == models.DecisionApproved {
		return Redirect(c, routes.ReviewQueueAfterBulk(done))
	}
	return Redirect(c, routes.ReviewQueueWith(url.Values{"rejected": {strconv.Itoa(done)}}))
}

// Decided is the searchable audit of every decision.
func (h *Review) Decided(c echo.Context) error {
	f := models.DecidedFilter{Shop: searchParam(c, "shop"), Campaign: searchParam(c, "campaign"), PID: searchParam(c, "pid"),
		Reviewer: searchParam(c, "reviewer"), How: c.QueryParam("how"), Page: pageParam(c)}
	if f.How != models.DecidedBulk && f.How != models.DecidedOneByOne {
		f.How = ""
	}
	v := views.DecidedView{Shop: f.Shop, Campaign: f.Campaign, PID: f.PID, Reviewer: f.Reviewer, Day: searchParam(c, "day")}
	for _, o := range []views.FilterOption{{Value: "", Label: "Any way"}, {Value: models.DecidedBulk, Label: "In bulk"},
		{Value: models.DecidedOneByOne, Label: "One by one"}} {
		o.Selected = o.Value == f.How
		v.How = append(v.How, o)
	}
	status := http.StatusOK
	if v.Day != "" {
		day, err := time.Parse(time.DateOnly, v.Day)
		if err != nil {
			v.DayError, status = "Enter a date as YYYY-MM-DD.", http.StatusUnprocessableEntity
		} else {
			f.Day = day
		}
	}
	dp, err := h.store.DecidedReviews(ctx(c), f)
	if err != nil {
		return err
	}
	pending, priceEdits, withdrawals, err := h.store.ReviewCounts(ctx(c))
	if err != nil {
		return err
	}
	v.Tabs = reviewTabs(views.ReviewTabDecided, pending, priceEdits, withdrawals)
	v.Total, v.Page, v.Pages = dp.Total, dp.Page, dp.Pages
	query := func(page int) string {
		q := url.Values{}
		for k, val := range map[string]string{"shop": f.Shop, "campaign": f.Campaign, "pid": f.PID, "reviewer": f.Reviewer, "day": v.Day, "how": f.How} {
			if val != "" {
				q.Set(k, val)
			}
		}
		q.Set("page", strconv.Itoa(page))
		return routes.ReviewDecidedWith(q)
	}
	if dp.Page > 1 {
		v.PrevURL = query(dp.Page - 1)
	}
	if dp.Page < dp.Pages {
		v.NextURL = query(dp.Page + 1)
	}
	for _, r := range dp.Rows {
		row := views.DecidedRow{When: timeText(r.DecidedAt, reviewTimes), Shop: r.ShopName, Campaign: r.CampaignName,
			Product: r.ProductTitle, PID: r.PID, SKU: r.SKU, Bulk: r.Bulk, Reviewer: r.ReviewerName, URL: routes.ReviewRegistration(r.RegistrationID)}
		row.Decision = reviewDecisionLabel(models.ReviewDecisionEntry{Decision: r.Decision, ReasonCode: r.ReasonCode})
		row.Tone = "ok"
		if r.Decision == models.DecisionRejected {
			row.Tone = "bad"
		}
		row.Reason = r.ReasonText
		v.Rows = append(v.Rows, row)
	}
	return Render(c, status, views.ReviewDecidedPage(h.Page(c, "Decided reviews", views.NavReview), v))
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
	v.Status, v.StatusTone = reviewStatus(reg.Status, counts, d.SKUsOut)
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
				ID: s.ID, Decidable: p.Status == models.ProductPending && len(p.SKUs) > 1,
				CostFlag: s.CostFlag, FloorFlag: s.FloorFlag, KeptOut: s.KeptOut,
				Code: s.SKUCode, Attributes: s.Attributes, CampaignPrice: "—", CampaignStock: "—",
				Available: s.AvailableStock, StockNow: s.StockNow,
				LowAtSubmit: views.Money(s.LowAtSubmit), MaxAtSubmit: views.Money(s.MaxAtSubmit),
				LiveLow: views.Money(s.Live.Low), LiveLowDate: views.Date(s.Live.LowAt, reviewTimes), LiveMax: views.Money(s.Live.Max),
				AboveMax: s.AboveLiveMax, StockShort: s.StockShort, RaisedFlag: s.RaisedFlag,
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
		if e.Bulk {
			entry.Action += " (bulk)"
		}
		if e.Product != "" {
			entry.Action += " — " + e.Product
		}
		if e.SKU != "" {
			entry.Action += ", SKU " + e.SKU
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
func reviewStatus(s models.RegistrationStatus, counts map[models.ProductStatus]int, skusOut int) (string, string) {
	label := models.RegistrationStatusLabel(s, counts, skusOut)
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
