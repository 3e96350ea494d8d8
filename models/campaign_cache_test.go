package models_test

import (
	"testing"

	"campaignportal/models"
	"campaignportal/models/modeltest"
)

// The rules cache is exact: whatever writes a campaign's row, its
// sub-campaigns, tiers or coupons, by whichever path (plain SQL here, as a
// migration or an operator would), the next read sees it; coupon claims
// show without a new version; a rolled-back write's version is never used
// again.
func TestCampaignRulesCacheNeverServesStaleRules(t *testing.T) {
	db := modeltest.NewDB(t)
	store := models.NewStore(db)
	c := modeltest.Campaign(t, db, modeltest.OpenCampaign("Cache"))

	load := func() models.Campaign {
		t.Helper()
		got, err := store.CampaignWithRules(bg, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := db.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	first := load()
	if first.RulesVersion == 0 || len(first.Coupons) != 1 || len(first.SubCampaigns) != 2 || len(first.Tiers) != 2 {
		t.Fatalf("first load: %+v", first)
	}
	// A caller changing what it got does not change the cache.
	first.Coupons[0].Code = "MUTATED"
	first.SubCampaigns[0].Name = "MUTATED"
	if again := load(); again.Coupons[0].Code != "TEST-20PCT" || again.SubCampaigns[0].Name != "Black Friday" {
		t.Fatalf("a caller's change reached the cache: %+v", again)
	}

	steps := []struct {
		name  string
		sql   string
		check func(models.Campaign) bool
	}{
		{"campaign row", `UPDATE campaigns SET name = 'Renamed' WHERE id = ?`,
			func(g models.Campaign) bool { return g.Name == "Renamed" }},
		{"sub-campaign", `UPDATE sub_campaigns SET name = 'Singles Day' WHERE campaign_id = ? AND position = 0`,
			func(g models.Campaign) bool { return g.SubCampaigns[0].Name == "Singles Day" }},
		{"tier", `UPDATE campaign_tiers SET max_price_pct = 84 WHERE campaign_id = ? AND tier = 'featured'`,
			func(g models.Campaign) bool { return g.Tiers[0].MaxPricePct.String() == "84" }},
		{"coupon", `UPDATE coupons SET value = 25 WHERE campaign_id = ?`,
			func(g models.Campaign) bool { return g.Coupons[0].Value.String() == "25" }},
		{"coupon added", `INSERT INTO coupons (campaign_id, code, discount_type, value, min_purchase, seller_share_pct,
			platform_share_pct, total_quantity) VALUES (?, 'NEW-5', 'fixed', 5, 50, 0, 100, 10)`,
			func(g models.Campaign) bool { return len(g.Coupons) == 2 && g.Coupons[1].Code == "NEW-5" }},
		{"sub-campaign removed", `DELETE FROM sub_campaigns WHERE campaign_id = ? AND position = 1`,
			func(g models.Campaign) bool { return len(g.SubCampaigns) == 1 }},
	}
	for _, st := range steps {
		before := load()
		exec(st.sql, c.ID)
		got := load()
		if !st.check(got) {
			t.Fatalf("%s: the next read did not see the write: %+v", st.name, got)
		}
		if got.RulesVersion == before.RulesVersion {
			t.Fatalf("%s: rules version unchanged (%d)", st.name, got.RulesVersion)
		}
	}

	// Claims move the count, not the version.
	before := load()
	exec(`UPDATE coupons SET claimed_quantity = claimed_quantity + 7 WHERE campaign_id = ? AND code = 'NEW-5'`, c.ID)
	got := load()
	if got.RulesVersion != before.RulesVersion {
		t.Fatalf("a claim changed the rules version: %d -> %d", before.RulesVersion, got.RulesVersion)
	}
	if got.Coupons[1].ClaimedQuantity != 7 || got.Coupons[0].ClaimedQuantity != before.Coupons[0].ClaimedQuantity {
		t.Fatalf("claimed counts not fresh: %+v", got.Coupons)
	}

	// A rolled-back write's version is never handed out again.
	tx := db.Begin()
	var rolledBack int64
	if err := tx.Raw(`UPDATE campaigns SET name = 'Never' WHERE id = ? RETURNING rules_version`, c.ID).Scan(&rolledBack).Error; err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	exec(`UPDATE campaigns SET name = 'Committed' WHERE id = ?`, c.ID)
	got = load()
	if got.RulesVersion == rolledBack || got.Name != "Committed" {
		t.Fatalf("after a rollback: version %d (rolled back %d), name %q", got.RulesVersion, rolledBack, got.Name)
	}
}
