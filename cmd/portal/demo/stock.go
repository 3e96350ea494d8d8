package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Campaign stock: what Maple registered of each SKU for a campaign is all
// it sells of it at the campaign price there. The demo orders draw on it
// as they are planned (the showcase orders first, then the history, then
// the random orders), in a fixed order from fixed seeds, so a second run
// plans the same orders. A customer picks one of a campaign's SKUs by its
// popularity and by what is left of it: the more that is left, the likelier
// it is picked, so the best sellers sell through most of their stock and
// the others less, and a line never takes more than is left.

// stockLeft is one registered SKU's campaign stock in one campaign.
type stockLeft struct {
	from, to   time.Time // the campaign's run
	left       int
	popularity float64 // 0.15 to 1
}

// campaignStock is every ended campaign's registered SKUs, by SKU code.
type campaignStock struct {
	bySKU map[string][]*stockLeft
}

// newCampaignStock reads each plan's registered SKUs and campaign stock;
// the SKUs' popularity comes from a seed of its own.
func newCampaignStock(plans []salesPlan) *campaignStock {
	rng := rand.New(rand.NewPCG(2026, 1031))
	cs := &campaignStock{bySKU: map[string][]*stockLeft{}}
	for _, p := range plans {
		for i, sku := range p.skus {
			s := &stockLeft{from: p.from, to: p.to, left: p.stock[i], popularity: 0.15 + 0.85*rng.Float64()}
			cs.bySKU[sku.Code] = append(cs.bySKU[sku.Code], s)
		}
	}
	return cs
}

// at is the campaign stock a line of code placed then draws on: nil when
// it is no campaign line (no campaign of the SKU runs then).
func (cs *campaignStock) at(code string, placed time.Time) *stockLeft {
	for _, s := range cs.bySKU[code] {
		if !placed.Before(s.from) && placed.Before(s.to) {
			return s
		}
	}
	return nil
}

// pick chooses a SKU of pool for a line placed then: by popularity and
// what is left when the pool's SKUs are in a campaign running then (false
// when all of them are sold out), any of them alike otherwise.
func (cs *campaignStock) pick(rng *rand.Rand, pool []demoSKU, placed time.Time) (demoSKU, bool) {
	total := 0.0
	weights := make([]float64, len(pool))
	inCampaign := false
	for i, sku := range pool {
		if s := cs.at(sku.Code, placed); s != nil {
			inCampaign = true
			weights[i] = float64(s.left) * s.popularity
			total += weights[i]
		}
	}
	if !inCampaign {
		return pool[rng.IntN(len(pool))], true
	}
	if total <= 0 {
		return demoSKU{}, false
	}
	r := rng.Float64() * total
	for i, w := range weights {
		if w > 0 && r < w {
			return pool[i], true
		}
		r -= w
	}
	for i := len(pool) - 1; i >= 0; i-- { // rounding: the last SKU with stock
		if weights[i] > 0 {
			return pool[i], true
		}
	}
	return demoSKU{}, false
}

// take draws qty units of code for a line placed then and returns how
// many the line gets: qty, or what is left of a campaign SKU's stock.
func (cs *campaignStock) take(code string, placed time.Time, qty int) int {
	s := cs.at(code, placed)
	if s == nil {
		return qty
	}
	if qty > s.left {
		qty = s.left
	}
	s.left -= qty
	return qty
}

// spend draws fixed orders' campaign lines (the showcase's) from the stock;
// an error when a line needs more than is left.
func (cs *campaignStock) spend(orders []plannedOrder) error {
	for _, o := range orders {
		for _, l := range o.body.Lines {
			s := cs.at(l.SKU, o.body.PlacedAt)
			if s == nil {
				continue
			}
			if l.Quantity > s.left {
				return fmt.Errorf("demo order %s: %d units of %s, only %d of its campaign stock left", o.body.OrderID, l.Quantity, l.SKU, s.left)
			}
			s.left -= l.Quantity
		}
	}
	return nil
}
