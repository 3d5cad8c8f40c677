-- Providers, filings, the people who verify them, and their history.
-- Secrets appear only as keyed hashes (BLOB): codes, link tokens, ID suffixes, API keys.
-- Times are Unix milliseconds (INTEGER). Kept to SQL that PostgreSQL also runs.

CREATE TABLE providers (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    key_hash      BLOB NOT NULL UNIQUE,
    callback_url  TEXT,
    callback_secret TEXT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE filings (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    reference       TEXT,
    business_type   TEXT NOT NULL,
    subject_name    TEXT NOT NULL,
    website_names   TEXT NOT NULL,
    completion      TEXT NOT NULL,
    state           TEXT NOT NULL,
    return_reason   TEXT,
    created_at      BIGINT NOT NULL,
    closed_at       BIGINT,
    idempotency_key TEXT,
    request_hash    BLOB,
    UNIQUE (provider_id, idempotency_key)
);
CREATE INDEX filings_by_provider_state ON filings (provider_id, state, created_at);

CREATE TABLE verifications (
    id            TEXT PRIMARY KEY,
    filing_id     TEXT NOT NULL REFERENCES filings (id),
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    suffix_hash   BLOB NOT NULL,
    code_hash     BLOB NOT NULL,
    token_hash    BLOB NOT NULL UNIQUE,
    roles         TEXT NOT NULL,
    state         TEXT NOT NULL,
    attempts_used INTEGER NOT NULL DEFAULT 0,
    resends_used  INTEGER NOT NULL DEFAULT 0,
    issued_at     BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    closed_at     BIGINT,
    sms_failed    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX verifications_by_person ON verifications (phone, suffix_hash);
CREATE INDEX verifications_by_filing ON verifications (filing_id);
CREATE INDEX verifications_pending_expiry ON verifications (state, expires_at);

CREATE TABLE filing_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    filing_id       TEXT NOT NULL REFERENCES filings (id),
    at              BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    verification_id TEXT,
    detail          TEXT
);
CREATE INDEX filing_events_by_filing ON filing_events (filing_id, id);

-- Each SMS to send. `payload` (text, link and code) is sealed with the server's outbox key and
-- set to NULL once the gateway has accepted it.
CREATE TABLE sms_outbox (
    id              TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL REFERENCES verifications (id),
    phone           TEXT NOT NULL,
    payload         BLOB,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX sms_outbox_due ON sms_outbox (state, next_attempt_at);

-- Fixed-window counters shared by every replica (abuse limits).
CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Signed events for providers' callback URLs, delivered at least once.
CREATE TABLE webhook_outbox (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    filing_id       TEXT NOT NULL REFERENCES filings (id),
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at);
