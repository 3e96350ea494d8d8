package routes

import (
	"net/url"
	"strconv"
)

// Reviewing price edits: patterns. The queue is the second tab of the
// reviewer's queue.
const (
	ReviewPriceEdits               = "/review/price-edits"
	ReviewPriceEditDecisionPattern = "/review/price-edits/:id/decision"
	ReviewPriceEditsBulkApprove    = "/review/price-edits/bulk-approve"
)

// ReviewPriceEditDecision records a reviewer's decision on a price edit request.
func ReviewPriceEditDecision(id int64) string {
	return Fill(ReviewPriceEditDecisionPattern, id)
}

// ReviewPriceEditsAfterDecision is the price edit queue saying what was just decided.
func ReviewPriceEditsAfterDecision(id int64, decision string) string {
	v := url.Values{"decided": {strconv.FormatInt(id, 10)}, "decision": {decision}}
	return ReviewPriceEdits + "?" + v.Encode()
}

// ReviewPriceEditsAfterBulk is the price edit queue saying how many were approved at once.
func ReviewPriceEditsAfterBulk(approved int) string {
	return ReviewPriceEdits + "?" + url.Values{"approved": {strconv.Itoa(approved)}}.Encode()
}
