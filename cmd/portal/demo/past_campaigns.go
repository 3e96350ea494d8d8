package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
)

// The ended campaigns Maple & Co sold in, over two years: in the past
// twelve months Spring Home Days, (Load's) Summer Super Sale, Autumn Flash
// Sale and Singles' Day Deals inside it; a year before those Spring Home
// Days, Summer Super Sale, Back to School and Black Friday & Cyber Monday.
// Each is added once, with Maple's registration submitted and approved
// through the registration store, back-dated before its deadline.

const (
	autumnSlug  = "autumn-flash-sale-demo"
	singlesSlug = "singles-day-deals-demo"
	// autumnOpens is when Autumn Flash Sale's registration opened, in days
	// from the anchor day; the anchor is found again from it.
	autumnOpens = -75
)

// pastCampaign is an ended campaign with Maple registered and how it sold.
type pastCampaign struct {
	demoCampaign
	key      string  // how the orders code names it
	products int     // Maple's products registered
	stock    int     // the share of their stock Maple registers, in percent
	perDay   float64 // campaign orders on an ordinary run day
	peaks    []int   // run days (0 the first, -1 the last) with twice the orders
	baseline bool    // ordinary orders on as many days just before the run
}

// anchorDay is the day the demo orders count from: midnight in Los
// Angeles of the day the ended campaigns were first added (of today when
// they are added now). A later run finds the same day, so it generates the
// same orders and they replay.
func anchorDay(ctx context.Context, db *gorm.DB, now time.Time) (time.Time, error) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.Time{}, err
	}
	var opens []time.Time
	if err := db.WithContext(ctx).Raw(`SELECT registration_opens_at FROM campaigns WHERE slug = ?`, autumnSlug).Scan(&opens).Error; err != nil {
		return time.Time{}, err
	}
	if len(opens) == 0 {
		return newGenerator(now).at(la, 0, 0, 0), nil
	}
	o := opens[0].In(la)
	return time.Date(o.Year(), o.Month(), o.Day()-autumnOpens, 0, 0, 0, 0, la), nil
}

