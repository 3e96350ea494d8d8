package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// registered builds a registered product (no review: the campaign's coupon
// is platform-funded) with three SKUs at $9.00, stock 5, and a seller.
func registered(t *testing.T, coFunded bool) (*regWorld, models.Registration, models.User) {
	t.Helper()
	db := modeltest.NewDB(t)
	w := &regWorld{db: db, store: models.NewStore(db)}
	w.shop = modeltest.Shop(t, db, "Maple", "4.6", "25")
	w.other = modeltest.Shop(t, db, "North", "4.0", "20")
	spec := modeltest.OpenCampaign("Holiday")
	spec.CoFunded = coFunded
	w.camp = modeltest.Campaign(t, db, spec)
	w.product, w.skus = modeltest.Product(t, db, w.shop.ID, "Mug", "20.00", "40.00", "10.00")
	seller := modeltest.User(t, db, "seller@x.test", models.RoleSeller, w.shop.ID)
	reg := w.draft(t)
	var items []models.DraftItem
	for _, s := range w.skus {
		items = append(items, models.DraftItem{ProductID: w.product.ID, SKUID: s.ID, Price: price("9.00"), Stock: count(5), ExtraDiscount: price("10")})
	}
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, items, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "k", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return w, res.Registration, seller
}

func firstSKU(t *testing.T, w *regWorld, regID int64) (models.ManagedProduct, models.ManagedSKU) {
	t.Helper()
	mv, err := w.store.Manage(bg, w.shop.ID, regID, "")
	if err != nil || len(mv.Products) != 1 {
		t.Fatalf("manage: %+v %v", mv.Products, err)
	}
	return mv.Products[0], mv.Products[0].SKUs[0]
}

func TestPriceEditRequests(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, false)
	if reg.Status != models.RegistrationRegistered {
		t.Fatalf("status = %s, want registered (no review)", reg.Status)
	}
	_, sku := firstSKU(t, w, reg.ID)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) // a Friday
	in := models.PriceEditInput{NewPrice: decimal.RequireFromString("20.01"), ExpectedPrice: decimal.RequireFromString("9.00")}
	var invalid *models.ValidationError
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, now); !errors.As(err, &invalid) {
		t.Fatalf("a cent above the maximum: %v", err)
	}
	in.NewPrice = decimal.RequireFromString("8.50")
	req, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC); !req.DueAt.Equal(want) {
		t.Errorf("due = %v, want %v (5 business days, the weekend skipped)", req.DueAt, want)
	}
	// A stale tab (it saw no open request) is refused, not lost.
	in.NewPrice = decimal.RequireFromString("8.00")
	var conflict *models.ConflictError
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, now); !errors.As(err, &conflict) {
		t.Fatalf("stale edit: %v", err)
	}
	// A newer edit that saw the open one replaces it.
	in.ExpectedRequest = req.ID
	req2, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, now)
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	w.db.Raw(`SELECT status FROM price_edit_requests ORDER BY id`).Scan(&statuses)
	if len(statuses) != 2 || statuses[0] != "replaced" || statuses[1] != "under_review" {
		t.Errorf("statuses = %v", statuses)
	}
	// Two tabs at once, both seeing req2: exactly one wins.
	in.ExpectedRequest = req2.ID
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			x := in
			x.NewPrice = decimal.NewFromInt(int64(6 + i))
			_, errs[i] = w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, x, now)
		}(i)
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Errorf("concurrent edits: %v / %v; want exactly one to win", errs[0], errs[1])
	}
	// Another shop: not found.
	if _, err := w.store.RequestPriceEdit(bg, w.other.ID, seller.ID, reg.ID, sku.ID, in, now); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's edit: %v", err)
	}
}

func TestCoFundedEditsWaitForReview(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, true)
	if reg.Status != models.RegistrationPending {
		t.Fatalf("status = %s, want pending", reg.Status)
	}
	_, sku := firstSKU(t, w, reg.ID)
	in := models.PriceEditInput{NewPrice: decimal.RequireFromString("8.00"), ExpectedPrice: decimal.RequireFromString("9.00")}
	var locked *models.EditLockedError
	if _, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, time.Now()); !errors.As(err, &locked) {
		t.Fatalf("edit under review: %v", err)
	}
}

