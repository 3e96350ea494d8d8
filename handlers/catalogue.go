package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// CatalogueStore reads the seller's products.
type CatalogueStore interface {
	ShopProducts(ctx context.Context, shopID int64, query string, page, perPage int) (models.ProductPage, error)
	ShopProduct(ctx context.Context, shopID, productID int64, lookbackDays int, now time.Time) (models.ProductDetail, error)
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
	q := strings.TrimSpace(c.QueryParam("q"))
	page, _ := strconv.Atoi(c.QueryParam("page"))
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

// Show renders one product with its SKUs and price history.
func (h *Catalogue) Show(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	now := h.Now()
	d, err := h.store.ShopProduct(ctx(c), shop.ID, id, defaultLookbackDays, now)
	if err != nil {
		return err
	}
	v := views.ProductDetails{Title: d.Product.Title, PID: d.Product.PID, Category: d.Category,
		LookbackDays: defaultLookbackDays, BackURL: routes.Products}
	for _, s := range d.SKUs {
		row := views.SKURow{Code: s.SKUCode, Attributes: s.Attributes, RetailPrice: views.Money(s.RetailPrice),
			Stock: s.Stock, Version: s.Version, LookbackLow: "—"}
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
	return Render(c, http.StatusOK, views.ProductPage(h.Page(c, d.Product.Title, views.NavProducts), v))
}
