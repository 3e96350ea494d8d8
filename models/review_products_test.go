package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

func TestRegistrationStatusOf(t *testing.T) {
	t.Parallel()
	type c = map[models.ProductStatus]int
	tests := []struct {
		name      string
		counts    c
		want      models.RegistrationStatus
		wantLabel string
	}{
		{"one still under review", c{models.ProductPending: 1, models.ProductRegistered: 2}, models.RegistrationPending, "Under review"},
		{"all registered", c{models.ProductRegistered: 3}, models.RegistrationRegistered, "Registered"},
		{"some registered, some rejected", c{models.ProductRegistered: 2, models.ProductRejected: 1}, models.RegistrationRegistered, "Partly registered"},
		{"SKU error counts as in the campaign", c{models.ProductSKUError: 1, models.ProductRejected: 1}, models.RegistrationRegistered, "Partly registered"},
		{"all rejected", c{models.ProductRejected: 2}, models.RegistrationRejected, "Rejected"},
		{"rejected and withdrawn", c{models.ProductRejected: 1, models.ProductWithdrawn: 1}, models.RegistrationRejected, "Rejected"},
		{"nothing left", c{models.ProductWithdrawn: 2}, models.RegistrationWithdrawn, "Withdrawn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := models.RegistrationStatusOf(tt.counts)
			if got != tt.want {
				t.Fatalf("status = %s, want %s", got, tt.want)
			}
			if label := models.RegistrationStatusLabel(got, tt.counts, 0); label != tt.wantLabel {
				t.Errorf("label = %q, want %q", label, tt.wantLabel)
			}
		})
	}
}

// pendingProducts submits n products of one SKU each to the shop's
// registration and returns it with the registration product ids in order.
func (w *reviewWorld) pendingProducts(t *testing.T, shop models.Shop, n int) (models.Registration, []int64) {
	t.Helper()
	var reg models.Registration
	for range n {
		reg, _ = w.submit(t, shop, "19.00")
	}
	var ids []int64
	if err := w.db.Table("registration_products").Where("registration_id = ? AND status = 'pending'", reg.ID).Order("id").
		Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Fatalf("%d pending products, want %d", len(ids), n)
	}
	return reg, ids
}

func TestDecideProductsApprovesSomeAndRejectsOthers(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	seller := modeltest.User(t, w.db, "maple@x.test", models.RoleSeller, w.shop.ID)
	reg, ids := w.pendingProducts(t, w.shop, 3)

	res, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{
		{RegistrationProductID: ids[0], Decision: models.DecisionApproved},
		{RegistrationProductID: ids[1], Decision: models.DecisionRejected, ReasonCode: "price-above-maximum", ReasonText: " Your 60-day low is $15. "},
		{RegistrationProductID: ids[2], Decision: models.DecisionApproved},
	}, "Checked the lows.", time.Now())
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	if res.Approved != 2 || res.Rejected != 1 || res.Status != models.RegistrationRegistered {
		t.Fatalf("result = %+v", res)
	}
	status, products := w.statuses(t, reg.ID)
	if status != models.RegistrationRegistered || strings.Join(products, ",") != "registered,rejected,registered" {
		t.Fatalf("after the step: %s with products %v", status, products)
	}
	// The seller sees each product's decision, with the reason on the rejected one.
	mv, err := w.store.Manage(bg, w.shop.ID, reg.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := models.RegistrationStatusLabel(mv.Registration.Status, mv.Counts, mv.SKUsOut); got != "Partly registered" {
		t.Errorf("seller's status = %q, want Partly registered", got)
	}
	reasons := map[int64]string{}
	for _, p := range mv.Products {
		reasons[p.ID] = string(p.Status) + ": " + p.DecisionReason
	}
	if want := "rejected: Campaign price above the maximum allowed: Your 60-day low is $15."; reasons[ids[1]] != want {
		t.Errorf("rejected product reads %q, want %q", reasons[ids[1]], want)
	}
	if reasons[ids[0]] != "registered: " {
		t.Errorf("approved product reads %q", reasons[ids[0]])
	}
	// One audit row per product, naming it.
	var audit []struct {
		RegistrationProductID int64
		Decision, ReasonCode  string
		ReasonText            string
	}
	w.db.Raw(`SELECT registration_product_id, decision, reason_code, reason_text FROM review_decisions WHERE registration_id = ? ORDER BY registration_product_id`,
		reg.ID).Scan(&audit)
	if len(audit) != 3 || audit[1].RegistrationProductID != ids[1] || audit[1].Decision != "rejected" || audit[1].ReasonCode != "price-above-maximum" ||
		audit[0].Decision != "approved" || audit[0].ReasonText != "Checked the lows." {
		t.Errorf("audit = %+v", audit)
	}
	// One notice, naming the products and the reason.
	notes := notificationsOf(t, w.db, seller.ID, models.NotifyReviewDecision)
	if len(notes) != 1 || !strings.HasPrefix(notes[0].Title, "Partly registered: ") ||
		!strings.Contains(notes[0].Body, "Rejected: ") || !strings.Contains(notes[0].Body, "Your 60-day low is $15") ||
		strings.Count(notes[0].Body, "(PID ") != 3 {
		t.Fatalf("notifications = %+v", notes)
	}
	if queue, _ := w.store.ReviewQueue(bg, time.Now()); len(queue) != 0 {
		t.Errorf("the decided registration is still queued: %+v", queue)
	}
}