func TestWithdrawals(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, false)
	p, _ := firstSKU(t, w, reg.ID)
	now := time.Now().UTC().Truncate(time.Microsecond)
	// The extra discount only: the product stays.
	if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawDiscount, []int64{p.ID}, now); err != nil {
		t.Fatal(err)
	}
	p, _ = firstSKU(t, w, reg.ID)
	if p.ExtraDiscountPct.Valid || p.Status != models.ProductRegistered {
		t.Errorf("after withdrawing the discount: %+v", p.RegistrationProduct)
	}
	if _, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawDiscount, []int64{p.ID}, now); !errors.Is(err, models.ErrConflict) {
		t.Errorf("withdrawing a discount twice: %v", err)
	}
	// Another shop's product id: not found, nothing changes.
	if _, err := w.store.Withdraw(bg, w.other.ID, seller.ID, reg.ID, models.WithdrawProduct, []int64{p.ID}, now); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's withdrawal: %v", err)
	}
	n, err := w.store.Withdraw(bg, w.shop.ID, seller.ID, reg.ID, models.WithdrawCampaign, nil, now)
	if err != nil || n.Withdrawn != 1 || n.Requested != 0 {
		t.Fatalf("bulk withdraw: %+v %v", n, err)
	}
	var row struct {
		RequestedAt, EffectiveAt time.Time
		Kind                     string
	}
	w.db.Raw(`SELECT requested_at, effective_at, kind FROM withdrawals WHERE kind = 'campaign'`).Scan(&row)
	if !row.RequestedAt.Equal(now) || !row.EffectiveAt.Equal(now) {
		t.Errorf("withdrawal times = %+v, want both %v", row, now)
	}
	var status string
	w.db.Raw(`SELECT status FROM registrations WHERE id = ?`, reg.ID).Scan(&status)
	if status != "withdrawn" {
		t.Errorf("registration after bulk withdraw = %s", status)
	}
	// A withdrawn product can be registered again before the deadline.
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, []models.DraftItem{{ProductID: w.product.ID}}, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := w.store.SubmitDraft(bg, w.shop, reg.ID, true, "again", time.Now())
	if err != nil || res.Registration.Status != models.RegistrationRegistered {
		t.Fatalf("registering again: %+v %v", res.Registration.Status, err)
	}
}

