package uploads

import (
	"campaignportal/models"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// UploadStatus is where the check of an upload stands.
type UploadStatus string

const (
	UploadQueued     UploadStatus = "queued"
	UploadProcessing UploadStatus = "processing"
	UploadDone       UploadStatus = "done"
	UploadFailed     UploadStatus = "failed"
)

// Upload is a file a seller uploaded to a registration, and how far its
// check went. The file's bytes stay in the table for the job; they are
// never read with the rest.
type Upload struct {
	ID             int64
	ShopID         int64
	RegistrationID int64
	UploadedBy     *int64
	FileName       string
	FileSHA256     string `gorm:"column:file_sha256"`
	Kind           UploadKind
	Status         UploadStatus
	TotalRows      int
	ProcessedRows  int
	ValidRows      int
	InvalidRows    int
	SkippedRows    int
	Error          string
	SavedAt        *time.Time
	SavedRows      *int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	FinishedAt     *time.Time
}

// TableName is the uploads table.
func (Upload) TableName() string { return "uploads" }

// Waiting reports an upload still in the queue or being checked.
func (u Upload) Waiting() bool { return u.Status == UploadQueued || u.Status == UploadProcessing }

// uploadColumns leaves the file's bytes out of every status read.
const uploadColumns = `uploads.id, uploads.shop_id, uploads.registration_id, uploads.uploaded_by, uploads.file_name,
	uploads.file_sha256, uploads.kind, uploads.status, uploads.total_rows, uploads.processed_rows, uploads.valid_rows,
	uploads.invalid_rows, uploads.skipped_rows, uploads.error, uploads.saved_at, uploads.saved_rows,
	uploads.created_at, uploads.updated_at, uploads.finished_at`

// UploadRowRecord is one judged row of an upload.
type UploadRowRecord struct {
	UploadID      int64
	RowNumber     int
	PID           string `gorm:"column:pid"`
	SKUCode       string `gorm:"column:sku_code"`
	PriceText     string
	StockText     string
	TierText      string
	DiscountText  string
	Valid         bool
	Reason        string
	ProductID     *int64
	SKUID         *int64 `gorm:"column:sku_id"`
	CampaignPrice decimal.NullDecimal
	CampaignStock *int
	Tier          *models.Tier
	ExtraDiscount decimal.NullDecimal
	Fixes         []byte     `gorm:"type:jsonb"` // JSON []models.Fix of a refused row whose every refusal has one
	FixedAt       *time.Time // when the seller applied them to the draft
}

// TableName is the upload rows table.
func (UploadRowRecord) TableName() string { return "upload_rows" }

// UploadQueue enqueues the check of an upload inside the transaction that
// stores it, so an upload is never stored without its job or the reverse.
type UploadQueue interface {
	EnqueueUploadTx(ctx context.Context, tx *sql.Tx, uploadID int64) error
	EnqueueBulkTx(ctx context.Context, tx *sql.Tx, jobID int64) error // the API's bulk requests (bulk.go)
}

// Uploads runs bulk uploads: it stores files with their check job, checks
// them (from the job), and saves their valid rows into the shop's draft.
type Uploads struct {
	db    *gorm.DB
	store *models.Store
	queue UploadQueue
}

// NewUploads builds the bulk upload service; queue may be nil where
// nothing is uploaded (the workers).
func NewUploads(store *models.Store, queue UploadQueue) *Uploads {
	return &Uploads{db: store.DB(), store: store, queue: queue}
}

// uploadBatch is how many rows are checked and written per transaction;
// processed_rows moves by this much, which is what the progress bar shows.
const uploadBatch = 1000

// UploadPage opens the shop's draft for the campaign and lists its recent
// uploads.
func (u *Uploads) UploadPage(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Registration, models.Campaign, []Upload, error) {
	reg, c, err := u.store.OpenDraft(ctx, shop, campaignID, now)
	if err != nil {
		return reg, c, nil, err
	}
	var recent []Upload
	err = u.db.WithContext(ctx).Table("uploads").Select(uploadColumns).
		Where("registration_id = ? AND shop_id = ?", reg.ID, shop.ID).Order("id DESC").Limit(10).Scan(&recent).Error
	return reg, c, recent, err
}

// CreateUpload inspects the file and stores it with its check job, in one
// transaction. A malformed file is an *UploadFileError and stores nothing
// (a workbook's late rows are checked by the job, which fails the upload
// with the same messages). The same file again for the same registration returns the
// upload made the first time (existing = true), unless that one failed, in
// which case it is queued again.
func (u *Uploads) CreateUpload(ctx context.Context, shop models.Shop, campaignID, userID int64, fileName string, content []byte,
	now time.Time) (up Upload, existing bool, err error) {
	reg, _, err := u.store.OpenDraft(ctx, shop, campaignID, now)
	if err != nil {
		return up, false, err
	}
	inspected, err := InspectUpload(content)
	if err != nil {
		return up, false, err
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	var uploader any
	if userID != 0 {
		uploader = userID
	}
	err = u.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var id int64
		res := tx.Raw(`INSERT INTO uploads (shop_id, registration_id, uploaded_by, file_name, file_sha256, kind, content, total_rows)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (registration_id, file_sha256) DO NOTHING RETURNING id`,
			shop.ID, reg.ID, uploader, fileName, hash, inspected.Kind, content, inspected.Rows).Scan(&id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			existing = true
			err := tx.Table("uploads").Select(uploadColumns).Clauses(clause.Locking{Strength: "UPDATE"}).
				Where("registration_id = ? AND file_sha256 = ?", reg.ID, hash).Take(&up).Error
			if err != nil || up.Status != UploadFailed {
				return err
			}
			// A check that failed on our side deserves another go.
			id = up.ID
			if err := tx.Exec(`UPDATE uploads SET status = 'queued', error = '', processed_rows = 0, valid_rows = 0,
				invalid_rows = 0, skipped_rows = 0, finished_at = NULL, updated_at = now() WHERE id = ?`, id).Error; err != nil {
				return err
			}
		}
		if up.ID == 0 || up.Status == UploadFailed {
			if err := u.enqueue(ctx, tx, id); err != nil {
				return err
			}
		}
		return tx.Table("uploads").Select(uploadColumns).Where("id = ?", id).Take(&up).Error
	})
	return up, existing, err
}

