package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web/routes"
)

// TestEveryBuilderLandsOnItsRoute walks the echo router: every URL the
// routes package builds resolves, with the method it is used with, to the
// pattern it is meant for; and every registered route is in the table, so
// a new route comes with its builder checked.
func TestEveryBuilderLandsOnItsRoute(t *testing.T) {
	t.Parallel()
	e, err := New(Config{
		SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")},
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, models.NewStore(modeltest.NewDB(t)))
	if err != nil {
		t.Fatal(err)
	}
	const get, post = http.MethodGet, http.MethodPost
	f := routes.SettledFilter{From: "2025-11-01", To: "2025-11-30", CampaignID: 3, SubCampaignID: 4, Status: "placed"}
	table := []struct {
		method, url, pattern string
	}{
		{get, routes.Home, routes.Home},
		{get, routes.Login, routes.Login},
		{post, routes.Login, routes.Login},
		{post, routes.Logout, routes.Logout},
		{get, routes.Account, routes.Account},
		{post, routes.AccountPassword, routes.AccountPassword},
		{get, routes.NotificationsPattern, routes.NotificationsPattern},
		{post, routes.NotificationsReadPattern, routes.NotificationsReadPattern},
		{post, routes.Notification(5), routes.NotificationPattern},
		{get, routes.Health, routes.Health},
		{get, routes.StaticPrefix + "app.css", routes.StaticPrefix + ":file"},

		{get, routes.CampaignList("registered", "lamp & co", true, true), routes.Campaigns},
		{get, routes.Campaign(3), routes.CampaignShow},
		{get, routes.Registration(9), routes.RegistrationShow},
		{get, routes.RegistrationTab(9, "sku_error"), routes.RegistrationShow},
		{get, routes.RegistrationSKUEdit(9, 11), routes.RegistrationSKUEditPattern},
		{post, routes.RegistrationSKUEdit(9, 11), routes.RegistrationSKUEditPattern},
		{post, routes.RegistrationWithdraw(9), routes.RegistrationWithdrawPattern},
		{post, routes.RegistrationResolve(9), routes.RegistrationResolvePattern},
		{post, routes.RegistrationFix(9), routes.RegistrationFixPattern},
		{post, routes.RegistrationConfirm(9), routes.RegistrationConfirmPattern},
		{get, routes.RegistrationMoney(9), routes.RegistrationMoneyPattern},

		{get, routes.Register(3), routes.RegisterPattern},
		{get, routes.RegisterFiltered(3, "price", 2), routes.RegisterPattern},
		{get, routes.RegisterPick(3), routes.RegisterPickPattern},
		{get, routes.RegisterPickPage(3, "lamp", 4, true, 2), routes.RegisterPickPattern},
		{post, routes.RegisterPick(3), routes.RegisterPickPattern},
		{post, routes.RegisterRecommended(3), routes.RegisterRecommendedPattern},
		{post, routes.RegisterSKU(3, 12), routes.RegisterSKUPattern},
		{post, routes.RegisterProduct(3, 13), routes.RegisterProductPattern},
		{post, routes.RegisterBulk(3), routes.RegisterBulkPattern},
		{post, routes.RegisterSubmit(3), routes.RegisterSubmitPattern},
		{post, routes.RegisterCopy(3, 8), routes.RegisterCopyPattern},
		{get, routes.RegistrationSubmitted(9), routes.RegistrationSubmittedPattern},
		{get, routes.SimulatorFor(routes.Simulator, 12, 3), routes.Simulator},
		{get, routes.SimulatorFor(routes.SimulatorPanel, 12, 0), routes.SimulatorPanel},
		{post, routes.Recommendation(9, 14), routes.RecommendationPattern},
		{post, routes.RecommendationsAccept(9), routes.RecommendationsAcceptPattern},

		{get, routes.ProductList("desk", 2), routes.Products},
		{get, routes.Product(6), routes.ProductShow},
		{post, routes.ProductSKUs(6), routes.ProductSKUsPattern},
		{post, routes.ProductSKU(6, 15), routes.ProductSKUPattern},
		{post, routes.ProductSKUDelete(6, 15), routes.ProductSKUDeletePattern},
		{post, routes.ProductCategory(6), routes.ProductCategoryPattern},

		{get, routes.PerformanceYear(2025), routes.Performance},
		{get, routes.PerformanceExport(2025, "csv"), routes.PerformanceExportPattern},
		{get, routes.CampaignPerf(3, "2025-11-01", "2025-11-30"), routes.CampaignPerfPattern},
		{get, routes.CampaignPerfWith(3, url.Values{"sort": {"gmv"}}), routes.CampaignPerfPattern},
		{get, routes.CampaignPerfExport(3, "skus", "xlsx", "", ""), routes.CampaignPerfExportPattern},

		{get, routes.SettledRecordsPage(f, "2025-11-02T10:00:00Z/7"), routes.SettledRecords},
		{get, routes.SettledRecordsForCampaign(3), routes.SettledRecords},
		{get, routes.SettledRecordsFor(3, "", "", "placed"), routes.SettledRecords},
		{get, routes.SettledRecordsExport(f, "csv"), routes.SettledRecordsCSV},
		{get, routes.SettledRecordsExport(f, "xlsx"), routes.SettledRecordsXLSX},
		{get, routes.FinanceOrder(16), routes.FinanceOrderPattern},

		{get, routes.RegisterUpload(3), routes.UploadPattern},
		{post, routes.RegisterUpload(3), routes.UploadPattern},
		{get, routes.UploadTemplateCSV(3), routes.UploadTemplateCSVPattern},
		{get, routes.UploadTemplateXLSX(3), routes.UploadTemplateXLSXPattern},
		{get, routes.UploadStatus(3, 17, "invalid", 2), routes.UploadStatusPattern},
		{get, routes.UploadStatusAgain(3, 17), routes.UploadStatusPattern},
		{get, routes.UploadErrors(3, 17), routes.UploadErrorsPattern},
		{post, routes.UploadSave(3, 17), routes.UploadSavePattern},
		{post, routes.UploadRowFix(3, 17, 5), routes.UploadRowFixPattern},

		{get, routes.ReviewerHome, routes.ReviewerHome},
		{get, routes.ReviewQueueAfterDecision(9, "approve"), routes.ReviewerHome},
		{get, routes.ReviewQueueAfterBulk(4), routes.ReviewerHome},
		{post, routes.ReviewBulkApprove, routes.ReviewBulkApprove},
		{post, routes.ReviewBulkDecide, routes.ReviewBulkDecide},
		{get, routes.ReviewQueueWith(url.Values{"flag": {"overdue"}}), routes.ReviewerHome},
		{get, routes.ReviewDecidedWith(url.Values{"pid": {"5000"}}), routes.ReviewDecided},
		{get, routes.ReviewRegistration(9), routes.ReviewRegistrationPattern},
		{post, routes.ReviewDecision(9), routes.ReviewDecisionPattern},
		{get, routes.ReviewPriceEdits, routes.ReviewPriceEdits},
		{get, routes.ReviewPriceEditsAfterDecision(18, "reject"), routes.ReviewPriceEdits},
		{get, routes.ReviewPriceEditsAfterBulk(2), routes.ReviewPriceEdits},
		{post, routes.ReviewPriceEditsBulkApprove, routes.ReviewPriceEditsBulkApprove},
		{post, routes.ReviewPriceEditDecision(18), routes.ReviewPriceEditDecisionPattern},
		{get, routes.ReviewWithdrawals, routes.ReviewWithdrawals},
		{get, routes.ReviewWithdrawalsAfterDecision(4, "approved"), routes.ReviewWithdrawals},
		{post, routes.ReviewWithdrawalDecision(4), routes.ReviewWithdrawalDecisionPattern},
		{post, routes.RegistrationWithdrawalCancel(3, 4), routes.RegistrationWithdrawalCancelPattern},

		{get, routes.ManagerHome, routes.ManagerHome},
		{get, routes.ManagerNew, routes.ManagerNew},
		{post, routes.ManagerNew, routes.ManagerNew},
		{get, routes.ManagerCampaign(3), routes.ManagerShow},
		{get, routes.ManagerEdit(3), routes.ManagerEditPattern},
		{post, routes.ManagerEdit(3), routes.ManagerEditPattern},
		{get, routes.ManagerPreview(3), routes.ManagerPreviewPattern},
		{post, routes.ManagerPublish(3), routes.ManagerPublishPattern},
		{post, routes.ManagerClose(3), routes.ManagerClosePattern},
		{post, routes.ManagerDuplicate(3), routes.ManagerDuplicatePattern},
		{post, routes.ManagerCouponBudget(3, 7), routes.ManagerCouponBudgetPattern},
		{get, routes.ManagerPerformance(3, "2025-11-01", ""), routes.ManagerPerformancePattern},
		{get, routes.ManagerPerformanceExport(3, "days", "csv", "2025-11-01", ""), routes.ManagerPerformanceExportPattern},
		{get, routes.ManagerCampaignDone(3, "published"), routes.ManagerShow},
		{get, routes.ManagerEditDone(3, "duplicated"), routes.ManagerEditPattern},
		{get, routes.ManagerAPITokens, routes.ManagerAPITokens},
		{post, routes.ManagerAPITokens, routes.ManagerAPITokens},
		{post, routes.ManagerAPITokenRevoke(19), routes.ManagerAPITokenRevokePattern},

		// The order API is called by the marketplace's systems, which
		// build its URLs themselves; its patterns are checked here.
		{post, routes.APIOrders, routes.APIOrders},
		{post, routes.APIOrdersBatch, routes.APIOrdersBatchPattern},
		{post, "/api/v1/orders/A-1/events", routes.APIOrderEventsPattern},
		{get, "/api/v1/orders/A-1/settlement", routes.APIOrderSettlementPattern},
		{get, "/api", "/api"},
		{get, routes.APIPrefix + "v1/nothing", routes.APIPrefix + "*"},

		{get, routes.APIKeys, routes.APIKeys},
		{post, routes.APIKeys, routes.APIKeys},
		{post, routes.APIKeyRevoke(20), routes.APIKeyRevokePattern},
		{get, routes.APIOpenAPI, routes.APIOpenAPI},
		{get, routes.APIDocs, routes.APIDocs},
		{get, routes.SellerAPICampaigns, routes.SellerAPICampaigns},
		{get, routes.SellerAPICampaign(3), routes.SellerAPICampaignPattern},
		{get, routes.SellerAPIRegistration(3), routes.SellerAPIRegistrationPattern},
		{get, routes.SellerAPIRecommendations(3), routes.SellerAPIRecommendationsPattern},
		{get, routes.SellerAPIRelated(3), routes.SellerAPIRelatedPattern},
		{get, routes.SellerAPIPriceEdits(3), routes.SellerAPIPriceEditsPattern},
		{get, routes.SellerAPISKUErrors(3), routes.SellerAPISKUErrorsPattern},
		{get, routes.SellerAPINotifications, routes.SellerAPINotifications},
		{get, routes.SellerAPIEvents, routes.SellerAPIEvents},
		{get, routes.SellerAPISettledRecords, routes.SellerAPISettledRecords},
		{get, routes.SellerAPIOrder(21), routes.SellerAPIOrderPattern},
		{post, routes.SellerAPIDraft(3), routes.SellerAPIDraftPattern},
		{post, routes.SellerAPIProducts(3), routes.SellerAPIProductsPattern},
		{post, routes.SellerAPIBulk(3), routes.SellerAPIBulkPattern},
		{post, routes.SellerAPIRemove(3), routes.SellerAPIRemovePattern},
		{post, routes.SellerAPISubmit(3), routes.SellerAPISubmitPattern},
		{get, routes.SellerAPIBulkJob(4), routes.SellerAPIBulkJobPattern},
		{post, routes.SellerAPIRecommendationAccept(3, 5), routes.SellerAPIRecommendationAcceptPattern},
		{post, routes.SellerAPIRecommendationDismiss(3, 5), routes.SellerAPIRecommendationDismissPattern},
		{post, routes.SellerAPIRecommendationsAccept(3), routes.SellerAPIRecommendationsAcceptPattern},
		{post, routes.SellerAPIRelatedCopy(3, 6), routes.SellerAPIRelatedCopyPattern},
		{get, routes.SellerAPIPriceEdit(3, 7), routes.SellerAPIPriceEditPattern},
		{get, routes.SellerAPIWithdrawals(3), routes.SellerAPIWithdrawalsPattern},
		{post, routes.SellerAPIWithdrawals(3), routes.SellerAPIWithdrawalsPattern},
		{post, routes.SellerAPIPriceEdits(3), routes.SellerAPIPriceEditsPattern},
		{post, routes.SellerAPIWithdrawalCancel(3, 8), routes.SellerAPIWithdrawalCancelPattern},
		{post, routes.SellerAPISKUErrorFix(3, 9), routes.SellerAPISKUErrorFixPattern},
		{get, routes.SellerAPIPrefix + "nothing", routes.SellerAPIPrefix + "*"},
		{get, "/api/v1/seller", "/api/v1/seller"},
	}
	covered := map[string]bool{}
	for _, tt := range table {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Errorf("%s does not parse: %v", tt.url, err)
			continue
		}
		c := e.NewContext(nil, nil)
		e.Router().Find(tt.method, u.Path, c)
		if c.Path() != tt.pattern {
			t.Errorf("%s %s resolves to %q, want %q", tt.method, tt.url, c.Path(), tt.pattern)
		}
		covered[tt.method+" "+tt.pattern] = true
	}
	// Routes registered with e.Any answer every method; one is enough.
	anyMethod := map[string]bool{"/api": true, routes.APIPrefix + "*": true, routes.SellerAPIPrefix + "*": true, "/api/v1/seller": true}
	for _, r := range e.Routes() {
		if !covered[r.Method+" "+r.Path] && !(anyMethod[r.Path] && covered[get+" "+r.Path]) {
			t.Errorf("%s %s is registered but no builder in this table reaches it", r.Method, r.Path)
		}
	}
}
