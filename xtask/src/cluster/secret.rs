//! The one secret key every replica shares (codes hashed by one verify on the others): a 0600
//! file of 64 hex characters in the cluster's data directory, made once and reused after.

use crate::Result;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

const KEY_FILE: &str = "secret.key";

/// The key file in `dir`, created with a new random key if missing.
pub fn key_file(dir: &Path) -> Result<PathBuf> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) if is_key(text.trim()) => return Ok(path),
        Ok(_) => return Err(format!("{} does not hold 64 hex characters", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("reading {}: {e}", path.display())),
    }
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| format!("reading /dev/urandom: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{hex}"))
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    eprintln!("cluster: new secret key in {} (keep it: the database's hashes need it)", path.display());
    Ok(path)
}

fn is_key(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_key_is_made_once_owner_only_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("xtask-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = key_file(&dir).unwrap();
        let first = std::fs::read_to_string(&path).unwrap();
        assert!(is_key(first.trim()), "{first:?}");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(key_file(&dir).unwrap()).unwrap(), first);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
