package uploads

import (
	"campaignportal/models"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ProcessUpload checks every row of an upload against the shop's catalogue
// and the campaign's rules, batch by batch: each batch looks its SKUs and
// lookback lows up in a few set-based queries, writes its rows and moves
// the progress on, in one transaction. The file is parsed in a goroutine
// while earlier batches are checked. A retry (after a crash or a restart)
// starts the file over. A file that turns out malformed fails with its
// message; errors of ours are returned for the queue to retry.
func (u *Uploads) ProcessUpload(ctx context.Context, uploadID int64, now time.Time) error {
	db := u.db.WithContext(ctx)
	var claim struct {
		ShopID         int64
		RegistrationID int64
		Content        []byte
	}
	res := db.Raw(`UPDATE uploads SET status = 'processing', processed_rows = 0, valid_rows = 0, invalid_rows = 0,
			skipped_rows = 0, updated_at = now()
		WHERE id = ? AND status IN ('queued', 'processing')
		RETURNING shop_id, registration_id, content`, uploadID).Scan(&claim)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return nil // done, failed or gone: nothing to do
	}
	if err := db.Exec(`DELETE FROM upload_rows WHERE upload_id = ?`, uploadID).Error; err != nil {
		return err
	}
	terms, err := u.uploadTerms(ctx, claim.RegistrationID)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []UploadRow, 2)
	parsed := make(chan error, 1)
	go func() {
		defer close(batches)
		var batch []UploadRow
		send := func() error {
			select {
			case batches <- batch:
				batch = nil
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		n := 0
		_, _, err := streamUpload(claim.Content, func(r UploadRow) error {
			if err := checkRowCount(n, r); err != nil {
				return err
			}
			n++
			if batch = append(batch, r); len(batch) == uploadBatch {
				return send()
			}
			return nil
		})
		switch {
		case err == nil && n == 0:
			err = errNoProducts
		case err == nil && len(batch) > 0:
			err = send()
		}
		parsed <- err
	}()

	checker := NewUploadChecker(terms)
	var workErr error
	for batch := range batches {
		if workErr == nil {
			workErr = u.processBatch(ctx, uploadID, claim.ShopID, terms.Campaign, checker, batch, now)
			if workErr != nil {
				cancel() // stop the parser; the loop drains what it already sent
			}
		}
	}
	parseErr := <-parsed
	if workErr != nil {
		return workErr
	}
	var fileErr *UploadFileError
	if errors.As(parseErr, &fileErr) {
		return u.failUpload(ctx, uploadID, fileErr.Message)
	}
	if parseErr != nil {
		return parseErr
	}
	// The workbook's row count was an upper bound until now.
	return db.Exec(`UPDATE uploads SET status = 'done', total_rows = processed_rows, finished_at = now(), updated_at = now()
		WHERE id = ? AND status = 'processing'`, uploadID).Error
}

// uploadTerms reads the campaign's rules and the draft's products.
func (u *Uploads) uploadTerms(ctx context.Context, regID int64) (UploadTerms, error) {
	t := UploadTerms{DraftTiers: map[int64]models.Tier{}, Submitted: map[int64]bool{}}
	var reg models.Registration
	if err := u.db.WithContext(ctx).Where("id = ?", regID).Take(&reg).Error; err != nil {
		return t, err
	}
	c, err := u.store.CampaignWithRules(ctx, reg.CampaignID)
	if err != nil {
		return t, err
	}
	t.Campaign = c
	var rps []models.RegistrationProduct
	if err := u.db.WithContext(ctx).Where("registration_id = ?", regID).Find(&rps).Error; err != nil {
		return t, err
	}
	for _, rp := range rps {
		switch rp.Status {
		case models.ProductDraft:
			t.DraftTiers[rp.ProductID] = rp.Tier
		case models.ProductPending, models.ProductRegistered, models.ProductSKUError:
			t.Submitted[rp.ProductID] = true
		}
	}
	return t, nil
}

func (u *Uploads) processBatch(ctx context.Context, uploadID, shopID int64, c models.Campaign, checker *UploadChecker,
	batch []UploadRow, now time.Time) error {
	db := u.db.WithContext(ctx)
	ownedPIDs, skus, err := u.lookupRows(ctx, shopID, c, batch, now)
	if err != nil {
		return err
	}
	records := make([]UploadRowRecord, 0, len(batch))
	valid, invalid, skipped := 0, 0, 0
	for _, r := range batch {
		if r.Untouched() {
			skipped++
			continue
		}
		cr := checker.Check(r, ownedPIDs[r.PID], skus[r.SKUCode])
		rec := UploadRowRecord{UploadID: uploadID, RowNumber: r.Line, PID: r.PID, SKUCode: r.SKUCode, PriceText: r.Price,
			StockText: r.Stock, TierText: r.Tier, DiscountText: r.ExtraDiscount, Valid: cr.Valid, Reason: cr.Reason}
		if cr.Valid {
			valid++
			tier := cr.Tier
			rec.ProductID, rec.SKUID, rec.Tier = &cr.ProductID, &cr.SKUID, &tier
			rec.CampaignPrice, rec.CampaignStock, rec.ExtraDiscount = cr.Price, cr.Stock, cr.ExtraDiscount
		} else {
			invalid++
			if fixes := cr.Fixes(); fixes != nil {
				if rec.Fixes, err = json.Marshal(fixes); err != nil {
					return err
				}
			}
		}
		records = append(records, rec)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := insertUploadRows(tx, uploadID, records); err != nil {
			return err
		}
		return tx.Exec(`UPDATE uploads SET processed_rows = processed_rows + ?, valid_rows = valid_rows + ?,
			invalid_rows = invalid_rows + ?, skipped_rows = skipped_rows + ?, updated_at = now() WHERE id = ?`,
			len(batch), valid, invalid, skipped, uploadID).Error
	})
}

