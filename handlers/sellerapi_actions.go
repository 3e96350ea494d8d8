package handlers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"campaignportal/models"
	"campaignportal/web/routes"
)

// SellerAPIActionStore is what the API's actions after submitting need:
// the Submitted and Manage pages' own functions, and the look-ups from a
// seller's SKU IDs and PIDs to the registration's rows.
type SellerAPIActionStore interface {
	DecideRecommendation(ctx context.Context, shopID, userID, regID, recID int64, action models.RecommendationAction, price decimal.NullDecimal, now time.Time) error
	AcceptAllRecommendations(ctx context.Context, shopID, userID, regID int64, now time.Time) (int, error)
	CopyToCampaign(ctx context.Context, shop models.Shop, fromRegID, toCampaignID int64, now time.Time) (models.Registration, int, error)
	RequestPriceEdit(ctx context.Context, shopID, userID, regID, rsID int64, in models.PriceEditInput, now time.Time) (models.PriceEditRequest, error)
	Withdraw(ctx context.Context, shopID, userID, regID int64, kind models.WithdrawKind, rpIDs []int64, now time.Time) (models.WithdrawResult, error)
	CancelWithdrawal(ctx context.Context, shopID, userID, regID, id int64, now time.Time) error
	ResolveSKUError(ctx context.Context, shop models.Shop, userID, regID, rpID int64, now time.Time) ([]models.ClosedEdit, error)
	ResolveCatalogueRefs(ctx context.Context, shopID int64, refs []models.CatalogueRef) ([]models.DraftItem, []int, error)
	RegistrationSKUByCode(ctx context.Context, shopID, regID int64, code string) (int64, error)
	RegistrationProductsByPID(ctx context.Context, shopID, regID int64, pids []string) ([]int64, []int, error)
	ShopRecommendation(ctx context.Context, shopID, regID, id int64) (models.Recommendation, error)
	ShopPriceEdit(ctx context.Context, shopID, regID, id int64) (models.PriceEditRequest, string, error)
	ShopWithdrawals(ctx context.Context, shopID, regID int64, ids []int64) ([]models.WithdrawalRecord, error)
}

// onRegistration runs fn on the shop's registration of the campaign in the
// path, locked, with If-Match checked, in one transaction.
func (h *SellerAPI) onRegistration(c echo.Context, fn func(caller APICaller, reg models.Registration, tx *models.Store) error) error {
	caller, reg, err := h.draftOf(c)
	if err != nil {
		return err
	}
	_, err = h.store.WithRegistrationMatch(ctx(c), caller.Shop.ID, reg.ID, ifMatch(c), func(tx *models.Store) error {
		return fn(caller, reg, tx)
	})
	return writeError(err)
}

// renamed gives a domain validation error the API's field names (the model
// names fields as the screens' forms do).
func renamed(err error, names map[string]string) error {
	v, ok := err.(*models.ValidationError)
	if !ok {
		return err
	}
	out := &models.ValidationError{}
	for f, msg := range v.Fields {
		name := f
		if n, ok := names[f]; ok {
			name = n
		}
		if code, ok := v.Codes[f]; ok {
			out.AddRule(name, &models.FieldError{Code: code, Message: msg})
		} else {
			out.Add(name, msg)
		}
	}
	return out
}

// AcceptRecommendation takes one recommended price (the Submitted page's
// Accept): under review the SKU's price changes at once; once registered it
// becomes a price edit request, reviewed like any edit.
func (h *SellerAPI) AcceptRecommendation(c echo.Context) error {
	return h.decideRecommendation(c, models.RecommendationAccept)
}

// DismissRecommendation answers a recommendation with no change of price.
func (h *SellerAPI) DismissRecommendation(c echo.Context) error {
	return h.decideRecommendation(c, models.RecommendationDismiss)
}

func (h *SellerAPI) decideRecommendation(c echo.Context, action models.RecommendationAction) error {
	recID, err := apiID(c, "recommendation_id")
	if err != nil {
		return err
	}
	if err := decodeEmptyBody(c); err != nil {
		return err
	}
	var regID int64
	err = h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		regID = reg.ID
		return tx.DecideRecommendation(ctx(c), caller.Shop.ID, caller.Key.CreatedBy, reg.ID, recID, action, decimal.NullDecimal{}, h.kit.Now())
	})
	if err != nil {
		return err
	}
	caller, _ := CallerFrom(c)
	r, err := h.store.ShopRecommendation(ctx(c), caller.Shop.ID, regID, recID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recommendationOf(r))
}

