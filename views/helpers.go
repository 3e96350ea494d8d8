package views

import "encoding/json"

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
