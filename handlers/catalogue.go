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

// CatalogueStore reads the seller's products.
type CatalogueStore interface {
	ShopProducts(ctx context.Context, shopID int64, query string, page, perPage int) (models.ProductPage, error)
	ShopProduct(ctx context.Context, shopID, productID int64, lookbackDays int, now time.Time) (models.ProductDetail, error)
	ProductRegistrations(ctx context.Context, shopID, productID int64) ([]models.Registered, error)
	Categories(ctx context.Context) ([]models.Category, error)
	RecentSKUChanges(ctx context.Context, shopID, productID int64, limit int) ([]models.SKUChange, error)
	EditSKU(ctx context.Context, shopID, userID, skuID int64, e models.SKUEdit, ack string, now time.Time) error
	AddSKU(ctx context.Context, shopID, userID, productID int64, code, attributes string, price decimal.Decimal, stock int, ack string, now time.Time) error
	DeleteSKU(ctx context.Context, shopID, userID, skuID int64, ack string, now time.Time) error
	ChangeCategory(ctx context.Context, shopID, productID, categoryID int64) error
	StockReservations(ctx context.Context, shopID int64, skuIDs []int64, exceptReg int64, window *models.Campaign) (map[int64][]models.Reservation, error)
}

// Catalogue is Products > Managed products.
type Catalogue struct {
	Kit
	store CatalogueStore
}

// NewCatalogue builds the catalogue area.
func NewCatalogue(k Kit, store CatalogueStore) *Catalogue { return &Catalogue{Kit: k, store: store} }

const productsPerPage = 50

// defaultLookbackDays is the marketplace's standard price lookback, used
// where no campaign sets its own.
const defaultLookbackDays = 30

// List renders a page of the catalogue.
func (h *Catalogue) List(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	q := searchParam(c, "q")
	page := pageParam(c)
	if page < 1 {
		page = 1
	}
	res, err := h.store.ShopProducts(ctx(c), shop.ID, q, page, productsPerPage)
	if err != nil {
		return err
	}
	l := views.ProductList{Query: q, Total: res.Total}
	if len(res.Rows) > 0 {
		l.From = (page-1)*productsPerPage + 1
		l.To = l.From + len(res.Rows) - 1
	}
	if page > 1 {
		l.PrevURL = routes.ProductList(q, page-1)
	}
	if page*productsPerPage < res.Total {
		l.NextURL = routes.ProductList(q, page+1)
	}
	for _, r := range res.Rows {
		pr := views.Money(r.MinPrice)
		if !r.MaxPrice.Equal(r.MinPrice) {
			pr += " – " + views.Money(r.MaxPrice)
		}
		l.Rows = append(l.Rows, views.ProductListRow{URL: routes.Product(r.ID), PID: r.PID, Title: r.Title,
			Category: r.Category, SKUCount: r.SKUCount, PriceRange: pr, Stock: r.TotalStock})
	}
	return Render(c, http.StatusOK, views.ProductsPage(h.Page(c, "Managed products", views.NavProducts), l))
}

// Show renders one product with its SKUs, price history and edit forms.
func (h *Catalogue) Show(c echo.Context) error {
	return h.show(c, http.StatusOK, c.QueryParam("notice"), productForm{})
}

// productForm is what a refused or unconfirmed edit brings back to the
// page: the messages, the values the seller typed (so nothing typed is
// lost) and the impact list to confirm.
type productForm struct {
	errs   map[string]string
	skuID  int64             // the SKU row errs["sku"] and values belong to (0: the add form)
	values map[string]string // field -> value as typed
	impact *views.EditImpactPanel
}

