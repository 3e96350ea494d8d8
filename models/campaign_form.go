package models

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// CampaignForm is a campaign as a manager types it: every value a string,
// exactly as submitted, so the form can be shown again with its errors.
type CampaignForm struct {
	Name, Description, Benefits, Timezone            string
	Opens, Deadline, RunStart, RunEnd                string // datetime-local, in Timezone
	MinSPS                                           string
	AllowNoSPS, FreeShippingRequired                 bool
	MaxThreshold                                     string
	CouponsRequired                                  bool
	LookbackDays                                     string
	FeaturedMaxPct, FeaturedRecPct, FeaturedMinStock string
	RegularMaxPct, RegularRecPct, RegularMinStock    string
	ExtraDiscountAllowed                             bool
	ExtraDiscountMin                                 string
	ReviewRequired                                   bool
	WithdrawalReview                                 bool
	FeeRatePct, RefundPolicy                         string
	BuyerFloorPct                                    string // "" for no floor
	SubCampaigns                                     []SubCampaignForm
	Coupons                                          []CouponForm
}

// SubCampaignForm is one sub-campaign row of the form.
type SubCampaignForm struct{ Name, Start, End string }

// BlankRowMessage marks a sub-campaign or coupon row left empty: it is
// kept on the form, not dropped, so the manager decides.
const BlankRowMessage = "This row is empty: fill it in or remove it."

// Blank is a row with nothing typed in it.
func (s SubCampaignForm) Blank() bool {
	return strings.TrimSpace(s.Name+s.Start+s.End) == ""
}

// Blank is a coupon row with nothing typed in it: its type, targeting and
// shares are the template's defaults, so they do not count.
func (c CouponForm) Blank() bool {
	return strings.TrimSpace(c.Code+c.Value+c.MinPurchase+c.Cap+c.Segment+c.MaxSellerFunding+c.Quantity) == ""
}

// CouponForm is one coupon row of the form.
type CouponForm struct {
	Code, Type, Value, MinPurchase, Cap, Targeting, Segment string
	SellerPct, PlatformPct, MaxSellerFunding, Quantity      string
}

// Timezones managers choose from; dates are shown to sellers in it.
var Timezones = []string{
	"America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
	"America/Anchorage", "Pacific/Honolulu", "UTC",
}

// Bounds of the campaign form's repeated rows. Amounts and dates are held
// to the portal's limits (limits.go: MaxAmount, DateInRange), so a typo
// such as year 0001 or 9999 is refused, not stored.
const (
	MaxSubCampaigns = 50
	MaxCoupons      = 50
)

// DateTimeLayout is the value format of <input type="datetime-local">.
const DateTimeLayout = "2006-01-02T15:04"

// NewCampaignForm is the form a manager starts from, with the platform's
// defaults filled in.
func NewCampaignForm() CampaignForm {
	return CampaignForm{
		Timezone: "America/Los_Angeles", MinSPS: "3.5", AllowNoSPS: true, FreeShippingRequired: true,
		MaxThreshold: "30.00", CouponsRequired: true, LookbackDays: "30",
		FeaturedMaxPct: "85", FeaturedRecPct: "80", FeaturedMinStock: "10",
		RegularMaxPct: "100", RegularRecPct: "95", RegularMinStock: "3",
		ExtraDiscountAllowed: true, ExtraDiscountMin: "5", ReviewRequired: true,
		FeeRatePct: "1", RefundPolicy: string(RefundInFull),
		SubCampaigns: []SubCampaignForm{{}},
		Coupons:      []CouponForm{{Type: string(CouponPercent), Targeting: "all", SellerPct: "50", PlatformPct: "50"}},
	}
}

