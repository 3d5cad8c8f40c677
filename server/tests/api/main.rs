//! API tests against the real server on a real port with its own database: a SQLite file, or a
//! PostgreSQL database with `BEIAN_TEST_DATABASE=postgres` (`cargo xtask test` runs both).

mod abuse_callbacks;
mod abuse_client_address;
mod abuse_edge;
mod abuse_headers;
mod abuse_keys;
mod abuse_limits;
mod abuse_parsers;
mod abuse_slow_clients;
mod abuse_sms;
mod abuse_storage;
mod bad_input;
mod checks;
mod database;
mod expiry;
mod filing_pages;
mod helpers;
mod links;
mod no_script;
mod outbox;
mod providers;
mod provinces;
mod race;
mod resend;
mod restart;
mod standard_webhooks;
mod static_files;
mod webhooks;
