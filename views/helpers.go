package views

import (
	"encoding/json"
	"strings"
)

// csrfHeaders is the hx-headers value that makes htmx send the CSRF token
// on every request (htmx 2 inherits hx-headers from <body>).
func csrfHeaders(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}

func roleLabel(role string) string {
	switch role {
	case "reviewer":
		return "Reviewer"
	case "manager":
		return "Campaign manager"
	case "seller":
		return "Seller"
	}
	return role
}

func joinNames(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