// FormFromCampaign fills the form from a saved campaign, for editing.
func FormFromCampaign(c Campaign) CampaignForm {
	loc := c.Location()
	dt := func(t time.Time) string { return t.In(loc).Format(DateTimeLayout) }
	f := CampaignForm{
		Name: c.Name, Description: c.Description, Benefits: strings.Join(c.Benefits, "\n"), Timezone: c.Timezone,
		Opens: dt(c.RegistrationOpensAt), Deadline: dt(c.RegistrationDeadline), RunStart: dt(c.RunStartsAt), RunEnd: dt(c.RunEndsAt),
		MinSPS: c.MinSPS.String(), AllowNoSPS: c.AllowNoSPS, FreeShippingRequired: c.FreeShippingRequired,
		CouponsRequired: c.CouponsMustBeAccepted, LookbackDays: fmt.Sprint(c.LookbackDays),
		ExtraDiscountAllowed: c.ExtraDiscountAllowed, ReviewRequired: c.ReviewRequired, WithdrawalReview: c.WithdrawalReview,
		FeeRatePct: c.FeeRate.Mul(hundred).String(), RefundPolicy: string(c.FeeRefundPolicy),
	}
	if c.BuyerPriceFloorPct.Valid {
		f.BuyerFloorPct = c.BuyerPriceFloorPct.Decimal.String()
	}
	if c.MaxFreeShippingThreshold.Valid {
		f.MaxThreshold = c.MaxFreeShippingThreshold.Decimal.StringFixed(2)
	}
	if c.ExtraDiscountMinPct.Valid {
		f.ExtraDiscountMin = c.ExtraDiscountMinPct.Decimal.String()
	}
	if t, ok := c.Tier(TierFeatured); ok {
		f.FeaturedMaxPct, f.FeaturedRecPct, f.FeaturedMinStock = t.MaxPricePct.String(), t.RecommendedPct.String(), fmt.Sprint(t.MinStock)
	}
	if t, ok := c.Tier(TierRegular); ok {
		f.RegularMaxPct, f.RegularRecPct, f.RegularMinStock = t.MaxPricePct.String(), t.RecommendedPct.String(), fmt.Sprint(t.MinStock)
	}
	for _, s := range c.SubCampaigns {
		f.SubCampaigns = append(f.SubCampaigns, SubCampaignForm{Name: s.Name, Start: dt(s.StartsAt), End: dt(s.EndsAt)})
	}
	for _, cp := range c.Coupons {
		row := CouponForm{Code: cp.Code, Type: string(cp.DiscountType), Value: cp.Value.String(),
			MinPurchase: cp.MinPurchase.StringFixed(2), Targeting: cp.Targeting, Segment: cp.SegmentName,
			SellerPct: cp.SellerSharePct.String(), PlatformPct: cp.PlatformSharePct.String(), Quantity: fmt.Sprint(cp.TotalQuantity)}
		if cp.DiscountType == CouponFixed {
			row.Value = cp.Value.StringFixed(2)
		}
		if cp.Cap.Valid {
			row.Cap = cp.Cap.Decimal.StringFixed(2)
		}
		if cp.MaxSellerFunding.Valid {
			row.MaxSellerFunding = cp.MaxSellerFunding.Decimal.StringFixed(2)
		}
		f.Coupons = append(f.Coupons, row)
	}
	return f
}

var couponCode = regexp.MustCompile(`^[A-Z0-9-]{3,32}$`)

// formParser collects one message per field while reading the form.
type formParser struct{ v ValidationError }

func (p *formParser) amount(field, s string, positive bool) decimal.Decimal {
	if strings.TrimSpace(s) == "" {
		p.v.Add(field, "Enter an amount.")
		return decimal.Zero
	}
	d, err := ParseAmount(s)
	switch {
	case err != nil:
		p.v.Add(field, err.Error())
	case positive && !d.IsPositive():
		p.v.Add(field, "Must be more than $0.00.")
	case d.IsNegative():
		p.v.Add(field, "Enter an amount of $0.00 or more.")
	case d.GreaterThan(MaxAmount): // the column's limit (numeric(12,2))
		p.v.Add(field, fmt.Sprintf("Enter an amount of at most $%s.", GroupThousands(MaxAmount.StringFixed(2))))
		d = decimal.Zero
	}
	return d
}

