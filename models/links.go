package models

import "strconv"

// The pages notifications lead to. They are stored with each notification,
// so the core writes them; the core does not import the web layer, and
// web's route test checks each against the routes package's builder of
// the same page, so a changed route cannot leave a notification pointing
// nowhere.

// SellerRegistrationLink is the seller's Manage page of a registration.
func SellerRegistrationLink(regID int64) string {
	return "/registrations/" + strconv.FormatInt(regID, 10)
}

// SellerSKUErrorsLink is that page filtered to the products in SKU error.
func SellerSKUErrorsLink(regID int64) string {
	return SellerRegistrationLink(regID) + "?status=sku_error"
}

// SellerRegisterLink is a campaign's price table, where a draft goes on.
func SellerRegisterLink(campaignID int64) string {
	return "/campaigns/" + strconv.FormatInt(campaignID, 10) + "/register"
}

// ReviewRegistrationLink is a registration's review page.
func ReviewRegistrationLink(regID int64) string {
	return "/review/registrations/" + strconv.FormatInt(regID, 10)
}

// ReviewPriceEditsLink is the price edit queue.
const ReviewPriceEditsLink = "/review/price-edits"
