-- +goose Up
-- Campaign performance reads rollups, never the orders: per shop, campaign
-- and calendar day in the campaign's timezone, what the campaign's orders
-- settle at (campaign_days), and the same per SKU (campaign_sku_days).
-- They are kept in step with the orders by the transactions that import
-- orders and accept their events; `portal rollups rebuild` recomputes them.

-- Each order's day and sub-campaign in each of its campaigns, frozen when
-- the order is imported, so later edits to a campaign's timezone or runs
-- never move an order between rollup rows.
ALTER TABLE order_campaigns ADD COLUMN day date, ADD COLUMN sub_campaign_id bigint;
UPDATE order_campaigns oc SET day = (oc.placed_at AT TIME ZONE c.timezone)::date,
    sub_campaign_id = (SELECT s.id FROM sub_campaigns s WHERE s.campaign_id = oc.campaign_id
        AND s.starts_at <= oc.placed_at AND oc.placed_at < s.ends_at ORDER BY s.position, s.id LIMIT 1)
FROM campaigns c WHERE c.id = oc.campaign_id;
ALTER TABLE order_campaigns ALTER COLUMN day SET NOT NULL;

-- The orders of a campaign, whole (an order with lines in two campaigns
-- counts in each, as on Settled records filtered to a campaign). "lead" is
-- true in the row of the order's first campaign (its first campaign line),
-- so adding up the lead rows of several campaigns counts each order once.
-- Coupon shares are net of reversals; units are net of returns and
-- cancellations. No CHECK on the counts: an upsert checks the row it
-- would insert, which for a delta that takes an order away is negative.
CREATE TABLE campaign_days (
    shop_id              bigint NOT NULL REFERENCES shops(id),
    campaign_id          bigint NOT NULL REFERENCES campaigns(id),
    day                  date NOT NULL,
    sub_campaign_id      bigint NOT NULL DEFAULT 0, -- 0: in no sub-campaign's run
    status               text NOT NULL CHECK (status IN ('placed', 'completed', 'cancelled', 'partially_returned', 'returned')),
    lead                 boolean NOT NULL,
    orders               bigint NOT NULL,
    units                bigint NOT NULL,
    merchandise          numeric(16,2) NOT NULL,
    merchandise_reversed numeric(16,2) NOT NULL,
    shipping             numeric(16,2) NOT NULL,
    shipping_reversed    numeric(16,2) NOT NULL,
    fee                  numeric(16,2) NOT NULL,
    fee_refunded         numeric(16,2) NOT NULL,
    seller_share         numeric(16,2) NOT NULL,
    platform_share       numeric(16,2) NOT NULL,
    payout               numeric(16,2) NOT NULL,
    PRIMARY KEY (shop_id, campaign_id, day, sub_campaign_id, status, lead)
);
-- The platform's view of a campaign reads every shop's rows by day.
CREATE INDEX campaign_days_campaign_idx ON campaign_days (campaign_id, day);

-- Every line of a campaign's orders by SKU: "campaign_line" tells the lines
-- sold in this campaign from the other products bought in the same orders.
-- An order's fee and coupon shares are shared out over its lines to the
-- cent (largest remainder), so the rows add up to campaign_days exactly.
CREATE TABLE campaign_sku_days (
    shop_id         bigint NOT NULL REFERENCES shops(id),
    campaign_id     bigint NOT NULL REFERENCES campaigns(id),
    day             date NOT NULL,
    sku_id          bigint NOT NULL REFERENCES skus(id),
    campaign_line   boolean NOT NULL,
    orders          bigint NOT NULL,
    units           bigint NOT NULL,
    units_returned  bigint NOT NULL,
    units_cancelled bigint NOT NULL,
    sales           numeric(16,2) NOT NULL,
    fee             numeric(16,2) NOT NULL,
    seller_share    numeric(16,2) NOT NULL,
    platform_share  numeric(16,2) NOT NULL,
    PRIMARY KEY (shop_id, campaign_id, day, sku_id, campaign_line)
);

-- Settled records filtered to a campaign now read campaign_days (days in
-- the campaign's timezone); settled_totals keeps the shop-wide rows (UTC
-- days), now with the merchandise given back apart from the shipping.
DELETE FROM settled_totals WHERE campaign_id <> 0;
ALTER TABLE settled_totals ADD COLUMN merchandise_reversed numeric(16,2) NOT NULL DEFAULT 0;
UPDATE settled_totals t SET merchandise_reversed = o.mr
FROM (SELECT shop_id, (placed_at AT TIME ZONE 'UTC')::date AS day, status, sum(merchandise_reversed) AS mr
      FROM orders GROUP BY 1, 2, 3) o
WHERE t.shop_id = o.shop_id AND t.day = o.day AND t.status = o.status AND t.campaign_id = 0;

-- Work the binary does once after migrating, because SQL alone cannot:
-- here, computing the rollups of the orders already imported.
CREATE TABLE maintenance_tasks (
    name       text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO maintenance_tasks (name) VALUES ('rebuild_campaign_rollups');

-- +goose Down
DROP TABLE maintenance_tasks, campaign_sku_days, campaign_days;
ALTER TABLE settled_totals DROP COLUMN merchandise_reversed;
ALTER TABLE order_campaigns DROP COLUMN day, DROP COLUMN sub_campaign_id;
