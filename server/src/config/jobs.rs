//! The background jobs (SMS dispatch, webhook delivery, expiry) and their calls out: timeouts,
//! concurrency, and which callback targets are allowed.

use clap::Args;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Background jobs and callbacks")]
pub struct JobSettings {
    /// Run the background jobs (SMS and webhook dispatch, expiry) in this process.
    #[arg(long = "jobs", env = "BEIAN_JOBS", default_value_t = true, action = clap::ArgAction::Set)]
    pub enabled: bool,

    /// How often background jobs look for work when not woken.
    #[arg(long, env = "BEIAN_JOB_INTERVAL_MILLIS", default_value_t = 1000)]
    pub job_interval_millis: u64,

    /// Timeout for one call to the SMS gateway or a provider's callback.
    #[arg(long, env = "BEIAN_OUTBOUND_TIMEOUT_SECS", default_value_t = 10)]
    pub outbound_timeout_secs: u64,

    /// Webhook deliveries in flight at once for one provider: a hanging receiver holds at most
    /// this many, and other providers' events go on.
    #[arg(long, env = "BEIAN_WEBHOOK_CONCURRENCY_PER_PROVIDER", default_value_t = 4)]
    pub webhook_concurrency_per_provider: u32,

    /// Webhook deliveries in flight at once in this process, all providers together.
    #[arg(long, env = "BEIAN_WEBHOOK_CONCURRENCY", default_value_t = 32)]
    pub webhook_concurrency: u32,

    /// Development only: accept `http://` callback URLs (production callbacks must be https).
    #[arg(long, env = "BEIAN_ALLOW_HTTP_CALLBACKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_http_callbacks: bool,

    /// Development and testing only: let callbacks reach loopback, private, link-local and other
    /// non-public addresses. Off, such targets are refused at registration and at delivery.
    #[arg(long, env = "BEIAN_ALLOW_PRIVATE_CALLBACKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_private_callbacks: bool,
}
