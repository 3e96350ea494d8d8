-- +goose Up
-- Orders imported from the marketplace, their events, and what each
-- settles at. The inputs a settlement depends on are frozen when the order
-- is imported (each line's applicable campaign with its rate and refund
-- policy, the coupon's terms), so an order settles the same way forever,
-- whatever happens to the campaign later. The totals of the settlement are
-- columns (the settled records list and its totals read only those); the
-- full breakdown is recomputed for one order from its frozen inputs.

-- Bearer tokens for the marketplace's order feed. Only the SHA-256 of a
-- token is kept; the token itself is shown once.
CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    token_prefix text NOT NULL CHECK (length(token_prefix) BETWEEN 4 AND 16),
    created_by   bigint REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   bigint REFERENCES users(id),
    CHECK (revoked_by IS NULL OR revoked_at IS NOT NULL)
);

CREATE TABLE orders (
    id                      bigserial PRIMARY KEY,
    shop_id                 bigint NOT NULL REFERENCES shops(id),
    external_id             text NOT NULL CHECK (external_id ~ '^[A-Za-z0-9._~:-]{1,64}$'),
    -- SHA-256 of the request as parsed JSON (keys sorted, amounts as
    -- written): the same body again is a replay, another body a conflict.
    request_hash            bytea NOT NULL CHECK (octet_length(request_hash) = 32),
    placed_at               timestamptz NOT NULL,
    status                  text NOT NULL DEFAULT 'placed'
        CHECK (status IN ('placed', 'completed', 'cancelled', 'partially_returned', 'returned')),
    shipping_paid           numeric(12,2) NOT NULL CHECK (shipping_paid >= 0),
    -- the coupon asked for, whether it applied, and its terms as they were
    coupon_id               bigint REFERENCES coupons(id),
    coupon_status           text CHECK (coupon_status IN ('applied', 'not_applicable', 'below_min_purchase', 'exhausted')),
    coupon_terms            jsonb,
    merchandise             numeric(14,2) NOT NULL CHECK (merchandise >= 0),
    fee                     numeric(12,2) NOT NULL CHECK (fee >= 0),
    fee_refunded            numeric(12,2) NOT NULL DEFAULT 0 CHECK (fee_refunded >= 0),
    discount                numeric(12,2) NOT NULL DEFAULT 0 CHECK (discount >= 0),
    seller_share            numeric(12,2) NOT NULL DEFAULT 0 CHECK (seller_share >= 0),
    platform_share          numeric(12,2) NOT NULL DEFAULT 0 CHECK (platform_share >= 0),
    merchandise_reversed    numeric(14,2) NOT NULL DEFAULT 0 CHECK (merchandise_reversed >= 0),
    shipping_reversed       numeric(12,2) NOT NULL DEFAULT 0 CHECK (shipping_reversed >= 0),
    discount_reversed       numeric(12,2) NOT NULL DEFAULT 0 CHECK (discount_reversed >= 0),
    seller_share_reversed   numeric(12,2) NOT NULL DEFAULT 0 CHECK (seller_share_reversed >= 0),
    platform_share_reversed numeric(12,2) NOT NULL DEFAULT 0 CHECK (platform_share_reversed >= 0),
    payout                  numeric(14,2) NOT NULL,
    last_event_at           timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shop_id, external_id),
    CONSTRAINT orders_coupon_status CHECK ((coupon_id IS NULL) = (coupon_status IS NULL) AND (coupon_id IS NULL) = (coupon_terms IS NULL)),
    CONSTRAINT orders_coupon_split CHECK (seller_share + platform_share = discount),
    CONSTRAINT orders_coupon_only_applied CHECK (discount = 0 OR coupon_status = 'applied'),
    CONSTRAINT orders_reversals_within CHECK (merchandise_reversed <= merchandise AND shipping_reversed <= shipping_paid
        AND fee_refunded <= fee AND discount_reversed <= discount AND seller_share_reversed <= seller_share
        AND platform_share_reversed <= platform_share
        AND seller_share_reversed + platform_share_reversed = discount_reversed),
    CONSTRAINT orders_cancelled_no_fee CHECK (status <> 'cancelled' OR (fee = 0 AND payout = 0)),
    -- never clamped: a negative payout is owed by the seller
    CONSTRAINT orders_payout CHECK (payout = merchandise + shipping_paid - fee - seller_share - merchandise_reversed
        - shipping_reversed + fee_refunded + seller_share_reversed)
);
-- The settled records list pages through a shop's orders newest first
-- (keyset on placed_at, id); a status filter reads the same index.
CREATE INDEX orders_shop_placed_idx ON orders (shop_id, placed_at DESC, id DESC);

