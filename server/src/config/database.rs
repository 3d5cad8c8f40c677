//! Where the data lives: the data directory, the database and the secret key that keys every
//! stored hash.

use std::path::PathBuf;

use clap::Args;
use secrecy::SecretString;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Data and database")]
pub struct DatabaseSettings {
    /// Where the SQLite file, the generated secret key and the development SMS file live.
    #[arg(long, env = "BEIAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite://…` (default `sqlite://<data dir>/beian.db`) or `postgres://…`.
    /// Secret: it may hold a password.
    #[arg(long, env = "BEIAN_DATABASE_URL", hide_env_values = true, value_parser = super::secret)]
    pub database_url: Option<SecretString>,

    /// Connections each server process keeps open to a PostgreSQL database (a SQLite file: 8).
    /// Keep replicas × this below the database server's `max_connections`.
    #[arg(long, env = "BEIAN_DATABASE_MAX_CONNECTIONS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub database_max_connections: u32,

    /// The server secret as 64 hex characters, from the environment only (`BEIAN_SECRET_KEY`):
    /// a command-line value would show in `ps`. Default: the key file.
    #[arg(skip = std::env::var("BEIAN_SECRET_KEY").ok().map(SecretString::from))]
    pub secret_key: Option<SecretString>,

    /// File holding the server secret (64 hex characters, mode 0600; created if missing); lets
    /// the key live outside the data directory. Default: `<data dir>/secret.key`.
    #[arg(long, env = "BEIAN_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
}

impl DatabaseSettings {
    /// The configured URL, or the SQLite file in the data directory.
    pub fn url(&self) -> SecretString {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("beian.db").display()).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::super::tests::parse;

    #[test]
    fn without_a_url_the_database_is_the_sqlite_file_in_the_data_directory() {
        let database = parse(&["--data-dir", "/srv/beian"]).unwrap().database;
        assert_eq!(database.url().expose_secret(), "sqlite:///srv/beian/beian.db");
    }

    #[test]
    fn the_secret_key_is_never_a_command_line_value() {
        let key = "ab".repeat(32);
        assert!(parse(&["--secret-key", &key]).is_err(), "a key on the command line shows in `ps`");
        let database = parse(&["--secret-key-file", "/etc/beian/key"]).unwrap().database;
        assert_eq!(database.secret_key_file.unwrap().to_str(), Some("/etc/beian/key"));
    }
}
