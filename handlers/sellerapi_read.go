package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// listPage reads ?limit= (1..max, def when absent) and ?cursor= of a list
// paged by number (the cursor is "p<page>", opaque to clients).
func listPage(c echo.Context, def, maxLimit int) (page, limit int, err error) {
	limit, err = limitParam(c, def, maxLimit)
	if err != nil {
		return 0, 0, err
	}
	page = 1
	if s := c.QueryParam("cursor"); s != "" {
		n, perr := strconv.Atoi(strings.TrimPrefix(s, "p"))
		if !strings.HasPrefix(s, "p") || perr != nil || n < 1 || n > 1_000_000 {
			return 0, 0, Invalid("The cursor is not one this API gave.", FieldProblem{Field: "cursor", Code: CodeInvalid,
				Detail: "Pass next_cursor from the previous page, unchanged."})
		}
		page = n
	}
	return page, limit, nil
}

func limitParam(c echo.Context, def, maxLimit int) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		return 0, Invalid("limit is out of range.", FieldProblem{Field: "limit", Code: CodeInvalid,
			Detail: "Use a whole number from 1 to " + strconv.Itoa(maxLimit) + "."})
	}
	return n, nil
}

func nextPage(page int, more bool) *string {
	if !more {
		return nil
	}
	s := "p" + strconv.Itoa(page+1)
	return &s
}

// pageOf cuts one page out of a list the domain returned whole.
func pageOf[T any](all []T, page, limit int) ([]T, bool) {
	from := min((page-1)*limit, len(all))
	to := min(from+limit, len(all))
	return all[from:to], to < len(all)
}

func boolParam(c echo.Context, name string) (bool, error) {
	switch c.QueryParam(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, Invalid(name+" is not a boolean.", FieldProblem{Field: name, Code: CodeInvalid, Detail: "Use true or false."})
}

func apiID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound, Detail: "No " + strings.TrimSuffix(name, "_id") + " has that id."}
	}
	return id, nil
}

// Campaigns lists the campaigns of a tab with the shop's eligibility per
// criterion: the list the Campaigns screen shows, by the same function.
func (h *SellerAPI) Campaigns(c echo.Context) error {
	caller, _ := CallerFrom(c)
	f := models.CampaignFilter{Tab: models.TabOpen, Query: searchParam(c, "q")}
	if s := c.QueryParam("tab"); s != "" {
		if f.Tab = models.ParseSellerTab(s); string(f.Tab) != s {
			return Invalid("tab is not a tab.", FieldProblem{Field: "tab", Code: CodeInvalid, Detail: "Use open, upcoming, registered or ended."})
		}
	}
	var err error
	if f.CoFunded, err = boolParam(c, "co_funded"); err != nil {
		return err
	}
	if f.EligibleOnly, err = boolParam(c, "eligible_only"); err != nil {
		return err
	}
	page, limit, err := listPage(c, 50, 100)
	if err != nil {
		return err
	}
	rows, _, err := h.store.SellerCampaigns(ctx(c), caller.Shop, f)
	if err != nil {
		return err
	}
	items, more := pageOf(rows, page, limit)
	out := listJSON[campaignJSON]{Items: []campaignJSON{}, NextCursor: nextPage(page, more)}
	for _, r := range items {
		out.Items = append(out.Items, campaignOf(r))
	}
	return c.JSON(http.StatusOK, out)
}

// Campaign is one campaign's details: eligibility, sub-campaigns, tiers,
// coupons, rules and the fee policy. A draft is not found.
func (h *SellerAPI) Campaign(c echo.Context) error {
	caller, _ := CallerFrom(c)
	id, err := apiID(c, "campaign_id")
	if err != nil {
		return err
	}
	sc, err := h.store.SellerCampaign(ctx(c), caller.Shop, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, campaignDetailsOf(sc))
}

// registrationOfCampaign finds the shop's registration of the campaign in
// the path: 404 when the campaign is hidden or the shop has none.
func (h *SellerAPI) registrationOfCampaign(c echo.Context) (APICaller, models.SellerCampaign, error) {
	caller, _ := CallerFrom(c)
	id, err := apiID(c, "campaign_id")
	if err != nil {
		return caller, models.SellerCampaign{}, err
	}
	sc, err := h.store.SellerCampaign(ctx(c), caller.Shop, id)
	if err != nil {
		return caller, sc, err
	}
	if sc.Registration == nil {
		return caller, sc, &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound,
			Detail: "Your shop has no registration for this campaign yet."}
	}
	return caller, sc, nil
}

