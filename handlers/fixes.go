package handlers

import (
	"fmt"
	"time"

	"campaignportal/models"
	"campaignportal/views"
)

// fixView is a rule's fix as a button that puts the value into the field
// (id target) and saves it through the field's own save.
func fixView(f *models.Fix, target string) *views.FixView {
	if f == nil {
		return nil
	}
	return &views.FixView{Target: target, Value: f.Value, Label: f.Label}
}

// MemoryText says what a campaign price does to the SKU's future floor:
// the last day it holds, in the campaign's timezone.
func MemoryText(m models.PriceMemory, camp models.Campaign) string {
	last := m.Until.Add(-time.Nanosecond).In(camp.Location())
	return fmt.Sprintf("Until %s your %d-day floor will be %s (it is %s without this campaign).",
		last.Format("Jan 2, 2006"), m.Days, views.Money(m.Floor), views.Money(m.Before))
}
