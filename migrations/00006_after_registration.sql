-- +goose Up
-- After registration: price edit requests, withdrawals, SKU errors and
-- notifications.

ALTER TABLE registration_products ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE registration_products ADD COLUMN sku_error_at timestamptz;
ALTER TABLE registration_products ADD COLUMN sku_error_reason text NOT NULL DEFAULT '';
ALTER TABLE registration_products ADD CONSTRAINT registration_products_sku_error
    CHECK (status <> 'sku_error' OR sku_error_at IS NOT NULL);
ALTER TABLE registration_products ADD CONSTRAINT registration_products_withdrawn
    CHECK (status <> 'withdrawn' OR withdrawn_at IS NOT NULL);

-- A proposed new campaign price for a registered SKU. One open request per
-- SKU: a newer edit replaces the open one.
CREATE TABLE price_edit_requests (
    id                  bigserial PRIMARY KEY,
    registration_id     bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    registration_sku_id bigint NOT NULL REFERENCES registration_skus(id) ON DELETE CASCADE,
    shop_id             bigint NOT NULL REFERENCES shops(id),
    old_price           numeric(12,2) NOT NULL CHECK (old_price > 0),
    new_price           numeric(12,2) NOT NULL CHECK (new_price > 0),
    max_price           numeric(12,2) NOT NULL CHECK (max_price > 0),
    status              text NOT NULL DEFAULT 'under_review'
        CHECK (status IN ('under_review', 'approved', 'rejected', 'replaced')),
    submitted_at        timestamptz NOT NULL,
    due_at              timestamptz NOT NULL,
    submitted_by        bigint NOT NULL REFERENCES users(id),
    decided_at          timestamptz,
    decided_by          bigint REFERENCES users(id),
    reason_code         text NOT NULL DEFAULT '',
    reason_text         text NOT NULL DEFAULT '',
    CHECK (new_price <> old_price),
    CHECK (due_at > submitted_at),
    CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL))
);
CREATE UNIQUE INDEX price_edit_requests_one_open ON price_edit_requests (registration_sku_id) WHERE status = 'under_review';
CREATE INDEX price_edit_requests_queue ON price_edit_requests (due_at) WHERE status = 'under_review';

-- Withdrawals: when asked, and when they took effect (fees depend on it).
CREATE TABLE withdrawals (
    id                      bigserial PRIMARY KEY,
    registration_id         bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    registration_product_id bigint NOT NULL REFERENCES registration_products(id) ON DELETE CASCADE,
    shop_id                 bigint NOT NULL REFERENCES shops(id),
    kind                    text NOT NULL CHECK (kind IN ('product', 'campaign', 'discount', 'sku_error')),
    requested_at            timestamptz NOT NULL,
    effective_at            timestamptz NOT NULL,
    requested_by            bigint NOT NULL REFERENCES users(id),
    previous_extra_discount numeric(5,2),
    CHECK (effective_at >= requested_at)
);
CREATE INDEX withdrawals_product_idx ON withdrawals (registration_product_id, effective_at);

-- The in-app notification centre. dedupe_key makes a reminder sent by
-- several portal instances arrive once.
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('review_decision', 'price_edit_decision', 'sku_error', 'deadline', 'overdue')),
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    link       text NOT NULL DEFAULT '' CHECK (link = '' OR link LIKE '/%'),
    dedupe_key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC) WHERE read_at IS NULL;

-- Who changed which SKU in Managed products.
CREATE TABLE sku_changes (
    id         bigserial PRIMARY KEY,
    sku_id     bigint NOT NULL REFERENCES skus(id),
    shop_id    bigint NOT NULL REFERENCES shops(id),
    user_id    bigint NOT NULL REFERENCES users(id),
    change     text NOT NULL CHECK (change IN ('retail_price', 'attributes', 'stock', 'added', 'deleted')),
    old_value  text NOT NULL DEFAULT '',
    new_value  text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sku_changes_sku_idx ON sku_changes (sku_id, at DESC);

-- +goose Down
DROP TABLE sku_changes, notifications, withdrawals, price_edit_requests;
ALTER TABLE registration_products DROP CONSTRAINT registration_products_withdrawn,
    DROP CONSTRAINT registration_products_sku_error,
    DROP COLUMN sku_error_reason, DROP COLUMN sku_error_at, DROP COLUMN withdrawn_at;
