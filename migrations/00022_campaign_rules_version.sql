-- +goose Up
-- A campaign's rules (its row, sub-campaigns, tiers and coupons, except the
-- coupons' claimed counts, which orders move) carry a version the database
-- itself changes on every write, whoever writes: the portal keeps the
-- rules of each campaign in memory keyed by (id, rules_version) and reads
-- only the version (and the claimed counts) on every page. The version
-- comes from a sequence, so a rolled-back write never hands its number to a
-- later, different one: an entry cached from a transaction that did not
-- commit can never be mistaken for committed rules.

CREATE SEQUENCE campaign_rules_version_seq;
ALTER TABLE campaigns ADD COLUMN rules_version bigint NOT NULL DEFAULT nextval('campaign_rules_version_seq');

-- +goose StatementBegin
CREATE FUNCTION campaigns_bump_rules_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rules_version := nextval('campaign_rules_version_seq');
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER campaigns_rules_version BEFORE UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaigns_bump_rules_version();

-- A change to a campaign's sub-campaigns, tiers or coupons touches the
-- campaign row, whose trigger above takes a new version. A coupon update
-- that changes only claimed_quantity (an order claiming it) does not: the
-- claimed counts are read fresh on every page instead, and order imports
-- never lock the campaign row.
-- +goose StatementBegin
CREATE FUNCTION campaign_rules_child_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'coupons'
       AND to_jsonb(OLD) - 'claimed_quantity' = to_jsonb(NEW) - 'claimed_quantity' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE campaigns SET rules_version = 0 WHERE id = OLD.campaign_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.campaign_id <> OLD.campaign_id) THEN
        UPDATE campaigns SET rules_version = 0 WHERE id = NEW.campaign_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER sub_campaigns_rules_version AFTER INSERT OR UPDATE OR DELETE ON sub_campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_rules_child_changed();
CREATE TRIGGER campaign_tiers_rules_version AFTER INSERT OR UPDATE OR DELETE ON campaign_tiers
    FOR EACH ROW EXECUTE FUNCTION campaign_rules_child_changed();
CREATE TRIGGER coupons_rules_version AFTER INSERT OR UPDATE OR DELETE ON coupons
    FOR EACH ROW EXECUTE FUNCTION campaign_rules_child_changed();

-- +goose Down
DROP TRIGGER coupons_rules_version ON coupons;
DROP TRIGGER campaign_tiers_rules_version ON campaign_tiers;
DROP TRIGGER sub_campaigns_rules_version ON sub_campaigns;
DROP FUNCTION campaign_rules_child_changed();
DROP TRIGGER campaigns_rules_version ON campaigns;
DROP FUNCTION campaigns_bump_rules_version();
ALTER TABLE campaigns DROP COLUMN rules_version;
DROP SEQUENCE campaign_rules_version_seq;
