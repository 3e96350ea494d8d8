package views

// NotificationItem is one entry of the notification centre.
type NotificationItem struct {
	Title   string
	Body    string
	Kind    string
	When    string
	Unread  bool
	OpenURL string
}

// NotificationList is the notification centre.
type NotificationList struct {
	Items      []NotificationItem
	ReadAllURL string
}
