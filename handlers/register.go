package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// RegisterStore is what registering products needs from the domain.
type RegisterStore interface {
	OpenDraft(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Registration, models.Campaign, error)
	AddToDraft(ctx context.Context, shopID, regID int64, items []models.DraftItem, source models.ItemSource, now time.Time) (int, error)
	DraftTable(ctx context.Context, shopID int64, reg models.Registration, c models.Campaign, filter models.Problem, page, perPage int) (models.DraftPage, error)
	DraftProduct(ctx context.Context, shopID int64, reg models.Registration, c models.Campaign, rpID int64) (models.DraftProductView, map[int64]models.PriceMemory, error)
	DraftProductOfSKU(ctx context.Context, shopID, regID, rsID int64) (int64, error)
	UpdateDraftSKUKeeping(ctx context.Context, shopID, regID, rsID int64, price decimal.NullDecimal, stock *int, keep models.DraftKeep, now time.Time) (models.RegistrationSKU, error)
	UpdateDraftProduct(ctx context.Context, shopID, regID, rpID int64, tier models.Tier, extra decimal.NullDecimal, now time.Time) error
	ApplyBulk(ctx context.Context, shopID, regID int64, a models.BulkAction, now time.Time) (int, error)
	SubmitDraft(ctx context.Context, shop models.Shop, regID int64, acceptCoupons bool, key string, now time.Time) (models.SubmitResult, error)
	PickCatalogue(ctx context.Context, shopID, regID int64, c models.Campaign, f models.PickFilter, now time.Time) ([]models.PickRow, int, []models.Category, error)
	RecommendedItems(ctx context.Context, shopID, regID int64, c models.Campaign, now time.Time) ([]models.DraftItem, error)
	Submitted(ctx context.Context, shop models.Shop, regID int64, now time.Time) (models.SubmittedView, error)
	DecideRecommendation(ctx context.Context, shopID, userID, regID, recID int64, action models.RecommendationAction, price decimal.NullDecimal, now time.Time) error
	AcceptAllRecommendations(ctx context.Context, shopID, userID, regID int64, now time.Time) (int, error)
	CopyToCampaign(ctx context.Context, shop models.Shop, fromRegID, toCampaignID int64, now time.Time) (models.Registration, int, error)
}

// Register is "Register now": add products, set price and stock, submit.
type Register struct {
	Kit
	store RegisterStore
}

// NewRegister builds the registration area.
func NewRegister(k Kit, store RegisterStore) *Register { return &Register{Kit: k, store: store} }

const productsPerPricePage = 50

// draft opens the shop's registration draft for the campaign in the URL.
func (h *Register) draft(c echo.Context) (models.Shop, models.Registration, models.Campaign, error) {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return shop, models.Registration{}, models.Campaign{}, err
	}
	reg, camp, err := h.store.OpenDraft(ctx(c), shop, id, h.Now())
	return shop, reg, camp, err
}

// Show renders the price table.
func (h *Register) Show(c echo.Context) error {
	return h.show(c, http.StatusOK, nil, c.QueryParam("notice"))
}

func (h *Register) show(c echo.Context, status int, errs map[string]string, notice string) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	filterKey := c.QueryParam("problem")
	filter, _ := models.ProblemByKey(filterKey)
	if filter == 0 {
		filterKey = ""
	}
	page := pageParam(c)
	d, err := h.store.DraftTable(ctx(c), shop.ID, reg, camp, filter, page, productsPerPricePage)
	if err != nil {
		return err
	}
	v := h.registerView(reg, camp, d, filterKey, d.Memories)
	v.Errors, v.Notice = errs, notice
	// A refused submit came back here (Submit): the reasons as they stand
	// now, at the top and beside their fields.
	for _, f := range strings.Split(c.QueryParam("refused"), ",") {
		msg := models.SubmitRefusal(f, d.Summary.ProblemSKUs)
		if msg == "" || (f == models.SubmitFieldSKUs && d.Summary.ProblemSKUs == 0) {
			continue
		}
		if v.Errors == nil {
			v.Errors = map[string]string{}
		}
		v.Errors[f] = msg
		v.Refused = append(v.Refused, msg)
	}
	return Render(c, status, views.RegisterPageView(h.Page(c, "Set campaign price and stock", views.NavCampaigns), v))
}

