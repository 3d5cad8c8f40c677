//! `cargo xtask lighthouse`: a measurement, not a test. Lighthouse (npm, e2e/node_modules; mobile
//! preset, simulated throttling) against the release build served by the real server, for the code
//! form `/` and a real short link `/v/<token>`; runs each page [`RUNS`] times and prints the median
//! and the spread (lowest–highest) of each figure, total blocking time included.
//!
//! The server runs on a free port with a throwaway data directory; one filing is submitted over
//! the API so the link page shows real landing data. The full reports stay in target/lighthouse/.

use crate::cmd::Cmd;
use crate::server_process::{create_provider, server_command, Scratch, ServerProcess};
use crate::{build, project, setup, Result};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The Chrome flags the end-to-end tests use too (e2e/helpers.mjs): as root on a closed network.
const CHROME_FLAGS: &str = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
     --disable-background-networking --disable-component-update --disable-sync";

/// The filing seeded for the link page: the example of the API docs (张三 for the subject, 李四 for
/// the website); the link measured is 张三's.
const FILING: &str = r#"{"business_type":"new_filing","province":"330000","reference":"lighthouse","subject":{"name":"示例科技有限公司","principal":{"name":"张三","mobile":"13800138000","id_type":"resident_id","id_number":"11010519491231002X"}},"websites":[{"name":"示例网站","domains":["example.cn"],"principal":{"name":"李四","mobile":"18912345678","id_type":"resident_id","id_number":"440524188001010014"}}]}"#;
pub const LINK_PHONE: &str = "13800138000";

/// Runs per page: Lighthouse's figures vary from run to run; the median of three is what we quote.
const RUNS: usize = 3;

const SMS_WAIT: Duration = Duration::from_secs(10);

/// The figures of one run, in [`COLUMNS`] order: scores 0–100, times in ms.
type Figures = [f64; 6];

/// What is printed per figure, and how wide.
const COLUMNS: [(&str, usize); 6] =
    [("perf", 9), ("a11y", 9), ("best-pr", 9), ("FCP ms", 13), ("LCP ms", 13), ("TBT ms", 11)];

/// `args`: nothing (build and measure this checkout's SPA), or `--dist DIR` to measure another
/// build of it (another branch's `dist/`, for a before/after) with this checkout's server.
pub fn lighthouse(args: &[String]) -> Result<()> {
    let dist = match args {
        [] => None,
        [flag, dir] if flag == "--dist" => Some(PathBuf::from(dir)),
        _ => return Err("usage: cargo xtask lighthouse [--dist DIR]".into()),
    };
    setup::setup()?;
    if dist.is_none() {
        build::spa()?;
    }
    build::server()?;
    let dist = dist.unwrap_or_else(|| project::root().join("dist"));
    let scratch = Scratch::new("lighthouse")?;
    let server = Server::start(&scratch.path.join("data"), &dist)?;
    let key = create_provider(&server.data_dir, "lighthouse")?;
    submit_filing(&server.process.url, &key)?;
    let link = wait_for_link(&server.data_dir, LINK_PHONE)?;
    let token = link.rsplit_once("/v/").map(|(_, token)| token).ok_or(format!("SMS link without /v/: {link}"))?;

    let reports = project::target_dir().join("lighthouse");
    std::fs::create_dir_all(&reports).map_err(|e| format!("creating {}: {e}", reports.display()))?;
    let pages = [("/", "home".to_string(), "/".to_string()), ("/v/<token>", "link".into(), format!("/v/{token}"))];
    let mut rows = Vec::new();
    for (shown, file, path) in pages {
        let mut runs = Vec::new();
        for run in 1..=RUNS {
            let report = reports.join(format!("{file}-{run}.report.json"));
            let profile = scratch.path.join(format!("chrome-{file}-{run}"));
            run_lighthouse(&format!("{}{path}", server.process.url), &report, &profile)?;
            runs.push(read_figures(&report)?);
        }
        rows.push((shown, runs));
    }
    drop(server);

    println!();
    println!(
        "Lighthouse 12, mobile preset, simulated throttling: median of {RUNS} runs (lowest–highest); reports in {}",
        reports.display()
    );
    print!("{:<12}", "page");
    for (name, width) in COLUMNS {
        print!(" {name:>width$}");
    }
    println!();
    for (page, runs) in rows {
        print!("{page:<12}");
        for (column, (_, width)) in COLUMNS.iter().enumerate() {
            let (median, low, high) = median_and_spread(runs.iter().map(|figures| figures[column]).collect());
            let cell = if low == high { format!("{median:.0}") } else { format!("{median:.0} ({low:.0}–{high:.0})") };
            print!(" {cell:>width$}");
        }
        println!();
    }
    Ok(())
}

/// The median, lowest and highest of some runs' values (at least one).
fn median_and_spread(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    (median, values[0], values[values.len() - 1])
}

