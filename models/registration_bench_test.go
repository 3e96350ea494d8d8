package models_test

// Benchmark of the registration query that grows with a shop's catalogue:
// the lookback lows of 10,000 SKUs in one set-based query. The data are
// built once per test process with bulk SQL (generate_series) into a
// template database and cloned per run. The price table of a 2,000-SKU
// draft is benchmarked in web/register_bench_test.go. Numbers and how to
// run them: docs/performance.md.
//
//	go test ./models -run XXX -bench LookbackLows10k -benchtime 10x

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// benchAnchor is "now" for the benchmark data: fixed, so every run reads
// the same windows.
var benchAnchor = time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)

// seedLookback10k makes one shop with 2,000 products of 5 SKUs (10,000
// SKUs) and 120 days of price history per SKU: 12 periods of 10 days, the
// last one open (the current price): 120,000 rows.
func seedLookback10k(ctx context.Context, db *gorm.DB) error {
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO shops (public_id, name, sps, free_shipping, free_shipping_threshold)
			VALUES ('BENCH-10K', 'Bench shop', 4.8, true, 20)`, nil},
		{`INSERT INTO categories (name) VALUES ('Bench')`, nil},
		{`INSERT INTO products (shop_id, pid, title, category_id)
			SELECT (SELECT id FROM shops WHERE public_id = 'BENCH-10K'), (7000000000 + g)::text, 'Product ' || g,
				(SELECT id FROM categories WHERE name = 'Bench')
			FROM generate_series(1, 2000) g`, nil},
		{`INSERT INTO skus (product_id, shop_id, sku_code, retail_price, stock)
			SELECT p.id, p.shop_id, 'L-' || p.pid || '-' || v, 20 + v, 100
			FROM products p CROSS JOIN generate_series(1, 5) v ORDER BY p.id, v`, nil},
		// Period k (0..11) runs from anchor - 120 + 10k days to 10 days
		// later; the last one is open. Prices wander between 15 and 31.
		{`INSERT INTO price_history (sku_id, price, valid_from, valid_to, source)
			SELECT s.id, 15 + ((s.id * 7 + k * 13) % 17) + 0.99,
				CAST(? AS timestamptz) - make_interval(days => 120 - 10 * k),
				CASE WHEN k = 11 THEN NULL ELSE CAST(? AS timestamptz) - make_interval(days => 110 - 10 * k) END,
				CASE WHEN k % 4 = 1 THEN 'sale' ELSE 'retail' END
			FROM skus s CROSS JOIN generate_series(0, 11) k ORDER BY s.id, k`, []any{benchAnchor, benchAnchor}},
		{`ANALYZE`, nil},
	}
	for _, st := range steps {
		if err := db.WithContext(ctx).Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	return nil
}

func lookbackBenchIDs(b *testing.B, db *gorm.DB) []int64 {
	b.Helper()
	var ids []int64
	if err := db.Raw(`SELECT id FROM skus ORDER BY id`).Scan(&ids).Error; err != nil {
		b.Fatal(err)
	}
	if len(ids) != 10000 {
		b.Fatalf("%d SKUs, want 10000", len(ids))
	}
	return ids
}

// BenchmarkLookbackLows10k is models.LookbackLows for 10,000 SKUs with a
// 60-day window: "store" is the function the portal calls. "compare"
// runs, in turn within each iteration (so a busy machine slows them
// alike), the same query in four forms and reports each one's ms/call:
// the ids as 10,000 parameters (`sku_id IN @ids`, today's form) or as one
// array parameter (`sku_id = ANY(CAST(@ids AS bigint[]))` with a '{1,2,3}'
// literal), each read with GORM's Raw().Scan (today's) or Raw().Find.
// Every form must give the store's result.
func BenchmarkLookbackLows10k(b *testing.B) {
	db := modeltest.NewDBWith(b, "lookback10k", seedLookback10k)
	store := models.NewStore(db)
	ids := lookbackBenchIDs(b, db)
	want, err := store.LookbackLows(bg, ids, 60, benchAnchor)
	if err != nil {
		b.Fatal(err)
	}
	if len(want) != len(ids) {
		b.Fatalf("%d lows for %d SKUs", len(want), len(ids))
	}

	b.Run("store", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			lows, err := store.LookbackLows(bg, ids, 60, benchAnchor)
			if err != nil {
				b.Fatal(err)
			}
			if len(lows) != len(ids) {
				b.Fatalf("%d lows for %d SKUs", len(lows), len(ids))
			}
		}
	})

	variants := []struct {
		name       string
		array, use bool // use: Find instead of Scan
	}{
		{"in-list+Scan", false, false},
		{"in-list+Find", false, true},
		{"any-array+Scan", true, false},
		{"any-array+Find", true, true},
	}
	for _, v := range variants {
		lows, err := lookbackLowsVariant(bg, db, ids, 60, benchAnchor, v.array, v.use)
		if err != nil {
			b.Fatalf("%s: %v", v.name, err)
		}
		if len(lows) != len(want) {
			b.Fatalf("%s: %d lows, the store %d", v.name, len(lows), len(want))
		}
		for id, w := range want {
			if g := lows[id]; !g.Price.Equal(w.Price) || !g.At.Equal(w.At) {
				b.Fatalf("%s: SKU %d: %s at %s, the store %s at %s", v.name, id, g.Price, g.At, w.Price, w.At)
			}
		}
	}
	b.Run("compare", func(b *testing.B) {
		spent := make([]time.Duration, len(variants))
		for i := 0; i < b.N; i++ {
			for j, v := range variants {
				t0 := time.Now()
				if _, err := lookbackLowsVariant(bg, db, ids, 60, benchAnchor, v.array, v.use); err != nil {
					b.Fatal(err)
				}
				spent[j] += time.Since(t0)
			}
		}
		for j, v := range variants {
			b.ReportMetric(float64(spent[j].Microseconds())/1000/float64(b.N), "ms/"+v.name)
		}
	})
}

// lookbackLowsVariant is the query of models.LookbackLows with the ids as
// 10,000 parameters or as one array parameter, read with Scan or Find.
func lookbackLowsVariant(ctx context.Context, db *gorm.DB, skuIDs []int64, days int, at time.Time, array, find bool) (map[int64]models.LookbackLow, error) {
	out := make(map[int64]models.LookbackLow, len(skuIDs))
	if len(skuIDs) == 0 {
		return out, nil
	}
	cond := "ph.sku_id IN @ids"
	var ids any = skuIDs
	if array {
		cond = "ph.sku_id = ANY(CAST(@ids AS bigint[]))"
		var sb strings.Builder
		sb.Grow(len(skuIDs) * 8)
		sb.WriteByte('{')
		for i, id := range skuIDs {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatInt(id, 10))
		}
		sb.WriteByte('}')
		ids = sb.String()
	}
	q := db.WithContext(ctx).Raw(`
		SELECT DISTINCT ON (ph.sku_id) ph.sku_id, ph.price,
			LEAST(COALESCE(ph.valid_to, @asof), @asof) AS low_at
		FROM price_history ph
		WHERE `+cond+`
		  AND ph.valid_from <= @asof
		  AND (ph.valid_to IS NULL OR ph.valid_to > CAST(@asof AS timestamptz) - make_interval(days => @days))
		ORDER BY ph.sku_id, ph.price, ph.valid_from DESC`,
		map[string]any{"ids": ids, "asof": at, "days": days})
	var rows []models.LookbackLow
	if find {
		q = q.Find(&rows)
	} else {
		q = q.Scan(&rows)
	}
	if q.Error != nil {
		return nil, q.Error
	}
	for _, r := range rows {
		out[r.SKUID] = r
	}
	return out, nil
}