func (h *Register) registerView(reg models.Registration, camp models.Campaign, d models.DraftPage, filterKey string, mem map[int64]models.PriceMemory) views.RegisterPage {
	now := h.Now()
	loc := camp.Location()
	v := views.RegisterPage{
		CampaignID: camp.ID, CampaignName: camp.Name, CampaignURL: routes.Campaign(camp.ID),
		Deadline: timeText(camp.RegistrationDeadline, loc), Countdown: views.Countdown(now, camp.RegistrationDeadline),
		Timezone: camp.Timezone, LookbackDays: camp.LookbackDays, ReviewRequired: camp.ReviewRequired,
		PickURL: routes.RegisterPick(camp.ID), UploadURL: routes.RegisterUpload(camp.ID), RecommendedURL: routes.RegisterRecommended(camp.ID),
		BulkURL: routes.RegisterBulk(camp.ID), SubmitURL: routes.RegisterSubmit(camp.ID), SubmitKey: newKey(),
		CouponsRequired: camp.CouponsMustBeAccepted && len(camp.Coupons) > 0, CouponCount: len(camp.Coupons),
		SKUCount: d.Summary.SKUs, ProductCount: d.Summary.Products, ProblemSKUs: d.Summary.ProblemSKUs,
		FilterKey: filterKey, AllURL: routes.Register(camp.ID),
		Totals: views.ProfitTotals{Revenue: views.Money(d.Summary.TotalRevenue), Fees: views.Money(d.Summary.TotalFees),
			Coupons: views.Money(d.Summary.TotalCouponWorst), Keep: views.Money(d.Summary.TotalKeep)},
	}
	if reg.Status != models.RegistrationDraft {
		v.Status, _ = registrationLabel(reg.Status, false)
		v.ManageURL = routes.Registration(reg.ID)
	}
	for _, t := range []models.Tier{models.TierFeatured, models.TierRegular} {
		if ct, ok := camp.Tier(t); ok {
			v.Rules = append(v.Rules, views.RuleView{Name: tierLabel(t), Price: ruleText(camp.Rule(t), camp.LookbackDays), MinStock: ct.MinStock})
		}
	}
	for _, cp := range camp.Coupons {
		v.CouponLines = append(v.CouponLines, cp.Code+": "+models.CouponSummary(cp))
	}
	v.ExtraDiscount = "Not offered in this campaign."
	if camp.ExtraDiscountAllowed && camp.ExtraDiscountMinPct.Valid {
		v.ExtraDiscount = fmt.Sprintf("Optional, per product, at least %s; only when every SKU of the product is registered. Leave it blank for none.",
			views.Percent(camp.ExtraDiscountMinPct.Decimal))
	}
	for _, p := range models.AllProblems {
		if n := d.Summary.ProblemCounts[p]; n > 0 {
			v.Filters = append(v.Filters, views.FilterLink{Key: p.Key(), Label: p.Label(), Count: n,
				URL: routes.RegisterFiltered(camp.ID, p.Key(), 1), Current: p.Key() == filterKey})
		}
	}
	for _, p := range d.Products {
		v.Products = append(v.Products, productBlock(camp, p, mem))
	}
	if d.Page > 1 {
		v.PrevURL = routes.RegisterFiltered(camp.ID, filterKey, d.Page-1)
	}
	if d.Page*d.PerPage < d.Total {
		v.NextURL = routes.RegisterFiltered(camp.ID, filterKey, d.Page+1)
	}
	if d.Total > d.PerPage {
		from := (d.Page-1)*d.PerPage + 1
		v.PageInfo = fmt.Sprintf("Products %d–%d of %d", from, from+len(d.Products)-1, d.Total)
	}
	return v
}

