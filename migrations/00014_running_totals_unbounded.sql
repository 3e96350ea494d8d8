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

-- +goose Down
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
