package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaignportal/models/modeltest"
	"campaignportal/web/routes"
)

// TestAPIAndPriceTableGiveTheSameVerdict: one table of cases, each typed
// into the price table (the screens' row update) and sent as a bulk dry
// run by the API, for the same SKU: both refuse the same values with the
// same sentence, next to the same field.
func TestAPIAndPriceTableGiveTheSameVerdict(t *testing.T) {
	t.Parallel()
	w := newSellerAPIWorld(t)
	b := w.browser()
	b.signIn("seller@x.test")
	p, skus := modeltest.Product(t, w.db, w.maple.ID, "Teapot", "20.00")
	base := fmt.Sprintf("/campaigns/%d/register", w.open.ID)
	wantStatus(t, b.post(base+"/pick", url.Values{"product_id": {fmt.Sprint(p.ID)}}), http.StatusSeeOther)
	var rsID int64
	var available int
	if err := w.db.Raw(`SELECT id, available_stock FROM registration_skus WHERE sku_id = ?`, skus[0].ID).Row().Scan(&rsID, &available); err != nil {
		t.Fatal(err)
	}
	ok := fmt.Sprint(available) // at least the tier's minimum
	cases := []struct{ name, price, stock string }{
		{"valid", "10.00", ok},
		{"price with three decimals", "12.999", ok},
		{"price not a number", "abc", ok},
		{"price zero", "0", ok},
		{"price above the maximum", "999.00", ok},
		{"price past the columns", "99999999999", ok},
		{"stock not whole", "10.00", "2.5"},
		{"stock zero", "10.00", "0"},
		{"stock below the tier's minimum", "10.00", "1"},
		{"stock above available", "10.00", fmt.Sprint(available + 1)},
		{"both wrong", "x", "y"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The screens.
			rec := b.post(routes.RegisterSKU(w.open.ID, rsID), url.Values{"price": {c.price}, "stock": {c.stock}},
				header("HX-Request", "true"))
			doc := parse(t, rec)
			screen := map[string]string{
				"campaign_price": strings.TrimSpace(doc.Find(testid("price-error")).Text()),
				"campaign_stock": strings.TrimSpace(doc.Find(testid("stock-error")).Text()),
			}
			// The API.
			body := `{"items":[{"sku":"` + skus[0].SKUCode + `","campaign_price":"` + c.price + `","campaign_stock":"` + c.stock + `"}]}`
			arec := apiCall(t, w.e, http.MethodPost, fmt.Sprintf("/api/v1/seller/campaigns/%d/registration/skus/bulk?dry_run=true", w.open.ID),
				w.mapleKey, strings.NewReader(body))
			wantStatus(t, arec, http.StatusOK)
			var res struct {
				Rows []struct {
					Valid  bool
					Errors []struct{ Field, Code, Detail string }
				}
			}
			if err := json.Unmarshal(arec.Body.Bytes(), &res); err != nil || len(res.Rows) != 1 {
				t.Fatalf("%v: %s", err, arec.Body.String())
			}
			api := map[string]string{"campaign_price": "", "campaign_stock": ""}
			for _, e := range res.Rows[0].Errors {
				if e.Code == "" {
					t.Errorf("a refusal without a code: %+v", e)
				}
				api[e.Field] = e.Detail
			}
			for field, msg := range api {
				if screen[field] != msg {
					t.Errorf("%s: the price table says %q, the API %q", field, screen[field], msg)
				}
			}
			if want := c.name == "valid"; res.Rows[0].Valid != want {
				t.Errorf("the API's valid=%v, want %v: %s", res.Rows[0].Valid, want, arec.Body.String())
			}
			if res.Rows[0].Valid != (screen["campaign_price"] == "" && screen["campaign_stock"] == "") {
				t.Errorf("the API's valid=%v, the price table's messages %v", res.Rows[0].Valid, screen)
			}
		})
	}
}
