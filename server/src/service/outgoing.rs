//! Making a new code and its SMS: the one place a code exists in clear, sealed before it is stored.

use serde::{Deserialize, Serialize};

use super::Service;
use crate::domain::{SmsId, VerificationId};
use crate::secrets;

/// What the outbox keeps sealed for one SMS.
#[derive(Clone, Serialize, Deserialize)]
pub struct SmsPayload {
    pub text: String,
    pub link: String,
    pub code: String,
}

/// A freshly issued code, as stored (hashes) plus its sealed SMS.
pub(super) struct IssuedCode {
    pub code_hash: Vec<u8>,
    pub token_hash: Vec<u8>,
    pub sms_id: SmsId,
    pub sealed_sms: Vec<u8>,
}

impl Service {
    /// A new code and link for a verification, and the sealed SMS carrying them.
    pub(super) fn issue_code(&self, verification_id: &VerificationId) -> IssuedCode {
        let code = secrets::new_code();
        let token = secrets::new_token();
        let rendered = self.inner.template.render(&code, &token);
        let sms_id = SmsId::new(secrets::new_id("sms"));
        let payload = SmsPayload { text: rendered.text, link: rendered.link, code: code.as_str().to_owned() };
        let plaintext = serde_json::to_vec(&payload).expect("strings serialise");
        IssuedCode {
            code_hash: self.code_hash(verification_id, &code),
            token_hash: self.token_hash(&token),
            sealed_sms: self.inner.keys.seal(sms_id.as_str(), &plaintext),
            sms_id,
        }
    }

    /// Opens a sealed SMS for the dispatcher.
    pub fn open_sms(&self, sms_id: &SmsId, sealed: &[u8]) -> Option<SmsPayload> {
        let plaintext = self.inner.keys.open(sms_id.as_str(), sealed)?;
        serde_json::from_slice(&plaintext).ok()
    }
}
