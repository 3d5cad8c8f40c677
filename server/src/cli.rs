//! The command line: `serve` (the default), `create-provider`, `set-callback`, `rotate-key`,
//! `revoke-keys`, `copy-to-postgres`.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::ProviderId;
use crate::secrets;
use crate::startup::Application;
use crate::store::{Engine, Store};

#[derive(Parser)]
#[command(name = "beian-verify-server", about = "beian-verify: the SMS verification step of ICP filing")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server, the jobs and the SPA.
    Serve {
        /// Create a demo access provider and a demo filing whose SMS appear on the console.
        #[arg(long)]
        demo: bool,
    },
    /// Create an access provider and print its API key (shown once, stored only hashed).
    CreateProvider {
        #[arg(long)]
        name: String,
    },
    /// Set where a provider's events are delivered; prints the signing secret once.
    SetCallback {
        #[arg(long)]
        provider_id: ProviderId,
        #[arg(long)]
        url: String,
    },
    /// Give a provider a new API key (printed once); its current keys keep working for
    /// BEIAN_KEY_ROTATION_OVERLAP_SECS, then stop.
    RotateKey {
        #[arg(long)]
        provider_id: ProviderId,
    },
    /// Stop every API key of a provider at once (after a leak); `rotate-key` then issues a new one.
    RevokeKeys {
        #[arg(long)]
        provider_id: ProviderId,
    },
    /// Copy this SQLite deployment's data (BEIAN_DATABASE_URL, default the data directory's file)
    /// into an empty PostgreSQL database, and print the rows of each table on both sides. Start
    /// the PostgreSQL replicas with the same secret key (BEIAN_SECRET_KEY or BEIAN_SECRET_KEY_FILE;
    /// by default <data dir>/secret.key).
    CopyToPostgres {
        /// The target, e.g. postgres://beian@db.internal/beian (the environment keeps a password out of `ps`).
        #[arg(long, env = "BEIAN_COPY_TO_DATABASE_URL", hide_env_values = true)]
        to: String,
    },
}

/// The command line with the settings global: accepted before or after the subcommand
/// (`--addr … serve` and `serve --addr …`), and listed by every subcommand's `--help`.
pub fn command() -> clap::Command {
    Cli::command().mut_args(|arg| arg.global(true))
}

fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command()))
}

