//! Every command line the docs show for the server binary (README.md, ARCHITECTURE.md,
//! docs/*.md: the binary and its subcommands, `cargo xtask run …`, the server flags after `cargo
//! xtask cluster … --`), run against the built binary with a scratch data directory and free
//! ports. A line the argument parser refuses fails here, not for the reader who copies it.

mod lines;
mod process;
mod stand_ins;

use std::path::{Path, PathBuf};

use lines::Invocation;
use stand_ins::StandIns;

#[test]
fn every_command_line_the_docs_show_is_accepted() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let subcommands: Vec<String> =
        beian_verify_server::cli::command().get_subcommands().map(|sub| sub.get_name().to_owned()).collect();
    let documented = lines::documented_lines(&repository_root(), &subcommands);
    let shows = |text: &str| documented.iter().any(|found| found.line.contains(text));
    assert!(shows("beian-verify-server") && shows("cargo xtask run"), "too few lines found: {documented:#?}");

    let data_dir = scratch.path().join("data");
    let provider_id = create_provider(&scratch.path().join("fixture"), &data_dir);
    let stand_ins = StandIns { data_dir, provider_id };
    let mut failures = Vec::new();
    let mut runs = 0;
    for found in &documented {
        for invocation in &found.invocations {
            runs += 1;
            let logs = scratch.path().join(format!("run-{runs}"));
            std::fs::create_dir_all(&logs).expect("a log directory");
            let result = stand_ins.apply(invocation).and_then(|local| run(&logs, &local, &subcommands));
            if let Err(why) = result {
                failures.push(format!("{}: `{}` as {:?}: {why}", found.doc, found.line, invocation.args));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {runs} runs failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// `--help` must print the usage; a serving line must answer `/healthz`; any other command must
/// get past the argument parser (it may still fail later, as `copy-to-postgres` to a SQLite target).
fn run(logs: &Path, invocation: &Invocation, subcommands: &[String]) -> Result<(), String> {
    let Invocation { env, args } = invocation;
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        let (status, stdout) = process::run_to_end(logs, env, args)?;
        return match status.success() && stdout.contains("Usage:") {
            true => Ok(()),
            false => Err(format!("--help exited with {status}:\n{stdout}")),
        };
    }
    match args.iter().find(|arg| subcommands.contains(arg)).map(String::as_str) {
        None | Some("serve") => process::serve(logs, env, args),
        Some(_) => process::run_to_end(logs, env, args).map(|_| ()),
    }
}

/// A provider in the scratch database for the lines that name one (`--provider-id …`).
fn create_provider(logs: &Path, data_dir: &Path) -> String {
    std::fs::create_dir_all(logs).expect("a log directory");
    let stand_ins = StandIns { data_dir: data_dir.to_path_buf(), provider_id: String::new() };
    let args = ["create-provider", "--name", "fixture"].map(String::from);
    let (status, stdout) = process::run_to_end(logs, &stand_ins.base_env(), &args).expect("create-provider runs");
    assert!(status.success(), "create-provider: {status}\n{stdout}");
    let id = stdout.lines().find_map(|line| line.strip_prefix("provider_id="));
    id.expect("create-provider prints provider_id=…").to_owned()
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}