func TestDecideProductsLeavesTheOthersUnderReview(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, ids := w.pendingProducts(t, w.shop, 2)
	res, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{
		{RegistrationProductID: ids[1], Decision: models.DecisionRejected, ReasonCode: "incomplete"},
	}, "", time.Now())
	if err != nil || res.Status != models.RegistrationPending {
		t.Fatalf("first step = %+v, %v; want the registration still under review", res, err)
	}
	if queue, _ := w.store.ReviewQueue(bg, time.Now()); len(queue) != 1 || queue[0].Products != 1 {
		t.Fatalf("queue = %+v, want the registration with its one product left", queue)
	}
	res, err = w.store.DecideProducts(bg, w.reviewer2.ID, reg.ID, []models.ProductDecision{
		{RegistrationProductID: ids[0], Decision: models.DecisionRejected, ReasonCode: models.ReasonOther, ReasonText: "Counterfeit."},
	}, "", time.Now())
	if err != nil || res.Status != models.RegistrationRejected {
		t.Fatalf("second step = %+v, %v; want Rejected", res, err)
	}
	status, products := w.statuses(t, reg.ID)
	if status != models.RegistrationRejected || strings.Join(products, ",") != "rejected,rejected" {
		t.Fatalf("after both steps: %s with %v", status, products)
	}
	// Two reasons: the registration points at the products.
	var reason string
	w.db.Raw(`SELECT decision_reason FROM registrations WHERE id = ?`, reg.ID).Scan(&reason)
	if reason != "Counterfeit." {
		// The last step rejected with one reason; that step's reason is kept.
		t.Errorf("registration reason = %q", reason)
	}
}

func TestDecideProductsRefusesBadInputAndOtherRegistrations(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, ids := w.pendingProducts(t, w.shop, 2)
	other, otherIDs := w.pendingProducts(t, modeltest.Shop(t, w.db, "Northwind", "4.0", "20"), 1)

	_, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{
		{RegistrationProductID: ids[0], Decision: models.DecisionApproved},
		{RegistrationProductID: ids[1], Decision: models.DecisionRejected},
	}, "", time.Now())
	var invalid *models.ValidationError
	if !errors.As(err, &invalid) || invalid.Fields[models.ProductField("reason_code", ids[1])] == "" {
		t.Fatalf("a rejection without a reason: err = %v, want a message beside that product", err)
	}
	if _, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, nil, "", time.Now()); !errors.As(err, &invalid) {
		t.Errorf("no decision: err = %v, want invalid", err)
	}
	_, err = w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{
		{RegistrationProductID: ids[0], Decision: models.DecisionApproved},
		{RegistrationProductID: otherIDs[0], Decision: models.DecisionApproved},
	}, "", time.Now())
	if !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another registration's product: err = %v, want not found", err)
	}
	if status, products := w.statuses(t, reg.ID); status != models.RegistrationPending || strings.Join(products, ",") != "pending,pending" {
		t.Errorf("a refused step changed %s %v", status, products)
	}
	if status, _ := w.statuses(t, other.ID); status != models.RegistrationPending {
		t.Errorf("a refused step changed the other registration: %s", status)
	}
	manager := modeltest.User(t, w.db, "boss@x.test", models.RoleManager, 0)
	if _, err := w.store.DecideProducts(bg, manager.ID, reg.ID, []models.ProductDecision{{RegistrationProductID: ids[0], Decision: models.DecisionApproved}},
		"", time.Now()); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a manager's decision: err = %v, want forbidden", err)
	}
}

