// Package demo loads believable demo data: three shops, five sign-ins,
// about 300 products with 120 days of price history, integrated campaigns
// dated relative to today so the demo never goes stale, and (Orders) two
// years of Maple & Co's orders across the campaigns it joined. It is a
// command's data generator, not part of the portal's logic: the portal
// never calls it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
)

// ErrNotEmpty means the database already holds data; demo data is only
// ever loaded into an empty database.
var ErrNotEmpty = errors.New("database is not empty")

// Password is every demo account's password.
const Password = "demo"

// Account is a demo sign-in.
type Account struct {
	Email, Name, Role, Shop, Note string
}

// Accounts are the demo sign-ins, in the order they are printed.
var Accounts = []Account{
	{"seller@demo.test", "Maya Chen", "seller", "Maple & Co", "SPS 4.6, free shipping over $25: eligible"},
	{"seller2@demo.test", "Owen Park", "seller", "Northwind Goods", "SPS 3.2, free shipping over $35: not eligible"},
	{"newshop@demo.test", "Lena Ortiz", "seller", "Fresh Start", "no SPS yet, free shipping over $20: eligible"},
	{"reviewer@demo.test", "Riley Brooks", "reviewer", "", "reviews registrations and price edits"},
	{"manager@demo.test", "Sam Patel", "manager", "", "creates and runs campaigns"},
}

// Summary counts what was loaded.
type Summary struct {
	Shops, Products, SKUs, PricePeriods, Campaigns int
}

// PrintSignIns writes the demo sign-ins for people to copy.
func PrintSignIns(w io.Writer) {
	fmt.Fprintf(w, "Demo sign-ins (password %q for each):\n", Password)
	for _, a := range Accounts {
		fmt.Fprintf(w, "  %-20s %-9s %s\n", a.Email, a.Role, a.Note)
	}
}

// Load fills an empty database in one transaction. now anchors every date.
func Load(ctx context.Context, db *gorm.DB, now time.Time) (Summary, error) {
	var sum Summary
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Serialise concurrent loaders (several instances starting at once).
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(727001)`).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Raw(`SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM shops) + (SELECT count(*) FROM campaigns)`).
			Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		g := newGenerator(now)
		shops, err := g.shops(tx)
		if err != nil {
			return err
		}
		sum.Shops = len(shops)
		if err := g.users(tx, shops); err != nil {
			return err
		}
		if err := g.catalogue(tx, shops, &sum); err != nil {
			return err
		}
		n2, err := g.campaigns(tx, shops)
		sum.Campaigns = n2
		if err != nil {
			return err
		}
		if err := g.registrations(tx); err != nil {
			return err
		}
		return g.mapleCyberWeek(tx)
	})
	return sum, err
}

// shopIDs maps a shop's name to its id.
type shopIDs map[string]int64

func (g *generator) shops(tx *gorm.DB) (shopIDs, error) {
	rows := []struct {
		public, name string
		sps          any
		threshold    string
	}{
		{"MAPLE-1001", "Maple & Co", "4.60", "25.00"},
		{"NORTHWIND-2002", "Northwind Goods", "3.20", "35.00"},
		{"FRESH-3003", "Fresh Start", nil, "20.00"},
	}
	ids := shopIDs{}
	for _, r := range rows {
		var id int64
		err := tx.Raw(`INSERT INTO shops (public_id, name, sps, free_shipping, free_shipping_threshold)
			VALUES (?, ?, ?, true, ?) RETURNING id`, r.public, r.name, r.sps, r.threshold).Scan(&id).Error
		if err != nil {
			return nil, err
		}
		ids[r.name] = id
	}
	return ids, nil
}

func (g *generator) users(tx *gorm.DB, shops shopIDs) error {
	for _, a := range Accounts {
		hash, err := models.HashPassword(Password)
		if err != nil {
			return err
		}
		var shopID any
		if a.Shop != "" {
			shopID = shops[a.Shop]
		}
		if err := tx.Exec(`INSERT INTO users (email, display_name, password_hash, role, shop_id) VALUES (?, ?, ?, ?, ?)`,
			a.Email, a.Name, hash, a.Role, shopID).Error; err != nil {
			return err
		}
	}
	return nil
}