// Registration is the shop's registration of a campaign with every
// product's and SKU's status, a page of products at a time. Its ETag is
// the registration's version (the same on every page); If-None-Match
// with it answers 304.
func (h *SellerAPI) Registration(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	page, limit, err := listPage(c, 100, 500)
	if err != nil {
		return err
	}
	reg := *sc.Registration
	etag, err := h.store.SellerRegistrationETag(ctx(c), caller.Shop.ID, reg.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag)
	if matchesETag(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	out := registrationOf(reg)
	out.ETag = etag
	if reg.Status == models.RegistrationDraft {
		d, _, err := h.store.LoadDraft(ctx(c), caller.Shop.ID, reg.ID, 0, page, limit)
		if err != nil {
			return err
		}
		out.ProductCounts[string(models.ProductDraft)] = d.Summary.Products
		for _, p := range d.Products {
			pj := registrationProductOf(p.RegistrationProduct, p.PID, p.Title)
			for _, s := range p.SKUs {
				pj.SKUs = append(pj.SKUs, registrationSKUOf(s.RegistrationSKU, s.SKUCode, s.Attributes))
			}
			out.Products = append(out.Products, pj)
		}
		out.NextCursor = nextPage(page, page*limit < d.Total)
		return c.JSON(http.StatusOK, out)
	}
	v, err := h.store.Manage(ctx(c), caller.Shop.ID, reg.ID, "")
	if err != nil {
		return err
	}
	for st, n := range v.Counts {
		out.ProductCounts[string(st)] = n
	}
	products, more := pageOf(v.Products, page, limit)
	for _, p := range products {
		out.Products = append(out.Products, managedProductOf(p))
	}
	out.NextCursor = nextPage(page, more)
	return c.JSON(http.StatusOK, out)
}

func managedProductOf(p models.ManagedProduct) registrationProductJSON {
	pj := registrationProductOf(p.RegistrationProduct, p.PID, p.Title)
	for _, s := range p.SKUs {
		sj := registrationSKUOf(s.RegistrationSKU, s.SKUCode, s.Attributes)
		sj.OpenPriceEdit, sj.LastPriceEdit = priceEditOf(s.OpenEdit, s.SKUCode), priceEditOf(s.LastDecided, s.SKUCode)
		pj.SKUs = append(pj.SKUs, sj)
	}
	return pj
}

// matchesETag reports whether an If-None-Match or If-Match header names
// etag (or is *).
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// Recommendations lists the registration's price recommendations, as the
// Submitted page shows them.
func (h *SellerAPI) Recommendations(c echo.Context) error {
	return submittedList(h, c, 100, 500, func(v models.SubmittedView) []models.Recommendation { return v.Recommendations },
		recommendationOf)
}

// Related lists the other open campaigns the registration can be copied
// to, with the shop's eligibility for each.
func (h *SellerAPI) Related(c echo.Context) error {
	return submittedList(h, c, 50, 100, func(v models.SubmittedView) []models.SellerCampaign { return v.Related }, campaignOf)
}

// submittedList answers one page of a list the Submitted page shows for
// the registration of the campaign in the path.
func submittedList[T, J any](h *SellerAPI, c echo.Context, def, maxLimit int, list func(models.SubmittedView) []T, toJSON func(T) J) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	page, limit, err := listPage(c, def, maxLimit)
	if err != nil {
		return err
	}
	v, err := h.store.Submitted(ctx(c), caller.Shop, sc.Registration.ID, h.kit.Now())
	if err != nil {
		return err
	}
	items, more := pageOf(list(v), page, limit)
	out := listJSON[J]{Items: []J{}, NextCursor: nextPage(page, more)}
	for _, r := range items {
		out.Items = append(out.Items, toJSON(r))
	}
	return c.JSON(http.StatusOK, out)
}

// PriceEdits lists the registration's price edits: each SKU's open one and
// its last decided one, as the Manage page shows them.
func (h *SellerAPI) PriceEdits(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	page, limit, err := listPage(c, 100, 500)
	if err != nil {
		return err
	}
	status := c.QueryParam("status")
	switch models.PriceEditStatus(status) {
	case "", models.EditUnderReview, models.EditApproved, models.EditRejected:
	default:
		return Invalid("status is not a price edit status.", FieldProblem{Field: "status", Code: CodeInvalid,
			Detail: "Use under_review, approved or rejected."})
	}
	v, err := h.store.Manage(ctx(c), caller.Shop.ID, sc.Registration.ID, "")
	if err != nil {
		return err
	}
	var all []priceEditJSON
	for _, p := range v.Products {
		for _, s := range p.SKUs {
			for _, e := range []*models.PriceEditRequest{s.OpenEdit, s.LastDecided} {
				if e != nil && (status == "" || string(e.Status) == status) {
					all = append(all, *priceEditOf(e, s.SKUCode))
				}
			}
		}
	}
	items, more := pageOf(all, page, limit)
	return c.JSON(http.StatusOK, listJSON[priceEditJSON]{Items: append([]priceEditJSON{}, items...), NextCursor: nextPage(page, more)})
}

