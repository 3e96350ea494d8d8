// Package views renders the portal's HTML with templ. Components take view
// models built by handlers; cross-cutting values arrive in Page.
package views

// Viewer is the signed-in person, as the layout shows them.
type Viewer struct {
	Name     string
	Email    string
	Role     string // seller, reviewer, manager
	ShopName string
	ShopID   string // the shop's public id
}

// Page carries what every full page needs.
type Page struct {
	Title     string
	Viewer    *Viewer
	CSRFToken string
	Nav       string // the side-navigation entry to mark current
	Flash     string
	Asset     func(logical string) string
	// Unread is the number on the notification bell.
	Unread int
}

// AssetURL resolves a logical asset name (e.g. "app.css") to its hashed URL.
func (p Page) AssetURL(name string) string {
	if p.Asset == nil {
		return "/static/" + name
	}
	return p.Asset(name)
}

// Nav keys.
const (
	NavCampaigns     = "campaigns"
	NavProducts      = "products"
	NavAccount       = "account"
	NavReview        = "review"
	NavManager       = "manager"
	NavNotifications = "notifications"
)

// htmxConfig keeps htmx inside the Content-Security-Policy (no eval, no
// injected indicator styles, and no style attribute copied while a swap
// settles: htmx's default attributesToSettle includes "style", whose
// setAttribute the policy refuses whenever the element on screen carries a
// style attribute, even an empty one left by a script's CSSOM write) and
// lets 422 responses swap, so re-rendered forms with field errors replace
// the old ones.
const htmxConfig = `{"includeIndicatorStyles":false,"attributesToSettle":["class","width","height"],` +
	`"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"429","swap":true},` +
	`{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}`
