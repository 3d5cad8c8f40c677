//! Prometheus metrics through `prometheus-client` (the Prometheus project's Rust client), served
//! at `/metrics` in the OpenMetrics text format. Counters live in process; the outbox depths and
//! the pending filings are read from the database at each scrape, since every replica shares them.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::domain::FilingState;

/// What `/metrics` answers with.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Upper bounds of the request latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByOutcome {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByCarrier {
    carrier: String,
    province: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByState {
    state: String,
    province: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByResult {
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByRoute {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ByProvince {
    province: String,
}

type LatencyFamily = Family<ByRoute, Histogram, fn() -> Histogram>;

/// The process's series; cheap to clone (every clone counts into the same ones).
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    checks: Family<ByOutcome, Counter>,
    sms_sent: Family<ByCarrier, Counter>,
    sms_failed: Family<ByCarrier, Counter>,
    filings_closed: Family<ByState, Counter>,
    resends: Counter,
    webhooks: Family<ByResult, Counter>,
    latency: LatencyFamily,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let (checks, sms_sent, sms_failed, filings_closed) =
            (Family::default(), Family::default(), Family::default(), Family::default());
        let (resends, webhooks) = (Counter::default(), Family::default());
        let latency: LatencyFamily = Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        // Counters are registered without `_total`, and help texts without their full stop: the
        // client adds both.
        let mut registry = Registry::default();
        registry.register("beian_checks", "Checks by outcome", checks.clone());
        registry.register("beian_sms_sent", "SMS accepted by the gateway, by carrier and province", sms_sent.clone());
        registry.register("beian_sms_failed", "SMS given up on, by carrier and province", sms_failed.clone());
        registry.register(
            "beian_filings_closed",
            "Filings completed (handed to their province's 管局) or returned, by province",
            filings_closed.clone(),
        );
        registry.register("beian_resends", "Resends issued", resends.clone());
        registry.register("beian_webhooks", "Provider event deliveries by result", webhooks.clone());
        registry.register("beian_http_request_duration_seconds", "Request latency by route", latency.clone());
        Metrics {
            registry: Arc::new(registry),
            checks,
            sms_sent,
            sms_failed,
            filings_closed,
            resends,
            webhooks,
            latency,
        }
    }
}

impl Metrics {
    pub fn check_outcome(&self, outcome: &str) {
        self.checks.get_or_create(&ByOutcome { outcome: outcome.to_owned() }).inc();
    }

    /// `province` is the GB/T 2260 code of the SMS's filing (empty for filings made before provinces).
    pub fn sms_sent(&self, carrier: &str, province: &str) {
        self.sms_sent.get_or_create(&ByCarrier { carrier: carrier.to_owned(), province: province.to_owned() }).inc();
    }

    pub fn sms_failed(&self, carrier: &str, province: &str) {
        self.sms_failed.get_or_create(&ByCarrier { carrier: carrier.to_owned(), province: province.to_owned() }).inc();
    }

    /// A filing completed (handed to its 管局) or returned, in its province.
    pub fn filing_closed(&self, state: FilingState, province: &str) {
        let labels = ByState { state: state.as_str().to_owned(), province: province.to_owned() };
        self.filings_closed.get_or_create(&labels).inc();
    }

    pub fn resend(&self) {
        self.resends.inc();
    }

    pub fn webhook(&self, result: &str) {
        self.webhooks.get_or_create(&ByResult { result: result.to_owned() }).inc();
    }

    /// `route` is the matched route template (never the raw path: it may hold a link token).
    pub fn request(&self, route: &str, elapsed: Duration) {
        self.latency.get_or_create(&ByRoute { route: route.to_owned() }).observe(elapsed.as_secs_f64());
    }

    /// The exposition text: the process's series, then the ones read from the database for this
    /// scrape (the outbox depths and the pending filings per province, shared by every replica).
    pub fn render(&self, sms_outbox_depth: i64, webhook_outbox_depth: i64, pending: &[(String, i64)]) -> String {
        let mut scrape = Registry::default();
        let gauge = |value: i64| {
            let gauge: Gauge = Gauge::default();
            gauge.set(value);
            gauge
        };
        scrape.register("beian_sms_outbox_depth", "SMS waiting to be sent", gauge(sms_outbox_depth));
        scrape.register(
            "beian_webhook_outbox_depth",
            "Provider events waiting to be delivered",
            gauge(webhook_outbox_depth),
        );
        let by_province = Family::<ByProvince, Gauge>::default();
        for (province, count) in pending {
            by_province.get_or_create(&ByProvince { province: province.clone() }).set(*count);
        }
        scrape.register("beian_filings_pending", "Filings waiting for verifications, by province", by_province);
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode_registry(&mut out, &self.registry)
            .and_then(|()| encode_registry(&mut out, &scrape))
            .and_then(|()| encode_eof(&mut out));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_render_in_the_openmetrics_text_format_under_the_same_names() {
        let m = Metrics::default();
        m.check_outcome("partial");
        m.check_outcome("partial");
        m.request("/api/v1/checks", Duration::from_millis(3));
        m.filing_closed(FilingState::Completed, "330000");
        m.sms_sent("china_mobile", "330000");
        m.resend();
        let text = m.render(4, 0, &[("110000".into(), 2)]);
        for line in [
            "beian_checks_total{outcome=\"partial\"} 2",
            "beian_sms_outbox_depth 4",
            "beian_webhook_outbox_depth 0",
            "beian_resends_total 1",
            "beian_filings_closed_total{state=\"completed\",province=\"330000\"} 1",
            "beian_sms_sent_total{carrier=\"china_mobile\",province=\"330000\"} 1",
            "beian_filings_pending{province=\"110000\"} 2",
            "beian_http_request_duration_seconds_bucket{le=\"0.005\",route=\"/api/v1/checks\"} 1",
            "beian_http_request_duration_seconds_bucket{le=\"0.001\",route=\"/api/v1/checks\"} 0",
            "beian_http_request_duration_seconds_count{route=\"/api/v1/checks\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "no line {line} in:\n{text}");
        }
        assert!(text.contains("# HELP beian_checks Checks by outcome.\n"), "{text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
