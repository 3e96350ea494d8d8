package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/routes"
)

// rejectionFixes shows, on each rejected product whose standard reason a
// rule answers, the fix of each SKU and the action that registers it
// again with them (before the deadline).
func (h *Manage) rejectionFixes(c echo.Context, mv models.ManageView, v *views.ManagePage) error {
	fixes, err := h.store.RejectionFixes(ctx(c), mv, h.Now())
	if err != nil || len(fixes) == 0 {
		return err
	}
	for i := range v.Products {
		p := &v.Products[i]
		found := false
		for j := range p.SKUs {
			if f := fixes[p.SKUs[j].ID]; f != nil {
				p.SKUs[j].Fix, found = f.Label, true
			}
		}
		if found && v.Open && !v.DeadlinePassed {
			p.FixURL = routes.RegistrationFix(mv.Registration.ID)
		}
	}
	return nil
}

// RegisterAgainFixed puts a rejected product back in the draft with the
// fixes its rejection reason implies and opens the price table to check
// and submit it; a product with nothing left to fix, or one no longer
// rejected, is said on the Manage page (409).
func (h *Manage) RegisterAgainFixed(c echo.Context) error {
	shop, regID, err := shopAndID(c, "id")
	if err != nil {
		return err
	}
	rpID, err := strconv.ParseInt(c.FormValue("product"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	mv, err := h.store.Manage(ctx(c), shop.ID, regID, "")
	if err != nil {
		return err
	}
	changed, err := h.store.RegisterAgainFixed(ctx(c), shop, regID, rpID, h.Now())
	if errors.Is(err, models.ErrConflict) {
		return h.show(c, http.StatusConflict, "", err.Error()) // no longer rejected, nothing to fix, the deadline passed
	}
	if err != nil {
		return err
	}
	return Redirect(c, routes.Register(mv.Campaign.ID)+"?notice="+urlQueryEscape(models.FixedText(changed)))
}
