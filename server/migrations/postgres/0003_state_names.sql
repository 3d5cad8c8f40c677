-- One name per state, the same on the wire and in storage (docs/states.md): a filing that went to
-- review is `completed` (as its event `filing.completed` and history entry say); a person who used
-- up their tries is `attempts_used_up` (as the check outcome says), and so is the return reason
-- they cause; a person whose filing went back on someone else's account is `returned` (as the
-- link landing and the check outcome say).
UPDATE filings SET state = 'completed' WHERE state = 'complete';
UPDATE filings SET return_reason = 'attempts_used_up' WHERE return_reason = 'failed_attempts';
UPDATE verifications SET state = 'attempts_used_up' WHERE state = 'failed';
UPDATE verifications SET state = 'returned' WHERE state = 'closed';

-- The history names a check by its outcome and a return by its reason. A wrong code with tries
-- left is `wrong_code` (`failed` named no state), the check that completes a filing `completed`.
UPDATE filing_events SET detail = 'wrong_code' WHERE kind = 'check' AND detail = 'failed';
UPDATE filing_events SET detail = 'completed' WHERE kind = 'check' AND detail = 'complete';
UPDATE filing_events SET detail = 'attempts_used_up' WHERE kind = 'returned' AND detail = 'failed_attempts';

-- Webhook events already queued keep the bytes they were signed and first sent with: a retry
-- repeats the same message (a provider deduplicates by its id).
