package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"campaignportal/handlers"
	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// statusOf maps application errors to HTTP statuses, in one place.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	var invalid *models.ValidationError
	var limited *models.RateLimitedError
	var conflict *models.ConflictError
	var late *models.DeadlinePassedError
	var notEligible *models.NotEligibleError
	var locked *models.EditLockedError
	if c, ok := models.ConstraintConflict(err); ok {
		return http.StatusConflict, c.Message
	}
	switch {
	case errors.As(err, &locked):
		return http.StatusConflict, locked.Reason
	case errors.As(err, &conflict):
		return http.StatusConflict, conflict.Message
	case errors.As(err, &late):
		return http.StatusConflict, late.Error()
	case errors.As(err, &notEligible):
		return http.StatusForbidden, "Your shop cannot register for this campaign: " + strings.Join(notEligible.Reasons, "; ") + "."
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		return he.Code, msg
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, ""
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, ""
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict, ""
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Error()
	case errors.As(err, &limited):
		return http.StatusTooManyRequests, limited.Error()
	}
	return http.StatusInternalServerError, ""
}

// pageAbove is the nearest address above path that a GET route answers:
// /campaigns/3/register/submit → /campaigns/3/register.
func pageAbove(e *echo.Echo, path string, getPaths map[string]bool) string {
	for {
		i := strings.LastIndexByte(strings.TrimSuffix(path, "/"), '/')
		if i <= 0 || strings.HasPrefix(path, "//") || strings.ContainsRune(path, '\\') {
			return "/"
		}
		path = path[:i]
		c := e.NewContext(nil, nil)
		e.Router().Find(http.MethodGet, path, c)
		if getPaths[c.Path()] {
			return path
		}
	}
}

func friendly(status int, msg string) (string, string) {
	switch status {
	case http.StatusNotFound:
		return "Page not found", "There is nothing here, or it belongs to someone else."
	case http.StatusForbidden:
		if msg == "" {
			msg = "Your account cannot open this page."
		}
		return "Not allowed", msg
	case http.StatusConflict:
		if msg == "" {
			msg = "Someone changed this while you were working on it. Reload and try again."
		}
		return "That cannot be done now", msg
	case http.StatusMethodNotAllowed:
		return "Not allowed", "This page cannot be used that way."
	case http.StatusTooManyRequests:
		return "Slow down", msg
	case http.StatusRequestEntityTooLarge:
		return "Too large", "What you sent is too large."
	}
	if status >= 500 {
		return "Something went wrong", "The portal hit a problem and nothing was changed. Please try again in a moment."
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return "That did not work", msg
}

// errorHandler shows a friendly page (or a fragment, for htmx) that never
// leaks internals; observe logs the request's one line with the error.
func errorHandler(log *slog.Logger, kit handlers.Kit) echo.HTTPErrorHandler {
	var getRoutes struct {
		once  sync.Once
		paths map[string]bool
	}
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if routes.IsSellerAPI(c.Request().URL.Path) {
			if werr := handlers.WriteProblem(c, err); werr != nil {
				log.Error("writing a problem document failed", "error", werr)
			}
			return
		}
		status, msg := statusOf(err)
		if status == http.StatusMethodNotAllowed && c.Request().Method == http.MethodGet {
			// A POST-only address reached by refresh, Back or a pasted
			// link: the page it belongs to, never a bare 405.
			getRoutes.once.Do(func() {
				getRoutes.paths = map[string]bool{}
				for _, r := range c.Echo().Routes() {
					if r.Method == http.MethodGet {
						getRoutes.paths[r.Path] = true
					}
				}
			})
			_ = c.Redirect(http.StatusSeeOther, pageAbove(c.Echo(), c.Request().URL.Path, getRoutes.paths))
			return
		}
		reqID := c.Response().Header().Get(echo.HeaderXRequestID)
		title, message := friendly(status, msg)
		info := views.ErrorInfo{Status: status, Title: title, Message: message}
		if status >= 500 {
			info.RequestID = reqID
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		var rerr error
		if handlers.IsPartial(c) {
			rerr = handlers.Render(c, status, views.ErrorFragment(info))
		} else {
			rerr = handlers.Render(c, status, views.ErrorPage(kit.Page(c, title, ""), info))
		}
		if rerr != nil {
			log.Error("rendering the error page failed", "request_id", reqID, "error", rerr)
		}
	}
}