-- One row per line, with the verdict frozen at import: the applicable
-- campaign with its rate and refund policy, or why the line has none.
-- campaign_id and registration_id are a record of that verdict, not live
-- links (campaigns are never deleted); leaving their foreign keys out
-- keeps bulk imports fast.
CREATE TABLE order_lines (
    order_id        bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no         smallint NOT NULL CHECK (line_no >= 1),
    sku_id          bigint NOT NULL REFERENCES skus(id),
    quantity        integer NOT NULL CHECK (quantity >= 1),
    unit_price      numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    seller_discount numeric(14,2) NOT NULL CHECK (seller_discount >= 0 AND seller_discount <= quantity * unit_price),
    campaign_id     bigint,
    registration_id bigint,
    campaign_price  numeric(12,2),
    fee_rate        numeric(6,4) CHECK (fee_rate >= 0 AND fee_rate < 1),
    fee_policy      text CHECK (fee_policy IN ('refund_in_full', 'no_refund')),
    not_campaign    text CHECK (not_campaign IN ('not_registered', 'not_approved', 'outside_run', 'sku_error', 'withdrawn')),
    not_campaign_at timestamptz,
    returned        integer NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= quantity),
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_lines_verdict CHECK (
        (campaign_id IS NOT NULL AND fee_rate IS NOT NULL AND fee_policy IS NOT NULL AND not_campaign IS NULL)
        OR (campaign_id IS NULL AND fee_rate IS NULL AND fee_policy IS NULL AND not_campaign IS NOT NULL))
);

-- The campaigns an order's lines applied, for the settled records filter:
-- its key is the filtered list's order, so one index serves both.
CREATE TABLE order_campaigns (
    shop_id     bigint NOT NULL,
    campaign_id bigint NOT NULL,
    placed_at   timestamptz NOT NULL,
    order_id    bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    PRIMARY KEY (shop_id, campaign_id, placed_at, order_id)
);

-- Accepted events, in order. A return's lines are kept as sent (none:
-- every unit not yet returned).
CREATE TABLE order_events (
    order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    seq      integer NOT NULL CHECK (seq >= 1),
    kind     text NOT NULL CHECK (kind IN ('completed', 'cancelled', 'returned')),
    at       timestamptz NOT NULL,
    lines    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(lines) = 'array'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, seq)
);

-- Running totals per shop, UTC day of placed_at, campaign (0: every order)
-- and status, kept in step with the orders by the same transactions, so
-- the settled records totals never scan a shop's whole history.
CREATE TABLE settled_totals (
    shop_id        bigint NOT NULL REFERENCES shops(id),
    campaign_id    bigint NOT NULL,
    status         text NOT NULL,
    day            date NOT NULL,
    orders         bigint NOT NULL DEFAULT 0,
    merchandise    numeric(16,2) NOT NULL DEFAULT 0,
    shipping       numeric(16,2) NOT NULL DEFAULT 0,
    reversed       numeric(16,2) NOT NULL DEFAULT 0,
    fee            numeric(16,2) NOT NULL DEFAULT 0,
    fee_refunded   numeric(16,2) NOT NULL DEFAULT 0,
    seller_share   numeric(16,2) NOT NULL DEFAULT 0,
    platform_share numeric(16,2) NOT NULL DEFAULT 0,
    payout         numeric(16,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, campaign_id, status, day)
);

-- +goose Down
DROP TABLE settled_totals, order_events, order_campaigns, order_lines, orders, api_tokens;
