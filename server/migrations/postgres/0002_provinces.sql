-- Provinces: whose communications administration (管局) reviews a request, and why one went to
-- review with nobody verifying. Filings made before this have no province (NULL).

-- The GB/T 2260 code (`330000`).
ALTER TABLE filings ADD COLUMN province TEXT;
-- The 管局's name when the request was submitted (`浙江省通信管理局`).
ALTER TABLE filings ADD COLUMN authority TEXT;
-- Set when the province did not verify by SMS on the day: why it went straight to review.
ALTER TABLE filings ADD COLUMN review_note TEXT;

-- The provider list filters by province; `/metrics` counts pending requests per province.
CREATE INDEX filings_by_provider_province ON filings (provider_id, province, created_at);
CREATE INDEX filings_by_state_province ON filings (state, province);
