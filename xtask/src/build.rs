//! Optimised builds of the two things that ship: the SPA (into dist/) and the server binary.

use crate::cmd::Cmd;
use crate::Result;

/// `trunk build --release` into dist/, offline: Trunk.toml's `offline = true` also makes trunk
/// pass `--offline` to cargo, so the crates are fetched first.
pub fn spa() -> Result<()> {
    Cmd::new("cargo").args(["fetch"]).run()?;
    Cmd::new("trunk").args(["build", "--release", "--skip-version-check", "--offline"]).run()
}

/// The `server` profile (Cargo.toml): optimised for speed; `release` is tuned for the wasm's size.
pub fn server() -> Result<()> {
    Cmd::new("cargo").args(["build", "--profile", "server", "-p", "beian-verify-server"]).run()
}