func (u *Uploads) enqueue(ctx context.Context, tx *gorm.DB, uploadID int64) error {
	if u.queue == nil {
		return errors.New("uploads: no job queue configured")
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("uploads: enqueue needs a *sql.Tx, got %T", tx.Statement.ConnPool)
	}
	return u.queue.EnqueueUploadTx(ctx, sqlTx, uploadID)
}

// ShopUpload loads an upload of the shop for the campaign; another shop's
// upload, or one of another campaign, is ErrNotFound.
func (u *Uploads) ShopUpload(ctx context.Context, shopID, campaignID, uploadID int64) (Upload, models.Campaign, error) {
	var up Upload
	err := u.db.WithContext(ctx).Table("uploads").Select(uploadColumns).
		Joins("JOIN registrations r ON r.id = uploads.registration_id").
		Where("uploads.id = ? AND uploads.shop_id = ? AND r.shop_id = ? AND r.campaign_id = ?", uploadID, shopID, shopID, campaignID).
		Take(&up).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return up, models.Campaign{}, models.ErrNotFound
	}
	if err != nil {
		return up, models.Campaign{}, err
	}
	c, err := u.store.CampaignWithRules(ctx, campaignID)
	return up, c, err
}

// UploadRows reads a page of an upload's valid or invalid rows, in file
// order, with how many there are.
func (u *Uploads) UploadRows(ctx context.Context, uploadID int64, valid bool, page, perPage int) ([]UploadRowRecord, int, error) {
	db := u.db.WithContext(ctx).Model(&UploadRowRecord{}).Where("upload_id = ? AND valid = ?", uploadID, valid)
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []UploadRowRecord
	err := db.Session(&gorm.Session{}).Order("row_number").Limit(perPage).Offset((max(page, 1) - 1) * perPage).Find(&rows).Error
	return rows, int(total), err
}

// InvalidUploadRows reads every invalid row, for the errors file.
func (u *Uploads) InvalidUploadRows(ctx context.Context, uploadID int64) ([]UploadRowRecord, error) {
	var rows []UploadRowRecord
	err := u.db.WithContext(ctx).Where("upload_id = ? AND NOT valid", uploadID).Order("row_number").Find(&rows).Error
	return rows, err
}

// SaveUploadResult says what saving an upload did.
type SaveUploadResult struct {
	Rows     int  // valid rows put into the draft
	NewSKUs  int  // of which were not in the draft before
	Replayed bool // saved before: nothing happened this time
}

