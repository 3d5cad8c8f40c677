//! `beian-verify-bench`: loads a real server process with checks (a realistic mix of outcomes)
//! and, in the same run against the same server, `/healthz`; reports requests/s, p50 and p99,
//! their ratio, submits/s and SMS dispatched/s while seeding, and the server's peak memory, for
//! each database engine asked for. Run through `cargo xtask bench [--database sqlite|postgres://…]…`
//! (default: SQLite, and PostgreSQL at BEIAN_TEST_POSTGRES_URL when it answers), or against
//! servers already running (`--running URL --key API_KEY --sms FILE…`, as `cargo xtask bench
//! --cluster N` starts them: replicas behind a load balancer, their SMS in several files). With
//! `--statements`, the server logs every SQL statement's time (sqlx's and the direct SQLite
//! connection's, debug) and the bench prints
//! where the checks' database time went, statement by statement (the logging slows the run: take
//! throughput from a run without it). With `--runs N` it runs every engine N times, in turn, and
//! prints each figure as the median and the lowest–highest of the N. Not a test: it prints figures.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, LineWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{json, Value};
use sqlx::{Connection, Executor, PgConnection};

/// Enough people (two a filing) that the 60% of checks that take a fresh person do not run out
/// within a run at 4,000 checks/s (they would, and the mix would turn into cheaper repeats).
const FILINGS: usize = 12_000;
const CONCURRENCY: usize = 16;
const RUN_FOR: Duration = Duration::from_secs(10);
/// The client addresses checks come from (through the bench as a trusted proxy): one person's
/// limit row is not everyone's.
const CLIENTS: u32 = 5000;
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The server secret for a PostgreSQL run (a shared database needs a configured key).
const BENCH_KEY: &str = "62656e6368206b65792c206e6f74206120736563726574206f66207265616c21";

/// What one run loads.
#[derive(Clone)]
enum Target {
    /// A server this bench starts, on a fresh database.
    Spawn(Database),
    /// Servers already running at `address` (a load balancer's), for a provider with `key`, whose
    /// console gateways write the SMS to `sms` files.
    Running { label: String, address: String, key: String, sms: Vec<PathBuf> },
}

/// Where a spawned server keeps its data.
#[derive(Clone)]
enum Database {
    Sqlite,
    /// A fresh database on this server (a `postgres://…/<maintenance db>` URL), dropped after.
    Postgres {
        server: String,
    },
}

/// One engine's figures.
struct Report {
    engine: String,
    checks: Measured,
    health: Measured,
    submits_per_sec: f64,
    sms_per_sec: f64,
    /// The spawned server's; none for servers already running.
    peak_mib: Option<f64>,
}

#[tokio::main]
async fn main() {
    let (targets, runs) = targets_from_args().await;
    // Engines take turns, so a slow spell of the machine does not fall on one engine's runs only.
    let mut reports: Vec<Vec<Report>> = targets.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (target, reports) in targets.iter().zip(&mut reports) {
            reports.push(run(target.clone()).await);
        }
    }
    println!();
    println!(
        "{CONCURRENCY} concurrent connections, {} s each, loopback; client, server and database share this machine ({} cores)",
        RUN_FOR.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if runs > 1 {
        println!("{runs} runs of each engine: median (lowest–highest)");
    }
    println!(
        "| engine | checks/s | check p50 ms | check p99 ms | /healthz req/s | ratio | submits/s | SMS sent/s | peak MiB |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for runs in &reports {
        let figure =
            |of: &dyn Fn(&Report) -> Option<f64>, decimals: usize| spread(runs.iter().filter_map(of), decimals);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            runs[0].engine,
            figure(&|r| Some(r.checks.per_sec()), 0),
            figure(&|r| Some(r.checks.percentile_ms(0.50)), 2),
            figure(&|r| Some(r.checks.percentile_ms(0.99)), 2),
            figure(&|r| Some(r.health.per_sec()), 0),
            figure(&|r| Some(r.checks.per_sec() / r.health.per_sec()), 3),
            figure(&|r| Some(r.submits_per_sec), 0),
            figure(&|r| Some(r.sms_per_sec), 0),
            figure(&|r| r.peak_mib, 1),
        );
    }
    for runs in &reports {
        for r in runs {
            println!("{} check outcomes: {:?}", r.engine, r.checks.outcomes);
        }
    }
}

