//! Logging, set up once per process. Codes, tokens and ID digits are never passed to a log call,
//! and the panic hook keeps it so for panics.

use std::panic::Location;

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("BEIAN_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // A second init (tests start many apps in one process) is harmless: keep the first.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
    install_panic_hook();
}

/// Replaces the default panic hook, which prints the panic's message: a message can quote request
/// data (an ID number that broke a parser prints its digits). Ours logs where it happened and on
/// which thread, never the message.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let report = panic_report(info.location(), std::thread::current().name());
        if tracing::dispatcher::has_been_set() {
            tracing::error!("{report}");
        } else {
            eprintln!("{report}");
        }
    }));
}

/// The panic hook's whole output. It takes no payload, so it cannot print one.
pub fn panic_report(location: Option<&Location<'_>>, thread: Option<&str>) -> String {
    let at =
        location.map_or_else(|| "an unknown place".to_owned(), |l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
    format!("thread '{}' panicked at {at} (message withheld: it may quote request data)", thread.unwrap_or("<unnamed>"))
}

#[cfg(test)]
mod tests {
    use super::panic_report;

    #[test]
    fn the_panic_report_names_place_and_thread_only() {
        let here = std::panic::Location::caller();
        let report = panic_report(Some(here), Some("tokio-runtime-worker"));
        assert_eq!(
            report,
            format!(
                "thread 'tokio-runtime-worker' panicked at {}:{}:{} (message withheld: it may quote request data)",
                here.file(),
                here.line(),
                here.column()
            )
        );
        assert!(panic_report(None, None).contains("an unknown place"));
    }

    /// Runs itself again in a child process (the hook is process-wide): the child installs the
    /// hook and panics with ID digits in the message; the parent reads the child's stderr.
    #[test]
    fn the_installed_hook_prints_where_a_panic_happened_but_not_its_message() {
        if std::env::var_os("BEIAN_PANIC_HOOK_CHILD").is_some() {
            super::install_panic_hook();
            let parser = std::thread::Builder::new().name("parser".into());
            let _ =
                parser.spawn(|| panic!("byte index 17 is not a char boundary in `110105194912310021`")).unwrap().join();
            return;
        }
        let name = "telemetry::tests::the_installed_hook_prints_where_a_panic_happened_but_not_its_message";
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env("BEIAN_PANIC_HOOK_CHILD", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.contains("thread 'parser' panicked at server/src/telemetry.rs:"), "{stderr}");
        assert!(!stderr.contains("110105") && !stderr.contains("char boundary"), "{stderr}");
    }
}
