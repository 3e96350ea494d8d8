-- +goose Up
-- The write side of the sellers' API: Idempotency-Key answers and bulk
-- price/stock jobs.

-- One row per (key, Idempotency-Key): claimed by one INSERT ... ON CONFLICT
-- before the request runs (status NULL while it runs), then completed with
-- the answer that a replay returns. Kept 24 hours (models.IdempotencyKeep);
-- older rows are purged by later claims of the same key and may be reused.
CREATE TABLE seller_api_idempotency (
    key_id       bigint NOT NULL REFERENCES seller_api_keys(id) ON DELETE CASCADE,
    idem_key     text NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
    request_hash text NOT NULL CHECK (length(request_hash) = 64),
    status       integer CHECK (status BETWEEN 200 AND 499),
    content_type text NOT NULL DEFAULT '',
    etag         text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (key_id, idem_key),
    CHECK ((status IS NULL) = (body IS NULL))
);
CREATE INDEX seller_api_idempotency_age_idx ON seller_api_idempotency (key_id, created_at);

-- A bulk price/stock request too large to answer inline runs as a River job;
-- its rows wait here and its result document is written when it is done.
CREATE TABLE seller_api_bulk_jobs (
    id              bigserial PRIMARY KEY,
    shop_id         bigint NOT NULL REFERENCES shops(id),
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    key_id          bigint NOT NULL REFERENCES seller_api_keys(id) ON DELETE CASCADE,
    dry_run         boolean NOT NULL,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total_rows      integer NOT NULL CHECK (total_rows BETWEEN 1 AND 10000),
    rows            jsonb NOT NULL,
    result          jsonb,
    error           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    CHECK ((status = 'done') = (result IS NOT NULL)),
    CHECK ((status IN ('done', 'failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX seller_api_bulk_jobs_shop_idx ON seller_api_bulk_jobs (shop_id, id);

-- +goose Down
DROP TABLE seller_api_bulk_jobs;
DROP TABLE seller_api_idempotency;