// lookupRows reads what a batch of rows names: which PIDs are the shop's,
// and the shop's live SKUs with their stock and lookback low. The upload
// and the API's bulk requests judge rows against the same lookup.
func (u *Uploads) lookupRows(ctx context.Context, shopID int64, c models.Campaign, batch []UploadRow, now time.Time) (
	map[string]bool, map[string]*UploadSKU, error) {
	db := u.db.WithContext(ctx)
	var pids, codes []string
	for _, r := range batch {
		if r.Untouched() {
			continue
		}
		if r.PID != "" {
			pids = append(pids, r.PID)
		}
		if r.SKUCode != "" {
			codes = append(codes, r.SKUCode)
		}
	}
	ownedPIDs := map[string]bool{}
	if len(pids) > 0 {
		var owned []string
		if err := db.Table("products").Where("shop_id = ? AND pid IN ?", shopID, pids).Pluck("pid", &owned).Error; err != nil {
			return nil, nil, err
		}
		for _, p := range owned {
			ownedPIDs[p] = true
		}
	}
	skus := map[string]*UploadSKU{}
	if len(codes) > 0 {
		var found []struct {
			SKUID       int64 `gorm:"column:sku_id"`
			ProductID   int64
			PID         string `gorm:"column:pid"`
			SKUCode     string `gorm:"column:sku_code"`
			Stock       int
			RetailPrice decimal.Decimal
		}
		err := db.Raw(`SELECT s.id AS sku_id, s.product_id, p.pid, s.sku_code, s.stock, s.retail_price
			FROM skus s JOIN products p ON p.id = s.product_id
			WHERE s.shop_id = ? AND p.shop_id = ? AND s.deleted_at IS NULL AND s.sku_code IN ?`, shopID, shopID, codes).
			Scan(&found).Error
		if err != nil {
			return nil, nil, err
		}
		ids := make([]int64, len(found))
		for i, f := range found {
			ids[i] = f.SKUID
		}
		lows, err := u.store.LookbackLows(ctx, ids, c.LookbackDays, now)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range found {
			skus[f.SKUCode] = &UploadSKU{SKUID: f.SKUID, ProductID: f.ProductID, PID: f.PID, SKUCode: f.SKUCode,
				Available: f.Stock, Low: lowOrRetail(lows[f.SKUID], f.RetailPrice)}
		}
	}
	return ownedPIDs, skus, nil
}

