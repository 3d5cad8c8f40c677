//! Where things are and which versions are pinned: the repository layout and the lock files.

use crate::Result;
use std::path::{Path, PathBuf};

/// Trunk 0.22 needs a newer rustc than this project's toolchain; Trunk.toml's
/// `trunk-version` says the same.
pub const TRUNK_VERSION: &str = "0.21.14";

/// cargo-fuzz, installed by `cargo xtask fuzz` when missing (not by setup: only fuzzing needs it).
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Python packages the tests run, installed by setup into the venv at [`PYTHON_VENV`], each at an
/// exact version. standardwebhooks: the server tests verify a real webhook delivery with it.
/// schemathesis: `cargo xtask test` fuzzes the API with it from the served OpenAPI document.
pub const PYTHON_PACKAGES: &[(&str, &str)] = &[("standardwebhooks", "1.1.0"), ("schemathesis", "4.32.5")];

/// The project's Python venv (the server tests find it here too).
pub const PYTHON_VENV: &str = ".venv";

/// Debian's Chromium and its WebDriver; tests never download a browser of their own.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Debian's nginx (package nginx-light), the cluster's load balancer; /usr/sbin may be off PATH.
pub const NGINX: &str = "/usr/sbin/nginx";

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits inside the repository").to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// The optimised server binary that `run` starts and the end-to-end tests drive.
pub fn server_binary() -> PathBuf {
    target_dir().join("server").join("beian-verify-server")
}

/// Work from the repository root, and put the tools setup installs first on PATH:
/// npm's `wasm-opt` (binaryen) before any system one, then cargo-installed binaries.
/// Done once, before any thread or child process exists.
pub fn enter_root_with_tool_path() {
    let root = root();
    std::env::set_current_dir(&root).expect("the repository root is readable");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let mut paths = vec![root.join("e2e/node_modules/.bin")];
    paths.extend(cargo_home.map(|home| home.join("bin")));
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let joined = std::env::join_paths(paths).expect("PATH entries contain no separator");
    std::env::set_var("PATH", joined);
}

/// The one version of `package` in Cargo.lock (wasm-bindgen-cli must equal wasm-bindgen).
pub fn locked_version(package: &str) -> Result<String> {
    let lock = read("Cargo.lock")?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    let mut versions = Vec::new();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines.next().and_then(|l| quoted_value(l, "version")) {
                versions.push(version);
            }
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{package}` package")),
        many => Err(format!("Cargo.lock has several `{package}` versions: {many:?}")),
    }
}

/// A `key = "value"` setting from Trunk.toml's `[tools]` table.
pub fn trunk_tool_pin(key: &str) -> Result<String> {
    let config = read("Trunk.toml")?;
    let mut in_tools = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_tools = line == "[tools]";
        } else if in_tools {
            if let Some(value) = quoted_value(line, key) {
                return Ok(value);
            }
        }
    }
    Err(format!("Trunk.toml has no `{key}` in [tools]"))
}

/// The value of a `key = "value"` line, if the line is that.
fn quoted_value(line: &str, key: &str) -> Option<String> {
    let (k, v) = line.split_once('=')?;
    (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
}

fn read(relative: &str) -> Result<String> {
    std::fs::read_to_string(root().join(relative)).map_err(|e| format!("reading {relative}: {e}"))
}

/// `command -v`: the first executable called `name` on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_setting_is_read_only_for_its_own_key() {
        assert_eq!(quoted_value(r#"wasm_bindgen = "0.2.130""#, "wasm_bindgen"), Some("0.2.130".into()));
        assert_eq!(quoted_value(r#"wasm_opt = "version_132""#, "wasm_bindgen"), None);
    }

    #[test]
    fn the_lock_file_pins_one_wasm_bindgen() {
        assert!(locked_version("wasm-bindgen").is_ok_and(|v| v.starts_with("0.2.")));
    }
}