/// One figure over the runs: the value itself for one run, else the median (lowest–highest).
fn spread(values: impl Iterator<Item = f64>, decimals: usize) -> String {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.as_slice() {
        [] => "-".to_owned(),
        [one] => format!("{one:.decimals$}"),
        [low, .., high] => {
            let middle = values.len() / 2;
            let median = match values.len() % 2 {
                1 => values[middle],
                _ => (values[middle - 1] + values[middle]) / 2.0,
            };
            format!("{median:.decimals$} ({low:.decimals$}–{high:.decimals$})")
        }
    }
}

/// `--database sqlite` and `--database postgres://…` (repeatable), or `--running URL --key KEY
/// --sms FILE…` (with `--label NAME`); by default SQLite, and PostgreSQL too when the test server
/// answers. With them, how many runs of each (`--runs N`, default 1).
async fn targets_from_args() -> (Vec<Target>, usize) {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--statements").collect();
    let usage = "usage: beian-verify-bench [--statements] [--runs N] [--database sqlite|postgres://user@host/maintenance-db]... \
                 | --running URL --key API_KEY --sms FILE... [--label NAME]";
    let mut runs = 1;
    let mut targets = Vec::new();
    let (mut running, mut key, mut sms, mut label) = (None, None, Vec::new(), "running".to_owned());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().map(String::as_str).unwrap_or_else(|| panic!("{arg} needs a value\n{usage}"));
        match (arg.as_str(), value) {
            ("--database", "sqlite") => targets.push(Target::Spawn(Database::Sqlite)),
            ("--database", url) if url.starts_with("postgres") => {
                targets.push(Target::Spawn(Database::Postgres { server: url.to_owned() }))
            }
            ("--running", url) => running = Some(url.to_owned()),
            ("--key", value) => key = Some(value.to_owned()),
            ("--sms", file) => sms.push(PathBuf::from(file)),
            ("--label", value) => label = value.to_owned(),
            ("--runs", n) => {
                runs = n.parse().ok().filter(|&n| n > 0).unwrap_or_else(|| panic!("--runs takes a count\n{usage}"))
            }
            _ => panic!("{usage}"),
        }
    }
    if let Some(address) = running {
        let key = key.unwrap_or_else(|| panic!("--running needs --key\n{usage}"));
        targets.push(Target::Running { label, address, key, sms });
    }
    if targets.is_empty() {
        targets.push(Target::Spawn(Database::Sqlite));
        let server = std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
        match PgConnection::connect(&server).await {
            Ok(connection) => {
                connection.close().await.ok();
                targets.push(Target::Spawn(Database::Postgres { server }));
            }
            Err(e) => println!("PostgreSQL skipped: unreachable at {server} ({e})"),
        }
    }
    (targets, runs)
}

async fn run(target: Target) -> Report {
    match target {
        Target::Spawn(database) => run_spawned(database).await,
        Target::Running { label, address, key, sms } => {
            let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();
            let (submits_per_sec, sms_per_sec, people) = seed(&label, &client, &address, &key, &sms).await;
            let checks = load_checks(&client, &address, people).await;
            let health = load(&client, &address, |_| Request::Get("/healthz".into())).await;
            Report { engine: label, checks, health, submits_per_sec, sms_per_sec, peak_mib: None }
        }
    }
}

/// Submits the filings and waits for all their SMS: (submits/s, SMS sent/s, the people).
async fn seed(
    label: &str,
    client: &reqwest::Client,
    address: &str,
    key: &str,
    sms: &[PathBuf],
) -> (f64, f64, Vec<Person>) {
    let seeding = Instant::now();
    submit_all(client, address, key).await;
    let submitted = seeding.elapsed();
    let people = wait_for_codes(sms, FILINGS * 2).await;
    let dispatched = seeding.elapsed();
    println!(
        "{label}: {FILINGS} filings submitted in {:.1} s, their {} SMS all sent after {:.1} s",
        submitted.as_secs_f64(),
        people.len(),
        dispatched.as_secs_f64()
    );
    (FILINGS as f64 / submitted.as_secs_f64(), (FILINGS * 2) as f64 / dispatched.as_secs_f64(), people)
}

