package routes

import (
	"strings"
)

// The order import API: JSON for the marketplace's order system, behind
// bearer tokens, outside the browser session and CSRF.
const (
	APIPrefix                 = "/api/"
	APIOrders                 = "/api/v1/orders"
	APIOrdersBatchPattern     = `/api/v1/orders\:batch` // echo's escaped colon: the literal path /api/v1/orders:batch
	APIOrdersBatch            = "/api/v1/orders:batch"
	APIOrderEventsPattern     = "/api/v1/orders/:order_id/events"
	APIOrderSettlementPattern = "/api/v1/orders/:order_id/settlement"
)

// IsAPI reports whether a request path belongs to the API: bearer tokens,
// no session, no CSRF. The reference page (/api/docs) is a page of the
// portal, not part of the API.
func IsAPI(path string) bool {
	return (strings.HasPrefix(path, APIPrefix) || path == "/api") && path != APIDocs
}
