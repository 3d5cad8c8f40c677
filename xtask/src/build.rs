//! Release builds of the two things that ship: the SPA (into dist/) and the server binary.

use crate::cmd::Cmd;
use crate::Result;

/// `trunk build --release` into dist/, offline: Trunk.toml's `offline = true` also makes trunk
/// pass `--offline` to cargo, so the crates are fetched first.
pub fn spa() -> Result<()> {
    Cmd::new("cargo").args(["fetch"]).run()?;
    Cmd::new("trunk").args(["build", "--release", "--skip-version-check", "--offline"]).run()
}

pub fn server() -> Result<()> {
    Cmd::new("cargo").args(["build", "--release", "-p", "beian-verify-server"]).run()
}
