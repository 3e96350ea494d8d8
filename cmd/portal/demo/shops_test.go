package demo_test

// The rush shops: added after the demo, each seller signs in and may
// register for every open campaign; a second run refuses.
//
//	go test ./cmd/portal/demo/ -run TestDemoShops -count=1 -v

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"campaignportal/cmd/portal/demo"
	"campaignportal/models"
	"campaignportal/models/modeltest"
)

func TestDemoShopsAreEligibleAndAddedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := modeltest.NewDB(t)
	now := time.Now()
	if _, err := demo.Shops(ctx, db, now, 3, 0); !errors.Is(err, demo.ErrNoDemo) {
		t.Fatalf("shops before the demo: %v; want ErrNoDemo", err)
	}
	if _, err := demo.Load(ctx, db, now); err != nil {
		t.Fatalf("loading the demo: %v", err)
	}
	sum, err := demo.Shops(ctx, db, now, 3, 0)
	if err != nil {
		t.Fatalf("demo shops: %v", err)
	}
	if sum.Shops != 3 || sum.Users != 3 || sum.Products != 3*24 || sum.SKUs < sum.Products || sum.PricePeriods < sum.SKUs {
		t.Errorf("summary %+v; want 3 shops and sellers with 24 products each, their SKUs and price history", sum)
	}

	store := models.NewStore(db)
	var open []int64
	if err := db.Raw(`SELECT id FROM campaigns WHERE status = 'published' AND registration_opens_at <= ? AND registration_deadline > ?
		ORDER BY id`, now, now).Scan(&open).Error; err != nil {
		t.Fatal(err)
	}
	if len(open) == 0 {
		t.Fatal("no open demo campaign")
	}
	for n := 1; n <= 3; n++ {
		u, err := store.Authenticate(ctx, demo.RushEmail(n), demo.Password, "127.0.0.1")
		if err != nil {
			t.Fatalf("%s signs in: %v", demo.RushEmail(n), err)
		}
		var shop models.Shop
		if err := db.Where("id = ?", *u.ShopID).Take(&shop).Error; err != nil {
			t.Fatalf("%s's shop: %v", demo.RushEmail(n), err)
		}
		// Every open campaign takes a registration of one product at the
		// recommended prices.
		var productID int64
		if err := db.Raw(`SELECT id FROM products WHERE shop_id = ? ORDER BY id LIMIT 1`, shop.ID).Scan(&productID).Error; err != nil {
			t.Fatal(err)
		}
		for _, id := range open {
			reg, _, err := store.OpenDraft(ctx, shop, id, now)
			if err != nil {
				t.Errorf("%s opens a draft in campaign %d: %v", shop.Name, id, err)
				continue
			}
			if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, []models.DraftItem{{ProductID: productID}}, models.SourcePick, now); err != nil {
				t.Fatal(err)
			}
			if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRecommend, All: true}, now); err != nil {
				t.Fatal(err)
			}
			if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkSetStock, Stock: 50, All: true}, now); err != nil {
				t.Fatal(err)
			}
			if _, err := store.SubmitDraft(ctx, shop, reg.ID, true, fmt.Sprintf("test-%d-%d", shop.ID, id), now); err != nil {
				t.Errorf("%s submits to campaign %d: %v", shop.Name, id, err)
			}
		}
	}

	if _, err := demo.Shops(ctx, db, now, 3, 0); !errors.Is(err, demo.ErrShopsLoaded) {
		t.Errorf("second run: %v; want ErrShopsLoaded", err)
	}
}
