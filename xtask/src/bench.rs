//! `cargo xtask bench [--runs N] [--database sqlite|postgres://…]… [--statements]`: the server's load
//! benchmark (`server/src/bin/bench.rs`), which starts the release server itself on each engine,
//! loads it with checks and `/healthz`, and prints the figures.
//! `cargo xtask bench --cluster N [--database postgres://…]`: the same load through nginx in front
//! of N replicas on one fresh PostgreSQL database (`cargo xtask cluster`).

use crate::cluster::{database::Database, secret};
use crate::cmd::Cmd;
use crate::server_process::{server_command, stop};
use crate::{build, postgres, project, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The bench's one client seeds and checks for thousands of people: the limits that would
/// (rightly) refuse it are lifted; their cost per request stays in the figures.
const LIFTED_LIMITS: [(&str, &str); 5] = [
    ("BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", "100000000"),
    ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", "100000000"),
    ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", "100000000"),
    ("BEIAN_SMS_PER_PROVIDER_PER_MINUTE", "100000000"),
    ("BEIAN_SMS_PER_PROVIDER_PER_DAY", "100000000"),
];

pub fn bench(args: &[String]) -> Result<()> {
    // Builds every binary of the server package, the benchmark included.
    build::server()?;
    let bench = project::target_dir().join("server").join("beian-verify-bench");
    match cluster_args(args)? {
        None => Cmd::new(&bench.to_string_lossy()).args(args).run(),
        Some((replicas, server)) => {
            build::spa()?;
            bench_cluster(&bench, replicas, &server)
        }
    }
}

/// `--cluster N` and the PostgreSQL server for it (`--database`, else the test server).
fn cluster_args(args: &[String]) -> Result<Option<(usize, String)>> {
    let Some(at) = args.iter().position(|a| a == "--cluster") else { return Ok(None) };
    let replicas =
        args.get(at + 1).and_then(|n| n.parse().ok()).ok_or("bench: --cluster takes a number of replicas")?;
    let server = match args.iter().position(|a| a == "--database") {
        Some(at) => args.get(at + 1).cloned().ok_or("bench: --database takes a URL")?,
        None => postgres::test_url(),
    };
    Ok(Some((replicas, server)))
}

fn bench_cluster(bench: &Path, replicas: usize, server: &str) -> Result<()> {
    let data_dir = project::target_dir().join("bench-cluster");
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).map_err(|e| format!("creating {}: {e}", data_dir.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let database = runtime.block_on(Database::prepare(server, true))?;
    let ran = run_against_cluster(bench, replicas, &database.url, &data_dir);
    let dropped = runtime.block_on(database.drop_if_temporary());
    ran.and(dropped)
}

fn run_against_cluster(bench: &Path, replicas: usize, database_url: &str, data_dir: &Path) -> Result<()> {
    let key_file = secret::key_file(data_dir)?;
    let output = server_command(&data_dir.join("admin"))
        .args(["create-provider", "--name", "bench"])
        .env("BEIAN_DATABASE_URL", database_url)
        .env("BEIAN_SECRET_KEY_FILE", &key_file)
        .env("BEIAN_LOG", "warn")
        .output()
        .map_err(|e| format!("create-provider: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let key = stdout
        .lines()
        .find_map(|l| l.strip_prefix("api_key="))
        .ok_or_else(|| format!("create-provider printed no key: {}", String::from_utf8_lossy(&output.stderr)))?;

    let xtask = std::env::current_exe().map_err(|e| format!("where is xtask: {e}"))?;
    let mut cluster = Command::new(xtask);
    cluster
        .args(["cluster", "--no-build", "--no-demo", "--port", "0", "--replicas", &replicas.to_string()])
        .args(["--database", database_url, "--data-dir", &data_dir.to_string_lossy()])
        .env("BEIAN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in LIFTED_LIMITS {
        cluster.env(name, value);
    }
    let mut cluster = cluster.spawn().map_err(|e| format!("starting the cluster: {e}"))?;
    let mut lines = BufReader::new(cluster.stdout.take().expect("piped")).lines();
    // The balancer's line starts with it; the replicas' own lines are labelled.
    let address = lines.by_ref().map_while(|l| l.ok()).find_map(|l| {
        l.strip_prefix("listening on ").and_then(|rest| rest.split_whitespace().next().map(str::to_owned))
    });
    std::thread::spawn(move || lines.for_each(drop));
    let Some(address) = address else {
        stop(&mut cluster, Duration::from_secs(15));
        return Err("the cluster did not start".into());
    };
    let sms: Vec<String> = (1..=replicas)
        .flat_map(|n| ["--sms".to_owned(), data_dir.join(format!("replica-{n}/sms.jsonl")).display().to_string()])
        .collect();
    let label = format!("PostgreSQL, {replicas} replicas behind nginx");
    let ran = Cmd::new(&bench.to_string_lossy())
        .args(["--running", &address, "--key", key, "--label", &label])
        .args(&sms)
        .run();
    stop(&mut cluster, Duration::from_secs(20));
    ran
}
