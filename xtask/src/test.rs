//! `cargo xtask test`: set up, then every check and test, then a summary table.
//! Steps run on after a failure (so one run shows everything) unless they need what failed.

use crate::cmd::Cmd;
use crate::counts::{self, Counts};
use crate::project::{self, CHROMEDRIVER, CHROMIUM};
use crate::report::{self, Outcome, Step};
use crate::{build, postgres, schemathesis, setup, Result};
use std::time::Instant;

/// What a step gives back: success, and the tests it counted if it runs tests.
type Ran = Result<(bool, Option<Counts>)>;

pub fn test() -> Result<()> {
    setup::setup()?;
    let mut steps = Vec::new();
    let mut step = |name: &'static str, needs_ok: bool, f: &dyn Fn() -> Ran| -> bool {
        let started = Instant::now();
        let (outcome, tests) = if !needs_ok {
            (Outcome::Skipped, None)
        } else {
            eprintln!("\n== {name}");
            match f() {
                Ok((true, tests)) => (Outcome::Ok, tests),
                Ok((false, tests)) => (Outcome::Failed, tests),
                Err(message) => {
                    eprintln!("xtask: {message}");
                    (Outcome::Failed, None)
                }
            }
        };
        let ok = matches!(outcome, Outcome::Ok);
        steps.push(Step { name, outcome, tests, took: started.elapsed() });
        ok
    };

    step("cargo fmt --check", true, &|| plain(Cmd::new("cargo").args(["fmt", "--all", "--check"])));
    step("clippy (native)", true, &|| {
        let all = plain(Cmd::new("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
        // `--all-targets` leaves out test targets with `test = false` (naming one beside it does
        // not add it either): these need PostgreSQL, so a plain `cargo test` skips them.
        let needs_postgres = plain(Cmd::new("cargo").args([
            "clippy",
            "-p",
            "beian-verify-server",
            "--test",
            "postgres",
            "--test",
            "replicas",
            "--",
            "-D",
            "warnings",
        ]))?;
        Ok((all.0 && needs_postgres.0, None))
    });
    step("clippy (wasm32)", true, &|| {
        plain(Cmd::new("cargo").args([
            "clippy",
            "-p",
            "beian-verify",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step("unit + server tests", true, &|| {
        cargo_tests(Cmd::new("cargo").args(["test", "--workspace", "--no-fail-fast"]))
    });
    let postgres_url = postgres::test_url();
    let postgres_up = postgres::reachable(&postgres_url);
    if let Err(why) = &postgres_up {
        // Skipped where there is no PostgreSQL, but never in CI, which has one.
        eprintln!(
            "\nskipped: the PostgreSQL steps (server API tests, replica tests, end-to-end via nginx): \
             unreachable at {postgres_url} ({why}); set BEIAN_TEST_POSTGRES_URL"
        );
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    step("server API tests (PostgreSQL)", postgres_up.is_ok() || ci, &|| match &postgres_up {
        Ok(()) => cargo_tests(
            Cmd::new("cargo")
                .args(["test", "-p", "beian-verify-server", "--test", "api", "--test", "postgres", "--no-fail-fast"])
                .env("BEIAN_TEST_DATABASE", "postgres")
                .env("BEIAN_TEST_POSTGRES_URL", &postgres_url),
        ),
        Err(why) => Err(format!("CI=true needs PostgreSQL at {postgres_url}: {why}")),
    });
    step("replica tests (3 processes, PostgreSQL)", postgres_up.is_ok() || ci, &|| match &postgres_up {
        Ok(()) => cargo_tests(
            Cmd::new("cargo")
                .args(["test", "-p", "beian-verify-server", "--test", "replicas"])
                .env("BEIAN_TEST_POSTGRES_URL", &postgres_url),
        ),
        Err(why) => Err(format!("CI=true needs PostgreSQL at {postgres_url}: {why}")),
    });
    step("SPA tests in Chromium", true, &browser_tests);
    let spa = step("SPA release build", true, &|| build::spa().map(|()| (true, None)));
    let server = step("server release build", true, &|| build::server().map(|()| (true, None)));
    step("API fuzzing (schemathesis)", server, &schemathesis::fuzz);
    step("end-to-end (Playwright)", spa && server, &|| end_to_end(&[]));
    step("end-to-end via nginx, 3 replicas, PostgreSQL", spa && server && (postgres_up.is_ok() || ci), &|| {
        match &postgres_up {
            Ok(()) => end_to_end_cluster(&postgres_url),
            Err(why) => Err(format!("CI=true needs PostgreSQL at {postgres_url}: {why}")),
        }
    });

    if report::print(&steps) {
        Ok(())
    } else {
        // Already reported: the closing `N passed, N failed` line stays the last one printed.
        Err(String::new())
    }
}

fn plain(cmd: Cmd) -> Ran {
    Ok((cmd.run().is_ok(), None))
}

fn cargo_tests(cmd: Cmd) -> Ran {
    let (ok, output) = cmd.run_tee()?;
    Ok((ok, Some(counts::from_cargo(&output))))
}

/// tests/web.rs in headless Chromium through wasm-bindgen-test-runner (the cargo runner set in
/// .cargo/config.toml), which reads Chrome's flags from webdriver.json; chromedriver gives each
/// session a fresh profile. Without debug info the test wasm is ~20x smaller and loads faster.
/// The runner's timeout covers the whole test binary, browser start included (default 20 s).
fn browser_tests() -> Ran {
    let webdriver_json = project::root().join("webdriver.json");
    cargo_tests(
        Cmd::new("cargo")
            .args(["test", "-p", "beian-verify", "--target", "wasm32-unknown-unknown", "--test", "web"])
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver_json),
    )
}

/// `node --test` over e2e/*.test.mjs against the release server binary and dist/.
fn end_to_end(extra_env: &[(&str, std::ffi::OsString)]) -> Ran {
    let mut files: Vec<String> = std::fs::read_dir("e2e")
        .map_err(|e| format!("reading e2e/: {e}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("e2e/{name}"))
        .collect();
    files.sort();
    let mut node = Cmd::new("node")
        .args(["--test", "--test-reporter=tap"])
        .args(&files)
        .env("BEIAN_SERVER_BIN", project::server_binary())
        .env("BEIAN_STATIC_DIR", project::root().join("dist"))
        .env("CHROMIUM", CHROMIUM);
    for (key, value) in extra_env {
        node = node.env(key, value);
    }
    let (ok, output) = node.run_tee()?;
    Ok((ok, Some(counts::from_node_tap(&output))))
}

/// The same suite once through the load balancer: every server the tests start is this xtask's
/// `cluster` (three replicas on a fresh PostgreSQL database on `postgres_url`'s server, behind
/// nginx).
fn end_to_end_cluster(postgres_url: &str) -> Ran {
    let xtask = std::env::current_exe().map_err(|e| format!("where is xtask: {e}"))?;
    end_to_end(&[("BEIAN_E2E_CLUSTER", xtask.into()), ("BEIAN_TEST_POSTGRES_URL", postgres_url.into())])
}
