#!/usr/bin/env bash
# The first page of one provider's list (the store's `list_filings` query) with and without the
# index `filings_by_provider_created`, on SQLite (sqlite3) and PostgreSQL (psql), over the
# migrations as they are: 200,000 filings, 180,000 of them one provider's. 3 runs on 2026-11-29:
# SQLite 47–51 ms without the index, under 0.1 ms with it; PostgreSQL 32–35 ms, under 0.06 ms.
#   server/bench/list-page-index.sh [postgres://user@host:port/maintenance-db]
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:-postgres://postgres@127.0.0.1:5432/postgres}
index=filings_by_provider_created
page="SELECT id, created_at FROM filings WHERE provider_id = 'p' AND (NULL IS NULL OR state = NULL)
  AND (NULL IS NULL OR province = NULL) ORDER BY created_at DESC, id DESC LIMIT 51"
seed_rows="CASE WHEN i % 10 = 0 THEN 'q' ELSE 'p' END, 'new_filing', 's', '[]', 'all', 'pending',
  1700000000000 + i * 1000"
columns="(id, provider_id, business_type, subject_name, website_names, completion, state, created_at)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "SQLite:"
for f in migrations/sqlite/*.sql; do sqlite3 "$work/list.db" < "$f"; done
sqlite3 "$work/list.db" <<SQL
INSERT INTO providers (id, name, key_hash, created_at) VALUES ('p', 'p', x'00', 0), ('q', 'q', x'01', 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO filings $columns SELECT printf('fil_%08d', i), $seed_rows FROM n;
ANALYZE;
.print with the index
.timer on
SELECT count(*) AS page FROM ($page);
.timer off
DROP INDEX $index;
ANALYZE;
.print without it
.timer on
SELECT count(*) AS page FROM ($page);
SQL

echo "PostgreSQL:"
database="beian_list_index_$$"
psql -q "$server" -c "CREATE DATABASE $database"
trap 'rm -rf "$work"; psql -q "$server" -c "DROP DATABASE IF EXISTS $database"' EXIT
url="${server%/*}/$database"
for f in migrations/postgres/*.sql; do psql -q "$url" -f "$f" > /dev/null; done
psql -q "$url" <<SQL | grep -E "^(with|without)|Execution Time"
INSERT INTO providers (id, name, key_hash, created_at) VALUES ('p', 'p', '\x00', 0), ('q', 'q', '\x01', 0);
INSERT INTO filings $columns SELECT 'fil_' || lpad(i::text, 8, '0'), $seed_rows FROM generate_series(1, 200000) i;
ANALYZE filings;
\echo with the index
EXPLAIN ANALYZE $page;
EXPLAIN ANALYZE $page;
DROP INDEX $index;
ANALYZE filings;
\echo without it
EXPLAIN ANALYZE $page;
EXPLAIN ANALYZE $page;
SQL
