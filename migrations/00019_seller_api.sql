-- +goose Up
-- The sellers' registration API: per-shop keys, their rate-limit windows,
-- and the events feed a seller's tool follows.

-- A key belongs to one shop and opens only that shop's rows. Only the
-- SHA-256 of the key is kept (the key is 256 random bits, so a hash table
-- lookup is enough; see README, "API").
CREATE TABLE seller_api_keys (
    id           bigserial PRIMARY KEY,
    shop_id      bigint NOT NULL REFERENCES shops(id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0
        AND scopes <@ ARRAY['campaigns:read', 'registrations:write', 'finance:read']),
    key_hash     text NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    key_prefix   text NOT NULL,
    created_by   bigint NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   bigint REFERENCES users(id),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX seller_api_keys_shop_idx ON seller_api_keys (shop_id, created_at DESC, id DESC);

-- Requests per key per fixed window, shared by every portal instance: one
-- INSERT ... ON CONFLICT decides and counts.
CREATE TABLE seller_api_rate (
    key_id       bigint NOT NULL REFERENCES seller_api_keys(id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    requests     integer NOT NULL CHECK (requests > 0),
    PRIMARY KEY (key_id, window_start)
);

-- The events feed. Rows are written by triggers in the transaction that
-- makes the change, so an event exists exactly when its change committed.
-- xact is the writing transaction's id: the feed orders by (xact, id) and
-- shows only events of transactions older than every one still running
-- that may write this database (models.SellerEvents), so a page never
-- skips an event that commits later with a smaller id, and never shows
-- one twice.
CREATE TABLE seller_events (
    id              bigserial PRIMARY KEY,
    shop_id         bigint NOT NULL REFERENCES shops(id),
    campaign_id     bigint NOT NULL,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('decision', 'sku_error', 'price_edit_result', 'withdrawal')),
    data            jsonb NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    xact            xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX seller_events_feed_idx ON seller_events (shop_id, xact, id);

-- +goose StatementBegin
CREATE FUNCTION seller_event_product() RETURNS trigger AS $$
DECLARE
    cid bigint;
BEGIN
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        RETURN NULL;
    END IF;
    SELECT campaign_id INTO cid FROM registrations WHERE id = NEW.registration_id;
    IF OLD.status = 'pending' AND NEW.status IN ('registered', 'rejected') THEN
        INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
        VALUES (NEW.shop_id, cid, NEW.registration_id, 'decision', jsonb_build_object(
            'registration_product_id', NEW.id, 'product_id', NEW.product_id,
            'status', NEW.status, 'reason_code', NEW.decision_code, 'reason', NEW.decision_reason));
    ELSIF NEW.status = 'sku_error' THEN
        INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
        VALUES (NEW.shop_id, cid, NEW.registration_id, 'sku_error', jsonb_build_object(
            'registration_product_id', NEW.id, 'product_id', NEW.product_id,
            'state', 'raised', 'status', NEW.status, 'reason', NEW.sku_error_reason));
    ELSIF OLD.status = 'sku_error' THEN
        INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
        VALUES (NEW.shop_id, cid, NEW.registration_id, 'sku_error', jsonb_build_object(
            'registration_product_id', NEW.id, 'product_id', NEW.product_id,
            'state', 'resolved', 'status', NEW.status, 'reason', OLD.sku_error_reason));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER seller_events_product AFTER UPDATE OF status ON registration_products
    FOR EACH ROW EXECUTE FUNCTION seller_event_product();

-- +goose StatementBegin
CREATE FUNCTION seller_event_price_edit() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'under_review' AND NEW.status IN ('approved', 'rejected') THEN
        INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
        SELECT NEW.shop_id, r.campaign_id, NEW.registration_id, 'price_edit_result', jsonb_build_object(
            'price_edit_id', NEW.id, 'registration_sku_id', NEW.registration_sku_id, 'status', NEW.status,
            'old_price', to_char(NEW.old_price, 'FM9999999999990.00'),
            'new_price', to_char(NEW.new_price, 'FM9999999999990.00'),
            'reason_code', NEW.reason_code, 'reason', NEW.reason_text)
        FROM registrations r WHERE r.id = NEW.registration_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER seller_events_price_edit AFTER UPDATE OF status ON price_edit_requests
    FOR EACH ROW EXECUTE FUNCTION seller_event_price_edit();

-- +goose StatementBegin
CREATE FUNCTION seller_event_withdrawal() RETURNS trigger AS $$
BEGIN
    INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
    SELECT NEW.shop_id, r.campaign_id, NEW.registration_id, 'withdrawal', jsonb_build_object(
        'withdrawal_id', NEW.id, 'registration_product_id', NEW.registration_product_id, 'kind', NEW.kind,
        'requested_at', NEW.requested_at, 'effective_at', NEW.effective_at)
    FROM registrations r WHERE r.id = NEW.registration_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER seller_events_withdrawal AFTER INSERT ON withdrawals
    FOR EACH ROW EXECUTE FUNCTION seller_event_withdrawal();

-- +goose Down
DROP TRIGGER seller_events_withdrawal ON withdrawals;
DROP TRIGGER seller_events_price_edit ON price_edit_requests;
DROP TRIGGER seller_events_product ON registration_products;
DROP FUNCTION seller_event_withdrawal();
DROP FUNCTION seller_event_price_edit();
DROP FUNCTION seller_event_product();
DROP TABLE seller_events, seller_api_rate, seller_api_keys;
