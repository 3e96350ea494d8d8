package models_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	modeltest.Cleanup()
	os.Exit(code)
}

var bg = context.Background()

func TestAuthenticateRateLimitsPerAccount(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	modeltest.User(t, db, "a@x.test", models.RoleSeller, shop.ID)

	if _, err := store.Authenticate(bg, "A@X.test ", modeltest.FixturePassword, "10.0.0.1"); err != nil {
		t.Fatalf("good sign-in refused: %v", err)
	}
	for i := 0; i < models.MaxFailuresPerEmail; i++ {
		if _, err := store.Authenticate(bg, "a@x.test", "wrong", "10.0.0.1"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("attempt %d: err = %v, want bad credentials", i+1, err)
		}
	}
	_, err := store.Authenticate(bg, "a@x.test", modeltest.FixturePassword, "10.0.0.2")
	var limited *models.RateLimitedError
	if !errors.As(err, &limited) || limited.RetryAfter <= 0 || limited.RetryAfter > models.LoginWindow {
		t.Fatalf("after %d failures the right password from another address: err = %v, want rate limited", models.MaxFailuresPerEmail, err)
	}
}

func TestAuthenticateRateLimitsPerClient(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	modeltest.User(t, db, "victim@x.test", models.RoleSeller, shop.ID)
	for i := 0; i < models.MaxFailuresPerClient; i++ {
		// a different unknown account each time: only the address counter fills
		if _, err := store.Authenticate(bg, "nobody"+strings.Repeat("x", i)+"@x.test", "guess", "10.9.9.9"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var limited *models.RateLimitedError
	if _, err := store.Authenticate(bg, "victim@x.test", modeltest.FixturePassword, "10.9.9.9"); !errors.As(err, &limited) {
		t.Fatalf("address over its limit was not refused: %v", err)
	}
	if _, err := store.Authenticate(bg, "victim@x.test", modeltest.FixturePassword, "10.9.9.10"); err != nil {
		t.Fatalf("another address is refused too: %v", err)
	}
}

// A session's last_seen_at moves when it is more than a minute old, and
// only then (reading a fresh session writes nothing).
func TestSessionLastSeenIsTouchedAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	u := modeltest.User(t, db, "s@x.test", models.RoleSeller, shop.ID)
	tok, err := store.CreateSession(bg, u.ID, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	age := func() (seconds float64) {
		t.Helper()
		if err := db.Raw(`SELECT extract(epoch FROM now() - last_seen_at) FROM sessions WHERE user_id = ?`, u.ID).Scan(&seconds).Error; err != nil {
			t.Fatal(err)
		}
		return seconds
	}
	for _, c := range []struct {
		set      string
		wantOver float64 // seconds
		wantLess float64
	}{
		{"30 seconds", 29, 3600}, // fresh: left alone
		{"2 minutes", -1, 60},    // stale: touched
	} {
		db.Exec(`UPDATE sessions SET last_seen_at = now() - CAST(? AS interval) WHERE user_id = ?`, c.set, u.ID)
		if _, err := store.SessionByToken(bg, tok); err != nil {
			t.Fatal(err)
		}
		if a := age(); a <= c.wantOver || a >= c.wantLess {
			t.Errorf("last seen %s ago, then read: now %.0f s ago, want between %.0f and %.0f", c.set, a, c.wantOver, c.wantLess)
		}
	}
}

func TestSessionsEndOnSignOutAndPasswordChange(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	u := modeltest.User(t, db, "s@x.test", models.RoleSeller, shop.ID)

	tok, err := store.CreateSession(bg, u.ID, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.SessionByToken(bg, tok)
	if err != nil || s.User.ID != u.ID || s.Shop == nil || s.Shop.ID != shop.ID {
		t.Fatalf("session = %+v, %v", s, err)
	}
	if err := store.RevokeSession(bg, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SessionByToken(bg, tok); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoked session still works: %v", err)
	}

	a, _ := store.CreateSession(bg, u.ID, "127.0.0.1", "browser a")
	b, _ := store.CreateSession(bg, u.ID, "127.0.0.1", "browser b")
	var invalid *models.ValidationError
	if err := store.ChangePassword(bg, u.ID, "not it", "a long new password"); !errors.As(err, &invalid) || invalid.Fields["current_password"] == "" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := store.ChangePassword(bg, u.ID, modeltest.FixturePassword, "short"); !errors.As(err, &invalid) || invalid.Fields["new_password"] == "" {
		t.Fatalf("short new password: %v", err)
	}
	if _, err := store.SessionByToken(bg, a); err != nil {
		t.Fatalf("a refused password change ended the session: %v", err)
	}
	if err := store.ChangePassword(bg, u.ID, modeltest.FixturePassword, "a long new password"); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{a, b} {
		if _, err := store.SessionByToken(bg, tok); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a session survived the password change: %v", err)
		}
	}
	if _, err := store.Authenticate(bg, "s@x.test", "a long new password", "127.0.0.1"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
}

func TestLookbackLows(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	_, skus := modeltest.Product(t, db, shop.ID, "Mug", "18.00")
	id := skus[0].ID
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	// Replace the fixture's single period with a history:
	// 20.00 until 50 days ago, 15.00 until 30 days ago exactly, 16.50 until 10 days ago, 18.00 since.
	db.Exec(`DELETE FROM price_history WHERE sku_id = ?`, id)
	for _, p := range []struct {
		price    string
		from, to time.Duration
	}{{"20.00", 100 * day, 50 * day}, {"15.00", 50 * day, 30 * day}, {"16.50", 30 * day, 10 * day}} {
		if err := db.Exec(`INSERT INTO price_history (sku_id, price, valid_from, valid_to) VALUES (?, ?, ?, ?)`,
			id, p.price, now.Add(-p.from), now.Add(-p.to)).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 18.00, ?)`, id, now.Add(-10*day)).Error; err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		days int
		want string
		at   time.Time
	}{
		{5, "18.00", now},
		{10, "18.00", now},                // the 16.50 period ended exactly at the window's start
		{11, "16.50", now.Add(-10 * day)}, // and one more day takes it in
		{30, "16.50", now.Add(-10 * day)}, // 15.00 ended exactly 30 days ago: outside
		{31, "15.00", now.Add(-30 * day)},
		{90, "15.00", now.Add(-30 * day)},
	}
	for _, tt := range tests {
		lows, err := store.LookbackLows(bg, []int64{id}, tt.days, now)
		if err != nil {
			t.Fatal(err)
		}
		got := lows[id]
		if got.Price.StringFixed(2) != tt.want || !got.At.Equal(tt.at) {
			t.Errorf("%d-day low = %s at %s, want %s at %s", tt.days, got.Price.StringFixed(2), got.At, tt.want, tt.at)
		}
	}
}

func TestSchemaConstraints(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	c := modeltest.Campaign(t, db, modeltest.OpenCampaign("BFCM"))
	_, skus := modeltest.Product(t, db, shop.ID, "Mug", "10.00")
	refused := []struct {
		name, sql string
		args      []any
	}{
		{"overlapping price periods", `INSERT INTO price_history (sku_id, price, valid_from) VALUES (?, 9.00, now() - interval '1 day')`, []any{skus[0].ID}},
		{"coupon shares not summing to 100", `INSERT INTO coupons (campaign_id, code, discount_type, value, seller_share_pct, platform_share_pct, total_quantity) VALUES (?, 'BAD-1', 'fixed', 5, 60, 50, 10)`, []any{c.ID}},
		{"cap on a fixed coupon", `INSERT INTO coupons (campaign_id, code, discount_type, value, cap, seller_share_pct, platform_share_pct, total_quantity) VALUES (?, 'BAD-2', 'fixed', 5, 10, 50, 50, 10)`, []any{c.ID}},
		{"percentage of 100 or more", `INSERT INTO coupons (campaign_id, code, discount_type, value, seller_share_pct, platform_share_pct, total_quantity) VALUES (?, 'BAD-3', 'percent', 100, 50, 50, 10)`, []any{c.ID}},
		{"more coupons claimed than issued", `UPDATE coupons SET claimed_quantity = total_quantity + 1 WHERE campaign_id = ?`, []any{c.ID}},
		{"sub-campaign outside the run", `INSERT INTO sub_campaigns (campaign_id, name, starts_at, ends_at) VALUES (?, 'Too early', now() - interval '30 days', now())`, []any{c.ID}},
		{"deadline after the run starts", `UPDATE campaigns SET registration_deadline = run_starts_at + interval '1 hour' WHERE id = ?`, []any{c.ID}},
		{"seller without a shop", `INSERT INTO users (email, display_name, password_hash, role) VALUES ('x@y.test', 'X', 'h', 'seller')`, nil},
		{"staff with a shop", `INSERT INTO users (email, display_name, password_hash, role, shop_id) VALUES ('r@y.test', 'R', 'h', 'reviewer', ?)`, []any{shop.ID}},
		{"SPS above 5", `UPDATE shops SET sps = 5.01 WHERE id = ?`, []any{shop.ID}},
		{"zero retail price", `UPDATE skus SET retail_price = 0 WHERE id = ?`, []any{skus[0].ID}},
		{"a submitted registration without a submission time", `INSERT INTO registrations (campaign_id, shop_id, status, campaign_version) VALUES (?, ?, 'pending', 1)`, []any{c.ID, shop.ID}},
		{"a second registration of the shop", `INSERT INTO registrations (campaign_id, shop_id, status, campaign_version, submitted_at) SELECT ?, ?, 'pending', 1, now() FROM generate_series(1, 2)`, []any{c.ID, shop.ID}},
	}
	for _, tt := range refused {
		if err := db.Exec(tt.sql, tt.args...).Error; err == nil {
			t.Errorf("%s: accepted, want a constraint violation", tt.name)
		}
	}
}

func TestSellerCampaignsTabsAndTenancy(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	maple := modeltest.Shop(t, db, "Maple", "4.6", "25")
	north := modeltest.Shop(t, db, "North", "3.2", "35")
	open := modeltest.Campaign(t, db, modeltest.OpenCampaign("Open one"))
	upcoming := modeltest.OpenCampaign("Upcoming one")
	upcoming.OpensIn, upcoming.Deadline, upcoming.RunStart, upcoming.RunEnd = 24*time.Hour, 48*time.Hour, 72*time.Hour, 96*time.Hour
	modeltest.Campaign(t, db, upcoming)
	ended := modeltest.OpenCampaign("Ended one")
	ended.OpensIn, ended.Deadline, ended.RunStart, ended.RunEnd = -96*time.Hour, -72*time.Hour, -48*time.Hour, -24*time.Hour
	endedC := modeltest.Campaign(t, db, ended)
	draft := modeltest.OpenCampaign("Draft one")
	draft.Status = models.CampaignDraft
	draftC := modeltest.Campaign(t, db, draft)
	closed := modeltest.OpenCampaign("Closed one")
	closed.Status = models.CampaignClosed
	modeltest.Campaign(t, db, closed)
	reg := modeltest.Register(t, db, endedC.ID, maple.ID, models.RegistrationRegistered)

	names := func(rows []models.SellerCampaign) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Campaign.Name)
		}
		return out
	}
	for tab, want := range map[models.SellerTab]string{
		models.TabOpen: "Open one", models.TabUpcoming: "Upcoming one", models.TabRegistered: "Ended one",
		models.TabEnded: "Closed one,Ended one",
	} {
		rows, counts, err := store.SellerCampaigns(bg, maple, models.CampaignFilter{Tab: tab})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(names(rows), ",")
		if tab == models.TabEnded { // order by run end: both end around now
			if len(rows) != 2 {
				t.Errorf("%s tab = %q, want %q", tab, got, want)
			}
		} else if got != want {
			t.Errorf("%s tab = %q, want %q", tab, got, want)
		}
		if counts[models.TabOpen] != 1 || counts[models.TabUpcoming] != 1 || counts[models.TabRegistered] != 1 || counts[models.TabEnded] != 2 {
			t.Errorf("counts = %v", counts)
		}
	}
	// North sees no registration, and is not eligible for the open campaign.
	rows, counts, err := store.SellerCampaigns(bg, north, models.CampaignFilter{Tab: models.TabRegistered})
	if err != nil || len(rows) != 0 || counts[models.TabRegistered] != 0 {
		t.Fatalf("another shop's registration leaks: %v %v %v", names(rows), counts, err)
	}
	rows, _, _ = store.SellerCampaigns(bg, north, models.CampaignFilter{Tab: models.TabOpen, EligibleOnly: true})
	if len(rows) != 0 {
		t.Errorf("eligible-only shows %v to an ineligible shop", names(rows))
	}
	rows, _, _ = store.SellerCampaigns(bg, maple, models.CampaignFilter{Tab: models.TabOpen, Query: "OPEN"})
	if len(rows) != 1 {
		t.Errorf("search is not case-insensitive: %v", names(rows))
	}
	rows, _, _ = store.SellerCampaigns(bg, maple, models.CampaignFilter{Tab: models.TabOpen, Query: "100%_"})
	if len(rows) != 0 {
		t.Errorf("LIKE wildcards in the search are not escaped: %v", names(rows))
	}

	if _, err := store.SellerCampaign(bg, maple, draftC.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a draft is visible to sellers: %v", err)
	}
	sc, err := store.SellerCampaign(bg, maple, open.ID)
	if err != nil || !sc.Eligibility.Eligible || len(sc.Campaign.Coupons) != 1 || len(sc.Campaign.SubCampaigns) != 2 {
		t.Fatalf("details = %+v, %v", sc, err)
	}
	if _, _, err := store.ShopRegistration(bg, north.ID, reg.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's registration: err = %v, want not found", err)
	}
	if _, _, err := store.ShopRegistration(bg, maple.ID, reg.ID); err != nil {
		t.Errorf("own registration: %v", err)
	}
	p, _ := modeltest.Product(t, db, maple.ID, "Mug", "10.00", "12.00")
	if _, err := store.ShopProduct(bg, north.ID, p.ID, 30, time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another shop's product: err = %v, want not found", err)
	}
	d, err := store.ShopProduct(bg, maple.ID, p.ID, 30, time.Now())
	if err != nil || len(d.SKUs) != 2 || d.SKUs[0].Low == nil {
		t.Errorf("own product = %+v, %v", d, err)
	}
}

// Parallel attempts cannot pass a full counter: each is decided and counted
// before its password is checked.
func TestParallelSignInAttemptsHoldTheLimits(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	shop := modeltest.Shop(t, db, "Shop", "4", "20")
	modeltest.User(t, db, "a@x.test", models.RoleSeller, shop.ID)

	attempt := func(n int, email func(i int) string, password func(i int) string, ip func(i int) string) (checked, limited, signedIn int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := store.Authenticate(bg, email(i), password(i), ip(i))
				var rl *models.RateLimitedError
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					checked++
					signedIn++
				case errors.Is(err, models.ErrBadCredentials):
					checked++
				case errors.As(err, &rl):
					limited++
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		return
	}
	// 40 wrong passwords at once on one account, from 40 addresses.
	checked, limited, _ := attempt(40, func(int) string { return "a@x.test" }, func(int) string { return "wrong" },
		func(i int) string { return "10.1.0." + strconv.Itoa(i) })
	if checked != models.MaxFailuresPerEmail || limited != 40-models.MaxFailuresPerEmail {
		t.Errorf("40 parallel wrong passwords: %d checked, %d refused; want %d checked", checked, limited, models.MaxFailuresPerEmail)
	}
	// 48 attempts at once from one address on unknown accounts.
	checked, limited, _ = attempt(48, func(i int) string { return "nobody" + strconv.Itoa(i) + "@x.test" }, func(int) string { return "guess" },
		func(int) string { return "10.2.0.1" })
	if checked != models.MaxFailuresPerClient || limited != 48-models.MaxFailuresPerClient {
		t.Errorf("48 parallel attempts from one address: %d checked, %d refused; want %d checked", checked, limited, models.MaxFailuresPerClient)
	}
	// The account is locked: even the right password among a burst is refused.
	_, _, signedIn := attempt(10, func(int) string { return "a@x.test" }, func(i int) string {
		if i == 4 {
			return modeltest.FixturePassword
		}
		return "wrong"
	}, func(i int) string { return "10.3.0." + strconv.Itoa(i) })
	if signedIn != 0 {
		t.Errorf("a locked account signed in during a burst")
	}
	// Guessing the current password is limited too.
	u := modeltest.User(t, db, "b@x.test", models.RoleSeller, shop.ID)
	var rl *models.RateLimitedError
	for i := 0; i <= models.MaxFailuresPerEmail; i++ {
		err := store.ChangePassword(bg, u.ID, "not it", "a long new password")
		if i < models.MaxFailuresPerEmail && errors.As(err, &rl) || i == models.MaxFailuresPerEmail && !errors.As(err, &rl) {
			t.Errorf("wrong current password %d: %v", i+1, err)
		}
	}
}
