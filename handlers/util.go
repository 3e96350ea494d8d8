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