async fn run_spawned(database: Database) -> Report {
    let data = std::env::temp_dir().join(format!("beian-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let (engine, url, dropper) = match &database {
        Database::Sqlite => ("SQLite".to_owned(), None, None),
        Database::Postgres { server } => {
            let name = format!("beian_bench_{}", std::process::id());
            let mut admin = PgConnection::connect(server).await.expect("PostgreSQL answers");
            admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
            admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
            let (base, _) = server.rsplit_once('/').expect("a database name in the URL");
            ("PostgreSQL".to_owned(), Some(format!("{base}/{name}")), Some((admin, name)))
        }
    };
    let server_bin = std::env::current_exe().unwrap().with_file_name("beian-verify-server");
    let statements = std::env::args().any(|a| a == "--statements");
    let env =
        ServerEnv { data: data.clone(), database_url: url, statement_log: statements.then(|| data.join("sql.log")) };
    let key = create_provider(&server_bin, &env);
    let (mut server, address) = start_server(&server_bin, &env);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();

    let (submits_per_sec, sms_per_sec, people) =
        seed(&engine, &client, &address, &key, &[data.join("sms.jsonl")]).await;

    let log_before_checks = env.statement_log.as_ref().and_then(|log| std::fs::metadata(log).ok()).map(|m| m.len());
    let checks = load_checks(&client, &address, people).await;
    if let (Some(log), Some(from)) = (&env.statement_log, log_before_checks) {
        print_statement_times(&engine, log, from, checks.latencies.len());
    }
    let health = load(&client, &address, |_| Request::Get("/healthz".into())).await;
    let peak = peak_memory_kib(server.id());
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
    if let Some((mut admin, name)) = dropper {
        admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.ok();
    }
    Report { engine, checks, health, submits_per_sec, sms_per_sec, peak_mib: Some(peak as f64 / 1024.0) }
}

/// What the server processes of one run share: the data directory and the database.
struct ServerEnv {
    data: PathBuf,
    database_url: Option<String>,
    /// Where the serving process logs each SQL statement's time, when asked for.
    statement_log: Option<PathBuf>,
}

impl ServerEnv {
    fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.env("BEIAN_DATA_DIR", &self.data).env("BEIAN_LOG", "warn");
        if let Some(url) = &self.database_url {
            command.env("BEIAN_DATABASE_URL", url).env("BEIAN_SECRET_KEY", BENCH_KEY);
        }
        command
    }
}

fn create_provider(server_bin: &Path, env: &ServerEnv) -> String {
    let output = env
        .apply(Command::new(server_bin).args(["create-provider", "--name", "bench"]))
        .output()
        .expect("server binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.lines().find_map(|l| l.strip_prefix("api_key=")).expect("api key printed").to_owned()
}

fn start_server(server_bin: &Path, env: &ServerEnv) -> (Child, String) {
    let mut command = Command::new(server_bin);
    env.apply(command.arg("serve"));
    if env.statement_log.is_some() {
        command
            .env("BEIAN_LOG", "warn,sqlx::query=debug,beian_verify_server::store::direct=debug")
            .env("BEIAN_LOG_JSON", "true");
    }
    let mut child = command
        .env("BEIAN_ADDR", "127.0.0.1:0")
        .env("BEIAN_METRICS_ADDR", "off")
        // One client seeds and checks for thousands of people: lift the abuse limits, which
        // would otherwise (rightly) refuse it; their cost per request stays in the figures.
        .env("BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", "100000000")
        // The bench stands in for a proxy in front of many people (see `CLIENTS`).
        .env("BEIAN_TRUSTED_PROXIES", "127.0.0.1")
        .env("BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", "100000000")
        .env("BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", "100000000")
        .env("BEIAN_SMS_PER_PROVIDER_PER_MINUTE", "100000000")
        .env("BEIAN_SMS_PER_PROVIDER_PER_DAY", "100000000")
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(address) = line.strip_prefix("listening on ") {
            break address.to_owned();
        }
    };
    // Keep draining the console gateway's output (and the log, which goes to the same stdout) so
    // the server never blocks on a full pipe; the log lines go to the statement log when asked.
    let mut log = env.statement_log.as_ref().map(|path| LineWriter::new(File::create(path).expect("statement log")));
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(log) = &mut log {
                let _ = writeln!(log, "{line}");
            }
        }
    });
    (child, address)
}

