-- +goose Up
-- Registration: a shop's products and SKUs in a campaign, from the draft
-- the seller fills to the submitted, reviewed registration.

ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('draft', 'pending', 'registered', 'rejected', 'withdrawn'));
ALTER TABLE registrations ALTER COLUMN submitted_at DROP NOT NULL;
ALTER TABLE registrations ALTER COLUMN submitted_at DROP DEFAULT;
ALTER TABLE registrations ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE registrations ADD COLUMN coupons_accepted_at timestamptz;
-- The idempotency key of the submit form: a double click or a retry
-- submits once.
ALTER TABLE registrations ADD COLUMN submit_key text UNIQUE;
ALTER TABLE registrations ADD CONSTRAINT registrations_submitted
    CHECK (status = 'draft' OR submitted_at IS NOT NULL);

CREATE TABLE registration_products (
    id                 bigserial PRIMARY KEY,
    registration_id    bigint NOT NULL,
    shop_id            bigint NOT NULL,
    product_id         bigint NOT NULL,
    tier               text NOT NULL DEFAULT 'regular' CHECK (tier IN ('featured', 'regular')),
    extra_discount_pct numeric(5,2) CHECK (extra_discount_pct > 0 AND extra_discount_pct < 100),
    source             text NOT NULL CHECK (source IN ('pick', 'upload', 'recommended', 'copied')),
    status             text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending', 'registered', 'rejected', 'withdrawn', 'sku_error')),
    problems           integer NOT NULL DEFAULT 0,
    decision_reason    text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (registration_id, shop_id) REFERENCES registrations(id, shop_id) ON DELETE CASCADE,
    FOREIGN KEY (product_id, shop_id) REFERENCES products(id, shop_id),
    UNIQUE (registration_id, product_id),
    UNIQUE (id, registration_id)
);
CREATE INDEX registration_products_reg_idx ON registration_products (registration_id, id);

-- One row per registered SKU. The lookback low, maximum and recommended
-- prices and the available stock are snapshots taken when the SKU was added
-- (and again at submit), so the table can be checked and filtered without
-- recomputing the price history on every request.
CREATE TABLE registration_skus (
    id                      bigserial PRIMARY KEY,
    registration_id         bigint NOT NULL,
    registration_product_id bigint NOT NULL,
    shop_id                 bigint NOT NULL,
    sku_id                  bigint NOT NULL,
    sku_version             integer NOT NULL,
    retail_price            numeric(12,2) NOT NULL CHECK (retail_price > 0),
    lookback_low            numeric(12,2) NOT NULL CHECK (lookback_low > 0),
    low_at                  timestamptz NOT NULL,
    max_price               numeric(12,2) NOT NULL CHECK (max_price > 0),
    recommended_price       numeric(12,2) NOT NULL CHECK (recommended_price > 0),
    available_stock         integer NOT NULL CHECK (available_stock >= 0),
    campaign_price          numeric(12,2) CHECK (campaign_price > 0),
    campaign_stock          integer CHECK (campaign_stock > 0),
    problems                integer NOT NULL DEFAULT 0,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (registration_product_id, registration_id) REFERENCES registration_products(id, registration_id) ON DELETE CASCADE,
    FOREIGN KEY (sku_id, shop_id) REFERENCES skus(id, shop_id),
    -- a SKU is registered at most once per campaign (one registration per shop and campaign)
    UNIQUE (registration_id, sku_id)
);
CREATE INDEX registration_skus_product_idx ON registration_skus (registration_product_id, id);
CREATE INDEX registration_skus_problems_idx ON registration_skus (registration_id) WHERE problems <> 0;

-- Submitted SKUs must satisfy the rules: a price at or below the maximum
-- and a stock within what the shop has. Drafts may be incomplete.
-- +goose StatementBegin
CREATE FUNCTION check_submitted_sku() RETURNS trigger AS $$
BEGIN
    -- Deferred: read the row as it is at commit, not as this event saw it.
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
CREATE CONSTRAINT TRIGGER registration_skus_submitted_rules
    AFTER INSERT OR UPDATE ON registration_skus DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_submitted_sku();

-- Submitting a product re-checks its SKUs too.
-- +goose StatementBegin
CREATE FUNCTION check_submitted_product() RETURNS trigger AS $$
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
CREATE CONSTRAINT TRIGGER registration_products_submitted_rules
    AFTER INSERT OR UPDATE OF status ON registration_products DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_submitted_product();

-- Price recommendations shown after submitting: accept, edit or dismiss,
-- each recorded.
CREATE TABLE price_recommendations (
    id                  bigserial PRIMARY KEY,
    registration_id     bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    registration_sku_id bigint NOT NULL REFERENCES registration_skus(id) ON DELETE CASCADE,
    kind                text NOT NULL CHECK (kind IN ('featured', 'recommended')),
    price               numeric(12,2) NOT NULL CHECK (price > 0),
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'edited', 'dismissed')),
    final_price         numeric(12,2) CHECK (final_price > 0),
    decided_at          timestamptz,
    decided_by          bigint REFERENCES users(id),
    UNIQUE (registration_sku_id, kind)
);

-- Reviewer decisions, audited.
CREATE TABLE review_decisions (
    id              bigserial PRIMARY KEY,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    reviewer_id     bigint NOT NULL REFERENCES users(id),
    decision        text NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason_code     text NOT NULL DEFAULT '',
    reason_text     text NOT NULL DEFAULT '',
    decided_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_decisions_reg_idx ON review_decisions (registration_id);
CREATE INDEX registrations_pending_idx ON registrations (submitted_at) WHERE status = 'pending';

-- +goose Down
DROP TABLE review_decisions, price_recommendations, registration_skus, registration_products;
DROP FUNCTION check_submitted_sku();
DROP FUNCTION check_submitted_product();
ALTER TABLE registrations DROP CONSTRAINT registrations_submitted;
ALTER TABLE registrations DROP COLUMN submit_key, DROP COLUMN coupons_accepted_at, DROP COLUMN created_at;
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending', 'registered', 'rejected', 'withdrawn'));