// show renders the product page with a form's outcome.
func (h *Catalogue) show(c echo.Context, status int, notice string, f productForm) error {
	errs, skuErrID := f.errs, f.skuID
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	now := h.Now()
	d, err := h.store.ShopProduct(ctx(c), shop.ID, id, defaultLookbackDays, now)
	if err != nil {
		return err
	}
	regs, err := h.store.ProductRegistrations(ctx(c), shop.ID, id)
	if err != nil {
		return err
	}
	cats, err := h.store.Categories(ctx(c))
	if err != nil {
		return err
	}
	changes, err := h.store.RecentSKUChanges(ctx(c), shop.ID, id, 10)
	if err != nil {
		return err
	}
	v := views.ProductDetails{Title: d.Product.Title, PID: d.Product.PID, Category: d.Category,
		LookbackDays: defaultLookbackDays, BackURL: routes.Products, AddURL: routes.ProductSKUs(id),
		CategoryURL: routes.ProductCategory(id), CategoryID: d.Product.CategoryID, Errors: errs, Notice: notice, Impact: f.impact}
	if skuErrID == 0 {
		v.Values = f.values
	}
	for _, r := range regs {
		v.Registered = append(v.Registered, r.CampaignName+" ("+models.ProductStatusLabel(r.Status)+")")
	}
	for _, ct := range cats {
		v.Categories = append(v.Categories, views.CategoryOption{ID: ct.ID, Name: ct.Name})
	}
	for _, ch := range changes {
		v.Changes = append(v.Changes, skuChangeText(ch))
	}
	skuIDs := make([]int64, len(d.SKUs))
	for i, s := range d.SKUs {
		skuIDs[i] = s.ID
	}
	held, err := h.store.StockReservations(ctx(c), shop.ID, skuIDs, 0, nil)
	if err != nil {
		return err
	}
	for _, s := range d.SKUs {
		row := views.SKURow{ID: s.ID, EditURL: routes.ProductSKU(id, s.ID), DeleteURL: routes.ProductSKUDelete(id, s.ID),
			RetailValue: s.RetailPrice.StringFixed(2), Code: s.SKUCode, Attributes: s.Attributes, RetailPrice: views.Money(s.RetailPrice),
			Stock: s.Stock, Version: s.Version, LookbackLow: "—"}
		if s.CostOfGoods.Valid {
			row.CostValue = s.CostOfGoods.Decimal.StringFixed(2)
		}
		for _, r := range held[s.ID] {
			row.Reserved += r.Units
			row.ReservedIn = append(row.ReservedIn, fmt.Sprintf("%s: %d (%s, %s)", r.CampaignName, r.Units,
				views.DateRange(r.RunStartsAt, r.RunEndsAt, r.Location()), models.ProductStatusLabel(r.Status)))
		}
		if s.ID == skuErrID {
			row.Error = errs["sku"]
			if val, ok := f.values["retail_price"]; ok {
				row.RetailValue = val
			}
			if val, ok := f.values["attributes"]; ok {
				row.Attributes = val
			}
			if val, ok := f.values["cost_of_goods"]; ok {
				row.CostValue = val
			}
		}
		if s.Low != nil {
			row.LookbackLow = views.Money(s.Low.Price)
			row.LowDate = "on " + views.Date(s.Low.At, time.UTC)
		}
		for _, ph := range s.History {
			to := "now"
			if ph.ValidTo != nil {
				to = views.Date(*ph.ValidTo, time.UTC)
			}
			row.History = append(row.History, views.PriceChange{Price: views.Money(ph.Price),
				From: views.Date(ph.ValidFrom, time.UTC), To: to, Source: ph.Source})
		}
		v.SKUs = append(v.SKUs, row)
	}
	return Render(c, status, views.ProductPage(h.Page(c, d.Product.Title, views.NavProducts), v))
}

