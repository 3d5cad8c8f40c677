//! API tests against the real server on a real port with its own SQLite file.

mod abuse_parsers;
mod bad_input;
mod checks;
mod expiry;
mod helpers;
mod links;
mod outbox;
mod providers;
mod race;
mod resend;
mod restart;
mod static_files;
mod webhooks;
