// Package orders owns what happens after a sale: the order import (one
// order, NDJSON batches over COPY, back-fills), order events (completed,
// cancelled, returned), the settlement engine (the service fee once per
// order, the co-funded coupon split, reversals), settled records with their
// running totals and exports, the campaign performance rollups with their
// allocation to the cent, and the marketplace's order-feed tokens.
//
// It builds on the core domain (package models) and is used by handlers,
// performance and the demo loader; models never imports it.
package orders
