//! Signing webhook deliveries the Standard Webhooks way, so a provider verifies them with the
//! `standardwebhooks` library (PyPI, npm, …) instead of code of its own.
//!
//! Headers: `webhook-id` (the event id, the same on every retry: the receiver's idempotency key),
//! `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature: v1,<base64
//! HMAC-SHA256 of "<id>.<timestamp>.<body>">`. The timestamp is inside the MAC, so a receiver that
//! rejects old timestamps also rejects replays. The signature header may list several
//! space-separated signatures (while a secret rotates); one match is enough, and other versions
//! are ignored so a future `v1a` can be added alongside.
//!
//! A secret is `whsec_` followed by the base64 of the key bytes; the key is the decoded bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;

pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The prefix the specification gives secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// What a receiver should tolerate between our clock and theirs, unless it knows better (the
/// libraries' default too).
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

type HmacSha256 = Hmac<Sha256>;

/// The HMAC key of one provider's deliveries. Its Debug output hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    /// The key a stored secret stands for: the decoded bytes of a `whsec_<base64>` secret. A
    /// secret made before deliveries followed Standard Webhooks (no `whsec_` prefix) keys with its
    /// own text, so its provider's deliveries go on until the callback is set again.
    pub fn from_secret(secret: &str) -> SigningKey {
        let decoded = secret.strip_prefix(SECRET_PREFIX).and_then(|encoded| STANDARD.decode(encoded).ok());
        SigningKey(decoded.unwrap_or_else(|| secret.as_bytes().to_vec()))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(******)")
    }
}

/// A new secret, as shown once to its provider: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-signature` value for message `id` with `body`, sent at `timestamp` (Unix seconds).
pub fn sign(key: &SigningKey, id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = key.mac(id, timestamp, body).finalize().into_bytes();
    format!("v1,{}", STANDARD.encode(tag))
}

/// The three headers of one delivery, as a receiver read them.
#[derive(Debug, Clone, Copy)]
pub struct SignedHeaders<'a> {
    pub id: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
}

/// Why a receiver should reject a delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the webhook-timestamp header is not a number of seconds")]
    MalformedTimestamp,
    #[error("the webhook-signature header has no v1 signature")]
    NoSignature,
    #[error(
        "the signature's timestamp is {skew_seconds} s away from now, more than the tolerated {tolerance_seconds} s"
    )]
    OutsideTolerance { skew_seconds: u64, tolerance_seconds: u64 },
    #[error("no signature matches the body")]
    Mismatch,
}