func productBlock(camp models.Campaign, p models.DraftProductView, mem map[int64]models.PriceMemory) views.ProductBlock {
	b := views.ProductBlock{ID: p.ID, UpdateURL: routes.RegisterProduct(camp.ID, p.ID), Title: p.Title, PID: p.PID,
		Tier: string(p.Tier), Source: string(p.Source), ExtraAllowed: camp.ExtraDiscountAllowed, SKUsOfProduct: p.ProductSKUCount}
	if p.ExtraDiscountPct.Valid {
		b.ExtraDiscount = p.ExtraDiscountPct.Decimal.String()
	}
	if camp.ExtraDiscountMinPct.Valid {
		b.ExtraHint = "Blank for none, or at least " + views.Percent(camp.ExtraDiscountMinPct.Decimal)
	}
	for _, prob := range p.Problems.List() {
		b.Problems = append(b.Problems, productProblemText(prob, camp, len(p.SKUs), p.ProductSKUCount))
		if prob == models.ProblemExtraDiscountBelowMin && p.ExtraDiscountPct.Valid {
			ferr := models.CheckExtraDiscountTerms(p.ExtraDiscountPct.Decimal, camp.ExtraDiscount())
			b.ExtraFix = fixView(models.FixOf(ferr), fmt.Sprintf("extra-%d", p.ID))
		}
	}
	rule := camp.Rule(p.Tier)
	for _, s := range p.SKUs {
		b.SKUs = append(b.SKUs, skuRow(camp, p, rule, s, mem[s.SKUID]))
	}
	b.ProductFixes = productFixes(camp, p, rule)
	return b
}

func skuRow(camp models.Campaign, p models.DraftProductView, rule models.TierRule, s models.DraftSKUView, mem models.PriceMemory) views.SKURowView {
	r := views.SKURowView{
		ID: s.ID, UpdateURL: routes.RegisterSKU(camp.ID, s.ID), Code: s.SKUCode, Attributes: s.Attributes,
		RetailPrice: views.Money(s.RetailPrice), LookbackLow: views.Money(s.LookbackLow), LowDate: views.Date(s.LowAt, camp.Location()),
		MaxPrice: views.Money(s.MaxPrice), Recommended: views.Money(s.RecommendedPrice),
		TierRule:  tierLabel(p.Tier) + ": " + ruleText(rule, camp.LookbackDays),
		Available: s.AvailableStock, Reserved: s.ReservedStock, Keep: "—",
		SimURL: routes.SimulatorFor(routes.SimulatorPanel, s.SKUID, camp.ID),
	}
	if s.CampaignPrice.Valid && mem.Sets {
		r.Memory = MemoryText(mem, camp)
	}
	if s.CampaignPrice.Valid {
		r.Price = s.CampaignPrice.Decimal.StringFixed(2)
		u := models.PreviewUnit(s.CampaignPrice.Decimal, p.ExtraDiscountPct, camp.FeeRate, camp.Coupons)
		r.Keep = views.Money(u.Keep)
		r.KeepDetail = fmt.Sprintf("fee %s · coupon ≤ %s", views.Money(u.Fee), views.Money(u.CouponWorst))
		if u.ExtraDiscount.IsPositive() {
			r.KeepDetail = fmt.Sprintf("extra −%s · ", views.Money(u.ExtraDiscount)) + r.KeepDetail
		}
	}
	if s.CampaignStock != nil {
		r.Stock = strconv.Itoa(*s.CampaignStock)
	}
	ps := s.Problems
	switch {
	case ps.Has(models.ProblemPriceMissing):
		r.PriceError = "Enter a campaign price."
	case ps.Has(models.ProblemPriceAboveMax):
		limit := models.PriceLimit{Max: s.MaxPrice, Low: s.LookbackLow, Tier: rule.Tier, MaxPricePct: rule.MaxPricePct,
			LookbackDays: camp.LookbackDays}
		ferr := models.CheckCampaignPrice(s.CampaignPrice.Decimal, limit)
		r.PriceError, r.PriceFix = ferr.Error(), fixView(models.FixOf(ferr), fmt.Sprintf("price-%d", s.ID))
		r.PriceTooHigh = true
	}
	switch {
	case ps.Has(models.ProblemStockMissing):
		r.StockError = "Enter a campaign stock."
	case ps.Has(models.ProblemStockAboveAvailable), ps.Has(models.ProblemStockBelowMin):
		ferr := models.CheckCampaignStock(*s.CampaignStock, rule.StockLimit(s.AvailableStock).WithReserved(s.ReservedStock))
		r.StockError, r.StockFix = ferr.Error(), fixView(models.FixOf(ferr), fmt.Sprintf("stock-%d", s.ID))
	}
	for _, prob := range ps.List() {
		r.Problems = append(r.Problems, prob.Label())
	}
	return r
}

