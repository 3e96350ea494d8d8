package views

// NavReviewWithdrawals marks "Withdrawals" in the reviewer's navigation.
const NavReviewWithdrawals = "review-withdrawals"

// ReviewTabWithdrawals is the reviewer queue's withdrawal tab.
const ReviewTabWithdrawals = "withdrawals"

// WithdrawalQueueRow is one withdrawal request in the reviewer's queue.
type WithdrawalQueueRow struct {
	ID          int64
	Shop        string
	Campaign    string
	Product     string
	PID         string
	Kind        string
	RequestedBy string
	Requested   TimeText
	Due         TimeText
	Overdue     bool
	DecisionURL string
}

// WithdrawalDecisionRow is one decided withdrawal request in the audit list.
type WithdrawalDecisionRow struct {
	When      string
	Who       string
	Shop      string
	Campaign  string
	Product   string
	Kind      string
	Requested string
	Decision  string
	Tone      string
	Reason    string
}

// WithdrawalQueueView is the withdrawal tab of the reviewer's queue.
type WithdrawalQueueView struct {
	Tabs        []ReviewTab
	Rows        []WithdrawalQueueRow
	Total       int
	Page        int
	Pages       int
	PrevURL     string
	NextURL     string
	Campaigns   []FilterOption
	Kinds       []FilterOption
	Shop        string
	Kind        string
	ClearURL    string
	ServiceDays int
	Notice      string
	Reasons     []ReasonOption
	Form        PriceEditForm // the decision sent, kept when it comes back with errors
	Errors      map[string]string
	Conflict    string
	Recent      []WithdrawalDecisionRow
}

// FieldErr is the message for a field of the request's form, when that
// form was the one sent.
func (v WithdrawalQueueView) FieldErr(id int64, key string) string {
	if v.Form.RequestID != id {
		return ""
	}
	return v.Errors[key]
}

// Value is what the request's decline form carried for a field.
func (v WithdrawalQueueView) Value(id int64, key string) string {
	return PriceEditQueueView{Form: v.Form}.Value(id, key)
}

// DeclineOpen keeps a row's decline form open when it came back with errors.
func (v WithdrawalQueueView) DeclineOpen(id int64) bool {
	return v.Form.RequestID == id && v.Form.Decision == "rejected" && len(v.Errors) > 0
}
