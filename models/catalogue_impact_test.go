package models_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// The impact list shown before saving and the SKU errors the save records
// come from the same rule: over a table of edits, the registrations listed
// are exactly the ones that end up in SKU error, and an edit that lists
// none saves at once and breaks nothing.
func TestCatalogueEditImpactIsTheSKUError(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	cases := []struct {
		name string
		edit func(w *regWorld, seller models.User, ack string) error
		want []string // campaigns put in SKU error
	}{
		{"retail rise keeps every campaign price within its rule", func(w *regWorld, u models.User, ack string) error {
			return w.store.EditSKU(bg, w.shop.ID, u.ID, w.skus[0].ID, models.SKUEdit{RetailPrice: amount("25.00")}, ack, time.Now())
		}, nil},
		{"retail cut that keeps the campaign price under the new maximum", func(w *regWorld, u models.User, ack string) error {
			return w.store.EditSKU(bg, w.shop.ID, u.ID, w.skus[1].ID, models.SKUEdit{RetailPrice: amount("30.00")}, ack, time.Now())
		}, nil},
		{"retail cut to the campaign price exactly (Regular: at or below the low)", func(w *regWorld, u models.User, ack string) error {
			return w.store.EditSKU(bg, w.shop.ID, u.ID, w.skus[0].ID, models.SKUEdit{RetailPrice: amount("9.00")}, ack, time.Now())
		}, nil},
		{"retail cut a cent below the campaign price breaks both", func(w *regWorld, u models.User, ack string) error {
			return w.store.EditSKU(bg, w.shop.ID, u.ID, w.skus[0].ID, models.SKUEdit{RetailPrice: amount("8.99")}, ack, time.Now())
		}, []string{"Holiday", "Winter"}},
		{"variant of a SKU only one campaign holds", func(w *regWorld, u models.User, ack string) error {
			return w.store.EditSKU(bg, w.shop.ID, u.ID, w.skus[1].ID, models.SKUEdit{Attributes: str("Blue")}, ack, time.Now())
		}, []string{"Holiday"}},
		{"adding a SKU breaks only the product with an extra discount", func(w *regWorld, u models.User, ack string) error {
			return w.store.AddSKU(bg, w.shop.ID, u.ID, w.product.ID, "MUG-NEW", "Green", decimal.RequireFromString("20.00"), 4, ack, time.Now())
		}, []string{"Holiday"}},
		{"deleting a SKU both hold", func(w *regWorld, u models.User, ack string) error {
			return w.store.DeleteSKU(bg, w.shop.ID, u.ID, w.skus[0].ID, ack, time.Now())
		}, []string{"Holiday", "Winter"}},
		{"deleting a SKU one holds", func(w *regWorld, u models.User, ack string) error {
			return w.store.DeleteSKU(bg, w.shop.ID, u.ID, w.skus[2].ID, ack, time.Now())
		}, []string{"Holiday"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, _, seller := registered(t, false)
			// A second campaign holds only the first SKU, without an extra discount.
			winter := modeltest.Campaign(t, w.db, modeltest.OpenCampaign("Winter"))
			reg, _, err := w.store.OpenDraft(bg, w.shop, winter.ID, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID, SKUID: w.skus[0].ID,
				Price: price("9.00"), Stock: count(3)}}, models.SourcePick, time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "w", time.Now()); err != nil {
				t.Fatal(err)
			}

			err = tc.edit(w, seller, "")
			var confirm *models.NeedsConfirmationError
			var listed []string
			switch {
			case errors.As(err, &confirm):
				for _, im := range confirm.Impacts {
					listed = append(listed, im.CampaignName)
					if !im.CanReregister || im.Reason == "" {
						t.Errorf("impact %+v: want a reason and the deadline still open", im)
					}
				}
				if got := skuErrors(t, w); len(got) != 0 {
					t.Fatalf("shown the list, yet %v already in SKU error", got)
				}
				if err := tc.edit(w, seller, confirm.Fingerprint); err != nil {
					t.Fatalf("confirmed: %v", err)
				}
			case err != nil:
				t.Fatal(err)
			}
			slices.Sort(listed)
			if !slices.Equal(listed, tc.want) {
				t.Errorf("impact list %v, want %v", listed, tc.want)
			}
			if got := skuErrors(t, w); !slices.Equal(got, listed) {
				t.Errorf("in SKU error after saving: %v; the list said %v", got, listed)
			}
		})
	}
}

func skuErrors(t *testing.T, w *regWorld) []string {
	t.Helper()
	var names []string
	if err := w.db.Raw(`SELECT c.name FROM registration_products rp JOIN registrations r ON r.id = rp.registration_id
		JOIN campaigns c ON c.id = r.campaign_id WHERE rp.shop_id = ? AND rp.status = 'sku_error' ORDER BY c.name`, w.shop.ID).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

// The rule itself on the edges: a product already out of the campaign is
// never listed, and a retail cut breaks exactly when the campaign price is
// above the tier's maximum on the new low.
func TestSKUErrorRule(t *testing.T) {
	d := decimal.RequireFromString
	featured := models.TierRule{Tier: models.TierFeatured, MaxPricePct: d("85")}
	hold := func(status models.ProductStatus, rule models.TierRule, cp string) models.RegistrationHold {
		return models.RegistrationHold{Status: status, Rule: rule, SKUs: map[int64]models.HeldSKU{1: {CampaignPrice: d(cp), LookbackLow: d("20.00")}}}
	}
	cut := func(p string) models.CatalogueEdit {
		v := d(p)
		return models.CatalogueEdit{Kind: models.EditChangeSKU, SKUID: 1, SKUCode: "A", NewRetail: &v}
	}
	for _, tc := range []struct {
		name   string
		edit   models.CatalogueEdit
		hold   models.RegistrationHold
		breaks bool
	}{
		{"featured, 85% of 15.00 is 12.75: 12.75 stays", cut("15.00"), hold(models.ProductRegistered, featured, "12.75"), false},
		{"featured, 12.76 breaks", cut("15.00"), hold(models.ProductRegistered, featured, "12.76"), true},
		{"a rise never lowers the low", cut("99.00"), hold(models.ProductRegistered, featured, "17.00"), false},
		{"under review counts", cut("10.00"), hold(models.ProductPending, featured, "12.00"), true},
		{"already in SKU error: not listed again", cut("1.00"), hold(models.ProductSKUError, featured, "12.00"), false},
		{"withdrawn: not listed", cut("1.00"), hold(models.ProductWithdrawn, featured, "12.00"), false},
		{"another SKU's cut", models.CatalogueEdit{Kind: models.EditChangeSKU, SKUID: 2, NewRetail: amount("1.00")}, hold(models.ProductRegistered, featured, "12.00"), false},
	} {
		if got := models.SKUErrorRule(tc.edit, tc.hold) != nil; got != tc.breaks {
			t.Errorf("%s: breaks = %v, want %v", tc.name, got, tc.breaks)
		}
	}
}

func amount(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
