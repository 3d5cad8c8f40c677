//! `cargo xtask <command>`: the single entry point behind the README's two commands.

mod bench;
mod build;
mod cluster;
mod cmd;
mod counts;
mod fuzz;
mod lighthouse;
mod postgres;
mod project;
mod report;
mod run;
mod schemathesis;
mod screenshots;
mod server_process;
mod setup;
mod size;
mod test;

use std::process::ExitCode;

/// Every fallible step reports a plain message; xtask prints it (unless empty: already
/// reported) and exits non-zero.
pub type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install what this machine lacks (pinned tools), skip what is there
  run     setup, build the SPA and the server in release, run the server with demo data
  cluster [--replicas N] [--database URL] [...]
          setup, build, then N replicas (default 3) on one database behind nginx, on one address
  test    setup, then every check and test: fmt, clippy, unit, server, browser, end-to-end
  size    release-build the SPA and report first-load sizes (raw, gzip, brotli)
  bench [--database sqlite|postgres://…]... [--statements]
          build the server in release and run its load benchmark on each engine
          (default: SQLite, and PostgreSQL at BEIAN_TEST_POSTGRES_URL when it answers)
  bench --cluster N [--database postgres://…]
          the same load through nginx in front of N replicas on one fresh PostgreSQL database
  lighthouse [--dist DIR]
          release-build, serve, and measure `/` and a short link with Lighthouse (mobile,
          three runs each: median and spread); --dist measures another build's dist/ instead
  screenshots  release-build, serve, and write the README's screenshots (docs/screenshots/)
  fuzz [--seconds N] [target...]
          run each parser's libFuzzer target (fuzz/) for N seconds (default 600; not part of test)
  schemathesis
          release-build the server and fuzz its API with schemathesis from the OpenAPI document
          it serves (the step of `test`; needs `setup`'s .venv)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();

    project::enter_root_with_tool_path();
    let result = match command.as_str() {
        "setup" => setup::setup(),
        "run" => run::run(&rest),
        "cluster" => cluster::cluster(&rest),
        "test" => test::test(),
        "size" => size::size(),
        "bench" => bench::bench(&rest),
        "lighthouse" => lighthouse::lighthouse(&rest),
        "screenshots" => screenshots::screenshots(),
        "fuzz" => fuzz::fuzz(&rest),
        "schemathesis" => schemathesis::run(),
        "" | "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("xtask: {message}");
            }
            ExitCode::FAILURE
        }
    }
}
