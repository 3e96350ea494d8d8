package orders

import (
	"campaignportal/models"
	"time"

	"github.com/shopspring/decimal"
)

// Run is a sub-campaign's run, [StartsAt, EndsAt): the start is inside,
// the end is not.
type Run struct {
	StartsAt time.Time
	EndsAt   time.Time
}

// Contains reports whether t lies in the run.
func (r Run) Contains(t time.Time) bool { return !t.Before(r.StartsAt) && t.Before(r.EndsAt) }

// SKURegistration is what decides whether one registration of a SKU makes
// an order line a campaign line: the product's approval, the campaign's
// runs, the SKU error and the withdrawals, each with its moment.
type SKURegistration struct {
	RegistrationID int64
	CampaignID     int64
	CampaignName   string
	FeeRate        decimal.Decimal
	Policy         models.FeeRefundPolicy
	CampaignPrice  decimal.Decimal
	// RegisteredAt orders registrations for ties: the earliest wins.
	RegisteredAt time.Time
	// ApprovedAt is when the product entered the campaign (nil: never,
	// for example still pending or rejected).
	ApprovedAt *time.Time
	Runs       []Run
	SKUErrorAt *time.Time
	// WithdrawnAt are the moments withdrawals of the product (its own or
	// the whole campaign's) took effect.
	WithdrawnAt []time.Time
}

// NotCampaignReason says why an order line is not a campaign line.
type NotCampaignReason string

const (
	NotRegistered NotCampaignReason = "not_registered" // no registration of the SKU at all
	NotApproved   NotCampaignReason = "not_approved"   // pending, rejected, or approved after the order
	OutsideRun    NotCampaignReason = "outside_run"    // no sub-campaign was running
	InSKUError    NotCampaignReason = "sku_error"      // the SKU was in SKU error
	Withdrawn     NotCampaignReason = "withdrawn"      // a withdrawal took effect at or before the order
)

// LineCampaign is the verdict on one order line: its applicable campaign,
// or the reason it has none (with the moment behind it, if any).
type LineCampaign struct {
	CampaignID     int64                  `json:"campaign_id,omitempty"`
	CampaignName   string                 `json:"campaign_name,omitempty"`
	RegistrationID int64                  `json:"registration_id,omitempty"`
	Rate           decimal.Decimal        `json:"rate"`
	Policy         models.FeeRefundPolicy `json:"policy,omitempty"`
	CampaignPrice  decimal.Decimal        `json:"campaign_price"`

	Reason   NotCampaignReason `json:"reason,omitempty"`
	ReasonAt *time.Time        `json:"reason_at,omitempty"`
}

// IsCampaign reports whether the line is a campaign line.
func (l LineCampaign) IsCampaign() bool { return l.CampaignID != 0 }

// ReasonText is the reason in the seller's words.
func (l LineCampaign) ReasonText() string {
	at := ""
	if l.ReasonAt != nil {
		at = " " + l.ReasonAt.UTC().Format("Jan 2, 2006 15:04:05 UTC")
	}
	switch l.Reason {
	case NotRegistered:
		return "Not registered in a campaign"
	case NotApproved:
		return "Not approved when the order was placed"
	case OutsideRun:
		return "Outside the campaign's run"
	case InSKUError:
		return "In SKU error since" + at
	case Withdrawn:
		return "Withdrawn at" + at
	}
	return ""
}

// reasonRank orders the reasons by how far a registration got, so the
// seller reads the most telling one.
var reasonRank = map[NotCampaignReason]int{NotRegistered: 0, NotApproved: 1, OutsideRun: 2, InSKUError: 3, Withdrawn: 4}

// ApplicableCampaign decides whether an order line placed at placedAt is a
// campaign line and which campaign applies. A registration counts when the
// product was approved at or before placedAt, one of the campaign's runs
// contains placedAt, the SKU was not in SKU error at placedAt, and no
// withdrawal took effect between the approval and placedAt (inclusive: a
// withdrawal effective exactly at placedAt ends it). A withdrawal before
// the approval belongs to an earlier enrolment the approval replaced.
// Among the registrations that count, the lowest campaign price wins, then
// the earliest registration.
func ApplicableCampaign(regs []SKURegistration, placedAt time.Time) LineCampaign {
	best := -1
	out := LineCampaign{Reason: NotRegistered}
	for i, r := range regs {
		reason, at := registrationCounts(r, placedAt)
		if reason != "" {
			if best < 0 && reasonRank[reason] >= reasonRank[out.Reason] {
				out = LineCampaign{Reason: reason, ReasonAt: at}
			}
			continue
		}
		if best >= 0 {
			b := regs[best]
			switch r.CampaignPrice.Cmp(b.CampaignPrice) {
			case 1:
				continue
			case 0:
				if r.RegisteredAt.After(b.RegisteredAt) || (r.RegisteredAt.Equal(b.RegisteredAt) && r.RegistrationID > b.RegistrationID) {
					continue
				}
			}
		}
		best = i
	}
	if best < 0 {
		return out
	}
	r := regs[best]
	return LineCampaign{CampaignID: r.CampaignID, CampaignName: r.CampaignName, RegistrationID: r.RegistrationID,
		Rate: r.FeeRate, Policy: r.Policy, CampaignPrice: r.CampaignPrice}
}

// registrationCounts returns "" when the registration makes the line a
// campaign line at placedAt, or the reason it does not.
func registrationCounts(r SKURegistration, placedAt time.Time) (NotCampaignReason, *time.Time) {
	if r.ApprovedAt == nil || r.ApprovedAt.After(placedAt) {
		return NotApproved, nil
	}
	inRun := false
	for _, run := range r.Runs {
		if run.Contains(placedAt) {
			inRun = true
			break
		}
	}
	if !inRun {
		return OutsideRun, nil
	}
	for _, w := range r.WithdrawnAt {
		if !w.After(placedAt) && !w.Before(*r.ApprovedAt) {
			at := w
			return Withdrawn, &at
		}
	}
	if r.SKUErrorAt != nil && !r.SKUErrorAt.After(placedAt) {
		at := *r.SKUErrorAt
		return InSKUError, &at
	}
	return "", nil
}
