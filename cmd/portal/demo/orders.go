package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
)

// Demo orders: Maple & Co's orders across its campaigns' windows, sent
// through the same import code as the API (JSON bodies parsed and imported
// in one batch, events accepted one by one), so the settled records show
// every case: several lines, seller discounts, coupons applied, below the
// minimum, exhausted and not applicable, cancellations, partial and whole
// returns, an order spanning two campaigns, lines placed after a
// withdrawal or during a SKU error, and a campaign that refunds no fees.
//
// Maple's past "Summer Super Sale" registration gets three products and
// Maple registers in "Black Friday & Cyber Monday" (overlapping Cyber
// Week) and the "Holiday Gift Guide" (no fee refunds) through the
// registration store, back-dated, the first time this runs. Some windows
// are still ahead of today: their orders are dated in them. Running it
// again imports the same orders again: replays, nothing doubles.

// OrdersSummary counts what the demo orders command did.
type OrdersSummary struct {
	Created, Replayed, Events int
}

// ErrNoMaple means the demo data is not loaded.
var ErrNoMaple = errors.New("the demo data is not loaded (no Maple & Co): run `portal demo` first")

type demoSKU struct {
	Code   string
	Retail decimal.Decimal
}

type orderPlan struct {
	shopID   string
	campaign string // for the log
	from, to time.Time
	skus     []demoSKU // registered in the campaign
	extra    []demoSKU // not registered: plain lines
	coupon   int64
}

