//! `cargo xtask size`: what a phone downloads on first load, raw and compressed.
//! Compressed with Debian's `gzip -9` and `brotli -q 11`, as a server or CDN would.

use crate::cmd::Cmd;
use crate::{build, setup, Result};
use std::path::{Path, PathBuf};

const FIRST_LOAD: &[&str] = &["html", "css", "js", "wasm"];

pub fn size() -> Result<()> {
    setup::setup()?;
    build::spa()?;
    let mut files = Vec::new();
    collect(Path::new("dist"), &mut files)?;
    files.sort();
    println!();
    println!("{:<48}  {:>10}  {:>10}  {:>10}", "file (first load)", "raw", "gzip -9", "brotli");
    let mut total = [0u64; 3];
    for file in &files {
        let sizes = [
            std::fs::metadata(file).map_err(|e| format!("{}: {e}", file.display()))?.len(),
            compressed(Cmd::new("gzip").args(["-9", "-c"]).args([file]))?,
            compressed(Cmd::new("brotli").args(["-q", "11", "-c"]).args([file]))?,
        ];
        for (sum, size) in total.iter_mut().zip(sizes) {
            *sum += size;
        }
        let name = file.strip_prefix("dist").unwrap_or(file).display().to_string();
        println!("{name:<48}  {:>10}  {:>10}  {:>10}", kb(sizes[0]), kb(sizes[1]), kb(sizes[2]));
    }
    println!("{:<48}  {:>10}  {:>10}  {:>10}", "total", kb(total[0]), kb(total[1]), kb(total[2]));
    Ok(())
}

/// Every first-load file under `dir` (trunk may put JS snippets in subfolders).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|ext| FIRST_LOAD.iter().any(|f| ext == *f)) {
            files.push(path);
        }
    }
    Ok(())
}

fn compressed(cmd: Cmd) -> Result<u64> {
    let out = cmd.read_bytes().ok_or("compressing failed (are gzip and brotli installed?)")?;
    Ok(out.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
