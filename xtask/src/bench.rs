//! `cargo xtask bench [--database sqlite|postgres://…]…`: the server's load benchmark
//! (`server/src/bin/bench.rs`), which starts the release server itself on each engine, loads it
//! with checks and `/healthz`, and prints the figures.

use crate::cmd::Cmd;
use crate::{build, project, Result};

pub fn bench(args: &[String]) -> Result<()> {
    // Builds every binary of the server package, the benchmark included.
    build::server()?;
    let bench = project::target_dir().join("server").join("beian-verify-bench");
    Cmd::new(&bench.to_string_lossy()).args(args).run()
}
