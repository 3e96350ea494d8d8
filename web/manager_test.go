package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaignportal/models"
)

// formValues turns a campaign form into what the browser posts.
func formValues(f models.CampaignForm) url.Values {
	v := url.Values{}
	set := func(k, val string) { v.Set(k, val) }
	on := func(k string, b bool) {
		if b {
			v.Set(k, "1")
		}
	}
	set("name", f.Name)
	set("description", f.Description)
	set("benefits", f.Benefits)
	set("timezone", f.Timezone)
	set("opens", f.Opens)
	set("deadline", f.Deadline)
	set("run_start", f.RunStart)
	set("run_end", f.RunEnd)
	set("min_sps", f.MinSPS)
	on("allow_no_sps", f.AllowNoSPS)
	on("free_shipping_required", f.FreeShippingRequired)
	set("max_threshold", f.MaxThreshold)
	on("coupons_required", f.CouponsRequired)
	set("lookback_days", f.LookbackDays)
	set("featured_max_pct", f.FeaturedMaxPct)
	set("featured_rec_pct", f.FeaturedRecPct)
	set("featured_min_stock", f.FeaturedMinStock)
	set("regular_max_pct", f.RegularMaxPct)
	set("regular_rec_pct", f.RegularRecPct)
	set("regular_min_stock", f.RegularMinStock)
	on("extra_discount_allowed", f.ExtraDiscountAllowed)
	set("extra_discount_min", f.ExtraDiscountMin)
	on("review_required", f.ReviewRequired)
	set("fee_rate", f.FeeRatePct)
	set("refund_policy", f.RefundPolicy)
	for _, s := range f.SubCampaigns {
		v.Add("sub_name", s.Name)
		v.Add("sub_start", s.Start)
		v.Add("sub_end", s.End)
	}
	for _, c := range f.Coupons {
		v.Add("coupon_code", c.Code)
		v.Add("coupon_type", c.Type)
		v.Add("coupon_value", c.Value)
		v.Add("coupon_min", c.MinPurchase)
		v.Add("coupon_cap", c.Cap)
		v.Add("coupon_targeting", c.Targeting)
		v.Add("coupon_segment", c.Segment)
		v.Add("coupon_seller_pct", c.SellerPct)
		v.Add("coupon_platform_pct", c.PlatformPct)
		v.Add("coupon_max_funding", c.MaxSellerFunding)
		v.Add("coupon_quantity", c.Quantity)
	}
	return v
}

// springForm is a valid new campaign open from yesterday, in New York time.
func springForm() models.CampaignForm {
	ny, _ := time.LoadLocation("America/New_York")
	now := time.Now().In(ny)
	dt := func(days int) string { return now.AddDate(0, 0, days).Format(models.DateTimeLayout) }
	f := models.NewCampaignForm()
	f.Name, f.Description, f.Benefits, f.Timezone = "Spring Refresh", "Fresh deals.", "More traffic\nCampaign tag", "America/New_York"
	f.Opens, f.Deadline, f.RunStart, f.RunEnd = dt(-1), dt(5), dt(7), dt(14)
	f.SubCampaigns = []models.SubCampaignForm{{Name: "Spring Kickoff", Start: dt(7), End: dt(10)}, {Name: "Spring Finale", Start: dt(10), End: dt(14)}}
	f.Coupons = []models.CouponForm{
		{Code: "SPRING-20PCT", Type: "percent", Value: "20", MinPurchase: "100", Cap: "50", Targeting: "all", SellerPct: "50", PlatformPct: "50", MaxSellerFunding: "25", Quantity: "1000"},
		{Code: "SPRING-5OFF", Type: "fixed", Value: "5", MinPurchase: "30", Targeting: "segment", Segment: "Returning customers", SellerPct: "50", PlatformPct: "50", MaxSellerFunding: "2.50", Quantity: "5000"},
	}
	return f
}

var campaignURL = regexp.MustCompile(`^/manager/campaigns/(\d+)\?done=created$`)

