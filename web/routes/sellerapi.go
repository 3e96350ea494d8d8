package routes

import "strings"

// The sellers' registration API (per-shop keys, problem documents) and its
// contract. Patterns use echo's :name; the OpenAPI document writes the
// same paths with {name}.
const (
	APIOpenAPI                      = "/api/v1/openapi.json"
	APIDocs                         = "/api/docs"
	SellerAPIPrefix                 = "/api/v1/seller/"
	SellerAPICampaigns              = "/api/v1/seller/campaigns"
	SellerAPICampaignPattern        = "/api/v1/seller/campaigns/:campaign_id"
	SellerAPIRegistrationPattern    = "/api/v1/seller/campaigns/:campaign_id/registration"
	SellerAPIRecommendationsPattern = "/api/v1/seller/campaigns/:campaign_id/registration/recommendations"
	SellerAPIRelatedPattern         = "/api/v1/seller/campaigns/:campaign_id/registration/related"
	SellerAPIPriceEditsPattern      = "/api/v1/seller/campaigns/:campaign_id/registration/price-edits"
	SellerAPISKUErrorsPattern       = "/api/v1/seller/campaigns/:campaign_id/registration/sku-errors"
	SellerAPINotifications          = "/api/v1/seller/notifications"
	SellerAPISettledRecords         = "/api/v1/seller/settled-records"
	SellerAPIOrderPattern           = "/api/v1/seller/orders/:order_id"
	SellerAPIEvents                 = "/api/v1/seller/events"

	// The write side.
	SellerAPIDraftPattern    = "/api/v1/seller/campaigns/:campaign_id/registration/draft"
	SellerAPIProductsPattern = "/api/v1/seller/campaigns/:campaign_id/registration/products"
	SellerAPIBulkPattern     = "/api/v1/seller/campaigns/:campaign_id/registration/skus/bulk"
	SellerAPIRemovePattern   = "/api/v1/seller/campaigns/:campaign_id/registration/skus/remove"
	SellerAPISubmitPattern   = "/api/v1/seller/campaigns/:campaign_id/registration/submit"
	SellerAPIBulkJobPattern  = "/api/v1/seller/bulk-jobs/:job_id"

	// After submitting: the Submitted and Manage pages' actions.
	SellerAPIRecommendationAcceptPattern  = "/api/v1/seller/campaigns/:campaign_id/registration/recommendations/:recommendation_id/accept"
	SellerAPIRecommendationDismissPattern = "/api/v1/seller/campaigns/:campaign_id/registration/recommendations/:recommendation_id/dismiss"
	SellerAPIRecommendationsAcceptPattern = "/api/v1/seller/campaigns/:campaign_id/registration/recommendations/accept-all"
	SellerAPIRelatedCopyPattern           = "/api/v1/seller/campaigns/:campaign_id/registration/related/:related_campaign_id/copy"
	SellerAPIPriceEditPattern             = "/api/v1/seller/campaigns/:campaign_id/registration/price-edits/:price_edit_id"
	SellerAPIWithdrawalsPattern           = "/api/v1/seller/campaigns/:campaign_id/registration/withdrawals"
	SellerAPIWithdrawalCancelPattern      = "/api/v1/seller/campaigns/:campaign_id/registration/withdrawals/:withdrawal_id/cancel"
	SellerAPISKUErrorFixPattern           = "/api/v1/seller/campaigns/:campaign_id/registration/sku-errors/:registration_product_id/fix"
)

// SellerAPIRecommendationAccept accepts one recommended price.
func SellerAPIRecommendationAccept(campaignID, recID int64) string {
	return Fill(SellerAPIRecommendationAcceptPattern, campaignID, recID)
}

// SellerAPIRecommendationDismiss dismisses one recommendation.
func SellerAPIRecommendationDismiss(campaignID, recID int64) string {
	return Fill(SellerAPIRecommendationDismissPattern, campaignID, recID)
}

// SellerAPIRecommendationsAccept accepts every open recommendation.
func SellerAPIRecommendationsAccept(campaignID int64) string {
	return Fill(SellerAPIRecommendationsAcceptPattern, campaignID)
}

