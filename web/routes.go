package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"campaignportal/handlers"
	"campaignportal/models"
	"campaignportal/web/routes"
)

// routes wires the middleware, in order, and every route of the portal.
func (a *app) routes(e *echo.Echo) {
	infra := func(c echo.Context) bool {
		p := c.Request().URL.Path
		return strings.HasPrefix(p, routes.StaticPrefix) || p == routes.Health
	}
	// The order API authenticates with bearer tokens: no session, no CSRF,
	// and its own body limits (1 MB an order; batches stream).
	api := func(c echo.Context) bool { return routes.IsAPI(c.Request().URL.Path) }
	noBrowser := func(c echo.Context) bool { return infra(c) || api(c) }
	e.Use(middleware.RequestID())
	e.Use(observe(a.cfg.Log, a.metrics))
	e.Use(recoverPanics())
	e.Use(securityHeaders(a.cfg.SecureCookies))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "8M", Skipper: api}))
	e.Use(fetchMetadataGuard)
	e.Use(skip(api, storableForms))
	e.Use(middleware.CSRFWithConfig(csrfConfig(a.cfg.SecureCookies, noBrowser)))
	e.Use(skip(noBrowser, a.loadSession))

	// Order import API (bearer token on every route, unknown paths included)
	token := a.ordersAPI.RequireToken
	e.POST(routes.APIOrders, a.ordersAPI.CreateOrder, token)
	e.POST(routes.APIOrdersBatchPattern, a.ordersAPI.Batch, token)
	e.POST(routes.APIOrderEventsPattern, a.ordersAPI.AddEvent, token)
	e.GET(routes.APIOrderSettlementPattern, a.ordersAPI.Settlement, token)
	// The sellers' API (a shop's key on every route, unknown paths
	// included; a cookie never authenticates it) and its contract.
	key, sapi := a.sellerAPI.Authenticate, a.sellerAPI
	campaignsRead := handlers.Scope(models.ScopeCampaignsRead)
	financeRead := handlers.Scope(models.ScopeFinanceRead)
	e.GET(routes.APIOpenAPI, a.apiDocs.OpenAPI)
	e.GET(routes.APIDocs, a.apiDocs.Page)
	e.GET(routes.SellerAPICampaigns, sapi.Campaigns, key, campaignsRead)
	e.GET(routes.SellerAPICampaignPattern, sapi.Campaign, key, campaignsRead)
	e.GET(routes.SellerAPIRegistrationPattern, sapi.Registration, key, campaignsRead)
	e.GET(routes.SellerAPIRecommendationsPattern, sapi.Recommendations, key, campaignsRead)
	e.GET(routes.SellerAPIRelatedPattern, sapi.Related, key, campaignsRead)
	e.GET(routes.SellerAPIPriceEditsPattern, sapi.PriceEdits, key, campaignsRead)
	e.GET(routes.SellerAPISKUErrorsPattern, sapi.SKUErrors, key, campaignsRead)
	e.GET(routes.SellerAPINotifications, sapi.Notifications, key, campaignsRead)
	e.GET(routes.SellerAPIEvents, sapi.Events, key, campaignsRead)
	e.GET(routes.SellerAPISettledRecords, sapi.SettledRecords, key, financeRead)
	e.GET(routes.SellerAPIOrderPattern, sapi.Order, key, financeRead)
	write, once := handlers.Scope(models.ScopeRegistrationsWrite), sapi.Idempotent
	e.POST(routes.SellerAPIDraftPattern, sapi.OpenDraft, key, write, once)
	e.POST(routes.SellerAPIProductsPattern, sapi.AddProducts, key, write, once)
	e.POST(routes.SellerAPIBulkPattern, sapi.BulkSKUs, key, write, once)
	e.POST(routes.SellerAPIRemovePattern, sapi.RemoveSKUs, key, write, once)
	e.POST(routes.SellerAPISubmitPattern, sapi.Submit, key, write, once)
	e.GET(routes.SellerAPIBulkJobPattern, sapi.BulkJob, key, write)
	e.POST(routes.SellerAPIRecommendationAcceptPattern, sapi.AcceptRecommendation, key, write, once)
	e.POST(routes.SellerAPIRecommendationDismissPattern, sapi.DismissRecommendation, key, write, once)
	e.POST(routes.SellerAPIRecommendationsAcceptPattern, sapi.AcceptAllRecommendations, key, write, once)
	e.POST(routes.SellerAPIRelatedCopyPattern, sapi.CopyToRelated, key, write, once)
	e.POST(routes.SellerAPIPriceEditsPattern, sapi.RequestPriceEdit, key, write, once)
	e.GET(routes.SellerAPIPriceEditPattern, sapi.PriceEdit, key, campaignsRead)
	e.GET(routes.SellerAPIWithdrawalsPattern, sapi.Withdrawals, key, campaignsRead)
	e.POST(routes.SellerAPIWithdrawalsPattern, sapi.Withdraw, key, write, once)
	e.POST(routes.SellerAPIWithdrawalCancelPattern, sapi.CancelWithdrawal, key, write, once)
	e.POST(routes.SellerAPISKUErrorFixPattern, sapi.FixSKUError, key, write, once)
	e.Any(routes.SellerAPIPrefix+"*", sapi.NotFound, key)
	e.Any(strings.TrimSuffix(routes.SellerAPIPrefix, "/"), sapi.NotFound, key)

	e.Any("/api", a.ordersAPI.NotFound, token)
	e.Any(routes.APIPrefix+"*", a.ordersAPI.NotFound, token)

	// Infrastructure
	e.GET(routes.Health, a.health)
	e.GET(routes.StaticPrefix+":file", a.static)

	// Everyone
	e.GET(routes.Home, a.auth.Home)
	e.GET(routes.Login, a.auth.ShowLogin)
	e.POST(routes.Login, a.auth.Login)
	e.POST(routes.Logout, a.auth.Logout)

	// Any signed-in person
	e.GET(routes.Account, a.auth.ShowAccount, requireSignedIn)
	e.POST(routes.AccountPassword, a.auth.ChangePassword, requireSignedIn)
	e.GET(routes.NotificationsPattern, a.notifications.List, requireSignedIn)
	e.POST(routes.NotificationsReadPattern, a.notifications.ReadAll, requireSignedIn)
	e.POST(routes.NotificationPattern, a.notifications.Open, requireSignedIn)

	// Sellers
	seller := requireRole(models.RoleSeller)
	e.GET(routes.Campaigns, a.campaigns.List, seller)
	e.GET(routes.CampaignShow, a.campaigns.Show, seller)
	e.GET(routes.RegistrationShow, a.manage.Show, seller)
	e.GET(routes.RegistrationSKUEditPattern, a.manage.EditForm, seller)
	e.POST(routes.RegistrationSKUEditPattern, a.manage.RequestEdit, seller)
	e.POST(routes.RegistrationWithdrawPattern, a.manage.Withdraw, seller)
	e.POST(routes.RegistrationWithdrawalCancelPattern, a.manage.CancelWithdrawal, seller)
	e.POST(routes.RegistrationResolvePattern, a.manage.Resolve, seller)
	e.POST(routes.RegistrationFixPattern, a.manage.RegisterAgainFixed, seller)
	e.POST(routes.RegistrationConfirmPattern, a.registrations.ConfirmVersion, seller)

	// The price simulator (sellers; GET, changes nothing)
	e.GET(routes.Simulator, a.simulator.Page, seller)
	e.GET(routes.SimulatorPanel, a.simulator.Panel, seller)

	// Registering products (sellers)
	e.GET(routes.RegisterPattern, a.register.Show, seller)
	e.GET(routes.RegisterPickPattern, a.register.Pick, seller)
	e.POST(routes.RegisterPickPattern, a.register.AddPicked, seller)
	e.POST(routes.RegisterRecommendedPattern, a.register.AddRecommended, seller)
	e.POST(routes.RegisterSKUPattern, a.register.UpdateSKU, seller)
	e.POST(routes.RegisterProductPattern, a.register.UpdateProduct, seller)
	e.POST(routes.RegisterBulkPattern, a.register.Bulk, seller)
	e.POST(routes.RegisterSubmitPattern, a.register.Submit, seller)
	e.POST(routes.RegisterCopyPattern, a.register.CopyFrom, seller)
	e.GET(routes.RegistrationSubmittedPattern, a.register.Submitted, seller)
	e.POST(routes.RecommendationPattern, a.register.DecideRecommendation, seller)
	e.POST(routes.RecommendationsAcceptPattern, a.register.AcceptAllRecommendations, seller)
	e.GET(routes.Products, a.catalogue.List, seller)
	e.GET(routes.ProductShow, a.catalogue.Show, seller)
	e.POST(routes.ProductSKUsPattern, a.catalogue.AddSKU, seller)
	e.POST(routes.ProductSKUPattern, a.catalogue.EditSKU, seller)
	e.POST(routes.ProductSKUDeletePattern, a.catalogue.DeleteSKU, seller)
	e.POST(routes.ProductCategoryPattern, a.catalogue.ChangeCategory, seller)

	// Campaign performance (sellers)
	e.GET(routes.Performance, a.performance.Year, seller)
	e.GET(routes.PerformanceExportPattern, a.performance.ExportYear, seller)
	e.GET(routes.CampaignPerfPattern, a.performance.Campaign, seller)
	e.GET(routes.CampaignPerfExportPattern, a.performance.ExportCampaign, seller)

	// Finance (sellers)
	e.GET(routes.APIKeys, a.apiKeys.List, seller)
	e.POST(routes.APIKeys, a.apiKeys.Create, seller)
	e.POST(routes.APIKeyRevokePattern, a.apiKeys.Revoke, seller)
	e.GET(routes.SettledRecords, a.finance.SettledRecords, seller)
	e.GET(routes.SettledRecordsCSV, a.finance.ExportCSV, seller)
	e.GET(routes.SettledRecordsXLSX, a.finance.ExportXLSX, seller)
	e.GET(routes.FinanceOrderPattern, a.finance.Order, seller)
	e.GET(routes.RegistrationMoneyPattern, a.finance.CampaignMoney, seller)

	// Bulk upload (sellers)
	e.GET(routes.UploadPattern, a.uploads.Index, seller)
	e.POST(routes.UploadPattern, a.uploads.Create, seller)
	e.GET(routes.UploadTemplateCSVPattern, a.uploads.TemplateCSV, seller)
	e.GET(routes.UploadTemplateXLSXPattern, a.uploads.TemplateXLSX, seller)
	e.GET(routes.UploadStatusPattern, a.uploads.Status, seller)
	e.GET(routes.UploadErrorsPattern, a.uploads.Errors, seller)
	e.POST(routes.UploadSavePattern, a.uploads.Save, seller)
	e.POST(routes.UploadRowFixPattern, a.uploads.FixRow, seller)

	// Reviewers
	reviewer := requireRole(models.RoleReviewer)
	e.GET(routes.ReviewerHome, a.review.Queue, reviewer)
	e.POST(routes.ReviewBulkApprove, a.review.BulkApprove, reviewer)
	e.POST(routes.ReviewBulkDecide, a.review.BulkDecide, reviewer)
	e.GET(routes.ReviewDecided, a.review.Decided, reviewer)
	e.GET(routes.ReviewRegistrationPattern, a.review.Show, reviewer)
	e.POST(routes.ReviewDecisionPattern, a.review.Decide, reviewer)
	e.GET(routes.ReviewPriceEdits, a.priceEdits.Queue, reviewer)
	e.POST(routes.ReviewPriceEditsBulkApprove, a.priceEdits.BulkApprove, reviewer)
	e.POST(routes.ReviewPriceEditDecisionPattern, a.priceEdits.Decide, reviewer)
	e.GET(routes.ReviewWithdrawals, a.withdrawals.Queue, reviewer)
	e.POST(routes.ReviewWithdrawalDecisionPattern, a.withdrawals.Decide, reviewer)

	// Campaign managers
	manager := requireRole(models.RoleManager)
	e.GET(routes.ManagerHome, a.manager.List, manager)
	e.GET(routes.ManagerNew, a.manager.New, manager)
	e.POST(routes.ManagerNew, a.manager.Create, manager)
	e.GET(routes.ManagerShow, a.manager.Show, manager)
	e.GET(routes.ManagerEditPattern, a.manager.Edit, manager)
	e.POST(routes.ManagerEditPattern, a.manager.Update, manager)
	e.GET(routes.ManagerPreviewPattern, a.manager.Preview, manager)
	e.POST(routes.ManagerPublishPattern, a.manager.Publish, manager)
	e.POST(routes.ManagerClosePattern, a.manager.Close, manager)
	e.POST(routes.ManagerDuplicatePattern, a.manager.Duplicate, manager)
	e.GET(routes.ManagerPerformancePattern, a.platform.Campaign, manager)
	e.POST(routes.ManagerCouponBudgetPattern, a.manager.SetBudget, manager)
	e.GET(routes.ManagerPerformanceExportPattern, a.platform.Export, manager)
	e.GET(routes.ManagerAPITokens, a.apiTokens.List, manager)
	e.POST(routes.ManagerAPITokens, a.apiTokens.Create, manager)
	e.POST(routes.ManagerAPITokenRevokePattern, a.apiTokens.Revoke, manager)
}

