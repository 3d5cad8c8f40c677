//! SMS quotas, against a stolen provider key pumping SMS: per provider per minute and per day,
//! and per phone number per day across all providers (resends included). Sliding windows,
//! counted in the database so every replica shares them; an SMS is allowed before it is queued,
//! and a refusal queues nothing.

use protocol::{InvalidField, NewFiling, Phone};

use super::limits::retry_after_seconds;
use super::{Service, ServiceError, ServiceResult};
use crate::clock::Millis;
use crate::domain::ProviderId;
use crate::store::{QuotaAsk, QuotaTaken, ResendTx};

const MINUTE: Millis = 60_000;
const DAY: Millis = 24 * 3_600_000;

/// Which quota refused an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsQuota {
    ProviderPerMinute,
    ProviderPerDay,
    PhonePerDay,
}

impl SmsQuota {
    /// The problem's `detail`.
    pub fn detail(self) -> &'static str {
        match self {
            SmsQuota::ProviderPerMinute => "该接入商每分钟可发送的短信已达上限，请稍后再试。",
            SmsQuota::ProviderPerDay => "该接入商今日可发送的短信已达上限。",
            SmsQuota::PhonePerDay => "该手机号码今日接收的核验短信已达上限，请稍后再试。",
        }
    }
}

/// One quota an SMS needs room in, and whose it is.
struct Need {
    quota: SmsQuota,
    phone: Option<String>,
    ask: QuotaAsk,
}

impl Service {
    /// Takes the allowance for one SMS to each of `phones` (caused by `provider`, if any): all of
    /// it, or, when a quota is full, none and [`ServiceError::SmsQuota`].
    pub async fn take_sms_allowance(&self, provider: Option<&ProviderId>, phones: &[&str]) -> ServiceResult<()> {
        let needs = self.sms_needs(provider, phones);
        let taken = self.store().take_quota(&asks(&needs), self.now()).await?;
        refusal(provider, &needs, taken)
    }

    /// As [`Service::take_sms_allowance`], inside a resend's transaction (which already holds the
    /// write lock); a refusal must roll it back (drop it).
    pub(super) async fn take_sms_allowance_in(
        &self,
        tx: &mut ResendTx,
        provider: Option<&ProviderId>,
        phones: &[&str],
    ) -> ServiceResult<()> {
        let needs = self.sms_needs(provider, phones);
        let taken = tx.take_quota(&asks(&needs), self.now()).await?;
        refusal(provider, &needs, taken)
    }

    /// A submit: one SMS per verification. A number over its cap is named by the filing's fields
    /// that hold it. Returns what was taken, to give back if the submit was a replay.
    pub(super) async fn take_submit_allowance(
        &self,
        provider: &ProviderId,
        phones: &[&str],
        new: &NewFiling,
    ) -> ServiceResult<Vec<QuotaAsk>> {
        let needs = self.sms_needs(Some(provider), phones);
        let asks = asks(&needs);
        let taken = self.store().take_quota(&asks, self.now()).await?;
        match refusal(Some(provider), &needs, taken) {
            Ok(()) => Ok(asks),
            Err(ServiceError::SmsQuota { quota, retry_after_seconds, phone: Some(phone), .. }) => {
                let fields = mobile_fields(new, &phone);
                Err(ServiceError::SmsQuota { quota, retry_after_seconds, phone: Some(phone), fields })
            }
            Err(other) => Err(other),
        }
    }

    /// The provider's two windows, then one per distinct number.
    fn sms_needs(&self, provider: Option<&ProviderId>, phones: &[&str]) -> Vec<Need> {
        let settings = self.settings();
        let mut needs = Vec::new();
        if let Some(provider) = provider.filter(|_| !phones.is_empty()) {
            let wanted = phones.len() as u32;
            let per = [
                (SmsQuota::ProviderPerMinute, "provider-minute", MINUTE, settings.limits.sms_per_provider_per_minute),
                (SmsQuota::ProviderPerDay, "provider-day", DAY, settings.limits.sms_per_provider_per_day),
            ];
            for (quota, name, window, limit) in per {
                let ask = QuotaAsk { key: format!("{name}:{provider}"), window, limit, wanted };
                needs.push(Need { quota, phone: None, ask });
            }
        }
        let mut distinct: Vec<&str> = phones.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for phone in distinct {
            let wanted = phones.iter().filter(|p| **p == phone).count() as u32;
            let ask = QuotaAsk {
                key: self.phone_quota_key(phone),
                window: DAY,
                limit: settings.limits.sms_per_phone_per_day,
                wanted,
            };
            needs.push(Need { quota: SmsQuota::PhonePerDay, phone: Some(phone.to_owned()), ask });
        }
        needs
    }

    fn phone_quota_key(&self, phone: &str) -> String {
        format!("phone-day:{}", self.number_key("sms_quota_phone", phone))
    }
}

fn asks(needs: &[Need]) -> Vec<QuotaAsk> {
    needs.iter().map(|n| n.ask.clone()).collect()
}

fn refusal(provider: Option<&ProviderId>, needs: &[Need], taken: QuotaTaken) -> ServiceResult<()> {
    let QuotaTaken::Refused { ask, retry_after } = taken else {
        return Ok(());
    };
    let need = &needs[ask];
    // Never the number itself in the log.
    tracing::warn!(provider_id = provider.map_or("-", ProviderId::as_str), quota = ?need.quota, "SMS refused by quota");
    Err(ServiceError::SmsQuota {
        quota: need.quota,
        retry_after_seconds: retry_after_seconds(retry_after),
        phone: need.phone.clone(),
        fields: Vec::new(),
    })
}

/// The JSON paths of a filing's mobile fields that hold `phone`.
fn mobile_fields(new: &NewFiling, phone: &str) -> Vec<InvalidField> {
    let reason = "该手机号码今日接收的核验短信已达上限。";
    let same = |mobile: &str| Phone::parse(mobile).is_ok_and(|p| p.as_str() == phone);
    let mut fields = Vec::new();
    if same(&new.subject.principal.mobile) {
        fields.push(InvalidField::new("/subject/principal/mobile", reason));
    }
    for (i, website) in new.websites.iter().enumerate() {
        if same(&website.principal.mobile) {
            fields.push(InvalidField::new(format!("/websites/{i}/principal/mobile"), reason));
        }
    }
    fields
}
