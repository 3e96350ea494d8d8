package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Typed domain errors. The web layer maps them to HTTP statuses in one place.
var (
	ErrNotFound       = errors.New("not found")
	ErrForbidden      = errors.New("forbidden")
	ErrConflict       = errors.New("conflict")
	ErrBadCredentials = errors.New("the email or password is not right")
)

// ConflictError is a refused change with a reason people can act on; it
// matches ErrConflict. Code, when set, names which conflict it is for
// machines (the seller API's problem code); people read Message.
type ConflictError struct {
	Message string
	Code    string
}

func (e *ConflictError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ValidationError carries a message per form field and, where a rule
// function refused the value, the rule's code (for the seller API).
type ValidationError struct {
	Fields map[string]string
	Codes  map[string]RuleCode
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a message for field, keeping the first one.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// AddRule records a rule function's refusal for field: its message and
// its code, keeping the first one.
func (e *ValidationError) AddRule(field string, fe *FieldError) {
	if _, ok := e.Fields[field]; ok {
		return
	}
	e.Add(field, fe.Message)
	if e.Codes == nil {
		e.Codes = map[string]RuleCode{}
	}
	e.Codes[field] = fe.Code
}

// OrNil returns nil when no field failed, so callers can `return v.OrNil()`.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// RateLimitedError says sign-in is paused for a while.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	mins := int(e.RetryAfter.Round(time.Minute) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	return fmt.Sprintf("Too many sign-in attempts. Please wait %d %s and try again.", mins, unit)
}

// constraintConflicts are the schema's last-line rules a person can run
// into by racing someone else past the checks the code makes first, each
// with what to tell them.
var constraintConflicts = map[string]string{
	"registration_products_stock_reserved": "Another registration took some of these units meanwhile: the campaign stock is now more than is left " +
		"across overlapping campaigns. Reload to see what is available.",
}

// ConstraintConflict tells whether err is the database refusing a change
// by one of those rules, as a ConflictError to show; nothing changed.
func ConstraintConflict(err error) (*ConflictError, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil, false
	}
	msg, ok := constraintConflicts[pe.ConstraintName]
	if !ok {
		return nil, false
	}
	return &ConflictError{Message: msg}, true
}