// SKUErrors lists the registration's products with a SKU error, with the
// reason and their SKUs.
func (h *SellerAPI) SKUErrors(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	page, limit, err := listPage(c, 100, 500)
	if err != nil {
		return err
	}
	v, err := h.store.Manage(ctx(c), caller.Shop.ID, sc.Registration.ID, models.ProductSKUError)
	if err != nil {
		return err
	}
	items, more := pageOf(v.Products, page, limit)
	out := listJSON[skuErrorJSON]{Items: []skuErrorJSON{}, NextCursor: nextPage(page, more)}
	for _, p := range items {
		pj := managedProductOf(p)
		out.Items = append(out.Items, skuErrorJSON{RegistrationProductID: p.ID, ProductID: p.ProductID, PID: p.PID, Title: p.Title,
			Reason: p.SKUErrorReason, Since: instantPtr(p.SKUErrorAt), SKUs: pj.SKUs})
	}
	return c.JSON(http.StatusOK, out)
}

// Notifications lists the newest notifications of the seller who made the
// key (their bell), newest first.
func (h *SellerAPI) Notifications(c echo.Context) error {
	caller, _ := CallerFrom(c)
	limit, err := limitParam(c, 50, 100)
	if err != nil {
		return err
	}
	ns, err := h.store.Notifications(ctx(c), caller.Key.CreatedBy, limit)
	if err != nil {
		return err
	}
	out := listJSON[notificationJSON]{Items: []notificationJSON{}}
	for _, n := range ns {
		out.Items = append(out.Items, notificationOf(n))
	}
	return c.JSON(http.StatusOK, out)
}

// SettledRecords lists the shop's orders, newest first, by the function of
// Finance › Settled records (the same filters: from, to, campaign, sub,
// status).
func (h *SellerAPI) SettledRecords(c echo.Context) error {
	caller, _ := CallerFrom(c)
	limit, err := limitParam(c, 50, 200)
	if err != nil {
		return err
	}
	f, _, errs := parseSettledFilter(c)
	var fields []FieldProblem
	for k, msg := range errs {
		fields = append(fields, FieldProblem{Field: k, Code: CodeInvalid, Detail: msg})
	}
	if s := c.QueryParam("status"); s != "" && string(f.Status) != s {
		fields = append(fields, FieldProblem{Field: "status", Code: CodeInvalid, Detail: "Use placed, completed, partially_returned, returned or cancelled."})
	}
	if s := c.QueryParam("campaign"); s != "" && strconv.FormatInt(f.CampaignID, 10) != s {
		fields = append(fields, FieldProblem{Field: "campaign", Code: CodeInvalid, Detail: "Use a campaign id."})
	}
	var after *orders.SettledCursor
	if s := c.QueryParam("cursor"); s != "" {
		cur, ok := orders.ParseSettledCursor(s)
		if !ok {
			fields = append(fields, FieldProblem{Field: "cursor", Code: CodeInvalid, Detail: "Pass next_cursor from the previous page, unchanged."})
		}
		after = &cur
	}
	if len(fields) > 0 {
		return Invalid("Some query parameters were refused.", fields...)
	}
	if f.CampaignID != 0 {
		camps, err := h.finance.SettledCampaigns(ctx(c), caller.Shop.ID)
		if err != nil {
			return err
		}
		known := false
		for _, cp := range camps {
			if cp.ID == f.CampaignID {
				f.Location, known = cp.Location(), true
			}
		}
		if !known {
			return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound, Detail: "Your shop has no orders in that campaign."}
		}
	}
	rows, next, err := h.finance.SettledRecords(ctx(c), caller.Shop.ID, f, after, limit)
	if err != nil {
		return err
	}
	out := listJSON[settledRecordJSON]{Items: []settledRecordJSON{}}
	for _, r := range rows {
		out.Items = append(out.Items, settledRecordOf(r))
	}
	if next != nil {
		s := next.String()
		out.NextCursor = &s
	}
	return c.JSON(http.StatusOK, out)
}

// Order is one order's fee breakdown, by the settlement engine the order
// page and the order feed use. Another shop's order is not found.
func (h *SellerAPI) Order(c echo.Context) error {
	caller, _ := CallerFrom(c)
	id, err := apiID(c, "order_id")
	if err != nil {
		return err
	}
	v, err := h.finance.SellerOrder(ctx(c), caller.Shop.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SettlementJSON(v))
}

// Events is the shop's feed of decisions, SKU errors, price edit results
// and withdrawals, oldest first, after the cursor. next_cursor is always
// set (the same cursor when nothing is new): poll with it.
func (h *SellerAPI) Events(c echo.Context) error {
	caller, _ := CallerFrom(c)
	limit, err := limitParam(c, 100, 500)
	if err != nil {
		return err
	}
	after, ok := models.ParseEventCursor(c.QueryParam("after"))
	if !ok {
		return Invalid("after is not a cursor this API gave.", FieldProblem{Field: "after", Code: CodeInvalid,
			Detail: "Pass next_cursor (or an event's id) from the feed, unchanged; leave it out to start from the beginning."})
	}
	evs, next, err := h.store.SellerEvents(ctx(c), caller.Shop.ID, after, limit)
	if err != nil {
		return err
	}
	s := next.String()
	out := listJSON[eventJSON]{Items: []eventJSON{}, NextCursor: &s}
	for _, e := range evs {
		out.Items = append(out.Items, eventOf(e))
	}
	return c.JSON(http.StatusOK, out)
}
