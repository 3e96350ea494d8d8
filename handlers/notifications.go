package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// NotificationStore is the notification centre's store.
type NotificationStore interface {
	Notifications(ctx context.Context, userID int64, limit int) ([]models.Notification, error)
	MarkNotificationRead(ctx context.Context, userID, id int64) (string, error)
	MarkAllNotificationsRead(ctx context.Context, userID int64) error
}

// Notifications is the notification centre.
type Notifications struct {
	Kit
	store NotificationStore
}

// NewNotifications builds the notification centre.
func NewNotifications(k Kit, store NotificationStore) *Notifications {
	return &Notifications{Kit: k, store: store}
}

// List shows the newest notifications.
func (h *Notifications) List(c echo.Context) error {
	s := SessionFrom(c)
	ns, err := h.store.Notifications(ctx(c), s.User.ID, 100)
	if err != nil {
		return err
	}
	v := views.NotificationList{ReadAllURL: routes.NotificationsReadPattern}
	for _, n := range ns {
		v.Items = append(v.Items, views.NotificationItem{Title: n.Title, Body: n.Body, Kind: string(n.Kind),
			When: views.DateTime(n.CreatedAt, time.UTC), Unread: n.ReadAt == nil, OpenURL: routes.Notification(n.ID)})
	}
	return Render(c, http.StatusOK, views.NotificationsPage(h.Page(c, "Notifications", views.NavNotifications), v))
}

// Open marks a notification read and goes where it points.
func (h *Notifications) Open(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	link, err := h.store.MarkNotificationRead(ctx(c), SessionFrom(c).User.ID, id)
	if err != nil {
		return err
	}
	if link == "" {
		link = routes.NotificationsPattern
	}
	return Redirect(c, link)
}

// ReadAll clears the bell.
func (h *Notifications) ReadAll(c echo.Context) error {
	if err := h.store.MarkAllNotificationsRead(ctx(c), SessionFrom(c).User.ID); err != nil {
		return err
	}
	return Redirect(c, routes.NotificationsPattern)
}
