package orders

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
)

// MaxOrderBody is the largest order (or event) body the API reads.
const MaxOrderBody = 1 << 20

// MaxOrderLines caps the lines of one order.
const MaxOrderLines = 500

// FieldProblem is one refused field of a request, named by its JSON path.
type FieldProblem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// RequestError refuses a request before anything is stored (422).
type RequestError struct{ Problems []FieldProblem }

func (e *RequestError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Reason
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

func (e *RequestError) add(field, reason string) {
	e.Problems = append(e.Problems, FieldProblem{Field: field, Reason: reason})
}

func (e *RequestError) orNil() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// OrderLineRequest is one line of an imported order.
type OrderLineRequest struct {
	SKU            string
	Quantity       int
	UnitPrice      decimal.Decimal
	SellerDiscount decimal.Decimal
}

// OrderRequest is an order as the marketplace sends it, checked.
type OrderRequest struct {
	OrderID      string
	ShopID       string // the shop's public id
	PlacedAt     time.Time
	Lines        []OrderLineRequest
	ShippingPaid decimal.Decimal
	CouponID     int64 // 0: none
	// Hash identifies the body as parsed JSON (keys sorted, amounts as
	// written): a replay has the same hash.
	Hash [32]byte
}

// isAmount: 0 or 1 to 10 digits without a leading zero, then optionally
// a point and one or two digits (numeric(12,2)); written out by hand, as a
// regexp costs a microsecond an amount on a million orders.
func isAmount(s string) bool {
	i, n := 0, len(s)
	for i < n && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 10 || (i > 1 && s[0] == '0') {
		return false
	}
	if i == n {
		return true
	}
	if s[i] != '.' || n-i-1 < 1 || n-i-1 > 2 {
		return false
	}
	for j := i + 1; j < n; j++ {
		if s[j] < '0' || s[j] > '9' {
			return false
		}
	}
	return true
}

// isOrderID: 1 to 64 letters, digits or . _ ~ : -
func isOrderID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '~' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// isID: a positive whole number without a leading zero, at most 18 digits.
func isID(s string) bool {
	if len(s) == 0 || len(s) > 18 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseOrderRequest checks an order body. Amounts are JSON strings with at
// most two decimals; anything else, unknown fields included, is refused
// with the field and the reason.
func ParseOrderRequest(body []byte) (OrderRequest, error) {
	var out OrderRequest
	rerr := &RequestError{}
	if len(body) > MaxOrderBody {
		rerr.add("body", fmt.Sprintf("larger than %d bytes", MaxOrderBody))
		return out, rerr
	}
	obj, err := parseJSON(body)
	if err != nil {
		rerr.add("body", "not valid JSON: "+err.Error())
		return out, rerr
	}
	if obj.kind != jObject {
		rerr.add("body", "must be a JSON object")
		return out, rerr
	}
	out.Hash = canonicalHashOf(obj)
	for _, f := range obj.obj {
		switch f.key {
		case "order_id", "shop_id", "placed_at", "lines", "shipping_paid", "coupon_id":
		default:
			rerr.add(f.key, "unknown field")
		}
	}
	out.OrderID = requiredString(rerr, obj, "order_id")
	if out.OrderID != "" && !isOrderID(out.OrderID) {
		rerr.add("order_id", "use 1 to 64 letters, digits or . _ ~ : -")
	}
	out.ShopID = requiredString(rerr, obj, "shop_id")
	if s := requiredString(rerr, obj, "placed_at"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			rerr.add("placed_at", "must be an RFC 3339 time with its offset, such as 2025-11-28T09:30:00-08:00")
		} else if checkDate(rerr, "placed_at", t) {
			out.PlacedAt = t
		}
	}
	out.ShippingPaid = amount(rerr, obj, "shipping_paid", "shipping_paid")
	if c, ok := obj.get("coupon_id"); ok && c.kind != jNull {
		if (c.kind == jString || c.kind == jNumber) && isID(c.str) {
			out.CouponID, _ = strconv.ParseInt(c.str, 10, 64)
		}
		if out.CouponID == 0 {
			rerr.add("coupon_id", "must be a coupon id, such as \"12\"")
		}
	}
	lv, present := obj.get("lines")
	lines := lv.arr
	switch {
	case !present || lv.kind == jNull:
		rerr.add("lines", "required")
	case lv.kind != jArray:
		rerr.add("lines", "must be an array")
	case len(lines) == 0:
		rerr.add("lines", "at least one line")
	case len(lines) > MaxOrderLines:
		rerr.add("lines", fmt.Sprintf("at most %d lines", MaxOrderLines))
	}
	type seenSKU struct {
		sku  string
		line int
	}
	var seenRoom [8]seenSKU
	seen := seenRoom[:0] // a few lines an order: a scan beats a map
	total := decimal.Zero
	if len(lines) <= MaxOrderLines {
		out.Lines = make([]OrderLineRequest, 0, len(lines))
	}
	for i := range lines {
		if len(lines) > MaxOrderLines {
			break
		}
		p := &linePaths[i]
		lo := lines[i]
		if lo.kind != jObject {
			rerr.add(p.line, "must be an object")
			continue
		}
		for _, f := range lo.obj {
			if f.key != "sku_id" && f.key != "quantity" && f.key != "unit_price" && f.key != "seller_discount" {
				rerr.add(p.line+"."+f.key, "unknown field")
			}
		}
		var l OrderLineRequest
		l.SKU = requiredString(rerr, lo, "sku_id", p.sku)
		if l.SKU != "" {
			for _, s := range seen {
				if s.sku == l.SKU {
					rerr.add(p.sku, fmt.Sprintf("SKU %q is already in lines[%d]; list each SKU once", l.SKU, s.line))
					break
				}
			}
			seen = append(seen, seenSKU{l.SKU, i})
		}
		l.Quantity = quantity(rerr, lo, "quantity", p.quantity)
		l.UnitPrice = amount(rerr, lo, "unit_price", p.unitPrice)
		l.SellerDiscount = amount(rerr, lo, "seller_discount", p.sellerDiscount)
		value := l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Quantity)))
		if l.Quantity > 0 && l.SellerDiscount.GreaterThan(value) {
			rerr.add(p.sellerDiscount, "must not be more than quantity × unit_price")
		}
		if value.GreaterThan(models.MaxOrderTotal) {
			rerr.add(p.quantity, "quantity × unit_price is more than "+maxOrderTotalText()+", the most one order may total")
		}
		total = total.Add(value)
		out.Lines = append(out.Lines, l)
	}
	if total.Add(out.ShippingPaid).GreaterThan(models.MaxOrderTotal) && len(rerr.Problems) == 0 {
		rerr.add("lines", "the lines' quantity × unit_price plus shipping_paid come to more than "+maxOrderTotalText()+
			", the most one order may total")
	}
	return out, rerr.orNil()
}