func skuChangeText(ch models.SKUChange) string {
	when := views.DateTime(ch.At, time.UTC)
	switch ch.Change {
	case "retail_price":
		return fmt.Sprintf("%s: retail price $%s → $%s, by %s, %s", ch.SKUCode, ch.OldValue, ch.NewValue, ch.Who, when)
	case "attributes":
		return fmt.Sprintf("%s: variant %q → %q, by %s, %s", ch.SKUCode, ch.OldValue, ch.NewValue, ch.Who, when)
	case "cost_of_goods":
		return fmt.Sprintf("%s: cost of goods %s → %s, by %s, %s", ch.SKUCode, costText(ch.OldValue), costText(ch.NewValue), ch.Who, when)
	case "added":
		return fmt.Sprintf("%s added by %s, %s", ch.SKUCode, ch.Who, when)
	case "deleted":
		return fmt.Sprintf("%s deleted by %s, %s", ch.SKUCode, ch.Who, when)
	}
	return ch.SKUCode + ": " + ch.Change
}

// ack is the impact list the seller confirmed: its fingerprint, when the
// "I understand" box was ticked.
func ack(c echo.Context) string {
	if c.FormValue("confirm") != "1" {
		return ""
	}
	return c.FormValue("impact")
}

// skuEditResult maps an edit's outcome to the page: done, or the reason
// next to the form, or the impact list to confirm. f carries the values
// typed, so the page shows them again.
func (h *Catalogue) skuEditResult(c echo.Context, err error, f productForm, kind models.CatalogueEditKind, done string) error {
	var confirm *models.NeedsConfirmationError
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &confirm):
		f.impact = impactPanel(c, confirm, f, kind)
		return h.show(c, http.StatusUnprocessableEntity, "", f)
	case errors.As(err, &invalid):
		if f.skuID != 0 {
			for _, m := range invalid.Fields {
				f.errs = map[string]string{"sku": m}
				return h.show(c, http.StatusUnprocessableEntity, "", f)
			}
		}
		f.errs = invalid.Fields
		return h.show(c, http.StatusUnprocessableEntity, "", f)
	case errors.As(err, &conflict):
		f.errs = map[string]string{"form": conflict.Message}
		return h.show(c, http.StatusConflict, "", f)
	case err != nil:
		return err
	}
	id, _ := idParam(c, "id")
	return Redirect(c, routes.Product(id)+"?notice="+urlQueryEscape(done))
}

