//! Building the application from settings: storage, keys, SMS, jobs, the public HTTP server bound
//! to its port (port 0 picks a free one; `port()` tells which) and the metrics listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use secrecy::ExposeSecret;

use crate::config::{Settings, SmsGatewayKind};
use crate::domain::Rollout;
use crate::http::serve::ConnectionLimits;
use crate::jobs::Jobs;
use crate::metrics::Metrics;
use crate::secrets::{Keys, SecretError};
use crate::service::{Parts, Service};
use crate::sms::routing::parse_overrides;
use crate::sms::template::DEFAULT_TEMPLATE;
use crate::sms::{
    ConsoleGateway, HttpGateway, HttpGatewayConfig, RangeTable, Router as CarrierRouter, SenderNumbers, SmsGateway,
    SmsTemplate,
};
use crate::store::{Engine, Store, StoreError};
use crate::webhook::{TargetPolicy, WebhookClient};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("binding {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("SMS configuration: {0}")]
    Sms(String),
    #[error("provinces file {path}: {reason}")]
    Provinces { path: String, reason: String },
    #[error("settings: {0}")]
    Settings(String),
    #[error(
        "a PostgreSQL database is shared by every replica, so they must share one secret key: set \
         BEIAN_SECRET_KEY (64 hex digits) or BEIAN_SECRET_KEY_FILE; the key is never made up for a shared database"
    )]
    SharedDatabaseNeedsKey,
}

/// A running server. Dropping it does not stop it; call [`Application::shutdown`].
pub struct Application {
    addr: SocketAddr,
    metrics_addr: Option<SocketAddr>,
    service: Service,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// Optional replacements for the parts tests need to control.
#[derive(Default)]
pub struct Overrides {
    pub clock: Option<Arc<dyn Clock>>,
    pub gateway: Option<Arc<dyn SmsGateway>>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        Application::build_with(settings, Overrides::default()).await
    }

    pub async fn build_with(settings: Settings, overrides: Overrides) -> Result<Application, StartupError> {
        crate::jobs::webhook_dispatch::check_settings(&settings.jobs).map_err(StartupError::Settings)?;
        // Data files first: a typo there is refused before anything is created or connected.
        let rollout = rollout_from(&settings)?;
        create_private_dir(&settings.database.data_dir).map_err(|source| StartupError::DataDir {
            path: settings.database.data_dir.display().to_string(),
            source,
        })?;
        let database_url = settings.database.url();
        if Engine::of_url(database_url.expose_secret()).is_some_and(Engine::is_shared)
            && settings.database.secret_key.is_none()
            && settings.database.secret_key_file.is_none()
        {
            return Err(StartupError::SharedDatabaseNeedsKey);
        }
        let keys = Keys::from_settings(&settings.database)?;
        let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let store = Store::connect(database_url.expose_secret(), settings.database.database_max_connections).await?;
        store.claim_key_fingerprint(keys.fingerprint(), clock.now()).await?;
        let (listener, addr) = bind(settings.server.addr).await?;
        let metrics_listener = match settings.server.metrics_addr {
            Some(wanted) => Some(bind(wanted).await?),
            None => None,
        };
        let public_url = settings.server.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
        let hours = (settings.limits.code_validity_secs.div_ceil(3600)).max(1) as u32;
        let template_text = settings.sms.sms_template.as_deref().unwrap_or(DEFAULT_TEMPLATE);
        let template =
            SmsTemplate::new(template_text, &public_url, hours).map_err(|e| StartupError::Sms(e.to_string()))?;
        let sample = template.render(&protocol::Code::parse("000000").expect("six digits"), &"x".repeat(16));
        tracing::info!(
            segments = crate::sms::segments(&sample.text),
            "SMS template parts per message (carriers bill each)"
        );
        let carriers = carrier_router(&settings)?;
        let gateway = match overrides.gateway {
            Some(gateway) => gateway,
            None => gateway_from(&settings)?,
        };
        let service = Service::new(Parts {
            store,
            keys,
            settings: settings.clone(),
            clock,
            template,
            public_url,
            metrics: Metrics::default(),
            rollout: Arc::new(rollout),
        });

        let (shutdown, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        if settings.jobs.enabled {
            let webhooks = WebhookClient::new(
                Duration::from_secs(settings.jobs.outbound_timeout_secs),
                TargetPolicy::from_settings(&settings.jobs),
            )
            .map_err(|e| StartupError::Settings(format!("webhook client: {e}")))?;
            let jobs = Jobs {
                service: service.clone(),
                gateway,
                carriers: Arc::new(carriers),
                senders: Arc::new(SenderNumbers::from_settings(&settings.sms)),
                webhooks,
            };
            tasks.extend(jobs.spawn(stopped.clone()));
        }
        let limits = ConnectionLimits {
            header_read_timeout: settings.server.header_read_timeout(),
            max_connections: settings.server.max_connections as usize,
        };
        let public = crate::http::app(service.clone(), &settings.server.static_dir);
        tasks.push(spawn_server(listener, public, limits, stopped.clone()));
        let metrics_addr = metrics_listener.map(|(listener, metrics_addr)| {
            tracing::info!("metrics on http://{metrics_addr}/metrics");
            tasks.push(spawn_server(listener, crate::http::metrics_app(service.clone()), limits, stopped));
            metrics_addr
        });
        Ok(Application { addr, metrics_addr, service, shutdown, tasks })
    }

    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Where `/metrics` is served, unless turned off.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Stops accepting, lets in-flight requests and jobs finish, closes the database.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.service.store().close().await;
    }
}

