-- A provider's list, newest first (`ORDER BY created_at DESC, id DESC`, with or without a state or
-- province filter): read in index order from where the cursor points, instead of sorting all of
-- the provider's filings for every page. With 180,000 filings for one provider, the first page
-- took 47–51 ms on SQLite and 32–35 ms on PostgreSQL before this index, under 0.1 ms after
-- (3 runs of server/bench/list-page-index.sh).
CREATE INDEX filings_by_provider_created ON filings (provider_id, created_at, id);