func productProblemText(p models.Problem, camp models.Campaign, registered, total int) string {
	switch p {
	case models.ProblemExtraDiscountBelowMin:
		if msg := models.CheckExtraDiscountTerms(decimal.Zero, camp.ExtraDiscount()).Error(); msg != "" {
			return msg
		}
	case models.ProblemExtraDiscountPartial:
		return fmt.Sprintf("An extra discount needs every SKU of the product: %d of %d are registered.", registered, total)
	case models.ProblemExtraDiscountNotAllowed:
		return models.CheckExtraDiscountTerms(decimal.Zero, models.ExtraDiscountTerms{}).Error()
	}
	return p.Label()
}

func tierLabel(t models.Tier) string {
	if t == models.TierFeatured {
		return "Featured"
	}
	return "Regular"
}

func ruleText(rule models.TierRule, days int) string {
	if off := rule.BelowLowPct(); off.IsPositive() {
		return fmt.Sprintf("at least %s below your %d-day low", views.Percent(off), days)
	}
	return fmt.Sprintf("at or below your %d-day low", days)
}

// UpdateSKU stores one row as the seller types and answers with the row.
func (h *Register) UpdateSKU(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	rsID, err := idParam(c, "sku")
	if err != nil {
		return err
	}
	rawPrice, rawStock := strings.TrimSpace(c.FormValue("price")), strings.TrimSpace(c.FormValue("stock"))
	var priceErr, stockErr string
	price, ferr := models.ParsePrice(rawPrice)
	if ferr != nil {
		priceErr = ferr.Message
	}
	stock, ferr := models.ParseStock(rawStock)
	if ferr != nil {
		stockErr = ferr.Message
	}
	// What passes is saved even when the other field is refused, so the
	// row's other messages speak of what is on screen.
	var keep models.DraftKeep
	if priceErr != "" {
		keep |= models.KeepPrice
	}
	if stockErr != "" {
		keep |= models.KeepStock
	}
	var rpID int64
	if keep != models.KeepPrice|models.KeepStock {
		row, err := h.store.UpdateDraftSKUKeeping(ctx(c), shop.ID, reg.ID, rsID, price, stock, keep, h.Now())
		if err != nil {
			return err
		}
		rpID = row.RegistrationProductID
	} else if rpID, err = h.store.DraftProductOfSKU(ctx(c), shop.ID, reg.ID, rsID); err != nil {
		return err
	}
	p, mem, err := h.store.DraftProduct(ctx(c), shop.ID, reg, camp, rpID)
	if err != nil {
		return err
	}
	for _, s := range p.SKUs {
		if s.ID != rsID {
			continue
		}
		row := skuRow(camp, p, camp.Rule(p.Tier), s, mem[s.SKUID])
		status := http.StatusOK
		if priceErr != "" || stockErr != "" {
			// Nothing was stored: show what was typed with the reason.
			status = http.StatusUnprocessableEntity
			row.Price, row.Stock = rawPrice, rawStock
			if priceErr != "" {
				row.PriceError = priceErr
			}
			if stockErr != "" {
				row.StockError = stockErr
			}
		} else {
			// The simulator panel, if open on this SKU, works it out again.
			c.Response().Header().Set("HX-Trigger", fmt.Sprintf(`{"sku-saved":{"sku":%d}}`, s.SKUID))
		}
		return Render(c, status, views.PriceRow(h.Page(c, "", ""), row))
	}
	return models.ErrNotFound
}

