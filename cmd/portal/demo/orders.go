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
// The first run adds what the orders need, back-dated so the orders are in
// the past: Maple's past "Summer Super Sale" registration gets three
// products, and two ended campaigns are added with Maple registered in
// both: "Autumn Flash Sale" (1%, fees refunded in full, a co-funded 10%
// coupon; one product withdrawn and one in SKU error during the run) and
// "Singles' Day Deals" inside it (1.5%, no fee refunds, a $5 coupon with
// four to give). Running it again imports the same orders again: replays,
// nothing doubles.

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
	now = now.UTC().Truncate(time.Second)
	store := models.NewStore(db)
	var shop models.Shop
	if err := db.WithContext(ctx).Where("name = ?", "Maple & Co").Take(&shop).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return sum, ErrNoMaple
	} else if err != nil {
		return sum, err
	}
	if err := prepareOrderCampaigns(ctx, db, shop, now); err != nil {
		return sum, fmt.Errorf("preparing Maple's campaigns for the demo orders: %w", err)
	}
	camp := func(prefix string) (models.Campaign, error) {
		var c models.Campaign
		err := db.WithContext(ctx).Where("slug LIKE ?", prefix+"%").Order("id").Take(&c).Error
		return c, err
	}
	skusOf := func(c models.Campaign, status string) ([]demoSKU, error) {
		var out []demoSKU
		// Campaign lines sell at the campaign price.
		err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, rs.campaign_price AS retail FROM registration_skus rs
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
	plans := map[string]*orderPlan{}
	var withdrawn, inError []demoSKU
	for key, prefix := range map[string]string{"summer": "summer-super-sale-", "autumn": autumnSlug, "singles": singlesSlug} {
		c, err := camp(prefix)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", prefix, err)
		}
		skus, err := skusOf(c, "registered")
		if err != nil {
			return sum, err
		}
		if len(skus) == 0 {
			return sum, fmt.Errorf("maple has no registered SKU in %s", c.Name)
		}
		var coupon int64
		if err := db.WithContext(ctx).Raw(`SELECT id FROM coupons WHERE campaign_id = ? ORDER BY id LIMIT 1`, c.ID).Scan(&coupon).Error; err != nil {
			return sum, err
		}
		plans[key] = &orderPlan{shopID: shop.PublicID, campaign: c.Name, from: c.RunStartsAt, to: c.RunEndsAt, skus: skus, extra: plain, coupon: coupon}
		if key == "autumn" {
			if withdrawn, err = skusOf(c, "withdrawn"); err != nil {
				return sum, err
			}
			if inError, err = skusOf(c, "sku_error"); err != nil {
				return sum, err
			}
		}
	}
	if len(withdrawn) == 0 || len(inError) == 0 {
		return sum, errors.New("the Autumn Flash Sale registration has no withdrawn or SKU-error product")
	}

	rng := rand.New(rand.NewPCG(2026, 8))
	var bodies []orderBody
	var events [][]demoEvent
	add := func(b orderBody, evs ...demoEvent) {
		bodies, events = append(bodies, b), append(events, evs)
	}
	s, a, sd := plans["summer"], plans["autumn"], plans["singles"]
	day := func(t time.Time, d float64) time.Time {
		return t.Add(time.Duration(d * float64(24*time.Hour))).Truncate(time.Second)
	}
	line := func(sku demoSKU, qty int, discount string) orderLine {
		return orderLine{SKU: sku.Code, Quantity: qty, UnitPrice: sku.Retail.StringFixed(2), SellerDiscount: discount}
	}
	last := func(l []demoSKU) demoSKU { return l[len(l)-1] }
	// Showcase orders: one per case, named after it.
	add(orderBody{OrderID: "DEMO-PARTIAL-RETURN", PlacedAt: day(a.from, 1.2), Lines: []orderLine{line(a.skus[0], 3, "3.00"), line(last(a.skus), 1, "0.00")},
		Shipping: "4.99", Coupon: a.coupon},
		demoEvent{"completed", day(a.from, 3), nil}, demoEvent{"returned", day(a.from, 6), []models.ReturnLine{{SKU: a.skus[0].Code, Quantity: 1}}})
	add(orderBody{OrderID: "DEMO-WHOLE-RETURN", PlacedAt: day(a.from, 2.5), Lines: []orderLine{line(a.skus[0], 2, "5.00"), line(a.extra[0], 1, "0.00")},
		Shipping: "3.50", Coupon: a.coupon},
		demoEvent{"completed", day(a.from, 4), nil}, demoEvent{"returned", day(a.from, 8), nil})
	add(orderBody{OrderID: "DEMO-CANCELLED", PlacedAt: day(a.from, 3.1), Lines: []orderLine{line(last(a.skus), 2, "0.00")}, Shipping: "2.00", Coupon: a.coupon},
		demoEvent{"cancelled", day(a.from, 3.2), nil})
	add(orderBody{OrderID: "DEMO-BELOW-MINIMUM", PlacedAt: day(a.from, 3.6), Lines: []orderLine{line(last(a.skus), 1, "0.00")}, Shipping: "0.00", Coupon: a.coupon},
		demoEvent{"completed", day(a.from, 5), nil})
	add(orderBody{OrderID: "DEMO-TWO-CAMPAIGNS", PlacedAt: day(sd.from, 0.5), Lines: []orderLine{line(a.skus[0], 2, "4.00"), line(sd.skus[0], 1, "0.00"),
		line(a.extra[1], 1, "0.00")}, Shipping: "6.99", Coupon: a.coupon}, demoEvent{"completed", day(sd.from, 2), nil})
	add(orderBody{OrderID: "DEMO-COUPON-NOT-APPLICABLE", PlacedAt: day(sd.from, 0.7), Lines: []orderLine{line(a.skus[0], 3, "0.00")}, Shipping: "4.00", Coupon: sd.coupon},
		demoEvent{"completed", day(sd.from, 2.5), nil})
	add(orderBody{OrderID: "DEMO-NO-FEE-REFUND", PlacedAt: day(sd.from, 1), Lines: []orderLine{line(sd.skus[0], 2, "0.00")}, Shipping: "0.00"},
		demoEvent{"completed", day(sd.from, 2), nil}, demoEvent{"returned", day(sd.from, 3), nil})
	add(orderBody{OrderID: "DEMO-AFTER-WITHDRAWAL", PlacedAt: day(a.from, 10.5), Lines: []orderLine{line(withdrawn[0], 1, "0.00"), line(a.skus[0], 1, "0.00")},
		Shipping: "3.00"}, demoEvent{"completed", day(a.from, 12), nil})
	add(orderBody{OrderID: "DEMO-SKU-ERROR", PlacedAt: day(a.from, 11), Lines: []orderLine{line(inError[0], 2, "1.00")}, Shipping: "0.00"},
		demoEvent{"completed", day(a.from, 12), nil})
	// Enough units to pass the summer coupon's $50 minimum: only its stock is missing.
	enough := int(decimal.NewFromInt(60).Div(s.skus[0].Retail).Ceil().IntPart())
	add(orderBody{OrderID: "DEMO-COUPON-EXHAUSTED", PlacedAt: day(s.from, 4.4), Lines: []orderLine{line(s.skus[0], enough, "0.00")}, Shipping: "0.00", Coupon: s.coupon},
		demoEvent{"completed", day(s.from, 6), nil})
	add(orderBody{OrderID: "DEMO-AFTER-THE-RUN", PlacedAt: day(s.to, 1), Lines: []orderLine{line(s.skus[0], 1, "0.00")}, Shipping: "1.99"},
		demoEvent{"completed", day(s.to, 3), nil})
	add(orderBody{OrderID: "DEMO-NOT-COMPLETED", PlacedAt: now.Add(-3 * time.Hour), Lines: []orderLine{line(a.extra[2], 1, "0.00")}, Shipping: "2.50"})

	// Random orders across the windows.
	order := []*orderPlan{s, a, a, sd}
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
		case r < 19:
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

