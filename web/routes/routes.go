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
	Home                       = "/"
	Login                      = "/login"
	Logout                     = "/logout"
	Account                    = "/account"
	AccountPassword            = "/account/password"
	Campaigns                  = "/campaigns"
	CampaignShow               = "/campaigns/:id"
	RegistrationShow           = "/registrations/:id"
	Products                   = "/products"
	ProductShow                = "/products/:id"
	ReviewerHome               = "/review"
	ManagerHome                = "/manager"
	ManagerNew                 = "/manager/campaigns/new"
	ManagerShow                = "/manager/campaigns/:id"
	ManagerEditPattern         = "/manager/campaigns/:id/edit"
	ManagerPreviewPattern      = "/manager/campaigns/:id/preview"
	ManagerPublishPattern      = "/manager/campaigns/:id/publish"
	ManagerClosePattern        = "/manager/campaigns/:id/close"
	ManagerDuplicatePattern    = "/manager/campaigns/:id/duplicate"
	RegistrationConfirmPattern = "/registrations/:id/confirm-version"
	Health                     = "/healthz"
	Metrics                    = "/metrics"
	StaticPrefix               = "/static/"
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

func managerPath(id int64, action string) string {
	p := "/manager/campaigns/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

// ManagerCampaign is a campaign's page for its manager.
func ManagerCampaign(id int64) string { return managerPath(id, "") }

// ManagerEdit is a campaign's edit form.
func ManagerEdit(id int64) string { return managerPath(id, "edit") }

// ManagerPreview shows a campaign as sellers will see it.
func ManagerPreview(id int64) string { return managerPath(id, "preview") }

// ManagerPublish publishes a draft.
func ManagerPublish(id int64) string { return managerPath(id, "publish") }

// ManagerClose closes a campaign early.
func ManagerClose(id int64) string { return managerPath(id, "close") }

// ManagerDuplicate copies a campaign as next year's draft.
func ManagerDuplicate(id int64) string { return managerPath(id, "duplicate") }

// RegistrationConfirm moves a registration onto the campaign's current version.
func RegistrationConfirm(id int64) string { return Registration(id) + "/confirm-version" }
