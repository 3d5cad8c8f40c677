//! `cargo xtask setup`: install what a fresh machine lacks, each at a pinned version, and skip
//! what is already there. Only registries: rustup, Debian's apt, crates.io, npm, PyPI.

use crate::cmd::Cmd;
use crate::project::{self, on_path, TRUNK_VERSION};
use crate::Result;
use std::ffi::OsStr;
use std::time::Instant;

/// What a step did.
enum Done {
    Skipped(String),
    Installed,
}

/// A setup step: install one thing, or say why it was skipped.
type StepFn = fn() -> Result<Done>;

/// Debian packages, each found by the command it provides (on PATH) or (a path) a file it installs.
/// fonts-noto-cjk: Chromium then draws Chinese with real glyphs, so the end-to-end tests measure
/// the layout people see (no tofu boxes of another width).
const DEBIAN: &[(&str, &str)] = &[
    ("chromium", "chromium"),
    ("chromedriver", "chromium-driver"),
    ("brotli", "brotli"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
    // `cargo xtask cluster`'s load balancer.
    (project::NGINX, "nginx-light"),
    // `python3 -m venv` for the project's venv: Debian 12's Python 3.11 without its ensurepip
    // cannot make one.
    ("/usr/lib/python3.11/ensurepip/__init__.py", "python3-venv"),
];

pub fn setup() -> Result<()> {
    let steps: [(&str, StepFn); 6] = [
        ("rustup target wasm32-unknown-unknown", wasm_target),
        ("Debian packages", debian_packages),
        ("trunk", trunk),
        ("wasm-bindgen-cli", wasm_bindgen_cli),
        ("npm ci (e2e/)", npm_ci),
        ("Python venv (.venv)", python_venv),
    ];
    for (name, step) in steps {
        let started = Instant::now();
        let done = step().map_err(|e| format!("setup: {name}: {e}"))?;
        let secs = started.elapsed().as_secs_f64();
        match done {
            Done::Skipped(why) => eprintln!("setup: {name}: skipped, {why} ({secs:.1} s)"),
            Done::Installed => eprintln!("setup: {name}: done ({secs:.1} s)"),
        }
    }
    check_trunk_pins()
}

fn wasm_target() -> Result<Done> {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .read()
        .ok_or("rustup is missing: install Rust with rustup (https://rustup.rs)")?;
    if installed.lines().any(|t| t == "wasm32-unknown-unknown") {
        return Ok(Done::Skipped("installed".into()));
    }
    Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).run()?;
    Ok(Done::Installed)
}

fn debian_packages() -> Result<Done> {
    let present = |probe: &str| match probe.starts_with('/') {
        true => std::path::Path::new(probe).exists(),
        false => on_path(probe).is_some(),
    };
    let missing: Vec<&str> = DEBIAN.iter().filter(|(probe, _)| !present(probe)).map(|(_, package)| *package).collect();
    if missing.is_empty() {
        let all: Vec<&str> = DEBIAN.iter().map(|(_, package)| *package).collect();
        return Ok(Done::Skipped(format!("{} present", all.join(", "))));
    }
    let as_root = Cmd::new("id").args(["-u"]).read().as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let cmd = if as_root { Cmd::new("apt-get").args(args) } else { Cmd::new("sudo").args(["apt-get"]).args(args) };
        cmd.env("DEBIAN_FRONTEND", "noninteractive").run()
    };
    apt(&["update"])?;
    apt(&[&["install", "-y"], missing.as_slice()].concat())?;
    Ok(Done::Installed)
}

fn trunk() -> Result<Done> {
    let want = format!("trunk {TRUNK_VERSION}");
    if Cmd::new("trunk").args(["--version"]).read().as_deref() == Some(want.as_str()) {
        return Ok(Done::Skipped(want));
    }
    eprintln!("setup: building trunk {TRUNK_VERSION} from crates.io (about 10 minutes, once)");
    Cmd::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]).run()?;
    Ok(Done::Installed)
}

/// Must equal the lock file's wasm-bindgen. Installed without `--locked`: the crate's own lock
/// names a dependency version the registry no longer serves.
fn wasm_bindgen_cli() -> Result<Done> {
    let version = project::locked_version("wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");
    let have = Cmd::new("wasm-bindgen").args(["--version"]).read();
    if have.as_deref() == Some(want.as_str()) && on_path("wasm-bindgen-test-runner").is_some() {
        return Ok(Done::Skipped(want));
    }
    Cmd::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]).run()?;
    Ok(Done::Installed)
}

/// `npm ci` from the committed lock file; skipped while node_modules matches it.
fn npm_ci() -> Result<Done> {
    if on_path("npm").is_none() {
        return Err("npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)".into());
    }
    // playwright-core needs Node 20; lighthouse 12 is the last line that runs on it.
    let node = Cmd::new("node").args(["--version"]).read().unwrap_or_default();
    let major = node.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    if major.is_none_or(|major| major < 20) {
        return Err(format!("Node.js 20 or newer is needed (found `{node}`)"));
    }
    let lock = project::root().join("e2e/package-lock.json");
    let stamp = project::root().join("e2e/node_modules/.xtask-package-lock.json");
    let wanted = std::fs::read(&lock).map_err(|e| format!("reading {}: {e}", lock.display()))?;
    if std::fs::read(&stamp).is_ok_and(|installed| installed == wanted) {
        return Ok(Done::Skipped("node_modules matches package-lock.json".into()));
    }
    Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]).dir("e2e").run()?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    Ok(Done::Installed)
}

/// The venv with [`project::PYTHON_PACKAGES`] from PyPI, made with Debian's Python; skipped
/// while the stamp of what was installed matches the pins.
fn python_venv() -> Result<Done> {
    let venv = project::root().join(project::PYTHON_VENV);
    let python = venv.join("bin/python");
    let stamp = venv.join(".xtask-packages");
    let wanted: Vec<String> =
        project::PYTHON_PACKAGES.iter().map(|(name, version)| format!("{name}=={version}")).collect();
    let wanted_text = wanted.join("\n");
    if python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|installed| installed == wanted_text) {
        return Ok(Done::Skipped(format!("{} installed", wanted.join(", "))));
    }
    if !python.exists() {
        Cmd::new("/usr/bin/python3").args([OsStr::new("-m"), OsStr::new("venv"), venv.as_os_str()]).run()?;
    }
    Cmd::new(&python.to_string_lossy())
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input"])
        .args(&wanted)
        .run()?;
    std::fs::write(&stamp, wanted_text).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    Ok(Done::Installed)
}

/// Trunk refuses tools that differ from Trunk.toml's pins; say so here, with the fix, rather
/// than halfway through a build.
fn check_trunk_pins() -> Result<()> {
    let locked = project::locked_version("wasm-bindgen")?;
    let pinned = project::trunk_tool_pin("wasm_bindgen")?;
    if pinned != locked {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has {locked}: make them equal"
        ));
    }
    let wasm_opt = project::trunk_tool_pin("wasm_opt")?;
    let have = Cmd::new("wasm-opt").args(["--version"]).read().unwrap_or_default();
    if !have.contains(&format!("({wasm_opt})")) {
        return Err(format!(
            "Trunk.toml pins wasm_opt = \"{wasm_opt}\" but the wasm-opt on PATH says `{have}`: \
             align e2e/package.json's binaryen with it"
        ));
    }
    Ok(())
}
