//! `cargo xtask bench`: which benchmarks exist and how to run them.

use crate::Result;

pub fn bench() -> Result<()> {
    let mut found = false;
    for package in ["server", "protocol", "."] {
        let Ok(entries) = std::fs::read_dir(format!("{package}/benches")) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".rs").map(str::to_string))
            .collect();
        names.sort();
        for name in names {
            found = true;
            println!(
                "{package}/benches/{name}.rs  ->  cargo bench --manifest-path {package}/Cargo.toml --bench {name}"
            );
        }
    }
    if !found {
        println!("no benchmarks yet (server/benches/ will hold the check benchmark)");
    }
    Ok(())
}
