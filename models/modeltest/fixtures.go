package modeltest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
)

var seq atomic.Int64

// hashOnce keeps fixtures fast: argon2id is slow on purpose.
var fixturePasswordHash = func() string {
	h, err := models.HashPassword("fixture-password")
	if err != nil {
		panic(err)
	}
	return h
}()

// FixturePassword is the password of every fixture user.
const FixturePassword = "fixture-password"

// Shop inserts a shop; sps and threshold may be "" for none.
func Shop(t testing.TB, db *gorm.DB, name, sps, threshold string) models.Shop {
	t.Helper()
	n := seq.Add(1)
	var spsArg, thrArg any
	if sps != "" {
		spsArg = sps
	}
	if threshold != "" {
		thrArg = threshold
	}
	var id int64
	mustExec(t, db.Raw(`INSERT INTO shops (public_id, name, sps, free_shipping, free_shipping_threshold)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, fmt.Sprintf("SHOP-%04d", n), name, spsArg, threshold != "", thrArg).Scan(&id))
	var s models.Shop
	mustExec(t, db.Where("id = ?", id).Take(&s))
	return s
}

// User inserts a user with FixturePassword; shopID is 0 for staff.
func User(t testing.TB, db *gorm.DB, email string, role models.Role, shopID int64) models.User {
	t.Helper()
	var shop any
	if shopID != 0 {
		shop = shopID
	}
	var id int64
	mustExec(t, db.Raw(`INSERT INTO users (email, display_name, password_hash, role, shop_id) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		email, "Test "+string(role), fixturePasswordHash, role, shop).Scan(&id))
	var u models.User
	mustExec(t, db.Where("id = ?", id).Take(&u))
	return u
}

// CampaignSpec describes a test campaign relative to now.
type CampaignSpec struct {
	Name      string
	Status    models.CampaignStatus
	OpensIn   time.Duration // negative: opened in the past
	Deadline  time.Duration
	RunStart  time.Duration
	RunEnd    time.Duration
	CoFunded  bool
	Lookback  int
	Timezone  string
	SubEvents []string
}

// OpenCampaign is a campaign open for registration, with a co-funded coupon.
func OpenCampaign(name string) CampaignSpec {
	return CampaignSpec{Name: name, Status: models.CampaignPublished, OpensIn: -48 * time.Hour, Deadline: 72 * time.Hour,
		RunStart: 96 * time.Hour, RunEnd: 240 * time.Hour, CoFunded: true, Lookback: 60, Timezone: "America/Los_Angeles",
		SubEvents: []string{"Black Friday", "Cyber Monday"}}
}

// Campaign inserts a campaign with two tiers and one coupon.
func Campaign(t testing.TB, db *gorm.DB, s CampaignSpec) models.Campaign {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	if s.Lookback == 0 {
		s.Lookback = 30
	}
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	var published any
	if s.Status != models.CampaignDraft {
		published = now.Add(s.OpensIn).Add(-time.Hour)
	}
	var closed any
	if s.Status == models.CampaignClosed {
		closed = now
	}
	var id int64
	mustExec(t, db.Raw(`INSERT INTO campaigns (slug, name, timezone, status, registration_opens_at, registration_deadline,
			run_starts_at, run_ends_at, max_free_shipping_threshold, lookback_days, review_required, published_at, closed_at,
			extra_discount_allowed, extra_discount_min_pct, benefits)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 30, ?, ?, ?, ?, true, 5, '["More traffic"]') RETURNING id`,
		fmt.Sprintf("test-campaign-%d", seq.Add(1)), s.Name, s.Timezone, s.Status,
		now.Add(s.OpensIn), now.Add(s.Deadline), now.Add(s.RunStart), now.Add(s.RunEnd),
		s.Lookback, s.CoFunded, published, closed).Scan(&id))
	runLen := s.RunEnd - s.RunStart
	for i, name := range s.SubEvents {
		from := now.Add(s.RunStart + runLen*time.Duration(i)/time.Duration(len(s.SubEvents)))
		to := now.Add(s.RunStart + runLen*time.Duration(i+1)/time.Duration(len(s.SubEvents)))
		mustExec(t, db.Exec(`INSERT INTO sub_campaigns (campaign_id, name, starts_at, ends_at, position) VALUES (?, ?, ?, ?, ?)`,
			id, name, from, to, i))
	}
	mustExec(t, db.Exec(`INSERT INTO campaign_tiers (campaign_id, tier, max_price_pct, recommended_pct, min_stock)
		VALUES (?, 'featured', 85, 80, 10), (?, 'regular', 100, 95, 3)`, id, id))
	seller := "0"
	if s.CoFunded {
		seller = "50"
	}
	mustExec(t, db.Exec(`INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, cap, seller_share_pct,
			platform_share_pct, max_seller_funding, total_quantity, claimed_quantity)
		VALUES (?, 'TEST-20PCT', 'percent', 20, 100, 50, ?, 100 - ?::numeric, CASE WHEN ?::numeric > 0 THEN 25 END, 1000, 100)`, id, seller, seller, seller))
	var c models.Campaign
	mustExec(t, db.Where("id = ?", id).Take(&c))
	return c
}

// Register inserts a registration of a shop in a campaign.
func Register(t testing.TB, db *gorm.DB, campaignID, shopID int64, status models.RegistrationStatus) models.Registration {
	t.Helper()
	var r models.Registration
	mustExec(t, db.Raw(`INSERT INTO registrations (campaign_id, shop_id, status, campaign_version, submitted_at) VALUES (?, ?, ?, 1, CASE WHEN ? = 'draft' THEN NULL ELSE now() END) RETURNING *`,
		campaignID, shopID, status, status).Scan(&r))
	return r
}

// Product inserts a product with one SKU per retail price.
func Product(t testing.TB, db *gorm.DB, shopID int64, title string, prices ...string) (models.Product, []models.SKU) {
	t.Helper()
	n := seq.Add(1)
	var catID int64
	mustExec(t, db.Raw(`INSERT INTO categories (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`,
		"Test category").Scan(&catID))
	p := models.Product{ShopID: shopID, PID: fmt.Sprintf("%d", 5000000000+n), Title: title, CategoryID: catID}
	mustExec(t, db.Create(&p))
	var skus []models.SKU
	for i, price := range prices {
		var sk models.SKU
		mustExec(t, db.Raw(`INSERT INTO skus (product_id, shop_id, sku_code, retail_price, stock) VALUES (?, ?, ?, ?, 10) RETURNING *`,
			p.ID, shopID, fmt.Sprintf("T-%d-%d", n, i+1), price).Scan(&sk))
		mustExec(t, db.Exec(`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, ?, now() - interval '200 days')`, sk.ID, price))
		skus = append(skus, sk)
	}
	return p, skus
}

func mustExec(t testing.TB, res *gorm.DB) {
	t.Helper()
	if res.Error != nil {
		t.Fatalf("fixture: %v", res.Error)
	}
}
