package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

type regWorld struct {
	db      *gorm.DB
	store   *models.Store
	shop    models.Shop
	other   models.Shop
	camp    models.Campaign
	product models.Product
	skus    []models.SKU
}

// newRegWorld: an open co-funded campaign (Featured 85%, Regular 100%,
// min stock 10 / 3, 60-day lookback) and a shop with one three-SKU product
// whose prices have been flat for 200 days.
func newRegWorld(t *testing.T) *regWorld {
	db := modeltest.NewDB(t)
	w := &regWorld{db: db, store: models.NewStore(db)}
	w.shop = modeltest.Shop(t, db, "Maple", "4.6", "25")
	w.other = modeltest.Shop(t, db, "North", "4.0", "20")
	w.camp = modeltest.Campaign(t, db, modeltest.OpenCampaign("BFCM"))
	w.product, w.skus = modeltest.Product(t, db, w.shop.ID, "Mug", "20.00", "40.00", "10.00")
	return w
}

func price(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
func count(n int) *int                   { return &n }

func (w *regWorld) draft(t *testing.T) models.Registration {
	t.Helper()
	reg, _, err := w.store.OpenDraft(bg, w.shop, w.camp.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestDraftAddPriceSubmit(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	reg := w.draft(t)
	n, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, time.Now())
	if err != nil || n != 3 {
		t.Fatalf("added %d, %v; want 3 SKUs", n, err)
	}
	// Adding again changes nothing.
	if n, _ := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, time.Now()); n != 0 {
		t.Errorf("second add reported %d new SKUs", n)
	}
	page, _, err := w.store.LoadDraft(bg, w.shop.ID, reg.ID, 0, 1, 50)
	if err != nil || len(page.Products) != 1 || len(page.Products[0].SKUs) != 3 {
		t.Fatalf("draft = %+v, %v", page, err)
	}
	if page.Summary.ProblemCounts[models.ProblemPriceMissing] != 3 {
		t.Errorf("problem counts = %v", page.Summary.ProblemCounts)
	}
	sku := page.Products[0].SKUs[0]
	if sku.MaxPrice.StringFixed(2) != "20.00" || sku.RecommendedPrice.StringFixed(2) != "19.00" {
		t.Errorf("regular limits for a $20.00 low: max %s rec %s", sku.MaxPrice.StringFixed(2), sku.RecommendedPrice.StringFixed(2))
	}
	// Exactly the maximum passes, a cent above fails.
	row, err := w.store.UpdateDraftSKU(bg, w.shop.ID, reg.ID, sku.ID, price("20.01"), count(5), time.Now())
	if err != nil || !row.Problems.Has(models.ProblemPriceAboveMax) {
		t.Fatalf("20.01 over a 20.00 maximum: %v %v", row.Problems.List(), err)
	}
	row, _ = w.store.UpdateDraftSKU(bg, w.shop.ID, reg.ID, sku.ID, price("20.00"), count(5), time.Now())
	if row.Problems != 0 {
		t.Errorf("20.00 at the maximum: %v", row.Problems.List())
	}
	// Featured tightens the rule: 85% of the low, min stock 10.
	rp := page.Products[0]
	if err := w.store.UpdateDraftProduct(bg, w.shop.ID, reg.ID, rp.ID, models.TierFeatured, decimal.NullDecimal{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	page, _, _ = w.store.LoadDraft(bg, w.shop.ID, reg.ID, models.ProblemPriceAboveMax, 1, 50)
	if page.Total != 1 || page.Products[0].SKUs[0].MaxPrice.StringFixed(2) != "17.00" {
		t.Fatalf("after Featured, the price-too-high filter shows %d products", page.Total)
	}
	// A bulk action fixes every row: 20% off the low, stock 10.
	if _, err := w.store.ApplyBulk(bg, w.shop.ID, reg.ID, models.BulkAction{Kind: models.BulkPercentOff, Percent: decimal.NewFromInt(20), All: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.ApplyBulk(bg, w.shop.ID, reg.ID, models.BulkAction{Kind: models.BulkSetStock, Stock: 10, All: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	page, _, _ = w.store.LoadDraft(bg, w.shop.ID, reg.ID, 0, 1, 50)
	if page.Summary.ProblemSKUs != 0 {
		t.Fatalf("problems left after the bulk actions: %v", page.Summary.ProblemCounts)
	}
	if got := page.Products[0].SKUs[1].CampaignPrice.Decimal.StringFixed(2); got != "32.00" {
		t.Errorf("20%% off a $40.00 low = %s, want 32.00", got)
	}

	// Back to Regular at the maximum (the low itself), so there is something to recommend.
	if err := w.store.UpdateDraftProduct(bg, w.shop.ID, reg.ID, rp.ID, models.TierRegular, decimal.NullDecimal{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.ApplyBulk(bg, w.shop.ID, reg.ID, models.BulkAction{Kind: models.BulkPercentOff, Percent: decimal.Zero, All: true}, time.Now()); err != nil {
		t.Fatal(err)
	}

	// Coupons must be accepted.
	_, err = w.store.SubmitDraft(bg, w.shop, reg.ID, false, "key-1", time.Now())
	var invalid *models.ValidationError
	if !errors.As(err, &invalid) || invalid.Fields["accept_coupons"] == "" {
		t.Fatalf("submit without accepting coupons: %v", err)
	}
	res, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "key-1", time.Now())
	if err != nil || res.Registration.Status != models.RegistrationPending {
		t.Fatalf("submit: %+v %v", res, err)
	}
	// The same key again (double click): nothing new.
	res2, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "key-1", time.Now())
	if err != nil || !res2.Replayed || res2.Registration.ID != res.Registration.ID {
		t.Fatalf("replayed submit: %+v %v", res2, err)
	}
	var regs, products int64
	w.db.Table("registrations").Where("shop_id = ?", w.shop.ID).Count(&regs)
	w.db.Table("registration_products").Where("registration_id = ? AND status = 'pending'", reg.ID).Count(&products)
	if regs != 1 || products != 1 {
		t.Errorf("registrations %d, pending products %d; want 1 and 1", regs, products)
	}
	// Recommendations: one per SKU, the recommended price of its tier, below the SKU's price.
	sv, err := w.store.Submitted(bg, w.shop, reg.ID, time.Now())
	if err != nil || len(sv.Recommendations) != 3 {
		t.Fatalf("recommendations = %+v, %v", sv.Recommendations, err)
	}
	seller := modeltest.User(t, w.db, "s@x.test", models.RoleSeller, w.shop.ID)
	rec := sv.Recommendations[0]
	if err := w.store.DecideRecommendation(bg, w.other.ID, seller.ID, reg.ID, rec.ID, models.RecommendationAccept, decimal.NullDecimal{}, time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop answered a recommendation: %v", err)
	}
	if err := w.store.DecideRecommendation(bg, w.shop.ID, seller.ID, reg.ID, rec.ID, models.RecommendationAccept, decimal.NullDecimal{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.store.DecideRecommendation(bg, w.shop.ID, seller.ID, reg.ID, rec.ID, models.RecommendationDismiss, decimal.NullDecimal{}, time.Now()); !errors.Is(err, models.ErrConflict) {
		t.Errorf("answering twice: %v", err)
	}
	var got string
	w.db.Raw(`SELECT rs.campaign_price::text FROM registration_skus rs JOIN price_recommendations pr ON pr.registration_sku_id = rs.id WHERE pr.id = ?`, rec.ID).Scan(&got)
	if got != rec.Price.StringFixed(2) {
		t.Errorf("accepted price = %s, want %s", got, rec.Price.StringFixed(2))
	}
	edit := sv.Recommendations[1]
	err = w.store.DecideRecommendation(bg, w.shop.ID, seller.ID, reg.ID, edit.ID, models.RecommendationEdit, price("999"), time.Now())
	if !errors.As(err, &invalid) {
		t.Errorf("an edited price above the maximum: %v", err)
	}
	for _, r := range sv.Recommendations {
		if r.Kind != "recommended" || !r.Price.LessThan(r.CampaignPrice.Decimal) {
			t.Errorf("recommendation %+v: want the recommended kind, below the SKU's price", r)
		}
	}
	// Accept all: the two still open; the rows keep their order.
	if n, err := w.store.AcceptAllRecommendations(bg, w.other.ID, seller.ID, reg.ID, time.Now()); !errors.Is(err, models.ErrNotFound) || n != 0 {
		t.Errorf("another shop accepted all: %d %v", n, err)
	}
	n, err = w.store.AcceptAllRecommendations(bg, w.shop.ID, seller.ID, reg.ID, time.Now())
	if err != nil || n != 2 {
		t.Fatalf("accept all = %d, %v; want 2", n, err)
	}
	after, err := w.store.Submitted(bg, w.shop, reg.ID, time.Now())
	if err != nil || len(after.Recommendations) != 3 {
		t.Fatalf("after accept all: %+v %v", after.Recommendations, err)
	}
	for i, r := range after.Recommendations {
		if r.ID != sv.Recommendations[i].ID || r.Status != "accepted" {
			t.Errorf("row %d after accept all: %d %s, want %d accepted in place", i, r.ID, r.Status, sv.Recommendations[i].ID)
		}
	}
}

func TestConcurrentSubmitsCreateOneRegistration(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	reg := w.draft(t)
	items := []models.DraftItem{}
	for _, s := range w.skus {
		items = append(items, models.DraftItem{ProductID: w.product.ID, SKUID: s.ID, Price: price("9.00"), Stock: count(5)})
	}
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, items, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = w.store.SubmitDraft(bg, w.shop, reg.ID, true, "same-key", time.Now())
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("submit %d: %v", i, err)
		}
	}
	var n int64
	w.db.Table("review_decisions").Count(&n)
	var pending int64
	w.db.Table("registration_products").Where("status = 'pending'").Count(&pending)
	if pending != 1 {
		t.Errorf("pending products = %d, want 1", pending)
	}
}

func TestRegistrationRefusals(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	reg := w.draft(t)
	otherProduct, _ := modeltest.Product(t, w.db, w.other.ID, "Their mug", "5.00")
	before := countRows(t, w.db, "registration_skus")
	_, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}, {ProductID: otherProduct.ID}}, models.SourcePick, time.Now())
	if !errors.Is(err, models.ErrNotFound) || countRows(t, w.db, "registration_skus") != before {
		t.Errorf("another shop's product in a pick: err %v, rows %d -> %d", err, before, countRows(t, w.db, "registration_skus"))
	}
	// Another shop cannot touch this draft.
	if _, err := w.store.AddToDraft(bg, w.other.ID, reg.ID, []models.DraftItem{{ProductID: otherProduct.ID}}, models.SourcePick, time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop adding to this draft: %v", err)
	}
	// After the deadline: refused with the deadline.
	late := w.camp.RegistrationDeadline.Add(time.Second)
	_, err = w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, late)
	var deadline *models.DeadlinePassedError
	if !errors.As(err, &deadline) {
		t.Errorf("adding after the deadline: %v", err)
	}
	if _, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "k", late); !errors.As(err, &deadline) {
		t.Errorf("submitting after the deadline: %v", err)
	}
	// An ineligible shop cannot open a draft.
	north := modeltest.Shop(t, w.db, "Northwind", "3.2", "35")
	var notEligible *models.NotEligibleError
	if _, _, err := w.store.OpenDraft(bg, north, w.camp.ID, time.Now()); !errors.As(err, &notEligible) || len(notEligible.Reasons) != 2 {
		t.Errorf("ineligible shop: %v", err)
	}
	// Extra discount: partial SKUs are refused.
	sku := w.skus[0]
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID, SKUID: sku.ID, ExtraDiscount: price("10")}}, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	page, _, _ := w.store.LoadDraft(bg, w.shop.ID, reg.ID, models.ProblemExtraDiscountPartial, 1, 50)
	if page.Total != 1 {
		t.Errorf("extra discount on 1 of 3 SKUs is not flagged")
	}
	// A submitted SKU above its maximum is refused by the database itself.
	err = w.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE registration_skus SET campaign_price = max_price + 0.01, campaign_stock = 1 WHERE registration_id = ?`, reg.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE registrations SET status = 'pending', submitted_at = now() WHERE id = ?`, reg.ID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE registration_products SET status = 'pending' WHERE registration_id = ?`, reg.ID).Error
	})
	if err == nil {
		t.Error("the database accepted a submitted SKU above its maximum")
	}
}

func TestCopyPricesToAnotherCampaign(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	reg := w.draft(t)
	items := []models.DraftItem{}
	for _, s := range w.skus {
		items = append(items, models.DraftItem{ProductID: w.product.ID, SKUID: s.ID, Price: price("9.50"), Stock: count(4)})
	}
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, items, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "k1", time.Now()); err != nil {
		t.Fatal(err)
	}
	second := modeltest.Campaign(t, w.db, modeltest.OpenCampaign("Holiday"))
	if _, _, err := w.store.CopyToCampaign(bg, w.other, reg.ID, second.ID, time.Now()); err == nil {
		t.Error("another shop copied this shop's registration")
	}
	reg2, n, err := w.store.CopyToCampaign(bg, w.shop, reg.ID, second.ID, time.Now())
	if err != nil || n != 3 {
		t.Fatalf("copy: %d, %v", n, err)
	}
	page, _, _ := w.store.LoadDraft(bg, w.shop.ID, reg2.ID, 0, 1, 50)
	for _, s := range page.Products[0].SKUs {
		if s.CampaignPrice.Decimal.StringFixed(2) != "9.50" || *s.CampaignStock != 4 {
			t.Errorf("copied SKU = %s x %d", s.CampaignPrice.Decimal.StringFixed(2), *s.CampaignStock)
		}
	}
}

func countRows(t *testing.T, db *gorm.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
