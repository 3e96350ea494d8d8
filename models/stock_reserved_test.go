package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// Two registrations in overlapping campaigns race for the last units of a
// SKU: one gets them, the other is refused with the reason beside the
// stock, and the SKU is never over-reserved. A withdrawal gives the units
// back; a campaign whose run does not intersect reserves apart.
func TestCampaignStockReservedAcrossOverlappingCampaigns(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Maple", "4.6", "25")
	product, skus := modeltest.Product(t, db, shop.ID, "Lamp", "20.00") // stock 10
	seller := modeltest.User(t, db, "s@x.test", models.RoleSeller, shop.ID)
	a := modeltest.Campaign(t, db, modeltest.OpenCampaign("A"))
	b := modeltest.Campaign(t, db, modeltest.OpenCampaign("B"))
	later := modeltest.OpenCampaign("Later")
	later.RunStart, later.RunEnd = 300*time.Hour, 400*time.Hour // after A's and B's runs
	c := modeltest.Campaign(t, db, later)

	draft := func(camp models.Campaign, stock int) models.Registration {
		t.Helper()
		reg, _, err := store.OpenDraft(bg, shop, camp.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.AddToDraft(bg, shop.ID, reg.ID, []models.DraftItem{{ProductID: product.ID, SKUID: skus[0].ID,
			Price: price("19.00"), Stock: count(stock)}}, models.SourcePick, time.Now()); err != nil {
			t.Fatal(err)
		}
		return reg
	}
	regA, regB := draft(a, 7), draft(b, 7)
	{
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, reg := range []models.Registration{regA, regB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = store.SubmitDraft(bg, shop, reg.ID, true, fmt.Sprint("race-", reg.ID), time.Now())
			}()
		}
		wg.Wait()
		var refused *models.ValidationError
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.As(err, &refused):
				t.Fatalf("a racing submit failed otherwise: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of the two racing submits went through (errors %v), want exactly 1", ok, errs)
		}
	}
	reserved := func() int {
		var n int
		db.Raw(`SELECT COALESCE(sum(rs.campaign_stock), 0) FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
			WHERE rs.sku_id = ? AND rp.status IN ('pending', 'registered')`, skus[0].ID).Scan(&n)
		return n
	}
	if got := reserved(); got != 7 {
		t.Fatalf("reserved %d units of 10, want 7", got)
	}
	// The loser's row says why, with the reservation.
	loser := regB
	var st string
	db.Raw(`SELECT status FROM registration_products WHERE registration_id = ?`, regA.ID).Scan(&st)
	if st == "draft" {
		loser = regA
	}
	var avail, held int
	db.Raw(`SELECT available_stock, reserved_stock FROM registration_skus WHERE registration_id = ?`, loser.ID).Row().Scan(&avail, &held)
	if avail != 3 || held != 7 {
		t.Errorf("the refused registration sees %d available, %d reserved; want 3 and 7", avail, held)
	}
	if msg := models.CheckCampaignStock(7, models.TierRule{MinStock: 1}.StockLimit(avail).WithReserved(held)).Error(); msg != "Only 3 available: 7 of your 10 are reserved in overlapping campaigns." {
		t.Errorf("message %q", msg)
	}
	// A campaign running later does not overlap: it may take all 10.
	regC := draft(c, 10)
	if _, err := store.SubmitDraft(bg, shop, regC.ID, true, "later", time.Now()); err != nil {
		t.Fatalf("a campaign that does not overlap: %v", err)
	}
	// Withdrawing the winner releases its 7: the loser now fits.
	winner := regA
	if loser.ID == regA.ID {
		winner = regB
	}
	var rpID int64
	db.Raw(`SELECT id FROM registration_products WHERE registration_id = ?`, winner.ID).Scan(&rpID)
	if _, err := store.Withdraw(bg, shop.ID, seller.ID, winner.ID, models.WithdrawProduct, []int64{rpID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SubmitDraft(bg, shop, loser.ID, true, "again", time.Now()); err != nil {
		t.Fatalf("after the withdrawal released the units: %v", err)
	}
	// The schema refuses an over-reservation whatever the code path.
	err := db.Exec(`UPDATE registration_products SET status = 'registered' WHERE registration_id = ?`, winner.ID).Error
	if err == nil || !strings.Contains(err.Error(), "overlapping campaigns") {
		t.Errorf("the database let a product back in over its stock: %v", err)
	}
	// A person who races past the code's own check reads why, not a 500.
	if c, ok := models.ConstraintConflict(err); !ok || !strings.Contains(c.Message, "Another registration took") {
		t.Errorf("the refusal is not a conflict to show: %v", err)
	}
}
