-- +goose Up
-- The foundation schema: shops and people, the catalogue with its price
-- history, integrated campaigns with their rules, and shop registrations.
-- Every rule that must never break has a constraint here as well as in models.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE shops (
    id                      bigserial PRIMARY KEY,
    public_id               text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Z0-9-]{4,32}$'),
    name                    text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    sps                     numeric(3,2) CHECK (sps BETWEEN 0 AND 5),
    free_shipping           boolean NOT NULL DEFAULT false,
    free_shipping_threshold numeric(12,2) CHECK (free_shipping_threshold >= 0),
    currency                char(3) NOT NULL DEFAULT 'USD' CHECK (currency = 'USD'),
    created_at              timestamptz NOT NULL DEFAULT now(),
    -- a threshold only makes sense when free shipping is offered
    CONSTRAINT shops_threshold_needs_free_shipping
        CHECK (free_shipping OR free_shipping_threshold IS NULL)
);

CREATE TABLE users (
    id                  bigserial PRIMARY KEY,
    email               text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    role                text NOT NULL CHECK (role IN ('seller', 'reviewer', 'manager')),
    shop_id             bigint REFERENCES shops(id),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- a seller belongs to exactly one shop; staff never belong to a shop
    CONSTRAINT users_seller_has_shop CHECK ((role = 'seller') = (shop_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Server-side sessions: the cookie carries a random token, the row (keyed by
-- the token's SHA-256) can be revoked by sign-out or a password change.
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    client_ip    text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Failed sign-ins, per account and per client address, for rate limiting
-- that works across many portal instances.
CREATE TABLE login_failures (
    id        bigserial PRIMARY KEY,
    bucket    text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_bucket_idx ON login_failures (bucket, failed_at);

CREATE TABLE categories (
    id   bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE products (
    id          bigserial PRIMARY KEY,
    shop_id     bigint NOT NULL REFERENCES shops(id),
    pid         text NOT NULL CHECK (pid ~ '^[0-9]{6,20}$'),
    title       text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 255),
    category_id bigint NOT NULL REFERENCES categories(id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pid),
    UNIQUE (id, shop_id)
);
CREATE INDEX products_shop_idx ON products (shop_id, id);

CREATE TABLE skus (
    id           bigserial PRIMARY KEY,
    product_id   bigint NOT NULL,
    shop_id      bigint NOT NULL,
    sku_code     text NOT NULL CHECK (length(btrim(sku_code)) BETWEEN 1 AND 64),
    attributes   text NOT NULL DEFAULT '',
    retail_price numeric(12,2) NOT NULL CHECK (retail_price > 0),
    stock        integer NOT NULL CHECK (stock >= 0),
    version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    deleted_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- the SKU's shop is always its product's shop
    FOREIGN KEY (product_id, shop_id) REFERENCES products(id, shop_id),
    UNIQUE (shop_id, sku_code),
    UNIQUE (id, shop_id)
);
CREATE INDEX skus_product_idx ON skus (product_id);

-- Every price a SKU was offered at, as non-overlapping periods; the open
-- period (valid_to IS NULL) is the current price. "The lowest price in the
-- past N days" is a range query over this table.
CREATE TABLE price_history (
    id         bigserial PRIMARY KEY,
    sku_id     bigint NOT NULL REFERENCES skus(id),
    price      numeric(12,2) NOT NULL CHECK (price > 0),
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    source     text NOT NULL DEFAULT 'retail' CHECK (source IN ('retail', 'sale', 'campaign')),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CONSTRAINT price_history_no_overlap
        EXCLUDE USING gist (sku_id WITH =, tstzrange(valid_from, valid_to) WITH &&)
);
CREATE UNIQUE INDEX price_history_one_current ON price_history (sku_id) WHERE valid_to IS NULL;
CREATE INDEX price_history_lookback_idx ON price_history (sku_id, valid_to);

CREATE TABLE campaigns (
    id                          bigserial PRIMARY KEY,
    slug                        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name                        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    description                 text NOT NULL DEFAULT '',
    benefits                    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(benefits) = 'array'),
    timezone                    text NOT NULL,
    status                      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    version                     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    registration_opens_at       timestamptz NOT NULL,
    registration_deadline       timestamptz NOT NULL,
    run_starts_at               timestamptz NOT NULL,
    run_ends_at                 timestamptz NOT NULL,
    min_sps                     numeric(3,2) NOT NULL DEFAULT 3.5 CHECK (min_sps BETWEEN 0 AND 5),
    allow_no_sps                boolean NOT NULL DEFAULT true,
    free_shipping_required      boolean NOT NULL DEFAULT true,
    max_free_shipping_threshold numeric(12,2) CHECK (max_free_shipping_threshold >= 0),
    coupons_must_be_accepted    boolean NOT NULL DEFAULT true,
    lookback_days               integer NOT NULL DEFAULT 30 CHECK (lookback_days BETWEEN 1 AND 365),
    extra_discount_allowed      boolean NOT NULL DEFAULT false,
    extra_discount_min_pct      numeric(5,2) CHECK (extra_discount_min_pct > 0 AND extra_discount_min_pct < 100),
    review_required             boolean NOT NULL DEFAULT false,
    fee_rate                    numeric(6,4) NOT NULL DEFAULT 0.01 CHECK (fee_rate >= 0 AND fee_rate < 1),
    fee_refund_policy           text NOT NULL DEFAULT 'refund_in_full' CHECK (fee_refund_policy IN ('refund_in_full', 'no_refund')),
    published_at                timestamptz,
    closed_at                   timestamptz,
    created_by                  bigint REFERENCES users(id),
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaigns_window_order CHECK (registration_opens_at < registration_deadline),
    CONSTRAINT campaigns_deadline_before_run CHECK (registration_deadline <= run_starts_at),
    CONSTRAINT campaigns_run_order CHECK (run_starts_at < run_ends_at),
    CONSTRAINT campaigns_shipping_threshold CHECK (NOT free_shipping_required OR max_free_shipping_threshold IS NOT NULL),
    CONSTRAINT campaigns_extra_discount_min CHECK (NOT extra_discount_allowed OR extra_discount_min_pct IS NOT NULL),
    CONSTRAINT campaigns_published_at CHECK (status = 'draft' OR published_at IS NOT NULL),
    CONSTRAINT campaigns_closed_at CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX campaigns_listing_idx ON campaigns (status, registration_deadline);

CREATE TABLE sub_campaigns (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    position    integer NOT NULL DEFAULT 0,
    CHECK (starts_at < ends_at),
    UNIQUE (campaign_id, name)
);

-- Sub-campaign dates must lie inside the campaign's run; a constraint trigger
-- checks it whichever side changes.
-- +goose StatementBegin
CREATE FUNCTION check_sub_campaign_inside_run() RETURNS trigger AS $$
DECLARE
    cid bigint;
BEGIN
    IF TG_TABLE_NAME = 'campaigns' THEN
        cid := NEW.id;
    ELSE
        cid := NEW.campaign_id;
    END IF;
    IF EXISTS (
        SELECT 1 FROM sub_campaigns s JOIN campaigns c ON c.id = s.campaign_id
        WHERE c.id = cid AND (s.starts_at < c.run_starts_at OR s.ends_at > c.run_ends_at)
    ) THEN
        RAISE EXCEPTION 'sub-campaign dates must lie inside the campaign run'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'sub_campaigns_inside_run';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER sub_campaigns_inside_run
    AFTER INSERT OR UPDATE ON sub_campaigns DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_sub_campaign_inside_run();
CREATE CONSTRAINT TRIGGER campaigns_sub_campaigns_inside_run
    AFTER UPDATE OF run_starts_at, run_ends_at ON campaigns DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_sub_campaign_inside_run();

-- Product tiers: the campaign price may be at most max_price_pct % of the
-- SKU's lookback low; the recommended price is recommended_pct % of it.
CREATE TABLE campaign_tiers (
    id              bigserial PRIMARY KEY,
    campaign_id     bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    tier            text NOT NULL CHECK (tier IN ('featured', 'regular')),
    max_price_pct   numeric(5,2) NOT NULL CHECK (max_price_pct > 0 AND max_price_pct <= 100),
    recommended_pct numeric(5,2) NOT NULL CHECK (recommended_pct > 0 AND recommended_pct <= 100),
    min_stock       integer NOT NULL CHECK (min_stock >= 1),
    CHECK (recommended_pct <= max_price_pct),
    UNIQUE (campaign_id, tier)
);

CREATE TABLE coupons (
    id                 bigserial PRIMARY KEY,
    campaign_id        bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    code               text NOT NULL CHECK (code ~ '^[A-Z0-9-]{3,32}$'),
    discount_type      text NOT NULL CHECK (discount_type IN ('fixed', 'percent')),
    value              numeric(12,2) NOT NULL CHECK (value > 0),
    min_purchase       numeric(12,2) NOT NULL DEFAULT 0 CHECK (min_purchase >= 0),
    cap                numeric(12,2) CHECK (cap > 0),
    targeting          text NOT NULL DEFAULT 'all' CHECK (targeting IN ('all', 'segment')),
    segment_name       text NOT NULL DEFAULT '',
    seller_share_pct   numeric(5,2) NOT NULL CHECK (seller_share_pct BETWEEN 0 AND 100),
    platform_share_pct numeric(5,2) NOT NULL CHECK (platform_share_pct BETWEEN 0 AND 100),
    max_seller_funding numeric(12,2) CHECK (max_seller_funding >= 0),
    total_quantity     integer NOT NULL CHECK (total_quantity > 0),
    claimed_quantity   integer NOT NULL DEFAULT 0 CHECK (claimed_quantity >= 0),
    UNIQUE (campaign_id, code),
    CONSTRAINT coupons_shares_sum CHECK (seller_share_pct + platform_share_pct = 100),
    CONSTRAINT coupons_percent_range CHECK (discount_type = 'fixed' OR value < 100),
    CONSTRAINT coupons_cap_percent_only CHECK (cap IS NULL OR discount_type = 'percent'),
    CONSTRAINT coupons_fixed_within_min CHECK (discount_type = 'percent' OR min_purchase = 0 OR value <= min_purchase),
    CONSTRAINT coupons_segment_named CHECK ((targeting = 'segment') = (segment_name <> '')),
    CONSTRAINT coupons_quantity_left CHECK (claimed_quantity <= total_quantity)
);

-- A shop's enrolment in a campaign (products and SKUs come with the
-- registration issue). One registration per shop and campaign.
CREATE TABLE registrations (
    id               bigserial PRIMARY KEY,
    campaign_id      bigint NOT NULL REFERENCES campaigns(id),
    shop_id          bigint NOT NULL REFERENCES shops(id),
    status           text NOT NULL CHECK (status IN ('pending', 'registered', 'rejected', 'withdrawn')),
    campaign_version integer NOT NULL CHECK (campaign_version >= 1),
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    decided_at       timestamptz,
    decided_by       bigint REFERENCES users(id),
    decision_reason  text NOT NULL DEFAULT '',
    UNIQUE (campaign_id, shop_id),
    UNIQUE (id, shop_id)
);
CREATE INDEX registrations_shop_idx ON registrations (shop_id, status);

-- +goose Down
DROP TABLE registrations, coupons, campaign_tiers, sub_campaigns, campaigns,
    price_history, skus, products, categories, login_failures, sessions, users, shops;
DROP FUNCTION check_sub_campaign_inside_run();
