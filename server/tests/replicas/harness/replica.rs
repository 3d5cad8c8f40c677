//! One replica: the built `beian-verify-server serve` as a child process on 127.0.0.1 port 0, with
//! its own data directory, ready once it prints `listening on http://<addr>`.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

pub const SERVER: &str = env!("CARGO_BIN_EXE_beian-verify-server");
const STARTUP: Duration = Duration::from_secs(30);

/// A running replica; killed (SIGKILL) when dropped.
pub struct Replica {
    child: tokio::sync::Mutex<Child>,
    /// `http://127.0.0.1:<port>`
    pub url: String,
    data: TempDir,
    output: Arc<Mutex<String>>,
}

/// `beian-verify-server <args>` with only the given BEIAN_* settings (never the caller's).
pub fn server_command(settings: &[(String, String)]) -> Command {
    let mut command = Command::new(SERVER);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("BEIAN_") {
            command.env_remove(key);
        }
    }
    command.envs(settings.iter().map(|(k, v)| (k, v))).kill_on_drop(true);
    command
}

impl Replica {
    /// Starts `serve` with `settings` (database, key, limits…) plus its own address and data directory.
    pub async fn start(settings: &[(String, String)]) -> Replica {
        let data = tempfile::tempdir().expect("a data directory");
        let mut command = server_command(settings);
        command
            .arg("serve")
            .env("BEIAN_ADDR", "127.0.0.1:0")
            .env("BEIAN_METRICS_ADDR", "off")
            .env("BEIAN_DATA_DIR", data.path())
            .env("BEIAN_STATIC_DIR", data.path().join("no-dist"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the server binary starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (found, mut listening) = mpsc::unbounded_channel();
        collect(child.stdout.take().unwrap(), output.clone(), found.clone());
        collect(child.stderr.take().unwrap(), output.clone(), found);
        let url = match tokio::time::timeout(STARTUP, listening.recv()).await {
            Ok(Some(url)) => url,
            _ => panic!("the replica printed no `listening on` line:\n{}", output.lock().unwrap()),
        };
        Replica { child: tokio::sync::Mutex::new(child), url, data, output }
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// `kill -9`: no shutdown, no goodbye to the database.
    pub async fn kill_9(&self) {
        let mut child = self.child.lock().await;
        child.start_kill().expect("SIGKILL");
        let _ = child.wait().await;
    }

    /// What it printed so far (for a failing test's message).
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

/// Reads `stream` to the end into `output`, sending the address of a `listening on` line.
fn collect(
    stream: impl AsyncRead + Unpin + Send + 'static,
    output: Arc<Mutex<String>>,
    found: mpsc::UnboundedSender<String>,
) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(addr) = line.split("listening on http://").nth(1) {
                let addr = addr.split_whitespace().next().unwrap_or_default();
                let _ = found.send(format!("http://{addr}"));
            }
            let mut output = output.lock().unwrap();
            output.push_str(&line);
            output.push('\n');
        }
    });
}