func (p *formParser) optionalAmount(field, s string) decimal.NullDecimal {
	if strings.TrimSpace(s) == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(p.amount(field, s, false))
}

// percent reads a percentage in [min, max] (minOpen: min itself refused).
func (p *formParser) percent(field, s string, min, max float64, minOpen bool) decimal.Decimal {
	if strings.TrimSpace(s) == "" {
		p.v.Add(field, "Enter a percentage.")
		return decimal.Zero
	}
	d, err := ParsePercent(s)
	if err != nil {
		p.v.Add(field, err.Error())
		return d
	}
	lo, hi := decimal.NewFromFloat(min), decimal.NewFromFloat(max)
	if d.LessThan(lo) || (minOpen && d.Equal(lo)) || d.GreaterThan(hi) {
		op := "from"
		if minOpen {
			op = "more than"
		}
		p.v.Add(field, fmt.Sprintf("Enter a percentage %s %s up to %s.", op, lo.String(), hi.String()))
	}
	return d
}

func (p *formParser) count(field, s string, min, max int) int {
	n, err := ParseCount(s)
	if err != nil {
		p.v.Add(field, err.Error())
		return 0
	}
	if n < min || n > max {
		p.v.Add(field, fmt.Sprintf("Enter a whole number from %d to %d.", min, max))
	}
	return n
}

func (p *formParser) when(field, s string, loc *time.Location) time.Time {
	if strings.TrimSpace(s) == "" {
		p.v.Add(field, "Choose a date and time.")
		return time.Time{}
	}
	t, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(s), loc)
	if err != nil {
		p.v.Add(field, "Choose a date and time.")
		return time.Time{}
	}
	if !DateInRange(t) {
		p.v.Add(field, fmt.Sprintf("Choose a date in the years %d to %d.", EarliestDate.Year(), LatestDate.Year()-1))
		return time.Time{}
	}
	return t
}

