package handlers

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// SellerAPIStore is what the seller API reads from the core.
type SellerAPIStore interface {
	AuthenticateSellerKey(ctx context.Context, secret string, now time.Time) (models.SellerAPIKey, error)
	TakeAPIRequest(ctx context.Context, keyID int64, limit models.APIRateLimit, now time.Time) (models.APIRateState, error)
	ShopByID(ctx context.Context, id int64) (models.Shop, error)
	SellerCampaigns(ctx context.Context, shop models.Shop, f models.CampaignFilter) ([]models.SellerCampaign, models.TabCounts, error)
	SellerCampaign(ctx context.Context, shop models.Shop, campaignID int64) (models.SellerCampaign, error)
	Manage(ctx context.Context, shopID, regID int64, filter models.ProductStatus) (models.ManageView, error)
	LoadDraft(ctx context.Context, shopID, regID int64, filter models.Problem, page, perPage int) (models.DraftPage, models.Campaign, error)
	Submitted(ctx context.Context, shop models.Shop, regID int64, now time.Time) (models.SubmittedView, error)
	Notifications(ctx context.Context, userID int64, limit int) ([]models.Notification, error)
	SellerRegistrationETag(ctx context.Context, shopID, regID int64) (string, error)
	SellerEvents(ctx context.Context, shopID int64, after models.EventCursor, limit int) ([]models.SellerEvent, models.EventCursor, error)

	// The write side.
	OpenDraft(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Registration, models.Campaign, error)
	WithRegistrationMatch(ctx context.Context, shopID, regID int64, ifMatch func(string) bool, fn func(tx *models.Store) error) (string, error)
	ClaimIdempotencyKey(ctx context.Context, keyID int64, key, requestHash string, now time.Time) (models.IdempotencyClaim, error)
	CompleteIdempotencyKey(ctx context.Context, keyID int64, key string, a models.IdempotentAnswer) error
	ReleaseIdempotencyKey(ctx context.Context, keyID int64, key string) error

	// After submitting: recommendations, price edits, withdrawals, SKU errors.
	SellerAPIActionStore
}

// SellerFinanceAPIStore is what the seller API reads from the orders
// domain: the same functions as Finance › Settled records.
type SellerFinanceAPIStore interface {
	SettledRecords(ctx context.Context, shopID int64, f orders.SettledFilter, after *orders.SettledCursor, limit int) ([]orders.SettledRow, *orders.SettledCursor, error)
	SettledCampaigns(ctx context.Context, shopID int64) ([]orders.CampaignOption, error)
	SellerOrder(ctx context.Context, shopID, id int64) (orders.OrderView, error)
}

// SellerAPI is the sellers' registration API under /api/v1/seller/: JSON
// behind per-shop keys (Authorization: Bearer cpk_…), never a session
// cookie, so it needs no CSRF token. Every answer that is not a success is
// an RFC 9457 problem document (problem.go).
type SellerAPI struct {
	kit     Kit
	store   SellerAPIStore
	finance SellerFinanceAPIStore
	bulk    SellerBulkService
	limit   models.APIRateLimit
}

// NewSellerAPI builds the seller API; limit is each key's request budget.
func NewSellerAPI(kit Kit, store SellerAPIStore, finance SellerFinanceAPIStore, bulk SellerBulkService, limit models.APIRateLimit) *SellerAPI {
	if limit.Requests <= 0 || limit.Window <= 0 {
		limit = models.DefaultAPIRateLimit
	}
	return &SellerAPI{kit: kit, store: store, finance: finance, bulk: bulk, limit: limit}
}

const (
	sellerKeyKey  = "portal.seller_api_key"
	sellerShopKey = "portal.seller_api_shop"
)

// APICaller is who a seller API request acts for: the key and its shop.
type APICaller struct {
	Key  models.SellerAPIKey
	Shop models.Shop
}

// CallerFrom returns the authenticated key and shop of a seller API
// request (set by Authenticate).
func CallerFrom(c echo.Context) (APICaller, bool) {
	k, ok1 := c.Get(sellerKeyKey).(models.SellerAPIKey)
	s, ok2 := c.Get(sellerShopKey).(models.Shop)
	return APICaller{Key: k, Shop: s}, ok1 && ok2
}

// Authenticate lets a request through only with an active seller key in
// Authorization: Bearer (401 otherwise), counts it against the key's rate
// limit (429 with Retry-After when the window is full) and states the
// limit in RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset
// (seconds until the window ends).
func (h *SellerAPI) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		scheme, secret, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		secret = strings.TrimSpace(secret)
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return unauthorized(c, "Send a seller API key as Authorization: Bearer <key>; make one on the API keys page.")
		}
		now := h.kit.Now()
		key, err := h.store.AuthenticateSellerKey(ctx(c), secret, now)
		if errors.Is(err, models.ErrBadAPIKey) {
			return unauthorized(c, "The key is not a seller API key, or it was revoked.")
		}
		if err != nil {
			return err
		}
		st, err := h.store.TakeAPIRequest(ctx(c), key.ID, h.limit, now)
		if err != nil {
			return err
		}
		reset := int(math.Ceil(st.ResetAt.Sub(now).Seconds()))
		hd := c.Response().Header()
		hd.Set("RateLimit-Limit", strconv.Itoa(h.limit.Requests))
		hd.Set("RateLimit-Remaining", strconv.Itoa(st.Remaining))
		hd.Set("RateLimit-Reset", strconv.Itoa(reset))
		if !st.Allowed {
			hd.Set("Retry-After", strconv.Itoa(reset))
			return &APIProblem{Status: http.StatusTooManyRequests, Code: CodeRateLimited,
				Detail: "This key made " + strconv.Itoa(h.limit.Requests) + " requests in this window; try again in " + strconv.Itoa(reset) + " s."}
		}
		shop, err := h.store.ShopByID(ctx(c), key.ShopID)
		if err != nil {
			return err
		}
		c.Set(sellerKeyKey, key)
		c.Set(sellerShopKey, shop)
		return next(c)
	}
}

func unauthorized(c echo.Context, detail string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="seller-api"`)
	return &APIProblem{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Detail: detail}
}

// Scope lets a request through only when its key holds scope: 403
// (insufficient_scope) otherwise. It runs after Authenticate.
func Scope(scope models.Scope) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			caller, ok := CallerFrom(c)
			if !ok {
				return unauthorized(c, "Send a seller API key as Authorization: Bearer <key>.")
			}
			if !caller.Key.Scopes.Has(scope) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate,
					`Bearer realm="seller-api", error="insufficient_scope", scope="`+string(scope)+`"`)
				return &APIProblem{Status: http.StatusForbidden, Code: CodeInsufficientScope,
					Detail: "This key lacks the " + string(scope) + " scope; make a key with it on the API keys page."}
			}
			return next(c)
		}
	}
}

// NotFound answers unknown paths under /api/v1/seller/ (behind the key
// check): 405 with Allow when the path is an endpoint that takes other
// methods, 404 otherwise.
func (h *SellerAPI) NotFound(c echo.Context) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := c.Echo().NewContext(nil, nil)
		c.Echo().Router().Find(m, c.Request().URL.Path, probe)
		if p := probe.Path(); p != "" && p != c.Path() {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		c.Response().Header().Set(echo.HeaderAllow, strings.Join(allow, ", "))
		return &APIProblem{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed,
			Detail: "This endpoint takes " + strings.Join(allow, ", ") + "; see /api/docs."}
	}
	return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound, Detail: "No such endpoint; see /api/docs."}
}
