//! `cargo xtask run`: set up, build, and start the server with demo data, serving the SPA.

use crate::cmd::Cmd;
use crate::{build, project, setup, Result};

/// Extra arguments go to `beian-verify-server serve --demo`. The server's own BEIAN_* settings
/// pass through; only the data and static directories get defaults here.
pub fn run(server_args: &[String]) -> Result<()> {
    setup::setup()?;
    build::spa()?;
    build::server()?;
    let mut server = Cmd::new(&project::server_binary().to_string_lossy()).args(["serve", "--demo"]).args(server_args);
    for (key, default) in [("BEIAN_DATA_DIR", "data"), ("BEIAN_STATIC_DIR", "dist")] {
        if std::env::var_os(key).is_none() {
            server = server.env(key, default);
        }
    }
    server.exec()
}