func createCampaign(t *testing.T, b *browser, f models.CampaignForm) int64 {
	t.Helper()
	rec := b.post("/manager/campaigns/new", formValues(f))
	wantStatus(t, rec, http.StatusSeeOther)
	m := campaignURL.FindStringSubmatch(rec.Header().Get("Location"))
	if m == nil {
		t.Fatalf("create redirected to %q", rec.Header().Get("Location"))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

func revisionOf(t *testing.T, w *world, id int64) string {
	var rev int
	if err := w.db.Raw(`SELECT revision FROM campaigns WHERE id = ?`, id).Scan(&rev).Error; err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(rev)
}

func TestManagerCreatesPublishesAndSellersSeeIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	id := createCampaign(t, mgr, springForm())

	doc := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d", id)))
	if got := doc.Find(testid("state")).Text(); got != "Draft" {
		t.Errorf("state = %q, want Draft", got)
	}
	seller := w.browser()
	seller.signIn("seller@x.test")
	wantStatus(t, seller.get(fmt.Sprintf("/campaigns/%d", id)), http.StatusNotFound)
	if strings.Contains(seller.get("/campaigns").Body.String(), "Spring Refresh") {
		t.Fatal("sellers see a draft in their list")
	}
	// Preview shows the seller's page before publishing.
	doc = parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d/preview", id)))
	if doc.Find(testid("preview-banner")).Length() != 1 || doc.Find(testid("coupon-row")).Length() != 2 {
		t.Error("preview lacks the banner or the coupon table")
	}

	rec := mgr.post(fmt.Sprintf("/manager/campaigns/%d/publish", id), url.Values{"revision": {revisionOf(t, w, id)}})
	wantStatus(t, rec, http.StatusSeeOther)
	doc = parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d", id)))
	if got := doc.Find(testid("state")).Text(); got != "Open for registration" {
		t.Errorf("state after publishing = %q", got)
	}
	if n := doc.Find(testid("audit-entry")).Length(); n != 2 {
		t.Errorf("audit log has %d entries, want created + published", n)
	}
	if n := doc.Find(testid("versions-entry")).Length(); n != 1 {
		t.Errorf("versions = %d, want 1", n)
	}
	var snapshot string
	w.db.Raw(`SELECT snapshot->>'Name' FROM campaign_versions WHERE campaign_id = ? AND version = 1`, id).Scan(&snapshot)
	if snapshot != "Spring Refresh" {
		t.Errorf("version 1 snapshot name = %q", snapshot)
	}

	doc = parse(t, seller.get("/campaigns"))
	var row = doc.Find(testid("campaign-row")).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "Spring Refresh")
	})
	if row.Length() != 1 || row.Find(".chip").Length() != 2 {
		t.Fatalf("seller's open tab: %q", doc.Find(testid("campaign-list")).Text())
	}
	doc = parse(t, seller.get(fmt.Sprintf("/campaigns/%d", id)))
	rows := doc.Find(testid("coupon-row"))
	if rows.Length() != 2 {
		t.Fatalf("coupon rows = %d", rows.Length())
	}
	second := rows.Eq(1).Text()
	for _, want := range []string{"$5.00", "Returning customers", "$2.50 per order", "5000 of 5000"} {
		if !strings.Contains(second, want) {
			t.Errorf("second coupon row lacks %q: %q", want, second)
		}
	}
}

func TestManagerFormRefusesBadInputAndSavesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	var before int64
	w.db.Table("campaigns").Count(&before)
	f := springForm()
	f.Coupons[1].PlatformPct = "40"
	f.Deadline = f.Opens
	rec := mgr.post("/manager/campaigns/new", formValues(f), htmx)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	doc := parse(t, rec)
	if got := doc.Find("#coupon-1-platform_pct-error").Text(); !strings.Contains(got, "add up to 100%") {
		t.Errorf("ratio error next to the field = %q", got)
	}
	if got := doc.Find(testid("error-deadline")).Text(); !strings.Contains(got, "after registration opens") {
		t.Errorf("deadline error = %q", got)
	}
	if v, _ := doc.Find("#name").Attr("value"); v != "Spring Refresh" {
		t.Errorf("the form lost the name: %q", v)
	}
	if strings.Contains(rec.Body.String(), "<html") {
		t.Error("htmx got a whole page")
	}
	var after int64
	w.db.Table("campaigns").Count(&after)
	if after != before {
		t.Error("an invalid form saved a campaign")
	}
}

