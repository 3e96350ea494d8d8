package views

import "time"

// NavAPIKeys marks the sellers' API keys page.
// Nav keys of the seller API pages.
const (
	NavAPIKeys = "api-keys"
	NavAPIDocs = "api-docs"
)

// UTCTime is an instant as the keys page shows it (UTC, named).
func UTCTime(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04") + " UTC" }

// ScopeOption is a scope checkbox on the new key form.
type ScopeOption struct {
	Value, Label string
	Checked      bool
}

// APIKeyRow is one of the shop's keys.
type APIKeyRow struct {
	ID        int64
	Name      string
	Prefix    string
	Scopes    []string
	CreatedAt string
	LastUsed  string
	Revoked   string
	RevokeURL string
}

// APIKeys is the sellers' API keys page.
type APIKeys struct {
	Rows      []APIKeyRow
	Scopes    []ScopeOption
	Name      string
	Chosen    []string
	Errors    map[string]string
	NewSecret string
	NewName   string
	DocsURL   string
}
