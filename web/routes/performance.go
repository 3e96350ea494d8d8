package routes

import (
	"net/url"
	"strconv"
)

// Campaign performance (sellers): patterns.
const (
	Performance               = "/campaigns/performance"
	PerformanceExportPattern  = "/campaigns/performance/export/:format"
	CampaignPerfPattern       = "/campaigns/:id/performance"
	CampaignPerfExportPattern = "/campaigns/:id/performance/export/:table/:format"
)

// PerformanceYear is Manage your campaigns for a year (0: the default).
func PerformanceYear(year int) string {
	v := url.Values{}
	if year != 0 {
		v.Set("year", strconv.Itoa(year))
	}
	return withQuery(Performance, v)
}

// PerformanceExport downloads a year's table as "csv" or "xlsx".
func PerformanceExport(year int, format string) string {
	v := url.Values{}
	v.Set("year", strconv.Itoa(year))
	return withQuery(Fill(PerformanceExportPattern, format), v)
}

func rangeValues(from, to string) url.Values {
	v := url.Values{}
	if from != "" {
		v.Set("from", from)
	}
	if to != "" {
		v.Set("to", to)
	}
	return v
}

// CampaignPerf is View data of a campaign, for days from..to (YYYY-MM-DD,
// empty: the run's).
func CampaignPerf(campaignID int64, from, to string) string {
	return withQuery(Fill(CampaignPerfPattern, campaignID), rangeValues(from, to))
}

// CampaignPerfWith is View data with any of its parameters (from, to,
// sort, dir, others).
func CampaignPerfWith(campaignID int64, v url.Values) string {
	return withQuery(Fill(CampaignPerfPattern, campaignID), v)
}

// CampaignPerfExport downloads one of View data's tables ("days", "subs",
// "skus") as "csv" or "xlsx".
func CampaignPerfExport(campaignID int64, table, format, from, to string) string {
	return withQuery(Fill(CampaignPerfExportPattern, campaignID, table, format), rangeValues(from, to))
}

// SettledRecordsFor is the settled records filtered to a campaign (0: all
// orders), days from..to and a status.
func SettledRecordsFor(campaignID int64, from, to, status string) string {
	return SettledRecordsPage(SettledFilter{CampaignID: campaignID, From: from, To: to, Status: status}, "")
}
