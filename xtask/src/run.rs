//! `cargo xtask run`: set up, build, and start the server with demo data, serving the SPA.

use crate::cmd::Cmd;
use crate::{build, project, setup, Result};

/// Extra arguments are the server's settings (`--addr 0.0.0.0:8080`); the server takes them on
/// either side of its `serve --demo`. The server's own BEIAN_* settings pass through; only the
/// data and static directories get defaults here.
pub fn run(server_args: &[String]) -> Result<()> {
    setup::setup()?;
    build::spa()?;
    build::server()?;
    let mut server = Cmd::new(&project::server_binary().to_string_lossy()).args(server_args).args(["serve", "--demo"]);
    for (key, default) in [("BEIAN_DATA_DIR", "data"), ("BEIAN_STATIC_DIR", "dist")] {
        if std::env::var_os(key).is_none() {
            server = server.env(key, default);
        }
    }
    server.exec()
}