// linePaths are the field paths of each line, for the problems: made once,
// not on every line of a million orders.
var linePaths = func() (out [MaxOrderLines]struct{ line, sku, quantity, unitPrice, sellerDiscount string }) {
	for i := range out {
		p := "lines[" + strconv.Itoa(i) + "]"
		out[i].line, out[i].sku, out[i].quantity = p, p+".sku_id", p+".quantity"
		out[i].unitPrice, out[i].sellerDiscount = p+".unit_price", p+".seller_discount"
	}
	return out
}()

func maxOrderTotalText() string { return models.GroupThousands(models.MaxOrderTotal.StringFixed(2)) }

// checkDate refuses a time outside the dates the portal takes.
func checkDate(rerr *RequestError, field string, t time.Time) bool {
	if models.DateInRange(t) {
		return true
	}
	rerr.add(field, "must be from "+models.EarliestDate.Format("2006-01-02")+" to before "+models.LatestDate.Format("2006-01-02")+" (UTC)")
	return false
}

// EventRequest is an order event as the marketplace sends it.
type EventRequest struct {
	ShopID string
	Event  OrderEvent
}

// ParseEventRequest checks an event body: shop_id, kind, at and, for a
// partial return, lines.
func ParseEventRequest(body []byte) (EventRequest, error) {
	var out EventRequest
	rerr := &RequestError{}
	if len(body) > MaxOrderBody {
		rerr.add("body", fmt.Sprintf("larger than %d bytes", MaxOrderBody))
		return out, rerr
	}
	obj, err := parseJSON(body)
	if err != nil {
		rerr.add("body", "not valid JSON: "+err.Error())
		return out, rerr
	}
	if obj.kind != jObject {
		rerr.add("body", "must be a JSON object")
		return out, rerr
	}
	for _, f := range obj.obj {
		if f.key != "shop_id" && f.key != "kind" && f.key != "at" && f.key != "lines" {
			rerr.add(f.key, "unknown field")
		}
	}
	out.ShopID = requiredString(rerr, obj, "shop_id")
	kind := requiredString(rerr, obj, "kind")
	switch OrderEventKind(kind) {
	case OrderEventCompleted, OrderEventCancelled, OrderEventReturned:
		out.Event.Kind = OrderEventKind(kind)
	case "":
	default:
		rerr.add("kind", "must be completed, cancelled or returned")
	}
	if s := requiredString(rerr, obj, "at"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			rerr.add("at", "must be an RFC 3339 time with its offset")
		} else if checkDate(rerr, "at", t) {
			out.Event.At = t
		}
	}
	if lv, present := obj.get("lines"); present && lv.kind != jNull {
		lines := lv.arr
		if lv.kind != jArray {
			rerr.add("lines", "must be an array")
		} else if out.Event.Kind != "" && out.Event.Kind != OrderEventReturned && len(lines) > 0 {
			rerr.add("lines", "only a return has lines")
		}
		for i, lo := range lines {
			p := fmt.Sprintf("lines[%d]", i)
			if lo.kind != jObject {
				rerr.add(p, "must be an object")
				continue
			}
			for _, f := range lo.obj {
				if f.key != "sku_id" && f.key != "quantity" {
					rerr.add(p+"."+f.key, "unknown field")
				}
			}
			sku := requiredString(rerr, lo, "sku_id", p+".sku_id")
			q, _ := lo.get("quantity")
			n, err := strconv.Atoi(q.str)
			if err != nil || q.kind != jNumber {
				rerr.add(p+".quantity", "must be a whole number")
			}
			// A quantity below 1 is a refused event (409), judged with the order.
			out.Event.Lines = append(out.Event.Lines, ReturnLine{SKU: sku, Quantity: n})
		}
	}
	return out, rerr.orNil()
}

