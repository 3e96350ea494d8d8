-- +goose Up
-- With withdrawal review (00017) a withdrawal is first a request: the
-- events feed (00019) tells the seller's tool of the request and of each
-- step after it (approved, declined, cancelled), with the status and both
-- instants, in the transaction that made the step.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION seller_event_withdrawal() RETURNS trigger AS $$
BEGIN
    INSERT INTO seller_events (shop_id, campaign_id, registration_id, kind, data)
    SELECT NEW.shop_id, r.campaign_id, NEW.registration_id, 'withdrawal', jsonb_build_object(
        'withdrawal_id', NEW.id, 'registration_product_id', NEW.registration_product_id, 'kind', NEW.kind,
        'status', NEW.status, 'requested_at', NEW.requested_at, 'effective_at', NEW.effective_at,
        'decided_at', NEW.decided_at, 'decision_reason', NEW.decision_reason)
    FROM registrations r WHERE r.id = NEW.registration_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER seller_events_withdrawal_step AFTER UPDATE OF status ON withdrawals
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION seller_event_withdrawal();

-- +goose Down
DROP TRIGGER seller_events_withdrawal_step ON withdrawals;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION seller_event_withdrawal() RETURNS trigger AS $$
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