// Parse validates the whole form and builds the campaign it describes.
// Every problem is reported against its field; nothing is half-valid.
func (f CampaignForm) Parse() (Campaign, error) {
	p := &formParser{}
	c := Campaign{Benefits: StringList{}}

	c.Name = strings.TrimSpace(f.Name)
	switch n := len([]rune(c.Name)); {
	case n == 0:
		p.v.Add("name", "Give the campaign a name.")
	case n > 120:
		p.v.Add("name", "Keep the name under 120 characters.")
	}
	c.Description = strings.TrimSpace(f.Description)
	if len([]rune(c.Description)) > 2000 {
		p.v.Add("description", "Keep the description under 2,000 characters.")
	}
	for _, line := range strings.Split(f.Benefits, "\n") {
		if line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-•*")); line != "" {
			c.Benefits = append(c.Benefits, line)
		}
	}
	if len(c.Benefits) > 8 {
		p.v.Add("benefits", "List at most 8 benefits, one per line.")
	}
	for _, b := range c.Benefits {
		if len([]rune(b)) > 200 {
			p.v.Add("benefits", "Keep each benefit under 200 characters.")
		}
	}

	loc := time.UTC
	if !contains(Timezones, f.Timezone) {
		p.v.Add("timezone", "Choose a timezone from the list.")
	} else {
		loc, _ = time.LoadLocation(f.Timezone)
		c.Timezone = f.Timezone
	}
	c.RegistrationOpensAt = p.when("opens", f.Opens, loc)
	c.RegistrationDeadline = p.when("deadline", f.Deadline, loc)
	c.RunStartsAt = p.when("run_start", f.RunStart, loc)
	c.RunEndsAt = p.when("run_end", f.RunEnd, loc)
	if _, bad := p.v.Fields["opens"]; !bad && !c.RegistrationDeadline.IsZero() && !c.RegistrationDeadline.After(c.RegistrationOpensAt) {
		p.v.Add("deadline", "The deadline must come after registration opens.")
	}
	if !c.RunStartsAt.IsZero() && !c.RegistrationDeadline.IsZero() && c.RegistrationDeadline.After(c.RunStartsAt) {
		p.v.Add("deadline", "The deadline must be on or before the campaign starts.")
	}
	if !c.RunEndsAt.IsZero() && !c.RunStartsAt.IsZero() && !c.RunEndsAt.After(c.RunStartsAt) {
		p.v.Add("run_end", "The campaign must end after it starts.")
	}

	switch n := len(f.SubCampaigns); {
	case n == 0:
		p.v.Add("subs", "Add at least one sub-campaign.")
	case n > MaxSubCampaigns:
		p.v.Add("subs", fmt.Sprintf("A campaign has at most %d sub-campaigns; this one has %d. Remove %d.", MaxSubCampaigns, n, n-MaxSubCampaigns))
	}
	seenSub := map[string]bool{}
	for i, s := range f.SubCampaigns {
		key := fmt.Sprintf("subs.%d.", i)
		sc := SubCampaign{Name: strings.TrimSpace(s.Name), Position: i}
		if s.Blank() {
			p.v.Add(key+"name", BlankRowMessage)
			c.SubCampaigns = append(c.SubCampaigns, sc)
			continue
		}
		if sc.Name == "" {
			p.v.Add(key+"name", "Name the sub-campaign.")
		} else if seenSub[strings.ToLower(sc.Name)] {
			p.v.Add(key+"name", "Two sub-campaigns have this name.")
		}
		seenSub[strings.ToLower(sc.Name)] = true
		sc.StartsAt = p.when(key+"start", s.Start, loc)
		sc.EndsAt = p.when(key+"end", s.End, loc)
		if !sc.StartsAt.IsZero() && !sc.EndsAt.IsZero() {
			if !sc.EndsAt.After(sc.StartsAt) {
				p.v.Add(key+"end", "It must end after it starts.")
			}
			if !c.RunStartsAt.IsZero() && !c.RunEndsAt.IsZero() && (sc.StartsAt.Before(c.RunStartsAt) || sc.EndsAt.After(c.RunEndsAt)) {
				p.v.Add(key+"start", "Sub-campaign dates must lie inside the campaign's run.")
			}
		}
		c.SubCampaigns = append(c.SubCampaigns, sc)
	}

	c.MinSPS = p.percent("min_sps", f.MinSPS, 0, 5, false)
	if _, bad := p.v.Fields["min_sps"]; bad {
		p.v.Fields["min_sps"] = "Enter a score from 0 to 5, like 3.5."
	}
	c.AllowNoSPS = f.AllowNoSPS
	c.FreeShippingRequired = f.FreeShippingRequired
	if f.FreeShippingRequired {
		c.MaxFreeShippingThreshold = decimal.NewNullDecimal(p.amount("max_threshold", f.MaxThreshold, false))
	} else if strings.TrimSpace(f.MaxThreshold) != "" {
		c.MaxFreeShippingThreshold = p.optionalAmount("max_threshold", f.MaxThreshold)
	}
	c.CouponsMustBeAccepted = f.CouponsRequired
	c.LookbackDays = p.count("lookback_days", f.LookbackDays, 1, 365)

	for _, t := range []struct {
		tier                       Tier
		prefix, max, rec, minStock string
	}{
		{TierFeatured, "featured", f.FeaturedMaxPct, f.FeaturedRecPct, f.FeaturedMinStock},
		{TierRegular, "regular", f.RegularMaxPct, f.RegularRecPct, f.RegularMinStock},
	} {
		ct := CampaignTier{Tier: t.tier}
		ct.MaxPricePct = p.percent(t.prefix+"_max_pct", t.max, 0, 100, true)
		ct.RecommendedPct = p.percent(t.prefix+"_rec_pct", t.rec, 0, 100, true)
		if _, bad := p.v.Fields[t.prefix+"_rec_pct"]; !bad && ct.RecommendedPct.GreaterThan(ct.MaxPricePct) {
			p.v.Add(t.prefix+"_rec_pct", "The recommended price must be within the tier's maximum.")
		}
		ct.MinStock = p.count(t.prefix+"_min_stock", t.minStock, 1, 1_000_000)
		c.Tiers = append(c.Tiers, ct)
	}
	if ft, ok := c.Tier(TierFeatured); ok {
		if rt, ok := c.Tier(TierRegular); ok && ft.MaxPricePct.GreaterThan(rt.MaxPricePct) {
			p.v.Add("featured_max_pct", "Featured must be at least as strict as Regular.")
		}
	}

	c.ExtraDiscountAllowed = f.ExtraDiscountAllowed
	if f.ExtraDiscountAllowed {
		c.ExtraDiscountMinPct = decimal.NewNullDecimal(p.percent("extra_discount_min", f.ExtraDiscountMin, 0, 99.99, true))
	}
	c.ReviewRequired = f.ReviewRequired
	if strings.TrimSpace(f.BuyerFloorPct) != "" {
		c.BuyerPriceFloorPct = decimal.NewNullDecimal(p.percent("buyer_floor_pct", f.BuyerFloorPct, 0, 100, true))
	}
	c.WithdrawalReview = f.WithdrawalReview
	feePct := p.percent("fee_rate", f.FeeRatePct, 0, 99.99, false)
	c.FeeRate = feePct.Div(hundred)
	switch FeeRefundPolicy(f.RefundPolicy) {
	case RefundInFull, NoRefund:
		c.FeeRefundPolicy = FeeRefundPolicy(f.RefundPolicy)
	default:
		p.v.Add("refund_policy", "Choose a refund policy.")
	}

	if n := len(f.Coupons); n > MaxCoupons {
		p.v.Add("coupons", fmt.Sprintf("A campaign has at most %d coupons; this one has %d. Remove %d.", MaxCoupons, n, n-MaxCoupons))
	}
	seenCode := map[string]bool{}
	for i, cf := range f.Coupons {
		if cf.Blank() {
			p.v.Add(fmt.Sprintf("coupons.%d.code", i), BlankRowMessage)
			continue
		}
		c.Coupons = append(c.Coupons, p.coupon(i, cf, seenCode))
	}
	if c.CoFunded() && !c.ReviewRequired {
		p.v.Add("review_required", "Campaigns with co-funded coupons need review: sellers' costs depend on it.")
	}
	if err := p.v.OrNil(); err != nil {
		return c, err
	}
	return c, nil
}