// pastCampaigns lists the ended campaigns, the latest dated from g and the
// year before's from ly (the same day a year earlier). Summer Super Sale
// (this year) comes from Load; it is listed for its sales only.
func pastCampaigns(g, ly *generator) []pastCampaign {
	la, _ := time.LoadLocation("America/Los_Angeles")
	ny, _ := time.LoadLocation("America/New_York")
	utc := time.UTC
	tiers := []demoTier{{"featured", "85", "80", 10}, {"regular", "100", "95", 3}}
	named := func(slug, name string, start time.Time) (string, string) {
		return fmt.Sprintf("%s-%d-demo", slug, start.Year()), fmt.Sprintf("%s %d", name, start.Year())
	}
	spring := func(g *generator, fee, refund string, review bool, coupons []demoCoupon) demoCampaign {
		start := g.at(ny, -235, 0, 0)
		slug, name := named("spring-home-days", "Spring Home Days", start)
		return demoCampaign{slug: slug, name: name, description: "Ten days of home and garden deals (ended).",
			tz: "America/New_York", status: "published", benefits: standardBenefits[:3],
			opens: g.at(ny, -265, 0, 0), deadline: g.at(ny, -242, 23, 59), runStart: start, runEnd: g.at(ny, -225, 0, 0),
			lookback: 30, extraDiscountMin: "5", review: review, refund: refund, feeRate: fee,
			subs:  []demoSub{{"Spring Cleaning", start, g.at(ny, -230, 0, 0)}, {"Garden Days", g.at(ny, -230, 0, 0), g.at(ny, -225, 0, 0)}},
			tiers: tiers, coupons: coupons,
		}
	}
	lySummerStart := ly.at(la, -120, 0, 0)
	lySummerSlug, lySummerName := named("summer-sale", "Summer Super Sale", lySummerStart)
	schoolStart := ly.at(utc, -85, 0, 0)
	schoolSlug, schoolName := named("back-to-school", "Back to School", schoolStart)
	bfStart := ly.at(la, 6, 0, 0)
	bfSlug, bfName := named("black-friday-cyber-monday", "Black Friday & Cyber Monday", bfStart)
	year := g.at(la, -50, 0, 0).Year()
	return []pastCampaign{
		{key: "ly-spring", products: 3, stock: 20, perDay: 11, peaks: []int{0}, baseline: true,
			demoCampaign: spring(ly, "0.01", "no_refund", false, []demoCoupon{
				{"SPRING-3OFF", "fixed", "3", "25", nil, "all", "", "50", "50", "1.50", 500, 0}})},
		{key: "ly-summer", products: 4, stock: 25, perDay: 16, peaks: []int{0, -1}, baseline: true, demoCampaign: demoCampaign{
			slug: lySummerSlug, name: lySummerName, description: "Mid-year savings across every category (ended).",
			tz: "America/Los_Angeles", status: "published", benefits: standardBenefits,
			opens: ly.at(la, -150, 0, 0), deadline: ly.at(la, -125, 23, 59), runStart: lySummerStart, runEnd: ly.at(la, -110, 23, 59),
			lookback: 30, extraDiscountMin: "5", review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Summer Kickoff", lySummerStart, ly.at(la, -115, 0, 0)}, {"Summer Finale", ly.at(la, -115, 0, 0), ly.at(la, -110, 23, 59)}},
			tiers: tiers, coupons: []demoCoupon{{"SUMMER-15PCT", "percent", "15", "50", "30", "all", "", "50", "50", "15", 1500, 0}},
		}},
		{key: "ly-school", products: 3, stock: 21, perDay: 10, peaks: []int{0}, baseline: true, demoCampaign: demoCampaign{
			slug: schoolSlug, name: schoolName, description: "A week of stationery, bags and desk essentials (ended). Fees are not refunded.",
			tz: "UTC", status: "published", benefits: standardBenefits[:2],
			opens: ly.at(utc, -110, 0, 0), deadline: ly.at(utc, -92, 23, 59), runStart: schoolStart, runEnd: ly.at(utc, -78, 0, 0),
			lookback: 30, review: false, refund: "no_refund", feeRate: "0.015",
			subs:  []demoSub{{"Back to School Week", schoolStart, ly.at(utc, -78, 0, 0)}},
			tiers: tiers, coupons: []demoCoupon{{"SCHOOL-10PCT", "percent", "10", "30", "10", "segment", "Students", "40", "60", "4", 1000, 0}},
		}},
		{key: "ly-bfcm", products: 5, stock: 30, perDay: 24, peaks: []int{0, 3}, baseline: true, demoCampaign: demoCampaign{
			slug: bfSlug, name: bfName, description: "Last year's biggest shopping week (ended).",
			tz: "America/Los_Angeles", status: "published", benefits: standardBenefits,
			opens: ly.at(la, -10, 0, 0), deadline: ly.at(la, 4, 23, 59), runStart: bfStart, runEnd: ly.at(la, 12, 23, 59),
			lookback: 60, extraDiscountMin: "5", review: true, refund: "refund_in_full",
			subs:  []demoSub{{"Black Friday", bfStart, ly.at(la, 9, 0, 0)}, {"Cyber Monday", ly.at(la, 9, 0, 0), ly.at(la, 12, 23, 59)}},
			tiers: []demoTier{{"featured", "85", "80", 20}, {"regular", "100", "95", 5}},
			coupons: []demoCoupon{
				{"BFCM-20PCT", "percent", "20", "100", "50", "all", "", "50", "50", "25", 3000, 0},
				{"BFCM-10OFF", "fixed", "10", "60", nil, "segment", "Deal seekers", "50", "50", "5", 6000, 0},
			},
		}},
		{key: "spring", products: 4, stock: 28, perDay: 14, peaks: []int{0}, baseline: true,
			demoCampaign: spring(g, "0.015", "refund_in_full", true, []demoCoupon{
				{"SPRING-12PCT", "percent", "12", "35", "15", "all", "", "50", "50", "6", 800, 0},
				{"SPRING-4OFF", "fixed", "4", "30", nil, "all", "", "60", "40", "2.40", 600, 0}})},
		{key: "summer", stock: 73, perDay: 18, peaks: []int{0, -1}, baseline: true},
		{key: "autumn", products: 4, stock: 75, perDay: 15, peaks: []int{0}, baseline: true, demoCampaign: demoCampaign{
			slug: autumnSlug, name: fmt.Sprintf("Autumn Flash Sale %d", year),
			description: "Two weeks of autumn deals (ended).", tz: "America/Los_Angeles", status: "published", benefits: standardBenefits[:3],
			opens: g.at(la, autumnOpens, 0, 0), deadline: g.at(la, -55, 23, 59), runStart: g.at(la, -50, 0, 0), runEnd: g.at(la, -36, 0, 0),
			lookback: 30, review: true, refund: "refund_in_full",
			subs:    []demoSub{{"Flash Week 1", g.at(la, -50, 0, 0), g.at(la, -43, 0, 0)}, {"Flash Week 2", g.at(la, -43, 0, 0), g.at(la, -36, 0, 0)}},
			tiers:   tiers,
			coupons: []demoCoupon{{"AUTUMN-10PCT", "percent", "10", "40", "20", "all", "", "50", "50", "8", 500, 0}},
		}},
		// Inside Autumn Flash Sale: its days before are Autumn's, so no
		// baseline. Its orders fit on one page of the settled records (50):
		// the browser journey in e2e_finance_test.go reads them there.
		{key: "singles", products: 2, stock: 8, perDay: 9, peaks: []int{0}, demoCampaign: demoCampaign{
			slug: singlesSlug, name: fmt.Sprintf("Singles' Day Deals %d", year),
			description: "A three-day event inside the autumn sale (ended). Fees are not refunded.", tz: "America/Los_Angeles", status: "published",
			benefits: standardBenefits[:2],
			opens:    g.at(la, autumnOpens, 0, 0), deadline: g.at(la, -55, 23, 59), runStart: g.at(la, -46, 0, 0), runEnd: g.at(la, -43, 0, 0),
			lookback: 30, review: false, refund: "no_refund", feeRate: "0.015",
			subs:    []demoSub{{"Singles' Day", g.at(la, -46, 0, 0), g.at(la, -43, 0, 0)}},
			tiers:   tiers,
			coupons: []demoCoupon{{"SINGLES-5OFF", "fixed", "5", "30", nil, "all", "", "40", "60", "2", 4, 0}},
		}},
	}
}

