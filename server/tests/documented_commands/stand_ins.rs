//! What a documented value becomes in the test: addresses a free loopback port, directories,
//! files and databases the scratch directory, placeholders real values. The parser sees the same
//! flags and variables the reader types.

use std::path::PathBuf;

use crate::lines::Invocation;

pub struct StandIns {
    pub data_dir: PathBuf,
    /// A provider that exists in `data_dir`'s database, for `--provider-id …`.
    pub provider_id: String,
}

impl StandIns {
    /// The environment every line starts from: nothing on a fixed port, data in the scratch
    /// directory (as `cargo xtask run` defaults the data and static directories).
    pub fn base_env(&self) -> Vec<(String, String)> {
        ["BEIAN_ADDR", "BEIAN_METRICS_ADDR", "BEIAN_DATA_DIR", "BEIAN_STATIC_DIR"]
            .into_iter()
            .map(|key| (key.to_owned(), self.value(&setting_name(key), "").expect("a stand-in")))
            .collect()
    }

    /// `invocation` with every value swapped for its stand-in, on top of [`StandIns::base_env`].
    pub fn apply(&self, invocation: &Invocation) -> Result<Invocation, String> {
        let mut env = self.base_env();
        for (key, shown) in &invocation.env {
            let value = self.value(&setting_name(key), shown)?;
            env.retain(|(known, _)| known != key);
            env.push((key.clone(), value));
        }
        let mut args = Vec::new();
        let mut words = invocation.args.iter().peekable();
        while let Some(word) = words.next() {
            let Some(flag) = word.strip_prefix("--") else {
                args.push(word.clone());
                continue;
            };
            if let Some((name, shown)) = flag.split_once('=') {
                args.push(format!("--{name}={}", self.value(name, shown)?));
                continue;
            }
            args.push(word.clone());
            if let Some(shown) = words.next_if(|next| !next.starts_with('-')) {
                args.push(self.value(flag, shown)?);
            }
        }
        Ok(Invocation { env, args })
    }

    /// The value to give setting `name` (a flag's long name) where the docs show `shown`.
    fn value(&self, name: &str, shown: &str) -> Result<String, String> {
        let scratch = |file: &str| self.data_dir.join(file).display().to_string();
        Ok(match name {
            "addr" => "127.0.0.1:0".to_owned(),
            "metrics-addr" => "off".to_owned(),
            "data-dir" => self.data_dir.display().to_string(),
            "static-dir" => scratch("no-dist"),
            "secret-key-file" => scratch("secret.key"),
            "database-url" => format!("sqlite://{}", scratch("beian.db")),
            // `copy-to-postgres` refuses a SQLite target at once, after its arguments parsed (an
            // unreachable PostgreSQL would be retried for seconds).
            "to" | "copy-to-database-url" => format!("sqlite://{}", scratch("copy-target.db")),
            "provider-id" => self.provider_id.clone(),
            "name" if is_placeholder(shown) => "docs".to_owned(),
            _ if is_placeholder(shown) => return Err(format!("no stand-in for the placeholder `--{name} {shown}`")),
            _ => shown.to_owned(),
        })
    }
}

/// A variable's setting in flag spelling: `BEIAN_METRICS_ADDR` is `metrics-addr`.
fn setting_name(variable: &str) -> String {
    variable.strip_prefix("BEIAN_").unwrap_or(variable).to_ascii_lowercase().replace('_', "-")
}

/// `…`, `...`, or a word in capitals such as `NAME`.
fn is_placeholder(value: &str) -> bool {
    value == "…" || value == "..." || (value.len() > 1 && value.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
}
