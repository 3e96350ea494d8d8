package handlers

import (
	"net/url"
	"strconv"
	"strings"

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

// maxPage bounds a page number from the address: far beyond any list, far
// below what the offset arithmetic could overflow on.
const maxPage = 1_000_000

// pageParam reads ?page=: 1 when missing or not a number, at most maxPage
// (strconv.Atoi answers a huge number with the largest int, and an error).
func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPage)
}

// maxSearch bounds a search text, in characters.
const maxSearch = 200

// searchParam reads a search text from the address as PostgreSQL can take
// it: invalid UTF-8 (lone surrogates included) and NUL are dropped,
// spaces trimmed, at most maxSearch characters.
func searchParam(c echo.Context, key string) string {
	q := strings.ToValidUTF8(c.QueryParam(key), "")
	q = strings.TrimSpace(strings.ReplaceAll(q, "\x00", ""))
	if r := []rune(q); len(r) > maxSearch {
		q = string(r[:maxSearch])
	}
	return q
}

// positiveID reads an id from a query value: anything but a positive
// whole number is not found.
func positiveID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}