// SaveUpload adds the upload's valid rows to the shop's draft, in one
// transaction with marking the upload saved; a second save does nothing.
func (u *Uploads) SaveUpload(ctx context.Context, shop models.Shop, campaignID, uploadID int64, now time.Time) (SaveUploadResult, error) {
	var res SaveUploadResult
	err := u.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var up Upload
		err := tx.Table("uploads").Select(uploadColumns).Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "uploads"}}).
			Joins("JOIN registrations r ON r.id = uploads.registration_id").
			Where("uploads.id = ? AND uploads.shop_id = ? AND r.shop_id = ? AND r.campaign_id = ?", uploadID, shop.ID, shop.ID, campaignID).
			Take(&up).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.ErrNotFound
		}
		if err != nil {
			return err
		}
		if up.SavedAt != nil {
			res.Replayed = true
			if up.SavedRows != nil {
				res.Rows = *up.SavedRows
			}
			return nil
		}
		if up.Status != UploadDone {
			return &models.ConflictError{Message: "This file is still being checked; save it when the check is done."}
		}
		var rows []UploadRowRecord
		if err := tx.Select("row_number, product_id, sku_id, campaign_price, campaign_stock, tier, extra_discount").
			Where("upload_id = ? AND valid", up.ID).Order("row_number").Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return &models.ConflictError{Message: "This file has no valid rows to save. Fix the rows listed and upload it again."}
		}
		items := make([]models.DraftItem, len(rows))
		for i, r := range rows {
			items[i] = models.DraftItem{ProductID: *r.ProductID, SKUID: *r.SKUID, Price: r.CampaignPrice, Stock: r.CampaignStock,
				Tier: *r.Tier, ExtraDiscount: r.ExtraDiscount}
		}
		added, err := models.NewStore(tx).AddToDraft(ctx, shop.ID, up.RegistrationID, items, models.SourceUpload, now)
		if errors.Is(err, models.ErrNotFound) {
			return &models.ConflictError{Message: "Some of these products changed or were removed from your catalogue since the file " +
				"was checked, so nothing was saved. Upload the file again to check it afresh."}
		}
		if err != nil {
			return err
		}
		res.Rows, res.NewSKUs = len(rows), added
		return tx.Exec(`UPDATE uploads SET saved_at = ?, saved_rows = ?, updated_at = now() WHERE id = ?`, now, len(rows), up.ID).Error
	})
	return res, err
}

// TemplateRow is one SKU of the shop in the download template.
type TemplateRow struct {
	PID         string
	SKUCode     string
	Title       string
	Variant     string
	Retail      decimal.Decimal
	Low         decimal.Decimal
	MaxFeatured decimal.Decimal
	MaxRegular  decimal.Decimal
	Available   int
}

// UploadTemplate lists every live SKU of the shop with its lookback low
// and the highest campaign price each tier allows, as a guide to filling
// in the template.
func (u *Uploads) UploadTemplate(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Campaign, []TemplateRow, error) {
	_, c, err := u.store.OpenDraft(ctx, shop, campaignID, now)
	if err != nil {
		return c, nil, err
	}
	var skus []struct {
		SKUID       int64  `gorm:"column:sku_id"`
		PID         string `gorm:"column:pid"`
		SKUCode     string `gorm:"column:sku_code"`
		Title       string
		Attributes  string
		RetailPrice decimal.Decimal
		Stock       int
	}
	err = u.db.WithContext(ctx).Raw(`SELECT s.id AS sku_id, p.pid, s.sku_code, p.title, s.attributes, s.retail_price, s.stock
		FROM skus s JOIN products p ON p.id = s.product_id
		WHERE s.shop_id = ? AND p.shop_id = ? AND s.deleted_at IS NULL
		ORDER BY p.title, p.id, s.id`, shop.ID, shop.ID).Scan(&skus).Error
	if err != nil {
		return c, nil, err
	}
	ids := make([]int64, len(skus))
	for i, s := range skus {
		ids[i] = s.SKUID
	}
	lows, err := u.store.LookbackLows(ctx, ids, c.LookbackDays, now)
	if err != nil {
		return c, nil, err
	}
	featured, regular := c.Rule(models.TierFeatured), c.Rule(models.TierRegular)
	rows := make([]TemplateRow, len(skus))
	for i, s := range skus {
		low := lowOrRetail(lows[s.SKUID], s.RetailPrice)
		rows[i] = TemplateRow{PID: s.PID, SKUCode: s.SKUCode, Title: s.Title, Variant: s.Attributes, Retail: s.RetailPrice,
			Low: low, MaxFeatured: featured.MaxPrice(low), MaxRegular: regular.MaxPrice(low), Available: s.Stock}
	}
	return c, rows, nil
}

// lowOrRetail is the price a SKU's campaign price is held to: its lookback
// low, or its retail price when it had no price in the window (as the
// draft's snapshot does).
func lowOrRetail(low models.LookbackLow, retail decimal.Decimal) decimal.Decimal {
	if low.Price.IsPositive() {
		return low.Price
	}
	return retail
}
