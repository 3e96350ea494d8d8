package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/uploads"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// UploadStore is what bulk upload needs from the domain.
type UploadStore interface {
	UploadPage(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Registration, models.Campaign, []uploads.Upload, error)
	UploadTemplate(ctx context.Context, shop models.Shop, campaignID int64, now time.Time) (models.Campaign, []uploads.TemplateRow, error)
	CreateUpload(ctx context.Context, shop models.Shop, campaignID, userID int64, fileName string, content []byte, now time.Time) (uploads.Upload, bool, error)
	ShopUpload(ctx context.Context, shopID, campaignID, uploadID int64) (uploads.Upload, models.Campaign, error)
	UploadRows(ctx context.Context, uploadID int64, valid bool, page, perPage int) ([]uploads.UploadRowRecord, int, error)
	InvalidUploadRows(ctx context.Context, uploadID int64) ([]uploads.UploadRowRecord, error)
	SaveUpload(ctx context.Context, shop models.Shop, campaignID, uploadID int64, now time.Time) (uploads.SaveUploadResult, error)
	ApplyUploadFix(ctx context.Context, shop models.Shop, campaignID, uploadID int64, line int, now time.Time) (uploads.UploadRowRecord, error)
}

// Uploads is bulk upload: templates, upload, the check's progress and
// rows, the errors file, and saving the valid rows into the draft.
type Uploads struct {
	Kit
	store UploadStore
}

// NewUploads builds the bulk upload area.
func NewUploads(k Kit, store UploadStore) *Uploads { return &Uploads{Kit: k, store: store} }

const uploadRowsPerPage = 50

// Index shows the templates, the form and the recent uploads.
func (h *Uploads) Index(c echo.Context) error {
	return h.page(c, http.StatusOK, "", nil)
}

func (h *Uploads) page(c echo.Context, status int, refused string, current *views.UploadStatusView) error {
	shop, campaignID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	_, cp, recent, err := h.store.UploadPage(ctx(c), shop, campaignID, h.Now())
	if err != nil {
		return err
	}
	loc := cp.Location()
	v := views.UploadPageView{
		CampaignName: cp.Name, CampaignURL: routes.Campaign(cp.ID), RegisterURL: routes.Register(cp.ID),
		TemplateCSVURL: routes.UploadTemplateCSV(cp.ID), TemplateXLSXURL: routes.UploadTemplateXLSX(cp.ID),
		Rules: uploadRules(cp), Form: h.form(cp.ID, refused), Current: current,
	}
	for _, u := range recent {
		if current != nil && u.ID == current.ID {
			continue // shown above, and kept current there
		}
		tone, label := uploadStatusLabel(u)
		v.Recent = append(v.Recent, views.UploadListItem{FileName: u.FileName, When: views.DateTime(u.CreatedAt, loc),
			Status: label, Tone: tone, Summary: uploadSummary(u), URL: routes.UploadStatus(cp.ID, u.ID, "", 0)})
	}
	return Render(c, status, views.UploadPage(h.Page(c, "Bulk upload · "+cp.Name, views.NavCampaigns), v))
}

func (h *Uploads) form(campaignID int64, refused string) views.UploadFormView {
	return views.UploadFormView{Action: routes.RegisterUpload(campaignID), Error: refused,
		MaxMB: uploads.MaxUploadBytes >> 20, MaxRows: uploads.MaxUploadRows}
}

// uploadRules says, in the seller's words, what the check holds rows to.
func uploadRules(cp models.Campaign) []string {
	var out []string
	for _, t := range []models.Tier{models.TierFeatured, models.TierRegular} {
		r := cp.Rule(t)
		if r.Tier != t {
			continue
		}
		name := "Featured"
		if t == models.TierRegular {
			name = "Regular"
		}
		out = append(out, fmt.Sprintf("%s: campaign price at most %s of the lookback low, campaign stock at least %d.",
			name, views.Percent(r.MaxPricePct), r.MinStock))
	}
	out = append(out, "Campaign stock at most the SKU's available stock; prices with at most two decimals.",
		"Tier blank keeps the product's tier in your draft (Regular for a new product); a product has one tier.")
	if t := cp.ExtraDiscount(); t.Allowed && t.MinPct.Valid {
		out = append(out, "Extra discount: blank for none, or at least "+views.Percent(t.MinPct.Decimal)+"; one per product.")
	} else if !t.Allowed {
		out = append(out, "This campaign offers no extra discount: leave that column blank.")
	}
	return append(out, "Only your shop's PIDs and SKU IDs; each SKU once per file.")
}

