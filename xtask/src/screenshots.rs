//! `cargo xtask screenshots`: the README's pictures (docs/screenshots/), taken by Playwright from
//! the release build served by the real server (e2e/screenshots.mjs), never by hand.

use crate::cmd::Cmd;
use crate::project::{self, CHROMIUM};
use crate::{build, setup, Result};

pub fn screenshots() -> Result<()> {
    setup::setup()?;
    build::spa()?;
    build::server()?;
    Cmd::new("node")
        .args(["--test", "--test-reporter=spec", "e2e/screenshots.mjs"])
        .env("BEIAN_SERVER_BIN", project::server_binary())
        .env("BEIAN_STATIC_DIR", project::root().join("dist"))
        .env("CHROMIUM", CHROMIUM)
        .run()?;
    println!("screenshots written to docs/screenshots/");
    Ok(())
}