const (
	autumnSlug  = "autumn-flash-sale-demo"
	singlesSlug = "singles-day-deals-demo"
)

// prepareOrderCampaigns adds, once, the two ended campaigns and Maple's
// registrations the demo orders need, through the registration store,
// back-dated: submitted and approved before each deadline.
func prepareOrderCampaigns(ctx context.Context, db *gorm.DB, shop models.Shop, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(727008)`).Error; err != nil {
			return err
		}
		var done int64
		if err := tx.Raw(`SELECT count(*) FROM campaigns WHERE slug = ?`, singlesSlug).Scan(&done).Error; err != nil {
			return err
		}
		if done > 0 {
			return nil
		}
		store := models.NewStore(tx)
		var managerID, reviewerID, sellerID int64
		if err := tx.Raw(`SELECT id FROM users WHERE role = 'manager' ORDER BY id LIMIT 1`).Scan(&managerID).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT id FROM users WHERE role = 'reviewer' ORDER BY id LIMIT 1`).Scan(&reviewerID).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT id FROM users WHERE shop_id = ? ORDER BY id LIMIT 1`, shop.ID).Scan(&sellerID).Error; err != nil {
			return err
		}
		g := newGenerator(now)
		la, _ := time.LoadLocation("America/Los_Angeles")
		tiers := []demoTier{{"featured", "85", "80", 10}, {"regular", "100", "95", 3}}
		year := g.at(la, -50, 0, 0).Year()
		autumn := demoCampaign{slug: autumnSlug, name: fmt.Sprintf("Autumn Flash Sale %d", year),
			description: "Two weeks of autumn deals (ended).", tz: "America/Los_Angeles", status: "published", benefits: standardBenefits[:3],
			opens: g.at(la, -75, 0, 0), deadline: g.at(la, -55, 23, 59), runStart: g.at(la, -50, 0, 0), runEnd: g.at(la, -36, 0, 0),
			lookback: 30, review: true, refund: "refund_in_full",
			subs:    []demoSub{{"Flash Week 1", g.at(la, -50, 0, 0), g.at(la, -43, 0, 0)}, {"Flash Week 2", g.at(la, -43, 0, 0), g.at(la, -36, 0, 0)}},
			tiers:   tiers,
			coupons: []demoCoupon{{"AUTUMN-10PCT", "percent", "10", "40", "20", "all", "", "50", "50", "8", 500, 0}},
		}
		singles := demoCampaign{slug: singlesSlug, name: fmt.Sprintf("Singles' Day Deals %d", year),
			description: "A three-day event inside the autumn sale (ended). Fees are not refunded.", tz: "America/Los_Angeles", status: "published",
			benefits: standardBenefits[:2],
			opens:    g.at(la, -75, 0, 0), deadline: g.at(la, -55, 23, 59), runStart: g.at(la, -46, 0, 0), runEnd: g.at(la, -43, 0, 0),
			lookback: 30, review: false, refund: "no_refund",
			subs:    []demoSub{{"Singles' Day", g.at(la, -46, 0, 0), g.at(la, -43, 0, 0)}},
			tiers:   tiers,
			coupons: []demoCoupon{{"SINGLES-5OFF", "fixed", "5", "30", nil, "all", "", "40", "60", "2", 4, 0}},
		}
		ids := map[string]int64{}
		for _, c := range []demoCampaign{autumn, singles} {
			id, err := g.insertCampaign(tx, c, managerID)
			if err != nil {
				return fmt.Errorf("campaign %s: %w", c.slug, err)
			}
			if err := models.RecordInitialVersion(tx, id, managerID); err != nil {
				return err
			}
			ids[c.slug] = id
		}
		// Singles' Day charges 1.5%: rates may have more than two decimals.
		if err := tx.Exec(`UPDATE campaigns SET fee_rate = 0.015 WHERE id = ?`, ids[singlesSlug]).Error; err != nil {
			return err
		}
		// Products in no registration yet, well stocked, from the end of
		// the catalogue (the other demo registrations use the start).
		var free []int64
		if err := tx.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ?
			AND NOT EXISTS (SELECT 1 FROM registration_products rp WHERE rp.product_id = p.id)
			AND NOT EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.stock < 40)
			ORDER BY p.id DESC LIMIT 9`, shop.ID).Scan(&free).Error; err != nil {
			return err
		}
		if len(free) < 9 {
			return fmt.Errorf("maple has only %d products free to register", len(free))
		}
		var summerID int64
		if err := tx.Raw(`SELECT id FROM campaigns WHERE slug LIKE 'summer-super-sale-%' ORDER BY id LIMIT 1`).Scan(&summerID).Error; err != nil {
			return err
		}
		var summer models.Campaign
		if err := tx.Where("id = ?", summerID).Take(&summer).Error; err != nil {
			return err
		}
		plans := []struct {
			campaignID      int64
			review          bool
			products        []int64
			submit, approve time.Time
		}{
			{summerID, true, free[0:3], summer.RegistrationDeadline.Add(-6 * 24 * time.Hour), summer.RegistrationDeadline.Add(-4 * 24 * time.Hour)},
			{ids[autumnSlug], true, free[3:7], autumn.deadline.Add(-5 * 24 * time.Hour), autumn.deadline.Add(-3 * 24 * time.Hour)},
			{ids[singlesSlug], false, free[7:9], singles.deadline.Add(-4 * 24 * time.Hour), time.Time{}},
		}
		for i, pl := range plans {
			reg, _, err := store.OpenDraft(ctx, shop, pl.campaignID, pl.submit)
			if err != nil {
				return fmt.Errorf("campaign %d: %w", pl.campaignID, err)
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
			if _, err := store.SubmitDraft(ctx, shop, reg.ID, true, fmt.Sprintf("demo-orders-%d-%d", shop.ID, i), pl.submit); err != nil {
				return fmt.Errorf("campaign %d: %w", pl.campaignID, err)
			}
			if pl.review {
				if err := store.DecideRegistration(ctx, reviewerID, reg.ID, models.DecisionApproved, "", "", pl.approve); err != nil {
					return fmt.Errorf("campaign %d: %w", pl.campaignID, err)
				}
			}
			if pl.campaignID != ids[autumnSlug] {
				continue
			}
			// During the run: one product withdrawn (orders after it pay no
			// fee on it), one in SKU error.
			var rps []int64
			if err := tx.Raw(`SELECT id FROM registration_products WHERE registration_id = ? ORDER BY id`, reg.ID).Scan(&rps).Error; err != nil {
				return err
			}
			if _, err := store.Withdraw(ctx, shop.ID, sellerID, reg.ID, models.WithdrawProduct, []int64{rps[1]}, autumn.runStart.Add(10*24*time.Hour)); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE registration_products SET status = 'sku_error', sku_error_at = ?,
				sku_error_reason = 'A SKU was edited while registered.' WHERE id = ?`, autumn.runStart.Add(9*24*time.Hour), rps[2]).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
