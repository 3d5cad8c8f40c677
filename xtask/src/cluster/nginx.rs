//! The load balancer: Debian's nginx with the project's `deploy/nginx/beian-cluster.conf`, its
//! fields filled in, run in the foreground with its pid, logs and temporary files under the
//! cluster's data directory (never the system nginx or its configuration).

use crate::project::{self, on_path};
use crate::server_process::stop;
use crate::Result;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TEMPLATE: &str = "deploy/nginx/beian-cluster.conf";
const STARTUP: Duration = Duration::from_secs(10);

/// A running nginx, stopped when dropped.
pub struct Nginx {
    child: Child,
    run_dir: PathBuf,
}

/// Debian installs nginx in /usr/sbin, which a non-root PATH may lack.
pub fn binary() -> Option<PathBuf> {
    on_path("nginx").or_else(|| Some(PathBuf::from(project::NGINX)).filter(|p| p.is_file()))
}

impl Nginx {
    /// Writes `<run_dir>/nginx.conf` for `listen` and the replicas' `upstreams` (`host:port`),
    /// starts nginx on it, and waits until `/healthz` answers through it.
    pub fn start(run_dir: &Path, listen: SocketAddr, upstreams: &[String]) -> Result<Nginx> {
        let nginx = binary().ok_or("nginx is missing: `cargo xtask setup` installs it (Debian: nginx-light)")?;
        std::fs::create_dir_all(run_dir).map_err(|e| format!("creating {}: {e}", run_dir.display()))?;
        let template =
            std::fs::read_to_string(project::root().join(TEMPLATE)).map_err(|e| format!("reading {TEMPLATE}: {e}"))?;
        let config = render(&template, run_dir, listen, upstreams)?;
        let config_path = run_dir.join("nginx.conf");
        std::fs::write(&config_path, config).map_err(|e| format!("writing {}: {e}", config_path.display()))?;
        let error_log = run_dir.join("error.log");
        let child = Command::new(&nginx)
            .arg("-p")
            .arg(run_dir)
            .arg("-c")
            .arg(&config_path)
            // Until the configuration is read nginx logs here, not to /var/log/nginx.
            .arg("-e")
            .arg(&error_log)
            .stdin(Stdio::null())
            // Its own group: Ctrl-C reaches xtask, which stops nginx before the replicas.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", nginx.display()))?;
        let mut nginx = Nginx { child, run_dir: run_dir.to_path_buf() };
        nginx.wait_ready(listen)?;
        Ok(nginx)
    }

    fn wait_ready(&mut self, listen: SocketAddr) -> Result<()> {
        let deadline = Instant::now() + STARTUP;
        loop {
            if let Some(status) = self.exited() {
                return Err(format!("nginx exited ({status}):\n{}", self.error_log()));
            }
            if healthz(listen).is_some_and(|status| status == 200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nginx did not answer /healthz on {listen} within {STARTUP:?}:\n{}",
                    self.error_log()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.run_dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM is nginx's fast shutdown.
        stop(&mut self.child, Duration::from_secs(5));
    }
}

/// The template with every `{{field}}` filled in; an error if one is left.
fn render(template: &str, run_dir: &Path, listen: SocketAddr, upstreams: &[String]) -> Result<String> {
    let servers: Vec<String> =
        upstreams.iter().map(|upstream| format!("        server {upstream} max_fails=1 fail_timeout=10s;")).collect();
    let config = template
        .replace("{{run_dir}}", &run_dir.display().to_string())
        .replace("{{listen}}", &listen.to_string())
        .replace("{{servers}}", &servers.join("\n"));
    match config.find("{{") {
        Some(at) => Err(format!("{TEMPLATE}: unknown field {}", &config[at..config.len().min(at + 24)])),
        None => Ok(config),
    }
}

/// The status of `GET /healthz` on `addr`, or None if nothing answers.
fn healthz(addr: SocketAddr) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET /healthz HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_template_renders_with_every_field_filled() {
        let template = std::fs::read_to_string(project::root().join(TEMPLATE)).unwrap();
        let upstreams = ["127.0.0.1:4001".to_string(), "127.0.0.1:4002".to_string()];
        let config =
            render(&template, Path::new("/tmp/c/nginx"), "127.0.0.1:8088".parse().unwrap(), &upstreams).unwrap();
        assert!(config.contains("listen 127.0.0.1:8088;"), "{config}");
        assert!(config.contains("server 127.0.0.1:4001 max_fails=1 fail_timeout=10s;"), "{config}");
        assert!(config.contains("server 127.0.0.1:4002 "), "{config}");
        assert!(config.contains("pid /tmp/c/nginx/nginx.pid;"), "{config}");
        assert!(config.contains("X-Forwarded-For $remote_addr;"), "{config}");
    }

    #[test]
    fn an_unknown_field_is_an_error() {
        let error = render("listen {{listen}}; {{nope}}", Path::new("/x"), "127.0.0.1:1".parse().unwrap(), &[]);
        assert!(error.unwrap_err().contains("{{nope}}"));
    }
}