func TestConcurrentProductDecisionsOneWinsAndTheOtherIsToldWho(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	for round := range 4 {
		shop := modeltest.Shop(t, w.db, fmt.Sprintf("Shop %d", round), "4.0", "20")
		reg, ids := w.pendingProducts(t, shop, 2)
		who := []models.User{w.reviewer, w.reviewer2}
		steps := [][]models.ProductDecision{
			{{RegistrationProductID: ids[0], Decision: models.DecisionApproved}, {RegistrationProductID: ids[1], Decision: models.DecisionApproved}},
			{{RegistrationProductID: ids[1], Decision: models.DecisionRejected, ReasonCode: "stock-insufficient"}},
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				<-start
				_, errs[i] = w.store.DecideProducts(bg, who[i].ID, reg.ID, steps[i], "", time.Now())
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: both steps won", round)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no step won: %v", round, errs)
		}
		loser := errs[1-winner]
		want := "already decided by " + who[winner].DisplayName
		if !errors.Is(loser, models.ErrConflict) || !strings.Contains(loser.Error(), want) {
			t.Fatalf("round %d: the losing step got %v, want a conflict saying %q", round, loser, want)
		}
		var audits int64
		w.db.Table("review_decisions").Where("registration_product_id = ?", ids[1]).Count(&audits)
		if audits != 1 {
			t.Fatalf("round %d: %d audit rows for the contested product, want 1", round, audits)
		}
		status, products := w.statuses(t, reg.ID)
		switch winner {
		case 0:
			if status != models.RegistrationRegistered || strings.Join(products, ",") != "registered,registered" {
				t.Fatalf("round %d: approvals won but %s %v", round, status, products)
			}
		case 1:
			// The loser's approval of the other product was not written either.
			if status != models.RegistrationPending || strings.Join(products, ",") != "pending,rejected" {
				t.Fatalf("round %d: the rejection won but %s %v", round, status, products)
			}
		}
	}
}

func TestReviewDueAtInSQLMatchesGo(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	start := time.Date(2026, 11, 27, 0, 17, 0, 0, time.UTC) // a Friday
	for h := 0; h < 24*15; h += 5 {
		submitted := start.Add(time.Duration(h) * time.Hour)
		var got time.Time
		if err := db.Raw(`SELECT review_due_at(?)`, submitted).Row().Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := models.ReviewDueAt(submitted); !got.Equal(want) {
			t.Fatalf("submitted %s: SQL says due %s, Go %s", submitted.Format(time.RFC1123), got.UTC().Format(time.RFC1123), want.Format(time.RFC1123))
		}
	}
}

