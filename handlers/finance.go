package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/orders"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// FinanceStore reads a shop's settled orders.
type FinanceStore interface {
	SettledRecords(ctx context.Context, shopID int64, f orders.SettledFilter, after *orders.SettledCursor, limit int) ([]orders.SettledRow, *orders.SettledCursor, error)
	SettledTotals(ctx context.Context, shopID int64, f orders.SettledFilter) (orders.TotalsAmounts, error)
	SettledCampaigns(ctx context.Context, shopID int64) ([]orders.CampaignOption, error)
	SubCampaignOptions(ctx context.Context, shopID, campaignID int64) ([]orders.CampaignOption, error)
	EachSettledRecord(ctx context.Context, shopID int64, f orders.SettledFilter, fn func(orders.SettledRow) error) error
	SellerOrder(ctx context.Context, shopID, id int64) (orders.OrderView, error)
	RegistrationCampaign(ctx context.Context, shopID, regID int64) (orders.CampaignOption, error)
}

// Finance is Finance > Settled records and the order details page.
type Finance struct {
	Kit
	store FinanceStore
}

// NewFinance builds the finance area.
func NewFinance(k Kit, store FinanceStore) *Finance { return &Finance{Kit: k, store: store} }

const settledPerPage = 50

// parseSettledFilter reads the filter from the query; a bad value is a
// field error and the filter is left out.
func parseSettledFilter(c echo.Context) (orders.SettledFilter, routes.SettledFilter, map[string]string) {
	var f orders.SettledFilter
	var u routes.SettledFilter
	var errs map[string]string
	f.From, f.To, errs = parseDayRange(c)
	if !f.From.IsZero() {
		u.From = f.From.Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		u.To = f.To.Format(time.DateOnly)
	}
	if s := c.QueryParam("campaign"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.CampaignID, u.CampaignID = id, id
		}
	}
	if s := c.QueryParam("sub"); s != "" && f.CampaignID != 0 {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.SubCampaignID, u.SubCampaignID = id, id
		}
	}
	if s := orders.OrderStatus(c.QueryParam("status")); s != "" {
		for _, known := range orders.OrderStatuses {
			if s == known {
				f.Status, u.Status = s, string(s)
			}
		}
	}
	return f, u, errs
}

// campaignZone lists the shop's campaigns with orders and frames the
// filter's dates in its campaign's timezone (a campaign's days are the
// campaign's). A campaign filter must be one of those (the list offers
// nothing else): any other id, a draft's included, is not found.
func (h *Finance) campaignZone(c echo.Context, shopID int64, f *orders.SettledFilter) ([]orders.CampaignOption, error) {
	camps, err := h.store.SettledCampaigns(ctx(c), shopID)
	if err != nil {
		return nil, err
	}
	known := f.CampaignID == 0
	for _, cp := range camps {
		if cp.ID == f.CampaignID {
			f.Location, known = cp.Location(), true
		}
	}
	if !known {
		return nil, models.ErrNotFound
	}
	return camps, nil
}

// subCampaigns lists the filtered campaign's sub-campaigns and drops a
// sub-campaign filter that is not one of them.
func (h *Finance) subCampaigns(c echo.Context, shopID int64, f *orders.SettledFilter, u *routes.SettledFilter) ([]orders.CampaignOption, error) {
	if f.CampaignID == 0 {
		return nil, nil
	}
	subs, err := h.store.SubCampaignOptions(ctx(c), shopID, f.CampaignID)
	if err != nil {
		return nil, err
	}
	known := false
	for _, sc := range subs {
		known = known || sc.ID == f.SubCampaignID
	}
	if !known {
		f.SubCampaignID, u.SubCampaignID = 0, 0
	}
	return subs, nil
}

