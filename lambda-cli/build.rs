//! Embeds the sample events `lambda-events` ships (its `fixtures/`) into the binary: writes
//! `$OUT_DIR/samples.rs`, a sorted table of (kind, `include_str!` of the file), read by
//! `src/samples.rs`. Responses (file names with `response`) are not events and are left out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let fixtures = manifest_dir.join("../lambda-events/fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut samples = Vec::new();
    collect(&fixtures, &mut samples);
    samples.sort();
    let mut table = String::from(
        "/// Every sample event: (kind, JSON).\npub(crate) static SAMPLES: &[(&str, &str)] = &[\n",
    );
    for (kind, path) in &samples {
        let _ = writeln!(
            table,
            "    ({kind:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("samples.rs");
    if let Err(error) = std::fs::write(&out, table) {
        panic!("cannot write {}: {error}", out.display());
    }
}

/// `source/name.json` files under `fixtures` as (`source/name`, absolute path).
fn collect(fixtures: &Path, samples: &mut Vec<(String, PathBuf)>) {
    let Ok(sources) = std::fs::read_dir(fixtures) else {
        // Not in a checkout (a packaged crate): no samples.
        return;
    };
    for source in sources.flatten() {
        let Ok(files) = std::fs::read_dir(source.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let (Some(stem), Some("json")) = (
                path.file_stem().and_then(|s| s.to_str()),
                path.extension().and_then(|e| e.to_str()),
            ) else {
                continue;
            };
            if stem.contains("response") {
                continue;
            }
            let kind = format!("{}/{stem}", source.file_name().to_string_lossy());
            let absolute = path.canonicalize().unwrap_or(path.clone());
            samples.push((kind, absolute));
        }
    }
}
