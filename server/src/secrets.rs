//! The server's secrets: the keyed hashes that stand in for codes, tokens and ID suffixes, the
//! outbox encryption, and the random values we hand out.
//!
//! One 32-byte master secret (configured, or generated into the data directory with owner-only
//! permissions) derives a hashing key and an encryption key, so neither is reused for the other.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::config::DatabaseSettings;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("reading or writing the secret key file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the secret key must be 64 hex characters (32 bytes)")]
    Malformed,
    #[error("the secret key file {path} can be read by others (mode {mode:o}): chmod 600 it")]
    Exposed { path: String, mode: u32 },
}

/// Derived keys. Cheap to clone behind an `Arc`.
pub struct Keys {
    hash_key: [u8; 32],
    outbox: XChaCha20Poly1305,
    fingerprint: [u8; 32],
}

impl Keys {
    /// Keys from a hex secret given in the environment, or from a key file (`key_file`, else
    /// `<data dir>/secret.key`), created owner-only on first start. A key file that others can
    /// read is refused.
    pub fn load(
        configured: Option<&SecretString>,
        key_file: Option<&Path>,
        data_dir: &Path,
    ) -> Result<Keys, SecretError> {
        let master = match configured {
            Some(hex_secret) => decode_master(hex_secret.expose_secret().trim())?,
            None => load_or_create(key_file.unwrap_or(&data_dir.join("secret.key")))?,
        };
        Ok(Keys::from_master(&master))
    }

    /// [`Keys::load`] with what the settings name.
    pub fn from_settings(database: &DatabaseSettings) -> Result<Keys, SecretError> {
        Keys::load(database.secret_key.as_ref(), database.secret_key_file.as_deref(), &database.data_dir)
    }

    pub fn from_master(master: &[u8; 32]) -> Keys {
        let hash_key = derive(master, b"beian-verify keyed hashes v1");
        let outbox_key = derive(master, b"beian-verify outbox encryption v1");
        let fingerprint = derive(master, b"beian-verify key fingerprint v1");
        Keys { hash_key, outbox: XChaCha20Poly1305::new(&outbox_key.into()), fingerprint }
    }

    /// Names the key without revealing it (a keyed hash of a fixed label): stored once per
    /// database, so a server started with another key is refused.
    pub fn fingerprint(&self) -> &[u8] {
        &self.fingerprint
    }

    /// HMAC-SHA256 over a purpose label and the parts, each length-prefixed so parts can't run together.
    pub fn keyed_hash(&self, purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
        self.mac(purpose, parts).finalize().into_bytes().to_vec()
    }

    /// Constant-time comparison of a keyed hash with a stored one.
    pub fn matches(&self, purpose: &str, parts: &[&[u8]], stored: &[u8]) -> bool {
        self.mac(purpose, parts).verify_slice(stored).is_ok()
    }

    fn mac(&self, purpose: &str, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.hash_key).expect("any key length works");
        for part in std::iter::once(purpose.as_bytes()).chain(parts.iter().copied()) {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part);
        }
        mac
    }

    /// Nonce followed by ciphertext; `context` (the outbox row id) is bound as associated data.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let payload = chacha20poly1305::aead::Payload { msg: plaintext, aad: context.as_bytes() };
        let sealed = self.outbox.encrypt(XNonce::from_slice(&nonce), payload).expect("encryption cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(24);
        let payload = chacha20poly1305::aead::Payload { msg: ciphertext, aad: context.as_bytes() };
        self.outbox.decrypt(XNonce::from_slice(nonce), payload).ok()
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("any key length works");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn decode_master(hex_secret: &str) -> Result<[u8; 32], SecretError> {
    hex::decode(hex_secret).ok().and_then(|bytes| bytes.try_into().ok()).ok_or(SecretError::Malformed)
}

fn load_or_create(path: &Path) -> Result<[u8; 32], SecretError> {
    let io = |source| SecretError::Io { path: path.display().to_string(), source };
    match fs::read_to_string(path) {
        Ok(text) => {
            refuse_if_exposed(path)?;
            decode_master(text.trim())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut master = [0u8; 32];
            OsRng.fill_bytes(&mut master);
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => {
                    file.write_all(hex::encode(master).as_bytes()).map_err(io)?;
                    file.sync_all().map_err(io)?;
                    Ok(master)
                }
                // Another replica on the same data directory won the race: use its key.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    decode_master(fs::read_to_string(path).map_err(io)?.trim())
                }
                Err(e) => Err(io(e)),
            }
        }
        Err(e) => Err(io(e)),
    }
}

