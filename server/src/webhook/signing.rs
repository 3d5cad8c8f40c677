//! Signing webhook bodies so a receiver can tell they came from us, unchanged and recently.
//!
//! Header: `X-Beian-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (the
//! scheme Stripe uses). The timestamp is inside the MAC, so a receiver that rejects old
//! timestamps also rejects replays. Several `v1=` entries may appear (while a secret rotates);
//! one match is enough. Unknown schemes are ignored so a future `v2` can be added alongside.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Beian-Signature";

/// What a receiver should tolerate between our clock and theirs, unless it knows better.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(tag))
}

/// Why a receiver should reject a delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the signature header is malformed")]
    Malformed,
    #[error("the signature header has no timestamp")]
    NoTimestamp,
    #[error("the signature header has no v1 signature")]
    NoSignature,
    #[error(
        "the signature's timestamp is {skew_seconds} s away from now, more than the tolerated {tolerance_seconds} s"
    )]
    OutsideTolerance { skew_seconds: u64, tolerance_seconds: u64 },
    #[error("no signature matches the body")]
    Mismatch,
}

/// What a receiver runs: parses `header`, checks its timestamp is within `tolerance_seconds` of
/// `now` (either way, for clock skew), and checks one `v1` signature matches `body` in
/// constant time.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance_seconds: u64) -> Result<(), VerifyError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let (key, value) = item.trim().split_once('=').ok_or(VerifyError::Malformed)?;
        match key {
            "t" => {
                let t = value.parse::<i64>().map_err(|_| VerifyError::Malformed)?;
                if timestamp.replace(t).is_some() {
                    return Err(VerifyError::Malformed);
                }
            }
            "v1" => signatures.push(value),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(VerifyError::NoTimestamp)?;
    if signatures.is_empty() {
        return Err(VerifyError::NoSignature);
    }
    let skew_seconds = now.abs_diff(timestamp);
    if skew_seconds > tolerance_seconds {
        return Err(VerifyError::OutsideTolerance { skew_seconds, tolerance_seconds });
    }
    let expected = mac(secret, timestamp, body);
    let matches = signatures.iter().any(|signature| {
        hex::decode(signature)
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

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"e1","kind":"filing.completed"}"#;
    const NOW: i64 = 1_795_000_000;

    #[test]
    fn a_signed_body_verifies() {
        let header = sign(SECRET, NOW, BODY);
        assert!(header.starts_with(&format!("t={NOW},v1=")));
        assert_eq!(header.len(), format!("t={NOW},v1=").len() + 64);
        assert_eq!(verify(SECRET, &header, BODY, NOW + 10, 300), Ok(()));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231-style check by a second route: the MAC of the concatenated message.
        let mut mac = HmacSha256::new_from_slice(SECRET).unwrap();
        mac.update(format!("{NOW}.").as_bytes());
        mac.update(BODY);
        let expected = hex::encode(mac.finalize().into_bytes());
        assert_eq!(sign(SECRET, NOW, BODY), format!("t={NOW},v1={expected}"));
    }

    #[test]
    fn a_tampered_body_fails() {
        let header = sign(SECRET, NOW, BODY);
        let tampered = br#"{"id":"e1","kind":"filing.returned"}"#;
        assert_eq!(verify(SECRET, &header, tampered, NOW, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn another_secret_fails() {
        let header = sign(b"someone else", NOW, BODY);
        assert_eq!(verify(SECRET, &header, BODY, NOW, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_changed_timestamp_fails() {
        let header = sign(SECRET, NOW, BODY).replace(&format!("t={NOW}"), &format!("t={}", NOW + 1));
        assert_eq!(verify(SECRET, &header, BODY, NOW, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_replay_outside_the_tolerance_fails_either_way() {
        let header = sign(SECRET, NOW, BODY);
        assert_eq!(
            verify(SECRET, &header, BODY, NOW + 301, 300),
            Err(VerifyError::OutsideTolerance { skew_seconds: 301, tolerance_seconds: 300 })
        );
        assert!(matches!(verify(SECRET, &header, BODY, NOW - 301, 300), Err(VerifyError::OutsideTolerance { .. })));
        assert_eq!(verify(SECRET, &header, BODY, NOW + 300, 300), Ok(()));
    }

    #[test]
    fn any_matching_v1_is_enough_and_unknown_schemes_are_ignored() {
        let good = sign(SECRET, NOW, BODY);
        let good_tag = good.split_once(",v1=").unwrap().1;
        let header = format!("t={NOW},v1={},v0=abc,v1={good_tag}", "00".repeat(32));
        assert_eq!(verify(SECRET, &header, BODY, NOW, 300), Ok(()));
    }

    proptest::proptest! {
        #[test]
        fn any_header_is_verified_or_refused_never_a_panic(header in proptest::prelude::any::<String>(), now in proptest::prelude::any::<i64>()) {
            let _ = verify(SECRET, &header, BODY, now, 300);
            let _ = verify(SECRET, &format!("t={now},v1={header}"), BODY, now, u64::MAX);
        }
    }

    #[test]
    fn malformed_headers_are_refused() {
        let tag = "ab".repeat(32);
        let cases = [
            ("".to_owned(), VerifyError::Malformed),
            ("garbage".to_owned(), VerifyError::Malformed),
            (format!("t=soon,v1={tag}"), VerifyError::Malformed),
            (format!("t={NOW},t={NOW},v1={tag}"), VerifyError::Malformed),
            (format!("v1={tag}"), VerifyError::NoTimestamp),
            (format!("t={NOW}"), VerifyError::NoSignature),
            (format!("t={NOW},v1=not-hex"), VerifyError::Mismatch),
        ];
        for (header, expected) in cases {
            assert_eq!(verify(SECRET, &header, BODY, NOW, 300), Err(expected), "{header:?}");
        }
    }
}
