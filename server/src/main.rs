//! The `beian-verify-server` binary: everything lives in the library; this only dispatches.

use beian_verify_server::cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    cli::main().await
}
