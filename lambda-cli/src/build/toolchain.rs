//! The tools a build needs beyond cargo: the Rust target's standard library, and a linker that
//! makes a binary for the target (rust-lld for static musl, zig for glibc pinned to the
//! runtime's version), with the exact install command when one is missing.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::target::{Arch, Target};

/// How to run zig.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Zig {
    /// A `zig` executable.
    Binary(PathBuf),
    /// The PyPI `ziglang` package: `PYTHON -m ziglang`.
    Python(PathBuf),
}

impl Zig {
    /// Finds zig: `zig` on PATH, else `python3 -m ziglang` (the PyPI package, also what
    /// cargo-zigbuild uses when installed with pip).
    pub(crate) fn find() -> Option<Zig> {
        if runs(Command::new("zig").arg("version")) {
            return Some(Zig::Binary(PathBuf::from("zig")));
        }
        for python in ["python3", "python"] {
            if runs(Command::new(python).args(["-m", "ziglang", "version"])) {
                return Some(Zig::Python(PathBuf::from(python)));
            }
        }
        None
    }

    /// The shell words that start `zig`.
    fn command_words(&self) -> Vec<String> {
        match self {
            Zig::Binary(path) => vec![path.display().to_string()],
            Zig::Python(python) => vec![
                python.display().to_string(),
                "-m".to_string(),
                "ziglang".to_string(),
            ],
        }
    }
}

fn runs(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|status| status.success())
        .unwrap_or(false)
}

