package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// OrdersAPIStore is what the order import API needs.
type OrdersAPIStore interface {
	ImportOrder(ctx context.Context, req orders.OrderRequest) (orders.ImportResult, error)
	ImportNDJSON(ctx context.Context, r io.Reader, cache bool, emit func(line int, res orders.ImportResult) error) (orders.BatchSummary, error)
	AddOrderEvent(ctx context.Context, shopPublicID, orderID string, ev orders.OrderEvent) (orders.OrderView, error)
	OrderByExternalID(ctx context.Context, shopPublicID, orderID string) (orders.OrderView, error)
	AuthenticateAPIToken(ctx context.Context, secret string, now time.Time) (orders.APIToken, error)
}

// OrdersAPI is the marketplace's order feed: JSON over HTTP behind bearer
// tokens, never a session or a CSRF token.
type OrdersAPI struct {
	kit   Kit
	store OrdersAPIStore
}

// NewOrdersAPI builds the order API handlers.
func NewOrdersAPI(kit Kit, store OrdersAPIStore) *OrdersAPI {
	return &OrdersAPI{kit: kit, store: store}
}

const apiTokenKey = "portal.api_token"

// RequireToken lets a request through only with a valid, unrevoked bearer
// token: 401 otherwise.
func (h *OrdersAPI) RequireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		auth := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, secret, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			return h.unauthorized(c)
		}
		tok, err := h.store.AuthenticateAPIToken(ctx(c), strings.TrimSpace(secret), h.kit.Now())
		if errors.Is(err, orders.ErrBadToken) {
			return h.unauthorized(c)
		}
		if err != nil {
			return apiFailure(c, err)
		}
		c.Set(apiTokenKey, tok)
		return next(c)
	}
}

func (h *OrdersAPI) unauthorized(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="orders"`)
	return c.JSON(http.StatusUnauthorized, apiErrorJSON{Error: "unauthorized", Reason: orders.ErrBadToken.Error()})
}

// NotFound answers unknown API paths (behind the token check) in JSON.
func (h *OrdersAPI) NotFound(c echo.Context) error {
	return c.JSON(http.StatusNotFound, apiErrorJSON{Error: "not_found", Reason: "no such API endpoint"})
}

type apiErrorJSON struct {
	Error  string                `json:"error"`
	Field  string                `json:"field,omitempty"`
	Reason string                `json:"reason,omitempty"`
	Errors []orders.FieldProblem `json:"errors,omitempty"`
}

// readBody reads at most MaxOrderBody bytes; a larger body is refused
// before it is parsed.
func readBody(c echo.Context) ([]byte, error) {
	r := c.Request()
	if r.ContentLength > orders.MaxOrderBody {
		return nil, tooLarge()
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, orders.MaxOrderBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > orders.MaxOrderBody {
		return nil, tooLarge()
	}
	return b, nil
}

func tooLarge() error {
	return &orders.RequestError{Problems: []orders.FieldProblem{{Field: "body", Reason: "larger than 1 MB (1,048,576 bytes)"}}}
}

// apiFailure maps an error to its status and a JSON body, in one place for
// the API.
func apiFailure(c echo.Context, err error) error {
	var rerr *orders.RequestError
	var ev *orders.EventError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &rerr):
		body := apiErrorJSON{Error: "invalid", Errors: rerr.Problems}
		if len(rerr.Problems) > 0 {
			body.Field, body.Reason = rerr.Problems[0].Field, rerr.Problems[0].Reason
		}
		return c.JSON(http.StatusUnprocessableEntity, body)
	case errors.As(err, &ev):
		return c.JSON(http.StatusConflict, apiErrorJSON{Error: "conflict", Reason: ev.Reason})
	case errors.As(err, &conflict):
		return c.JSON(http.StatusConflict, apiErrorJSON{Error: "conflict", Reason: conflict.Message})
	case errors.Is(err, models.ErrNotFound):
		return c.JSON(http.StatusNotFound, apiErrorJSON{Error: "not_found", Reason: "no such order in this shop"})
	}
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	NoteError(c, err) // logged once, on the request's line
	return c.JSON(http.StatusInternalServerError, apiErrorJSON{Error: "internal", Reason: "the portal hit a problem and stored nothing; request id " + reqID})
}

// CreateOrder imports one order: 201 when stored, 200 for a replay of the
// same body, 409 for the same order id with another body, 422 when
// refused (nothing stored).
func (h *OrdersAPI) CreateOrder(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return apiFailure(c, err)
	}
	req, err := orders.ParseOrderRequest(body)
	if err != nil {
		return apiFailure(c, err)
	}
	res, err := h.store.ImportOrder(ctx(c), req)
	if err != nil {
		return apiFailure(c, err)
	}
	status, out := ImportResultJSON(res)
	return c.JSON(status, out)
}

// AddEvent records completed, cancelled or returned for an order.
func (h *OrdersAPI) AddEvent(c echo.Context) error {
	orderID, err := url.PathUnescape(c.Param("order_id"))
	if err != nil {
		return apiFailure(c, models.ErrNotFound)
	}
	body, err := readBody(c)
	if err != nil {
		return apiFailure(c, err)
	}
	req, err := orders.ParseEventRequest(body)
	if err != nil {
		return apiFailure(c, err)
	}
	v, err := h.store.AddOrderEvent(ctx(c), req.ShopID, orderID, req.Event)
	if err != nil {
		return apiFailure(c, err)
	}
	return c.JSON(http.StatusOK, SettlementJSON(v))
}

// Settlement answers an order's whole breakdown.
func (h *OrdersAPI) Settlement(c echo.Context) error {
	orderID, err := url.PathUnescape(c.Param("order_id"))
	if err != nil {
		return apiFailure(c, models.ErrNotFound)
	}
	shop := c.QueryParam("shop_id")
	if shop == "" {
		return apiFailure(c, &orders.RequestError{Problems: []orders.FieldProblem{{Field: "shop_id", Reason: "required (query parameter)"}}})
	}
	v, err := h.store.OrderByExternalID(ctx(c), shop, orderID)
	if err != nil {
		return apiFailure(c, err)
	}
	return c.JSON(http.StatusOK, SettlementJSON(v))
}

// Batch imports NDJSON, one order a line, with the same rules and results
// as one at a time; it answers one NDJSON result line per order, streamed.
func (h *OrdersAPI) Batch(c echo.Context) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	enc := newNDJSONWriter(w)
	body := io.LimitReader(c.Request().Body, orders.MaxBatchBody)
	_, err := h.store.ImportNDJSON(ctx(c), body, true, func(line int, res orders.ImportResult) error {
		return enc.write(BatchResultJSON(line, res))
	})
	if err != nil {
		reqID := w.Header().Get(echo.HeaderXRequestID)
		NoteError(c, fmt.Errorf("batch import stopped: %w", err))
		_ = enc.write(map[string]any{"error": "internal", "reason": "the batch stopped here; lines after this one were not imported; request id " + reqID})
	}
	enc.flush()
	return nil
}