// UpdateProduct changes a product's tier or extra discount and answers
// with the product's rows.
func (h *Register) UpdateProduct(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	rpID, err := idParam(c, "product")
	if err != nil {
		return err
	}
	tier := models.Tier(c.FormValue("tier"))
	raw := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.FormValue("extra_discount")), "%"))
	var extraErr string
	extra, ferr := models.ParseExtraDiscount(raw)
	if ferr != nil {
		extraErr = ferr.Message
	}
	status := http.StatusOK
	if extraErr == "" {
		err := h.store.UpdateDraftProduct(ctx(c), shop.ID, reg.ID, rpID, tier, extra, h.Now())
		var invalid *models.ValidationError
		if errors.As(err, &invalid) {
			extraErr, status = invalid.Fields["tier"], http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	p, mem, err := h.store.DraftProduct(ctx(c), shop.ID, reg, camp, rpID)
	if err != nil {
		return err
	}
	b := productBlock(camp, p, mem)
	if extraErr != "" {
		b.Error, b.ExtraDiscount = extraErr, raw
	}
	return Render(c, status, views.ProductBody(h.Page(c, "", ""), b))
}

// Bulk applies one action to the selected rows (or every row with the
// filtered error) and shows the table again.
func (h *Register) Bulk(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	a := models.BulkAction{Kind: models.BulkKind(form.Get("action"))}
	filterKey := form.Get("problem")
	switch form.Get("scope") {
	case "filter":
		a.Filter, _ = models.ProblemByKey(filterKey)
	case "all":
		a.All = true
	default:
		for _, raw := range form["sku"] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return models.ErrNotFound
			}
			a.SKUIDs = append(a.SKUIDs, id)
		}
	}
	value := strings.TrimSpace(form.Get("value"))
	switch a.Kind {
	case models.BulkPercentOff, models.BulkStockShare:
		d, perr := models.ParsePercent(value)
		if perr != nil {
			return h.bulkFailed(c, camp, filterKey, "Enter a percentage like 15.")
		}
		a.Percent = d
	case models.BulkSetStock:
		n, ferr := models.RequireStock(value)
		if ferr != nil {
			return h.bulkFailed(c, camp, filterKey, ferr.Message)
		}
		a.Stock = n
	}
	n, err := h.store.ApplyBulk(ctx(c), shop.ID, reg.ID, a, h.Now())
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		msgs := []string{}
		for _, m := range invalid.Fields {
			msgs = append(msgs, m)
		}
		return h.bulkFailed(c, camp, filterKey, strings.Join(msgs, " "))
	}
	if err != nil {
		return err
	}
	return Redirect(c, routes.RegisterFiltered(camp.ID, filterKey, 1)+noticeParam(filterKey, fmt.Sprintf("%d rows updated.", n)))
}

func (h *Register) bulkFailed(c echo.Context, camp models.Campaign, filterKey, msg string) error {
	q := c.Request().URL.Query()
	q.Set("problem", filterKey)
	c.Request().URL.RawQuery = q.Encode()
	return h.show(c, http.StatusUnprocessableEntity, map[string]string{"bulk": msg}, "")
}

func noticeParam(filterKey, notice string) string {
	sep := "?"
	if filterKey != "" {
		sep = "&"
	}
	return sep + "notice=" + urlQueryEscape(notice)
}

