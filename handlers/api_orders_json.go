package handlers

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// The order API's JSON: every amount a string with two decimals, rates as
// written, times in RFC 3339 (UTC).

type lineCampaignJSON struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Rate          string `json:"rate"`
	RefundPolicy  string `json:"refund_policy"`
	CampaignPrice string `json:"campaign_price"`
}

type lineJSON struct {
	SKU              string            `json:"sku_id"`
	Quantity         int               `json:"quantity"`
	UnitPrice        string            `json:"unit_price"`
	SellerDiscount   string            `json:"seller_discount"`
	Value            string            `json:"value"`
	Returned         int               `json:"returned"`
	Campaign         *lineCampaignJSON `json:"campaign"`
	NotCampaign      string            `json:"not_campaign_reason,omitempty"`
	NotCampaignAt    *string           `json:"not_campaign_at,omitempty"`
	NotCampaignLabel string            `json:"not_campaign_label,omitempty"`
}

type feeJSON struct {
	Charged      string `json:"charged"`
	AtCompletion string `json:"at_completion"`
	Exact        string `json:"exact"`
	ShippingRate string `json:"shipping_rate"`
	ShippingPart string `json:"shipping_part"`
	Campaigns    int    `json:"campaigns"`
	FullRefund   bool   `json:"refundable_in_full"`
}

type couponJSON struct {
	ID               int64   `json:"coupon_id"`
	Code             string  `json:"code"`
	CampaignID       int64   `json:"campaign_id"`
	Status           string  `json:"status"`
	Applied          bool    `json:"applied"`
	Type             string  `json:"type"`
	Value            string  `json:"value"`
	MinPurchase      string  `json:"min_purchase"`
	Cap              *string `json:"cap"`
	SellerSharePct   string  `json:"seller_share_pct"`
	MaxSellerFunding *string `json:"max_seller_funding"`
	EligibleSubtotal string  `json:"eligible_subtotal"`
	Discount         string  `json:"discount"`
	SellerShare      string  `json:"seller_share"`
	PlatformShare    string  `json:"platform_share"`
}

type totalsJSON struct {
	Merchandise   string `json:"merchandise_reversed"`
	Shipping      string `json:"shipping_reversed"`
	FeeRefunded   string `json:"fee_refunded"`
	Discount      string `json:"discount_reversed"`
	SellerShare   string `json:"seller_share_reversed"`
	PlatformShare string `json:"platform_share_reversed"`
	Payout        string `json:"payout"`
}

type reversedLineJSON struct {
	SKU      string `json:"sku_id"`
	Quantity int    `json:"quantity"`
	Value    string `json:"value"`
}

type returnJSON struct {
	Kind            string             `json:"kind"`
	At              string             `json:"at"`
	Lines           []reversedLineJSON `json:"lines"`
	CompletesOrder  bool               `json:"completes_order"`
	CompletesCoupon bool               `json:"completes_coupon"`
	Merchandise     string             `json:"merchandise"`
	Shipping        string             `json:"shipping"`
	FeeRefunded     string             `json:"fee_refunded"`
	Discount        string             `json:"discount"`
	SellerShare     string             `json:"seller_share"`
	PlatformShare   string             `json:"platform_share"`
	After           totalsJSON         `json:"after"`
}

// SettlementJSONBody is the whole breakdown of an order.
type SettlementJSONBody struct {
	OrderID     string       `json:"order_id"`
	ShopID      string       `json:"shop_id"`
	Status      string       `json:"status"`
	PlacedAt    string       `json:"placed_at"`
	CompletedAt *string      `json:"completed_at"`
	CancelledAt *string      `json:"cancelled_at"`
	Lines       []lineJSON   `json:"lines"`
	Merchandise string       `json:"merchandise"`
	Shipping    string       `json:"shipping"`
	Fee         string       `json:"fee"`
	FeeRefunded string       `json:"fee_refunded"`
	FeeDetail   feeJSON      `json:"fee_detail"`
	Coupon      *couponJSON  `json:"coupon"`
	Returns     []returnJSON `json:"returns"`
	Reversed    totalsJSON   `json:"reversed"`
	Payout      string       `json:"payout"`
}

func money(d decimal.Decimal) string { return d.StringFixed(2) }

func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func instantPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := instant(*t)
	return &s
}

func totalsOf(t orders.Totals) totalsJSON {
	return totalsJSON{Merchandise: money(t.Merchandise), Shipping: money(t.Shipping), FeeRefunded: money(t.FeeRefunded),
		Discount: money(t.Discount), SellerShare: money(t.SellerShare), PlatformShare: money(t.PlatformShare), Payout: money(t.Payout)}
}

