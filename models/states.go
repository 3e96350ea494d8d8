package models

import "fmt"

// ProductEvent is something that happens to a registered product.
type ProductEvent string

const (
	EventSubmitReviewed ProductEvent = "submit (review required)"
	EventSubmitDirect   ProductEvent = "submit (no review)"
	EventApprove        ProductEvent = "approve"
	EventReject         ProductEvent = "reject"
	EventWithdraw       ProductEvent = "withdraw"
	EventSKUEdited      ProductEvent = "SKU edited"
	EventReRegister     ProductEvent = "register again"
)

// productTransitions is the state machine of a product in a registration:
// from a status, which event leads where. Anything else is refused.
var productTransitions = map[ProductStatus]map[ProductEvent]ProductStatus{
	ProductDraft: {
		EventSubmitReviewed: ProductPending,
		EventSubmitDirect:   ProductRegistered,
	},
	ProductPending: {
		EventApprove:   ProductRegistered,
		EventReject:    ProductRejected,
		EventWithdraw:  ProductWithdrawn,
		EventSKUEdited: ProductSKUError,
	},
	ProductRegistered: {
		EventWithdraw:  ProductWithdrawn,
		EventSKUEdited: ProductSKUError,
	},
	ProductSKUError: {
		EventWithdraw:  ProductWithdrawn,
		EventSKUEdited: ProductSKUError,
	},
	ProductRejected: {
		EventReRegister: ProductDraft,
	},
	ProductWithdrawn: {
		EventReRegister: ProductDraft,
	},
}

// TransitionError refuses an event in a status.
type TransitionError struct {
	From  ProductStatus
	Event ProductEvent
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("a product that is %s cannot be changed by %q", ProductStatusLabel(e.From), e.Event)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *TransitionError) Is(target error) bool { return target == ErrConflict }

// NextProductStatus applies an event to a status, or refuses it.
func NextProductStatus(from ProductStatus, ev ProductEvent) (ProductStatus, error) {
	if to, ok := productTransitions[from][ev]; ok {
		return to, nil
	}
	return from, &TransitionError{From: from, Event: ev}
}

// ProductStatusLabel is a product status in the seller's words.
func ProductStatusLabel(s ProductStatus) string {
	switch s {
	case ProductDraft:
		return "Not submitted"
	case ProductPending:
		return "Under review"
	case ProductRegistered:
		return "Registered"
	case ProductRejected:
		return "Rejected"
	case ProductWithdrawn:
		return "Withdrawn"
	case ProductSKUError:
		return "SKU error"
	}
	return string(s)
}

// PriceEditStatus is where a price edit request stands.
type PriceEditStatus string

const (
	EditUnderReview PriceEditStatus = "under_review"
	EditApproved    PriceEditStatus = "approved"
	EditRejected    PriceEditStatus = "rejected"
	EditReplaced    PriceEditStatus = "replaced"
	EditClosed      PriceEditStatus = "closed" // the product left the campaign
)

// PriceEditEvent is something that happens to a price edit request.
type PriceEditEvent string

const (
	EditEventApprove PriceEditEvent = "approve"
	EditEventReject  PriceEditEvent = "reject"
	EditEventReplace PriceEditEvent = "replace" // the seller submitted a newer edit for the SKU
	EditEventClose   PriceEditEvent = "close"   // the product was withdrawn, rejected or sent back to the draft
)

var priceEditTransitions = map[PriceEditStatus]map[PriceEditEvent]PriceEditStatus{
	EditUnderReview: {EditEventApprove: EditApproved, EditEventReject: EditRejected, EditEventReplace: EditReplaced,
		EditEventClose: EditClosed},
}

// NextPriceEditStatus applies an event to a request's status, or refuses it.
func NextPriceEditStatus(from PriceEditStatus, ev PriceEditEvent) (PriceEditStatus, error) {
	if to, ok := priceEditTransitions[from][ev]; ok {
		return to, nil
	}
	return from, &ConflictError{Message: fmt.Sprintf("This price edit request is already %s.", PriceEditStatusLabel(from))}
}

// PriceEditStatusLabel is a request status in the seller's words.
func PriceEditStatusLabel(s PriceEditStatus) string {
	switch s {
	case EditUnderReview:
		return "under review"
	case EditApproved:
		return "approved"
	case EditRejected:
		return "rejected"
	case EditReplaced:
		return "replaced by a newer edit"
	case EditClosed:
		return "closed: the product left the campaign"
	}
	return string(s)
}
