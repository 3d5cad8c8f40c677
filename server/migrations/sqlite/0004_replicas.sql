-- Several replicas on one database (and PostgreSQL, which has no rowid).

-- A verification's place in its filing, in the order the provider listed the people; it was the
-- rowid's job.
ALTER TABLE verifications ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0;
UPDATE verifications SET ordinal = rowid - (SELECT MIN(w.rowid) FROM verifications w WHERE w.filing_id = verifications.filing_id);

-- One row: a fingerprint of the secret key the data was written with (a keyed hash of a fixed
-- label, never the key). A server started with another key would verify no code and open no
-- outbox entry, so it refuses to start instead.
CREATE TABLE deployment (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    key_fingerprint BLOB NOT NULL,
    created_at      BIGINT NOT NULL
);

-- Closing a verification drops its unsent SMS: find them without reading the whole outbox.
CREATE INDEX sms_outbox_by_verification ON sms_outbox (verification_id);

-- Closing a filing closes its pending verifications: by filing and state, so the planner never
-- walks every pending verification through the (state, expires_at) index instead.
CREATE INDEX verifications_by_filing_state ON verifications (filing_id, state);
DROP INDEX verifications_by_filing;
