package demo

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// showcase plans one order per case, named after it, in this year's
// Summer Super Sale, Autumn Flash Sale and Singles' Day Deals; extra are
// SKUs in no campaign. They come first in the import, so the coupons they
// need are still there.
func showcase(ctx context.Context, db *gorm.DB, shop models.Shop, plans map[string]salesPlan, extra []demoSKU, anchor time.Time) ([]plannedOrder, error) {
	s, a, sd := plans["summer"], plans["autumn"], plans["singles"]
	skusIn := func(status string) ([]demoSKU, error) {
		var out []demoSKU
		err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, rs.campaign_price AS price FROM registration_skus rs
			JOIN registration_products rp ON rp.id = rs.registration_product_id JOIN registrations r ON r.id = rs.registration_id
			JOIN skus s ON s.id = rs.sku_id WHERE r.campaign_id = ? AND r.shop_id = ? AND rp.status = ? ORDER BY s.id`,
			a.campaignID, shop.ID, status).Scan(&out).Error
		return out, err
	}
	withdrawn, err := skusIn("withdrawn")
	if err != nil {
		return nil, err
	}
	inError, err := skusIn("sku_error")
	if err != nil {
		return nil, err
	}
	if len(withdrawn) == 0 || len(inError) == 0 {
		return nil, errors.New("the Autumn Flash Sale registration has no withdrawn or SKU-error product")
	}
	var out []plannedOrder
	add := func(b orderBody, evs ...demoEvent) { out = append(out, plannedOrder{b, evs}) }
	day := func(t time.Time, d float64) time.Time {
		return t.Add(time.Duration(d * float64(24*time.Hour))).Truncate(time.Second)
	}
	line := func(sku demoSKU, qty int, discount string) orderLine {
		return orderLine{SKU: sku.Code, Quantity: qty, UnitPrice: sku.Price.StringFixed(2), SellerDiscount: discount}
	}
	last := func(l []demoSKU) demoSKU { return l[len(l)-1] }
	aCoupon, sdCoupon, sCoupon := a.coupons[0].ID, sd.coupons[0].ID, s.coupons[0].ID
	add(orderBody{OrderID: "DEMO-PARTIAL-RETURN", PlacedAt: day(a.from, 1.2), Lines: []orderLine{line(a.skus[0], 3, "3.00"), line(last(a.skus), 1, "0.00")},
		Shipping: "4.99", Coupon: aCoupon},
		demoEvent{"completed", day(a.from, 3), nil}, demoEvent{"returned", day(a.from, 6), []orders.ReturnLine{{SKU: a.skus[0].Code, Quantity: 1}}})
	add(orderBody{OrderID: "DEMO-WHOLE-RETURN", PlacedAt: day(a.from, 2.5), Lines: []orderLine{line(a.skus[0], 2, "5.00"), line(extra[0], 1, "0.00")},
		Shipping: "3.50", Coupon: aCoupon},
		demoEvent{"completed", day(a.from, 4), nil}, demoEvent{"returned", day(a.from, 8), nil})
	add(orderBody{OrderID: "DEMO-CANCELLED", PlacedAt: day(a.from, 3.1), Lines: []orderLine{line(last(a.skus), 2, "0.00")}, Shipping: "2.00", Coupon: aCoupon},
		demoEvent{"cancelled", day(a.from, 3.2), nil})
	add(orderBody{OrderID: "DEMO-BELOW-MINIMUM", PlacedAt: day(a.from, 3.6), Lines: []orderLine{line(last(a.skus), 1, "0.00")}, Shipping: "0.00", Coupon: aCoupon},
		demoEvent{"completed", day(a.from, 5), nil})
	add(orderBody{OrderID: "DEMO-TWO-CAMPAIGNS", PlacedAt: day(sd.from, 0.5), Lines: []orderLine{line(a.skus[0], 2, "4.00"), line(sd.skus[0], 1, "0.00"),
		line(extra[1], 1, "0.00")}, Shipping: "6.99", Coupon: aCoupon}, demoEvent{"completed", day(sd.from, 2), nil})
	add(orderBody{OrderID: "DEMO-COUPON-NOT-APPLICABLE", PlacedAt: day(sd.from, 0.7), Lines: []orderLine{line(a.skus[0], 3, "0.00")}, Shipping: "4.00", Coupon: sdCoupon},
		demoEvent{"completed", day(sd.from, 2.5), nil})
	add(orderBody{OrderID: "DEMO-NO-FEE-REFUND", PlacedAt: day(sd.from, 1), Lines: []orderLine{line(sd.skus[0], 2, "0.00")}, Shipping: "0.00"},
		demoEvent{"completed", day(sd.from, 2), nil}, demoEvent{"returned", day(sd.from, 3), nil})
	add(orderBody{OrderID: "DEMO-AFTER-WITHDRAWAL", PlacedAt: day(a.from, 10.5), Lines: []orderLine{line(withdrawn[0], 1, "0.00"), line(a.skus[0], 1, "0.00")},
		Shipping: "3.00"}, demoEvent{"completed", day(a.from, 12), nil})
	add(orderBody{OrderID: "DEMO-SKU-ERROR", PlacedAt: day(a.from, 11), Lines: []orderLine{line(inError[0], 2, "1.00")}, Shipping: "0.00"},
		demoEvent{"completed", day(a.from, 12), nil})
	// Enough units to pass the summer coupon's $50 minimum: only its stock is missing.
	enough := int(decimal.NewFromInt(60).Div(s.skus[0].Price).Ceil().IntPart())
	add(orderBody{OrderID: "DEMO-COUPON-EXHAUSTED", PlacedAt: day(s.from, 4.4), Lines: []orderLine{line(s.skus[0], enough, "0.00")}, Shipping: "0.00", Coupon: sCoupon},
		demoEvent{"completed", day(s.from, 6), nil})
	add(orderBody{OrderID: "DEMO-AFTER-THE-RUN", PlacedAt: day(s.to, 1), Lines: []orderLine{line(s.skus[0], 1, "0.00")}, Shipping: "1.99"},
		demoEvent{"completed", day(s.to, 3), nil})
	// Placed hours before the anchor: not completed yet.
	add(orderBody{OrderID: "DEMO-NOT-COMPLETED", PlacedAt: anchor.Add(-3 * time.Hour), Lines: []orderLine{line(extra[2], 1, "0.00")}, Shipping: "2.50"})
	return out, nil
}
