-- Several API keys per provider, so a key can be rotated (the old one works until `expires_at`)
-- and revoked (`expires_at` set to now). Keys are stored only as keyed hashes, as before.
-- providers.key_hash stays as the provider's first key, for history only: authentication reads
-- this table.
CREATE TABLE provider_keys (
    key_hash    BLOB PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    created_at  BIGINT NOT NULL,
    -- NULL: no end. Set by a rotation (now + overlap) or a revocation (now).
    expires_at  BIGINT
);
CREATE INDEX provider_keys_by_provider ON provider_keys (provider_id);

INSERT INTO provider_keys (key_hash, provider_id, created_at, expires_at)
SELECT key_hash, id, created_at, NULL FROM providers;

-- SMS quotas (per provider per minute and per day, per phone number per day): sliding-window
-- counters shared by every replica (a submit takes one unit per person at once, which the GCRA
-- cells of rate_limits do not model).
CREATE TABLE sms_quota_counters (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