/// The data directory holds the database and (by default) the secret key: owner only.
fn create_private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), StartupError> {
    let listener = TcpListener::bind(addr).await.map_err(|source| StartupError::Bind { addr, source })?;
    let bound = listener.local_addr().map_err(|source| StartupError::Bind { addr, source })?;
    Ok((listener, bound))
}

fn spawn_server(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(crate::http::serve::serve(listener, app, limits, async move {
        let _ = stop.changed().await;
    }))
}

fn gateway_from(settings: &Settings) -> Result<Arc<dyn SmsGateway>, StartupError> {
    let url = match &settings.sms.sms_gateway {
        SmsGatewayKind::Console => {
            let gateway =
                ConsoleGateway::new(&settings.database.data_dir).map_err(|e| StartupError::Sms(e.to_string()))?;
            return Ok(Arc::new(gateway));
        }
        SmsGatewayKind::Http(url) => url.clone(),
    };
    let mut config = HttpGatewayConfig::new(url);
    config.timeout = Duration::from_secs(settings.jobs.outbound_timeout_secs);
    config.bearer_token = settings.sms.sms_gateway_token.clone();
    Ok(Arc::new(HttpGateway::new(config).map_err(|e| StartupError::Sms(e.to_string()))?))
}

/// The provinces' rollout: built in, or the operator's file, refused whole on any bad line.
fn rollout_from(settings: &Settings) -> Result<Rollout, StartupError> {
    let Some(path) = &settings.limits.provinces_file else { return Ok(Rollout::default()) };
    let refused = |reason: String| StartupError::Provinces { path: path.display().to_string(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| refused(e.to_string()))?;
    Rollout::parse(&text).map_err(|e| refused(e.to_string()))
}

/// The number-range table and overrides: built in, or from the operator's files.
fn carrier_router(settings: &Settings) -> Result<CarrierRouter, StartupError> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| StartupError::Sms(format!("reading {}: {e}", path.display())))
    };
    let table = match &settings.sms.number_ranges_file {
        Some(path) => {
            RangeTable::parse(&read(path)?).map_err(|e| StartupError::Sms(format!("{}: {e}", path.display())))?
        }
        None => RangeTable::default(),
    };
    let overrides = match &settings.sms.number_overrides_file {
        Some(path) => {
            parse_overrides(&read(path)?).map_err(|e| StartupError::Sms(format!("{}: {e}", path.display())))?
        }
        None => Default::default(),
    };
    Ok(CarrierRouter::new(table, overrides))
}
