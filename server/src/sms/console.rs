//! The development SMS gateway: prints each SMS to stdout and appends it as one JSON line to
//! `<data dir>/sms.jsonl`, which stands in for people's phones (the demo and the end-to-end
//! tests read codes and links from it). The only place a code is ever shown in clear.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::carrier::Carrier;
use super::gateway::{GatewayError, GatewayReceipt, OutgoingSms, SendFuture, SmsGateway};

/// The log's file name inside the data directory.
pub const SMS_LOG_FILE: &str = "sms.jsonl";

/// One line of `sms.jsonl`.
#[derive(Debug, Serialize)]
struct LogLine<'a> {
    id: &'a str,
    to: &'a str,
    sender: &'a str,
    carrier: Carrier,
    text: &'a str,
    link: &'a str,
    code: &'a str,
    sent_at: String,
}

/// Prints and logs instead of sending. Not for production: it writes codes in clear.
#[derive(Debug, Clone)]
pub struct ConsoleGateway {
    path: PathBuf,
    /// Keeps lines whole when several sends run at once.
    write_lock: Arc<Mutex<()>>,
}

impl ConsoleGateway {
    /// Creates `data_dir` if needed and `<data_dir>/sms.jsonl` with mode 0600 (tightening an
    /// existing file's mode too), and warns that this gateway is for development only.
    pub fn new(data_dir: &Path) -> io::Result<ConsoleGateway> {
        fs::create_dir_all(data_dir)?;
        let path = data_dir.join(SMS_LOG_FILE);
        open_log(&path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
        }
        tracing::warn!(
            path = %path.display(),
            "the console SMS gateway is in use: SMS are printed to stdout and written with their codes \
             to this file instead of being sent; it is not for production"
        );
        Ok(ConsoleGateway { path, write_lock: Arc::new(Mutex::new(())) })
    }

    /// Where the SMS are logged.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn open_log(path: &Path) -> io::Result<fs::File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn printed(sms: &OutgoingSms) -> String {
    let text: String = sms.text.lines().map(|line| format!("  │ {line}\n")).collect();
    format!("  ┌ SMS to {} via {} from {}\n{text}  └ link: {}\n", sms.to, sms.carrier, sms.sender, sms.link)
}

impl SmsGateway for ConsoleGateway {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> SendFuture<'a> {
        Box::pin(async move {
            let sent_at = OffsetDateTime::now_utc().format(&Rfc3339).map_err(|e| GatewayError::Io(e.to_string()))?;
            let mut line = serde_json::to_string(&LogLine {
                id: &sms.id,
                to: sms.to.as_str(),
                sender: &sms.sender,
                carrier: sms.carrier,
                text: &sms.text,
                link: &sms.link,
                code: &sms.code,
                sent_at,
            })
            .map_err(|e| GatewayError::Io(e.to_string()))?;
            line.push('\n');
            let shown = printed(sms);
            let path = self.path.clone();
            let _guard = self.write_lock.lock().await;
            tokio::task::spawn_blocking(move || -> io::Result<()> {
                // One write of the whole line with O_APPEND: no torn lines for readers.
                open_log(&path)?.write_all(line.as_bytes())?;
                let mut stdout = io::stdout().lock();
                stdout.write_all(shown.as_bytes())?;
                stdout.flush()
            })
            .await
            .map_err(|e| GatewayError::Io(e.to_string()))?
            .map_err(|e| GatewayError::Io(e.to_string()))?;
            Ok(GatewayReceipt { gateway_id: Some(sms.id.clone()) })
        })
    }

    fn name(&self) -> &'static str {
        "console"
    }
}

#[cfg(test)]
mod tests {
    use super::super::gateway::sample_sms;
    use super::*;

    fn read_lines(path: &Path) -> Vec<serde_json::Value> {
        fs::read_to_string(path).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    #[tokio::test]
    async fn each_sms_is_appended_as_one_json_line() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = ConsoleGateway::new(dir.path()).unwrap();
        let sms = sample_sms();
        let receipt = gateway.send(&sms).await.unwrap();
        assert_eq!(receipt.gateway_id.as_deref(), Some("outbox-1"));
        gateway.send(&OutgoingSms { id: "outbox-2".into(), ..sms.clone() }).await.unwrap();

        let lines = read_lines(&dir.path().join("sms.jsonl"));
        assert_eq!(lines.len(), 2);
        let first = &lines[0];
        assert_eq!(first["id"], "outbox-1");
        assert_eq!(first["to"], "13800138000");
        assert_eq!(first["sender"], "106575000130");
        assert_eq!(first["carrier"], "china_mobile");
        assert_eq!(first["text"], sms.text.as_str());
        assert_eq!(first["link"], sms.link.as_str());
        assert_eq!(first["code"], "482913");
        let sent_at = first["sent_at"].as_str().unwrap();
        let parsed = OffsetDateTime::parse(sent_at, &Rfc3339).unwrap();
        assert_eq!(parsed.offset(), time::UtcOffset::UTC, "{sent_at}");
        assert!(sent_at.ends_with('Z'), "{sent_at}");
        assert_eq!(first.as_object().unwrap().len(), 8);
        assert_eq!(lines[1]["id"], "outbox-2");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_log_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let gateway = ConsoleGateway::new(&data_dir).unwrap();
        gateway.send(&sample_sms()).await.unwrap();
        let mode = fs::metadata(gateway.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        let loose = dir.path().join("loose");
        fs::create_dir_all(&loose).unwrap();
        fs::write(loose.join(SMS_LOG_FILE), "").unwrap();
        fs::set_permissions(loose.join(SMS_LOG_FILE), fs::Permissions::from_mode(0o644)).unwrap();
        ConsoleGateway::new(&loose).unwrap();
        let mode = fs::metadata(loose.join(SMS_LOG_FILE)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[tokio::test]
    async fn concurrent_sends_never_tear_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = ConsoleGateway::new(dir.path()).unwrap();
        let sends = (0..20).map(|i| {
            let gateway = gateway.clone();
            tokio::spawn(async move {
                let sms = OutgoingSms { id: format!("outbox-{i}"), ..sample_sms() };
                gateway.send(&sms).await.unwrap();
            })
        });
        for send in sends.collect::<Vec<_>>() {
            send.await.unwrap();
        }
        assert_eq!(read_lines(gateway.path()).len(), 20);
    }

    #[test]
    fn the_printout_shows_number_sender_carrier_text_and_link() {
        let sms = sample_sms();
        let shown = printed(&sms);
        for part in ["13800138000", "106575000130", "china_mobile", "验证码482913", &sms.link] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
    }
}
