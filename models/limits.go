package models

import (
	"math"
	"time"

	"github.com/shopspring/decimal"
)

// The limits of what the portal stores, from the schema's columns, in one
// place: every form, upload and API request is checked against these at
// the edge (422 naming the field), so no value that looks valid can
// overflow a column and come back as a 500. README, "Security", lists them.

// MaxAmount is the largest amount a price column holds (numeric(12,2)): a
// retail or campaign price, a unit price, a shipping charge, a coupon's
// value or minimum purchase.
var MaxAmount = decimal.New(999999999999, -2)

// MaxOrderTotal is the most one order may add up to: every line's quantity
// × unit price, plus shipping. An order's fee, coupon discount and shares
// are numeric(12,2) columns and each is at most this total, so an order
// within it fits every column it writes (its merchandise and payout are
// numeric(14,2)).
var MaxOrderTotal = MaxAmount

// MaxStock is the largest stock (or campaign stock) an integer column holds.
const MaxStock = math.MaxInt32

// MaxOrderQuantity is the most units of one SKU in one order line.
const MaxOrderQuantity = 1_000_000

// The running totals (settled_totals, campaign_days, campaign_sku_days)
// are numeric without a precision limit (migration 00014): a shop-day's
// sums have no largest value, so no number of orders in a day can block
// the next one.

// EarliestDate and LatestDate bound every date the portal is given (an
// order's placed_at, an event's at): outside [2000-01-01, 2100-01-01) UTC
// it is a mistake, refused with a 422, never passed to PostgreSQL.
var (
	EarliestDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestDate   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// DateInRange says whether t lies in [EarliestDate, LatestDate).
func DateInRange(t time.Time) bool {
	return !t.Before(EarliestDate) && t.Before(LatestDate)
}