func (p *formParser) coupon(i int, cf CouponForm, seen map[string]bool) Coupon {
	key := fmt.Sprintf("coupons.%d.", i)
	cp := Coupon{Code: strings.ToUpper(strings.TrimSpace(cf.Code)), Targeting: cf.Targeting,
		SegmentName: strings.TrimSpace(cf.Segment)}
	switch {
	case !couponCode.MatchString(cp.Code):
		p.v.Add(key+"code", "Use 3 to 32 letters, digits or dashes, like BFCM-20PCT.")
	case seen[cp.Code]:
		p.v.Add(key+"code", "Two coupons have this code.")
	}
	seen[cp.Code] = true
	switch CouponType(cf.Type) {
	case CouponFixed:
		cp.DiscountType = CouponFixed
		cp.Value = p.amount(key+"value", cf.Value, true)
	case CouponPercent:
		cp.DiscountType = CouponPercent
		cp.Value = p.percent(key+"value", cf.Value, 0, 99.99, true)
	default:
		p.v.Add(key+"type", "Choose $ off or % off.")
	}
	cp.MinPurchase = decimal.Zero
	if strings.TrimSpace(cf.MinPurchase) != "" {
		cp.MinPurchase = p.amount(key+"min", cf.MinPurchase, false)
	}
	if strings.TrimSpace(cf.Cap) != "" {
		if cp.DiscountType != CouponPercent {
			p.v.Add(key+"cap", "A cap applies to percentage coupons only.")
		} else {
			cp.Cap = decimal.NewNullDecimal(p.amount(key+"cap", cf.Cap, true))
		}
	}
	if cp.DiscountType == CouponFixed && cp.MinPurchase.IsPositive() && cp.Value.GreaterThan(cp.MinPurchase) {
		p.v.Add(key+"value", "A fixed discount cannot exceed the minimum purchase.")
	}
	switch cf.Targeting {
	case "all":
		cp.SegmentName = ""
	case "segment":
		if cp.SegmentName == "" {
			p.v.Add(key+"segment", "Name the customer segment.")
		}
	default:
		p.v.Add(key+"targeting", "Choose who can use the coupon.")
	}
	cp.SellerSharePct = p.percent(key+"seller_pct", cf.SellerPct, 0, 100, false)
	cp.PlatformSharePct = p.percent(key+"platform_pct", cf.PlatformPct, 0, 100, false)
	_, badS := p.v.Fields[key+"seller_pct"]
	_, badP := p.v.Fields[key+"platform_pct"]
	if !badS && !badP && !cp.SellerSharePct.Add(cp.PlatformSharePct).Equal(hundred) {
		p.v.Add(key+"platform_pct", "Seller and platform shares must add up to 100%.")
	}
	if strings.TrimSpace(cf.MaxSellerFunding) != "" {
		if !cp.SellerSharePct.IsPositive() {
			p.v.Add(key+"max_funding", "Only a co-funded coupon has a maximum seller funding.")
		} else {
			cp.MaxSellerFunding = p.optionalAmount(key+"max_funding", cf.MaxSellerFunding)
		}
	}
	cp.TotalQuantity = p.count(key+"quantity", cf.Quantity, 1, 10_000_000)
	return cp
}