// demoStaff are the users the back-dated registrations act as.
type demoStaff struct {
	Manager, Reviewer, Seller int64
}

// prepareOrderCampaigns adds, once each, the ended campaigns and Maple's
// registrations the demo orders need, through the registration store,
// back-dated: submitted and approved before each deadline.
func prepareOrderCampaigns(ctx context.Context, db *gorm.DB, shop models.Shop, past []pastCampaign) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(727008)`).Error; err != nil {
			return err
		}
		var staff demoStaff
		if err := tx.Raw(`SELECT (SELECT id FROM users WHERE role = 'manager' ORDER BY id LIMIT 1) AS manager,
				(SELECT id FROM users WHERE role = 'reviewer' ORDER BY id LIMIT 1) AS reviewer,
				(SELECT id FROM users WHERE shop_id = ? ORDER BY id LIMIT 1) AS seller`, shop.ID).Scan(&staff).Error; err != nil {
			return err
		}
		if staff.Manager == 0 || staff.Reviewer == 0 || staff.Seller == 0 {
			return errors.New("the demo's manager, reviewer or Maple's seller is missing")
		}
		byKey := map[string]pastCampaign{}
		for _, p := range past {
			byKey[p.key] = p
		}
		if err := prepareAutumn(ctx, tx, shop, staff, byKey["summer"], byKey["autumn"], byKey["singles"]); err != nil {
			return err
		}
		for _, p := range past {
			if p.key == "summer" || p.key == "autumn" || p.key == "singles" {
				continue
			}
			if err := preparePast(ctx, tx, shop, staff, p); err != nil {
				return fmt.Errorf("campaign %s: %w", p.name, err)
			}
		}
		return nil
	})
}

func campaignExists(tx *gorm.DB, slug string) (bool, error) {
	var n int64
	err := tx.Raw(`SELECT count(*) FROM campaigns WHERE slug = ?`, slug).Scan(&n).Error
	return n > 0, err
}

func addPastCampaign(tx *gorm.DB, c demoCampaign, managerID int64) (int64, error) {
	id, err := insertCampaign(tx, c, managerID)
	if err != nil {
		return 0, fmt.Errorf("campaign %s: %w", c.slug, err)
	}
	return id, publishedBackdated(tx, id, managerID, c)
}

// freeProducts are Maple's well-stocked products in no registration yet,
// from the end of the catalogue (the other demo registrations use the
// start).
func freeProducts(tx *gorm.DB, shopID int64, n int) ([]int64, error) {
	var free []int64
	if err := tx.Raw(`SELECT p.id FROM products p WHERE p.shop_id = ?
		AND NOT EXISTS (SELECT 1 FROM registration_products rp WHERE rp.product_id = p.id)
		AND NOT EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id AND s.stock < 40)
		ORDER BY p.id DESC LIMIT ?`, shopID, n).Scan(&free).Error; err != nil {
		return nil, err
	}
	if len(free) < n {
		return nil, fmt.Errorf("maple has only %d products free to register", len(free))
	}
	return free, nil
}

// preparePast adds one ended campaign with Maple's registration.
func preparePast(ctx context.Context, tx *gorm.DB, shop models.Shop, staff demoStaff, p pastCampaign) error {
	if done, err := campaignExists(tx, p.slug); err != nil || done {
		return err
	}
	id, err := addPastCampaign(tx, p.demoCampaign, staff.Manager)
	if err != nil {
		return err
	}
	products, err := freeProducts(tx, shop.ID, p.products)
	if err != nil {
		return err
	}
	var approve time.Time
	if p.review {
		approve = p.deadline.Add(-3 * 24 * time.Hour)
	}
	_, err = registerMaple(ctx, tx, shop, staff, id, products, p.stock, p.deadline.Add(-5*24*time.Hour), approve, "demo-orders-"+p.slug)
	return err
}

// registerMaple registers products in a campaign the way a seller does
// (recommended prices, stockShare percent of the stock), submitted at
// submit and, when approve is set, approved by the reviewer then.
func registerMaple(ctx context.Context, tx *gorm.DB, shop models.Shop, staff demoStaff, campaignID int64, products []int64, stockShare int,
	submit, approve time.Time, key string) (int64, error) {
	store := models.NewStore(tx)
	reg, _, err := store.OpenDraft(ctx, shop, campaignID, submit)
	if err != nil {
		return 0, err
	}
	var items []models.DraftItem
	for _, id := range products {
		items = append(items, models.DraftItem{ProductID: id})
	}
	if _, err := store.AddToDraft(ctx, shop.ID, reg.ID, items, models.SourcePick, submit); err != nil {
		return 0, err
	}
	if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRecommend, All: true}, submit); err != nil {
		return 0, err
	}
	if _, err := store.ApplyBulk(ctx, shop.ID, reg.ID, models.BulkAction{Kind: models.BulkStockShare, Percent: decimal.NewFromInt(int64(stockShare)), All: true}, submit); err != nil {
		return 0, err
	}
	if _, err := store.SubmitDraft(ctx, shop, reg.ID, true, key, submit); err != nil {
		return 0, err
	}
	if !approve.IsZero() {
		if err := store.DecideRegistration(ctx, staff.Reviewer, reg.ID, models.DecisionApproved, "", "", approve); err != nil {
			return 0, err
		}
	}
	return reg.ID, nil
}

// prepareAutumn adds Autumn Flash Sale and Singles' Day Deals with Maple
// registered in both, and Maple's products in the past Summer Super Sale.
// During Autumn's run one product is withdrawn (orders after it pay no fee
// on it) and one goes into SKU error.
func prepareAutumn(ctx context.Context, tx *gorm.DB, shop models.Shop, staff demoStaff, summerSales, autumn, singles pastCampaign) error {
	if done, err := campaignExists(tx, singlesSlug); err != nil || done {
		return err
	}
	autumnID, err := addPastCampaign(tx, autumn.demoCampaign, staff.Manager)
	if err != nil {
		return err
	}
	if err := autumnBudget(ctx, tx, autumnID, staff.Manager); err != nil {
		return err
	}
	singlesID, err := addPastCampaign(tx, singles.demoCampaign, staff.Manager)
	if err != nil {
		return err
	}
	free, err := freeProducts(tx, shop.ID, 9)
	if err != nil {
		return err
	}
	var summer models.Campaign
	if err := tx.Where("slug LIKE 'summer-super-sale-%'").Order("id").Take(&summer).Error; err != nil {
		return err
	}
	day := 24 * time.Hour
	if _, err := registerMaple(ctx, tx, shop, staff, summer.ID, free[0:3], summerSales.stock, summer.RegistrationDeadline.Add(-6*day),
		summer.RegistrationDeadline.Add(-4*day), fmt.Sprintf("demo-orders-%d-0", shop.ID)); err != nil {
		return fmt.Errorf("%s: %w", summer.Name, err)
	}
	regID, err := registerMaple(ctx, tx, shop, staff, autumnID, free[3:7], autumn.stock, autumn.deadline.Add(-5*day), autumn.deadline.Add(-3*day),
		fmt.Sprintf("demo-orders-%d-1", shop.ID))
	if err != nil {
		return fmt.Errorf("%s: %w", autumn.name, err)
	}
	if _, err := registerMaple(ctx, tx, shop, staff, singlesID, free[7:9], singles.stock, singles.deadline.Add(-4*day), time.Time{},
		fmt.Sprintf("demo-orders-%d-2", shop.ID)); err != nil {
		return fmt.Errorf("%s: %w", singles.name, err)
	}
	var rps []int64
	if err := tx.Raw(`SELECT id FROM registration_products WHERE registration_id = ? ORDER BY id`, regID).Scan(&rps).Error; err != nil {
		return err
	}
	if _, err := models.NewStore(tx).Withdraw(ctx, shop.ID, staff.Seller, regID, models.WithdrawProduct, []int64{rps[1]}, autumn.runStart.Add(10*day)); err != nil {
		return err
	}
	return tx.Exec(`UPDATE registration_products SET status = 'sku_error', sku_error_at = ?,
		sku_error_reason = 'A SKU was edited while registered.' WHERE id = ?`, autumn.runStart.Add(9*day), rps[2]).Error
}

// autumnBudgetAmount is the platform budget of Autumn Flash Sale's coupon:
// about three quarters of what its orders cost the platform, so its
// Performance page shows the budget burn down and run out before the end.
const autumnBudgetAmount = "120.00"

// autumnBudget gives Autumn Flash Sale's coupon its platform budget,
// through the store's rule, as the manager.
func autumnBudget(ctx context.Context, tx *gorm.DB, campaignID, managerID int64) error {
	var couponID int64
	if err := tx.Raw(`SELECT id FROM coupons WHERE campaign_id = ? AND code = 'AUTUMN-10PCT'`, campaignID).Scan(&couponID).Error; err != nil {
		return err
	}
	if couponID == 0 {
		return errors.New("autumn flash sale has no AUTUMN-10PCT coupon")
	}
	return models.NewStore(tx).SetCouponBudget(ctx, managerID, campaignID, couponID, autumnBudgetAmount)
}
