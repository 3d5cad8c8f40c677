//! `cargo xtask size`: what a phone downloads, raw and compressed: the first load (everything `/`
//! fetches before it is idle, without any interaction), then what each other page adds.
//! Compressed with Debian's `gzip -9` and `brotli -q 11`, as the build does for the server.

use crate::cmd::Cmd;
use crate::{build, setup, Result};
use std::path::{Path, PathBuf};

/// The first load: the page (CSS inlined), the loader's JS glue and the wasm (and any JS snippet
/// beside it), and the icon the browser asks for.
const FIRST_LOAD: &[&str] = &["html", "js", "wasm", "svg"];

pub fn size() -> Result<()> {
    setup::setup()?;
    build::spa()?;
    let mut files = Vec::new();
    collect(Path::new("dist"), &mut files)?;
    files.retain(|file| file.extension().is_some_and(|ext| FIRST_LOAD.iter().any(|f| ext == *f)));
    files.sort();
    println!();
    println!("{:<48}  {:>10}  {:>10}  {:>10}", "first load (/)", "raw", "gzip -9", "brotli");
    let mut total = [0u64; 3];
    for file in &files {
        let sizes = sizes(file)?;
        for (sum, size) in total.iter_mut().zip(sizes) {
            *sum += size;
        }
        row(&file.strip_prefix("dist").unwrap_or(file).display().to_string(), sizes);
    }
    row("total", total);

    println!();
    let css = sizes(Path::new("dist/app.css"))?;
    let without_script = format!("the page itself (no JS, no wasm) + /app.css: {} brotli", kb(css[2]));
    let extras = [
        ("page", "adds to the first load".to_string()),
        ("/v/<token>", "GET /api/v1/links/<token> (JSON, under 1 KB)".into()),
        ("/help", "GET /api/v1/senders (JSON, under 1 KB)".into()),
        ("/help.html, a refused form (without script)", without_script),
    ];
    for (page, extra) in extras {
        println!("{page:<48}  {extra}");
    }
    Ok(())
}

fn row(name: &str, sizes: [u64; 3]) {
    println!("{name:<48}  {:>10}  {:>10}  {:>10}", kb(sizes[0]), kb(sizes[1]), kb(sizes[2]));
}

/// Raw, gzip -9 and brotli -q 11 sizes of one file.
fn sizes(file: &Path) -> Result<[u64; 3]> {
    Ok([
        std::fs::metadata(file).map_err(|e| format!("{}: {e}", file.display()))?.len(),
        compressed(Cmd::new("gzip").args(["-9", "-c"]).args([file]))?,
        compressed(Cmd::new("brotli").args(["-q", "11", "-c"]).args([file]))?,
    ])
}

/// Every file under `dir` (trunk may put JS snippets in subfolders); not the .br/.gz copies.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
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
