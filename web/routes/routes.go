// Package routes names every URL of the portal. Handlers register these
// patterns and templates build links with the functions below, so a URL is
// written in exactly one place.
package routes

import (
	"net/url"
	"strconv"
)

// Route patterns, as registered with echo.
const (
	Home             = "/"
	Login            = "/login"
	Logout           = "/logout"
	Account          = "/account"
	AccountPassword  = "/account/password"
	Campaigns        = "/campaigns"
	CampaignShow     = "/campaigns/:id"
	RegistrationShow = "/registrations/:id"
	Products         = "/products"
	ProductShow      = "/products/:id"
	ReviewerHome     = "/review"
	ManagerHome      = "/manager"
	Health           = "/healthz"
	Metrics          = "/metrics"
	StaticPrefix     = "/static/"
)

// CampaignList builds the campaign list URL for a tab and filters.
func CampaignList(tab, query string, coFunded, eligibleOnly bool) string {
	v := url.Values{}
	if tab != "" {
		v.Set("tab", tab)
	}
	if query != "" {
		v.Set("q", query)
	}
	if coFunded {
		v.Set("cofunded", "1")
	}
	if eligibleOnly {
		v.Set("eligible", "1")
	}
	if len(v) == 0 {
		return Campaigns
	}
	return Campaigns + "?" + v.Encode()
}

// Campaign is a campaign's details page.
func Campaign(id int64) string { return "/campaigns/" + strconv.FormatInt(id, 10) }

// Registration is the page to manage a shop's registration.
func Registration(id int64) string { return "/registrations/" + strconv.FormatInt(id, 10) }

// Product is a product's page in the seller's catalogue.
func Product(id int64) string { return "/products/" + strconv.FormatInt(id, 10) }

// ProductList is the catalogue, searched and paged.
func ProductList(query string, page int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return Products
	}
	return Products + "?" + v.Encode()
}
