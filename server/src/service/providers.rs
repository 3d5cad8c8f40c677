//! Access providers: registering one, knowing one by its API key, and where its events go.

use url::Url;

use super::{Service, ServiceResult};
use crate::domain::ProviderId;
use crate::secrets;
use crate::store::ProviderRecord;

impl Service {
    /// Registers a provider; returns its id and its API key (the key is stored only as a keyed
    /// hash, so this is the one time anyone sees it).
    pub async fn create_provider(&self, name: &str) -> ServiceResult<(ProviderId, String)> {
        let id = ProviderId::new(secrets::new_id("prv"));
        let key = secrets::new_api_key();
        self.store().insert_provider(&id, name, &self.api_key_hash(&key), self.now()).await?;
        Ok((id, key))
    }

    /// The provider whose key this is (while the key works), and the key's keyed hash.
    pub async fn provider_by_key(&self, key: &str) -> ServiceResult<Option<(ProviderRecord, Vec<u8>)>> {
        let key_hash = self.api_key_hash(key);
        let provider = self.store().provider_by_key_hash(&key_hash, self.now()).await?;
        Ok(provider.map(|provider| (provider, key_hash)))
    }

    /// Sends the provider's events to `url` from now on, signed with a new secret, which is
    /// returned; `None` if there is no such provider. The URL was parsed and allowed at the edge.
    pub async fn set_callback(&self, provider_id: &ProviderId, url: &Url) -> ServiceResult<Option<String>> {
        let secret = crate::webhook::new_secret();
        let found = self.store().set_provider_callback(provider_id, Some((url.as_str(), &secret))).await?;
        tracing::info!(%provider_id, found, "callback URL set");
        Ok(found.then_some(secret))
    }

    /// Stops sending the provider's events; `false` if it had no callback URL.
    pub async fn remove_callback(&self, provider_id: &ProviderId) -> ServiceResult<bool> {
        Ok(self.store().set_provider_callback(provider_id, None).await?)
    }
}
