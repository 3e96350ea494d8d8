-- +goose Up
-- A bulk import of a million orders spent more of PostgreSQL's time in
-- foreign key checks than in storing the rows: one RI query a line for its
-- order, one for its SKU, one an order-campaign row for its order (measured:
-- a plain COPY of the same rows took 2.3-2.6 times the CPU with these keys).
-- The importer is the only writer of these tables and already guarantees
-- what they checked: it resolves every SKU by the shop and the seller's SKU
-- id in the same transaction (SKUs are only ever soft-deleted), and writes an
-- order's lines and campaigns with the order, in one transaction, under the
-- id it drew from orders_id_seq. Orders are never deleted, so the cascades
-- never ran. The keys of orders itself (to its shop and its coupon) stay:
-- one check an order, and a draft campaign's coupons are deleted on edit.
ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_fkey;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_sku_id_fkey;
ALTER TABLE order_campaigns DROP CONSTRAINT order_campaigns_order_id_fkey;

-- The same rule for the order id, without the bounded repetition: the
-- regular expression engine expands {1,64} into 64 copies of the class,
-- which made this one check (4-7 us a row) cost more than all the other
-- checks of the table together.
ALTER TABLE orders DROP CONSTRAINT orders_external_id_check;
ALTER TABLE orders ADD CONSTRAINT orders_external_id_check
    CHECK (external_id ~ '^[A-Za-z0-9._~:-]+$' AND length(external_id) <= 64);

-- +goose Down
ALTER TABLE orders DROP CONSTRAINT orders_external_id_check;
ALTER TABLE orders ADD CONSTRAINT orders_external_id_check CHECK (external_id ~ '^[A-Za-z0-9._~:-]{1,64}$');
ALTER TABLE order_campaigns ADD CONSTRAINT order_campaigns_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_sku_id_fkey FOREIGN KEY (sku_id) REFERENCES skus(id);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE;
