-- +goose Up
-- Per-SKU decisions, the reviewer's cost-of-goods and buyer-price floor
-- flags, and bulk decisions marked in the audit.

-- A SKU a reviewer rejected while approving its product: the product is
-- registered with its other SKUs; this one stays out of the campaign with
-- the reason the seller reads. Submitting the product again clears it.
ALTER TABLE registration_skus
    ADD COLUMN rejected_at timestamptz,
    ADD COLUMN rejected_by bigint REFERENCES users(id),
    ADD COLUMN rejection_code text NOT NULL DEFAULT '',
    ADD COLUMN rejection_reason text NOT NULL DEFAULT '';
ALTER TABLE registration_skus ADD CONSTRAINT registration_skus_rejection
    CHECK ((rejected_at IS NULL) = (rejected_by IS NULL)
       AND (rejected_at IS NULL) = (rejection_reason = '')
       AND (rejected_at IS NOT NULL OR rejection_code = ''));

-- The rules of a submitted SKU do not bind one the reviewer kept out; a
-- product under review has no SKU decided yet, and a registered product
-- keeps at least one SKU in the campaign.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION check_submitted_sku() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
               WHERE rs.id = NEW.id AND rp.status IN ('pending', 'registered') AND rs.rejected_at IS NULL
                 AND (rs.campaign_price IS NULL OR rs.campaign_stock IS NULL
                      OR rs.campaign_price > rs.max_price OR rs.campaign_stock > rs.available_stock)) THEN
        RAISE EXCEPTION 'a submitted SKU needs a campaign price at or below its maximum and stock within the available stock'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_skus_submitted_rules';
    END IF;
    IF EXISTS (SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
               WHERE rs.id = NEW.id AND rs.rejected_at IS NOT NULL AND rp.status = 'pending') THEN
        RAISE EXCEPTION 'a SKU of a product under review has no decision yet'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_skus_pending_undecided';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION check_submitted_product() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
        WHERE rp.id = NEW.id AND rp.status IN ('pending', 'registered') AND rs.rejected_at IS NULL
          AND (rs.campaign_price IS NULL OR rs.campaign_stock IS NULL
               OR rs.campaign_price > rs.max_price OR rs.campaign_stock > rs.available_stock)) THEN
        RAISE EXCEPTION 'a submitted product needs every SKU priced at or below its maximum with stock within the available stock'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_products_submitted_rules';
    END IF;
    IF EXISTS (SELECT 1 FROM registration_products rp WHERE rp.id = NEW.id AND rp.status IN ('pending', 'registered')
               AND EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.registration_product_id = rp.id)
               AND NOT EXISTS (SELECT 1 FROM registration_skus rs WHERE rs.registration_product_id = rp.id AND rs.rejected_at IS NULL)) THEN
        RAISE EXCEPTION 'a registered product keeps at least one SKU in the campaign'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_products_one_sku_in';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- The audit names the SKU a decision was about (NULL: the whole product),
-- and marks decisions made by a bulk action. Bulk approvals used to carry
-- the reason code 'bulk'.
ALTER TABLE review_decisions
    ADD COLUMN registration_sku_id bigint REFERENCES registration_skus(id) ON DELETE CASCADE,
    ADD COLUMN bulk boolean NOT NULL DEFAULT false;
UPDATE review_decisions SET bulk = true, reason_code = '' WHERE reason_code = 'bulk';
CREATE INDEX review_decisions_bulk_idx ON review_decisions (decided_at DESC, id DESC) WHERE bulk;

-- The shop's cost of goods per SKU, optional: a campaign price below it is
-- flagged to the reviewer.
ALTER TABLE skus ADD COLUMN cost_of_goods numeric(12,2) CHECK (cost_of_goods > 0);
ALTER TABLE sku_changes DROP CONSTRAINT sku_changes_change_check;
ALTER TABLE sku_changes ADD CONSTRAINT sku_changes_change_check
    CHECK (change IN ('retail_price', 'attributes', 'stock', 'added', 'deleted', 'cost_of_goods'));

-- The campaign's floor on the stacked buyer price, as a percentage of the
-- retail price (NULL: no floor).
ALTER TABLE campaigns ADD COLUMN buyer_price_floor_pct numeric(5,2)
    CHECK (buyer_price_floor_pct > 0 AND buyer_price_floor_pct <= 100);

-- +goose Down
ALTER TABLE campaigns DROP COLUMN buyer_price_floor_pct;
DELETE FROM sku_changes WHERE change = 'cost_of_goods';
ALTER TABLE sku_changes DROP CONSTRAINT sku_changes_change_check;
ALTER TABLE sku_changes ADD CONSTRAINT sku_changes_change_check
    CHECK (change IN ('retail_price', 'attributes', 'stock', 'added', 'deleted'));
ALTER TABLE skus DROP COLUMN cost_of_goods;
DROP INDEX review_decisions_bulk_idx;
UPDATE review_decisions SET reason_code = 'bulk' WHERE bulk AND decision = 'approved';
ALTER TABLE review_decisions DROP COLUMN bulk, DROP COLUMN registration_sku_id;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION check_submitted_sku() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
               WHERE rs.id = NEW.id AND rp.status IN ('pending', 'registered')
                 AND (rs.campaign_price IS NULL OR rs.campaign_stock IS NULL
                      OR rs.campaign_price > rs.max_price OR rs.campaign_stock > rs.available_stock)) THEN
        RAISE EXCEPTION 'a submitted SKU needs a campaign price at or below its maximum and stock within the available stock'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_skus_submitted_rules';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION check_submitted_product() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM registration_skus rs JOIN registration_products rp ON rp.id = rs.registration_product_id
        WHERE rp.id = NEW.id AND rp.status IN ('pending', 'registered')
          AND (rs.campaign_price IS NULL OR rs.campaign_stock IS NULL
               OR rs.campaign_price > rs.max_price OR rs.campaign_stock > rs.available_stock)) THEN
        RAISE EXCEPTION 'a submitted product needs every SKU priced at or below its maximum with stock within the available stock'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_products_submitted_rules';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
ALTER TABLE registration_skus DROP CONSTRAINT registration_skus_rejection,
    DROP COLUMN rejection_reason, DROP COLUMN rejection_code, DROP COLUMN rejected_by, DROP COLUMN rejected_at;
