//! Prometheus metrics, kept in process and rendered in the text exposition format at `/metrics`.
//! Few series, so plain counters behind a mutex are enough; no metrics framework needed.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::domain::FilingState;

/// Upper bounds of the request latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Series>>,
}

#[derive(Default)]
struct Series {
    checks: BTreeMap<String, u64>,
    sms_sent: BTreeMap<(String, String), u64>,
    sms_failed: BTreeMap<(String, String), u64>,
    filings_closed: BTreeMap<(String, String), u64>,
    resends: u64,
    webhooks: BTreeMap<String, u64>,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Series)) {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()));
    }

    pub fn check_outcome(&self, outcome: &str) {
        self.with(|s| *s.checks.entry(outcome.to_owned()).or_default() += 1);
    }

    /// `province` is the GB/T 2260 code of the SMS's filing (empty for filings made before provinces).
    pub fn sms_sent(&self, carrier: &str, province: &str) {
        self.with(|s| *s.sms_sent.entry((carrier.to_owned(), province.to_owned())).or_default() += 1);
    }

    pub fn sms_failed(&self, carrier: &str, province: &str) {
        self.with(|s| *s.sms_failed.entry((carrier.to_owned(), province.to_owned())).or_default() += 1);
    }

    /// A filing completed (handed to its 管局) or returned, in its province.
    pub fn filing_closed(&self, state: FilingState, province: &str) {
        self.with(|s| *s.filings_closed.entry((state.as_str().to_owned(), province.to_owned())).or_default() += 1);
    }

    pub fn resend(&self) {
        self.with(|s| s.resends += 1);
    }

    pub fn webhook(&self, result: &str) {
        self.with(|s| *s.webhooks.entry(result.to_owned()).or_default() += 1);
    }

    /// `route` is the matched route template (never the raw path: it may hold a link token).
    pub fn request(&self, route: &str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        self.with(|s| {
            let h = s.latency.entry(route.to_owned()).or_default();
            for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.buckets[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        });
    }

    /// The exposition text; the outbox depths and the pending filings per province are read from
    /// the database by the caller (the pending count is shared by every replica).
    pub fn render(&self, sms_outbox_depth: i64, webhook_outbox_depth: i64, pending: &[(String, i64)]) -> String {
        let s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        counter(&mut out, "beian_checks_total", "Checks by outcome.", "outcome", &s.checks);
        let (carrier, state) = (["carrier", "province"], ["state", "province"]);
        let help = "SMS accepted by the gateway, by carrier and province.";
        labelled(&mut out, "beian_sms_sent_total", help, carrier, &s.sms_sent);
        labelled(
            &mut out,
            "beian_sms_failed_total",
            "SMS given up on, by carrier and province.",
            carrier,
            &s.sms_failed,
        );
        let help = "Filings completed (handed to their province's 管局) or returned, by province.";
        labelled(&mut out, "beian_filings_closed_total", help, state, &s.filings_closed);
        let _ = writeln!(
            out,
            "# HELP beian_filings_pending Filings waiting for verifications, by province.\n# TYPE beian_filings_pending gauge"
        );
        for (province, count) in pending {
            let _ = writeln!(out, "beian_filings_pending{{province=\"{province}\"}} {count}");
        }
        counter(&mut out, "beian_webhooks_total", "Provider event deliveries by result.", "result", &s.webhooks);
        let _ = writeln!(out, "# HELP beian_resends_total Resends issued.\n# TYPE beian_resends_total counter");
        let _ = writeln!(out, "beian_resends_total {}", s.resends);
        let _ =
            writeln!(out, "# HELP beian_sms_outbox_depth SMS waiting to be sent.\n# TYPE beian_sms_outbox_depth gauge");
        let _ = writeln!(out, "beian_sms_outbox_depth {sms_outbox_depth}");
        let _ = writeln!(
            out,
            "# HELP beian_webhook_outbox_depth Provider events waiting to be delivered.\n# TYPE beian_webhook_outbox_depth gauge"
        );
        let _ = writeln!(out, "beian_webhook_outbox_depth {webhook_outbox_depth}");
        let _ = writeln!(
            out,
            "# HELP beian_http_request_duration_seconds Request latency by route.\n# TYPE beian_http_request_duration_seconds histogram"
        );
        for (route, h) in &s.latency {
            for (bound, count) in LATENCY_BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "beian_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "beian_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "beian_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "beian_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
        out
    }
}

fn counter(out: &mut String, name: &str, help: &str, label: &str, values: &BTreeMap<String, u64>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for (value, count) in values {
        let _ = writeln!(out, "{name}{{{label}=\"{value}\"}} {count}");
    }
}

fn labelled(out: &mut String, name: &str, help: &str, labels: [&str; 2], values: &BTreeMap<(String, String), u64>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for ((first, second), count) in values {
        let _ = writeln!(out, "{name}{{{}=\"{first}\",{}=\"{second}\"}} {count}", labels[0], labels[1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_render_in_prometheus_text_format() {
        let m = Metrics::default();
        m.check_outcome("partial");
        m.check_outcome("partial");
        m.request("/api/v1/checks", Duration::from_millis(3));
        m.filing_closed(FilingState::Completed, "330000");
        m.sms_sent("china_mobile", "330000");
        let text = m.render(4, 0, &[("110000".into(), 2)]);
        assert!(text.contains("beian_checks_total{outcome=\"partial\"} 2"));
        assert!(text.contains("beian_sms_outbox_depth 4"));
        assert!(text.contains("beian_filings_closed_total{state=\"completed\",province=\"330000\"} 1"));
        assert!(text.contains("beian_sms_sent_total{carrier=\"china_mobile\",province=\"330000\"} 1"));
        assert!(text.contains("beian_filings_pending{province=\"110000\"} 2"));
        assert!(text.contains("beian_http_request_duration_seconds_bucket{route=\"/api/v1/checks\",le=\"0.005\"} 1"));
        assert!(text.contains("beian_http_request_duration_seconds_bucket{route=\"/api/v1/checks\",le=\"0.001\"} 0"));
    }
}
