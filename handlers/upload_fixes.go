package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/models/uploads"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// uploadRowFix offers a refused row's fix (every refusal of the row has
// one, from the rule functions at the check), or says it was applied.
func uploadRowFix(v *views.UploadRowView, campaignID int64, up uploads.Upload, r uploads.UploadRowRecord) {
	fixes := r.RowFixes()
	if r.Valid || fixes == nil {
		return
	}
	labels := make([]string, len(fixes))
	for i, f := range fixes {
		labels[i] = f.Label
	}
	label := strings.Join(labels, ", ")
	if r.FixedAt != nil {
		v.Fixed = "Fixed (" + label + "): this row is in your draft."
		return
	}
	v.FixURL, v.FixLabel = routes.UploadRowFix(campaignID, up.ID, r.RowNumber), label
}

// FixRow applies a refused row's fix: the fixed row is checked again and
// added to the draft (as saving the upload adds its valid rows), and the
// upload's card is shown again with the row marked. Refused (the row,
// fixed, still breaks a rule now; the deadline passed): 422 with the
// reason beside the row, nothing written.
func (h *Uploads) FixRow(c echo.Context) error {
	shop, campaignID, uploadID, err := shopAndIDs(c, "id", "upload")
	if err != nil {
		return err
	}
	line, err := strconv.Atoi(c.Param("row"))
	if err != nil || line < 2 {
		return models.ErrNotFound
	}
	_, err = h.store.ApplyUploadFix(ctx(c), shop, campaignID, uploadID, line, h.Now())
	var invalid *models.ValidationError
	var refusal, saveError string
	switch {
	case errors.As(err, &invalid):
		refusal = invalid.Fields["fix"]
	case errors.Is(err, models.ErrConflict):
		saveError = err.Error()
	case err != nil:
		return err
	}
	if refusal == "" && saveError == "" && !IsPartial(c) {
		return Redirect(c, routes.UploadStatus(campaignID, uploadID, "invalid", max(pageParamForm(c), 1)))
	}
	up, cp, err := h.store.ShopUpload(ctx(c), shop.ID, campaignID, uploadID)
	if err != nil {
		return err
	}
	s, err := h.statusView(c, up, cp, "invalid", max(pageParamForm(c), 1))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if refusal != "" || saveError != "" {
		status = http.StatusUnprocessableEntity
		s.SaveError = saveError
		for i := range s.Rows {
			if s.Rows[i].Line == line && refusal != "" {
				s.Rows[i].FixError = refusal
			}
		}
	}
	if IsPartial(c) {
		return Render(c, status, views.UploadStatus(h.Page(c, "", ""), s))
	}
	return h.page(c, status, "", &s)
}

// pageParamForm is the page of rows the form was posted from.
func pageParamForm(c echo.Context) int {
	n, err := strconv.Atoi(c.FormValue("page"))
	if err != nil || n < 1 || n > 1_000_000 {
		return 1
	}
	return n
}
