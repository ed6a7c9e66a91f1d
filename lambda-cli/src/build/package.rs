//! The deployment zip: deterministic (fixed timestamps, fixed order, fixed modes), so the same
//! binary always gives the same bytes and the same code SHA-256 in Lambda.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The mode of executables and directories in the zip (Lambda needs the executable bit).
pub(crate) const EXECUTABLE_MODE: u32 = 0o755;

/// A function zip: `bootstrap` at the root.
pub(crate) fn function_zip(bootstrap: &[u8]) -> Result<Vec<u8>, zip::result::ZipError> {
    write_zip(&[], &[("bootstrap", bootstrap)])
}

/// A layer zip for an external extension: `extensions/NAME` (unpacked into /opt).
pub(crate) fn extension_zip(name: &str, binary: &[u8]) -> Result<Vec<u8>, zip::result::ZipError> {
    let path = format!("extensions/{name}");
    write_zip(&["extensions/"], &[(path.as_str(), binary)])
}

/// Writes the directories, then the files (all mode 0755, dated 1980-01-01 00:00, deflated).
fn write_zip(
    directories: &[&str],
    files: &[(&str, &[u8])],
) -> Result<Vec<u8>, zip::result::ZipError> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(EXECUTABLE_MODE)
        .large_file(false);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for directory in directories {
        writer.add_directory(*directory, options)?;
    }
    for (name, bytes) in files {
        writer.start_file(*name, options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// One entry read back: name, mode, directory or not, contents, timestamp.
    struct Entry {
        name: String,
        mode: u32,
        is_dir: bool,
        bytes: Vec<u8>,
        modified: String,
    }

    fn entries(zip: &[u8]) -> Vec<Entry> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).unwrap();
                Entry {
                    name: file.name().to_string(),
                    mode: file.unix_mode().unwrap(),
                    is_dir: file.is_dir(),
                    bytes,
                    modified: file.last_modified().unwrap().to_string(),
                }
            })
            .collect()
    }

    #[test]
    fn function_zip_holds_an_executable_bootstrap_at_the_root() {
        let binary = b"\x7fELF pretend binary".repeat(100);
        let zip = function_zip(&binary).unwrap();
        let entries = entries(&zip);
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.name, "bootstrap");
        assert_eq!(entry.mode & 0o777, 0o755);
        assert!(!entry.is_dir);
        assert_eq!(entry.bytes, binary);
        assert_eq!(entry.modified, "1980-01-01 00:00:00");
        assert!(zip.len() < binary.len(), "deflated");
    }

    #[test]
    fn extension_zip_holds_extensions_name() {
        let zip = extension_zip("telemetry-forwarder", b"binary").unwrap();
        let entries = entries(&zip);
        let names: Vec<_> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.is_dir))
            .collect();
        assert_eq!(
            names,
            [
                ("extensions/", true),
                ("extensions/telemetry-forwarder", false)
            ]
        );
        for entry in &entries {
            assert_eq!(entry.mode & 0o777, 0o755, "{}", entry.name);
        }
        assert_eq!(entries[1].bytes, b"binary");
    }

    #[test]
    fn the_same_binary_gives_byte_identical_zips() {
        let binary = (0..200_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>();
        let first = function_zip(&binary).unwrap();
        // A later second, so a timestamp taken from the clock would show.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = function_zip(&binary).unwrap();
        assert!(first == second, "zips differ");
        assert_eq!(
            extension_zip("x", &binary).unwrap(),
            extension_zip("x", &binary).unwrap()
        );
    }
}
