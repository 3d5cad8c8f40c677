//! Tests that need PostgreSQL whichever engine the API suite runs on: growing a SQLite deployment
//! into PostgreSQL, and one secret key per database. `cargo xtask test` runs them in its
//! PostgreSQL step (they are not part of a plain `cargo test`: see `Cargo.toml`).

// The API suite's helpers, shared as they are; not every one is used here.
#[allow(dead_code)]
#[path = "../api/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod copy_to_postgres;
mod lock_order;
mod one_key_per_database;
