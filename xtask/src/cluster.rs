//! `cargo xtask cluster`: several server replicas on one database behind a real load balancer
//! (nginx, round robin), on one local address; Ctrl-C stops them all. The shape of a production
//! deployment on one machine: stateless replicas, one database, one shared secret, the balancer
//! setting X-Forwarded-For and the replicas trusting it.
//!
//! `cargo xtask test` starts one per end-to-end file (`--no-build --temporary-database --port 0`).

pub(crate) mod database;
mod nginx;
pub(crate) mod secret;

use crate::server_process::ServerProcess;
use crate::{build, project, setup, Result};
use database::Database;
use nginx::Nginx;
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tokio::signal::unix::{signal, Signal, SignalKind};

pub const USAGE: &str = "\
usage: cargo xtask cluster [options] [-- server flags...]
  --replicas N          server replicas (default 3)
  --database URL        default postgres://postgres@127.0.0.1:5432/beian (created if missing)
  --port PORT           the load balancer's port on 127.0.0.1 (default 8088; 0: a free one)
  --data-dir DIR        default data/cluster (from the repository root): secret.key,
                        replica-N/ (each one's sms.jsonl), nginx/ (its config and logs)
  --no-demo             no demo provider and filing (default: replica 1 seeds them)
  --no-build            use the binaries and dist/ as built (no setup, no builds)
  --temporary-database  a fresh database on the --database server, dropped at the end";

const DEFAULT_DATABASE: &str = "postgres://postgres@127.0.0.1:5432/beian";
const DEFAULT_PORT: u16 = 8088;

#[derive(Debug)]
struct Options {
    replicas: usize,
    database: String,
    port: u16,
    data_dir: PathBuf,
    demo: bool,
    build: bool,
    temporary_database: bool,
    /// Given to every replica's `serve`.
    server_args: Vec<String>,
}

pub fn cluster(args: &[String]) -> Result<()> {
    if args.first().is_some_and(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let options = parse_args(args)?;
    if options.build {
        setup::setup()?;
        build::spa()?;
        build::server()?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let database = runtime.block_on(Database::prepare(&options.database, options.temporary_database))?;
    let ran = runtime.block_on(run(&options, &database));
    let dropped = runtime.block_on(database.drop_if_temporary());
    ran.and(dropped)
}

/// Starts the replicas and the balancer, prints the address, and waits for Ctrl-C (or SIGTERM,
/// or a process ending on its own); everything it started is stopped when this returns.
async fn run(options: &Options, database: &Database) -> Result<()> {
    // Caught from here on: the children have process groups of their own, so a Ctrl-C that
    // ended xtask while they start would leave them running.
    let signals = Signals::catch()?;
    create_private_dir(&options.data_dir)?;
    let listen = balancer_address(options.port)?;
    let public_url = std::env::var("BEIAN_PUBLIC_URL").unwrap_or_else(|_| format!("http://{listen}"));
    // A key in the environment reaches every replica as it is; otherwise one file for all.
    let key_file = match std::env::var_os("BEIAN_SECRET_KEY") {
        Some(_) => None,
        None => Some(secret::key_file(&options.data_dir)?),
    };
    let mut replicas = Vec::new();
    for n in 1..=options.replicas {
        let mut command = Command::new(project::server_binary());
        command
            .arg("serve")
            .args((options.demo && n == 1).then_some("--demo"))
            .args(&options.server_args)
            .env("BEIAN_ADDR", "127.0.0.1:0")
            .env("BEIAN_DATA_DIR", options.data_dir.join(format!("replica-{n}")))
            .env("BEIAN_DATABASE_URL", &database.url)
            .env("BEIAN_PUBLIC_URL", &public_url)
            .env("BEIAN_TRUSTED_PROXIES", "127.0.0.1")
            // One metrics port cannot serve several processes.
            .env("BEIAN_METRICS_ADDR", "off")
            .process_group(0);
        if let Some(key_file) = &key_file {
            command.env("BEIAN_SECRET_KEY_FILE", key_file);
        }
        if std::env::var_os("BEIAN_STATIC_DIR").is_none() {
            command.env("BEIAN_STATIC_DIR", project::root().join("dist"));
        }
        // Replica 1 runs the migrations (and seeds the demo) before the others start.
        replicas.push(ServerProcess::start(command, Some(&format!("r{n}")))?);
    }
    let upstreams: Vec<String> = replicas.iter().map(|r| r.url.trim_start_matches("http://").to_string()).collect();
    let mut balancer = Nginx::start(&options.data_dir.join("nginx"), listen, &upstreams)?;
    // Scripts and tests read these two lines, in this order: the database (for one-off commands
    // such as create-provider), then the address (at the line's start; replicas' are labelled).
    println!("database {}; data in {}", database::shown(&database.url), options.data_dir.display());
    println!(
        "listening on http://{listen} (nginx, round robin over {} replicas: {})",
        replicas.len(),
        upstreams.join(", ")
    );
    println!("Ctrl-C stops everything");

    let ended = wait(signals, &mut replicas, &mut balancer).await;
    eprintln!("cluster: stopping");
    drop(balancer);
    replicas.iter().for_each(ServerProcess::terminate);
    drop(replicas);
    ended
}

/// Ctrl-C (SIGINT) and SIGTERM, caught instead of ending xtask.
struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    fn catch() -> Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt()).map_err(|e| format!("catching SIGINT: {e}"))?,
            terminate: signal(SignalKind::terminate()).map_err(|e| format!("catching SIGTERM: {e}"))?,
        })
    }
}