func TestSKUEditsCauseSKUErrorAndResolve(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, false)
	p, _ := firstSKU(t, w, reg.ID)
	// Below the campaign price of $9.00: the campaign price is above the new maximum.
	newPrice := decimal.RequireFromString("8.00")
	edit := models.SKUEdit{RetailPrice: &newPrice}
	var confirm *models.NeedsConfirmationError
	if err := w.store.EditSKU(bg, w.shop.ID, seller.ID, w.skus[0].ID, edit, "", time.Now()); !errors.As(err, &confirm) || len(confirm.Impacts) != 1 {
		t.Fatalf("unconfirmed edit of a registered product: %v", err)
	}
	var retail string
	w.db.Raw(`SELECT retail_price::text FROM skus WHERE id = ?`, w.skus[0].ID).Scan(&retail)
	if retail != "20.00" {
		t.Fatal("an unconfirmed edit changed the price")
	}
	if err := w.store.EditSKU(bg, w.shop.ID, seller.ID, w.skus[0].ID, edit, "not-the-list", time.Now()); !errors.As(err, &confirm) || !confirm.Changed {
		t.Fatalf("a confirmation of another list: %v", err)
	}
	if err := w.store.ChangeCategory(bg, w.shop.ID, w.product.ID, w.product.CategoryID); !errors.Is(err, models.ErrConflict) {
		t.Errorf("category change while registered: %v", err)
	}
	if err := w.store.EditSKU(bg, w.shop.ID, seller.ID, w.skus[0].ID, edit, confirm.Fingerprint, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, _ = firstSKU(t, w, reg.ID)
	if p.Status != models.ProductSKUError || p.SKUErrorReason == "" {
		t.Fatalf("after the edit: %s %q", p.Status, p.SKUErrorReason)
	}
	var periods int64
	w.db.Table("price_history").Where("sku_id = ?", w.skus[0].ID).Count(&periods)
	if periods != 2 {
		t.Errorf("price periods = %d, want the old one closed and a new one", periods)
	}
	var notes int64
	w.db.Table("notifications").Where("user_id = ? AND kind = 'sku_error'", seller.ID).Count(&notes)
	if notes != 1 {
		t.Errorf("SKU error notifications = %d", notes)
	}
	// An edit asked for before the SKU error is still open.
	if err := w.db.Exec(`INSERT INTO price_edit_requests (registration_id, registration_sku_id, shop_id, old_price, new_price, max_price,
		submitted_at, due_at, submitted_by) SELECT ?, rs.id, ?, rs.campaign_price, rs.campaign_price - 1, rs.campaign_price, now(), now() + interval '1 day', ?
		FROM registration_skus rs WHERE rs.registration_id = ? AND rs.sku_id = ?`, reg.ID, w.shop.ID, seller.ID, reg.ID, w.skus[1].ID).Error; err != nil {
		t.Fatal(err)
	}
	// Resolve: the changed SKU asks for a price again, the others keep
	// theirs; the open edit is closed, named, and told in a notification.
	closed, err := w.store.ResolveSKUError(bg, w.shop, seller.ID, reg.ID, p.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(closed) != 1 || closed[0].SKUCode != w.skus[1].SKUCode {
		t.Errorf("closed edits %+v, want the one of %s", closed, w.skus[1].SKUCode)
	}
	var told string
	w.db.Raw(`SELECT body FROM notifications WHERE user_id = ? AND title LIKE 'Price edits closed%'`, seller.ID).Scan(&told)
	if !strings.Contains(told, "the price edit of "+w.skus[1].SKUCode+" to $") {
		t.Errorf("notification %q does not name the closed edit", told)
	}
	page, _, err := w.store.LoadDraft(bg, w.shop.ID, reg.ID, 0, 1, 50)
	if err != nil || len(page.Products) != 1 || len(page.Products[0].SKUs) != 3 {
		t.Fatalf("draft after resolving: %+v %v", page, err)
	}
	for _, s := range page.Products[0].SKUs {
		changed := s.SKUID == w.skus[0].ID
		if changed == s.CampaignPrice.Valid {
			t.Errorf("SKU %d: price kept = %v, want kept only for unchanged SKUs", s.SKUID, s.CampaignPrice.Valid)
		}
	}
	if _, err := w.store.ResolveSKUError(bg, w.shop, seller.ID, reg.ID, p.ID, time.Now()); !errors.Is(err, models.ErrConflict) {
		t.Errorf("resolving twice: %v", err)
	}
	// After the deadline the fix is refused with the deadline.
	w2, reg2, seller2 := registered(t, false)
	p2, _ := firstSKU(t, w2, reg2.ID)
	if err := w2.store.EditSKU(bg, w2.shop.ID, seller2.ID, w2.skus[1].ID, edit, "", time.Now()); !errors.As(err, &confirm) {
		t.Fatalf("edit breaking the registration: %v", err)
	}
	if err := w2.store.EditSKU(bg, w2.shop.ID, seller2.ID, w2.skus[1].ID, edit, confirm.Fingerprint, time.Now()); err != nil {
		t.Fatal(err)
	}
	var late *models.DeadlinePassedError
	if _, err := w2.store.ResolveSKUError(bg, w2.shop, seller2.ID, reg2.ID, p2.ID, w2.camp.RegistrationDeadline.Add(time.Minute)); !errors.As(err, &late) {
		t.Errorf("resolving after the deadline: %v", err)
	}
}

func TestRejectingClosesOpenPriceEdits(t *testing.T) {
	t.Parallel()
	w, reg, seller := registered(t, false)
	reviewer := modeltest.User(t, w.db, "r@x.test", models.RoleReviewer, 0)
	// A reviewed campaign without co-funding: edits are allowed while pending.
	w.db.Exec(`UPDATE campaigns SET review_required = true WHERE id = ?`, w.camp.ID)
	w.db.Exec(`UPDATE registrations SET status = 'pending' WHERE id = ?`, reg.ID)
	w.db.Exec(`UPDATE registration_products SET status = 'pending' WHERE registration_id = ?`, reg.ID)
	_, sku := firstSKU(t, w, reg.ID)
	in := models.PriceEditInput{NewPrice: decimal.RequireFromString("8.00"), ExpectedPrice: decimal.RequireFromString("9.00")}
	req, err := w.store.RequestPriceEdit(bg, w.shop.ID, seller.ID, reg.ID, sku.ID, in, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.DecideRegistration(bg, reviewer.ID, reg.ID, models.DecisionRejected, "incomplete", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	var status string
	w.db.Raw(`SELECT status FROM price_edit_requests WHERE id = ?`, req.ID).Scan(&status)
	if status != string(models.EditClosed) {
		t.Errorf("request after the rejection = %s, want closed", status)
	}
}
