-- +goose Up
-- A price edit request whose product left the campaign (withdrawn,
-- rejected, or sent back to the draft by a SKU error) is closed, not
-- "replaced by a newer edit".
ALTER TABLE price_edit_requests DROP CONSTRAINT price_edit_requests_status_check;
ALTER TABLE price_edit_requests ADD CONSTRAINT price_edit_requests_status_check
    CHECK (status IN ('under_review', 'approved', 'rejected', 'replaced', 'closed'));

-- +goose Down
UPDATE price_edit_requests SET status = 'replaced' WHERE status = 'closed';
ALTER TABLE price_edit_requests DROP CONSTRAINT price_edit_requests_status_check;
ALTER TABLE price_edit_requests ADD CONSTRAINT price_edit_requests_status_check
    CHECK (status IN ('under_review', 'approved', 'rejected', 'replaced'));
