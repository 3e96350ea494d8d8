// Package models is the portal's core domain: shops, users and sign-in,
// campaigns (authoring, versions, eligibility, tiers, coupons), pricing
// rules (every price, stock and extra-discount limit is one function here,
// used by the price table, the upload checker and the API alike),
// registrations and their state machine, review, manage (price edits,
// withdrawals, SKU errors), the catalogue, notifications and reminders, and
// the money helpers (rounding, the service fee, the coupon split).
//
// Entities are GORM structs; rules are plain functions with table tests;
// queries are methods of Store, each seller query filtered by the shop of
// the session. Sub-packages build on it and it imports none of them:
//
//	models/orders       orders, their settlement and the rollups
//	models/performance  campaign performance figures (reads the rollups)
//	models/uploads      bulk upload parsing, checking and templates
//	models/database     opening the database and migrating it
//	models/pgsql        pgx helpers shared by orders and performance
//	models/modeltest    real test databases and fixtures (tests only)
package models
