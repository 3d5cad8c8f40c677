//! Running the server binary as a reader would: only the environment given (the test's own
//! BEIAN_* variables removed), output to files, every process stopped before the test goes on.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// clap's exit status for a command line it refuses; the server's own failures exit with 1.
const USAGE_ERROR: i32 = 2;
const DEADLINE: Duration = Duration::from_secs(30);

/// A process of the binary, killed when dropped.
struct Running {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Running {
    fn start(logs: &Path, env: &[(String, String)], args: &[String]) -> Running {
        let (stdout, stderr) = (logs.join("stdout"), logs.join("stderr"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_beian-verify-server"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("BEIAN_") {
                command.env_remove(key);
            }
        }
        let child = command
            .envs(env.iter().map(|(key, value)| (key, value)))
            .args(args)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("a stdout file"))
            .stderr(File::create(&stderr).expect("a stderr file"))
            .spawn()
            .expect("the server binary starts");
        Running { child, stdout, stderr }
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    fn output(&self) -> String {
        let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        format!("--- stdout ---\n{}--- stderr ---\n{stderr}", self.stdout())
    }

    /// Polls until `done` says what it waited for, or the process ends, or the deadline.
    fn wait_for<T>(&mut self, mut done: impl FnMut(&mut Running) -> Option<T>) -> Result<T, String> {
        let start = Instant::now();
        loop {
            if let Some(found) = done(self) {
                return Ok(found);
            }
            if let Some(status) = self.child.try_wait().expect("the child's status") {
                return Err(self.ended(status));
            }
            if start.elapsed() > DEADLINE {
                return Err(format!("still running after {DEADLINE:?}\n{}", self.output()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn ended(&self, status: ExitStatus) -> String {
        let refused = if status.code() == Some(USAGE_ERROR) { "the argument parser refused it: " } else { "" };
        format!("{refused}exited with {status}\n{}", self.output())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A serving command: it must print `listening on http://…` and answer `/healthz` there.
pub fn serve(logs: &Path, env: &[(String, String)], args: &[String]) -> Result<(), String> {
    let mut server = Running::start(logs, env, args);
    let address = server.wait_for(|running| {
        let stdout = running.stdout();
        let line = stdout.lines().find_map(|line| line.strip_prefix("listening on http://"))?;
        Some(line.trim().to_owned())
    })?;
    let answer = get(&address, "/healthz").map_err(|e| format!("GET /healthz at {address}: {e}"))?;
    match answer.starts_with("HTTP/1.1 200") {
        true => Ok(()),
        false => Err(format!("GET /healthz answered {answer}\n{}", server.output())),
    }
}

/// A one-off command (or `--help`): it must end, and not as a usage error. Returns its stdout.
pub fn run_to_end(logs: &Path, env: &[(String, String)], args: &[String]) -> Result<(ExitStatus, String), String> {
    let mut command = Running::start(logs, env, args);
    let status = command.wait_for(|running| running.child.try_wait().expect("the child's status"))?;
    match status.code() == Some(USAGE_ERROR) {
        true => Err(command.ended(status)),
        false => Ok((status, command.stdout())),
    }
}

fn get(address: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(DEADLINE))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}