/// What a receiver runs (what the libraries do): checks the timestamp is within
/// `tolerance_seconds` of `now` (either way, for clock skew), and that one `v1` signature matches
/// in constant time.
pub fn verify(
    key: &SigningKey,
    headers: SignedHeaders<'_>,
    body: &[u8],
    now: i64,
    tolerance_seconds: u64,
) -> Result<(), VerifyError> {
    let timestamp = headers.timestamp.trim().parse::<i64>().map_err(|_| VerifyError::MalformedTimestamp)?;
    let signatures: Vec<&str> =
        headers.signature.split_whitespace().filter_map(|entry| entry.strip_prefix("v1,")).collect();
    if signatures.is_empty() {
        return Err(VerifyError::NoSignature);
    }
    let skew_seconds = now.abs_diff(timestamp);
    if skew_seconds > tolerance_seconds {
        return Err(VerifyError::OutsideTolerance { skew_seconds, tolerance_seconds });
    }
    let expected = key.mac(headers.id, timestamp, body);
    let matches = signatures.iter().any(|signature| {
        STANDARD
            .decode(signature)
            // verify_slice compares in constant time.
            .is_ok_and(|tag| expected.clone().verify_slice(&tag).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"e1","kind":"filing.completed"}"#;
    const ID: &str = "msg_e1";
    const NOW: i64 = 1_795_000_000;

    fn key() -> SigningKey {
        SigningKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    }

    fn headers<'a>(timestamp: &'a str, signature: &'a str) -> SignedHeaders<'a> {
        SignedHeaders { id: ID, timestamp, signature }
    }

    #[test]
    fn a_signed_body_verifies() {
        let signature = sign(&key(), ID, NOW, BODY);
        assert!(signature.starts_with("v1,"));
        assert_eq!(verify(&key(), headers(&NOW.to_string(), &signature), BODY, NOW + 10, 300), Ok(()));
    }

    #[test]
    fn the_specifications_example_signs_to_its_published_signature() {
        // The example in the Standard Webhooks specification's "Signature scheme" section.
        let key = SigningKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_whsec_secret_keys_with_its_decoded_bytes_and_an_older_secret_with_its_text() {
        assert_eq!(SigningKey::from_secret("whsec_AAEC").0, vec![0, 1, 2]);
        assert_eq!(SigningKey::from_secret("bv_older").0, b"bv_older".to_vec());
    }

    #[test]
    fn new_secrets_are_whsec_with_32_random_bytes_and_differ() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(STANDARD.decode(a.strip_prefix(SECRET_PREFIX).unwrap()).unwrap().len(), 32);
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", SigningKey::from_secret("whsec_AAEC")), "SigningKey(******)");
    }

    #[test]
    fn a_tampered_body_id_or_timestamp_fails() {
        let signature = sign(&key(), ID, NOW, BODY);
        let now = NOW.to_string();
        let tampered = br#"{"id":"e1","kind":"filing.returned"}"#;
        assert_eq!(verify(&key(), headers(&now, &signature), tampered, NOW, 300), Err(VerifyError::Mismatch));
        let other_id = SignedHeaders { id: "msg_e2", timestamp: &now, signature: &signature };
        assert_eq!(verify(&key(), other_id, BODY, NOW, 300), Err(VerifyError::Mismatch));
        let later = (NOW + 1).to_string();
        assert_eq!(verify(&key(), headers(&later, &signature), BODY, NOW, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn another_secret_fails() {
        let signature = sign(&SigningKey::from_secret("whsec_AAEC"), ID, NOW, BODY);
        assert_eq!(verify(&key(), headers(&NOW.to_string(), &signature), BODY, NOW, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_replay_outside_the_tolerance_fails_either_way() {
        let signature = sign(&key(), ID, NOW, BODY);
        let at = NOW.to_string();
        assert_eq!(
            verify(&key(), headers(&at, &signature), BODY, NOW + 301, 300),
            Err(VerifyError::OutsideTolerance { skew_seconds: 301, tolerance_seconds: 300 })
        );
        assert!(matches!(
            verify(&key(), headers(&at, &signature), BODY, NOW - 301, 300),
            Err(VerifyError::OutsideTolerance { .. })
        ));
        assert_eq!(verify(&key(), headers(&at, &signature), BODY, NOW + 300, 300), Ok(()));
    }

    #[test]
    fn any_matching_v1_is_enough_and_other_versions_are_ignored() {
        let good = sign(&key(), ID, NOW, BODY);
        let listed = format!("v1,{} v1a,abc {good}", STANDARD.encode([0u8; 32]));
        assert_eq!(verify(&key(), headers(&NOW.to_string(), &listed), BODY, NOW, 300), Ok(()));
    }

    proptest::proptest! {
        #[test]
        fn any_headers_are_verified_or_refused_never_a_panic(
            text in proptest::prelude::any::<String>(),
            now in proptest::prelude::any::<i64>(),
        ) {
            let _ = verify(&key(), headers(&text, &text), BODY, now, 300);
            let _ = verify(&key(), headers(&now.to_string(), &format!("v1,{text}")), BODY, now, u64::MAX);
            let _ = SigningKey::from_secret(&text);
        }
    }

    #[test]
    fn malformed_headers_are_refused() {
        let tag = STANDARD.encode([0xab; 32]);
        let now = NOW.to_string();
        let cases = [
            ("soon".to_owned(), format!("v1,{tag}"), VerifyError::MalformedTimestamp),
            (String::new(), format!("v1,{tag}"), VerifyError::MalformedTimestamp),
            (now.clone(), String::new(), VerifyError::NoSignature),
            (now.clone(), format!("v2,{tag}"), VerifyError::NoSignature),
            (now.clone(), "v1,not base64!".to_owned(), VerifyError::Mismatch),
        ];
        for (timestamp, signature, expected) in cases {
            assert_eq!(verify(&key(), headers(&timestamp, &signature), BODY, NOW, 300), Err(expected), "{signature:?}");
        }
    }
}
