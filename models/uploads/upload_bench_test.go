package uploads_test

import (
	"bytes"
	"encoding/csv"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/uploads"
)

type benchSKU struct {
	PID     string `gorm:"column:pid"`
	SKUCode string `gorm:"column:sku_code"`
	Retail  decimal.Decimal
}

// BenchmarkUpload10k measures a 10,000-row upload end to end (XLSX, and
// CSV to compare) on the domain path: inspect and store with its job (the
// request), check every row (the job), save the valid rows into the draft
// (the save request).
// The shop has 10,000 SKUs on 2,000 products. Results go to
// docs/performance.md; run it with scripts/bench-upload.sh.
func BenchmarkUpload10k(b *testing.B) {
	db := modeltest.NewDB(b)
	store := models.NewStore(db)
	queue, err := uploads.NewRiverQueue(db)
	if err != nil {
		b.Fatal(err)
	}
	uploads := uploads.NewUploads(store, queue)
	campaign := modeltest.Campaign(b, db, modeltest.OpenCampaign("Black Friday"))
	shop := modeltest.Shop(b, db, "Big shop", "4.8", "20")
	var catID int64
	db.Raw(`INSERT INTO categories (name) VALUES ('Bench') RETURNING id`).Scan(&catID)
	steps := []string{
		`INSERT INTO products (shop_id, pid, title, category_id)
			SELECT ?, (6000000000 + g)::text, 'Product ' || g, ? FROM generate_series(1, 2000) g`,
		`INSERT INTO skus (product_id, shop_id, sku_code, retail_price, stock)
			SELECT p.id, p.shop_id, 'B-' || p.pid || '-' || v, 20 + v, 100
			FROM products p CROSS JOIN generate_series(1, 5) v WHERE p.shop_id = ?`,
		`INSERT INTO price_history (sku_id, price, valid_from, valid_to)
			SELECT id, retail_price + 1, now() - interval '90 days', now() - interval '20 days' FROM skus WHERE shop_id = ?`,
		`INSERT INTO price_history (sku_id, price, valid_from)
			SELECT id, retail_price, now() - interval '20 days' FROM skus WHERE shop_id = ?`,
	}
	for i, q := range steps {
		args := []any{shop.ID}
		if i == 0 {
			args = append(args, catID)
		}
		if err := db.Exec(q, args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	var skus []benchSKU
	db.Raw(`SELECT p.pid, s.sku_code, s.retail_price AS retail FROM skus s JOIN products p ON p.id = s.product_id
		WHERE s.shop_id = ? ORDER BY s.id`, shop.ID).Scan(&skus)
	if len(skus) != 10000 {
		b.Fatalf("%d SKUs", len(skus))
	}
	rows := bench10kRows(skus)
	files := map[string][]byte{"xlsx": bench10kXLSX(b, rows), "csv": bench10kCSV(rows)}
	for _, kind := range []string{"xlsx", "csv"} {
		file := files[kind]
		b.Run(kind, func(b *testing.B) {
			b.Logf("file: %d bytes, %d rows", len(file), len(rows))
			var create, process, save time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db.Exec(`DELETE FROM uploads`)
				db.Exec(`DELETE FROM river_job`)
				db.Exec(`DELETE FROM registration_products`)
				now := time.Now()
				b.StartTimer()

				t0 := time.Now()
				up, _, err := uploads.CreateUpload(bg, shop, campaign.ID, 0, "10k."+kind, file, now)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := uploads.ProcessUpload(bg, up.ID, now); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				res, err := uploads.SaveUpload(bg, shop, campaign.ID, up.ID, now)
				if err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				create, process, save = create+t1.Sub(t0), process+t2.Sub(t1), save+t3.Sub(t2)
				if res.Rows != 10000 {
					b.StopTimer()
					bad, _ := uploads.InvalidUploadRows(bg, up.ID)
					if len(bad) > 0 {
						b.Fatalf("saved %d rows; first invalid: row %d %s", res.Rows, bad[0].RowNumber, bad[0].Reason)
					}
					b.Fatalf("saved %d rows", res.Rows)
				}
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(create.Seconds()/n, "create-s/op")
			b.ReportMetric(process.Seconds()/n, "check-s/op")
			b.ReportMetric(save.Seconds()/n, "save-s/op")
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
			}
		})
	}
}

// bench10kRows fills the template the way a seller would: every row priced
// and stocked; products alternate between Featured (80% of the low) and
// Regular (90%), all five SKUs of a product sharing its tier.
func bench10kRows(skus []benchSKU) [][]string {
	rows := make([][]string, len(skus))
	for i, s := range skus {
		tier, pct := "Regular", decimal.NewFromInt(90)
		if (i/5)%2 == 0 {
			tier, pct = "Featured", decimal.NewFromInt(80)
		}
		price := s.Retail.Mul(pct).Div(decimal.NewFromInt(100)).RoundFloor(2).StringFixed(2)
		retail := s.Retail.StringFixed(2)
		rows[i] = []string{s.PID, s.SKUCode, "Product", "Variant", retail, retail, "", retail, "100", price, "10", tier, ""}
	}
	return rows
}

func bench10kCSV(rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(uploads.UploadColumns[:])
	_ = w.WriteAll(rows)
	return buf.Bytes()
}

// bench10kXLSX writes the rows as a workbook, streamed as the template is.
func bench10kXLSX(b *testing.B, rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := make([]any, len(uploads.UploadColumns))
	for i, c := range uploads.UploadColumns {
		header[i] = c
	}
	_ = sw.SetRow("A1", header)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
