//! The release server as a child process: started with only our own BEIAN_* settings, ready once
//! it prints `listening on http://<addr>`, stopped (SIGTERM, then SIGKILL) when dropped.
//! `lighthouse` starts one; `cluster` starts several, each echoing its output under a label.

use crate::cmd::Cmd;
use crate::{project, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const STARTUP: Duration = Duration::from_secs(30);
/// A server finishes its in-flight requests and jobs within this after SIGTERM.
const STOP: Duration = Duration::from_secs(15);

/// A running `beian-verify-server serve`.
pub struct ServerProcess {
    child: Child,
    /// `http://<addr>` as the server printed it.
    pub url: String,
}

/// `beian-verify-server` with only our own BEIAN_* settings (never the caller's shell's), its
/// data directory set.
pub fn server_command(data_dir: &Path) -> Command {
    let mut command = Command::new(project::server_binary());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("BEIAN_") {
            command.env_remove(key);
        }
    }
    command.env("BEIAN_DATA_DIR", data_dir);
    command
}

impl ServerProcess {
    /// Spawns `command` (a `serve`) and waits for its `listening on http://<addr>` line. Both output
    /// streams are read to the end (a full pipe would stall the server); with `label` every line
    /// is echoed as `<label> | <line>`, otherwise only shown if the server fails to start.
    pub fn start(mut command: Command, label: Option<&str>) -> Result<ServerProcess> {
        let shown = format!("{:?}", command.get_program());
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {shown}: {e}"))?;
        let (send, lines) = mpsc::channel::<String>();
        for stream in [child.stdout.take().map(box_read), child.stderr.take().map(box_read)].into_iter().flatten() {
            let send = send.clone();
            let label = label.map(str::to_string);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                    if let Some(label) = &label {
                        let _ = writeln!(std::io::stdout().lock(), "{label} | {line}");
                    }
                    let _ = send.send(line);
                }
            });
        }
        drop(send);
        let deadline = Instant::now() + STARTUP;
        let mut seen = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{shown} did not start listening:\n{seen}"));
            };
            let line = strip_ansi(&line);
            if let Some(url) = listening_url(&line) {
                return Ok(ServerProcess { child, url });
            }
            seen.push_str(&line);
            seen.push('\n');
        }
    }

    /// The process id (for `kill`).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Asks it to stop (SIGTERM) without waiting: several stop side by side, then each drop waits.
    pub fn terminate(&self) {
        terminate(self.child.id());
    }

    /// Whether it has exited, and how, without waiting.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        stop(&mut self.child, STOP);
    }
}

/// SIGTERM, then SIGKILL if `child` has not exited within `grace`.
pub fn stop(child: &mut Child, grace: Duration) {
    if child.try_wait().ok().flatten().is_some() {
        return;
    }
    terminate(child.id());
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// SIGTERM, the signal a graceful shutdown waits for (std can only SIGKILL).
fn terminate(pid: u32) {
    let _ = Cmd::new("kill").args(["-TERM", &pid.to_string()]).read();
}

/// The address in a `listening on http://<addr>` line.
fn listening_url(line: &str) -> Option<String> {
    let addr = line.split("listening on http://").nth(1)?;
    let addr = addr.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
    Some(format!("http://{addr}"))
}

fn box_read(stream: impl Read + Send + 'static) -> Box<dyn Read + Send> {
    Box::new(stream)
}

pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A directory under the system's temp dir, removed (with everything in it) when dropped.
pub struct Scratch {
    pub path: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Result<Scratch> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        let path = std::env::temp_dir().join(format!("beian-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok(Scratch { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `create-provider` prints the new provider's key once, as `api_key=<key>`.
pub fn create_provider(data_dir: &Path, name: &str) -> Result<String> {
    let bin = project::server_binary();
    let output = server_command(data_dir)
        .args(["create-provider", "--name", name])
        .output()
        .map_err(|e| format!("cannot run {} create-provider: {e}", bin.display()))?;
    let stdout = strip_ansi(&String::from_utf8_lossy(&output.stdout));
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("api_key="))
        .map(str::to_string)
        .ok_or(format!("create-provider printed no api_key= line:\n{stdout}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stripped_from_log_lines() {
        assert_eq!(strip_ansi("\u{1b}[2mlistening on\u{1b}[0m http://x"), "listening on http://x");
    }

    #[test]
    fn the_address_is_read_from_the_listening_line() {
        assert_eq!(listening_url("listening on http://127.0.0.1:4321").as_deref(), Some("http://127.0.0.1:4321"));
        assert_eq!(listening_url("r1 | listening on http://[::1]:80/ now").as_deref(), Some("http://[::1]:80"));
        assert_eq!(listening_url("metrics on http://127.0.0.1:9464/metrics"), None);
    }
}
