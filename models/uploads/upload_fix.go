package uploads

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campaignportal/models"
)

// RowFixes reads a refused row's stored fixes (nil when it has none).
func (r UploadRowRecord) RowFixes() []models.Fix {
	if len(r.Fixes) == 0 {
		return nil
	}
	var out []models.Fix
	if json.Unmarshal(r.Fixes, &out) != nil {
		return nil
	}
	return out
}

// Fixed is the row as the seller wrote it with its fixes put in.
func (r UploadRowRecord) Fixed() UploadRow {
	row := UploadRow{Line: r.RowNumber, PID: r.PID, SKUCode: r.SKUCode, Price: r.PriceText, Stock: r.StockText,
		Tier: r.TierText, ExtraDiscount: r.DiscountText}
	for _, f := range r.RowFixes() {
		switch f.Field {
		case models.FixPrice:
			row.Price = f.Value
		case models.FixStock:
			row.Stock = f.Value
		case models.FixExtraDiscount:
			row.ExtraDiscount = f.Value
		}
	}
	return row
}

// ApplyUploadFix puts a refused row into the draft with the fixes its
// rules implied: the row as written with the fixed values is judged again
// by the upload's checker against the draft and the catalogue as they are
// now, and saved into the draft as the upload's rows are (one
// transaction, the registration locked), and the row is marked fixed. A
// row the check still refuses (the lookback low moved, the stock was
// sold) is a *models.ValidationError with the reasons, and nothing is
// written. Applying a fix twice saves once.
func (u *Uploads) ApplyUploadFix(ctx context.Context, shop models.Shop, campaignID, uploadID int64, line int, now time.Time) (UploadRowRecord, error) {
	up, _, err := u.ShopUpload(ctx, shop.ID, campaignID, uploadID)
	if err != nil {
		return UploadRowRecord{}, err
	}
	if up.Status != UploadDone {
		return UploadRowRecord{}, models.ErrNotFound
	}
	var rec UploadRowRecord
	_, err = u.store.WithRegistrationMatch(ctx, shop.ID, up.RegistrationID, nil, func(tx *models.Store) error {
		err := tx.DB().Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("upload_id = ? AND row_number = ? AND NOT valid AND fixes IS NOT NULL", up.ID, line).Take(&rec).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.ErrNotFound // no such row, or one with nothing to fix
		}
		if err != nil || rec.FixedAt != nil {
			return err
		}
		var res BulkResult
		if err := (&Uploads{db: tx.DB(), store: tx}).judgeAndSave(ctx, shop.ID, up.RegistrationID, []UploadRow{rec.Fixed()}, false, &res, now); err != nil {
			return err
		}
		if res.Refused > 0 {
			var why []string
			for _, e := range res.Rows[0].Errors {
				why = append(why, e.Message)
			}
			return &models.ValidationError{Fields: map[string]string{"fix": "The fixed row is still refused: " + strings.Join(why, " ")}}
		}
		rec.FixedAt = &now
		return tx.DB().Exec(`UPDATE upload_rows SET fixed_at = ? WHERE upload_id = ? AND row_number = ?`, now, up.ID, line).Error
	})
	return rec, err
}