/// Anyone who can read the key can forge every hash the server stores.
fn refuse_if_exposed(path: &Path) -> Result<(), SecretError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map_err(|source| SecretError::Io { path: path.display().to_string(), source })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(SecretError::Exposed { path: path.display().to_string(), mode: mode & 0o777 });
        }
    }
    Ok(())
}

/// A 6-digit code from the OS CSPRNG.
pub fn new_code() -> protocol::Code {
    protocol::Code::parse(&format!("{:06}", OsRng.gen_range(0..1_000_000u32))).expect("six digits")
}

/// A link token: 96 random bits, URL-safe base64 (16 characters).
pub fn new_token() -> String {
    random_b64(12)
}

/// A provider API key: 256 random bits.
pub fn new_api_key() -> String {
    format!("bv_{}", random_b64(32))
}

/// An identifier for a row: 128 random bits in hex, with a prefix naming its kind.
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}_{}", hex::encode(bytes))
}

fn random_b64(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_master(&[7; 32])
    }

    #[test]
    fn keyed_hashes_match_only_the_same_input_and_purpose() {
        let keys = keys();
        let stored = keys.keyed_hash("code", &[b"ver_1", b"123456"]);
        assert!(keys.matches("code", &[b"ver_1", b"123456"], &stored));
        assert!(!keys.matches("code", &[b"ver_1", b"123457"], &stored));
        assert!(!keys.matches("token", &[b"ver_1", b"123456"], &stored));
        assert!(!keys.matches("code", &[b"ver_11", b"23456"], &stored), "parts must not run together");
    }

    #[test]
    fn sealed_text_opens_only_with_its_context() {
        let keys = keys();
        let sealed = keys.seal("sms_1", "验证码 123456".as_bytes());
        assert!(!sealed.windows(6).any(|w| w == b"123456"));
        assert_eq!(keys.open("sms_1", &sealed).unwrap(), "验证码 123456".as_bytes());
        assert!(keys.open("sms_2", &sealed).is_none());
    }

    #[test]
    fn secret_file_is_created_owner_only_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = Keys::load(None, None, dir.path()).unwrap().keyed_hash("x", &[]);
        let b = Keys::load(None, None, dir.path()).unwrap().keyed_hash("x", &[]);
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("secret.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_outside_the_data_directory_is_used_and_refused_once_others_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let (data, elsewhere) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let file = elsewhere.path().join("beian.key");
        let a = Keys::load(None, Some(&file), data.path()).unwrap().keyed_hash("x", &[]);
        assert!(!data.path().join("secret.key").exists(), "nothing written to the data directory");
        assert_eq!(Keys::load(None, Some(&file), data.path()).unwrap().keyed_hash("x", &[]), a);
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        let refused = Keys::load(None, Some(&file), data.path()).err().expect("refused");
        assert!(matches!(refused, SecretError::Exposed { mode: 0o644, .. }), "{refused}");
        assert!(!refused.to_string().contains(&hex::encode(&a)), "the message carries no key material");
    }

    #[test]
    fn tokens_carry_at_least_72_bits_and_codes_are_six_digits() {
        assert!(new_token().len() * 6 >= 72);
        assert_eq!(new_code().as_str().len(), 6);
    }
}
