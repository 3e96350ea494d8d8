package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
)

type generator struct {
	now time.Time
	rnd *rand.Rand
}

// newGenerator seeds a fixed random source: the same demo every time,
// shifted to today.
func newGenerator(now time.Time) *generator {
	return &generator{now: now.UTC().Truncate(time.Second), rnd: rand.New(rand.NewPCG(2026, 1125))}
}

type category struct {
	name       string
	nouns      []string
	adjectives []string
	variants   [][]string // attribute sets: one is picked per product
	priceMin   float64
	priceMax   float64
}

var categories = []category{
	{"Home & Kitchen", []string{"Ceramic Mug Set", "Cast Iron Skillet", "Linen Tea Towels", "Bamboo Cutting Board", "Glass Storage Jars", "Stoneware Dinner Plates", "French Press", "Spice Rack"},
		[]string{"Nordic", "Rustic", "Everyday", "Chef's", "Heritage", "Minimal"}, [][]string{{"White", "Sage", "Charcoal", "Terracotta"}, {"Small", "Medium", "Large"}}, 12, 89},
	{"Beauty & Personal Care", []string{"Hydrating Face Serum", "Clay Mask", "Lip Balm Trio", "Bamboo Hair Brush", "Body Butter", "Vitamin C Cream"},
		[]string{"Botanical", "Daily", "Gentle", "Radiant", "Pure"}, [][]string{{"30 ml", "50 ml", "100 ml"}, {"Unscented", "Lavender", "Citrus"}}, 8, 48},
	{"Electronics Accessories", []string{"USB-C Charging Cable", "Wireless Charger Pad", "Phone Stand", "Laptop Sleeve", "Bluetooth Earbuds", "Power Bank"},
		[]string{"Fast", "Slim", "Travel", "Pro", "Compact"}, [][]string{{"Black", "White", "Blue"}, {"1 m", "2 m", "3 m"}, {"13 in", "14 in", "16 in"}}, 9, 79},
	{"Toys & Games", []string{"Wooden Puzzle", "Building Blocks Set", "Plush Bear", "Card Game", "Magnetic Tiles", "Kite"},
		[]string{"Classic", "Rainbow", "Junior", "Family", "Adventure"}, [][]string{{"Red", "Green", "Blue", "Yellow"}, {"24 pcs", "48 pcs", "100 pcs"}}, 10, 65},
	{"Apparel", []string{"Merino Beanie", "Cotton Crew T-Shirt", "Fleece Hoodie", "Wool Socks (3 pack)", "Rain Jacket", "Canvas Tote"},
		[]string{"Organic", "Everyday", "Trail", "Cozy", "Urban"}, [][]string{{"XS", "S", "M", "L", "XL", "XXL"}, {"Navy", "Olive", "Oat", "Black"}}, 14, 120},
	{"Sports & Outdoors", []string{"Yoga Mat", "Insulated Water Bottle", "Resistance Bands", "Camping Lantern", "Trekking Poles", "Jump Rope"},
		[]string{"Alpine", "Studio", "Summit", "Endurance", "Lightweight"}, [][]string{{"500 ml", "750 ml", "1 l"}, {"Forest", "Slate", "Coral"}}, 11, 95},
	{"Pet Supplies", []string{"Dog Leash", "Cat Scratcher", "Pet Bed", "Chew Toy Set", "Grooming Brush", "Travel Water Bowl"},
		[]string{"Sturdy", "Cozy", "Playful", "Everyday", "Deluxe"}, [][]string{{"S", "M", "L"}, {"Red", "Teal", "Grey"}}, 7, 70},
	{"Stationery & Office", []string{"Dotted Notebook", "Gel Pen Set", "Desk Organizer", "Weekly Planner", "Washi Tape Set", "Fountain Pen"},
		[]string{"Studio", "Classic", "Pocket", "Executive", "Pastel"}, [][]string{{"A5", "A4", "B6"}, {"Black", "Blue", "Assorted"}}, 5, 45},
}

// listedDaysAgo dates the catalogue: listed before the two years of demo
// orders begin.
const listedDaysAgo = 800

// products per shop: about 300 in all.
var productsPerShop = []struct {
	shop, prefix string
	count        int
}{
	{"Maple & Co", "MPL", 180},
	{"Northwind Goods", "NWG", 70},
	{"Fresh Start", "FRS", 50},
}

