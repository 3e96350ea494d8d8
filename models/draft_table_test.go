package models_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// TestDraftTableAgreesWithRowByRow: the price table's two statements (a
// page with its SKUs and price memories, an aggregate summary) give what a
// plain read of every draft SKU row, worked out one row at a time with
// PreviewUnit and PriceMemories, gives: counts, problems, money to the cent,
// pages, the problem filter and a page past the last.
func TestDraftTableAgreesWithRowByRow(t *testing.T) {
	t.Parallel()
	w := newRegWorld(t)
	reg := w.draft(t)
	// Seven products of three SKUs: prices, stocks, extra discounts and
	// problems that differ, several rows sharing a price (one group in the
	// aggregate), one product left unpriced, one extra discount on 5 %.
	var items []models.DraftItem
	for i := 0; i < 7; i++ {
		p, _ := modeltest.Product(t, w.db, w.shop.ID, fmt.Sprintf("P%d", i), "20.00", "40.00", "10.00")
		items = append(items, models.DraftItem{ProductID: p.ID})
	}
	if _, err := w.store.AddToDraft(bg, w.shop.ID, reg.ID, items, models.SourcePick, time.Now()); err != nil {
		t.Fatal(err)
	}
	all, _, err := w.store.LoadDraft(bg, w.shop.ID, reg.ID, 0, 1, 50)
	if err != nil || len(all.Products) != 7 {
		t.Fatalf("%d products, %v", len(all.Products), err)
	}
	prices := []string{"9.99", "19.00", "30.00", "9.99", "25.00", "8.50"}
	for i, p := range all.Products[:6] {
		for j, sk := range p.SKUs {
			pr := price(prices[(i+j)%len(prices)])
			if _, err := w.store.UpdateDraftSKU(bg, w.shop.ID, reg.ID, sk.ID, pr, count(i*3+j+1), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.store.UpdateDraftProduct(bg, w.shop.ID, reg.ID, all.Products[2].ID, models.TierRegular, price("5"), time.Now()); err != nil {
		t.Fatal(err)
	}
	// A lower sale inside the window at the run's end for one SKU: its
	// campaign price no longer sets the floor.
	sale := all.Products[0].SKUs[0].SKUID
	end := w.camp.RunEndsAt
	for _, q := range []*gorm.DB{
		w.db.Exec(`UPDATE price_history SET valid_to = ? WHERE sku_id = ?`, end.Add(-72*time.Hour), sale),
		w.db.Exec(`INSERT INTO price_history (sku_id, price, valid_from, valid_to, source) VALUES (?, 5.00, ?, ?, 'sale'), (?, 20.00, ?, NULL, 'retail')`,
			sale, end.Add(-72*time.Hour), end.Add(-48*time.Hour), sale, end.Add(-48*time.Hour)),
	} {
		if q.Error != nil {
			t.Fatal(q.Error)
		}
	}

	// The reference: every draft SKU row, one at a time.
	var rows []struct {
		RPID          int64 `gorm:"column:rp_id"`
		RPProblems    int   `gorm:"column:rp_problems"`
		ExtraDiscount decimal.NullDecimal
		Problems      int
		CampaignPrice decimal.NullDecimal
		CampaignStock *int
		SKUID         int64 `gorm:"column:sku_id"`
	}
	if err := w.db.Raw(`SELECT rp.id AS rp_id, rp.problems AS rp_problems, rp.extra_discount_pct AS extra_discount,
			rs.problems, rs.campaign_price, rs.campaign_stock, rs.sku_id
		FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
		WHERE rs.registration_id = ? AND rp.status = 'draft'`, reg.ID).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	camp, err := w.store.CampaignWithRules(bg, w.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := models.DraftSummary{ProblemCounts: map[models.Problem]int{}}
	products := map[int64]bool{}
	priced := map[int64]decimal.Decimal{}
	for _, r := range rows {
		want.SKUs++
		products[r.RPID] = true
		ps := models.Problems(r.Problems | r.RPProblems)
		if ps != 0 {
			want.ProblemSKUs++
		}
		for _, p := range ps.List() {
			want.ProblemCounts[p]++
		}
		if r.CampaignPrice.Valid {
			priced[r.SKUID] = r.CampaignPrice.Decimal
		}
		if r.CampaignPrice.Valid && r.CampaignStock != nil {
			u := models.PreviewUnit(r.CampaignPrice.Decimal, r.ExtraDiscount, camp.FeeRate, camp.Coupons)
			n := decimal.NewFromInt(int64(*r.CampaignStock))
			want.TotalRevenue = want.TotalRevenue.Add(u.SellingPrice.Mul(n))
			want.TotalFees = want.TotalFees.Add(u.Fee.Mul(n))
			want.TotalCouponWorst = want.TotalCouponWorst.Add(u.CouponWorst.Mul(n))
			want.TotalKeep = want.TotalKeep.Add(u.Keep.Mul(n))
		}
	}
	want.Products = len(products)
	if want.ProblemSKUs == 0 || want.ProblemSKUs == want.SKUs || want.TotalFees.IsZero() {
		t.Fatalf("the case needs rows with and without problems, and fees: %+v", want)
	}
	mems, err := w.store.PriceMemories(bg, camp, priced)
	if err != nil {
		t.Fatal(err)
	}
	if mems[sale].Sets {
		t.Fatalf("the $5.00 sale in the window keeps the floor: %+v", mems[sale])
	}

	fullReg, c, err := w.store.ShopRegistration(bg, w.shop.ID, reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for page := 1; page <= 3; page++ {
		d, err := w.store.DraftTable(bg, w.shop.ID, fullReg, c, 0, page, 3)
		if err != nil {
			t.Fatal(err)
		}
		if d.Total != 7 || len(d.Products) != min(3, 7-(page-1)*3) {
			t.Fatalf("page %d: total %d, %d products", page, d.Total, len(d.Products))
		}
		s := d.Summary
		if s.Products != want.Products || s.SKUs != want.SKUs || s.ProblemSKUs != want.ProblemSKUs ||
			fmt.Sprint(s.ProblemCounts) != fmt.Sprint(want.ProblemCounts) ||
			!s.TotalRevenue.Equal(want.TotalRevenue) || !s.TotalFees.Equal(want.TotalFees) ||
			!s.TotalCouponWorst.Equal(want.TotalCouponWorst) || !s.TotalKeep.Equal(want.TotalKeep) {
			t.Fatalf("page %d summary\n got %+v\nwant %+v", page, s, want)
		}
		for _, p := range d.Products {
			if seen[p.ID] || len(p.SKUs) != 3 || p.ProductSKUCount != 3 || p.PID == "" {
				t.Fatalf("page %d: product %d (%d SKUs, seen %v)", page, p.ID, len(p.SKUs), seen[p.ID])
			}
			seen[p.ID] = true
			for _, sk := range p.SKUs {
				if sk.RegistrationProductID != p.ID || sk.SKUCode == "" || sk.ShopID != w.shop.ID {
					t.Fatalf("SKU row %+v", sk)
				}
				m, ok := d.Memories[sk.SKUID]
				if ok != sk.CampaignPrice.Valid {
					t.Fatalf("SKU %d: memory %v with price %v", sk.SKUID, ok, sk.CampaignPrice)
				}
				if ok && fmt.Sprint(m) != fmt.Sprint(mems[sk.SKUID]) {
					t.Fatalf("SKU %d memory\n got %+v\nwant %+v", sk.SKUID, m, mems[sk.SKUID])
				}
			}
		}
	}
	if len(seen) != 7 {
		t.Fatalf("pages showed %d of 7 products", len(seen))
	}
	// The filter, and a page past the last still counts.
	d, err := w.store.DraftTable(bg, w.shop.ID, fullReg, c, models.ProblemPriceMissing, 1, 50)
	if err != nil || d.Total != 1 || len(d.Products) != 1 || d.Products[0].ID != all.Products[6].ID {
		t.Fatalf("price-missing filter: %d products, %v", d.Total, err)
	}
	d, err = w.store.DraftTable(bg, w.shop.ID, fullReg, c, 0, 9, 3)
	if err != nil || d.Total != 7 || len(d.Products) != 0 {
		t.Fatalf("page 9 of 3: total %d, %d products, %v", d.Total, len(d.Products), err)
	}
	// Another shop's id reads nothing of this draft.
	d, err = w.store.DraftTable(bg, w.other.ID, fullReg, c, 0, 1, 50)
	if err != nil || d.Total != 0 || d.Summary.SKUs != 0 {
		t.Fatalf("another shop: total %d, %d SKUs, %v", d.Total, d.Summary.SKUs, err)
	}
}