/// A tool the build cannot do without.
#[derive(Debug)]
pub(crate) enum ToolError {
    /// The Rust standard library for the target is not installed.
    TargetNotInstalled { triple: String },
    /// Linking for this target needs zig.
    ZigMissing { target: Target },
    /// The linker wrapper could not be written.
    Wrapper {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::TargetNotInstalled { triple } => write!(
                f,
                "the Rust target {triple} is not installed: run `rustup target add {triple}`"
            ),
            ToolError::ZigMissing { target } => write!(
                f,
                "linking {} for {} against glibc {} needs zig: run `pip install ziglang` \
                 (or put `zig` on PATH), or build a static musl binary with --static",
                target.arch,
                target.runtime,
                target.runtime.glibc()
            ),
            ToolError::Wrapper { path, error } => {
                write!(
                    f,
                    "cannot write the linker wrapper {}: {error}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for ToolError {}

/// How cargo is told to link: environment variables for `cargo build`.
#[derive(Debug, Default)]
pub(crate) struct Linking {
    /// Variables to set.
    pub(crate) env: Vec<(String, OsString)>,
    /// What links, for messages (`zig cc`, `rust-lld`, `the system linker`).
    pub(crate) linker: &'static str,
}

/// Checks that the target's standard library is installed (with rustup or not).
pub(crate) fn check_target_installed(triple: &str) -> Result<(), ToolError> {
    let sysroot = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(["--print", "sysroot"])
        .stderr(Stdio::null())
        .output();
    let Ok(output) = sysroot else {
        // No rustc to ask: cargo will say what is wrong.
        return Ok(());
    };
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let lib = Path::new(&sysroot)
        .join("lib/rustlib")
        .join(triple)
        .join("lib");
    if output.status.success() && !lib.is_dir() {
        return Err(ToolError::TargetNotInstalled {
            triple: triple.to_string(),
        });
    }
    Ok(())
}

/// Chooses the linker for `target` and writes the zig wrappers under `wrapper_dir` when zig is
/// the one.
///
/// - static musl: rust-lld with Rust's self-contained musl start files and libc (no C toolchain);
///   with zig present, C code in dependencies is compiled by `zig cc` for the target.
/// - glibc: `zig cc -target ARCH-linux-gnu.2.26` (the runtime's glibc) when zig is there; without
///   zig and on the same architecture, the system linker (the ELF check then says whether the
///   result fits the runtime); across architectures, zig is required.
pub(crate) fn linking(
    target: Target,
    zig: Option<&Zig>,
    wrapper_dir: &Path,
) -> Result<Linking, ToolError> {
    let triple = target.triple();
    let triple_env = triple.replace('-', "_");
    let mut linking = Linking::default();
    if target.static_musl {
        linking
            .env
            .push((target.linker_variable(), OsString::from("rust-lld")));
        linking.linker = "rust-lld";
        if let Some(zig) = zig {
            let (cc, ar) = write_wrappers(zig, target, wrapper_dir)?;
            linking.env.push((format!("CC_{triple_env}"), cc.into()));
            linking.env.push((format!("AR_{triple_env}"), ar.into()));
        }
        return Ok(linking);
    }
    match zig {
        Some(zig) => {
            let (cc, ar) = write_wrappers(zig, target, wrapper_dir)?;
            linking
                .env
                .push((target.linker_variable(), cc.clone().into()));
            linking.env.push((format!("CC_{triple_env}"), cc.into()));
            linking.env.push((format!("AR_{triple_env}"), ar.into()));
            linking.linker = "zig cc";
            Ok(linking)
        }
        None if Some(target.arch) == Arch::host() => {
            linking.linker = "the system linker";
            Ok(linking)
        }
        None => Err(ToolError::ZigMissing { target }),
    }
}

/// Writes `zig-cc-TARGET` and `zig-ar-TARGET` shell wrappers (cargo and the cc crate take one
/// program path, not `python3 -m ziglang cc -target ...`). The cc wrapper drops `--target=`,
/// which the cc crate passes for clang-like compilers and which would contradict `-target`.
fn write_wrappers(zig: &Zig, target: Target, dir: &Path) -> Result<(PathBuf, PathBuf), ToolError> {
    let zig_target = target.zig_target();
    let zig_words = zig
        .command_words()
        .iter()
        .map(|word| shell_quote(word))
        .collect::<Vec<_>>()
        .join(" ");
    let cc = dir.join(format!("zig-cc-{zig_target}"));
    let ar = dir.join(format!("zig-ar-{zig_target}"));
    let cc_script = format!(
        "#!/bin/sh\n\
         # Written by `lambda-rs build`: compiles and links for {zig_target} with zig.\n\
         for arg do\n  shift\n  case \"$arg\" in\n    --target=*) ;;\n    *) set -- \"$@\" \"$arg\" ;;\n  esac\ndone\n\
         exec {zig_words} cc -target {zig_target} \"$@\"\n"
    );
    let ar_script = format!(
        "#!/bin/sh\n\
         # Written by `lambda-rs build`: archives for {zig_target} with zig.\n\
         exec {zig_words} ar \"$@\"\n"
    );
    write_executable(&cc, &cc_script)?;
    write_executable(&ar, &ar_script)?;
    Ok((cc, ar))
}

fn write_executable(path: &Path, text: &str) -> Result<(), ToolError> {
    let wrap = |error| ToolError::Wrapper {
        path: path.to_path_buf(),
        error,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(wrap)?;
    }
    // Rewrite only when different: parallel builds may be running the current one.
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, text).map_err(wrap)?;
        set_executable(&temporary).map_err(wrap)?;
        std::fs::rename(&temporary, path).map_err(wrap)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Runtime;

    fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lambda-rs-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn glibc_with_zig_links_through_a_wrapper_pinned_to_the_runtime() {
        let dir = scratch("wrappers");
        let target = Target {
            arch: Arch::Arm64,
            runtime: Runtime::Al2,
            static_musl: false,
        };
        let zig = Zig::Python(PathBuf::from("/opt/my python/bin/python3"));
        let chosen = linking(target, Some(&zig), &dir).unwrap();
        let cc = dir.join("zig-cc-aarch64-linux-gnu.2.26");
        assert_eq!(chosen.linker, "zig cc");
        assert!(chosen.env.contains(&(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER".into(),
            cc.clone().into()
        )));
        assert!(chosen
            .env
            .contains(&("CC_aarch64_unknown_linux_gnu".into(), cc.clone().into())));
        let script = std::fs::read_to_string(&cc).unwrap();
        assert!(
            script.contains("exec '/opt/my python/bin/python3' '-m' 'ziglang' cc -target aarch64-linux-gnu.2.26 \"$@\""),
            "{script}"
        );
        // The wrapper really drops --target= and passes the rest (run it with `echo` as zig).
        let echo = Zig::Binary(PathBuf::from("echo"));
        linking(target, Some(&echo), &dir).unwrap();
        let output = Command::new(&cc)
            .args([
                "--target=aarch64-unknown-linux-gnu",
                "-o",
                "out file",
                "a.o",
            ])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "cc -target aarch64-linux-gnu.2.26 -o out file a.o\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn static_musl_links_with_rust_lld_and_needs_no_zig() {
        let target = Target {
            arch: Arch::Arm64,
            runtime: Runtime::Al2023,
            static_musl: true,
        };
        let chosen = linking(target, None, Path::new("/nonexistent")).unwrap();
        assert_eq!(
            chosen.env,
            [(
                "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER".to_string(),
                OsString::from("rust-lld")
            )]
        );
    }

    #[test]
    fn cross_glibc_without_zig_says_how_to_install_it() {
        let foreign = match Arch::host() {
            Some(Arch::X86_64) => Arch::Arm64,
            _ => Arch::X86_64,
        };
        let target = Target {
            arch: foreign,
            runtime: Runtime::Al2,
            static_musl: false,
        };
        let error = linking(target, None, Path::new("/nonexistent")).unwrap_err();
        assert!(matches!(error, ToolError::ZigMissing { .. }));
        let message = error.to_string();
        assert!(message.contains("pip install ziglang"), "{message}");
        assert!(message.contains("--static"), "{message}");
    }

    #[test]
    fn a_missing_target_names_the_rustup_command() {
        let error = check_target_installed("riscv64gc-unknown-none-elf-not-a-target").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the Rust target riscv64gc-unknown-none-elf-not-a-target is not installed: run \
             `rustup target add riscv64gc-unknown-none-elf-not-a-target`"
        );
        assert!(check_target_installed(&host_triple()).is_ok());
    }

    fn host_triple() -> String {
        let output = Command::new("rustc").arg("-vV").output().unwrap();
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("host: "))
            .unwrap()
            .to_string()
    }
}
