package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/uploads"
	"campaignportal/web/routes"
)

// SellerBulkService runs the API's bulk price/stock requests: the upload's
// checker over the rows, inline or as a job on the queue.
type SellerBulkService interface {
	ApplyBulkRows(ctx context.Context, shopID, regID int64, rows []uploads.UploadRow, dryRun bool, ifMatch func(string) bool,
		now time.Time) (uploads.BulkResult, error)
	CreateBulkJob(ctx context.Context, shopID, regID, keyID int64, rows []uploads.UploadRow, dryRun bool, now time.Time) (uploads.BulkJob, error)
	ShopBulkJob(ctx context.Context, shopID, jobID int64) (uploads.BulkJob, error)
}

// CodeVersionMismatch is a 409 for an If-Match that names an older version.
const CodeVersionMismatch = "version_mismatch"

// inlineBulkRows is the most rows a bulk request is answered inline; more
// (up to uploads.MaxBulkRows) run as a job.
const inlineBulkRows = 500

// decodeBody reads a write's JSON body into v, refusing unknown fields: a
// 422 naming what is wrong, never a 5xx.
func decodeBody(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Invalid("The body is not the JSON this endpoint takes; see /api/docs.",
			FieldProblem{Field: "body", Code: CodeInvalid, Detail: err.Error()})
	}
	if dec.More() {
		return Invalid("The body has more than one JSON value.", FieldProblem{Field: "body", Code: CodeInvalid, Detail: "Send one object."})
	}
	return nil
}

// ifMatch is the request's If-Match as a condition on the registration's
// version (nil without the header).
func ifMatch(c echo.Context) func(string) bool {
	h := c.Request().Header.Get("If-Match")
	if h == "" {
		return nil
	}
	return func(etag string) bool { return matchesETag(h, etag) }
}

// writeError maps a stale version to its 409; other errors pass on.
func writeError(err error) error {
	if errors.Is(err, models.ErrStaleVersion) {
		return &APIProblem{Status: http.StatusConflict, Code: CodeVersionMismatch,
			Detail: "The registration changed since the version in If-Match; read it again (its ETag) and retry. Nothing was changed."}
	}
	return err
}

// draftOf is the shop's registration of the campaign in the path, which
// writes need to exist (POST …/registration/draft makes it).
func (h *SellerAPI) draftOf(c echo.Context) (APICaller, models.Registration, error) {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return caller, models.Registration{}, err
	}
	return caller, *sc.Registration, nil
}

// answerRegistration answers a write with the registration as it now is
// (the read's document and ETag).
func (h *SellerAPI) answerRegistration(c echo.Context) error {
	c.Request().Header.Del("If-None-Match")
	return h.Registration(c)
}

// OpenDraft makes the shop's draft registration of an open campaign (the
// screens' "Register" button: the same function, the same eligibility),
// or returns the registration the shop already has.
func (h *SellerAPI) OpenDraft(c echo.Context) error {
	caller, _ := CallerFrom(c)
	id, err := apiID(c, "campaign_id")
	if err != nil {
		return err
	}
	if _, _, err := h.store.OpenDraft(ctx(c), caller.Shop, id, h.kit.Now()); err != nil {
		return err
	}
	return h.answerRegistration(c)
}

type catalogueRefJSON struct {
	PID string `json:"pid"`
	SKU string `json:"sku"`
}

