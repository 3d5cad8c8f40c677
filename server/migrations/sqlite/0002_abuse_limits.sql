-- Abuse limits as GCRA cells: one row per limited key (a keyed hash of a phone number, a client
-- network), holding its theoretical arrival time. Sliding by construction: nobody waits for the
-- top of an hour. A row whose `tat` is in the past limits nothing and may be deleted.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_tat ON rate_limits (tat);

-- Wrong ID suffixes typed through a verification's current short link; a resend's new link
-- starts again at 0.
ALTER TABLE verifications ADD COLUMN link_wrong_suffixes INTEGER NOT NULL DEFAULT 0;

-- The fixed-window counters the GCRA cells replace.
DROP TABLE rate_counters;
