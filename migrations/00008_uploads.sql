-- +goose Up
-- Bulk upload: a seller's spreadsheet of products for a registration, kept
-- with every row's verdict. The file itself is stored so the job queue
-- (River, in the same database) can check it on any portal instance and
-- after a restart.

CREATE TABLE uploads (
    id              bigserial PRIMARY KEY,
    shop_id         bigint NOT NULL,
    registration_id bigint NOT NULL,
    uploaded_by     bigint REFERENCES users(id),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    file_sha256     text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    kind            text NOT NULL CHECK (kind IN ('csv', 'xlsx')),
    -- the portal caps uploads at 5 MiB; the database refuses anything near
    -- the request body limit too
    content         bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 8388608),
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'done', 'failed')),
    total_rows      integer NOT NULL DEFAULT 0 CHECK (total_rows BETWEEN 0 AND 10000),
    processed_rows  integer NOT NULL DEFAULT 0 CHECK (processed_rows >= 0),
    valid_rows      integer NOT NULL DEFAULT 0 CHECK (valid_rows >= 0),
    invalid_rows    integer NOT NULL DEFAULT 0 CHECK (invalid_rows >= 0),
    skipped_rows    integer NOT NULL DEFAULT 0 CHECK (skipped_rows >= 0),
    error           text NOT NULL DEFAULT '',
    saved_at        timestamptz,
    saved_rows      integer CHECK (saved_rows >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    FOREIGN KEY (registration_id, shop_id) REFERENCES registrations(id, shop_id) ON DELETE CASCADE,
    -- the same file twice for one registration is the same upload
    UNIQUE (registration_id, file_sha256),
    CONSTRAINT uploads_progress CHECK (processed_rows <= total_rows AND valid_rows + invalid_rows + skipped_rows = processed_rows),
    CONSTRAINT uploads_saved_when_done CHECK (saved_at IS NULL OR status = 'done'),
    CONSTRAINT uploads_saved_rows CHECK ((saved_at IS NULL) = (saved_rows IS NULL)),
    CONSTRAINT uploads_failed_has_error CHECK (status <> 'failed' OR error <> '')
);
CREATE INDEX uploads_registration_idx ON uploads (registration_id, id DESC);

-- One row per data row of the file that asks for something (blank rows and
-- template rows left empty are counted as skipped, not stored). Values are
-- kept as the seller typed them, so the errors file shows them back.
CREATE TABLE upload_rows (
    upload_id      bigint NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    row_number     integer NOT NULL CHECK (row_number >= 2),
    pid            text NOT NULL DEFAULT '',
    sku_code       text NOT NULL DEFAULT '',
    price_text     text NOT NULL DEFAULT '',
    stock_text     text NOT NULL DEFAULT '',
    tier_text      text NOT NULL DEFAULT '',
    discount_text  text NOT NULL DEFAULT '',
    valid          boolean NOT NULL,
    reason         text NOT NULL DEFAULT '',
    product_id     bigint,
    sku_id         bigint,
    campaign_price numeric(12,2) CHECK (campaign_price > 0),
    campaign_stock integer CHECK (campaign_stock > 0),
    tier           text CHECK (tier IN ('featured', 'regular')),
    extra_discount numeric(5,2) CHECK (extra_discount > 0 AND extra_discount < 100),
    PRIMARY KEY (upload_id, row_number),
    CONSTRAINT upload_rows_reason CHECK (valid = (reason = '')),
    CONSTRAINT upload_rows_valid_complete CHECK (NOT valid OR (product_id IS NOT NULL AND sku_id IS NOT NULL
        AND campaign_price IS NOT NULL AND campaign_stock IS NOT NULL AND tier IS NOT NULL))
);
CREATE INDEX upload_rows_invalid_idx ON upload_rows (upload_id, row_number) WHERE NOT valid;

-- +goose Down
DROP TABLE upload_rows, uploads;
