//! Running the tools xtask drives: echo each command, run it, say clearly when it fails.

use crate::Result;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

/// A command to run from the repository root, echoed before it runs.
pub struct Cmd {
    command: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: &str) -> Self {
        Cmd { command: Command::new(program), shown: program.to_string() }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.shown.push(' ');
            self.shown.push_str(&arg.as_ref().to_string_lossy());
            self.command.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.shown = format!("{key}={} {}", value.as_ref().to_string_lossy(), self.shown);
        self.command.env(key, value);
        self
    }

    /// An environment variable whose value is not echoed (a key, a token).
    pub fn secret_env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.shown = format!("{key}=… {}", self.shown);
        self.command.env(key, value);
        self
    }

    pub fn dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Run with the terminal attached; an error unless it exits successfully.
    pub fn run(mut self) -> Result<()> {
        eprintln!("$ {}", self.shown);
        let status = self.command.status().map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Run, echoing stdout line by line while keeping it (test counts are read from it).
    /// Returns whether it succeeded and what it printed on stdout.
    pub fn run_tee(self) -> Result<(bool, String)> {
        self.tee(Stream::Stdout)
    }

    /// Run, echoing stderr line by line while keeping it (libFuzzer reports there).
    /// Returns whether it succeeded and what it printed on stderr.
    pub fn run_tee_stderr(self) -> Result<(bool, String)> {
        self.tee(Stream::Stderr)
    }

    fn tee(mut self, stream: Stream) -> Result<(bool, String)> {
        eprintln!("$ {}", self.shown);
        match stream {
            Stream::Stdout => self.command.stdout(Stdio::piped()),
            Stream::Stderr => self.command.stderr(Stdio::piped()),
        };
        let mut child = self.command.spawn().map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        let (pipe, mut echo): (Box<dyn Read>, Box<dyn Write>) = match stream {
            Stream::Stdout => (Box::new(child.stdout.take().expect("stdout is piped")), Box::new(std::io::stdout())),
            Stream::Stderr => (Box::new(child.stderr.take().expect("stderr is piped")), Box::new(std::io::stderr())),
        };
        let mut kept = String::new();
        for line in BufReader::new(pipe).lines() {
            let line = line.map_err(|e| format!("reading `{}`: {e}", self.shown))?;
            let _ = writeln!(echo, "{line}");
            kept.push_str(&line);
            kept.push('\n');
        }
        let status = child.wait().map_err(|e| format!("waiting for `{}`: {e}", self.shown))?;
        Ok((status.success(), kept))
    }

    /// Run quietly and return stdout, trimmed, or None if it cannot start or fails (a probe).
    pub fn read(self) -> Option<String> {
        let bytes = self.read_bytes()?;
        Some(String::from_utf8_lossy(&bytes).trim().to_string())
    }

    /// Run quietly and return stdout as bytes, or None if it cannot start or fails.
    pub fn read_bytes(mut self) -> Option<Vec<u8>> {
        let output = self.command.stderr(Stdio::null()).output().ok()?;
        output.status.success().then_some(output.stdout)
    }

    /// Replace this process with the command (the server takes over the terminal and Ctrl-C).
    pub fn exec(mut self) -> Result<()> {
        use std::os::unix::process::CommandExt;
        eprintln!("$ {}", self.shown);
        let error = self.command.exec();
        Err(format!("cannot start `{}`: {error}", self.shown))
    }
}

/// Which of a command's outputs `tee` keeps.
enum Stream {
    Stdout,
    Stderr,
}