func TestManagerNewVersionIsShownToSellers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	seller := w.browser()
	seller.signIn("seller@x.test")
	reg := modeltestRegister(t, w, w.open.ID, w.maple.ID)

	m, err := models.NewStore(w.db).ManagedCampaign(t.Context(), w.open.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := models.FormFromCampaign(m.Campaign)
	rev := revisionOf(t, w, w.open.ID)
	doc := parse(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID)))
	if !strings.Contains(doc.Find(testid("save")).Text(), "Review changes") {
		t.Errorf("save button on a published campaign = %q", doc.Find(testid("save")).Text())
	}

	// Removing a published coupon is refused, with the reason.
	noCoupons := f
	noCoupons.Coupons = nil
	vals := formValues(noCoupons)
	vals.Set("revision", rev)
	rec := mgr.post(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID), vals)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(parse(t, rec).Find(testid("error-coupons")).Text(), "cannot be removed") {
		t.Error("removing a published coupon: no reason shown")
	}

	loc := m.Campaign.Location()
	f.Deadline = m.Campaign.RegistrationDeadline.Add(24 * time.Hour).In(loc).Format(models.DateTimeLayout)
	f.Coupons[0].Quantity = "2000"
	vals = formValues(f)
	vals.Set("revision", rev)
	// The first save only lists the changes and asks; nothing is published.
	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID), vals, htmx)
	wantStatus(t, rec, http.StatusOK)
	doc = parse(t, rec)
	changes := doc.Find(testid("pending-changes") + " li")
	if changes.Length() != 2 || !strings.Contains(changes.Text(), "Registration deadline") || !strings.Contains(changes.Text(), "quantity: 1000 → 2000") {
		t.Fatalf("change list before publishing = %q", changes.Text())
	}
	if got := doc.Find(testid("confirm-publish")).Text(); got != "Publish version 2" {
		t.Errorf("confirm button = %q", got)
	}
	if v := revisionOf(t, w, w.open.ID); v != rev {
		t.Fatalf("reviewing the changes saved something: revision %s → %s", rev, v)
	}
	digest, _ := doc.Find(`input[name=changes_digest]`).Attr("value")
	// A confirmation of another list (edited after reading it) is asked again.
	vals.Set("confirm", "1")
	vals.Set("changes_digest", "not-the-list-read")
	wantStatus(t, mgr.post(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID), vals, htmx), http.StatusOK)
	vals.Set("changes_digest", digest)
	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID), vals)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("new version refused: %s", parse(t, rec).Find(".field-error, "+testid("form-errors")).Text())
	}
	if loc := rec.Header().Get("Location"); loc != fmt.Sprintf("/manager/campaigns/%d?done=version", w.open.ID) {
		t.Errorf("publishing version 2 went to %q", loc)
	}
	if got := parse(t, mgr.get(rec.Header().Get("Location"))).Find(testid("flash")).Text(); !strings.Contains(got, "Version 2 published") {
		t.Errorf("flash after version 2 = %q", got)
	}

	// A second save from a stale form is a conflict, not a lost update.
	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID), vals)
	wantStatus(t, rec, http.StatusConflict)
	if !strings.Contains(rec.Body.String(), "Someone else saved this campaign") {
		t.Error("stale save: no explanation")
	}

	doc = parse(t, seller.get(fmt.Sprintf("/campaigns/%d", w.open.ID)))
	sellerChanges := doc.Find(testid("version-changes")).Text()
	for _, want := range []string{"changed since you registered", "Registration deadline", "quantity: 1000 → 2000"} {
		if !strings.Contains(sellerChanges, want) {
			t.Errorf("seller's change list lacks %q: %q", want, sellerChanges)
		}
	}
	// Another shop cannot confirm Maple's registration.
	other := w.browser()
	other.signIn("seller2@x.test")
	wantStatus(t, other.post(fmt.Sprintf("/registrations/%d/confirm-version", reg), nil), http.StatusNotFound)
	rec = seller.post(fmt.Sprintf("/registrations/%d/confirm-version", reg), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	var version int
	w.db.Raw(`SELECT campaign_version FROM registrations WHERE id = ?`, reg).Scan(&version)
	if version != 2 {
		t.Errorf("registration version after confirming = %d, want 2", version)
	}
	doc = parse(t, seller.get(fmt.Sprintf("/campaigns/%d", w.open.ID)))
	if doc.Find(testid("confirm-version")).Length() != 0 {
		t.Error("still asked to confirm after confirming")
	}
}

