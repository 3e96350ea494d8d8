package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
)

// Many shops for load tests (the deadline rush): after the demo has
// loaded, N more shops, each eligible for the open demo campaigns (SPS 4.0,
// free shipping over $20, inside every campaign's $30 maximum), each with
// one seller (rush-N@demo.test, password "demo") and a small catalogue
// with 120 days of price history, so a registration can be made.

// ErrShopsLoaded means the many shops were added already; they are added
// once (drop the database and load the demo again for a fresh set).
var ErrShopsLoaded = errors.New("the rush shops are already loaded")

// ErrNoDemo means the demo data is not there to add shops to.
var ErrNoDemo = errors.New("the demo data is not loaded (run `portal demo` first)")

// ShopsSummary counts what Shops added.
type ShopsSummary struct {
	Shops, Users, Products, SKUs, PricePeriods int
}

// RushEmail is the sign-in of the n-th added shop's seller (from 1).
func RushEmail(n int) string { return fmt.Sprintf("rush-%d@demo.test", n) }

// RushProducts is each added shop's catalogue size by default: enough for
// a seller to keep picking products for a minute of registering.
const RushProducts = 24

// MaxRushProducts is the most products an added shop can have (each with
// one to three SKUs): enough for a catalogue of a thousand or more SKUs,
// as a seller registering by API has (scripts/api-walkthrough.sh).
const MaxRushProducts = 999

// Shops adds count shops with a seller each and products products each
// (0: RushProducts), in one transaction.
func Shops(ctx context.Context, db *gorm.DB, now time.Time, count, products int) (ShopsSummary, error) {
	var sum ShopsSummary
	if count < 1 || count > 10000 {
		return sum, errors.New("the count of shops must be between 1 and 10000")
	}
	if products == 0 {
		products = RushProducts
	}
	if products < 1 || products > MaxRushProducts {
		return sum, fmt.Errorf("the products per shop must be between 1 and %d", MaxRushProducts)
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(727001)`).Error; err != nil { // the demo's own lock
			return err
		}
		var state struct{ Managers, Rush int64 }
		if err := tx.Raw(`SELECT (SELECT count(*) FROM users WHERE email = 'manager@demo.test') AS managers,
				(SELECT count(*) FROM shops WHERE public_id LIKE 'RUSH-%') AS rush`).Scan(&state).Error; err != nil {
			return err
		}
		if state.Managers == 0 {
			return ErrNoDemo
		}
		if state.Rush > 0 {
			return ErrShopsLoaded
		}
		var catIDs []int64
		if err := tx.Raw(`SELECT id FROM categories ORDER BY id`).Scan(&catIDs).Error; err != nil {
			return err
		}
		if len(catIDs) < len(categories) {
			return ErrNoDemo
		}
		// One bcrypt hash for every seller: hashing 200 passwords one by one
		// would take most of the command's time.
		hash, err := models.HashPassword(Password)
		if err != nil {
			return err
		}
		g := &generator{now: now.UTC().Truncate(time.Second), rnd: rand.New(rand.NewPCG(2026, 1205))}
		for from := 1; from <= count; from += 50 {
			to := min(from+49, count)
			if err := g.rushShops(tx, from, to, products, hash, catIDs, &sum); err != nil {
				return err
			}
		}
		return nil
	})
	return sum, err
}

// rushShops adds the shops numbered from..to with their sellers and
// catalogues of perShop products.
func (g *generator) rushShops(tx *gorm.DB, from, to, perShop int, hash string, catIDs []int64, sum *ShopsSummary) error {
	var products []models.Product
	var skus []models.SKU
	var plans [][]models.PricePeriod
	for n := from; n <= to; n++ {
		var shopID int64
		if err := tx.Raw(`INSERT INTO shops (public_id, name, sps, free_shipping, free_shipping_threshold)
			VALUES (?, ?, 4.00, true, 20.00) RETURNING id`, fmt.Sprintf("RUSH-%04d", n), fmt.Sprintf("Rush Shop %d", n)).
			Scan(&shopID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO users (email, display_name, password_hash, role, shop_id) VALUES (?, ?, ?, 'seller', ?)`,
			RushEmail(n), fmt.Sprintf("Rush Seller %d", n), hash, shopID).Error; err != nil {
			return err
		}
		sum.Shops++
		sum.Users++
		for i := 0; i < perShop; i++ {
			ci := g.rnd.IntN(len(categories))
			cat := categories[ci]
			title := cat.adjectives[g.rnd.IntN(len(cat.adjectives))] + " " + cat.nouns[g.rnd.IntN(len(cat.nouns))]
			products = append(products, models.Product{ShopID: shopID, PID: fmt.Sprintf("9%04d%03d", n, i+1), Title: title,
				CategoryID: catIDs[ci], CreatedAt: g.now.AddDate(0, 0, -listedDaysAgo), UpdatedAt: g.now})
			variants := cat.variants[g.rnd.IntN(len(cat.variants))]
			base := cat.priceMin + g.rnd.Float64()*(cat.priceMax-cat.priceMin)
			for v := 0; v < min(1+g.rnd.IntN(3), len(variants)); v++ {
				periods := g.priceHistory(base * (1 + 0.08*float64(v)))
				skus = append(skus, models.SKU{
					ProductID: int64(len(products) - 1), // index until the product has an id
					ShopID:    shopID, SKUCode: fmt.Sprintf("RUSH%04d-%03d-%d", n, i+1, v+1),
					Attributes: variants[v], RetailPrice: periods[len(periods)-1].Price, Stock: 100 + g.rnd.IntN(400), Version: 1,
					CreatedAt: g.now.AddDate(0, 0, -listedDaysAgo), UpdatedAt: g.now,
				})
				plans = append(plans, periods)
			}
		}
	}
	periods, err := insertCatalogue(tx, products, skus, plans)
	sum.Products += len(products)
	sum.SKUs += len(skus)
	sum.PricePeriods += periods
	return err
}
