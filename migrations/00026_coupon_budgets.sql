-- +goose Up
-- Co-funding budgets. A campaign manager may give a coupon the platform
-- pays a share of a subsidy budget: what the platform means to spend on
-- it. It is a monitor, not a cap: claims never stop because the budget is
-- spent (the coupon's quantity is the limit shoppers and sellers were
-- promised); the Performance page shows the burn-down and warns.
ALTER TABLE coupons ADD COLUMN platform_budget numeric(12,2)
    CONSTRAINT coupons_platform_budget_positive CHECK (platform_budget > 0);
ALTER TABLE coupons ADD CONSTRAINT coupons_budget_needs_platform_share
    CHECK (platform_budget IS NULL OR platform_share_pct > 0);

-- A budget change is audited, not versioned: sellers never see it.
ALTER TABLE campaign_audit DROP CONSTRAINT campaign_audit_action_check;
ALTER TABLE campaign_audit ADD CONSTRAINT campaign_audit_action_check
    CHECK (action IN ('created', 'edited', 'published', 'new_version', 'closed', 'duplicated', 'budget'));

-- The coupon's rollup, kept like campaign_days in the transactions that
-- import orders and accept their events: per coupon, shop and calendar day
-- of the coupon's campaign (its timezone, the order's frozen day), the
-- orders that claimed the coupon (a claim stays one when the order is
-- cancelled or returned: the coupon is not given back), the discount and
-- both shares net of reversals, and the claims whose seller share the
-- maximum seller funding stopped.
CREATE TABLE coupon_days (
    coupon_id      bigint NOT NULL REFERENCES coupons(id) ON DELETE CASCADE,
    shop_id        bigint NOT NULL REFERENCES shops(id),
    day            date NOT NULL,
    claims         bigint NOT NULL,
    capped         bigint NOT NULL,
    discount       numeric(16,2) NOT NULL,
    seller_share   numeric(16,2) NOT NULL,
    platform_share numeric(16,2) NOT NULL,
    PRIMARY KEY (coupon_id, shop_id, day)
);
-- A seller's figures for a coupon read (shop_id, coupon_id).
CREATE INDEX coupon_days_shop_idx ON coupon_days (shop_id, coupon_id);

-- The orders already imported: the binary rebuilds every rollup once.
INSERT INTO maintenance_tasks (name) VALUES ('rebuild_campaign_rollups') ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE coupon_days;
DELETE FROM campaign_audit WHERE action = 'budget';
ALTER TABLE campaign_audit DROP CONSTRAINT campaign_audit_action_check;
ALTER TABLE campaign_audit ADD CONSTRAINT campaign_audit_action_check
    CHECK (action IN ('created', 'edited', 'published', 'new_version', 'closed', 'duplicated'));
ALTER TABLE coupons DROP CONSTRAINT coupons_budget_needs_platform_share;
ALTER TABLE coupons DROP COLUMN platform_budget;
