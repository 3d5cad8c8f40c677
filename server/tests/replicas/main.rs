//! Several replicas on one database: three real server processes (the built
//! `beian-verify-server`) on one fresh PostgreSQL database per test, each with its own data
//! directory, whose console SMS gateway file (`sms.jsonl`) stands in for people's phones.
//!
//! PostgreSQL is reached at `BEIAN_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); when it is unreachable each test says it was
//! skipped and passes, except under `CI=true`. Tests run one at a time (each starts three servers).
//! Run with `cargo test -p beian-verify-server --test replicas` (`cargo xtask test` does).

mod harness;

mod complete_once;
mod expiry_race;
mod replica_killed;
mod sms_once;
