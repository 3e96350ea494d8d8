package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// The Pick screen pages in SQL: each page holds the products of that page
// in title order, the total counts them all (a product whose SKUs are all
// deleted is not one), a page past the end is empty with the same total,
// and the "meets the rule only" path pages the same way.
func TestPickCataloguePages(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t) // a Mug whose prices meet the rule
	reg := modeltest.Register(t, w.db, w.camp.ID, w.shop.ID, models.RegistrationDraft)
	for i := 1; i <= 6; i++ {
		modeltest.Product(t, w.db, w.shop.ID, fmt.Sprintf("Bowl %d", i), "12.00")
	}
	gone, _ := modeltest.Product(t, w.db, w.shop.ID, "Aaa deleted", "5.00")
	w.db.Exec(`UPDATE skus SET deleted_at = now() WHERE product_id = ?`, gone.ID)
	modeltest.Product(t, w.db, w.other.ID, "Bowl of another shop", "9.00")

	titles := func(f models.PickFilter) ([]string, int) {
		t.Helper()
		rows, total, _, err := w.store.PickCatalogue(context.Background(), w.shop.ID, reg.ID, w.camp, f, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Title)
		}
		return out, total
	}
	for _, meets := range []bool{false, true} {
		var all []string
		for page := 1; page <= 3; page++ {
			got, total := titles(models.PickFilter{PerPage: 3, Page: page, MeetsOnly: meets})
			if total != 7 {
				t.Errorf("meets=%v page %d: total %d, want 7", meets, page, total)
			}
			all = append(all, got...)
		}
		want := fmt.Sprint([]string{"Bowl 1", "Bowl 2", "Bowl 3", "Bowl 4", "Bowl 5", "Bowl 6", "Mug"})
		if fmt.Sprint(all) != want {
			t.Errorf("meets=%v: pages hold %q, want %s", meets, all, want)
		}
		if got, total := titles(models.PickFilter{PerPage: 3, Page: 1_000_000, MeetsOnly: meets}); len(got) != 0 || total != 7 {
			t.Errorf("meets=%v: a page past the end holds %q, total %d", meets, got, total)
		}
	}
	if got, total := titles(models.PickFilter{PerPage: 3, Page: 1, Query: "bowl 5"}); fmt.Sprint(got) != "[Bowl 5]" || total != 1 {
		t.Errorf("search: %q, total %d", got, total)
	}
}