// Pick shows the shop's catalogue to choose products from.
func (h *Register) Pick(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	f := models.PickFilter{Query: searchParam(c, "q"), MeetsOnly: c.QueryParam("meets") == "1", PerPage: 50}
	f.CategoryID, _ = strconv.ParseInt(c.QueryParam("category"), 10, 64)
	f.Page = pageParam(c)
	f.Page = max(f.Page, 1)
	rows, total, cats, err := h.store.PickCatalogue(ctx(c), shop.ID, reg.ID, camp, f, h.Now())
	if err != nil {
		return err
	}
	v := views.PickPage{CampaignName: camp.Name, BackURL: routes.Register(camp.ID), Action: routes.RegisterPick(camp.ID),
		Query: f.Query, CategoryID: f.CategoryID, MeetsOnly: f.MeetsOnly, Total: total, LookbackDays: camp.LookbackDays}
	for _, ct := range cats {
		v.Categories = append(v.Categories, views.CategoryOption{ID: ct.ID, Name: ct.Name})
	}
	for _, r := range rows {
		pr := views.Money(r.MinPrice)
		if !r.MaxPrice.Equal(r.MinPrice) {
			pr += " – " + views.Money(r.MaxPrice)
		}
		v.Rows = append(v.Rows, views.PickRowView{ProductID: r.ProductID, Title: r.Title, PID: r.PID, Category: r.Category,
			SKUs: r.SKUs, PriceRange: pr, Stock: r.Stock, MeetsRule: r.MeetsRule, InDraft: r.InDraft})
	}
	if f.Page > 1 {
		v.PrevURL = routes.RegisterPickPage(camp.ID, f.Query, f.CategoryID, f.MeetsOnly, f.Page-1)
	}
	if f.Page*f.PerPage < total {
		v.NextURL = routes.RegisterPickPage(camp.ID, f.Query, f.CategoryID, f.MeetsOnly, f.Page+1)
	}
	return Render(c, http.StatusOK, views.PickPageView(h.Page(c, "Pick products", views.NavCampaigns), v))
}

// AddPicked adds the selected products (all their SKUs) to the draft.
func (h *Register) AddPicked(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	var items []models.DraftItem
	for _, raw := range form["product_id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return models.ErrNotFound
		}
		items = append(items, models.DraftItem{ProductID: id})
	}
	if len(items) == 0 {
		return Redirect(c, routes.RegisterPick(camp.ID))
	}
	n, err := h.store.AddToDraft(ctx(c), shop.ID, reg.ID, items, models.SourcePick, h.Now())
	if err != nil {
		return err
	}
	return Redirect(c, routes.Register(camp.ID)+"?notice="+urlQueryEscape(fmt.Sprintf("Added %d SKU%s from %d product%s.", n, plural(n), len(items), plural(len(items)))))
}

// AddRecommended adds, in one click, the products the portal recommends.
func (h *Register) AddRecommended(c echo.Context) error {
	shop, reg, camp, err := h.draft(c)
	if err != nil {
		return err
	}
	items, err := h.store.RecommendedItems(ctx(c), shop.ID, reg.ID, camp, h.Now())
	if err != nil {
		return err
	}
	notice := "No more products meet the rule with enough stock right now."
	if len(items) > 0 {
		n, err := h.store.AddToDraft(ctx(c), shop.ID, reg.ID, items, models.SourceRecommended, h.Now())
		if err != nil {
			return err
		}
		notice = fmt.Sprintf("Added %d recommended SKUs, pre-filled with the recommended price.", n)
	}
	return Redirect(c, routes.Register(camp.ID)+"?notice="+urlQueryEscape(notice))
}

// Submit submits the draft products.
func (h *Register) Submit(c echo.Context) error {
	shop, reg, _, err := h.draft(c)
	if err != nil {
		return err
	}
	res, err := h.store.SubmitDraft(ctx(c), shop, reg.ID, c.FormValue("accept_coupons") == "1", c.FormValue("submit_key"), h.Now())
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		// Post/Redirect/Get: the page again, the reasons in a summary at
		// its top, so refresh and Back never post again or meet a 405.
		fields := make([]string, 0, len(invalid.Fields))
		for f := range invalid.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		return Redirect(c, routes.RegisterRefused(reg.CampaignID, fields))
	}
	if err != nil {
		return err
	}
	return Redirect(c, routes.RegistrationSubmitted(res.Registration.ID))
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