pub async fn main() -> ExitCode {
    let cli = parse(std::env::args_os()).unwrap_or_else(|e| e.exit());
    crate::telemetry::init(cli.settings.server.log_json);
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(cli.settings, demo).await,
        Command::CreateProvider { name } => create_provider(cli.settings, &name).await,
        Command::SetCallback { provider_id, url } => set_callback(cli.settings, &provider_id, &url).await,
        Command::RotateKey { provider_id } => rotate_key(cli.settings, &provider_id).await,
        Command::RevokeKeys { provider_id } => revoke_keys(cli.settings, &provider_id).await,
        Command::CopyToPostgres { to } => copy_to_postgres(cli.settings, &to).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult = Result<(), Box<dyn std::error::Error>>;

async fn serve(settings: Settings, demo: bool) -> CliResult {
    let app = Application::build(settings).await?;
    if demo {
        crate::demo::seed(app.service()).await?;
    }
    // Scripts and tests read the address from this line.
    println!("listening on http://{}", app.address());
    shutdown_signal().await;
    tracing::info!("shutting down");
    app.shutdown().await;
    Ok(())
}

/// The application for a one-off command beside a running server: no jobs, and no listener on
/// the server's addresses (the API on a free loopback port, no metrics listener).
async fn command_app(settings: Settings) -> Result<Application, Box<dyn std::error::Error>> {
    let mut settings = settings;
    settings.jobs.enabled = false;
    settings.server.addr = "127.0.0.1:0".parse()?;
    settings.server.metrics_addr = None;
    Ok(Application::build(settings).await?)
}

async fn create_provider(settings: Settings, name: &str) -> CliResult {
    let app = command_app(settings).await?;
    let (id, key) = app.service().create_provider(name).await?;
    app.shutdown().await;
    println!("provider_id={id}");
    println!("api_key={key}");
    Ok(())
}

async fn set_callback(settings: Settings, provider_id: &ProviderId, url: &str) -> CliResult {
    let url = crate::webhook::parse_callback_url(url, crate::webhook::TargetPolicy::from_settings(&settings.jobs))
        .map_err(|e| format!("callback URL refused: {e}"))?;
    let app = command_app(settings).await?;
    let secret = app.service().set_callback(provider_id, &url).await?;
    app.shutdown().await;
    let Some(secret) = secret else {
        return Err(format!("no provider {provider_id}").into());
    };
    println!("callback_secret={secret}");
    Ok(())
}

async fn rotate_key(settings: Settings, provider_id: &ProviderId) -> CliResult {
    let app = command_app(settings).await?;
    let rotated = app.service().rotate_key(provider_id, None).await;
    app.shutdown().await;
    let rotated = rotated.map_err(|e| match e {
        crate::service::ServiceError::NotFound => format!("no provider {provider_id}"),
        other => other.to_string(),
    })?;
    println!("api_key={}", rotated.api_key);
    println!("previous_keys_expire_at={}", crate::clock::rfc3339(rotated.previous_keys_end_at));
    Ok(())
}

async fn revoke_keys(settings: Settings, provider_id: &ProviderId) -> CliResult {
    let app = command_app(settings).await?;
    let revoked = app.service().revoke_keys(provider_id, None).await;
    app.shutdown().await;
    println!("revoked_keys={}", revoked?);
    Ok(())
}

/// Checks that the key is the source's own (so the target gets the right fingerprint and every
/// stored hash stays usable), then copies.
pub async fn copy_to_postgres(settings: Settings, to: &str) -> CliResult {
    // Refused before anything is opened: a `sqlite://` target would be created as a new file.
    if !matches!(Engine::of_url(to), Some(Engine::Postgres)) {
        return Err("--to takes a postgres:// URL: the copy goes from SQLite into PostgreSQL".into());
    }
    let keys = secrets::Keys::from_settings(&settings.database)?;
    let source = Store::connect(settings.database.url().expose_secret(), 1).await?;
    source.claim_key_fingerprint(keys.fingerprint(), SystemClock.now()).await?;
    let target = Store::connect(to, 1).await?;
    let copied = source.copy_into(&target).await;
    source.close().await;
    target.close().await;
    let copied = copied?;
    println!("{:<20} {:>12} {:>12}", "table", "sqlite", "postgres");
    for table in &copied {
        println!("{:<20} {:>12} {:>12}", table.table, table.source_rows, table.target_rows);
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Cli, clap::Error> {
        parse(std::iter::once("beian-verify-server").chain(line.split_whitespace()))
    }

    /// A target that is not PostgreSQL is refused before either database is opened: no SQLite
    /// file appears where the URL points, and none in the data directory.
    #[tokio::test]
    async fn a_copy_to_anything_but_postgresql_is_refused_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let target = dir.path().join("target.db");
        let settings =
            parse_line(&format!("copy-to-postgres --to x --data-dir {}", data_dir.display())).unwrap().settings;
        for to in [format!("sqlite://{}", target.display()), "mysql://db.internal/beian".to_owned()] {
            let refused = copy_to_postgres(settings.clone(), &to).await.expect_err(&to).to_string();
            assert!(refused.contains("postgres://"), "{refused}");
        }
        assert!(!target.exists());
        assert!(!data_dir.exists());
    }

    #[test]
    fn settings_are_taken_before_and_after_the_subcommand() {
        for line in [
            "--addr 127.0.0.1:7 --max-attempts 5 serve --demo",
            "serve --addr 127.0.0.1:7 --demo --max-attempts 5",
            "--max-attempts 5 serve --demo --addr 127.0.0.1:7",
        ] {
            let cli = parse_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(cli.settings.server.addr, "127.0.0.1:7".parse().unwrap(), "{line}");
            assert_eq!(cli.settings.limits.max_attempts, 5, "{line}");
            assert!(matches!(cli.command, Some(Command::Serve { demo: true })), "{line}");
        }
        let copy = parse_line("copy-to-postgres --to postgres://db.internal/beian --data-dir /srv/beian").unwrap();
        assert_eq!(copy.settings.database.data_dir, std::path::Path::new("/srv/beian"));
    }

    #[test]
    fn every_subcommands_help_lists_every_setting() {
        let settings: Vec<String> =
            Cli::command().get_arguments().filter_map(|arg| arg.get_long()).map(|long| format!("--{long} <")).collect();
        assert!(settings.len() > 40, "{settings:?}");
        let subcommands: Vec<String> = command().get_subcommands().map(|sub| sub.get_name().to_owned()).collect();
        for subcommand in subcommands {
            let help = command()
                .try_get_matches_from(["beian-verify-server", subcommand.as_str(), "--help"])
                .expect_err("help is shown, not run")
                .to_string();
            let missing: Vec<&String> = settings.iter().filter(|flag| !help.contains(flag.as_str())).collect();
            assert!(missing.is_empty(), "`{subcommand} --help` leaves out {missing:?}");
        }
    }

    /// Settings of a server that is running: its metrics address is taken.
    fn beside_a_running_server(data_dir: &std::path::Path, taken: std::net::SocketAddr) -> Settings {
        let mut settings = Settings::defaults();
        settings.database.data_dir = data_dir.to_path_buf();
        settings.server.addr = taken;
        settings.server.metrics_addr = Some(taken);
        settings
    }

    #[tokio::test]
    async fn key_commands_run_while_the_server_holds_its_addresses() {
        let running = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let taken = running.local_addr().unwrap();
        let data = tempfile::tempdir().unwrap();
        let settings = || beside_a_running_server(data.path(), taken);
        let app = command_app(settings()).await.unwrap();
        let (provider_id, _) = app.service().create_provider("甲").await.unwrap();
        app.shutdown().await;

        rotate_key(settings(), &provider_id).await.expect("rotate-key beside a running server");
        revoke_keys(settings(), &provider_id).await.expect("revoke-keys beside a running server");
    }
}