func TestOverdueNoticesStopBeingNewOnceDecided(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, ids := w.pendingProducts(t, w.shop, 2)
	if err := w.db.Exec(`UPDATE registrations SET submitted_at = submitted_at - interval '10 days' WHERE id = ?`, reg.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.FlagOverdueReviews(bg, time.Now()); err != nil {
		t.Fatal(err)
	}
	unread := func() int64 {
		var n int64
		w.db.Table("notifications").Where("kind = 'overdue' AND read_at IS NULL AND dedupe_key = ?", fmt.Sprintf("overdue-registration-%d", reg.ID)).Count(&n)
		return n
	}
	if n := unread(); n != 2 {
		t.Fatalf("%d new overdue notices, want one per reviewer", n)
	}
	// Half decided: still overdue, still new.
	if _, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{{RegistrationProductID: ids[0], Decision: models.DecisionApproved}},
		"", time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := unread(); n != 2 {
		t.Fatalf("%d new overdue notices while a product is still under review, want 2", n)
	}
	if _, err := w.store.DecideProducts(bg, w.reviewer.ID, reg.ID, []models.ProductDecision{{RegistrationProductID: ids[1], Decision: models.DecisionApproved}},
		"", time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := unread(); n != 0 {
		t.Fatalf("%d overdue notices still new after the decision", n)
	}
}

func TestReviewQueuePageFiltersCountsAndPages(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	now := time.Now()
	maple, _ := w.submit(t, w.shop, "19.00")
	north := modeltest.Shop(t, w.db, "Northwind Goods", "4.0", "20")
	late, _ := w.submit(t, north, "19.00")
	fresh := modeltest.Shop(t, w.db, "Fresh Start", "", "20")
	flagged, _ := w.submit(t, fresh, "19.00")
	// Northwind is overdue; Fresh Start's price check found a SKU above the
	// maximum; Maple registered in another campaign before (not first-time).
	mustExec := func(sql string, args ...any) {
		t.Helper()
		if err := w.db.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`UPDATE registrations SET submitted_at = now() - interval '10 days' WHERE id = ?`, late.ID)
	mustExec(`UPDATE registrations SET above_max_skus = 1, price_checked_at = now() WHERE id = ?`, flagged.ID)
	earlier := modeltest.Campaign(t, w.db, modeltest.OpenCampaign("Summer Sale"))
	modeltest.Register(t, w.db, earlier.ID, w.shop.ID, models.RegistrationRegistered)

	ids := func(p models.QueuePage) []int64 {
		var out []int64
		for _, r := range p.Rows {
			out = append(out, r.RegistrationID)
		}
		return out
	}
	tests := []struct {
		name string
		f    models.QueueFilter
		want []int64
	}{
		{"all, oldest due first", models.QueueFilter{}, []int64{late.ID, maple.ID, flagged.ID}},
		{"overdue", models.QueueFilter{Flag: models.QueueOverdue}, []int64{late.ID}},
		{"due today: none", models.QueueFilter{Flag: models.QueueDueToday}, nil},
		{"above maximum", models.QueueFilter{Flag: models.QueueAboveMax}, []int64{flagged.ID}},
		{"co-funded", models.QueueFilter{Flag: models.QueueCoFunded}, []int64{late.ID, maple.ID, flagged.ID}},
		{"first-time shops", models.QueueFilter{Flag: models.QueueFirstTime}, []int64{late.ID, flagged.ID}},
		{"shop name", models.QueueFilter{Shop: "north"}, []int64{late.ID}},
		{"campaign", models.QueueFilter{CampaignID: w.campaign.ID, Sort: models.QueueSortShop}, []int64{flagged.ID, maple.ID, late.ID}},
		{"another campaign", models.QueueFilter{CampaignID: earlier.ID}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := w.store.ReviewQueuePage(bg, tt.f, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p); fmt.Sprint(got) != fmt.Sprint(tt.want) || p.Total != len(tt.want) {
				t.Fatalf("rows %v (total %d), want %v", got, p.Total, tt.want)
			}
		})
	}
	p, err := w.store.ReviewQueuePage(bg, models.QueueFilter{}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"": 3, "overdue": 1, "due-today": 0, "above-max": 1, "co-funded": 3, "first-time": 2}
	if fmt.Sprint(p.Counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", p.Counts, want)
	}
	if len(p.Campaigns) != 1 || p.Campaigns[0].Pending != 3 || p.Rows[0].Products != 1 || p.Rows[0].SKUs != 1 || !p.Rows[0].Overdue {
		t.Errorf("campaigns %+v, first row %+v", p.Campaigns, p.Rows[0])
	}
	// The stored check is refreshed by RefreshPriceChecks: nothing is above now.
	if n, err := w.store.RefreshPriceChecks(bg, now); err != nil || n != 3 {
		t.Fatalf("refresh checked %d, %v", n, err)
	}
	if p, _ := w.store.ReviewQueuePage(bg, models.QueueFilter{Flag: models.QueueAboveMax}, now); p.Total != 0 {
		t.Errorf("after the refresh %d registrations are above the maximum, want 0", p.Total)
	}
	// Select all of a filter takes its ids in queue order.
	got, err := w.store.QueueIDs(bg, models.QueueFilter{Flag: models.QueueFirstTime}, models.MaxBulkApprove, now)
	if err != nil || fmt.Sprint(got) != fmt.Sprint([]int64{late.ID, flagged.ID}) {
		t.Errorf("QueueIDs = %v, %v", got, err)
	}
	// A page beyond the last is empty, not an error.
	if p, err := w.store.ReviewQueuePage(bg, models.QueueFilter{Page: 9}, now); err != nil || len(p.Rows) != 0 || p.Pages != 1 {
		t.Errorf("page 9 = %d rows, %d pages, %v", len(p.Rows), p.Pages, err)
	}
}

func TestReviewPageFlagsOnlyWhatIsBeingDecided(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, skus := w.submit(t, w.shop, "19.00")
	// The seller's sale lowers the low to 15.00: 19.00 is above the maximum now.
	now := time.Now().UTC().Truncate(time.Second)
	cut := now.Add(-time.Hour)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE price_history SET valid_to = ? WHERE sku_id = ? AND valid_to IS NULL`, []any{cut, skus[0].ID}},
		{`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 15.00, ?)`, []any{skus[0].ID, cut}},
	} {
		if err := w.db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	d, err := w.store.ReviewRegistration(bg, reg.ID, now)
	if err != nil || d.AboveMax != 1 || !d.Products[0].SKUs[0].AboveLiveMax {
		t.Fatalf("pending product: above max %d, %v", d.AboveMax, err)
	}
	// A second product is submitted; the first is withdrawn by the seller.
	_, _ = w.submit(t, w.shop, "19.00")
	if err := w.db.Exec(`UPDATE registration_products SET status = 'withdrawn', withdrawn_at = now()
		WHERE registration_id = ? AND id = (SELECT min(id) FROM registration_products WHERE registration_id = ?)`, reg.ID, reg.ID).Error; err != nil {
		t.Fatal(err)
	}
	d, err = w.store.ReviewRegistration(bg, reg.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.AboveMax != 0 || d.PendingSKUs != 1 {
		t.Errorf("above max %d, pending SKUs %d; want the withdrawn product left out", d.AboveMax, d.PendingSKUs)
	}
	for _, p := range d.Products {
		for _, s := range p.SKUs {
			if p.Status != models.ProductPending && (s.AboveLiveMax || s.StockShort) {
				t.Errorf("%s product's SKU is flagged", p.Status)
			}
		}
	}
}

func TestRetailRaisedFlag(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		before decimal.NullDecimal
		at     string
		want   string
	}{
		{"raised", decimal.NewNullDecimal(d("15.00")), "20.00",
			"Retail price raised from $15.00 to $20.00 (+33%) in the 30 days before submitting: the campaign discount starts from a raised price."},
		{"unchanged", decimal.NewNullDecimal(d("20.00")), "20.00", ""},
		{"lowered", decimal.NewNullDecimal(d("25.00")), "20.00", ""},
		{"no retail price then", decimal.NullDecimal{}, "20.00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := models.RetailRaisedFlag(tt.before, d(tt.at)); got != tt.want {
				t.Errorf("flag = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReviewPageFlagsARetailPriceRaisedBeforeSubmitting(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	reg, skus := w.submit(t, w.shop, "19.00", "19.00")
	// The first SKU sold at 15.00 until 10 days before submitting, then 20.00.
	var submitted time.Time
	w.db.Raw(`SELECT submitted_at FROM registrations WHERE id = ?`, reg.ID).Scan(&submitted)
	raised := submitted.AddDate(0, 0, -10)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM price_history WHERE sku_id = ?`, []any{skus[0].ID}},
		{`INSERT INTO price_history (sku_id, price, valid_from, valid_to) VALUES (?, 15.00, ?, ?), (?, 20.00, ?, NULL)`,
			[]any{skus[0].ID, submitted.AddDate(0, 0, -90), raised, skus[0].ID, raised}},
	} {
		if err := w.db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	d, err := w.store.ReviewRegistration(bg, reg.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, s := range d.Products[0].SKUs {
		got[s.SKUID] = s.RaisedFlag
	}
	if !strings.HasPrefix(got[skus[0].ID], "Retail price raised from $15.00 to $20.00") || got[skus[1].ID] != "" {
		t.Errorf("flags = %v", got)
	}
}

func TestPriceEditFlags(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	live := models.LiveLimit{Low: d("20.00"), Max: d("20.00")}
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"a cut below the low", "19.00", "18.00", nil},
		{"a raise, still below the low", "17.00", "18.00", []string{"Raises the campaign price from $17.00 to $18.00: buyers have seen the lower price during the campaign."}},
		{"a cut to the low itself", "21.00", "20.00", []string{"No discount on the SKU's own history: $20.00 is not below its lowest price of the past 30 days ($20.00)."}},
		{"a raise to the low", "19.00", "20.00", []string{
			"Raises the campaign price from $19.00 to $20.00: buyers have seen the lower price during the campaign.",
			"No discount on the SKU's own history: $20.00 is not below its lowest price of the past 30 days ($20.00)."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := models.PriceEditFlags(d(tt.old), d(tt.new), live, 30)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("flags = %q, want %q", got, tt.want)
			}
		})
	}
}