// SellerAPIRelatedCopy opens a related campaign's draft with this
// registration's prices.
func SellerAPIRelatedCopy(campaignID, relatedID int64) string {
	return Fill(SellerAPIRelatedCopyPattern, campaignID, relatedID)
}

// SellerAPIPriceEdit is one price edit request.
func SellerAPIPriceEdit(campaignID, editID int64) string {
	return Fill(SellerAPIPriceEditPattern, campaignID, editID)
}

// SellerAPIWithdrawals lists (GET) or makes (POST) withdrawals.
func SellerAPIWithdrawals(campaignID int64) string {
	return Fill(SellerAPIWithdrawalsPattern, campaignID)
}

// SellerAPIWithdrawalCancel cancels a withdrawal request.
func SellerAPIWithdrawalCancel(campaignID, withdrawalID int64) string {
	return Fill(SellerAPIWithdrawalCancelPattern, campaignID, withdrawalID)
}

// SellerAPISKUErrorFix fixes a product's SKU error.
func SellerAPISKUErrorFix(campaignID, rpID int64) string {
	return Fill(SellerAPISKUErrorFixPattern, campaignID, rpID)
}

// SellerAPIDraft makes the shop's draft registration of a campaign.
func SellerAPIDraft(campaignID int64) string { return Fill(SellerAPIDraftPattern, campaignID) }

// SellerAPIProducts adds products or SKUs to the draft.
func SellerAPIProducts(campaignID int64) string { return Fill(SellerAPIProductsPattern, campaignID) }

// SellerAPIBulk sets price, stock, tier and extra discount of many SKUs.
func SellerAPIBulk(campaignID int64) string { return Fill(SellerAPIBulkPattern, campaignID) }

// SellerAPIRemove takes SKUs out of the draft.
func SellerAPIRemove(campaignID int64) string { return Fill(SellerAPIRemovePattern, campaignID) }

// SellerAPISubmit submits the draft.
func SellerAPISubmit(campaignID int64) string { return Fill(SellerAPISubmitPattern, campaignID) }

// SellerAPIBulkJob is a bulk request's job.
func SellerAPIBulkJob(id int64) string { return Fill(SellerAPIBulkJobPattern, id) }

// IsSellerAPI reports whether a path belongs to the seller API, whose
// errors are problem documents.
func IsSellerAPI(path string) bool {
	return strings.HasPrefix(path, SellerAPIPrefix) || path == strings.TrimSuffix(SellerAPIPrefix, "/")
}

// SellerAPICampaign is one campaign's resource.
func SellerAPICampaign(id int64) string { return Fill(SellerAPICampaignPattern, id) }

// SellerAPIRegistration is the shop's registration of a campaign.
func SellerAPIRegistration(campaignID int64) string {
	return Fill(SellerAPIRegistrationPattern, campaignID)
}

// SellerAPIRecommendations lists a registration's price recommendations.
func SellerAPIRecommendations(campaignID int64) string {
	return Fill(SellerAPIRecommendationsPattern, campaignID)
}

// SellerAPIRelated lists the campaigns a registration can be copied to.
func SellerAPIRelated(campaignID int64) string { return Fill(SellerAPIRelatedPattern, campaignID) }

// SellerAPIPriceEdits lists a registration's price edits.
func SellerAPIPriceEdits(campaignID int64) string {
	return Fill(SellerAPIPriceEditsPattern, campaignID)
}

// SellerAPISKUErrors lists a registration's SKU errors.
func SellerAPISKUErrors(campaignID int64) string { return Fill(SellerAPISKUErrorsPattern, campaignID) }

// SellerAPIOrder is one order's fee breakdown.
func SellerAPIOrder(id int64) string { return Fill(SellerAPIOrderPattern, id) }

// The sellers' API keys page.
const (
	APIKeys             = "/api-keys"
	APIKeyRevokePattern = "/api-keys/:id/revoke"
)

// APIKeyRevoke revokes one of the shop's keys.
func APIKeyRevoke(id int64) string { return Fill(APIKeyRevokePattern, id) }