func (g *generator) catalogue(tx *gorm.DB, shops shopIDs, sum *Summary) error {
	catIDs := make([]int64, len(categories))
	for i, c := range categories {
		if err := tx.Raw(`INSERT INTO categories (name) VALUES (?) RETURNING id`, c.name).Scan(&catIDs[i]).Error; err != nil {
			return err
		}
	}
	pid := int64(1729000000)
	var products []models.Product
	var skus []models.SKU
	var plans [][]models.PricePeriod
	for _, ps := range productsPerShop {
		shopID := shops[ps.shop]
		for i := 0; i < ps.count; i++ {
			ci := g.rnd.IntN(len(categories))
			cat := categories[ci]
			pid += int64(1 + g.rnd.IntN(9000))
			title := cat.adjectives[g.rnd.IntN(len(cat.adjectives))] + " " + cat.nouns[g.rnd.IntN(len(cat.nouns))]
			products = append(products, models.Product{ShopID: shopID, PID: fmt.Sprint(pid), Title: title,
				CategoryID: catIDs[ci], CreatedAt: g.now.AddDate(0, 0, -listedDaysAgo), UpdatedAt: g.now})
			variants := cat.variants[g.rnd.IntN(len(cat.variants))]
			n := 1 + g.rnd.IntN(6)
			if n > len(variants) {
				n = len(variants)
			}
			base := cat.priceMin + g.rnd.Float64()*(cat.priceMax-cat.priceMin)
			for v := 0; v < n; v++ {
				periods := g.priceHistory(base * (1 + 0.08*float64(v)))
				current := periods[len(periods)-1].Price
				stock := 0
				if g.rnd.IntN(12) > 0 {
					stock = 5 + g.rnd.IntN(400)
				}
				skus = append(skus, models.SKU{
					ProductID:  int64(len(products) - 1), // index until the product has an id
					ShopID:     shopID,
					SKUCode:    fmt.Sprintf("%s-%05d-%d", ps.prefix, i+1, v+1),
					Attributes: variants[v], RetailPrice: current, Stock: stock, Version: 1,
					CreatedAt: g.now.AddDate(0, 0, -listedDaysAgo), UpdatedAt: g.now,
				})
				plans = append(plans, periods)
			}
		}
	}
	periods, err := insertCatalogue(tx, products, skus, plans)
	sum.Products, sum.SKUs, sum.PricePeriods = len(products), len(skus), periods
	return err
}

// insertCatalogue stores products, their SKUs (whose ProductID is the
// product's index in products until then) and each SKU's price history
// (plans[i] for skus[i]); it returns the number of price periods stored.
func insertCatalogue(tx *gorm.DB, products []models.Product, skus []models.SKU, plans [][]models.PricePeriod) (int, error) {
	if err := tx.CreateInBatches(&products, 500).Error; err != nil {
		return 0, err
	}
	for i := range skus {
		skus[i].ProductID = products[skus[i].ProductID].ID
	}
	if err := tx.CreateInBatches(&skus, 500).Error; err != nil {
		return 0, err
	}
	var history []models.PricePeriod
	for i, periods := range plans {
		for _, p := range periods {
			p.SKUID = skus[i].ID
			history = append(history, p)
		}
	}
	if err := tx.CreateInBatches(&history, 1000).Error; err != nil {
		return 0, err
	}
	return len(history), nil
}

// priceHistory walks 120 days of prices: the retail price moves every one
// to four weeks, and about a third of SKUs had a short sale in the window.
func (g *generator) priceHistory(base float64) []models.PricePeriod {
	start := g.now.AddDate(0, 0, -120)
	var out []models.PricePeriod
	price := base
	t := start
	saleAt := time.Time{}
	if g.rnd.IntN(3) == 0 {
		saleAt = g.now.AddDate(0, 0, -(5 + g.rnd.IntN(100)))
	}
	for t.Before(g.now) {
		next := t.Add(time.Duration(7+g.rnd.IntN(22)) * 24 * time.Hour)
		source := "retail"
		p := price
		if !saleAt.IsZero() && !saleAt.Before(t) && saleAt.Before(next) {
			// The retail stretch up to the sale, then the sale itself.
			if saleAt.After(t) {
				out = append(out, period(p, t, saleAt, "retail"))
			}
			t = saleAt
			next = saleAt.Add(time.Duration(3+g.rnd.IntN(5)) * 24 * time.Hour)
			p = price * (0.70 + 0.15*g.rnd.Float64())
			source = "sale"
			saleAt = time.Time{}
		} else {
			price = price * (0.92 + 0.16*g.rnd.Float64())
			p = price
		}
		if !next.Before(g.now) {
			out = append(out, models.PricePeriod{Price: charm(p), ValidFrom: t, Source: source})
			if source == "sale" { // a sale never stays the current price
				last := &out[len(out)-1]
				end := g.now.Add(-time.Hour)
				last.ValidTo = &end
				out = append(out, models.PricePeriod{Price: charm(price), ValidFrom: end, Source: "retail"})
			}
			break
		}
		out = append(out, period(p, t, next, source))
		t = next
	}
	return out
}

func period(p float64, from, to time.Time, source string) models.PricePeriod {
	end := to
	return models.PricePeriod{Price: charm(p), ValidFrom: from, ValidTo: &end, Source: source}
}

// charm rounds a price to a shop-like ending: 23.99, 9.49.
func charm(p float64) decimal.Decimal {
	if p < 3 {
		p = 3
	}
	whole := decimal.NewFromInt(int64(p))
	ending := decimal.RequireFromString("0.99")
	if int64(p*100)%2 == 0 {
		ending = decimal.RequireFromString("0.49")
	}
	return whole.Add(ending)
}