/// Until Ctrl-C or SIGTERM (Ok), or until a replica or nginx ends by itself (an error).
async fn wait(mut signals: Signals, replicas: &mut [ServerProcess], balancer: &mut Nginx) -> Result<()> {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            _ = signals.interrupt.recv() => return Ok(()),
            _ = signals.terminate.recv() => return Ok(()),
            _ = tick.tick() => {}
        }
        for (n, replica) in replicas.iter_mut().enumerate() {
            if let Some(status) = replica.exited() {
                return Err(format!("replica r{} (pid {}) exited: {status}", n + 1, replica.id()));
            }
        }
        if let Some(status) = balancer.exited() {
            return Err(format!("nginx exited: {status}\n{}", balancer.error_log()));
        }
    }
}

/// 127.0.0.1:`port`; port 0 takes one that is free now (nginx cannot report one it picked).
fn balancer_address(port: u16) -> Result<SocketAddr> {
    let wanted = SocketAddr::from(([127, 0, 0, 1], port));
    let probe = TcpListener::bind(wanted).map_err(|e| format!("the balancer's address {wanted}: {e}"))?;
    probe.local_addr().map_err(|e| e.to_string())
}

fn create_private_dir(dir: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("creating {}: {e}", dir.display()))
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        replicas: 3,
        database: DEFAULT_DATABASE.to_string(),
        port: DEFAULT_PORT,
        data_dir: project::root().join("data/cluster"),
        demo: true,
        build: true,
        temporary_database: false,
        server_args: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = |what: &str| {
            inline.clone().or_else(|| args.next().cloned()).ok_or(format!("cluster: {flag} needs {what}\n\n{USAGE}"))
        };
        match flag {
            "--replicas" => {
                options.replicas = value("a number")?
                    .parse()
                    .ok()
                    .filter(|n| (1..=32).contains(n))
                    .ok_or("cluster: --replicas takes a number from 1 to 32")?
            }
            "--database" => options.database = value("a URL")?,
            "--port" => options.port = value("a port")?.parse().map_err(|_| "cluster: --port takes 0 to 65535")?,
            "--data-dir" => options.data_dir = project::root().join(value("a directory")?),
            "--no-demo" => options.demo = false,
            "--no-build" => options.build = false,
            "--temporary-database" => options.temporary_database = true,
            "--" => {
                options.server_args = args.cloned().collect();
                break;
            }
            _ => return Err(format!("cluster: unknown option `{arg}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options> {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn by_default_three_replicas_on_the_local_postgres_with_demo_data() {
        let options = parse(&[]).unwrap();
        assert_eq!((options.replicas, options.port, options.demo, options.build), (3, 8088, true, true));
        assert_eq!(options.database, DEFAULT_DATABASE);
        assert!(!options.temporary_database);
    }

    #[test]
    fn flags_take_values_spaced_or_after_an_equals_sign_and_server_flags_follow_two_dashes() {
        let options = parse(&["--replicas=2", "--port", "0", "--no-demo", "--", "--code-validity-secs", "5"]).unwrap();
        assert_eq!((options.replicas, options.port, options.demo), (2, 0, false));
        assert_eq!(options.server_args, ["--code-validity-secs", "5"]);
    }

    #[test]
    fn bad_flags_are_refused_with_the_usage() {
        assert!(parse(&["--replicas", "0"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--frobnicate"]).unwrap_err().contains("usage:"));
        assert!(parse(&["--database"]).unwrap_err().contains("needs a URL"));
    }
}