func modeltestRegister(t *testing.T, w *world, campaignID, shopID int64) int64 {
	t.Helper()
	var id int64
	if err := w.db.Raw(`INSERT INTO registrations (campaign_id, shop_id, status, campaign_version, submitted_at) VALUES (?, ?, 'registered', 1, now()) RETURNING id`,
		campaignID, shopID).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func TestManagerClosesAndDuplicates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	rec := mgr.post(fmt.Sprintf("/manager/campaigns/%d/close", w.open.ID), url.Values{"revision": {revisionOf(t, w, w.open.ID)}})
	wantStatus(t, rec, http.StatusSeeOther)
	seller := w.browser()
	seller.signIn("seller@x.test")
	if !strings.Contains(parse(t, seller.get("/campaigns?tab=ended")).Find(testid("campaign-list")).Text(), "Black Friday") {
		t.Error("a closed campaign is not in the seller's Ended tab")
	}
	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/close", w.open.ID), url.Values{"revision": {revisionOf(t, w, w.open.ID)}})
	wantStatus(t, rec, http.StatusConflict)
	wantStatus(t, mgr.get(fmt.Sprintf("/manager/campaigns/%d/edit", w.open.ID)), http.StatusConflict)
	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/publish", w.open.ID), url.Values{"revision": {revisionOf(t, w, w.open.ID)}})
	wantStatus(t, rec, http.StatusConflict)

	rec = mgr.post(fmt.Sprintf("/manager/campaigns/%d/duplicate", w.open.ID), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	var copy models.Campaign
	w.db.Order("id DESC").Take(&copy)
	if copy.Status != models.CampaignDraft || copy.Name != "Black Friday & Cyber Monday (copy)" ||
		!copy.RunStartsAt.Equal(w.open.RunStartsAt.AddDate(1, 0, 0)) || copy.DuplicatedFrom == nil {
		t.Errorf("duplicate = %+v", copy)
	}
	if loc := rec.Header().Get("Location"); loc != fmt.Sprintf("/manager/campaigns/%d/edit?done=duplicated", copy.ID) {
		t.Errorf("duplicate opened %q", loc)
	}
	var claimed int
	w.db.Raw(`SELECT coalesce(sum(claimed_quantity), -1) FROM coupons WHERE campaign_id = ?`, copy.ID).Scan(&claimed)
	if claimed != 0 {
		t.Errorf("the copy's coupons start with %d claimed", claimed)
	}
}

func TestManagerPagesRefuseOthers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	form := formValues(springForm())
	for _, who := range []string{"seller@x.test", "reviewer@x.test"} {
		b := w.browser()
		b.signIn(who)
		for _, path := range []string{"/manager", "/manager/campaigns/new", fmt.Sprintf("/manager/campaigns/%d", w.open.ID)} {
			wantStatus(t, b.get(path), http.StatusForbidden)
		}
		wantStatus(t, b.post("/manager/campaigns/new", form), http.StatusForbidden)
		wantStatus(t, b.post(fmt.Sprintf("/manager/campaigns/%d/close", w.open.ID), nil), http.StatusForbidden)
	}
	mgr := w.browser()
	mgr.signIn("manager@x.test")
	rec := mgr.do(http.MethodPost, "/manager/campaigns/new", form) // no CSRF token
	wantStatus(t, rec, http.StatusForbidden)
	var n int64
	w.db.Table("campaigns").Where("name = ?", "Spring Refresh").Count(&n)
	if n != 0 {
		t.Error("a request without a CSRF token created a campaign")
	}
}