// failUpload records why an upload could not be checked; the rows judged
// so far go, as nothing of a failed upload can be saved.
func (u *Uploads) failUpload(ctx context.Context, uploadID int64, message string) error {
	return u.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM upload_rows WHERE upload_id = ?`, uploadID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE uploads SET status = 'failed', error = ?, processed_rows = 0, valid_rows = 0, invalid_rows = 0,
				skipped_rows = 0, finished_at = now(), updated_at = now()
			WHERE id = ? AND status IN ('queued', 'processing')`, message, uploadID).Error
	})
}

// insertUploadRows writes a batch in one statement: one array parameter
// per column, unnested server-side (a parameter per value is many times
// slower to encode and send).
func insertUploadRows(tx *gorm.DB, uploadID int64, rows []UploadRowRecord) error {
	if len(rows) == 0 {
		return nil
	}
	cols := make([]pgArray, 16)
	for _, r := range rows {
		cols[0].add(strconv.Itoa(r.RowNumber))
		cols[1].add(r.PID)
		cols[2].add(r.SKUCode)
		cols[3].add(r.PriceText)
		cols[4].add(r.StockText)
		cols[5].add(r.TierText)
		cols[6].add(r.DiscountText)
		cols[7].add(strconv.FormatBool(r.Valid))
		cols[8].add(r.Reason)
		if r.Valid {
			cols[9].add(strconv.FormatInt(*r.ProductID, 10))
			cols[10].add(strconv.FormatInt(*r.SKUID, 10))
			cols[11].add(r.CampaignPrice.Decimal.StringFixed(2))
			cols[12].add(strconv.Itoa(*r.CampaignStock))
			cols[13].add(string(*r.Tier))
		} else {
			for i := 9; i <= 13; i++ {
				cols[i].addNull()
			}
		}
		if r.ExtraDiscount.Valid {
			cols[14].add(r.ExtraDiscount.Decimal.StringFixed(2))
		} else {
			cols[14].addNull()
		}
		if r.Fixes != nil {
			cols[15].add(string(r.Fixes))
		} else {
			cols[15].addNull()
		}
	}
	args := []any{uploadID}
	for i := range cols {
		args = append(args, cols[i].String())
	}
	return tx.Exec(`INSERT INTO upload_rows (upload_id, row_number, pid, sku_code, price_text, stock_text, tier_text,
			discount_text, valid, reason, product_id, sku_id, campaign_price, campaign_stock, tier, extra_discount, fixes)
		SELECT ?, * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bool[],
			?::text[], ?::bigint[], ?::bigint[], ?::numeric[], ?::int[], ?::text[], ?::numeric[], ?::jsonb[])`, args...).Error
}

// pgArray builds a PostgreSQL array literal, quoting every element.
type pgArray struct {
	b strings.Builder
	n int
}

func (a *pgArray) sep() {
	if a.n == 0 {
		a.b.WriteByte('{')
	} else {
		a.b.WriteByte(',')
	}
	a.n++
}

func (a *pgArray) add(s string) {
	a.sep()
	a.b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			a.b.WriteByte('\\')
		}
		a.b.WriteByte(s[i])
	}
	a.b.WriteByte('"')
}

func (a *pgArray) addNull() {
	a.sep()
	a.b.WriteString("NULL")
}

func (a *pgArray) String() string {
	if a.n == 0 {
		return "{}"
	}
	return a.b.String() + "}"
}
