package routes

import (
	"net/url"
	"strconv"
)

// Withdrawal review: patterns. The reviewer's queue is the third tab of the
// review queue; the seller cancels a request from the Manage page.
const (
	ReviewWithdrawals                   = "/review/withdrawals"
	ReviewWithdrawalDecisionPattern     = "/review/withdrawals/:id/decision"
	RegistrationWithdrawalCancelPattern = "/registrations/:id/withdrawals/:wid/cancel"
)

// ReviewWithdrawalDecision records a reviewer's decision on a withdrawal request.
func ReviewWithdrawalDecision(id int64) string { return Fill(ReviewWithdrawalDecisionPattern, id) }

// ReviewWithdrawalsWith is the withdrawal queue under a filter.
func ReviewWithdrawalsWith(q url.Values) string {
	if len(q) == 0 {
		return ReviewWithdrawals
	}
	return ReviewWithdrawals + "?" + q.Encode()
}

// ReviewWithdrawalsAfterDecision is the queue saying what was just decided.
func ReviewWithdrawalsAfterDecision(id int64, decision string) string {
	return ReviewWithdrawalsWith(url.Values{"decided": {strconv.FormatInt(id, 10)}, "decision": {decision}})
}

// RegistrationWithdrawalCancel takes back a seller's withdrawal request.
func RegistrationWithdrawalCancel(regID, withdrawalID int64) string {
	return Fill(RegistrationWithdrawalCancelPattern, regID, withdrawalID)
}
