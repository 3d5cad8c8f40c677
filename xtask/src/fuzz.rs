//! `cargo xtask fuzz [--seconds N] [target...]`: every parser's libFuzzer target (`fuzz/`), one
//! after another, each for a bounded time; a table of executions and crashes at the end, and a
//! failure if any target crashed. Not part of `test`: ten minutes a target is a job of its own.
//!
//! cargo-fuzz needs nightly flags; `RUSTC_BOOTSTRAP=1` lets the stable toolchain take them. The
//! parsers are safe Rust, so what a run looks for is a panic (an abort to libFuzzer), and no
//! sanitizer is needed to see one: without ASan each target runs several times as many inputs.

use std::path::PathBuf;

use crate::cmd::Cmd;
use crate::project::{self, CARGO_FUZZ_VERSION};
use crate::Result;

const DEFAULT_SECONDS: u64 = 600;

/// What one target's run did.
struct Run {
    target: String,
    seconds: u64,
    /// Inputs tried, as libFuzzer counted them (None if it never said).
    executions: Option<u64>,
    /// The input that crashed it, as libFuzzer saved it; or why it failed otherwise.
    crash: Option<String>,
}

pub fn fuzz(args: &[String]) -> Result<()> {
    let (seconds, chosen) = parse_args(args)?;
    install_cargo_fuzz()?;
    let all = targets()?;
    if let Some(unknown) = chosen.iter().find(|t| !all.contains(t)) {
        return Err(format!("no fuzz target `{unknown}` (there are: {})", all.join(", ")));
    }
    let targets = if chosen.is_empty() { all } else { chosen };
    cargo_fuzz("build").args(BUILD_FLAGS).run()?;
    let runs = targets.iter().map(|target| run(target, seconds)).collect::<Result<Vec<_>>>()?;
    print_table(&runs);
    let crashed: Vec<&str> = runs.iter().filter(|r| r.crash.is_some()).map(|r| r.target.as_str()).collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz: crashes in {}", crashed.join(", ")))
    }
}

/// `--seconds N` (or `--seconds=N`) and target names, in any order.
fn parse_args(args: &[String]) -> Result<(u64, Vec<String>)> {
    let mut seconds = DEFAULT_SECONDS;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--seconds") {
            Some("") => args.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None if arg.starts_with('-') => return Err(format!("fuzz: unknown option `{arg}`")),
            None => {
                targets.push(arg.clone());
                continue;
            }
        };
        seconds = value
            .and_then(|v| v.parse().ok())
            .filter(|s| *s > 0)
            .ok_or("fuzz: --seconds takes a whole number of seconds, more than 0")?;
    }
    Ok((seconds, targets))
}

fn install_cargo_fuzz() -> Result<()> {
    let want = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    if Cmd::new("cargo").args(["fuzz", "--version"]).read().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    eprintln!("fuzz: installing {want} from crates.io (a few minutes, once)");
    Cmd::new("cargo").args(["install", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION, "--locked"]).run()
}

fn fuzz_dir() -> PathBuf {
    project::root().join("fuzz")
}

/// `cargo fuzz <subcommand>` on `fuzz/`, with its own target dir (its flags differ from every
/// other build).
fn cargo_fuzz(subcommand: &str) -> Cmd {
    let dir = fuzz_dir();
    Cmd::new("cargo")
        .args(["fuzz", subcommand, "--fuzz-dir"])
        .args([&dir])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", dir.join("target"))
}

/// The same for `build` and `run`, so a run never rebuilds: optimised, with debug assertions
/// (arithmetic overflow panics too), without a sanitizer (see the top of this file).
const BUILD_FLAGS: [&str; 4] = ["--release", "--debug-assertions", "--sanitizer", "none"];

fn targets() -> Result<Vec<String>> {
    let listed = cargo_fuzz("list").read().ok_or("fuzz: `cargo fuzz list` failed")?;
    Ok(listed.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

fn run(target: &str, seconds: u64) -> Result<Run> {
    let mut libfuzzer = vec![format!("-max_total_time={seconds}"), "-print_final_stats=1".to_owned()];
    let dict = fuzz_dir().join("dicts").join(format!("{target}.dict"));
    if dict.is_file() {
        libfuzzer.push(format!("-dict={}", dict.display()));
    }
    let (ok, stderr) = cargo_fuzz("run").args(BUILD_FLAGS).args([target, "--"]).args(&libfuzzer).run_tee_stderr()?;
    let crash = (!ok).then(|| crash_report(&stderr));
    Ok(Run { target: target.to_owned(), seconds, executions: executions(&stderr), crash })
}

/// libFuzzer's own count: `stat::number_of_executed_units: N` at the end, else the last
/// `#N ...` status line (a crashed run prints no final stats).
fn executions(stderr: &str) -> Option<u64> {
    let number = |s: &str| s.trim().parse::<u64>().ok();
    let stat = stderr.lines().rev().find_map(|l| l.strip_prefix("stat::number_of_executed_units:").and_then(number));
    stat.or_else(|| {
        stderr
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix('#').and_then(|rest| rest.split_whitespace().next()).and_then(number))
    })
}

/// Where libFuzzer saved the crashing input, or that the run failed without one.
fn crash_report(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.split_once("Test unit written to ").map(|(_, path)| path.trim().to_owned()))
        .unwrap_or_else(|| "failed without saving an input (see the output above)".to_owned())
}

fn print_table(runs: &[Run]) {
    println!("{:<16} {:>8} {:>14}  crash", "target", "seconds", "executions");
    for run in runs {
        let executions = run.executions.map_or("?".to_owned(), |n| n.to_string());
        println!(
            "{:<16} {:>8} {:>14}  {}",
            run.target,
            run.seconds,
            executions,
            run.crash.as_deref().unwrap_or("none")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn seconds_and_targets_come_in_any_order() {
        assert_eq!(parse_args(&[]), Ok((600, vec![])));
        assert_eq!(parse_args(&args(&["phone", "--seconds", "5", "code"])), Ok((5, args(&["phone", "code"]))));
        assert_eq!(parse_args(&args(&["--seconds=30"])), Ok((30, vec![])));
        assert!(parse_args(&args(&["--seconds"])).is_err());
        assert!(parse_args(&args(&["--seconds", "0"])).is_err());
        assert!(parse_args(&args(&["--jobs", "2"])).is_err());
    }

    #[test]
    fn executions_are_read_from_the_final_stats_or_the_last_status_line() {
        let done = "#1024\tpulse  cov: 10 ft: 12 corp: 3/9b exec/s: 0 rss: 30Mb\nDone 5000 runs in 1 second(s)\nstat::number_of_executed_units: 5001\n";
        assert_eq!(executions(done), Some(5001));
        let crashed = "#512\tNEW    cov: 10\n#2048\tpulse  cov: 11\n==1== ERROR: libFuzzer: deadly signal\n";
        assert_eq!(executions(crashed), Some(2048));
        assert_eq!(executions("nothing"), None);
    }

    #[test]
    fn a_crash_names_the_saved_input() {
        let out = "==1== ERROR: libFuzzer: deadly signal\nartifact_prefix='a/'; Test unit written to a/crash-abc\n";
        assert_eq!(crash_report(out), "a/crash-abc");
    }
}
