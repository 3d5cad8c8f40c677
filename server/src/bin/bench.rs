//! `beian-verify-bench`: loads a real server process with checks (a realistic mix of outcomes)
//! and, in the same run against the same server, `/healthz`; reports requests/s, p50 and p99,
//! and the server's peak memory. Run through `cargo xtask bench`. Not a test: it prints figures.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{json, Value};

const FILINGS: usize = 3000;
const CONCURRENCY: usize = 16;
const RUN_FOR: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    let data = std::env::temp_dir().join(format!("beian-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let server_bin = std::env::current_exe().unwrap().with_file_name("beian-verify-server");
    let key = create_provider(&server_bin, &data);
    let (mut server, address) = start_server(&server_bin, &data);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();

    let seeded = Instant::now();
    let people = seed(&client, &address, &key, &data).await;
    println!("seeded {FILINGS} filings ({} people) in {:.1} s", people.len(), seeded.elapsed().as_secs_f64());

    let checks = load_checks(&client, &address, people).await;
    let health = load(&client, &address, |_| Request::Get("/healthz".into())).await;
    let peak = peak_memory_kib(server.id());
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);

    println!();
    println!(
        "{CONCURRENCY} concurrent connections, {} s each, loopback, 2-core machine (client and server share it)",
        RUN_FOR.as_secs()
    );
    println!("| endpoint | requests | req/s | p50 ms | p99 ms |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    checks.row("POST /api/v1/checks (mix)");
    health.row("GET /healthz");
    println!();
    println!("check outcomes: {:?}", checks.outcomes);
    println!("server peak memory (VmHWM): {:.1} MiB", peak as f64 / 1024.0);
}

fn create_provider(server_bin: &Path, data: &Path) -> String {
    let output = Command::new(server_bin)
        .args(["create-provider", "--name", "bench"])
        .env("BEIAN_DATA_DIR", data)
        .env("BEIAN_LOG", "warn")
        .output()
        .expect("server binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.lines().find_map(|l| l.strip_prefix("api_key=")).expect("api key printed").to_owned()
}

fn start_server(server_bin: &Path, data: &Path) -> (Child, String) {
    let mut child = Command::new(server_bin)
        .arg("serve")
        .env("BEIAN_DATA_DIR", data)
        .env("BEIAN_ADDR", "127.0.0.1:0")
        .env("BEIAN_METRICS_ADDR", "off")
        .env("BEIAN_LOG", "warn")
        // One client seeds and checks for thousands of people: lift the abuse limits, which
        // would otherwise (rightly) refuse it; their cost per request stays in the figures.
        .env("BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", "100000000")
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
    // Keep draining the console gateway's output so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

/// A person with a code: (phone, suffix, code).
type Person = (String, String, String);

async fn seed(client: &reqwest::Client, address: &str, key: &str, data: &Path) -> Vec<Person> {
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
    wait_for_codes(&data.join("sms.jsonl"), FILINGS * 2).await
}

fn filing(i: usize) -> Value {
    let person = |name: String, n: usize| json!({"name": name, "mobile": format!("139{n:08}"), "id_type": "passport", "id_number": format!("E{n:08}")});
    json!({
        "business_type": "new_filing",
        "subject": {"name": format!("公司{i}"), "principal": person(format!("甲{i}"), 2 * i)},
        "websites": [{"name": format!("网站{i}"), "principal": person(format!("乙{i}"), 2 * i + 1)}]
    })
}

async fn wait_for_codes(path: &PathBuf, count: usize) -> Vec<Person> {
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
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
    fn row(&self, name: &str) {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let pct = |p: f64| {
            sorted
                .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} |",
            sorted.len(),
            sorted.len() as f64 / self.elapsed.as_secs_f64(),
            pct(0.50).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0
        );
    }
}

/// The mix people produce: mostly right codes (partial, then complete), some repeats (already
/// verified), typos (failed) and numbers with nothing pending (not found).
async fn load_checks(client: &reqwest::Client, address: &str, people: Vec<Person>) -> Measured {
    let mut shuffled = people;
    shuffled.shuffle(&mut rand::thread_rng());
    let fresh = Arc::new(Mutex::new(shuffled));
    let used = Arc::new(Mutex::new(Vec::<Person>::new()));
    load(client, address, move |rng| {
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
    .await
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
                    Request::Check(body) => client.post(format!("{address}/api/v1/checks")).json(&body).send().await,
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

fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