// CheckSchedule holds the rules that depend on the moment of saving: a
// campaign cannot be published with its registration deadline already
// passed, and a published campaign's past cannot be rewritten.
func CheckSchedule(next Campaign, current *Campaign, now time.Time) error {
	v := &ValidationError{}
	if !next.RegistrationDeadline.After(now) {
		v.Add("deadline", "The deadline has already passed; choose a later one.")
	}
	if current != nil && current.Status == CampaignPublished {
		opened := !now.Before(current.RegistrationOpensAt)
		if opened && !SameMinute(next.RegistrationOpensAt, current.RegistrationOpensAt) {
			v.Add("opens", "Registration has opened; its opening time cannot change.")
		}
		if !now.Before(current.RunStartsAt) && !SameMinute(next.RunStartsAt, current.RunStartsAt) {
			v.Add("run_start", "The campaign has started; its start cannot change.")
		}
		if opened && next.RegistrationDeadline.Before(current.RegistrationDeadline.Truncate(time.Minute)) {
			v.Add("deadline", "Sellers are registering: the deadline can move later, not earlier.")
		}
		codes := map[string]bool{}
		for _, cp := range next.Coupons {
			codes[cp.Code] = true
		}
		for i, cp := range current.Coupons {
			if !codes[cp.Code] {
				v.Add("coupons", fmt.Sprintf("Coupon %s was published and sellers accepted it; it cannot be removed (coupon %d).", cp.Code, i+1))
			}
		}
		for i, cp := range next.Coupons {
			for _, old := range current.Coupons {
				if old.Code == cp.Code && cp.TotalQuantity < old.ClaimedQuantity {
					v.Add(fmt.Sprintf("coupons.%d.quantity", i), fmt.Sprintf("Shoppers already claimed %d; the quantity cannot be lower.", old.ClaimedQuantity))
				}
			}
		}
	}
	return v.OrNil()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SameMinute compares two moments at the precision people enter them.
func SameMinute(a, b time.Time) bool { return a.Truncate(time.Minute).Equal(b.Truncate(time.Minute)) }
