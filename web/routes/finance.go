package routes

import (
	"net/url"
	"strconv"
)

// Finance (sellers) and the order feed's tokens (campaign managers):
// patterns.
const (
	SettledRecords               = "/finance/settled-records"
	SettledRecordsCSV            = "/finance/settled-records.csv"
	SettledRecordsXLSX           = "/finance/settled-records.xlsx"
	FinanceOrderPattern          = "/finance/orders/:id"
	ManagerAPITokens             = "/manager/api-tokens"
	ManagerAPITokenRevokePattern = "/manager/api-tokens/:id/revoke"
)

// SettledFilter is the settled records' filter as URL parameters.
type SettledFilter struct {
	From, To      string // YYYY-MM-DD
	CampaignID    int64
	SubCampaignID int64 // with a campaign only
	Status        string
}

func (f SettledFilter) values() url.Values {
	v := url.Values{}
	if f.From != "" {
		v.Set("from", f.From)
	}
	if f.To != "" {
		v.Set("to", f.To)
	}
	if f.CampaignID != 0 {
		v.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	if f.CampaignID != 0 && f.SubCampaignID != 0 {
		v.Set("sub", strconv.FormatInt(f.SubCampaignID, 10))
	}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	return v
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// SettledRecordsPage is a page of the settled records: the filter, and
// the cursor after which the page starts ("" for the first page).
func SettledRecordsPage(f SettledFilter, after string) string {
	v := f.values()
	if after != "" {
		v.Set("after", after)
	}
	return withQuery(SettledRecords, v)
}

// SettledRecordsExport downloads the filtered records as "csv" or "xlsx".
func SettledRecordsExport(f SettledFilter, format string) string {
	if format == "xlsx" {
		return withQuery(SettledRecordsXLSX, f.values())
	}
	return withQuery(SettledRecordsCSV, f.values())
}

// SettledRecordsForCampaign is the settled records filtered to a campaign.
func SettledRecordsForCampaign(campaignID int64) string {
	return SettledRecordsPage(SettledFilter{CampaignID: campaignID}, "")
}

// FinanceOrder is an order's details page.
func FinanceOrder(id int64) string { return Fill(FinanceOrderPattern, id) }

// ManagerAPITokenRevoke revokes a token.
func ManagerAPITokenRevoke(id int64) string {
	return Fill(ManagerAPITokenRevokePattern, id)
}

// RegistrationMoneyPattern is the fee and coupon totals of a registration's
// campaign, a fragment of the Manage page.
const RegistrationMoneyPattern = "/registrations/:id/money"

// RegistrationMoney is that fragment's URL.
func RegistrationMoney(regID int64) string {
	return Fill(RegistrationMoneyPattern, regID)
}
