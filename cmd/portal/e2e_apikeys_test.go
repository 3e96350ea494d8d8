package main

// The seller's API journey: make a key on the API keys page, read the
// shop's settled records with it as the reference page's curl example
// does, find the reference from the keys page, and revoke the key through
// the confirmation dialog, after which it opens nothing.
//
//	CI=1 go test ./cmd/portal -run TestE2ESellerMakesAnAPIKey -count=1

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2ESellerMakesAnAPIKey(t *testing.T) {
	chromium := findChromium(t)
	base := startPortal(t)
	browser := startBrowser(t, chromium)

	tab := openTab(t, browser, base)
	tab.signIn("seller@demo.test")
	tab.expectAttr(`nav.sidenav a[href="/api-keys"]`, "href", "/api-keys")
	tab.do("open Your tools › API keys", chromedp.Navigate(base+"/api-keys"))
	tab.waitVisible(`[data-testid=create-key]`)

	// Nothing ticked: the page says so next to the scopes and keeps the name.
	tab.do("name a key, untick every scope, create",
		chromedp.SendKeys(chromedp.CSS(`#key-name`), "Stock sheet"),
		chromedp.Click(chromedp.CSS(`[data-testid="scope-campaigns:read"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid=create-key]`)))
	tab.waitForTextMatch(`#key-scopes-error`, "Choose at least one scope", func(s string) bool { return strings.Contains(s, "Choose at least one scope") })
	tab.expectAttr(`#key-name`, "value", "Stock sheet")

	tab.do("tick campaigns:read and finance:read, create",
		chromedp.Click(chromedp.CSS(`[data-testid="scope-campaigns:read"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="scope-finance:read"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid=create-key]`)))
	tab.waitVisible(`[data-testid=new-key-secret]`)
	secret := tab.text(`[data-testid=new-key-secret]`)
	if !strings.HasPrefix(secret, "cpk_") {
		t.Fatalf("the key shown: %q", secret)
	}
	tab.expectTextContains(`[data-testid=key-row]`, "Stock sheet")

	// The reference page's example for settled records, with this key.
	tab.clickToNavigate(`main a`, "API reference")
	tab.waitVisible(`#op-listSettledRecords [data-testid=curl-example]`)
	curl := tab.text(`#op-listSettledRecords [data-testid=curl-example]`)
	if !strings.Contains(curl, base+"/api/v1/seller/settled-records") || !strings.Contains(curl, "$PORTAL_KEY") {
		t.Fatalf("the example: %q", curl)
	}
	get := func(path string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	status, body := get("/api/v1/seller/settled-records?limit=5")
	if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 5 {
		t.Fatalf("settled records with the new key: %d %v", status, body)
	}

	// Last used shows, and revoking asks first.
	tab.do("back to the keys", chromedp.Navigate(base+"/api-keys"))
	if got := tab.text(`[data-testid=key-last-used]`); got == "never" {
		t.Errorf("the key just used says last used %q", got)
	}
	if strings.Contains(tab.text(`main`), secret) {
		t.Error("the key is shown a second time")
	}
	tab.click(`[data-testid=revoke-key]`)
	q := tab.confirmDialog()
	if !strings.Contains(q.Title, "Stock sheet") || q.Action != "Revoke key" {
		t.Errorf("the confirmation asks %+v", q)
	}
	tab.answerConfirm(true)
	tab.waitForTextMatch(`[data-testid=key-row]`, "Revoked", func(s string) bool { return strings.Contains(s, "Revoked") })
	if status, body := get("/api/v1/seller/settled-records"); status != http.StatusUnauthorized || body["code"] != "unauthorized" {
		t.Errorf("the revoked key: %d %v", status, body)
	}
	// The refused form answered 422 on purpose; nothing else may show.
	for _, p := range tab.problems.all() {
		if !strings.Contains(p, "status of 422") {
			t.Errorf("browser console: %s", p)
		}
	}
}