func skip(skipper middleware.Skipper, mw echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		wrapped := mw(next)
		return func(c echo.Context) error {
			if skipper(c) {
				return next(c)
			}
			return wrapped(c)
		}
	}
}

// health answers 200 when the database does, 503 otherwise. The database
// is asked at most every healthEvery, by one request at a time; the others
// take the last answer, so a load balancer polling hard never queues
// behind the pool.
func (a *app) health(c echo.Context) error {
	if err := a.healthy.check(c.Request().Context(), a.store.Ping, a.cfg.Now()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}

// static serves content-hashed assets, cacheable for a year.
func (a *app) static(c echo.Context) error {
	asset, ok := a.assets.Lookup(c.Param("file"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, asset.ContentType, asset.Body)
}

// healthEvery is how old the database's last answer to /healthz may be.
const healthEvery = 250 * time.Millisecond

// healthCheck remembers the database's last answer to a ping.
type healthCheck struct {
	mu       sync.Mutex
	at       time.Time
	err      error
	checking bool
}

// check pings when the last answer is older than healthEvery and nobody
// is pinging already; otherwise it returns the last answer.
func (h *healthCheck) check(ctx context.Context, ping func(context.Context) error, now time.Time) error {
	h.mu.Lock()
	if h.checking || (!h.at.IsZero() && now.Sub(h.at) < healthEvery) {
		err := h.err
		h.mu.Unlock()
		return err
	}
	h.checking = true
	h.mu.Unlock()
	err := ping(ctx)
	h.mu.Lock()
	h.at, h.err, h.checking = now, err, false
	h.mu.Unlock()
	return err
}