// AcceptAllRecommendations accepts every open recommendation the
// Submitted page shows, in one transaction.
func (h *SellerAPI) AcceptAllRecommendations(c echo.Context) error {
	if err := decodeEmptyBody(c); err != nil {
		return err
	}
	n := 0
	err := h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		var err error
		n, err = tx.AcceptAllRecommendations(ctx(c), caller.Shop.ID, caller.Key.CreatedBy, reg.ID, h.kit.Now())
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"accepted": n})
}

type copyResultJSON struct {
	CampaignID     int64  `json:"campaign_id"`
	RegistrationID int64  `json:"registration_id"`
	Prefilled      int    `json:"prefilled"`
	Registration   string `json:"registration"`
}

// CopyToRelated opens the draft of a related campaign pre-filled with this
// registration's products, tiers, prices and stock (the Submitted page's
// "Register with these prices"); that campaign's rules then judge them.
func (h *SellerAPI) CopyToRelated(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	to, err := apiID(c, "related_campaign_id")
	if err != nil {
		return err
	}
	if err := decodeEmptyBody(c); err != nil {
		return err
	}
	reg, n, err := h.store.CopyToCampaign(ctx(c), caller.Shop, sc.Registration.ID, to, h.kit.Now())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, routes.SellerAPIRegistration(to))
	return c.JSON(http.StatusOK, copyResultJSON{CampaignID: to, RegistrationID: reg.ID, Prefilled: n, Registration: routes.SellerAPIRegistration(to)})
}

