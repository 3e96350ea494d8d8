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
	EditSKU(ctx context.Context, shopID, userID, skuID int64, e models.SKUEdit, confirm bool, now time.Time) error
	AddSKU(ctx context.Context, shopID, userID, productID int64, code, attributes string, price decimal.Decimal, stock int, confirm bool, now time.Time) error
	DeleteSKU(ctx context.Context, shopID, userID, skuID int64, confirm bool, now time.Time) error
	ChangeCategory(ctx context.Context, shopID, productID, categoryID int64) error
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
	return h.show(c, http.StatusOK, c.QueryParam("notice"), nil, 0)
}

// show renders the product page; errs are form messages, and skuErrID
// puts errs["sku"] next to that SKU's row.
func (h *Catalogue) show(c echo.Context, status int, notice string, errs map[string]string, skuErrID int64) error {
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
		CategoryURL: routes.ProductCategory(id), CategoryID: d.Product.CategoryID, Errors: errs, Notice: notice}
	for _, r := range regs {
		v.Registered = append(v.Registered, r.CampaignName+" ("+models.ProductStatusLabel(r.Status)+")")
	}
	for _, ct := range cats {
		v.Categories = append(v.Categories, views.CategoryOption{ID: ct.ID, Name: ct.Name})
	}
	for _, ch := range changes {
		v.Changes = append(v.Changes, skuChangeText(ch))
	}
	for _, s := range d.SKUs {
		row := views.SKURow{ID: s.ID, EditURL: routes.ProductSKU(id, s.ID), DeleteURL: routes.ProductSKUDelete(id, s.ID),
			RetailValue: s.RetailPrice.StringFixed(2), Code: s.SKUCode, Attributes: s.Attributes, RetailPrice: views.Money(s.RetailPrice),
			Stock: s.Stock, Version: s.Version, LookbackLow: "—"}
		if s.CostOfGoods.Valid {
			row.CostValue = s.CostOfGoods.Decimal.StringFixed(2)
		}
		if s.ID == skuErrID {
			row.Error = errs["sku"]
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

// skuEditResult maps an edit's outcome to the page: done, or the reason
// next to the form (a needed confirmation included).
func (h *Catalogue) skuEditResult(c echo.Context, err error, skuID int64, done string) error {
	var confirm *models.NeedsConfirmationError
	var invalid *models.ValidationError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &confirm):
		msg := confirm.Error() + " Tick \"I understand\" to go ahead."
		if skuID != 0 {
			return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"sku": msg}, skuID)
		}
		return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"form": msg}, 0)
	case errors.As(err, &invalid):
		if skuID != 0 {
			for _, m := range invalid.Fields {
				return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"sku": m}, skuID)
			}
		}
		return h.show(c, http.StatusUnprocessableEntity, "", invalid.Fields, 0)
	case errors.As(err, &conflict):
		return h.show(c, http.StatusConflict, "", map[string]string{"form": conflict.Message}, 0)
	case err != nil:
		return err
	}
	id, _ := idParam(c, "id")
	return Redirect(c, routes.Product(id)+"?notice="+urlQueryEscape(done))
}

// EditSKU saves a SKU's retail price and variant.
func (h *Catalogue) EditSKU(c echo.Context) error {
	shop, skuID, err := shopAndID(c, "sku")
	if err != nil {
		return err
	}
	var e models.SKUEdit
	if raw := strings.TrimSpace(c.FormValue("retail_price")); raw != "" {
		d, ferr := models.ParsePrice(raw)
		if ferr != nil {
			return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"sku": "Retail price: " + ferr.Message}, skuID)
		}
		e.RetailPrice = &d.Decimal
	}
	attrs := c.FormValue("attributes")
	e.Attributes = &attrs
	if params, err := c.FormParams(); err == nil && params.Has("cost_of_goods") {
		// Optional: empty clears it.
		cost, ferr := models.ParsePrice(params.Get("cost_of_goods"))
		if ferr != nil {
			return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"sku": "Cost of goods: " + ferr.Message}, skuID)
		}
		e.CostOfGoods = &cost
	}
	err = h.store.EditSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, skuID, e, c.FormValue("confirm") == "1", h.Now())
	return h.skuEditResult(c, err, skuID, "SKU saved; the price change is in the price history.")
}

// AddSKU adds a SKU to the product.
func (h *Catalogue) AddSKU(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
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
		return h.show(c, http.StatusUnprocessableEntity, "", errs, 0)
	}
	err = h.store.AddSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, id, c.FormValue("sku_code"), c.FormValue("attributes"), price.Decimal, stock,
		c.FormValue("confirm") == "1", h.Now())
	return h.skuEditResult(c, err, 0, "SKU added.")
}

// DeleteSKU removes a SKU.
func (h *Catalogue) DeleteSKU(c echo.Context) error {
	shop, skuID, err := shopAndID(c, "sku")
	if err != nil {
		return err
	}
	err = h.store.DeleteSKU(ctx(c), shop.ID, SessionFrom(c).User.ID, skuID, c.FormValue("confirm") == "1", h.Now())
	return h.skuEditResult(c, err, skuID, "SKU deleted.")
}

// ChangeCategory moves the product to another category.
func (h *Catalogue) ChangeCategory(c echo.Context) error {
	shop, id, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	catID, err := strconv.ParseInt(c.FormValue("category"), 10, 64)
	if err != nil {
		return h.show(c, http.StatusUnprocessableEntity, "", map[string]string{"form": "Choose a category."}, 0)
	}
	err = h.store.ChangeCategory(ctx(c), shop.ID, id, catID)
	return h.skuEditResult(c, err, 0, "Category changed.")
}

// costText is a cost of goods in the change log: "$9.50", or "none".
func costText(v string) string {
	if v == "" {
		return "none"
	}
	return "$" + v
}