// requiredString reads a non-empty JSON string; path names it in errors
// (the key itself when omitted).
func requiredString(rerr *RequestError, obj jval, key string, path ...string) string {
	p := key
	if len(path) > 0 {
		p = path[0]
	}
	v, ok := obj.get(key)
	if !ok || v.kind == jNull {
		rerr.add(p, "required")
		return ""
	}
	if v.kind != jString {
		rerr.add(p, "must be a string")
		return ""
	}
	s := strings.TrimSpace(v.str)
	if strings.ContainsRune(s, 0) {
		// PostgreSQL cannot store NUL (nor compare with it): no id holds one.
		rerr.add(p, "must not hold a NUL character")
		return ""
	}
	if s == "" {
		rerr.add(p, "must not be empty")
	} else if len(s) > 200 {
		rerr.add(p, "at most 200 characters")
		return ""
	}
	return s
}

// amount reads money: a JSON string with at most two decimals, >= 0.
func amount(rerr *RequestError, obj jval, key, path string) decimal.Decimal {
	v, ok := obj.get(key)
	if !ok || v.kind == jNull {
		rerr.add(path, "required")
		return decimal.Zero
	}
	s := v.str
	if v.kind != jString {
		rerr.add(path, "must be a string amount with at most two decimals, such as \"12.50\"")
		return decimal.Zero
	}
	if !isAmount(s) {
		switch {
		case strings.HasPrefix(s, "-"):
			rerr.add(path, "must not be negative")
		case strings.Contains(s, ".") && len(s)-strings.Index(s, ".")-1 > 2:
			rerr.add(path, "at most two decimals")
		default:
			rerr.add(path, "must be an amount such as \"12.50\"")
		}
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

// quantity reads a whole number >= 1.
func quantity(rerr *RequestError, obj jval, key, path string) int {
	v, ok := obj.get(key)
	if !ok || v.kind == jNull {
		rerr.add(path, "required")
		return 0
	}
	if v.kind != jNumber {
		rerr.add(path, "must be a whole number")
		return 0
	}
	q, err := strconv.Atoi(v.str)
	switch {
	case err != nil:
		rerr.add(path, "must be a whole number")
		return 0
	case q < 1:
		rerr.add(path, "must be at least 1")
		return 0
	case q > models.MaxOrderQuantity:
		rerr.add(path, "at most "+models.GroupThousands(strconv.Itoa(models.MaxOrderQuantity)))
		return 0
	}
	return q
}