/// `lighthouse <url> --output=json`, performance, accessibility and best practices only (SEO and
/// PWA are not what we measure), in a fresh Chrome profile.
fn run_lighthouse(url: &str, report: &Path, profile: &Path) -> Result<()> {
    let bin = project::root().join("e2e/node_modules/.bin/lighthouse");
    Cmd::new(&bin.to_string_lossy())
        .env("CHROME_PATH", project::CHROMIUM)
        .args([
            url.to_string(),
            "--output=json".into(),
            format!("--output-path={}", report.display()),
            "--only-categories=performance,accessibility,best-practices".into(),
            "--quiet".into(),
            format!("--chrome-flags={CHROME_FLAGS} --user-data-dir={}", profile.display()),
        ])
        .run()
}

/// The six numbers from a Lighthouse JSON report, read by Node (the report is a large JSON file;
/// xtask stays std-only).
fn read_figures(report: &Path) -> Result<Figures> {
    const EXTRACT: &str = "const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); \
        const s = (c) => Math.round((r.categories[c]?.score ?? NaN) * 100); \
        const a = (id) => r.audits[id]?.numericValue ?? NaN; \
        if (r.runtimeError) { console.error(r.runtimeError.message); process.exit(1); } \
        console.log([s('performance'), s('accessibility'), s('best-practices'), \
                     a('first-contentful-paint'), a('largest-contentful-paint'), \
                     a('total-blocking-time')].join(' '));";
    let line = Cmd::new("node")
        .args(["-e", EXTRACT, &report.to_string_lossy()])
        .read()
        .ok_or(format!("cannot read the figures from {}", report.display()))?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let number = |i: usize| -> Result<f64> {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .filter(|n| n.is_finite())
            .ok_or(format!("{}: figure {i} missing in `{line}` (did the page load?)", report.display()))
    };
    Ok([number(0)?, number(1)?, number(2)?, number(3)?, number(4)?, number(5)?])
}

/// The release server on a free port with a throwaway data directory, stopped when dropped.
struct Server {
    process: ServerProcess,
    data_dir: PathBuf,
}

impl Server {
    fn start(data_dir: &Path, dist: &Path) -> Result<Server> {
        let mut command = server_command(data_dir);
        command
            .args(["serve"])
            .env("BEIAN_ADDR", "127.0.0.1:0")
            .env("BEIAN_METRICS_ADDR", "off")
            .env("BEIAN_STATIC_DIR", dist);
        let process = ServerProcess::start(command, None)?;
        eprintln!("lighthouse: server at {}", process.url);
        Ok(Server { process, data_dir: data_dir.to_path_buf() })
    }
}

/// `POST /api/v1/filings` over a plain HTTP/1.1 connection; an error unless the answer is 201.
pub fn submit_filing(url: &str, key: &str) -> Result<()> {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connecting to {addr}: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let request = format!(
        "POST /api/v1/filings HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FILING}",
        FILING.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| format!("sending the filing: {e}"))?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| format!("reading the filing's answer: {e}"))?;
    let status = answer.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) == Some("201") {
        Ok(())
    } else {
        Err(format!("the filing was refused: {answer}"))
    }
}

/// The link of the first SMS to `phone` in `<data dir>/sms.jsonl` (the console gateway's outbox).
pub fn wait_for_link(data_dir: &Path, phone: &str) -> Result<String> {
    let outbox = data_dir.join("sms.jsonl");
    let deadline = Instant::now() + SMS_WAIT;
    loop {
        let text = std::fs::read_to_string(&outbox).unwrap_or_default();
        let found = text
            .lines()
            .filter(|line| line.ends_with('}'))
            .filter(|line| json_string(line, "to").is_some_and(|to| to.ends_with(phone)))
            .find_map(|line| json_string(line, "link"));
        if let Some(link) = found {
            return Ok(link);
        }
        if Instant::now() > deadline {
            return Err(format!("no SMS to {phone} in {} within {SMS_WAIT:?}", outbox.display()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The value of `"key":"value"` in one flat JSON line, for values without escapes (numbers and
/// links); None otherwise.
fn json_string(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = line[start..].trim_start().strip_prefix('"')?;
    let value = &rest[..rest.find('"')?];
    (!value.contains('\\')).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_json_string_is_read_by_its_key_only() {
        let line = r#"{"id":"s1","to":"+8613800138000","link":"http://127.0.0.1:8080/v/AbC","code":"123456"}"#;
        assert_eq!(json_string(line, "link").as_deref(), Some("http://127.0.0.1:8080/v/AbC"));
        assert_eq!(json_string(line, "to").as_deref(), Some("+8613800138000"));
        assert_eq!(json_string(line, "sender"), None);
        assert_eq!(json_string(r#"{"text":"a\"b"}"#, "text"), None);
    }

    #[test]
    fn the_median_of_three_runs_is_the_middle_one_and_the_spread_their_range() {
        assert_eq!(median_and_spread(vec![870.0, 640.0, 720.0]), (720.0, 640.0, 870.0));
        assert_eq!(median_and_spread(vec![98.0]), (98.0, 98.0, 98.0));
    }
}
