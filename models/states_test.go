package models

import (
	"errors"
	"testing"
)

func TestProductStateMachine(t *testing.T) {
	t.Parallel()
	all := []ProductStatus{ProductDraft, ProductPending, ProductRegistered, ProductRejected, ProductWithdrawn, ProductSKUError}
	events := []ProductEvent{EventSubmitReviewed, EventSubmitDirect, EventApprove, EventReject, EventWithdraw, EventSKUEdited, EventReRegister}
	allowed := map[ProductStatus]map[ProductEvent]ProductStatus{
		ProductDraft:      {EventSubmitReviewed: ProductPending, EventSubmitDirect: ProductRegistered},
		ProductPending:    {EventApprove: ProductRegistered, EventReject: ProductRejected, EventWithdraw: ProductWithdrawn, EventSKUEdited: ProductSKUError},
		ProductRegistered: {EventWithdraw: ProductWithdrawn, EventSKUEdited: ProductSKUError},
		ProductSKUError:   {EventWithdraw: ProductWithdrawn, EventSKUEdited: ProductSKUError},
		ProductRejected:   {EventReRegister: ProductDraft},
		ProductWithdrawn:  {EventReRegister: ProductDraft},
	}
	// Every status × every event: allowed ones lead where the table says,
	// all others are refused with a conflict.
	for _, from := range all {
		for _, ev := range events {
			to, err := NextProductStatus(from, ev)
			want, ok := allowed[from][ev]
			switch {
			case ok && (err != nil || to != want):
				t.Errorf("%s --%s--> %s, %v; want %s", from, ev, to, err, want)
			case !ok && (err == nil || !errors.Is(err, ErrConflict)):
				t.Errorf("%s --%s--> %s was allowed; want refused", from, ev, to)
			}
		}
	}
}

func TestPriceEditStateMachine(t *testing.T) {
	t.Parallel()
	statuses := []PriceEditStatus{EditUnderReview, EditApproved, EditRejected, EditReplaced, EditClosed}
	events := []PriceEditEvent{EditEventApprove, EditEventReject, EditEventReplace, EditEventClose}
	for _, from := range statuses {
		for _, ev := range events {
			to, err := NextPriceEditStatus(from, ev)
			if from == EditUnderReview {
				want := map[PriceEditEvent]PriceEditStatus{EditEventApprove: EditApproved, EditEventReject: EditRejected,
					EditEventReplace: EditReplaced, EditEventClose: EditClosed}[ev]
				if err != nil || to != want {
					t.Errorf("%s --%s--> %s, %v; want %s", from, ev, to, err, want)
				}
			} else if err == nil {
				t.Errorf("%s --%s--> %s was allowed; a decided request cannot change", from, ev, to)
			}
		}
	}
}
