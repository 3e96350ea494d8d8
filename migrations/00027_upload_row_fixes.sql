-- +goose Up
-- A refused upload row keeps the fix its rules imply when every refusal of
-- the row has one (the maximum price, the available stock, the minimum
-- discount), so the result can offer it; fixed_at is when the seller
-- applied it to the draft.
ALTER TABLE upload_rows
    ADD COLUMN fixes jsonb,
    ADD COLUMN fixed_at timestamptz,
    ADD CONSTRAINT upload_rows_fixes_refused CHECK (fixes IS NULL OR (NOT valid AND jsonb_typeof(fixes) = 'array')),
    ADD CONSTRAINT upload_rows_fixed_has_fix CHECK (fixed_at IS NULL OR fixes IS NOT NULL);

-- +goose Down
ALTER TABLE upload_rows DROP COLUMN fixed_at, DROP COLUMN fixes;
