-- +goose Up
-- Campaign authoring: optimistic locking of the working copy, published
-- versions with a snapshot of the rules and the list of changes sellers
-- see, and an audit log of every change.

ALTER TABLE campaigns ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE campaigns ADD COLUMN duplicated_from bigint REFERENCES campaigns(id);

-- Every published version of a campaign. The snapshot holds the rules as
-- published (tiers, coupons, sub-campaigns included), so a registration
-- made under version N is always judged by version N's rules.
CREATE TABLE campaign_versions (
    campaign_id  bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by bigint NOT NULL REFERENCES users(id),
    changes      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(changes) = 'array'),
    snapshot     jsonb NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
    PRIMARY KEY (campaign_id, version)
);

CREATE TABLE campaign_audit (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    actor_id    bigint NOT NULL REFERENCES users(id),
    action      text NOT NULL CHECK (action IN ('created', 'edited', 'published', 'new_version', 'closed', 'duplicated')),
    changes     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(changes) = 'array'),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_audit_campaign_idx ON campaign_audit (campaign_id, at DESC);

-- A coupon's quantity never drops below what shoppers already claimed, and
-- seller funding makes sense only when the seller pays a share.
ALTER TABLE coupons ADD CONSTRAINT coupons_max_funding_needs_share
    CHECK (max_seller_funding IS NULL OR seller_share_pct > 0);

-- +goose Down
ALTER TABLE coupons DROP CONSTRAINT coupons_max_funding_needs_share;
DROP TABLE campaign_audit, campaign_versions;
ALTER TABLE campaigns DROP COLUMN duplicated_from, DROP COLUMN revision;
