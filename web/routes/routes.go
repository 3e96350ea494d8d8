// Package routes names every URL of the portal. Handlers register these
// patterns and templates build links with the functions below, each of
// which fills a pattern's parameters (Fill), so a URL is written in exactly
// one place. web's route test checks every builder lands on its pattern.
package routes

import (
	"net/url"
	"strconv"
	"strings"
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
	ManagerPerformancePattern  = "/manager/campaigns/:id/performance"
	ManagerCouponBudgetPattern = "/manager/campaigns/:id/coupons/:coupon/budget"
	RegistrationConfirmPattern = "/registrations/:id/confirm-version"
	Health                     = "/healthz"
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
func Campaign(id int64) string { return Fill(CampaignShow, id) }

// Registration is the page to manage a shop's registration.
func Registration(id int64) string { return Fill(RegistrationShow, id) }

// RegistrationTab is the Manage page showing one status tab ("" for all).
func RegistrationTab(id int64, status string) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", status)
	}
	return withQuery(Registration(id), v)
}

// Product is a product's page in the seller's catalogue.
func Product(id int64) string { return Fill(ProductShow, id) }

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

// ManagerCampaign is a campaign's page for its manager.
func ManagerCampaign(id int64) string { return Fill(ManagerShow, id) }

// ManagerEdit is a campaign's edit form.
func ManagerEdit(id int64) string { return Fill(ManagerEditPattern, id) }

// ManagerPreview shows a campaign as sellers will see it.
func ManagerPreview(id int64) string { return Fill(ManagerPreviewPattern, id) }

// ManagerPublish publishes a draft.
func ManagerPublish(id int64) string { return Fill(ManagerPublishPattern, id) }

// ManagerClose closes a campaign early.
func ManagerClose(id int64) string { return Fill(ManagerClosePattern, id) }

// ManagerDuplicate copies a campaign as next year's draft.
func ManagerDuplicate(id int64) string { return Fill(ManagerDuplicatePattern, id) }

// ManagerCouponBudget sets a coupon's platform budget.
func ManagerCouponBudget(campaignID, couponID int64) string {
	return Fill(ManagerCouponBudgetPattern, campaignID, couponID)
}

// ManagerCouponBudgetAnchor is a coupon's budget field on its campaign's
// page, where the burn-down links to set it.
func ManagerCouponBudgetAnchor(campaignID, couponID int64) string {
	return ManagerCampaign(campaignID) + "#" + CouponBudgetFieldID(couponID)
}

// CouponBudgetFieldID is the id of a coupon's budget input.
func CouponBudgetFieldID(couponID int64) string { return "budget-" + strconv.FormatInt(couponID, 10) }

// ManagerCampaignDone is a campaign's page after an action, which it names
// ("published", "closed", "saved", "version") for the success message.
func ManagerCampaignDone(id int64, done string) string {
	return withQuery(ManagerCampaign(id), url.Values{"done": {done}})
}

// ManagerEditDone is a campaign's edit form after an action ("duplicated").
func ManagerEditDone(id int64, done string) string {
	return withQuery(ManagerEdit(id), url.Values{"done": {done}})
}

// ManagerPerformanceExportPattern downloads a table of the platform's view.
const ManagerPerformanceExportPattern = "/manager/campaigns/:id/performance/export/:table/:format"

// ManagerPerformanceExport downloads one table of the platform's view
// ("days", "shops" or "coupons") as "csv" or "xlsx", for the days from..to.
func ManagerPerformanceExport(id int64, table, format, from, to string) string {
	return withQuery(Fill(ManagerPerformanceExportPattern, id, table, format), rangeValues(from, to))
}

// ManagerPerformance is the platform's view of a campaign over the days
// from and to (YYYY-MM-DD in the campaign's timezone; "" for the run's).
func ManagerPerformance(id int64, from, to string) string {
	v := url.Values{}
	if from != "" {
		v.Set("from", from)
	}
	if to != "" {
		v.Set("to", to)
	}
	return withQuery(Fill(ManagerPerformancePattern, id), v)
}

// RegistrationConfirm moves a registration onto the campaign's current version.
func RegistrationConfirm(id int64) string { return Fill(RegistrationConfirmPattern, id) }

// Registering products: patterns.
const (
	RegisterPattern              = "/campaigns/:id/register"
	RegisterPickPattern          = "/campaigns/:id/register/pick"
	RegisterRecommendedPattern   = "/campaigns/:id/register/recommended"
	RegisterSKUPattern           = "/campaigns/:id/register/skus/:sku"
	RegisterProductPattern       = "/campaigns/:id/register/products/:product"
	RegisterBulkPattern          = "/campaigns/:id/register/bulk"
	RegisterSubmitPattern        = "/campaigns/:id/register/submit"
	RegisterCopyPattern          = "/campaigns/:id/register/copy/:from"
	RegistrationSubmittedPattern = "/registrations/:id/submitted"
	RecommendationPattern        = "/registrations/:id/recommendations/:rec"
	RecommendationsAcceptPattern = "/registrations/:id/recommendations-accept-all"
)