// impactPanel lists the registrations an edit would put in SKU error, with
// a form that sends the same edit again with the list's fingerprint.
func impactPanel(c echo.Context, e *models.NeedsConfirmationError, f productForm, kind models.CatalogueEditKind) *views.EditImpactPanel {
	id, _ := idParam(c, "id")
	p := &views.EditImpactPanel{Ack: e.Fingerprint, Changed: e.Changed, CancelURL: routes.Product(id)}
	if c.FormValue("confirm") != "1" && c.FormValue("impact") != "" {
		p.Error = "Tick the box to confirm you know what this edit does, or cancel."
	}
	switch kind {
	case models.EditAddSKU:
		p.Action, p.ActionURL = "Add the SKU anyway", routes.ProductSKUs(id)
	case models.EditDeleteSKU:
		p.Action, p.ActionURL = "Delete the SKU anyway", routes.ProductSKUDelete(id, f.skuID)
	default:
		p.Action, p.ActionURL = "Save anyway", routes.ProductSKU(id, f.skuID)
	}
	for _, k := range []string{"sku_code", "attributes", "retail_price", "stock"} {
		if v, ok := f.values[k]; ok {
			p.Hidden = append(p.Hidden, views.HiddenField{Name: k, Value: v})
		}
	}
	for _, im := range e.Impacts {
		loc := im.Location()
		deadline := views.DateTime(im.Deadline, loc)
		row := views.EditImpactRow{Campaign: im.CampaignName, Status: models.ProductStatusLabel(im.Status),
			Deadline: deadline, Why: im.Reason, CanFix: im.CanReregister, ManageURL: routes.Registration(im.RegistrationID)}
		switch {
		case !im.CanReregister:
			row.Fix = "None in this campaign: registration closed " + deadline + ", so the product stays out of it."
		case im.MaxCampaignPrice.Valid:
			row.Fix = "Withdraw it and register it again with a campaign price of at most " + views.Money(im.MaxCampaignPrice.Decimal) + " before " + deadline + "."
		default:
			row.Fix = "Withdraw it and register it again before " + deadline + "."
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// EditSKU saves a SKU's retail price and variant.
func (h *Catalogue) EditSKU(c echo.Context) error {
	shop, skuID, err := shopAndID(c, "sku")
	if err != nil {
		return err
	}
	attrs := c.FormValue("attributes")
	f := productForm{skuID: skuID, values: map[string]string{"retail_price": c.FormValue("retail_price"), "attributes": attrs}}
	params, _ := c.FormParams() // FormValue above parsed the form already
	hasCost := params.Has("cost_of_goods")
	if hasCost {
		f.values["cost_of_goods"] = params.Get("cost_of_goods")
	}
	var e models.SKUEdit
	if raw := strings.TrimSpace(c.FormValue("retail_price")); raw != "" {
		d, ferr := models.ParsePrice(raw)
		if ferr != nil {
			f.errs = map[string]string{"sku": "Retail price: " + ferr.Message}
			return h.show(c, http.StatusUnprocessableEntity, "", f)
		}
		e.RetailPrice = &d.Decimal
	}
	e.Attributes = &attrs
	if hasCost {
		// Optional: empty clears it.
		cost, ferr := models.ParsePrice(params.Get("cost_of_goods"))
		if ferr != nil {
			f.errs = map[string]string{"sku": "Cost of goods: " + ferr.Message}
			return h.show(c, http.StatusUnprocessableEntity, "", f)
		}
		e.CostOfGoods = &cost
	}
	err = h.store.EditSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, skuID, e, ack(c), h.Now())
	return h.skuEditResult(c, err, f, models.EditChangeSKU, "SKU saved; the price change is in the price history.")
}

// AddSKU adds a SKU to the product.
func (h *Catalogue) AddSKU(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	f := productForm{values: map[string]string{}}
	for _, k := range []string{"sku_code", "attributes", "retail_price", "stock"} {
		f.values[k] = c.FormValue(k)
	}
	errs := map[string]string{}
	price, ferr := models.ParsePrice(c.FormValue("retail_price"))
	switch {
	case ferr != nil:
		errs["retail_price"] = ferr.Message
	case !price.Valid:
		errs["retail_price"] = "Enter a retail price like 19.99."
	}
	stock, serr := models.ParseCount(c.FormValue("stock"))
	if serr != nil || stock < 0 {
		errs["stock"] = "Enter a whole number of units, 0 or more."
	}
	if len(errs) > 0 {
		f.errs = errs
		return h.show(c, http.StatusUnprocessableEntity, "", f)
	}
	err = h.store.AddSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, id, c.FormValue("sku_code"), c.FormValue("attributes"), price.Decimal, stock,
		ack(c), h.Now())
	return h.skuEditResult(c, err, f, models.EditAddSKU, "SKU added.")
}

// DeleteSKU removes a SKU.
func (h *Catalogue) DeleteSKU(c echo.Context) error {
	shop, skuID, err := shopAndID(c, "sku")
	if err != nil {
		return err
	}
	err = h.store.DeleteSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, skuID, ack(c), h.Now())
	return h.skuEditResult(c, err, productForm{skuID: skuID}, models.EditDeleteSKU, "SKU deleted.")
}

// ChangeCategory moves the product to another category.
func (h *Catalogue) ChangeCategory(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	catID, err := strconv.ParseInt(c.FormValue("category"), 10, 64)
	if err != nil {
		return h.show(c, http.StatusUnprocessableEntity, "", productForm{errs: map[string]string{"form": "Choose a category."}})
	}
	err = h.store.ChangeCategory(ctx(c), shop.ID, id, catID)
	return h.skuEditResult(c, err, productForm{}, "", "Category changed.")
}

// costText is a cost of goods in the change log: "$9.50", or "none".
func costText(v string) string {
	if v == "" {
		return "none"
	}
	return "$" + v
}
