package modeltest

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/orders"
)

// OrderWorld: a shop with two SKUs registered in a running co-funded
// campaign (coupon TEST-20PCT: 20% off $100+, cap $50, 50/50, max $25) and
// a third SKU in no campaign, ready for orders placed at Placed.
type OrderWorld struct {
	DB       *gorm.DB
	Core     *models.Store
	Orders   *orders.Store
	Shop     models.Shop
	Campaign models.Campaign
	Coupon   int64
	SKUs     []models.SKU
	Placed   time.Time
}

// NewOrderWorld builds the world in a fresh database.
func NewOrderWorld(t *testing.T) *OrderWorld {
	t.Helper()
	db := NewDB(t)
	w := &OrderWorld{DB: db, Core: models.NewStore(db), Orders: orders.NewStore(db)}
	w.Shop = Shop(t, db, "Maple & Co", "4.6", "25")
	w.Campaign = Campaign(t, db, OpenCampaign("Cyber Week"))
	w.Placed = time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)
	SetCampaignRun(t, db, w.Campaign.ID, orders.Run{StartsAt: w.Placed.Add(-24 * time.Hour), EndsAt: w.Placed.Add(24 * time.Hour)})
	reg := Register(t, db, w.Campaign.ID, w.Shop.ID, models.RegistrationRegistered)
	_, w.SKUs = Product(t, db, w.Shop.ID, "Desk lamp", "120.00", "80.00")
	_, other := Product(t, db, w.Shop.ID, "Not in a campaign", "30.00")
	w.SKUs = append(w.SKUs, other...)
	RegisterSKU(t, db, reg, w.SKUs[0], "100.00", w.Placed.Add(-48*time.Hour))
	RegisterSKU(t, db, reg, w.SKUs[1], "70.00", w.Placed.Add(-48*time.Hour))
	if err := db.Raw(`SELECT id FROM coupons WHERE campaign_id = ?`, w.Campaign.ID).Scan(&w.Coupon).Error; err != nil {
		t.Fatal(err)
	}
	return w
}

// Import parses and imports one order body, failing the test on an error.
func (w *OrderWorld) Import(t *testing.T, body []byte) orders.ImportResult {
	t.Helper()
	req, err := orders.ParseOrderRequest(body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := w.Orders.ImportOrder(context.Background(), req)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}