// Orders generates count random demo orders plus one showcase order per
// case, and their events.
func Orders(ctx context.Context, db *gorm.DB, now time.Time, count int) (OrdersSummary, error) {
	var sum OrdersSummary
	store := models.NewStore(db)
	var shop models.Shop
	if err := db.WithContext(ctx).Where("name = ?", "Maple & Co").Take(&shop).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return sum, ErrNoMaple
	} else if err != nil {
		return sum, err
	}
	camp := func(prefix string) (models.Campaign, error) {
		var c models.Campaign
		err := db.WithContext(ctx).Where("slug LIKE ?", prefix+"%").Order("id").Take(&c).Error
		return c, err
	}
	summer, err := camp("summer-super-sale-")
	if err != nil {
		return sum, err
	}
	cyber, err := camp("cyber-week-tech-")
	if err != nil {
		return sum, err
	}
	bfcm, err := camp("bfcm-")
	if err != nil {
		return sum, err
	}
	gifts, err := camp("holiday-gift-guide")
	if err != nil {
		return sum, err
	}
	if err := registerForOrders(ctx, db, shop, summer, bfcm, gifts, now); err != nil {
		return sum, fmt.Errorf("registering Maple for the demo orders: %w", err)
	}
	skusOf := func(c models.Campaign, status string) ([]demoSKU, error) {
		var out []demoSKU
		err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, s.retail_price AS retail FROM registration_skus rs
			JOIN registration_products rp ON rp.id = rs.registration_product_id JOIN registrations r ON r.id = rs.registration_id
			JOIN skus s ON s.id = rs.sku_id WHERE r.campaign_id = ? AND r.shop_id = ? AND rp.status = ? ORDER BY s.id`,
			c.ID, shop.ID, status).Scan(&out).Error
		return out, err
	}
	var plain []demoSKU
	if err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, s.retail_price AS retail FROM skus s WHERE s.shop_id = ?
		AND NOT EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.sku_id = s.id) ORDER BY s.id LIMIT 12`, shop.ID).Scan(&plain).Error; err != nil {
		return sum, err
	}
	couponOf := func(c models.Campaign) (int64, error) {
		var id int64
		err := db.WithContext(ctx).Raw(`SELECT id FROM coupons WHERE campaign_id = ? ORDER BY id LIMIT 1`, c.ID).Scan(&id).Error
		return id, err
	}
	plans := map[string]*orderPlan{}
	for key, c := range map[string]models.Campaign{"summer": summer, "cyber": cyber, "bfcm": bfcm, "gifts": gifts} {
		skus, err := skusOf(c, "registered")
		if err != nil {
			return sum, err
		}
		cp, err := couponOf(c)
		if err != nil {
			return sum, err
		}
		if len(skus) == 0 {
			return sum, fmt.Errorf("maple has no registered SKU in %s", c.Name)
		}
		plans[key] = &orderPlan{shopID: shop.PublicID, campaign: c.Name, from: c.RunStartsAt, to: c.RunEndsAt, skus: skus, extra: plain, coupon: cp}
	}
	withdrawn, err := skusOf(cyber, "withdrawn")
	if err != nil {
		return sum, err
	}
	inError, err := skusOf(cyber, "sku_error")
	if err != nil {
		return sum, err
	}

	rng := rand.New(rand.NewPCG(2026, 8))
	var bodies []orderBody
	var events [][]demoEvent
	add := func(b orderBody, evs ...demoEvent) {
		bodies, events = append(bodies, b), append(events, evs)
	}
	// Showcase orders: one per case, named after it.
	s, c, bf, gf := plans["summer"], plans["cyber"], plans["bfcm"], plans["gifts"]
	day := func(t time.Time, d float64) time.Time {
		return t.Add(time.Duration(d * float64(24*time.Hour))).Truncate(time.Second)
	}
	line := func(sku demoSKU, qty int, discount string) orderLine {
		return orderLine{SKU: sku.Code, Quantity: qty, UnitPrice: sku.Retail.StringFixed(2), SellerDiscount: discount}
	}
	add(orderBody{OrderID: "DEMO-PARTIAL-RETURN", PlacedAt: day(s.from, 1.2), Lines: []orderLine{line(s.skus[0], 3, "3.00"), line(s.skus[1], 1, "0.00")}, Shipping: "4.99", Coupon: s.coupon},
		demoEvent{"completed", day(s.from, 3), nil}, demoEvent{"returned", day(s.from, 6), []models.ReturnLine{{SKU: s.skus[0].Code, Quantity: 1}}})
	add(orderBody{OrderID: "DEMO-WHOLE-RETURN", PlacedAt: day(s.from, 2.5), Lines: []orderLine{line(s.skus[1], 2, "5.00"), line(s.extra[0], 1, "0.00")}, Shipping: "3.50"},
		demoEvent{"completed", day(s.from, 4), nil}, demoEvent{"returned", day(s.from, 8), nil})
	add(orderBody{OrderID: "DEMO-CANCELLED", PlacedAt: day(s.from, 3.1), Lines: []orderLine{line(s.skus[2%len(s.skus)], 1, "0.00")}, Shipping: "2.00"},
		demoEvent{"cancelled", day(s.from, 3.2), nil})
	add(orderBody{OrderID: "DEMO-COUPON-EXHAUSTED", PlacedAt: day(s.from, 4.4), Lines: []orderLine{line(s.skus[0], 4, "0.00")}, Shipping: "0.00", Coupon: s.coupon},
		demoEvent{"completed", day(s.from, 6), nil})
	add(orderBody{OrderID: "DEMO-AFTER-THE-RUN", PlacedAt: day(s.to, 1), Lines: []orderLine{line(s.skus[0], 1, "0.00")}, Shipping: "1.99"},
		demoEvent{"completed", day(s.to, 3), nil})
	add(orderBody{OrderID: "DEMO-TWO-CAMPAIGNS", PlacedAt: day(c.from, 1.5), Lines: []orderLine{line(c.skus[0], 2, "4.00"), line(bf.skus[0], 1, "0.00"),
		line(c.extra[1], 1, "0.00")}, Shipping: "6.99", Coupon: c.coupon}, demoEvent{"completed", day(c.from, 3), nil})
	if len(withdrawn) > 0 {
		add(orderBody{OrderID: "DEMO-AFTER-WITHDRAWAL", PlacedAt: day(c.from, 1), Lines: []orderLine{line(withdrawn[0], 1, "0.00"), line(c.skus[0], 1, "0.00")}, Shipping: "3.00"})
	}
	if len(inError) > 0 {
		add(orderBody{OrderID: "DEMO-SKU-ERROR", PlacedAt: day(c.from, 2), Lines: []orderLine{line(inError[0], 2, "1.00")}, Shipping: "0.00"})
	}
	add(orderBody{OrderID: "DEMO-BELOW-MINIMUM", PlacedAt: day(c.from, 2.2), Lines: []orderLine{line(c.skus[len(c.skus)-1], 1, "10.00")}, Shipping: "0.00", Coupon: c.coupon},
		demoEvent{"completed", day(c.from, 4), nil})
	add(orderBody{OrderID: "DEMO-COUPON-NOT-APPLICABLE", PlacedAt: day(c.from, 2.4), Lines: []orderLine{line(c.skus[0], 3, "0.00")}, Shipping: "4.00", Coupon: gf.coupon})
	add(orderBody{OrderID: "DEMO-NO-FEE-REFUND", PlacedAt: day(gf.from, 1), Lines: []orderLine{line(gf.skus[0], 1, "0.00")}, Shipping: "0.00", Coupon: gf.coupon},
		demoEvent{"completed", day(gf.from, 2), nil}, demoEvent{"returned", day(gf.from, 5), nil})

	// Random orders across the windows.
	order := []*orderPlan{s, s, c, c, bf, gf}
	for i := 0; i < count; i++ {
		p := order[i%len(order)]
		placed := p.from.Add(time.Duration(rng.Int64N(int64(p.to.Sub(p.from))))).Truncate(time.Second)
		b := orderBody{OrderID: fmt.Sprintf("DEMO-%04d", i+1), PlacedAt: placed, Shipping: cents(rng.IntN(900))}
		n := 1 + rng.IntN(3)
		used := map[string]bool{}
		for j := 0; j < n; j++ {
			pool := p.skus
			if rng.IntN(4) == 0 {
				pool = p.extra
			}
			sku := pool[rng.IntN(len(pool))]
			if used[sku.Code] {
				continue
			}
			used[sku.Code] = true
			q := 1 + rng.IntN(3)
			disc := "0.00"
			if rng.IntN(3) == 0 {
				gross := sku.Retail.Mul(decimal.NewFromInt(int64(q))).Shift(2).IntPart()
				disc = cents(rng.IntN(int(gross/5) + 1))
			}
			b.Lines = append(b.Lines, line(sku, q, disc))
		}
		if rng.IntN(2) == 0 {
			b.Coupon = p.coupon
		}
		var evs []demoEvent
		switch r := rng.IntN(20); {
		case r < 2:
			evs = append(evs, demoEvent{"cancelled", placed.Add(time.Hour), nil})
		case r < 16:
			evs = append(evs, demoEvent{"completed", placed.Add(48 * time.Hour), nil})
			if r < 5 {
				evs = append(evs, demoEvent{"returned", placed.Add(5 * 24 * time.Hour), []models.ReturnLine{{SKU: b.Lines[0].SKU, Quantity: 1}}})
			} else if r < 7 {
				evs = append(evs, demoEvent{"returned", placed.Add(6 * 24 * time.Hour), nil})
			}
		}
		add(b, evs...)
	}

	reqs := make([]models.OrderRequest, len(bodies))
	for i, b := range bodies {
		b.ShopID = shop.PublicID
		raw, err := json.Marshal(b)
		if err != nil {
			return sum, err
		}
		if reqs[i], err = models.ParseOrderRequest(raw); err != nil {
			return sum, fmt.Errorf("demo order %s: %w", b.OrderID, err)
		}
	}
	results, err := store.NewOrderImporter(true).Import(ctx, reqs)
	if err != nil {
		return sum, err
	}
	for i, res := range results {
		switch res.Outcome {
		case models.ImportCreated:
			sum.Created++
		case models.ImportReplayed:
			sum.Replayed++
			continue // its events were accepted the first time
		default:
			return sum, fmt.Errorf("demo order %s: %s %s %v", res.OrderID, res.Outcome, res.Reason, res.Problems)
		}
		for _, ev := range events[i] {
			if _, err := store.AddOrderEvent(ctx, shop.PublicID, res.OrderID, models.OrderEvent{Kind: models.OrderEventKind(ev.kind), At: ev.at, Lines: ev.lines}); err != nil {
				return sum, fmt.Errorf("demo order %s, %s: %w", res.OrderID, ev.kind, err)
			}
			sum.Events++
		}
	}
	return sum, nil
}

