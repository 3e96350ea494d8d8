package handlers

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
)

func itoa(n int) string { return strconv.Itoa(n) }

// idParam reads a positive numeric path parameter; anything else is a
// missing page, not a server error.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// shopAndID returns the seller's shop and a numeric path parameter.
func shopAndID(c echo.Context, name string) (models.Shop, int64, error) {
	shop, err := mustShop(c)
	if err != nil {
		return shop, 0, err
	}
	id, err := idParam(c, name)
	return shop, id, err
}

// shopAndIDs returns the seller's shop and two numeric path parameters.
func shopAndIDs(c echo.Context, first, second string) (models.Shop, int64, int64, error) {
	shop, a, err := shopAndID(c, first)
	if err != nil {
		return shop, 0, 0, err
	}
	b, err := idParam(c, second)
	return shop, a, b, err
}

// pick is one or many by count: pick(n, "product", "products").
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
