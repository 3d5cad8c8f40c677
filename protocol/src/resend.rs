//! Asking for a new SMS (用户手动重发), and the answers.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString};

use crate::{FieldError, IdSuffix, InputField, Phone};

/// Phone number and ID suffix, as typed. Debug output hides the suffix.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResendRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Phone))]
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::IdSuffix))]
    pub id_suffix: String,
}

impl std::fmt::Debug for ResendRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResendRequest").field("phone", &self.phone).field("id_suffix", &crate::check::HIDDEN).finish()
    }
}

impl ResendRequest {
    pub fn parse(&self) -> Result<(Phone, IdSuffix), Vec<FieldError>> {
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new(InputField::Phone, e.message()));
        let suffix = IdSuffix::parse(&self.id_suffix).map_err(|e| FieldError::new(InputField::IdSuffix, e.message()));
        match (phone, suffix) {
            (Ok(phone), Ok(suffix)) => Ok((phone, suffix)),
            (phone, suffix) => Err([phone.err(), suffix.err()].into_iter().flatten().collect()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumMessage))]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[derive(EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ResendOutcome {
    /// The answer a person gets whether or not the number and ID suffix matched anything (so it
    /// reveals neither): a new code goes out if they did.
    Requested,
    /// A new code and link went out; the old ones no longer work (providers' resends).
    Sent,
    /// Nothing is waiting for this phone number and ID suffix.
    NothingPending,
    /// The resends allowed per verification are used up (told to a person only when the number
    /// and ID suffix matched).
    LimitReached,
}

impl ResendOutcome {
    pub fn is_success(&self) -> bool {
        matches!(self, ResendOutcome::Requested | ResendOutcome::Sent)
    }

    /// The words of the national system's current front end, full-width punctuation.
    pub fn message(&self) -> String {
        match self {
            ResendOutcome::Requested => "若手机号码和证件号码后六位与待核验的备案申请一致，新的验证码短信将在几分钟内发送，之前的验证码随即失效。".to_owned(),
            ResendOutcome::Sent => "您的短信验证码已重发成功，请查看手机并尽快完成短信核验。".to_owned(),
            ResendOutcome::NothingPending => "您暂无待短信核验的备案申请，无需重发短信。".to_owned(),
            ResendOutcome::LimitReached => {
                "重发次数已到上限，若不能及时完成短信核验，您的备案申请将会被退回。".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_to_a_person_does_not_say_whether_anything_matched() {
        let text = ResendOutcome::Requested.message();
        assert!(text.starts_with("若手机号码和证件号码后六位与待核验的备案申请一致"), "{text}");
        assert!(!text.contains(',') && !text.contains('.'), "{text}");
    }

    #[test]
    fn resend_texts_match_the_national_front_end() {
        assert_eq!(ResendOutcome::Sent.message(), "您的短信验证码已重发成功，请查看手机并尽快完成短信核验。");
        assert_eq!(ResendOutcome::NothingPending.message(), "您暂无待短信核验的备案申请，无需重发短信。");
        assert_eq!(
            ResendOutcome::LimitReached.message(),
            "重发次数已到上限，若不能及时完成短信核验，您的备案申请将会被退回。"
        );
    }
}