/// A person with a code: (phone, suffix, code).
type Person = (String, String, String);

async fn submit_all(client: &reqwest::Client, address: &str, key: &str) {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, address, key, next) = (client.clone(), address.to_owned(), key.to_owned(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= FILINGS {
                    return;
                }
                let response = client
                    .post(format!("{address}/api/v1/filings"))
                    .bearer_auth(&key)
                    .json(&filing(i))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

fn filing(i: usize) -> Value {
    let person = |name: String, n: usize| json!({"name": name, "mobile": format!("139{n:08}"), "id_type": "passport", "id_number": format!("E{n:08}")});
    json!({
        "business_type": "new_filing",
        // 浙江 verifies by SMS: every bench filing sends its SMS.
        "province": "330000",
        "subject": {"name": format!("公司{i}"), "principal": person(format!("甲{i}"), 2 * i)},
        "websites": [{"name": format!("网站{i}"), "principal": person(format!("乙{i}"), 2 * i + 1)}]
    })
}

async fn wait_for_codes(files: &[PathBuf], count: usize) -> Vec<Person> {
    loop {
        let text: String = files.iter().map(|file| std::fs::read_to_string(file).unwrap_or_default()).collect();
        let people: Vec<Person> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|sms| {
                let phone = sms["to"].as_str().unwrap().to_owned();
                let n: usize = phone[3..].parse().unwrap();
                // The passport number is E + the 8 digits after 139: its suffix is their last six.
                (phone, format!("{n:08}")[2..].to_owned(), sms["code"].as_str().unwrap().to_owned())
            })
            .collect();
        if people.len() >= count {
            return people;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

enum Request {
    Get(String),
    Check(Value),
}

struct Measured {
    latencies: Vec<Duration>,
    outcomes: BTreeMap<String, usize>,
    elapsed: Duration,
}

impl Measured {
    fn per_sec(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1));
        sorted.get(at).copied().unwrap_or_default().as_secs_f64() * 1000.0
    }
}

/// The mix people produce: mostly right codes (partial, then complete), some repeats (already
/// verified), typos (failed) and numbers with nothing pending (not found).
async fn load_checks(client: &reqwest::Client, address: &str, people: Vec<Person>) -> Measured {
    let mut shuffled = people;
    shuffled.shuffle(&mut rand::thread_rng());
    let fresh = Arc::new(Mutex::new(shuffled));
    let left = fresh.clone();
    let used = Arc::new(Mutex::new(Vec::<Person>::new()));
    let measured = load(client, address, move |rng| {
        let roll: u32 = rng.gen_range(0..100);
        let body = |p: &Person, code: &str| json!({"code": code, "phone": p.0, "id_suffix": p.1});
        if roll < 60 {
            if let Some(p) = fresh.lock().unwrap().pop() {
                used.lock().unwrap().push(p.clone());
                return Request::Check(body(&p, &p.2));
            }
        }
        if roll < 80 {
            if let Some(p) = used.lock().unwrap().choose(rng).cloned() {
                return Request::Check(body(&p, &p.2));
            }
        }
        if roll < 90 {
            if let Some(p) = fresh.lock().unwrap().choose(rng).cloned() {
                let wrong = if p.2 == "000000" { "000001" } else { "000000" };
                return Request::Check(body(&p, wrong));
            }
        }
        Request::Check(json!({"code": "123456", "phone": format!("137{:08}", rng.gen_range(0..99_999_999)), "id_suffix": "123456"}))
    })
    .await;
    if left.lock().unwrap().is_empty() {
        eprintln!(
            "warning: every fresh person was used before the run ended; the mix turned to repeats (raise FILINGS)"
        );
    }
    measured
}

async fn load(
    client: &reqwest::Client,
    address: &str,
    next: impl Fn(&mut rand::rngs::ThreadRng) -> Request + Send + Sync + 'static,
) -> Measured {
    let next = Arc::new(next);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, address, next) = (client.clone(), address.to_owned(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut outcomes = BTreeMap::new();
            while started.elapsed() < RUN_FOR {
                let request = next(&mut rand::thread_rng());
                let sent = Instant::now();
                let response = match request {
                    Request::Get(path) => client.get(format!("{address}{path}")).send().await,
                    Request::Check(body) => {
                        // People check from their own phones: one of many client addresses,
                        // named to the server as a trusted proxy would.
                        let person: u32 = rand::thread_rng().gen_range(0..CLIENTS);
                        let from = format!("10.{}.{}.{}", person >> 16 & 0xff, person >> 8 & 0xff, person & 0xff);
                        client
                            .post(format!("{address}/api/v1/checks"))
                            .header("X-Forwarded-For", from)
                            .json(&body)
                            .send()
                            .await
                    }
                };
                let response = response.expect("server answers");
                let status = response.status();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                latencies.push(sent.elapsed());
                let outcome =
                    body["outcome"].as_str().map(str::to_owned).unwrap_or_else(|| status.as_u16().to_string());
                *outcomes.entry(outcome).or_insert(0) += 1;
            }
            (latencies, outcomes)
        }));
    }
    let mut measured = Measured { latencies: Vec::new(), outcomes: BTreeMap::new(), elapsed: Duration::ZERO };
    for task in tasks {
        let (latencies, outcomes) = task.await.unwrap();
        measured.latencies.extend(latencies);
        for (k, v) in outcomes {
            *measured.outcomes.entry(k).or_insert(0) += v;
        }
    }
    measured.elapsed = started.elapsed();
    measured
}