type orderLine struct {
	SKU            string `json:"sku_id"`
	Quantity       int    `json:"quantity"`
	UnitPrice      string `json:"unit_price"`
	SellerDiscount string `json:"seller_discount"`
}

type orderBody struct {
	OrderID  string      `json:"order_id"`
	ShopID   string      `json:"shop_id"`
	PlacedAt time.Time   `json:"placed_at"`
	Lines    []orderLine `json:"lines"`
	Shipping string      `json:"shipping_paid"`
	Coupon   int64       `json:"coupon_id,omitempty"`
}

type demoEvent struct {
	kind  string
	at    time.Time
	lines []models.ReturnLine
}

func cents(n int) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }

// registerForOrders gives Maple the registrations the demo orders need,
// once: three products in the past Summer Super Sale (submitted and
// approved before its deadline, back-dated), one in Black Friday & Cyber
// Monday (approved yesterday) and one in the Holiday Gift Guide (no review).
func registerForOrders(ctx context.Context, db *gorm.DB, shop models.Shop, summer, bfcm, gifts models.Campaign, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		store := models.NewStore(tx)
		var reviewerID int64
		if err := tx.Raw(`SELECT id FROM users WHERE role = 'reviewer' ORDER BY id LIMIT 1`).Scan(&reviewerID).Error; err != nil {
			return err
		}
		// Products not in any registration yet, well stocked.
		var free []int64
		if err := tx.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ?
			AND NOT EXISTS (SELECT 1 FROM registration_products rp WHERE rp.product_id = p.id)
			AND NOT EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.stock < 40)
			ORDER BY p.id LIMIT 5`, shop.ID).Scan(&free).Error; err != nil {
			return err
		}
		plans := []struct {
			c               models.Campaign
			products        []int64
			submit, approve time.Time
		}{
			{summer, nil, summer.RegistrationDeadline.Add(-6 * 24 * time.Hour), summer.RegistrationDeadline.Add(-4 * 24 * time.Hour)},
			{bfcm, nil, now.Add(-48 * time.Hour), now.Add(-24 * time.Hour)},
			{gifts, nil, now.Add(-24 * time.Hour), time.Time{}},
		}
		if len(free) < 5 {
			return fmt.Errorf("maple has only %d products free to register", len(free))
		}
		plans[0].products, plans[1].products, plans[2].products = free[:3], free[3:4], free[4:5]
		for i, pl := range plans {
			var n int64
			if err := tx.Raw(`SELECT count(*) FROM registration_products rp JOIN registrations r ON r.id = rp.registration_id
				WHERE r.campaign_id = ? AND r.shop_id = ? AND rp.status = 'registered'`, pl.c.ID, shop.ID).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				continue // done on an earlier run
			}
			reg, _, err := store.OpenDraft(ctx, shop, pl.c.ID, pl.submit)
			if err != nil {
				return fmt.Errorf("%s: %w", pl.c.Name, err)
			}
			var items []models.DraftItem
			for _, id := range pl.products {
				items = append(items, models.DraftItem{ProductID: id})
			}
			if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, pl.submit); err != nil {
				return err
			}
			if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRecommend, All: true}, pl.submit); err != nil {
				return err
			}
			if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkStockShare, Percent: decimal.NewFromInt(30), All: true}, pl.submit); err != nil {
				return err
			}
			if _, err := store.SubmitDraft(ctx, shop, reg.ID, true, fmt.Sprintf("demo-orders-%d", i), pl.submit); err != nil {
				return fmt.Errorf("%s: %w", pl.c.Name, err)
			}
			if pl.c.ReviewRequired {
				if err := store.DecideRegistration(ctx, reviewerID, reg.ID, models.DecisionApproved, "", "", pl.approve); err != nil {
					return fmt.Errorf("%s: %w", pl.c.Name, err)
				}
			}
		}
		return nil
	})
}
