//! `cargo xtask test`'s API fuzzing step: schemathesis (PyPI, pinned in
//! [`project::PYTHON_PACKAGES`], in the set-up's `.venv`) against the release server on a free
//! loopback port, reading the OpenAPI document that server serves. Every check runs, on at most
//! [`MAX_EXAMPLES`] cases per operation and phase, from a fixed seed; `xtask/schemathesis.toml`
//! holds the provider key's place and the few narrowed checks, each with why.
//!
//! The server is the one `cargo xtask run` starts, on a throwaway data directory, with two
//! differences: the abuse limits and SMS quotas are raised out of reach (at their defaults the
//! first few dozen cases use up the client's 30 checks a minute and a number's 10 SMS a day, and
//! every case after them is a 429 that never reaches the code behind it; the limits have their own
//! tests), and no static files (the API is what is tested).
//!
//! Nothing leaves the machine: the server is on 127.0.0.1, and schemathesis is given a proxy that
//! does not exist for every other address. schemathesis 4 has no telemetry or upload to turn off;
//! its example database is off (`database = "none"`) and Hypothesis's own files go to the
//! throwaway directory, so it leaves nothing behind either.

use crate::cmd::Cmd;
use crate::counts::Counts;
use crate::lighthouse::{submit_filing, wait_for_link, LINK_PHONE};
use crate::project;
use crate::server_process::{create_provider, server_command, Scratch, ServerProcess};
use crate::Result;

/// Cases per operation and phase (also in the config, where schemathesis reads it first).
const MAX_EXAMPLES: &str = "100";
/// Fixed: a failure found once is found again on the next run.
const SEED: &str = "20261129";

/// The limits the fuzzing server runs with: far above anything a run reaches.
const RAISED_LIMITS: [(&str, &str); 6] = [
    ("BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", "1000000"),
    ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", "1000000"),
    ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", "1000000"),
    ("BEIAN_SMS_PER_PROVIDER_PER_MINUTE", "1000000"),
    ("BEIAN_SMS_PER_PROVIDER_PER_DAY", "1000000"),
    ("BEIAN_SMS_PER_PHONE_PER_DAY", "1000000"),
];

/// `cargo xtask schemathesis`: the step alone, on a freshly built server.
pub fn run() -> Result<()> {
    crate::build::server()?;
    match fuzz()? {
        (true, _) => Ok(()),
        (false, _) => Err("schemathesis found failures (above)".into()),
    }
}

/// Runs schemathesis twice against one server: every operation but `revokeKey`, then `revokeKey`
/// alone (it ends the key the first run calls with; after its first 204 it answers 401, as the
/// document says). Ok(true) when both found nothing.
pub fn fuzz() -> Result<(bool, Option<Counts>)> {
    let schemathesis = project::root().join(project::PYTHON_VENV).join("bin/schemathesis");
    if !schemathesis.exists() {
        return Err(format!("{} is missing: run `cargo xtask setup`", schemathesis.display()));
    }
    let scratch = Scratch::new("schemathesis")?;
    let data_dir = scratch.path.join("data");
    let static_dir = scratch.path.join("static");
    std::fs::create_dir_all(&static_dir).map_err(|e| format!("creating {}: {e}", static_dir.display()))?;
    let mut command = server_command(&data_dir);
    command
        .args(["serve"])
        .env("BEIAN_ADDR", "127.0.0.1:0")
        .env("BEIAN_METRICS_ADDR", "off")
        .env("BEIAN_STATIC_DIR", &static_dir)
        .envs(RAISED_LIMITS);
    let server = ServerProcess::start(command, None)?;
    let key = create_provider(&data_dir, "schemathesis")?;
    // A real short link, so the link operations reach more than their 404.
    submit_filing(&server.url, &key)?;
    let link = wait_for_link(&data_dir, LINK_PHONE)?;
    let token = link.rsplit_once("/v/").map(|(_, token)| token.to_owned()).ok_or(format!("no /v/ in {link}"))?;
    let document = format!("{}/api/v1/openapi.json", server.url);
    let hypothesis_dir = scratch.path.join("hypothesis");
    eprintln!("schemathesis: {document}");

    let run = |selection: [&str; 2]| -> Result<(bool, String)> {
        Cmd::new(&schemathesis.to_string_lossy())
            .args(["--config-file", "xtask/schemathesis.toml", "run", &document])
            .args(["--checks", "all", "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--no-color"])
            .args(selection)
            .secret_env("BEIAN_SCHEMATHESIS_API_KEY", &key)
            .secret_env("BEIAN_SCHEMATHESIS_LINK_TOKEN", &token)
            // Hypothesis keeps what it learns in the scratch directory, not in the repository.
            .env("HYPOTHESIS_STORAGE_DIRECTORY", &hypothesis_dir)
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .run_tee()
    };
    let (all_but_revoke, first) = run(["--exclude-operation-id", "revokeKey"])?;
    let (revoke, second) = run(["--include-operation-id", "revokeKey"])?;
    let mut counts = from_summary(&first);
    counts += from_summary(&second);
    drop(server);
    Ok((all_but_revoke && revoke, Some(counts)))
}

/// schemathesis's `Test cases:` summary: `112 generated, 112 passed, 2 skipped`, or `2200
/// generated, 1 found 1 unique failure, 14 skipped`; the cases that found nothing count as passed,
/// each unique failure as failed (a run without a summary as one failure).
fn from_summary(output: &str) -> Counts {
    let mut lines = output.lines().skip_while(|line| line.trim() != "Test cases:");
    let Some(summary) = lines.nth(1) else {
        return Counts { passed: 0, failed: 1 };
    };
    let words: Vec<&str> = summary.split([',', ' ']).filter(|w| !w.is_empty()).collect();
    let number_before = |word: &str| -> Option<u64> {
        words.windows(2).find(|pair| pair[1] == word).and_then(|pair| pair[0].parse().ok())
    };
    let generated = number_before("generated").unwrap_or(0);
    let failing = number_before("found").unwrap_or(0);
    let passed = number_before("passed").unwrap_or(generated.saturating_sub(failing));
    let failed = number_before("unique").unwrap_or(failing);
    Counts { passed, failed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_cases_and_failures() {
        let failed = "Test cases:\n  2200 generated, 1 found 1 unique failure, 14 skipped\n";
        assert_eq!(from_summary(failed), Counts { passed: 2199, failed: 1 });
        let passed = "Test cases:\n  112 generated, 112 passed, 2 skipped\n";
        assert_eq!(from_summary(passed), Counts { passed: 112, failed: 0 });
        assert_eq!(from_summary("no summary"), Counts { passed: 0, failed: 1 });
    }
}
