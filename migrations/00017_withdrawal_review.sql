-- +goose Up
-- Withdrawal review, a campaign setting (off by default, as before): when
-- on, a withdrawal of a registered product is a request a reviewer
-- approves or declines. effective_at is the approval instant (fees stop
-- from it), NULL until then; without review a withdrawal is approved at
-- the instant it is asked, as before.
ALTER TABLE campaigns ADD COLUMN withdrawal_review boolean NOT NULL DEFAULT false;

ALTER TABLE withdrawals
    ADD COLUMN status text NOT NULL DEFAULT 'approved'
        CHECK (status IN ('requested', 'approved', 'declined', 'cancelled')),
    ADD COLUMN decided_at timestamptz,
    ADD COLUMN decided_by bigint REFERENCES users(id),
    ADD COLUMN decision_code text NOT NULL DEFAULT '',
    ADD COLUMN decision_reason text NOT NULL DEFAULT '';
ALTER TABLE withdrawals ALTER COLUMN effective_at DROP NOT NULL;
-- Approved: it took effect (effective_at, the approval instant, at or
-- after the request; decided_by is the reviewer, NULL when no review was
-- needed). Requested: nothing decided yet. Declined or cancelled: decided
-- at decided_at, never effective; a decline says who and why.
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_effective_when_approved
    CHECK ((status = 'approved') = (effective_at IS NOT NULL));
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_decided
    CHECK ((status IN ('declined', 'cancelled')) = (decided_at IS NOT NULL));
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_decided_after_request
    CHECK (decided_at IS NULL OR decided_at >= requested_at);
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_requested_undecided
    CHECK (status <> 'requested' OR decided_by IS NULL);
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_declined_reason
    CHECK (status <> 'declined' OR (decided_by IS NOT NULL AND decision_reason <> ''));
-- One open request per product.
CREATE UNIQUE INDEX withdrawals_one_requested ON withdrawals (registration_product_id) WHERE status = 'requested';
CREATE INDEX withdrawals_queue_idx ON withdrawals (requested_at, id) WHERE status = 'requested';

-- +goose Down
DROP INDEX withdrawals_queue_idx;
DROP INDEX withdrawals_one_requested;
DELETE FROM withdrawals WHERE status <> 'approved';
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_declined_reason, DROP CONSTRAINT withdrawals_requested_undecided,
    DROP CONSTRAINT withdrawals_decided_after_request, DROP CONSTRAINT withdrawals_decided,
    DROP CONSTRAINT withdrawals_effective_when_approved;
ALTER TABLE withdrawals ALTER COLUMN effective_at SET NOT NULL;
ALTER TABLE withdrawals DROP COLUMN decision_reason, DROP COLUMN decision_code, DROP COLUMN decided_by,
    DROP COLUMN decided_at, DROP COLUMN status;
ALTER TABLE campaigns DROP COLUMN withdrawal_review;
