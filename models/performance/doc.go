// Package performance owns campaign performance: a shop's year over every
// campaign it joined (Manage your campaigns), one campaign's analytics (View
// data) and the platform's view of a campaign, and all of their figure
// arithmetic (changes against the previous year, per-SKU sums, uplift and
// the "did it pay" verdict). Money is read from the rollups package orders
// keeps, never from the orders themselves.
package performance