// SettlementJSON maps an order's settlement to the API's JSON.
func SettlementJSON(v orders.OrderView) SettlementJSONBody {
	s := v.Settlement
	out := SettlementJSONBody{OrderID: v.OrderID, ShopID: v.ShopPublicID, Status: string(s.Status), PlacedAt: instant(s.PlacedAt),
		CompletedAt: instantPtr(s.CompletedAt), CancelledAt: instantPtr(s.CancelledAt), Lines: []lineJSON{},
		Merchandise: money(s.Merchandise), Shipping: money(s.Shipping), Fee: money(s.Fee), FeeRefunded: money(s.Reversed.FeeRefunded),
		FeeDetail: feeJSON{Charged: money(s.Fee), AtCompletion: money(s.FeeAtCompletion), Exact: s.FeeExact.String(),
			ShippingRate: s.ShippingRate.String(), ShippingPart: s.ShippingFeePart.String(), Campaigns: len(s.CampaignIDs), FullRefund: s.FeeFullRefund},
		Returns: []returnJSON{}, Reversed: totalsOf(s.Reversed), Payout: money(s.Payout())}
	for _, l := range s.Lines {
		lj := lineJSON{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: money(l.UnitPrice), SellerDiscount: money(l.SellerDiscount),
			Value: money(l.Value), Returned: l.Returned}
		if c := l.Campaign; c.IsCampaign() {
			lj.Campaign = &lineCampaignJSON{ID: c.CampaignID, Name: c.CampaignName, Rate: c.Rate.String(), RefundPolicy: string(c.Policy),
				CampaignPrice: money(c.CampaignPrice)}
		} else {
			lj.NotCampaign, lj.NotCampaignAt, lj.NotCampaignLabel = string(c.Reason), instantPtr(c.ReasonAt), c.ReasonText()
		}
		out.Lines = append(out.Lines, lj)
	}
	if c := s.Coupon; c != nil {
		// A fixed coupon's value is an amount (two decimals); a
		// percentage's is a rate, as written.
		value := c.Value.String()
		if c.Type == models.CouponFixed {
			value = money(c.Value)
		}
		out.Coupon = &couponJSON{ID: c.ID, Code: c.Code, CampaignID: c.CampaignID, Status: string(c.Status),
			Applied: c.Status == orders.CouponApplied, Type: string(c.Type), Value: value, MinPurchase: money(c.MinPurchase),
			Cap: c.Cap, SellerSharePct: c.SellerSharePct.String(), MaxSellerFunding: c.MaxSellerFunding,
			EligibleSubtotal: money(c.EligibleSubtotal), Discount: money(c.Discount), SellerShare: money(c.SellerShare),
			PlatformShare: money(c.PlatformShare)}
	}
	for _, r := range s.Reversals {
		rj := returnJSON{Kind: string(r.Kind), At: instant(r.At), Lines: []reversedLineJSON{}, CompletesOrder: r.CompletesOrder,
			CompletesCoupon: r.CompletesCoupon, Merchandise: money(r.Merchandise), Shipping: money(r.Shipping),
			FeeRefunded: money(r.FeeRefunded), Discount: money(r.Discount), SellerShare: money(r.SellerShare),
			PlatformShare: money(r.PlatformShare), After: totalsOf(r.After)}
		for _, l := range r.Lines {
			rj.Lines = append(rj.Lines, reversedLineJSON{SKU: l.SKU, Quantity: l.Quantity, Value: money(l.Value)})
		}
		out.Returns = append(out.Returns, rj)
	}
	return out
}

// ImportResultJSON is the status and body answering one imported order.
func ImportResultJSON(res orders.ImportResult) (int, any) {
	switch res.Outcome {
	case orders.ImportCreated:
		return http.StatusCreated, SettlementJSON(*res.Order)
	case orders.ImportReplayed:
		return http.StatusOK, SettlementJSON(*res.Order)
	case orders.ImportConflict:
		return http.StatusConflict, apiErrorJSON{Error: "conflict", Field: "order_id", Reason: res.Reason}
	}
	body := apiErrorJSON{Error: "invalid", Errors: res.Problems}
	if len(res.Problems) > 0 {
		body.Field, body.Reason = res.Problems[0].Field, res.Problems[0].Reason
	}
	return http.StatusUnprocessableEntity, body
}

// BatchResult is one NDJSON result line of a batch: the status the order
// would have had alone, and the same body.
type BatchResult struct {
	Line    int    `json:"line"`
	OrderID string `json:"order_id,omitempty"`
	ShopID  string `json:"shop_id,omitempty"`
	Status  int    `json:"status"`
	Outcome string `json:"outcome"`
	Body    any    `json:"body"`
}

// BatchResultJSON maps one batch result.
func BatchResultJSON(line int, res orders.ImportResult) BatchResult {
	status, body := ImportResultJSON(res)
	return BatchResult{Line: line, OrderID: res.OrderID, ShopID: res.ShopID, Status: status, Outcome: string(res.Outcome), Body: body}
}

// ndjsonWriter writes one JSON value a line, flushing now and then so a
// long batch streams.
type ndjsonWriter struct {
	w   *bufio.Writer
	f   http.Flusher
	enc *json.Encoder
	n   int
}

func newNDJSONWriter(w io.Writer) *ndjsonWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	f, _ := w.(http.Flusher)
	return &ndjsonWriter{w: bw, f: f, enc: json.NewEncoder(bw)}
}

// NewNDJSONWriter is the writer the CLI's import uses for its results.
func NewNDJSONWriter(w io.Writer) interface {
	Write(v any) error
	Flush()
} {
	return ndjsonAdapter{newNDJSONWriter(w)}
}

type ndjsonAdapter struct{ *ndjsonWriter }

func (a ndjsonAdapter) Write(v any) error { return a.write(v) }
func (a ndjsonAdapter) Flush()            { a.flush() }

func (n *ndjsonWriter) write(v any) error {
	if err := n.enc.Encode(v); err != nil {
		return err
	}
	n.n++
	if n.n%1000 == 0 {
		n.flush()
	}
	return nil
}

func (n *ndjsonWriter) flush() {
	_ = n.w.Flush()
	if n.f != nil {
		n.f.Flush()
	}
}
