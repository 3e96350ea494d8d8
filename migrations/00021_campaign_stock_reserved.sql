-- +goose Up
-- Campaign stock is reserved: a SKU's campaign stock under review or
-- registered is held against its stock for the campaign's run. Campaigns
-- overlap when their run windows [run_starts_at, run_ends_at) intersect; at
-- no instant may the campaign stock reserved by the campaigns running then
-- exceed the SKU's stock. Withdrawn, rejected and SKU-error products hold
-- nothing (they do not take part), nor do closed campaigns.

CREATE INDEX registration_skus_sku_idx ON registration_skus (sku_id);

-- What other overlapping campaigns held of the SKU when the row was last
-- checked: available_stock is the stock minus this, so the campaign stock
-- rule (at most the available stock) already reads the reservations.
ALTER TABLE registration_skus ADD COLUMN reserved_stock integer NOT NULL DEFAULT 0 CHECK (reserved_stock >= 0);

-- The peak of the campaign stock reserved for a SKU at any instant of the
-- window [from_at, to_at), leaving out one registration (0: none).
-- +goose StatementBegin
CREATE FUNCTION sku_reserved_peak(sku bigint, from_at timestamptz, to_at timestamptz, except_registration bigint)
RETURNS integer AS $$
    WITH held AS (
        SELECT rs.campaign_stock, greatest(c.run_starts_at, from_at) AS starts, least(c.run_ends_at, to_at) AS ends
        FROM registration_skus rs
        JOIN registration_products rp ON rp.id = rs.registration_product_id
        JOIN registrations r ON r.id = rs.registration_id
        JOIN campaigns c ON c.id = r.campaign_id
        WHERE rs.sku_id = sku AND rs.registration_id <> except_registration
          AND rp.status IN ('pending', 'registered') AND rs.campaign_stock IS NOT NULL
          AND c.status <> 'closed' AND c.run_starts_at < to_at AND c.run_ends_at > from_at
    )
    -- The sum is highest at the start of one of the held windows.
    SELECT COALESCE(max((SELECT sum(h2.campaign_stock) FROM held h2 WHERE h2.starts <= h1.starts AND h2.ends > h1.starts)), 0)::integer
    FROM held h1
$$ LANGUAGE sql STABLE;
-- +goose StatementEnd

-- The backstop under every code path: a product entering a campaign
-- (submitted, or submitted again) locks its SKUs and checks that no
-- instant of the campaign's run is over-reserved. Deferred, so it reads the
-- rows as they are at commit; the row lock makes concurrent submits of the
-- same SKU check one after the other.
-- +goose StatementBegin
CREATE FUNCTION check_sku_reservation() RETURNS trigger AS $$
DECLARE
    sk record;
BEGIN
    FOR sk IN
        SELECT s.id, s.sku_code, c.run_starts_at, c.run_ends_at
        FROM registration_skus rs
        JOIN registration_products rp ON rp.id = rs.registration_product_id
        JOIN registrations r ON r.id = rs.registration_id
        JOIN campaigns c ON c.id = r.campaign_id
        JOIN skus s ON s.id = rs.sku_id
        WHERE rp.id = NEW.id AND rp.status IN ('pending', 'registered')
        ORDER BY s.id
    LOOP
        PERFORM 1 FROM skus WHERE id = sk.id FOR UPDATE;
        IF sku_reserved_peak(sk.id, sk.run_starts_at, sk.run_ends_at, 0) > (SELECT stock FROM skus WHERE id = sk.id) THEN
            RAISE EXCEPTION 'campaign stock of SKU % is more than its stock across overlapping campaigns', sk.sku_code
                USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_products_stock_reserved';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER registration_products_stock_reserved
    AFTER UPDATE OF status ON registration_products DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (NEW.status IN ('pending', 'registered') AND OLD.status NOT IN ('pending', 'registered'))
    EXECUTE FUNCTION check_sku_reservation();

-- +goose Down
DROP TRIGGER registration_products_stock_reserved ON registration_products;
DROP FUNCTION check_sku_reservation();
DROP FUNCTION sku_reserved_peak(bigint, timestamptz, timestamptz, bigint);
ALTER TABLE registration_skus DROP COLUMN reserved_stock;
DROP INDEX registration_skus_sku_idx;