/// Sums the statement times the server logged (JSON lines from `from` on) by statement, and
/// prints the top ones with their share of the database time and their count per check.
fn print_statement_times(engine: &str, log: &Path, from: u64, checks: usize) {
    let text = std::fs::read(log).unwrap_or_default();
    let text = String::from_utf8_lossy(&text[(from as usize).min(text.len())..]).into_owned();
    let mut by_statement: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for line in text.lines() {
        let Ok(entry) = serde_json::from_str::<Value>(line) else { continue };
        let fields = &entry["fields"];
        // sqlx logs a short statement whole as the summary, a longer one in `db.statement`.
        let statement = match fields["db.statement"].as_str() {
            Some(whole) if !whole.trim().is_empty() => whole,
            _ => fields["summary"].as_str().unwrap_or_default(),
        };
        let Some(secs) = fields["elapsed_secs"].as_f64() else { continue };
        let statement: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = statement.chars().take(90).collect();
        let slot = by_statement.entry(short).or_default();
        slot.0 += 1;
        slot.1 += secs;
    }
    let total: f64 = by_statement.values().map(|(_, secs)| secs).sum();
    let count: usize = by_statement.values().map(|(n, _)| n).sum();
    let mut rows: Vec<_> = by_statement.into_iter().collect();
    rows.sort_by(|a, b| b.1 .1.total_cmp(&a.1 .1));
    println!(
        "{engine}: {count} statements for {checks} checks ({:.1} per check), {:.0} µs of database time per check",
        count as f64 / checks.max(1) as f64,
        total * 1e6 / checks.max(1) as f64
    );
    println!("| share | per check | mean µs | statement |");
    println!("| ---: | ---: | ---: | --- |");
    for (statement, (n, secs)) in rows.iter().take(12) {
        println!(
            "| {:.0}% | {:.2} | {:.0} | `{statement}` |",
            secs / total * 100.0,
            *n as f64 / checks.max(1) as f64,
            secs / *n as f64 * 1e6
        );
    }
}

fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
