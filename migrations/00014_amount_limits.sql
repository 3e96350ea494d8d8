-- +goose Up
-- The running totals of a shop-day were numeric(16,2): 100 orders of
-- $999,999,999,999.00 in one shop and day filled them, and every later
-- order of that shop that day failed. They are sums of any number of
-- orders, so no width is enough: numeric without a precision has none
-- (every amount added is in whole cents, so the sums are too). Going from
-- numeric(16,2) to numeric rewrites no row and no index.
-- One order is bounded at the edge instead (models.MaxOrderTotal), so its
-- own columns always hold it.
ALTER TABLE settled_totals
    ALTER COLUMN merchandise TYPE numeric, ALTER COLUMN shipping TYPE numeric,
    ALTER COLUMN reversed TYPE numeric, ALTER COLUMN fee TYPE numeric,
    ALTER COLUMN fee_refunded TYPE numeric, ALTER COLUMN seller_share TYPE numeric,
    ALTER COLUMN platform_share TYPE numeric, ALTER COLUMN payout TYPE numeric,
    ALTER COLUMN merchandise_reversed TYPE numeric;
ALTER TABLE campaign_days
    ALTER COLUMN merchandise TYPE numeric, ALTER COLUMN merchandise_reversed TYPE numeric,
    ALTER COLUMN shipping TYPE numeric, ALTER COLUMN shipping_reversed TYPE numeric,
    ALTER COLUMN fee TYPE numeric, ALTER COLUMN fee_refunded TYPE numeric,
    ALTER COLUMN seller_share TYPE numeric, ALTER COLUMN platform_share TYPE numeric,
    ALTER COLUMN payout TYPE numeric;
ALTER TABLE campaign_sku_days
    ALTER COLUMN sales TYPE numeric, ALTER COLUMN fee TYPE numeric,
    ALTER COLUMN seller_share TYPE numeric, ALTER COLUMN platform_share TYPE numeric;

-- A coupon on a $0.00 eligible subtotal has nothing to take off: its own
-- reason, not "below" a $0.00 minimum purchase (none before this stored one).
ALTER TABLE orders DROP CONSTRAINT orders_coupon_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_status_check
    CHECK (coupon_status IN ('applied', 'not_applicable', 'nothing_to_discount', 'below_min_purchase', 'exhausted')) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_status_check;

-- +goose Down
UPDATE orders SET coupon_status = 'below_min_purchase' WHERE coupon_status = 'nothing_to_discount';
ALTER TABLE orders DROP CONSTRAINT orders_coupon_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_status_check
    CHECK (coupon_status IN ('applied', 'not_applicable', 'below_min_purchase', 'exhausted'));
ALTER TABLE settled_totals
    ALTER COLUMN merchandise TYPE numeric(16,2), ALTER COLUMN shipping TYPE numeric(16,2),
    ALTER COLUMN reversed TYPE numeric(16,2), ALTER COLUMN fee TYPE numeric(16,2),
    ALTER COLUMN fee_refunded TYPE numeric(16,2), ALTER COLUMN seller_share TYPE numeric(16,2),
    ALTER COLUMN platform_share TYPE numeric(16,2), ALTER COLUMN payout TYPE numeric(16,2),
    ALTER COLUMN merchandise_reversed TYPE numeric(16,2);
ALTER TABLE campaign_days
    ALTER COLUMN merchandise TYPE numeric(16,2), ALTER COLUMN merchandise_reversed TYPE numeric(16,2),
    ALTER COLUMN shipping TYPE numeric(16,2), ALTER COLUMN shipping_reversed TYPE numeric(16,2),
    ALTER COLUMN fee TYPE numeric(16,2), ALTER COLUMN fee_refunded TYPE numeric(16,2),
    ALTER COLUMN seller_share TYPE numeric(16,2), ALTER COLUMN platform_share TYPE numeric(16,2),
    ALTER COLUMN payout TYPE numeric(16,2);
ALTER TABLE campaign_sku_days
    ALTER COLUMN sales TYPE numeric(16,2), ALTER COLUMN fee TYPE numeric(16,2),
    ALTER COLUMN seller_share TYPE numeric(16,2), ALTER COLUMN platform_share TYPE numeric(16,2);