// TemplateCSV downloads the template as CSV.
func (h *Uploads) TemplateCSV(c echo.Context) error {
	cp, rows, err := h.template(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := uploads.WriteTemplateCSV(&buf, rows); err != nil {
		return err
	}
	return attachment(c, fmt.Sprintf("campaign-%d-upload-template.csv", cp.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// TemplateXLSX downloads the template as a workbook.
func (h *Uploads) TemplateXLSX(c echo.Context) error {
	cp, rows, err := h.template(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := uploads.WriteTemplateXLSX(&buf, rows, uploads.TemplateInstructions(cp)); err != nil {
		return err
	}
	return attachment(c, fmt.Sprintf("campaign-%d-upload-template.xlsx", cp.ID),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (h *Uploads) template(c echo.Context) (models.Campaign, []uploads.TemplateRow, error) {
	shop, campaignID, err := shopAndID(c, "id")
	if err != nil {
		return models.Campaign{}, nil, err
	}
	return h.store.UploadTemplate(ctx(c), shop, campaignID, h.Now())
}

// attachment sends a file to save, never to cache.
func attachment(c echo.Context, name, contentType string, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

// Create stores an uploaded file and queues its check, then follows it on
// its page; a malformed file is refused with the reason (422) and nothing
// is stored. The same file again leads to the upload made the first time.
func (h *Uploads) Create(c echo.Context) error {
	shop, campaignID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		if IsPartial(c) {
			return Render(c, http.StatusUnprocessableEntity, views.UploadForm(h.Page(c, "", ""), h.form(campaignID, msg)))
		}
		return h.page(c, http.StatusUnprocessableEntity, msg, nil)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("Choose a spreadsheet (.xlsx or .csv) to upload.")
	}
	if fh.Size > uploads.MaxUploadBytes {
		return refuse(fmt.Sprintf("The file is larger than %d MB. Split it into smaller files.", uploads.MaxUploadBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, uploads.MaxUploadBytes+1))
	if err != nil {
		return err
	}
	up, existing, err := h.store.CreateUpload(ctx(c), shop, campaignID, SessionFrom(c).User.ID, uploadFileName(fh.Filename), content, h.Now())
	var refused *uploads.UploadFileError
	switch {
	case errors.As(err, &refused):
		return refuse(refused.Message)
	case errors.Is(err, models.ErrConflict) || errors.Is(err, models.ErrForbidden):
		return refuse(err.Error()) // registration closed, or the shop not eligible: said in words
	case err != nil:
		return err
	}
	if existing {
		return Redirect(c, routes.UploadStatusAgain(campaignID, up.ID))
	}
	return Redirect(c, routes.UploadStatus(campaignID, up.ID, "", 0))
}

// uploadFileName keeps the name of a file as people read it: no folders,
// no control characters, at most 120 characters.
func uploadFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" || name == "." || name == "/" {
		return "upload"
	}
	return name
}

// Status is one upload: the whole page, or (for htmx polling, tabs and
// pages) just its status card.
func (h *Uploads) Status(c echo.Context) error {
	shop, campaignID, uploadID, err := shopAndIDs(c, "id", "upload")
	if err != nil {
		return err
	}
	up, cp, err := h.store.ShopUpload(ctx(c), shop.ID, campaignID, uploadID)
	if err != nil {
		return err
	}
	page := pageParam(c)
	s, err := h.statusView(c, up, cp, c.QueryParam("show"), max(page, 1))
	if err != nil {
		return err
	}
	if IsPartial(c) {
		return Render(c, http.StatusOK, views.UploadStatus(h.Page(c, "", ""), s))
	}
	return h.page(c, http.StatusOK, "", &s)
}

func (h *Uploads) statusView(c echo.Context, up uploads.Upload, cp models.Campaign, show string, page int) (views.UploadStatusView, error) {
	loc := cp.Location()
	s := views.UploadStatusView{
		ID: up.ID, FileName: up.FileName, Uploaded: views.DateTime(up.CreatedAt, loc),
		StatusURL: routes.UploadStatus(cp.ID, up.ID, "", 0), Waiting: up.Waiting(), Queued: up.Status == uploads.UploadQueued,
		Processed: up.ProcessedRows, Total: up.TotalRows, Approx: up.Kind == uploads.UploadXLSX,
		Failed: up.Status == uploads.UploadFailed, Error: up.Error,
		Valid: up.ValidRows, Invalid: up.InvalidRows, Skipped: up.SkippedRows, Saved: up.SavedAt != nil,
		SaveURL: routes.UploadSave(cp.ID, up.ID), ErrorsURL: routes.UploadErrors(cp.ID, up.ID), DraftURL: routes.Register(cp.ID),
		Existing: c.QueryParam("again") == "1",
	}
	if up.TotalRows > 0 {
		s.Percent = min(100, up.ProcessedRows*100/up.TotalRows)
	}
	if up.SavedAt != nil && up.SavedRows != nil {
		s.SavedText = fmt.Sprintf("Saved %s: %d row%s added to your registration draft.",
			views.DateTime(*up.SavedAt, loc), *up.SavedRows, plural(*up.SavedRows))
	}
	s.CanSave = up.Status == uploads.UploadDone && up.ValidRows > 0 && up.SavedAt == nil
	if up.Status != uploads.UploadDone {
		return s, nil
	}
	if show != "valid" && show != "invalid" {
		show = "valid"
		if up.InvalidRows > 0 {
			show = "invalid"
		}
	}
	s.Show, s.Page = show, page
	s.InvalidURL = routes.UploadStatus(cp.ID, up.ID, "invalid", 0)
	s.ValidURL = routes.UploadStatus(cp.ID, up.ID, "valid", 0)
	rows, total, err := h.store.UploadRows(ctx(c), up.ID, show == "valid", page, uploadRowsPerPage)
	if err != nil {
		return s, err
	}
	s.TotalShown = total
	if len(rows) > 0 {
		s.From = (page-1)*uploadRowsPerPage + 1
		s.To = s.From + len(rows) - 1
	}
	if page > 1 {
		s.PrevURL = routes.UploadStatus(cp.ID, up.ID, show, page-1)
	}
	if page*uploadRowsPerPage < total {
		s.NextURL = routes.UploadStatus(cp.ID, up.ID, show, page+1)
	}
	for _, r := range rows {
		v := views.UploadRowView{Line: r.RowNumber, PID: r.PID, SKU: r.SKUCode, Valid: r.Valid, Reason: r.Reason,
			Price: r.PriceText, Stock: r.StockText, Tier: r.TierText, Discount: r.DiscountText}
		uploadRowFix(&v, cp.ID, up, r)
		if r.Valid {
			v.Price = views.Money(r.CampaignPrice.Decimal)
			v.Stock = strconv.Itoa(*r.CampaignStock)
			v.Tier = "Regular"
			if *r.Tier == models.TierFeatured {
				v.Tier = "Featured"
			}
			v.Discount = ""
			if r.ExtraDiscount.Valid {
				v.Discount = views.Percent(r.ExtraDiscount.Decimal)
			}
		}
		s.Rows = append(s.Rows, v)
	}
	return s, nil
}

func uploadStatusLabel(u uploads.Upload) (tone, label string) {
	switch {
	case u.SavedAt != nil:
		return "ok", "Saved"
	case u.Status == uploads.UploadDone:
		return "info", "Checked, not saved"
	case u.Status == uploads.UploadFailed:
		return "bad", "Could not be checked"
	case u.Status == uploads.UploadProcessing:
		return "warn", "Checking"
	}
	return "muted", "Waiting"
}

func uploadSummary(u uploads.Upload) string {
	if u.Status != uploads.UploadDone {
		return ""
	}
	return fmt.Sprintf("%d valid, %d with errors", u.ValidRows, u.InvalidRows)
}

// Errors downloads the invalid rows with the reason for each.
func (h *Uploads) Errors(c echo.Context) error {
	shop, campaignID, uploadID, err := shopAndIDs(c, "id", "upload")
	if err != nil {
		return err
	}
	up, _, err := h.store.ShopUpload(ctx(c), shop.ID, campaignID, uploadID)
	if err != nil {
		return err
	}
	rows, err := h.store.InvalidUploadRows(ctx(c), up.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := uploads.WriteUploadErrorsCSV(&buf, rows); err != nil {
		return err
	}
	name := strings.TrimSuffix(strings.TrimSuffix(up.FileName, ".csv"), ".xlsx")
	return attachment(c, safeHeaderName(name)+"-errors.csv", "text/csv; charset=utf-8", buf.Bytes())
}

// safeHeaderName keeps a file name fit for a Content-Disposition header.
func safeHeaderName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		return "upload"
	}
	return s
}

// Save adds the valid rows to the draft; a second save does nothing.
func (h *Uploads) Save(c echo.Context) error {
	shop, campaignID, uploadID, err := shopAndIDs(c, "id", "upload")
	if err != nil {
		return err
	}
	_, err = h.store.SaveUpload(ctx(c), shop, campaignID, uploadID, h.Now())
	if errors.Is(err, models.ErrConflict) {
		// Nothing was saved (deadline passed, catalogue changed, no valid
		// rows): show why on the upload's card.
		up, cp, lerr := h.store.ShopUpload(ctx(c), shop.ID, campaignID, uploadID)
		if lerr != nil {
			return lerr
		}
		s, lerr := h.statusView(c, up, cp, "", 1)
		if lerr != nil {
			return lerr
		}
		s.SaveError = err.Error()
		if IsPartial(c) {
			return Render(c, http.StatusUnprocessableEntity, views.UploadStatus(h.Page(c, "", ""), s))
		}
		return h.page(c, http.StatusConflict, "", &s)
	}
	if err != nil {
		return err
	}
	return Redirect(c, routes.UploadStatus(campaignID, uploadID, "", 0))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
