package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
)

// Machine codes of the seller API's problem documents. A rule's refusal
// of one field carries the rule's own code in errors[].code (the price
// table's problem keys, models.Problem.Key: price-too-high, stock-missing…).
const (
	CodeUnauthorized      = "unauthorized"
	CodeInsufficientScope = "insufficient_scope"
	CodeNotFound          = "not_found"
	CodeMethodNotAllowed  = "method_not_allowed"
	CodeBadRequest        = "bad_request"
	CodeInvalid           = "invalid"
	CodeConflict          = "conflict"
	CodeEditLocked        = "edit_locked"
	CodePriceChanged      = models.ConflictPriceChanged
	CodeNotEligible       = "not_eligible"
	CodeForbidden         = "forbidden"
	CodeTooLarge          = "too_large"
	CodeRateLimited       = "rate_limited"
	CodeInternal          = "internal"
)

// ProblemCode is a code as the reference page lists it.
type ProblemCode struct {
	Code   string
	Status int
	Title  string
}

// ProblemCodes lists every top-level code, with its status and title; the
// reference page renders this list and each problem's type points at it.
var ProblemCodes = []ProblemCode{
	{CodeBadRequest, http.StatusBadRequest, "The request is malformed"},
	{CodeUnauthorized, http.StatusUnauthorized, "A valid seller API key is required"},
	{CodeInsufficientScope, http.StatusForbidden, "The key lacks the scope this endpoint needs"},
	{CodeForbidden, http.StatusForbidden, "Not allowed"},
	{CodeNotEligible, http.StatusForbidden, "The shop is not eligible for this campaign"},
	{CodeNotFound, http.StatusNotFound, "Not found, or it belongs to another shop"},
	{CodeMethodNotAllowed, http.StatusMethodNotAllowed, "This endpoint does not take that method"},
	{CodeConflict, http.StatusConflict, "That cannot be done now"},
	{CodeVersionMismatch, http.StatusConflict, "The registration changed since the If-Match version"},
	{CodePriceChanged, http.StatusConflict, "The price or its open edit changed since expected_price was read"},
	{CodeEditLocked, http.StatusConflict, "This product's prices cannot be edited now"},
	{CodeTooLarge, http.StatusRequestEntityTooLarge, "The request body is too large"},
	{CodeInvalid, http.StatusUnprocessableEntity, "Some fields were refused"},
	{CodeRateLimited, http.StatusTooManyRequests, "Too many requests for this key"},
	{CodeInternal, http.StatusInternalServerError, "The portal hit a problem"},
}

func problemTitle(code string, status int) string {
	for _, p := range ProblemCodes {
		if p.Code == code {
			return p.Title
		}
	}
	return http.StatusText(status)
}

// FieldProblem is one refused field: its path in the request (JSON
// names, items[3].campaign_price; a query parameter by its name), the
// rule's machine code and the message the screens show.
type FieldProblem struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// APIProblem is an error the seller API answers as an RFC 9457 problem
// document. Handlers return it (or a domain error, mapped by
// ProblemFor); the error handler writes it.
type APIProblem struct {
	Status int
	Code   string
	Detail string
	Errors []FieldProblem
}

func (p *APIProblem) Error() string { return p.Code + ": " + p.Detail }

// Invalid is a 422 naming the refused fields.
func Invalid(detail string, fields ...FieldProblem) *APIProblem {
	return &APIProblem{Status: http.StatusUnprocessableEntity, Code: CodeInvalid, Detail: detail, Errors: fields}
}

// problemDoc is the problem document on the wire.
type problemDoc struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	Code      string         `json:"code"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// ProblemTypeURI is where a code is explained (the reference page).
func ProblemTypeURI(code string) string { return "/api/docs#problem-" + code }

// ProblemFor maps any error to a problem, in one place for the seller API.
func ProblemFor(err error) *APIProblem {
	var p *APIProblem
	var he *echo.HTTPError
	var invalid *models.ValidationError
	var notEligible *models.NotEligibleError
	var conflict *models.ConflictError
	var locked *models.EditLockedError
	var late *models.DeadlinePassedError
	if c, ok := models.ConstraintConflict(err); ok {
		return &APIProblem{Status: http.StatusConflict, Code: CodeConflict, Detail: c.Message}
	}
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &invalid):
		fields := make([]FieldProblem, 0, len(invalid.Fields))
		for f, msg := range invalid.Fields {
			code := CodeInvalid
			if rc, ok := invalid.Codes[f]; ok {
				code = string(rc)
			}
			fields = append(fields, FieldProblem{Field: f, Code: code, Detail: msg})
		}
		sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
		return Invalid("Some fields were refused; nothing was changed.", fields...)
	case errors.As(err, &notEligible):
		return &APIProblem{Status: http.StatusForbidden, Code: CodeNotEligible,
			Detail: "Your shop cannot register for this campaign: " + strings.Join(notEligible.Reasons, "; ") + "."}
	case errors.As(err, &locked):
		return &APIProblem{Status: http.StatusConflict, Code: CodeEditLocked, Detail: locked.Reason}
	case errors.As(err, &late):
		return &APIProblem{Status: http.StatusConflict, Code: CodeConflict, Detail: late.Error()}
	case errors.As(err, &conflict):
		code := CodeConflict
		if conflict.Code != "" {
			code = conflict.Code
		}
		return &APIProblem{Status: http.StatusConflict, Code: code, Detail: conflict.Message}
	case errors.Is(err, models.ErrConflict):
		return &APIProblem{Status: http.StatusConflict, Code: CodeConflict, Detail: "Someone changed this meanwhile; read it again and retry."}
	case errors.Is(err, models.ErrNotFound):
		return &APIProblem{Status: http.StatusNotFound, Code: CodeNotFound, Detail: "Nothing here, or it belongs to another shop."}
	case errors.Is(err, models.ErrForbidden):
		return &APIProblem{Status: http.StatusForbidden, Code: CodeForbidden, Detail: "This key cannot do that."}
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		switch he.Code {
		case http.StatusNotFound:
			return &APIProblem{Status: he.Code, Code: CodeNotFound, Detail: "No such endpoint; see /api/docs."}
		case http.StatusMethodNotAllowed:
			return &APIProblem{Status: he.Code, Code: CodeMethodNotAllowed, Detail: "See /api/docs for the methods of this endpoint."}
		case http.StatusRequestEntityTooLarge:
			return &APIProblem{Status: he.Code, Code: CodeTooLarge, Detail: msg}
		}
		if he.Code >= 400 && he.Code < 500 {
			return &APIProblem{Status: he.Code, Code: CodeBadRequest, Detail: msg}
		}
	}
	return &APIProblem{Status: http.StatusInternalServerError, Code: CodeInternal,
		Detail: "The portal hit a problem and changed nothing; try again, and quote the request id if it persists."}
}

// WriteProblem answers err as application/problem+json. A 5xx is noted
// for the request's log line.
func WriteProblem(c echo.Context, err error) error {
	p := ProblemFor(err)
	doc := problemDoc{Type: ProblemTypeURI(p.Code), Title: problemTitle(p.Code, p.Status), Status: p.Status,
		Detail: p.Detail, Instance: c.Request().URL.Path, Code: p.Code, Errors: p.Errors}
	if p.Status >= 500 {
		doc.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		NoteError(c, err)
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	b, merr := json.Marshal(doc)
	if merr != nil {
		return merr
	}
	return c.Blob(p.Status, "application/problem+json", b)
}
