//! Logging, set up once per process. Codes, tokens and ID digits are never passed to a log call.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("BEIAN_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // A second init (tests start many apps in one process) is harmless: keep the first.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