// AddProducts adds products (a PID: every live SKU) or single SKUs (a SKU
// ID) of the shop to the draft, unpriced, like the catalogue picker.
// One reference that names nothing of the shop and nothing is added.
func (h *SellerAPI) AddProducts(c echo.Context) error {
	caller, reg, err := h.draftOf(c)
	if err != nil {
		return err
	}
	var body struct {
		Items []catalogueRefJSON `json:"items"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	if len(body.Items) == 0 || len(body.Items) > uploads.MaxBulkRows {
		return Invalid("Send from 1 to 10,000 items.", FieldProblem{Field: "items", Code: CodeInvalid, Detail: "Send from 1 to 10,000 items."})
	}
	refs := make([]models.CatalogueRef, len(body.Items))
	for i, it := range body.Items {
		refs[i] = models.CatalogueRef{PID: strings.TrimSpace(it.PID), SKUCode: strings.TrimSpace(it.SKU)}
	}
	_, err = h.store.WithRegistrationMatch(ctx(c), caller.Shop.ID, reg.ID, ifMatch(c), func(tx *models.Store) error {
		items, missing, err := tx.ResolveCatalogueRefs(ctx(c), caller.Shop.ID, refs)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			fields := make([]FieldProblem, len(missing))
			for i, m := range missing {
				fields[i] = FieldProblem{Field: "items[" + strconv.Itoa(m) + "]", Code: "not_found",
					Detail: "Give the PID or the SKU ID of one of your shop's live products (a SKU with its own PID)."}
			}
			return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound,
				Detail: "Some items name nothing of your shop; nothing was added.", Errors: fields}
		}
		_, err = tx.AddToDraft(ctx(c), caller.Shop.ID, reg.ID, items, models.SourcePick, h.kit.Now())
		return err
	})
	if err != nil {
		return writeError(err)
	}
	return h.answerRegistration(c)
}

// bulkText is a value sent as a JSON string or number, kept as typed so
// the rule functions judge it exactly as the upload's cell.
type bulkText string

func (t *bulkText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = bulkText(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return errors.New("a value must be a string or a number")
		}
		*t = bulkText(n.String())
	}
	return nil
}

type bulkRowJSON struct {
	PID           string   `json:"pid"`
	SKU           string   `json:"sku"`
	CampaignPrice bulkText `json:"campaign_price"`
	CampaignStock bulkText `json:"campaign_stock"`
	Tier          string   `json:"tier"`
	ExtraDiscount bulkText `json:"extra_discount"`
}

type bulkErrorJSON struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

type bulkVerdictJSON struct {
	Index  int             `json:"index"`
	PID    string          `json:"pid"`
	SKU    string          `json:"sku"`
	Valid  bool            `json:"valid"`
	Errors []bulkErrorJSON `json:"errors"`
}

type bulkResultJSON struct {
	DryRun  bool              `json:"dry_run"`
	Passed  int               `json:"passed"`
	Refused int               `json:"refused"`
	Saved   int               `json:"saved"`
	NewSKUs int               `json:"new_skus"`
	ETag    string            `json:"etag"`
	Rows    []bulkVerdictJSON `json:"rows"`
}

func bulkResultOf(r uploads.BulkResult) bulkResultJSON {
	out := bulkResultJSON{DryRun: r.DryRun, Passed: r.Passed, Refused: r.Refused, Saved: r.Saved, NewSKUs: r.NewSKUs, ETag: r.ETag,
		Rows: make([]bulkVerdictJSON, len(r.Rows))}
	for i, v := range r.Rows {
		vj := bulkVerdictJSON{Index: v.Index, PID: v.PID, SKU: v.SKUCode, Valid: v.Valid, Errors: make([]bulkErrorJSON, len(v.Errors))}
		for j, e := range v.Errors {
			vj.Errors[j] = bulkErrorJSON{Field: e.Field, Code: string(e.Code), Detail: e.Message}
		}
		out.Rows[i] = vj
	}
	return out
}

// BulkSKUs sets campaign price, stock, tier and extra discount of many
// SKUs at once, judged row by row by the upload's checker (the price
// table's rule functions: the same messages and codes). dry_run=true
// answers every row's verdict and changes nothing. Otherwise the rows
// that pass are saved in one transaction and the rest reported (200);
// when no row passes nothing is saved and the answer is a 422 naming every
// row's reasons. More than 500 rows run as a job (202, Location: the
// job); more than 10,000 are refused (413).
func (h *SellerAPI) BulkSKUs(c echo.Context) error {
	caller, reg, err := h.draftOf(c)
	if err != nil {
		return err
	}
	dryRun, err := boolParam(c, "dry_run")
	if err != nil {
		return err
	}
	var body struct {
		Items []bulkRowJSON `json:"items"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	switch n := len(body.Items); {
	case n == 0:
		return Invalid("Send at least one row.", FieldProblem{Field: "items", Code: CodeInvalid, Detail: "Send from 1 to 10,000 rows."})
	case n > uploads.MaxBulkRows:
		return &APIProblem{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Detail: "A request takes at most 10,000 rows; this one has " + strconv.Itoa(n) + ". Split it."}
	}
	rows := make([]uploads.UploadRow, len(body.Items))
	for i, it := range body.Items {
		rows[i] = uploads.UploadRow{Line: i + 1, PID: strings.TrimSpace(it.PID), SKUCode: strings.TrimSpace(it.SKU),
			Price: string(it.CampaignPrice), Stock: string(it.CampaignStock), Tier: strings.TrimSpace(it.Tier),
			ExtraDiscount: string(it.ExtraDiscount)}
	}
	if err := h.refusedForeignRows(c, caller.Shop.ID, rows); err != nil {
		return err
	}
	if len(rows) > inlineBulkRows {
		if match := ifMatch(c); match != nil {
			etag, err := h.store.SellerRegistrationETag(ctx(c), caller.Shop.ID, reg.ID)
			if err != nil {
				return err
			}
			if !match(etag) {
				return writeError(models.ErrStaleVersion)
			}
		}
		job, err := h.bulk.CreateBulkJob(ctx(c), caller.Shop.ID, reg.ID, caller.Key.ID, rows, dryRun, h.kit.Now())
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderLocation, routes.SellerAPIBulkJob(job.ID))
		return c.JSON(http.StatusAccepted, bulkJobOf(job))
	}
	res, err := h.bulk.ApplyBulkRows(ctx(c), caller.Shop.ID, reg.ID, rows, dryRun, ifMatch(c), h.kit.Now())
	if err != nil {
		return writeError(err)
	}
	if !dryRun && res.Passed == 0 {
		var fields []FieldProblem
		for _, v := range res.Rows {
			for _, e := range v.Errors {
				fields = append(fields, FieldProblem{Field: "items[" + strconv.Itoa(v.Index) + "]." + e.Field, Code: string(e.Code), Detail: e.Message})
			}
		}
		return Invalid("No row passed; nothing was saved. Fix the rows named and send them again.", fields...)
	}
	c.Response().Header().Set("ETag", res.ETag)
	return c.JSON(http.StatusOK, bulkResultOf(res))
}