// RequestPriceEdit asks for a new campaign price of a registered SKU (the
// Manage page's Edit pop-up, by the same function: the same lock while a
// co-funded product is under review or its withdrawal waits, the same
// maximum from today's lookback low). expected_price (and
// expected_request, the open edit the tool knows of) guard against an
// edit made from a stale read: 409 price_changed.
func (h *SellerAPI) RequestPriceEdit(c echo.Context) error {
	var body struct {
		SKU             string   `json:"sku"`
		NewPrice        bulkText `json:"new_price"`
		ExpectedPrice   bulkText `json:"expected_price"`
		ExpectedRequest *int64   `json:"expected_request"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	var fields []FieldProblem
	in := models.PriceEditInput{}
	price, ferr := models.ParsePrice(string(body.NewPrice))
	switch {
	case ferr != nil:
		fields = append(fields, FieldProblem{Field: "new_price", Code: string(ferr.Code), Detail: ferr.Message})
	case !price.Valid:
		fields = append(fields, FieldProblem{Field: "new_price", Code: string(models.CodePriceMissing), Detail: "Give the new campaign price, like \"12.99\"."})
	default:
		in.NewPrice = price.Decimal
	}
	expected, eerr := decimal.NewFromString(strings.TrimSpace(string(body.ExpectedPrice)))
	if eerr != nil {
		fields = append(fields, FieldProblem{Field: "expected_price", Code: CodeInvalid,
			Detail: "Give the campaign price you read (the SKU's campaign_price), like \"14.99\"."})
	}
	in.ExpectedPrice = expected
	if body.ExpectedRequest != nil {
		in.ExpectedRequest = *body.ExpectedRequest
	}
	if strings.TrimSpace(body.SKU) == "" {
		fields = append(fields, FieldProblem{Field: "sku", Code: CodeInvalid, Detail: "Give the SKU ID of a SKU of the registration."})
	}
	if len(fields) > 0 {
		return Invalid("Some fields were refused; nothing was changed.", fields...)
	}
	var req models.PriceEditRequest
	err := h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		rsID, err := tx.RegistrationSKUByCode(ctx(c), caller.Shop.ID, reg.ID, strings.TrimSpace(body.SKU))
		if err != nil {
			return notFoundField(err, "sku", "No SKU of your registration has that SKU ID.")
		}
		req, err = tx.RequestPriceEdit(ctx(c), caller.Shop.ID, caller.Key.CreatedBy, reg.ID, rsID, in, h.kit.Now())
		return renamed(err, map[string]string{"price": "new_price"})
	})
	if err != nil {
		return err
	}
	campaignID, _ := apiID(c, "campaign_id")
	c.Response().Header().Set(echo.HeaderLocation, routes.SellerAPIPriceEdit(campaignID, req.ID))
	return c.JSON(http.StatusCreated, priceEditOf(&req, strings.TrimSpace(body.SKU)))
}

// notFoundField makes a look-up's ErrNotFound a 404 naming the field.
func notFoundField(err error, field, detail string) error {
	if errors.Is(err, models.ErrNotFound) {
		return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound, Detail: detail,
			Errors: []FieldProblem{{Field: field, Code: CodeNotFound, Detail: detail}}}
	}
	return err
}

// PriceEdit is one price edit request and where it stands: under_review,
// approved, rejected, replaced (by a newer edit) or closed (its product
// left the campaign).
func (h *SellerAPI) PriceEdit(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	id, err := apiID(c, "price_edit_id")
	if err != nil {
		return err
	}
	e, code, err := h.store.ShopPriceEdit(ctx(c), caller.Shop.ID, sc.Registration.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, priceEditOf(&e, code))
}

type withdrawalJSON struct {
	ID                    int64   `json:"id"`
	RegistrationProductID int64   `json:"registration_product_id"`
	PID                   string  `json:"pid"`
	Title                 string  `json:"title"`
	Kind                  string  `json:"kind"`
	Status                string  `json:"status"`
	RequestedAt           string  `json:"requested_at"`
	EffectiveAt           *string `json:"effective_at"`
	DecidedAt             *string `json:"decided_at"`
	DecisionReason        string  `json:"decision_reason"`
}

func withdrawalOf(w models.WithdrawalRecord) withdrawalJSON {
	return withdrawalJSON{ID: w.ID, RegistrationProductID: w.RegistrationProductID, PID: w.PID, Title: w.Title, Kind: w.Kind,
		Status: string(w.Status), RequestedAt: instant(w.RequestedAt), EffectiveAt: instantPtr(w.EffectiveAt),
		DecidedAt: instantPtr(w.DecidedAt), DecisionReason: w.DecisionReason}
}

type withdrawResultJSON struct {
	Withdrawn   int              `json:"withdrawn"`
	Requested   int              `json:"requested"`
	Withdrawals []withdrawalJSON `json:"withdrawals"`
}

// Withdraw takes products (kind product, by PID), every product (kind
// campaign) or only their extra discount (kind discount) out of the
// campaign, by the Manage page's function: without withdrawal review at
// once (withdrawn); with it, a registered product's withdrawal is a
// request a reviewer decides (requested), and it pays fees until then.
func (h *SellerAPI) Withdraw(c echo.Context) error {
	var body struct {
		Kind     string   `json:"kind"`
		Products []string `json:"products"`
	}
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	kind := models.WithdrawKind(body.Kind)
	switch kind {
	case models.WithdrawProduct, models.WithdrawDiscount:
		if len(body.Products) == 0 || len(body.Products) > 10_000 {
			return Invalid("Name the products to withdraw.", FieldProblem{Field: "products", Code: CodeInvalid,
				Detail: "Give from 1 to 10,000 PIDs of products in the campaign."})
		}
	case models.WithdrawCampaign:
		if len(body.Products) > 0 {
			return Invalid("A whole-campaign withdrawal names no products.", FieldProblem{Field: "products", Code: CodeInvalid,
				Detail: "Leave products out with kind campaign (every product leaves), or use kind product."})
		}
	default:
		return Invalid("kind is not a withdrawal.", FieldProblem{Field: "kind", Code: CodeInvalid, Detail: "Use product, campaign or discount."})
	}
	now := h.kit.Now()
	var res models.WithdrawResult
	var regID int64
	err := h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		regID = reg.ID
		var ids []int64
		if kind != models.WithdrawCampaign {
			var missing []int
			var err error
			pids := make([]string, len(body.Products))
			for i, p := range body.Products {
				pids[i] = strings.TrimSpace(p)
			}
			if ids, missing, err = tx.RegistrationProductsByPID(ctx(c), caller.Shop.ID, reg.ID, pids); err != nil {
				return err
			}
			if len(missing) > 0 {
				fields := make([]FieldProblem, len(missing))
				for i, m := range missing {
					fields[i] = FieldProblem{Field: "products[" + strconv.Itoa(m) + "]", Code: CodeNotFound,
						Detail: "No submitted product of your registration has this PID."}
				}
				return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound,
					Detail: "Some PIDs name no product of your registration; nothing was withdrawn.", Errors: fields}
			}
		}
		var err error
		res, err = tx.Withdraw(ctx(c), caller.Shop.ID, caller.Key.CreatedBy, reg.ID, kind, ids, now)
		return err
	})
	if err != nil {
		return err
	}
	caller, _ := CallerFrom(c)
	ws, err := h.store.ShopWithdrawals(ctx(c), caller.Shop.ID, regID, append([]int64{}, res.IDs...))
	if err != nil {
		return err
	}
	out := withdrawResultJSON{Withdrawn: res.Withdrawn, Requested: res.Requested, Withdrawals: []withdrawalJSON{}}
	for _, w := range ws {
		out.Withdrawals = append(out.Withdrawals, withdrawalOf(w))
	}
	return c.JSON(http.StatusOK, out)
}

// Withdrawals lists the registration's withdrawals, newest first (the
// Manage page's history): requested, approved, declined or cancelled.
func (h *SellerAPI) Withdrawals(c echo.Context) error {
	caller, sc, err := h.registrationOfCampaign(c)
	if err != nil {
		return err
	}
	page, limit, err := listPage(c, 100, 500)
	if err != nil {
		return err
	}
	ws, err := h.store.ShopWithdrawals(ctx(c), caller.Shop.ID, sc.Registration.ID, nil)
	if err != nil {
		return err
	}
	items, more := pageOf(ws, page, limit)
	out := listJSON[withdrawalJSON]{Items: []withdrawalJSON{}, NextCursor: nextPage(page, more)}
	for _, w := range items {
		out.Items = append(out.Items, withdrawalOf(w))
	}
	return c.JSON(http.StatusOK, out)
}

// CancelWithdrawal takes back a withdrawal request still waiting for a
// reviewer (the Manage page's Cancel request); the product stays.
func (h *SellerAPI) CancelWithdrawal(c echo.Context) error {
	id, err := apiID(c, "withdrawal_id")
	if err != nil {
		return err
	}
	if err := decodeEmptyBody(c); err != nil {
		return err
	}
	var regID int64
	err = h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		regID = reg.ID
		return tx.CancelWithdrawal(ctx(c), caller.Shop.ID, caller.Key.CreatedBy, reg.ID, id, h.kit.Now())
	})
	if err != nil {
		return err
	}
	caller, _ := CallerFrom(c)
	ws, err := h.store.ShopWithdrawals(ctx(c), caller.Shop.ID, regID, []int64{id})
	if err != nil {
		return err
	}
	for _, w := range ws {
		if w.ID == id {
			return c.JSON(http.StatusOK, withdrawalOf(w))
		}
	}
	return models.ErrNotFound
}

type closedEditJSON struct {
	SKUCode  string `json:"sku_code"`
	NewPrice string `json:"new_price"`
}

type skuErrorFixJSON struct {
	RegistrationProductID int64            `json:"registration_product_id"`
	Status                string           `json:"status"`
	ClosedPriceEdits      []closedEditJSON `json:"closed_price_edits"`
	Registration          string           `json:"registration"`
}

// FixSKUError is the SKU error's fix, as on the Manage page: the product
// leaves the campaign and goes back to the draft with its SKUs as they are
// now (prices still valid kept, new or changed SKUs to price); its open
// price edits are closed and listed. Set the prices (skus/bulk) and submit
// again.
func (h *SellerAPI) FixSKUError(c echo.Context) error {
	rpID, err := apiID(c, "registration_product_id")
	if err != nil {
		return err
	}
	if err := decodeEmptyBody(c); err != nil {
		return err
	}
	var closed []models.ClosedEdit
	err = h.onRegistration(c, func(caller APICaller, reg models.Registration, tx *models.Store) error {
		var err error
		closed, err = tx.ResolveSKUError(ctx(c), caller.Shop, caller.Key.CreatedBy, reg.ID, rpID, h.kit.Now())
		return err
	})
	if err != nil {
		return err
	}
	campaignID, _ := apiID(c, "campaign_id")
	out := skuErrorFixJSON{RegistrationProductID: rpID, Status: string(models.ProductDraft), ClosedPriceEdits: []closedEditJSON{},
		Registration: routes.SellerAPIRegistration(campaignID)}
	for _, e := range closed {
		out.ClosedPriceEdits = append(out.ClosedPriceEdits, closedEditJSON{SKUCode: e.SKUCode, NewPrice: money(e.NewPrice)})
	}
	return c.JSON(http.StatusOK, out)
}

// decodeEmptyBody accepts no body, or an empty JSON object, for actions
// that take nothing.
func decodeEmptyBody(c echo.Context) error {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(b))
	var body struct{}
	return decodeBody(c, &body)
}
