package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// Demo orders: two years of Maple & Co's orders (see history.go) across
// the ended campaigns it sold in (see past_campaigns.go), sent through the
// same import code as the API (one batch, coupons taken in import order;
// events accepted one by one), plus one showcase order per case, named
// DEMO-<CASE>, so the settled records show every case: several lines,
// seller discounts, coupons applied, below the minimum, exhausted and not
// applicable, cancellations, partial and whole returns, an order spanning
// two campaigns, lines placed after a withdrawal or during a SKU error,
// and a campaign that refunds no fees.
//
// Every date counts from the anchor day (see anchorDay), so running it
// again imports the same orders again: replays, nothing doubles.

// OrdersSummary counts what the demo orders command did.
type OrdersSummary struct {
	Created, Replayed, Events int
}

// ErrNoMaple means the demo data is not loaded.
var ErrNoMaple = errors.New("the demo data is not loaded (no Maple & Co): run `portal demo` first")

// demoSKU is a SKU and the price it sells at.
type demoSKU struct {
	Code  string
	Price decimal.Decimal
}

// Orders adds Maple's order history, one showcase order per case and
// count more random orders in this year's campaigns, with their events.
func Orders(ctx context.Context, db *gorm.DB, now time.Time, count int) (OrdersSummary, error) {
	var sum OrdersSummary
	var shop models.Shop
	if err := db.WithContext(ctx).Where("name = ?", "Maple & Co").Take(&shop).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return sum, ErrNoMaple
	} else if err != nil {
		return sum, err
	}
	anchor, err := anchorDay(ctx, db, now.UTC().Truncate(time.Second))
	if err != nil {
		return sum, err
	}
	past := pastCampaigns(newGenerator(anchor), newGenerator(anchor.AddDate(-1, 0, 0)))
	if err := prepareOrderCampaigns(ctx, db, shop, past); err != nil {
		return sum, fmt.Errorf("preparing Maple's campaigns for the demo orders: %w", err)
	}
	// SKUs in no campaign that ran before the anchor, at their price then:
	// what a seller does in the portal afterwards changes neither.
	var plain []demoSKU
	if err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, `+priceAt+` AS price FROM skus s WHERE s.shop_id = @shop
		AND NOT EXISTS (SELECT 1 FROM registration_skus rs JOIN registrations r ON r.id = rs.registration_id
			JOIN campaigns c ON c.id = r.campaign_id WHERE rs.sku_id = s.id AND c.run_starts_at < @anchor)
		ORDER BY s.id LIMIT 120`, map[string]any{"shop": shop.ID, "anchor": anchor}).Scan(&plain).Error; err != nil {
		return sum, err
	}
	if len(plain) < 12 {
		return sum, fmt.Errorf("maple has only %d SKUs in no campaign", len(plain))
	}
	plans, err := loadPlans(ctx, db, shop, past, anchor)
	if err != nil {
		return sum, err
	}
	planned, err := showcase(ctx, db, shop, plans, plain[:12], anchor)
	if err != nil {
		return sum, err
	}
	var ordered []salesPlan
	for _, p := range past {
		ordered = append(ordered, plans[p.key])
	}
	// No campaign sells more of a SKU than its campaign stock: the showcase
	// orders draw on it first, then the history, then the random orders.
	stock := newCampaignStock(ordered)
	if err := stock.spend(planned); err != nil {
		return sum, err
	}
	planned = append(planned, buildHistory(anchor, plain, ordered, stock)...)
	planned = append(planned, randomOrders(count, plans, plain[:12], stock)...)
	return importOrders(ctx, orders.NewStore(db), shop.PublicID, planned)
}

// loadPlans reads each ended campaign with Maple's registered SKUs and
// its coupons.
func loadPlans(ctx context.Context, db *gorm.DB, shop models.Shop, past []pastCampaign, anchor time.Time) (map[string]salesPlan, error) {
	plans := map[string]salesPlan{}
	for _, p := range past {
		var c models.Campaign
		q := db.WithContext(ctx).Where("slug = ?", p.slug)
		if p.key == "summer" { // Load's, named after its year
			q = db.WithContext(ctx).Where("slug LIKE 'summer-super-sale-%'").Order("id")
		}
		if err := q.Take(&c).Error; err != nil {
			return nil, fmt.Errorf("campaign %s: %w", p.key, err)
		}
		loc, err := time.LoadLocation(c.Timezone)
		if err != nil {
			return nil, err
		}
		var rows []struct {
			Code                 string
			CampaignPrice, Price decimal.Decimal
			CampaignStock        int
		}
		// Campaign lines sell at the campaign price, others at the price
		// at the anchor.
		if err := db.WithContext(ctx).Raw(`SELECT s.sku_code AS code, rs.campaign_price, `+priceAt+` AS price,
			COALESCE(rs.campaign_stock, 0) AS campaign_stock FROM registration_skus rs
			JOIN registration_products rp ON rp.id = rs.registration_product_id JOIN registrations r ON r.id = rs.registration_id
			JOIN skus s ON s.id = rs.sku_id WHERE r.campaign_id = @campaign AND r.shop_id = @shop AND rp.status = 'registered' ORDER BY s.id`,
			map[string]any{"campaign": c.ID, "shop": shop.ID, "anchor": anchor}).Scan(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, fmt.Errorf("maple has no registered SKU in %s", c.Name)
		}
		pl := salesPlan{pastCampaign: p, campaignID: c.ID, loc: loc, from: c.RunStartsAt, to: c.RunEndsAt}
		pl.name = c.Name
		for _, r := range rows {
			pl.skus = append(pl.skus, demoSKU{r.Code, r.CampaignPrice})
			pl.atRetail = append(pl.atRetail, demoSKU{r.Code, r.Price})
			pl.stock = append(pl.stock, r.CampaignStock)
		}
		if err := db.WithContext(ctx).Raw(`SELECT id, min_purchase FROM coupons WHERE campaign_id = ? ORDER BY id`, c.ID).Scan(&pl.coupons).Error; err != nil {
			return nil, err
		}
		plans[p.key] = pl
	}
	singles := plans["singles"]
	singles.partners = plans["autumn"].skus
	plans["singles"] = singles
	return plans, nil
}

// priceAt is a SKU's price at @anchor, from its price history.
const priceAt = `COALESCE((SELECT ph.price FROM price_history ph WHERE ph.sku_id = s.id AND ph.valid_from <= @anchor
	ORDER BY ph.valid_from DESC LIMIT 1), s.retail_price)`

// importOrders imports the orders in one batch and accepts their events;
// a replayed order gets only the events it does not have yet.
func importOrders(ctx context.Context, store *orders.Store, shopID string, planned []plannedOrder) (OrdersSummary, error) {
	var sum OrdersSummary
	reqs := make([]orders.OrderRequest, len(planned))
	for i, o := range planned {
		o.body.ShopID = shopID
		raw, err := json.Marshal(o.body)
		if err != nil {
			return sum, err
		}
		if reqs[i], err = orders.ParseOrderRequest(raw); err != nil {
			return sum, fmt.Errorf("demo order %s: %w", o.body.OrderID, err)
		}
	}
	results, err := store.NewOrderImporter(true).Import(ctx, reqs)
	if err != nil {
		return sum, err
	}
	var todo []eventsFor
	for i, res := range results {
		done := 0
		switch res.Outcome {
		case orders.ImportCreated:
			sum.Created++
		case orders.ImportReplayed:
			sum.Replayed++
			if res.Order != nil {
				done = len(res.Order.Events)
			}
		default:
			return sum, fmt.Errorf("demo order %s: %s %s %v", res.OrderID, res.Outcome, res.Reason, res.Problems)
		}
		if evs := planned[i].events; done < len(evs) {
			todo = append(todo, eventsFor{res.OrderID, evs[done:]})
		}
	}
	sum.Events, err = addEvents(ctx, store, shopID, todo)
	return sum, err
}

type eventsFor struct {
	orderID string
	events  []demoEvent
}

// eventWorkers accept events for different orders at once: each event is
// a transaction of its own, and thousands of them one after the other
// would make the demo load slow.
const eventWorkers = 4

// addEvents accepts the events through the order event API, each order's
// in turn.
func addEvents(ctx context.Context, store *orders.Store, shopID string, todo []eventsFor) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan eventsFor)
	var mu sync.Mutex
	var firstErr error
	added := 0
	var wg sync.WaitGroup
	for w := 0; w < eventWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				for _, ev := range o.events {
					_, err := store.AddOrderEvent(ctx, shopID, o.orderID, orders.OrderEvent{Kind: orders.OrderEventKind(ev.kind), At: ev.at, Lines: ev.lines})
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("demo order %s, %s: %w", o.orderID, ev.kind, err)
						cancel()
					} else if err == nil {
						added++
					}
					mu.Unlock()
					if err != nil {
						break
					}
				}
			}
		}()
	}
	for _, o := range todo {
		select {
		case work <- o:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return added, firstErr
}

// randomOrders are count more orders in this year's campaigns (for trying
// the portal with more data), named DEMO-0001 on; campaign lines draw on
// stock (once it is sold out, on extra).
func randomOrders(count int, plans map[string]salesPlan, extra []demoSKU, stock *campaignStock) []plannedOrder {
	rng := rand.New(rand.NewPCG(2026, 8))
	s, a, sd := plans["summer"], plans["autumn"], plans["singles"]
	order := []salesPlan{s, a, a, sd}
	var out []plannedOrder
	for i := 0; i < count; i++ {
		p := order[i%len(order)]
		placed := p.from.Add(time.Duration(rng.Int64N(int64(p.to.Sub(p.from))))).Truncate(time.Second)
		b := orderBody{OrderID: fmt.Sprintf("DEMO-%04d", i+1), PlacedAt: placed, Shipping: cents(rng.IntN(900))}
		n := 1 + rng.IntN(3)
		used := map[string]bool{}
		for j := 0; j < n; j++ {
			pool := p.skus
			if rng.IntN(4) == 0 {
				pool = extra
			}
			sku, ok := stock.pick(rng, pool, placed)
			if !ok {
				sku = extra[rng.IntN(len(extra))]
			}
			if used[sku.Code] {
				continue
			}
			used[sku.Code] = true
			q := stock.take(sku.Code, placed, 1+rng.IntN(3))
			disc := "0.00"
			if rng.IntN(3) == 0 {
				gross := sku.Price.Mul(decimal.NewFromInt(int64(q))).Shift(2).IntPart()
				disc = cents(rng.IntN(int(gross/5) + 1))
			}
			b.Lines = append(b.Lines, orderLine{SKU: sku.Code, Quantity: q, UnitPrice: sku.Price.StringFixed(2), SellerDiscount: disc})
		}
		if rng.IntN(2) == 0 {
			b.Coupon = p.coupons[0].ID
		}
		var evs []demoEvent
		switch r := rng.IntN(20); {
		case r < 2:
			evs = append(evs, demoEvent{"cancelled", placed.Add(time.Hour), nil})
		case r < 19:
			evs = append(evs, demoEvent{"completed", placed.Add(48 * time.Hour), nil})
			if r < 5 {
				evs = append(evs, demoEvent{"returned", placed.Add(5 * 24 * time.Hour), []orders.ReturnLine{{SKU: b.Lines[0].SKU, Quantity: 1}}})
			} else if r < 7 {
				evs = append(evs, demoEvent{"returned", placed.Add(6 * 24 * time.Hour), nil})
			}
		}
		out = append(out, plannedOrder{b, evs})
	}
	return out
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
	lines []orders.ReturnLine
}

func cents(n int) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }
