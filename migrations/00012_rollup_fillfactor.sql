-- +goose Up
-- Every import batch and order event rewrites rows of the campaign rollups
-- (an upsert per row it touches: about 1,400 SKU rows per batch of 2,000
-- orders spread over a month). On full pages each new row version goes to
-- another page and into the primary key again; with half of every page
-- free, PostgreSQL keeps it on the same page without a new index entry (a
-- HOT update) and prunes the old one there. Pages written from now on
-- (all of them after `portal rollups rebuild`) keep the room.
-- See docs/performance.md, "Campaign performance: a million orders in one shop".
ALTER TABLE campaign_days SET (fillfactor = 50);
ALTER TABLE campaign_sku_days SET (fillfactor = 50);

-- +goose Down
ALTER TABLE campaign_days RESET (fillfactor);
ALTER TABLE campaign_sku_days RESET (fillfactor);