// refusedForeignRows answers 404 when a row names a PID or a SKU ID that
// is no live product or SKU of the shop (another shop's reads like an
// unknown one), before anything is judged or written: a request about
// what is not the shop's is not found, not a row to fix.
func (h *SellerAPI) refusedForeignRows(c echo.Context, shopID int64, rows []uploads.UploadRow) error {
	var refs []models.CatalogueRef
	var fields []string
	for i, r := range rows {
		at := "items[" + strconv.Itoa(i) + "]."
		if r.SKUCode != "" {
			refs, fields = append(refs, models.CatalogueRef{SKUCode: r.SKUCode}), append(fields, at+uploads.FieldSKU)
		}
		if r.PID != "" {
			refs, fields = append(refs, models.CatalogueRef{PID: r.PID}), append(fields, at+uploads.FieldPID)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	_, missing, err := h.store.ResolveCatalogueRefs(ctx(c), shopID, refs)
	if err != nil || len(missing) == 0 {
		return err
	}
	out := make([]FieldProblem, len(missing))
	for i, m := range missing {
		code, what := uploads.CodeSKUUnknown, "SKU ID "+refs[m].SKUCode+" is not one of your shop's SKUs."
		if refs[m].PID != "" {
			code, what = uploads.CodePIDUnknown, "PID "+refs[m].PID+" is not one of your shop's products."
		}
		out[i] = FieldProblem{Field: fields[m], Code: string(code), Detail: what}
	}
	return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound,
		Detail: "Some rows name a product or SKU that is not your shop's; nothing was judged or saved.", Errors: out}
}

type bulkJobJSON struct {
	ID         int64           `json:"id"`
	Status     string          `json:"status"`
	DryRun     bool            `json:"dry_run"`
	TotalRows  int             `json:"total_rows"`
	CreatedAt  string          `json:"created_at"`
	FinishedAt *string         `json:"finished_at"`
	Error      string          `json:"error"`
	Result     *bulkResultJSON `json:"result"`
}

func bulkJobOf(j uploads.BulkJob) bulkJobJSON {
	return bulkJobJSON{ID: j.ID, Status: string(j.Status), DryRun: j.DryRun, TotalRows: j.TotalRows, CreatedAt: instant(j.CreatedAt),
		FinishedAt: instantPtr(j.FinishedAt), Error: j.Error}
}

// BulkJob is a bulk request's job: its state and, once done, its result
// document (the same as an inline answer's).
func (h *SellerAPI) BulkJob(c echo.Context) error {
	caller, _ := CallerFrom(c)
	id, err := apiID(c, "job_id")
	if err != nil {
		return err
	}
	job, err := h.bulk.ShopBulkJob(ctx(c), caller.Shop.ID, id)
	if err != nil {
		return err
	}
	out := bulkJobOf(job)
	if job.Status == uploads.BulkDone {
		var res uploads.BulkResult
		if err := json.Unmarshal(job.Result, &res); err != nil {
			return err
		}
		r := bulkResultOf(res)
		out.Result = &r
	}
	return c.JSON(http.StatusOK, out)
}

// RemoveSKUs takes SKUs (by SKU ID) out of the draft; a product left
// without SKUs leaves the draft too. A SKU ID not in the draft: 404, nothing removed.
func (h *SellerAPI) RemoveSKUs(c echo.Context) error {
	caller, reg, err := h.draftOf(c)
	if err != nil {
		return err
	}
	var body struct {
		SKUs []string `json:"skus"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	if len(body.SKUs) == 0 || len(body.SKUs) > uploads.MaxBulkRows {
		return Invalid("Send from 1 to 10,000 SKU IDs.", FieldProblem{Field: "skus", Code: CodeInvalid, Detail: "Send from 1 to 10,000 SKU IDs."})
	}
	_, err = h.store.WithRegistrationMatch(ctx(c), caller.Shop.ID, reg.ID, ifMatch(c), func(tx *models.Store) error {
		ids, err := tx.DraftSKUIDsByCode(ctx(c), caller.Shop.ID, reg.ID, body.SKUs)
		if err != nil {
			return err
		}
		_, err = tx.ApplyBulk(ctx(c), caller.Shop.ID, reg.ID, models.BulkAction{Kind: models.BulkRemove, SKUIDs: ids}, h.kit.Now())
		return err
	})
	if err != nil {
		return writeError(err)
	}
	return h.answerRegistration(c)
}

// Submit submits the draft products for review (the screens' Submit: the
// rules checked again on fresh snapshots, coupons accepted when the
// campaign requires it). The request's Idempotency-Key, when given, is the
// submit's key too.
func (h *SellerAPI) Submit(c echo.Context) error {
	caller, reg, err := h.draftOf(c)
	if err != nil {
		return err
	}
	var body struct {
		AcceptCoupons bool `json:"accept_coupons"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" || len(key) > 64 {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		key = hex.EncodeToString(b)
	}
	_, err = h.store.WithRegistrationMatch(ctx(c), caller.Shop.ID, reg.ID, ifMatch(c), func(tx *models.Store) error {
		_, err := tx.SubmitDraft(ctx(c), caller.Shop, reg.ID, body.AcceptCoupons, key, h.kit.Now())
		return err
	})
	if err != nil {
		return writeError(err)
	}
	return h.answerRegistration(c)
}
