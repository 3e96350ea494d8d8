-- +goose Up
-- Reviewers decide product by product: each product carries who decided
-- it and when, every audit row names the product it decided, and the
-- registration's status follows from its products. The queue filters and
-- pages in SQL: the due moment is a stored column, and the price check
-- ("above the maximum now") is stored per registration by the periodic job.

ALTER TABLE registration_products
    ADD COLUMN decided_at timestamptz,
    ADD COLUMN decided_by bigint REFERENCES users(id),
    ADD COLUMN decision_code text NOT NULL DEFAULT '';
UPDATE registration_products rp SET decided_at = r.decided_at, decided_by = r.decided_by
    FROM registrations r
    WHERE r.id = rp.registration_id AND rp.status IN ('registered', 'rejected') AND r.decided_by IS NOT NULL;
UPDATE registration_products SET decision_reason = 'Rejected' WHERE status = 'rejected' AND decision_reason = '';
-- A product under review has no decision yet; a rejected one says why.
ALTER TABLE registration_products ADD CONSTRAINT registration_products_pending_undecided
    CHECK (status <> 'pending' OR decided_by IS NULL);
ALTER TABLE registration_products ADD CONSTRAINT registration_products_rejected_reason
    CHECK (status <> 'rejected' OR decision_reason <> '');
ALTER TABLE registration_products ADD CONSTRAINT registration_products_decided_when
    CHECK (decided_by IS NULL OR decided_at IS NOT NULL);

-- Audit rows from before per-product decisions name no product.
ALTER TABLE review_decisions ADD COLUMN registration_product_id bigint REFERENCES registration_products(id) ON DELETE CASCADE;
CREATE INDEX review_decisions_product_idx ON review_decisions (registration_product_id);
CREATE INDEX review_decisions_decided_idx ON review_decisions (decided_at DESC, id DESC);

-- The service level in SQL, the same rule as models.ReviewDueAt: 5 business
-- days (Monday to Friday, UTC) after submission, time of day kept. A test
-- checks both agree.
-- +goose StatementBegin
CREATE FUNCTION review_due_at(submitted timestamptz) RETURNS timestamptz AS $$
    SELECT ((submitted AT TIME ZONE 'UTC') + make_interval(days => d)) AT TIME ZONE 'UTC'
    FROM generate_series(1, 14) AS d
    WHERE extract(isodow FROM (submitted AT TIME ZONE 'UTC') + make_interval(days => d)) < 6
    ORDER BY d OFFSET 4 LIMIT 1
$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
-- +goose StatementEnd
ALTER TABLE registrations ADD COLUMN review_due_at timestamptz GENERATED ALWAYS AS (review_due_at(submitted_at)) STORED;
ALTER TABLE registrations
    ADD COLUMN above_max_skus integer NOT NULL DEFAULT 0 CHECK (above_max_skus >= 0),
    ADD COLUMN price_checked_at timestamptz;
CREATE INDEX registrations_review_due_idx ON registrations (review_due_at, id) WHERE status = 'pending';

-- +goose Down
DROP INDEX registrations_review_due_idx;
ALTER TABLE registrations DROP COLUMN price_checked_at, DROP COLUMN above_max_skus, DROP COLUMN review_due_at;
DROP FUNCTION review_due_at(timestamptz);
DROP INDEX review_decisions_decided_idx;
ALTER TABLE review_decisions DROP COLUMN registration_product_id;
ALTER TABLE registration_products DROP CONSTRAINT registration_products_decided_when,
    DROP CONSTRAINT registration_products_rejected_reason, DROP CONSTRAINT registration_products_pending_undecided,
    DROP COLUMN decision_code, DROP COLUMN decided_by, DROP COLUMN decided_at;