// SettledRecords lists the shop's orders, newest first, a page at a time.
func (h *Finance) SettledRecords(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	f, u, errs := parseSettledFilter(c)
	var after *orders.SettledCursor
	if s := c.QueryParam("after"); s != "" {
		if cur, ok := orders.ParseSettledCursor(s); ok {
			after = &cur
		}
	}
	camps, err := h.campaignZone(c, shop.ID, &f)
	if err != nil {
		return err
	}
	subs, err := h.subCampaigns(c, shop.ID, &f, &u)
	if err != nil {
		return err
	}
	rows, next, err := h.store.SettledRecords(ctx(c), shop.ID, f, after, settledPerPage)
	if err != nil {
		return err
	}
	totals, err := h.store.SettledTotals(ctx(c), shop.ID, f)
	if err != nil {
		return err
	}
	d := views.SettledRecords{From: u.From, To: u.To, Errors: errs, Totals: totalsView(totals), Zone: zoneName(f.Location),
		CSVURL: routes.SettledRecordsExport(u, "csv"), XLSXURL: routes.SettledRecordsExport(u, "xlsx"),
		Filtered: u != routes.SettledFilter{}}
	for _, cp := range camps {
		d.Campaigns = append(d.Campaigns, views.Option{Value: strconv.FormatInt(cp.ID, 10), Label: cp.Name, Selected: cp.ID == f.CampaignID})
	}
	for _, st := range orders.OrderStatuses {
		d.Statuses = append(d.Statuses, views.Option{Value: string(st), Label: orders.OrderStatusLabel(st), Selected: st == f.Status})
	}
	for _, sc := range subs {
		d.SubCampaigns = append(d.SubCampaigns, views.Option{Value: strconv.FormatInt(sc.ID, 10), Label: sc.Name, Selected: sc.ID == f.SubCampaignID})
	}
	for _, r := range rows {
		a := r.Amounts
		d.Rows = append(d.Rows, views.SettledRow{URL: routes.FinanceOrder(r.ID), OrderID: r.OrderID,
			PlacedAt: r.PlacedAt.In(zone(f.Location)).Format("Jan 2, 2006 15:04"), PlacedISO: views.ISO(r.PlacedAt),
			Status: orders.OrderStatusLabel(r.Status), StatusClass: statusClass(r.Status), Merchandise: views.Money(a.Merchandise),
			Returned: views.Money(a.Reversed), Fee: views.Money(a.Fee), FeeRefunded: views.Money(a.FeeRefunded),
			SellerShare: views.Money(a.SellerShare), PlatformShare: views.Money(a.PlatformShare), Payout: views.Money(a.Payout),
			PayoutNegative: a.Payout.IsNegative()})
	}
	if next != nil {
		d.NextURL = routes.SettledRecordsPage(u, next.String())
	}
	if after != nil {
		d.FirstURL = routes.SettledRecordsPage(u, "")
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return Render(c, status, views.SettledRecordsPage(h.Page(c, "Settled records", views.NavFinance), d))
}

func totalsView(t orders.TotalsAmounts) views.SettledTotals {
	return views.SettledTotals{Orders: strconv.FormatInt(t.Orders, 10), Merchandise: views.Money(t.Merchandise), Sales: views.Money(t.Sales()),
		Returned: views.Money(t.Reversed), Fee: views.Money(t.Fee), FeeRefunded: views.Money(t.FeeRefunded),
		SellerShare: views.Money(t.SellerShare), PlatformShare: views.Money(t.PlatformShare), Payout: views.Money(t.Payout),
		PayoutNegative: t.Payout.IsNegative()}
}

func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// zoneName names a timezone as the pages show it.
func zoneName(loc *time.Location) string { return zone(loc).String() }

func statusClass(s orders.OrderStatus) string {
	switch s {
	case orders.OrderCompleted:
		return "badge-ok"
	case orders.OrderPartiallyReturned:
		return "badge-warn"
	case orders.OrderReturned, orders.OrderCancelled:
		return "badge-muted"
	}
	return "badge-info"
}

// Order shows one order's whole calculation.
func (h *Finance) Order(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	v, err := h.store.SellerOrder(ctx(c), shop.ID, id)
	if err != nil {
		return err
	}
	back := routes.SettledRecords
	if ref := c.Request().Referer(); strings.Contains(ref, routes.SettledRecords) {
		if i := strings.Index(ref, routes.SettledRecords); i >= 0 {
			back = ref[i:]
		}
	}
	return Render(c, http.StatusOK, views.OrderDetailsPage(h.Page(c, "Order "+v.OrderID, views.NavFinance), orderDetails(v, back)))
}

func ratePct(r decimal.Decimal) string { return views.Percent(models.PercentOf(r)) }

func utc(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04:05 UTC") }

func policyWords(p models.FeeRefundPolicy) string {
	if p == models.RefundInFull {
		return "refunded in full on cancellations and returns"
	}
	return "not refunded once charged"
}

// orderDetails maps an order's settlement to its page: every figure comes
// from the engine; this only writes it out.
func orderDetails(v orders.OrderView, back string) views.OrderDetails {
	s := v.Settlement
	d := views.OrderDetails{BackURL: back, OrderID: v.OrderID, Status: orders.OrderStatusLabel(s.Status), StatusClass: statusClass(s.Status),
		Merchandise: views.Money(s.Merchandise), Shipping: views.Money(s.Shipping), Fee: views.Money(s.Fee),
		FeeAtCompleted: views.Money(s.FeeAtCompletion), FeeExact: "$" + s.FeeExact.String(), Payout: views.Money(s.Payout()),
		PayoutNegative: s.Payout().IsNegative()}
	d.Timeline = append(d.Timeline, views.TimelineEntry{What: "Placed", When: utc(s.PlacedAt)})
	for _, ev := range v.Events {
		d.Timeline = append(d.Timeline, views.TimelineEntry{What: strings.ToUpper(string(ev.Kind[:1])) + string(ev.Kind[1:]), When: utc(ev.At)})
	}
	names := map[int64]string{}
	for i, l := range s.Lines {
		dl := views.OrderDetailLine{SKU: l.SKU, Quantity: strconv.Itoa(l.Quantity), UnitPrice: views.Money(l.UnitPrice),
			SellerDiscount: views.Money(l.SellerDiscount), Value: views.Money(l.Value), Returned: strconv.Itoa(l.Returned)}
		if i < len(v.Titles) {
			dl.Title = v.Titles[i]
		}
		if c := l.Campaign; c.IsCampaign() {
			dl.Campaign = c.CampaignName
			dl.CampaignInfo = fmt.Sprintf("fee rate %s, %s; campaign price %s", ratePct(c.Rate), policyWords(c.Policy), views.Money(c.CampaignPrice))
			if _, seen := names[c.CampaignID]; !seen {
				names[c.CampaignID] = c.CampaignName
				d.Campaigns = append(d.Campaigns, c.CampaignName)
			}
			d.FeeTerms = append(d.FeeTerms, fmt.Sprintf("%s × %s (%s)", ratePct(c.Rate), views.Money(l.Value), l.SKU))
		} else {
			dl.NotCampaign = strings.ToLower(c.ReasonText()[:1]) + c.ReasonText()[1:]
		}
		d.Lines = append(d.Lines, dl)
	}
	if len(d.FeeTerms) > 0 {
		d.FeeTerms = append(d.FeeTerms, fmt.Sprintf("%s × %s shipping (the highest rate of the order's campaigns)", ratePct(s.ShippingRate), views.Money(s.Shipping)))
	}
	switch s.Status {
	case orders.OrderPlaced:
		d.FeeNotes = append(d.FeeNotes, "The order is not completed yet: this is the fee it will settle at.")
	case orders.OrderCancelled:
		d.FeeNotes = append(d.FeeNotes, "Cancelled before completion: no fee is charged.")
	}
	if len(d.FeeTerms) > 0 && s.Status != orders.OrderCancelled {
		if s.FeeFullRefund {
			d.FeeNotes = append(d.FeeNotes, "Returns refund each returned line's part of the fee; the return that completes the order also brings back the shipping part, so a whole return refunds the whole fee.")
		} else {
			d.FeeNotes = append(d.FeeNotes, "Returned lines follow their own campaign's policy; the shipping part is refunded only when every campaign of the order refunds in full.")
		}
	}
	if c := s.Coupon; c != nil {
		d.Coupon = couponDetails(c)
	}
	for _, r := range s.Reversals {
		rv := views.OrderReversal{At: utc(r.At), Merchandise: views.Money(r.Merchandise), Shipping: views.Money(r.Shipping),
			FeeRefunded: views.Money(r.FeeRefunded), Discount: views.Money(r.Discount), Seller: views.Money(r.SellerShare),
			Platform: views.Money(r.PlatformShare), PayoutAfter: views.Money(r.After.Payout)}
		if r.Kind == orders.OrderEventCancelled {
			rv.Title = "Cancelled"
			rv.Notes = append(rv.Notes, "Everything is given back and no fee is charged; the coupon split is reversed.")
		} else {
			rv.Title = "Returned"
			for _, l := range r.Lines {
				rv.Lines = append(rv.Lines, fmt.Sprintf("%d × %s: %s", l.Quantity, l.SKU, views.Money(l.Value)))
			}
			if r.CompletesOrder {
				rv.Notes = append(rv.Notes, "Completes the return: reverses exactly what was left.")
			} else if r.CompletesCoupon {
				rv.Notes = append(rv.Notes, "Every line of the coupon's campaign is back: the coupon reverses exactly what was left.")
			}
		}
		d.Reversals = append(d.Reversals, rv)
	}
	t := s.Reversed
	d.Reversed = views.ReversedTotals{Merchandise: views.Money(t.Merchandise), Shipping: views.Money(t.Shipping),
		FeeRefunded: views.Money(t.FeeRefunded), Discount: views.Money(t.Discount), Seller: views.Money(t.SellerShare),
		Platform: views.Money(t.PlatformShare)}
	d.PayoutTerms = []string{"merchandise " + views.Money(s.Merchandise), "+ shipping " + views.Money(s.Shipping), "− fee " + views.Money(s.Fee),
		"− your coupon share " + views.Money(s.SellerShare())}
	if len(s.Reversals) > 0 {
		d.PayoutTerms = append(d.PayoutTerms, "− merchandise back "+views.Money(t.Merchandise), "− shipping back "+views.Money(t.Shipping),
			"+ fee refunded "+views.Money(t.FeeRefunded), "+ your share back "+views.Money(t.SellerShare))
	}
	return d
}

func couponDetails(c *orders.CouponSettlement) *views.OrderCoupon {
	oc := &views.OrderCoupon{Code: c.Code, Applied: c.Status == orders.CouponApplied, Eligible: views.Money(c.EligibleSubtotal),
		Discount: views.Money(c.Discount), Seller: views.Money(c.SellerShare), Platform: views.Money(c.PlatformShare)}
	switch c.Status {
	case orders.CouponApplied:
		oc.Status = "Applied"
	case orders.CouponNotApplicable:
		oc.Status = "Not applied: no line of the order was in the coupon's campaign"
	case orders.CouponBelowMinPurchase:
		oc.Status = "Not applied: the eligible subtotal is below the minimum purchase"
	case orders.CouponExhausted:
		oc.Status = "Not applied: none of this coupon was left"
	case orders.CouponNothingToDiscount:
		oc.Status = "Not applied: the eligible subtotal is $0.00, so there was nothing to take off"
	}
	minText := ""
	if c.MinPurchase.IsPositive() {
		minText = " on orders of " + views.Money(c.MinPurchase) + " or more"
	}
	if c.Type == models.CouponPercent {
		oc.Terms = views.Percent(c.Value) + " off" + minText
		if c.Cap != nil {
			oc.Terms += ", capped at $" + *c.Cap
		}
		oc.DiscountHow = fmt.Sprintf("= %s × %s", views.Percent(c.Value), oc.Eligible)
		if c.Cap != nil {
			oc.DiscountHow += ", at most $" + *c.Cap
		}
	} else {
		oc.Terms = views.Money(c.Value) + " off" + minText
		oc.DiscountHow = "= the coupon's value, never more than the eligible subtotal"
	}
	oc.Ratio = fmt.Sprintf("you pay %s, the platform %s", views.Percent(c.SellerSharePct), views.Percent(c.PlatformSharePct()))
	if c.MaxSellerFunding != nil {
		oc.MaxFunding = "$" + *c.MaxSellerFunding
	}
	oc.SellerHow = fmt.Sprintf("= %s × %s, rounded half up", views.Percent(c.SellerSharePct), oc.Discount)
	if c.MaxSellerFunding != nil {
		oc.SellerHow += ", at most $" + *c.MaxSellerFunding
	}
	oc.PlatformHow = "= the discount − your share"
	return oc
}

// CampaignMoney is the Manage page's fragment with the campaign's fee and
// coupon totals so far, linking to the settled records filtered to it.
func (h *Finance) CampaignMoney(c echo.Context) error {
	shop, err := mustShop(c)
	if err != nil {
		return err
	}
	regID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	cp, err := h.store.RegistrationCampaign(ctx(c), shop.ID, regID)
	if err != nil {
		return err
	}
	t, err := h.store.SettledTotals(ctx(c), shop.ID, orders.SettledFilter{CampaignID: cp.ID})
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.CampaignMoneyFragment(views.CampaignMoney{Orders: strconv.FormatInt(t.Orders, 10),
		Fee: views.Money(t.Fee), FeeRefunded: views.Money(t.FeeRefunded), SellerShare: views.Money(t.SellerShare),
		PlatformShare: views.Money(t.PlatformShare), Payout: views.Money(t.Payout), RecordsURL: routes.SettledRecordsForCampaign(cp.ID)}))
}