// Register is a campaign's "Set campaign price and stock" page.
func Register(campaignID int64) string { return Fill(RegisterPattern, campaignID) }

// RegisterFiltered is the price table filtered to an error kind, at a page.
func RegisterFiltered(campaignID int64, problem string, page int) string {
	v := url.Values{}
	if problem != "" {
		v.Set("problem", problem)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return Register(campaignID)
	}
	return Register(campaignID) + "?" + v.Encode()
}

// RegisterRefused is the price table after a refused submit, naming the
// fields refused (models.SubmitField*), scrolled to the summary.
func RegisterRefused(campaignID int64, fields []string) string {
	return withQuery(Register(campaignID), url.Values{"refused": {strings.Join(fields, ",")}}) + "#submit-summary"
}

// RegisterPick is the Pick screen.
func RegisterPick(campaignID int64) string { return Fill(RegisterPickPattern, campaignID) }

// RegisterPickPage is the Pick screen searched, filtered and paged.
func RegisterPickPage(campaignID int64, query string, categoryID int64, meetsOnly bool, page int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if categoryID != 0 {
		v.Set("category", strconv.FormatInt(categoryID, 10))
	}
	if meetsOnly {
		v.Set("meets", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return RegisterPick(campaignID)
	}
	return RegisterPick(campaignID) + "?" + v.Encode()
}

// RegisterUpload is the bulk upload screen.
func RegisterUpload(campaignID int64) string { return Fill(UploadPattern, campaignID) }

// RegisterRecommended adds the recommended products.
func RegisterRecommended(campaignID int64) string {
	return Fill(RegisterRecommendedPattern, campaignID)
}

// RegisterSKU updates one SKU row.
func RegisterSKU(campaignID, rsID int64) string {
	return Fill(RegisterSKUPattern, campaignID, rsID)
}

// RegisterProduct updates one product's tier and extra discount.
func RegisterProduct(campaignID, rpID int64) string {
	return Fill(RegisterProductPattern, campaignID, rpID)
}

// RegisterBulk applies a bulk action.
func RegisterBulk(campaignID int64) string { return Fill(RegisterBulkPattern, campaignID) }

// RegisterSubmit submits the draft.
func RegisterSubmit(campaignID int64) string { return Fill(RegisterSubmitPattern, campaignID) }

// RegisterCopy opens a campaign's price table pre-filled from another registration.
func RegisterCopy(campaignID, fromRegistrationID int64) string {
	return Fill(RegisterCopyPattern, campaignID, fromRegistrationID)
}

// RegistrationSubmitted is the page after submitting.
func RegistrationSubmitted(id int64) string { return Fill(RegistrationSubmittedPattern, id) }

// Recommendation decides one price recommendation.
func Recommendation(registrationID, recID int64) string {
	return Fill(RecommendationPattern, registrationID, recID)
}

// RecommendationsAccept accepts every open recommendation of a registration.
func RecommendationsAccept(registrationID int64) string {
	return Fill(RecommendationsAcceptPattern, registrationID)
}

// Reviewer queue: patterns. The queue itself is ReviewerHome.
const (
	ReviewRegistrationPattern = "/review/registrations/:id"
	ReviewDecisionPattern     = "/review/registrations/:id/decision"
	ReviewBulkApprove         = "/review/bulk-approve"
	ReviewBulkDecide          = "/review/bulk-decide"
	ReviewDecided             = "/review/decided"
)

// ReviewQueueWith is the queue under a filter (campaign, shop, flag, sort, page).
func ReviewQueueWith(q url.Values) string {
	if len(q) == 0 {
		return ReviewerHome
	}
	return ReviewerHome + "?" + q.Encode()
}

// ReviewDecidedWith is the decided list under a search.
func ReviewDecidedWith(q url.Values) string {
	if len(q) == 0 {
		return ReviewDecided
	}
	return ReviewDecided + "?" + q.Encode()
}

// ReviewRegistration is a pending registration's review page.
func ReviewRegistration(id int64) string { return Fill(ReviewRegistrationPattern, id) }

// ReviewDecision records a reviewer's decision on a registration.
func ReviewDecision(id int64) string { return Fill(ReviewDecisionPattern, id) }

// ReviewQueueAfterDecision is the queue saying what was just decided.
func ReviewQueueAfterDecision(id int64, decision string) string {
	v := url.Values{"decided": {strconv.FormatInt(id, 10)}, "decision": {decision}}
	return ReviewerHome + "?" + v.Encode()
}

// ReviewQueueAfterBulk is the queue saying how many were approved at once.
func ReviewQueueAfterBulk(approved int) string {
	return ReviewerHome + "?" + url.Values{"approved": {strconv.Itoa(approved)}}.Encode()
}

// Managing a registration: patterns.
const (
	RegistrationSKUEditPattern  = "/registrations/:id/skus/:sku/edit"
	RegistrationWithdrawPattern = "/registrations/:id/withdraw"
	RegistrationResolvePattern  = "/registrations/:id/resolve"
	RegistrationFixPattern      = "/registrations/:id/fix"
	NotificationsPattern        = "/notifications"
	NotificationPattern         = "/notifications/:id"
	NotificationsReadPattern    = "/notifications/read"
)

// RegistrationSKUEdit is the Edit pop-up of a registered SKU (GET) and its submit (POST).
func RegistrationSKUEdit(regID, rsID int64) string {
	return Fill(RegistrationSKUEditPattern, regID, rsID)
}

// RegistrationWithdraw withdraws products, the campaign or an extra discount.
func RegistrationWithdraw(regID int64) string { return Fill(RegistrationWithdrawPattern, regID) }

// RegistrationFix registers a rejected product again with the fixes its
// rejection reason implies.
func RegistrationFix(regID int64) string { return Fill(RegistrationFixPattern, regID) }

// RegistrationResolve withdraws a product in SKU error and registers it again.
func RegistrationResolve(regID int64) string { return Fill(RegistrationResolvePattern, regID) }

// Notification opens one notification (marking it read).
func Notification(id int64) string { return Fill(NotificationPattern, id) }

// Managed products: patterns.
const (
	ProductSKUsPattern      = "/products/:id/skus"
	ProductSKUPattern       = "/products/:id/skus/:sku"
	ProductSKUDeletePattern = "/products/:id/skus/:sku/delete"
	ProductCategoryPattern  = "/products/:id/category"
)

// ProductSKUs adds a SKU to a product.
func ProductSKUs(productID int64) string { return Fill(ProductSKUsPattern, productID) }

// ProductSKU edits one SKU of a product.
func ProductSKU(productID, skuID int64) string {
	return Fill(ProductSKUPattern, productID, skuID)
}

// ProductSKUDelete deletes one SKU of a product.
func ProductSKUDelete(productID, skuID int64) string {
	return Fill(ProductSKUDeletePattern, productID, skuID)
}

// ProductCategory changes a product's category.
func ProductCategory(productID int64) string { return Fill(ProductCategoryPattern, productID) }

// Bulk upload of products into a registration: patterns. The page itself
// is RegisterUpload(campaignID).
const (
	UploadPattern             = "/campaigns/:id/register/upload"
	UploadTemplateCSVPattern  = "/campaigns/:id/register/upload/template.csv"
	UploadTemplateXLSXPattern = "/campaigns/:id/register/upload/template.xlsx"
	UploadStatusPattern       = "/campaigns/:id/register/upload/:upload"
	UploadErrorsPattern       = "/campaigns/:id/register/upload/:upload/errors.csv"
	UploadSavePattern         = "/campaigns/:id/register/upload/:upload/save"
	UploadRowFixPattern       = "/campaigns/:id/register/upload/:upload/rows/:row/fix"
)

// UploadTemplateCSV is the template with the shop's SKUs, as CSV.
func UploadTemplateCSV(campaignID int64) string { return Fill(UploadTemplateCSVPattern, campaignID) }

// UploadTemplateXLSX is the template with the shop's SKUs, as a workbook.
func UploadTemplateXLSX(campaignID int64) string {
	return Fill(UploadTemplateXLSXPattern, campaignID)
}

// UploadStatus is one upload: its progress, then its rows; show is
// "invalid" or "valid".
func UploadStatus(campaignID, uploadID int64, show string, page int) string {
	u := Fill(UploadStatusPattern, campaignID, uploadID)
	v := url.Values{}
	if show != "" {
		v.Set("show", show)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return u
	}
	return u + "?" + v.Encode()
}

// UploadStatusAgain is an upload's page reached by uploading the same
// file again: it says so.
func UploadStatusAgain(campaignID, uploadID int64) string {
	return Fill(UploadStatusPattern, campaignID, uploadID) + "?again=1"
}

// UploadErrors downloads an upload's invalid rows with their reasons.
func UploadErrors(campaignID, uploadID int64) string {
	return Fill(UploadErrorsPattern, campaignID, uploadID)
}

// UploadRowFix applies a refused row's fix and adds the row to the draft.
func UploadRowFix(campaignID, uploadID int64, row int) string {
	return Fill(UploadRowFixPattern, campaignID, uploadID, int64(row))
}

// UploadSave adds an upload's valid rows to the draft.
func UploadSave(campaignID, uploadID int64) string {
	return Fill(UploadSavePattern, campaignID, uploadID)
}

// The price simulator: one SKU, a basket and an instant (GET, changes
// nothing). SimulatorPanel answers the panel alone, for the price table
// and the manage page.
const (
	Simulator      = "/simulator"
	SimulatorPanel = "/simulator/panel"
)

// SimulatorFor is the simulator of one SKU, at the start of a campaign's
// run when campaignID is not 0.
func SimulatorFor(base string, skuID, campaignID int64) string {
	v := url.Values{}
	v.Set("sku", strconv.FormatInt(skuID, 10))
	if campaignID != 0 {
		v.Set("campaign", strconv.FormatInt(campaignID, 10))
	}
	return base + "?" + v.Encode()
}
