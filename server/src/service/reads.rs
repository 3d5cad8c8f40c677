//! What providers and operators read: a provider's filings, readiness, the metrics text.

use protocol::FilingView;

use super::{Service, ServiceResult};
use crate::domain::{FilingId, ProviderId};
use crate::store::{FilingKey, FilingPage};

impl Service {
    /// One of the provider's filings; `None` for another provider's or an unknown one.
    pub async fn filing_view(
        &self,
        provider_id: &ProviderId,
        filing_id: &FilingId,
    ) -> ServiceResult<Option<FilingView>> {
        Ok(self.store().filing_view(provider_id, filing_id).await?)
    }

    /// A page of the provider's filings, newest first, and the key of its last filing when more
    /// may follow.
    pub async fn list_filings(
        &self,
        provider_id: &ProviderId,
        page: &FilingPage,
    ) -> ServiceResult<(Vec<FilingView>, Option<FilingKey>)> {
        Ok(self.store().list_filings(provider_id, page).await?)
    }

    /// Whether the database answers (a load balancer's readiness probe).
    pub async fn ready(&self) -> ServiceResult<()> {
        Ok(self.store().ping().await?)
    }

    /// The metrics in the exposition format, with the figures every replica shares read from
    /// the database now.
    pub async fn metrics_text(&self) -> ServiceResult<String> {
        let sms = self.store().sms_outbox_depth().await?;
        let webhooks = self.store().webhook_outbox_depth().await?;
        let pending = self.store().pending_filings_by_province().await?;
        Ok(self.metrics().render(sms, webhooks, &pending))
    }
}
