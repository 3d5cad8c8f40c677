//! The deployment's one row: the fingerprint of the secret key its data was written with, so a
//! replica (or a restarted server) with another key refuses to start instead of failing every
//! check and leaving every sealed SMS unreadable.

use super::{Store, StoreResult};
use crate::clock::Millis;

/// The database was created with another secret key.
#[derive(Debug, thiserror::Error)]
#[error(
    "this database was created with another secret key (its fingerprint differs): start every \
     replica with the key the database was created with (BEIAN_SECRET_KEY or BEIAN_SECRET_KEY_FILE)"
)]
pub struct KeyMismatch;

impl Store {
    /// Records `fingerprint` as the deployment's key on first start; afterwards, refuses any other.
    pub async fn claim_key_fingerprint(&self, fingerprint: &[u8], now: Millis) -> StoreResult<()> {
        self.write_one(sqlx::query(
            "INSERT INTO deployment (id, key_fingerprint, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(fingerprint)
        .bind(now)
        )
        .await?;
        let stored: Vec<u8> =
            sqlx::query_scalar("SELECT key_fingerprint FROM deployment WHERE id = 1").fetch_one(&self.pool).await?;
        match stored == fingerprint {
            true => Ok(()),
            false => Err(KeyMismatch.into()),
        }
    }
}
