//! `lambda-rs build`: a `bootstrap` (or an extension) that runs on provided.al2 / provided.al2023,
//! checked, named, and optionally zipped for deployment.
//!
//! The steps: find the package and binary (cargo metadata), choose the target triple and the
//! linker ([`toolchain`]), run `cargo build`, read the artifact path from cargo's JSON messages,
//! check the ELF against the runtime ([`elf`]), copy it to
//! `TARGET_DIR/lambda/ARCH/NAME/bootstrap` (or `.../extensions/NAME`), zip it ([`package`]) and
//! print the AWS CLI commands ([`deploy`]). The last line on stdout is the artifact's path.

mod deploy;
mod elf;
mod package;
mod target;
mod toolchain;

use std::ffi::OsString;
use std::fmt;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use cargo_metadata::{Message, Metadata, MetadataCommand, Package, TargetKind};

use crate::cli::BuildArgs;
use elf::{ElfError, ElfInfo};
use target::{Arch, Target};
use toolchain::{ToolError, Zig};

/// Lambda's limit for a zip uploaded directly (50 MB).
const MAX_ZIP_BYTES: u64 = 50 * 1024 * 1024;
/// Lambda's limit for the unzipped function and its layers (250 MB).
const MAX_UNZIPPED_BYTES: u64 = 250 * 1024 * 1024;

/// Why a build did not produce an artifact.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// `cargo metadata` failed (no Cargo.toml here, a broken manifest).
    Metadata(cargo_metadata::Error),
    /// No package was named and the workspace has several with binaries.
    ChoosePackage(Vec<String>),
    /// `-p NAME` is not a workspace member.
    UnknownPackage { name: String, known: Vec<String> },
    /// The package has no binary target.
    NoBinary { package: String },
    /// The package has several binaries and none was named.
    ChooseBinary { package: String, bins: Vec<String> },
    /// `--bin NAME` is not one of the package's binaries.
    UnknownBinary {
        package: String,
        name: String,
        bins: Vec<String>,
    },
    /// This tool runs on an architecture Lambda does not have, and no --arm64 was given.
    UnsupportedHost,
    /// A tool is missing.
    Tool(ToolError),
    /// cargo could not be started.
    CargoSpawn(std::io::Error),
    /// `cargo build` failed (its errors are above).
    CargoFailed(std::process::ExitStatus),
    /// cargo succeeded without reporting the binary.
    NoArtifact { bin: String },
    /// The binary will not run on the runtime.
    Elf(ElfError),
    /// A file could not be read or written.
    Io {
        action: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
    /// The zip could not be written.
    Zip(zip::result::ZipError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Metadata(error) => write!(
                f,
                "cannot read the cargo workspace ({error}); run this in a crate or pass --manifest-path"
            ),
            BuildError::ChoosePackage(names) => write!(
                f,
                "the workspace has several packages with binaries ({}): choose one with -p NAME",
                names.join(", ")
            ),
            BuildError::UnknownPackage { name, known } => write!(
                f,
                "no package `{name}` in this workspace (packages: {})",
                known.join(", ")
            ),
            BuildError::NoBinary { package } => write!(
                f,
                "package `{package}` has no binary target: a function needs a `src/main.rs` or a [[bin]]"
            ),
            BuildError::ChooseBinary { package, bins } => write!(
                f,
                "package `{package}` has several binaries ({}): choose one with --bin NAME",
                bins.join(", ")
            ),
            BuildError::UnknownBinary { package, name, bins } => write!(
                f,
                "package `{package}` has no binary `{name}` (binaries: {})",
                bins.join(", ")
            ),
            BuildError::UnsupportedHost => f.write_str(
                "this machine is neither x86_64 nor aarch64: pass --arm64 to cross-build for Graviton",
            ),
            BuildError::Tool(error) => error.fmt(f),
            BuildError::CargoSpawn(error) => {
                write!(f, "cannot run cargo: {error} (is it on PATH?)")
            }
            BuildError::CargoFailed(status) => {
                write!(f, "cargo build failed ({status}); its errors are above")
            }
            BuildError::NoArtifact { bin } => write!(
                f,
                "cargo did not report an executable for `{bin}`; are the cargo arguments after -- \
                 changing what is built?"
            ),
            BuildError::Elf(error) => error.fmt(f),
            BuildError::Io {
                action,
                path,
                error,
            } => write!(f, "cannot {action} {}: {error}", path.display()),
            BuildError::Zip(error) => write!(f, "cannot write the zip: {error}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Runs `lambda-rs build`.
pub(crate) fn run(args: BuildArgs) -> ExitCode {
    match build(&args) {
        Ok(artifact) => {
            println!("{}", artifact.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lambda-rs build: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The package and binary to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    pub(crate) package: String,
    pub(crate) bin: String,
    /// The package's directory (where its Cargo.toml is).
    pub(crate) dir: PathBuf,
}

/// Which package and binary to build, as the user named them (`build` and `watch`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Wanted<'a> {
    pub(crate) package: Option<&'a str>,
    pub(crate) bin: Option<&'a str>,
    pub(crate) manifest_path: Option<&'a Path>,
}

impl<'a> From<&'a BuildArgs> for Wanted<'a> {
    fn from(args: &'a BuildArgs) -> Self {
        Wanted {
            package: args.package.as_deref(),
            bin: args.bin.as_deref(),
            manifest_path: args.manifest_path.as_deref(),
        }
    }
}

/// Reads the workspace with `cargo metadata` and chooses the package and binary.
pub(crate) fn locate(wanted: Wanted<'_>) -> Result<(Metadata, Selection), BuildError> {
    let mut metadata = MetadataCommand::new();
    metadata.no_deps();
    if let Some(cargo) = std::env::var_os("CARGO") {
        metadata.cargo_path(cargo);
    }
    if let Some(manifest) = wanted.manifest_path {
        metadata.manifest_path(manifest);
    }
    let metadata = metadata.exec().map_err(BuildError::Metadata)?;
    let selection = select(&metadata, wanted)?;
    Ok((metadata, selection))
}

fn build(args: &BuildArgs) -> Result<PathBuf, BuildError> {
    let arch = if args.arm64 {
        Arch::Arm64
    } else {
        Arch::host().ok_or(BuildError::UnsupportedHost)?
    };
    let target = Target {
        arch,
        runtime: args.runtime,
        static_musl: args.static_musl,
    };
    let (metadata, selection) = locate(Wanted::from(args))?;
    let target_dir = args
        .target_dir
        .clone()
        .unwrap_or_else(|| metadata.target_directory.clone().into_std_path_buf());

    let triple = target.triple();
    toolchain::check_target_installed(&triple).map_err(BuildError::Tool)?;
    let zig = Zig::find();
    let linking = toolchain::linking(target, zig.as_ref(), &target_dir.join("lambda/linkers"))
        .map_err(BuildError::Tool)?;
    eprintln!(
        "lambda-rs: building `{}` for {} (target {triple}, linked by {})",
        selection.bin,
        target.describe(),
        linking.linker
    );

    let executable = cargo_build(args, &selection, &triple, &target_dir, &linking.env)?;
    let bytes = std::fs::read(&executable).map_err(|error| BuildError::Io {
        action: "read the built binary",
        path: executable.clone(),
        error,
    })?;
    let info = ElfInfo::read(&bytes).map_err(BuildError::Elf)?;
    info.check(target).map_err(BuildError::Elf)?;
    for library in info.foreign_libraries() {
        eprintln!(
            "lambda-rs: warning: the binary needs {library}, which Lambda's runtime images do not \
             have: ship it in the zip or a layer, or use a pure-Rust crate instead"
        );
    }

    let out_dir = target_dir
        .join("lambda")
        .join(arch.aws_name())
        .join(&selection.bin);
    let installed = if args.extension {
        out_dir.join("extensions").join(&selection.bin)
    } else {
        out_dir.join("bootstrap")
    };
    write_file(&installed, &bytes, true)?;
    eprintln!(
        "lambda-rs: {} ({} bytes; {}, {})",
        installed.display(),
        bytes.len(),
        arch,
        info.describe()
    );
    if bytes.len() as u64 > MAX_UNZIPPED_BYTES {
        eprintln!("lambda-rs: warning: over Lambda's 250 MB limit for unzipped code");
    }
    if !args.zip {
        return Ok(installed);
    }

    let (zip, kind) = if args.extension {
        (
            package::extension_zip(&selection.bin, &bytes).map_err(BuildError::Zip)?,
            deploy::Kind::Extension,
        )
    } else {
        (
            package::function_zip(&bytes).map_err(BuildError::Zip)?,
            deploy::Kind::Function,
        )
    };
    let zip_path = out_dir.join(if args.extension {
        "extension.zip"
    } else {
        "bootstrap.zip"
    });
    write_file(&zip_path, &zip, false)?;
    eprintln!(
        "lambda-rs: {} ({} bytes zipped)",
        zip_path.display(),
        zip.len()
    );
    if zip.len() as u64 > MAX_ZIP_BYTES {
        eprintln!(
            "lambda-rs: warning: over Lambda's 50 MB limit for a direct upload: upload it to S3 \
             and use --code S3Bucket=...,S3Key=..."
        );
    }
    eprint!(
        "{}",
        deploy::commands(kind, &selection.bin, target, &zip_path)
    );
    Ok(zip_path)
}

/// Chooses the package (`-p`, else the one whose manifest is in the current directory, else the
/// only one with a binary) and its binary (`--bin`, else the only one).
fn select(metadata: &Metadata, args: Wanted<'_>) -> Result<Selection, BuildError> {
    let members = metadata.workspace_packages();
    let package = match &args.package {
        Some(name) => members
            .iter()
            .find(|package| package.name.as_str() == *name)
            .copied()
            .ok_or_else(|| BuildError::UnknownPackage {
                name: name.to_string(),
                known: members.iter().map(|p| p.name.to_string()).collect(),
            })?,
        None => {
            let here = match args.manifest_path {
                Some(path) => std::fs::canonicalize(path).ok(),
                None => std::env::current_dir()
                    .ok()
                    .and_then(|dir| std::fs::canonicalize(dir.join("Cargo.toml")).ok()),
            };
            let current = members.iter().find(|package| {
                std::fs::canonicalize(&package.manifest_path).ok() == here && here.is_some()
            });
            match current {
                Some(package) => *package,
                None => {
                    let candidates: Vec<&Package> = members
                        .iter()
                        .filter(|package| bins(package).next().is_some())
                        .copied()
                        .collect();
                    match candidates.as_slice() {
                        [only] => *only,
                        _ => {
                            return Err(BuildError::ChoosePackage(
                                candidates.iter().map(|p| p.name.to_string()).collect(),
                            ))
                        }
                    }
                }
            }
        }
    };
    let names: Vec<String> = bins(package).map(|target| target.name.clone()).collect();
    let bin = match args.bin {
        Some(name) if names.iter().any(|known| known == name) => name.to_owned(),
        Some(name) => {
            return Err(BuildError::UnknownBinary {
                package: package.name.to_string(),
                name: name.to_owned(),
                bins: names,
            })
        }
        None => match names.as_slice() {
            [only] => only.clone(),
            [] => {
                return Err(BuildError::NoBinary {
                    package: package.name.to_string(),
                })
            }
            _ => {
                return Err(BuildError::ChooseBinary {
                    package: package.name.to_string(),
                    bins: names,
                })
            }
        },
    };
    Ok(Selection {
        package: package.name.to_string(),
        bin,
        dir: package
            .manifest_path
            .parent()
            .map(|dir| dir.as_std_path().to_path_buf())
            .unwrap_or_default(),
    })
}

fn bins(package: &Package) -> impl Iterator<Item = &cargo_metadata::Target> {
    package
        .targets
        .iter()
        .filter(|target| target.kind.contains(&TargetKind::Bin))
}

/// Runs `cargo build` and returns the executable it reports.
fn cargo_build(
    args: &BuildArgs,
    selection: &Selection,
    triple: &str,
    target_dir: &Path,
    env: &[(String, OsString)],
) -> Result<PathBuf, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .args(["--profile", &args.profile])
        .args(["--target", triple])
        .args(["-p", &selection.package])
        .args(["--bin", &selection.bin])
        .arg("--message-format=json-render-diagnostics")
        .arg("--target-dir")
        .arg(target_dir);
    for features in &args.features {
        command.args(["--features", features]);
    }
    if args.no_default_features {
        command.arg("--no-default-features");
    }
    if let Some(manifest) = &args.manifest_path {
        command.arg("--manifest-path").arg(manifest);
    }
    command.args(&args.cargo_args);
    command.envs(env.iter().map(|(key, value)| (key, value)));
    command.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = command.spawn().map_err(BuildError::CargoSpawn)?;
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        for message in Message::parse_stream(BufReader::new(stdout)).flatten() {
            if let Message::CompilerArtifact(artifact) = message {
                if artifact.target.name == selection.bin
                    && artifact.target.kind.contains(&TargetKind::Bin)
                {
                    executable = artifact.executable.map(|path| path.into_std_path_buf());
                }
            }
        }
    }
    let status = child.wait().map_err(BuildError::CargoSpawn)?;
    if !status.success() {
        return Err(BuildError::CargoFailed(status));
    }
    executable.ok_or_else(|| BuildError::NoArtifact {
        bin: selection.bin.clone(),
    })
}

/// Writes `bytes` to `path` (parents created), mode 0755 when `executable`.
fn write_file(path: &Path, bytes: &[u8], executable: bool) -> Result<(), BuildError> {
    let wrap = |action| {
        move |error| BuildError::Io {
            action,
            path: path.to_path_buf(),
            error,
        }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(wrap("create the directory of"))?;
    }
    std::fs::write(path, bytes).map_err(wrap("write"))?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(wrap("make executable"))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(line: &[&str]) -> BuildArgs {
        let cli = crate::cli::Cli::try_parse_from(
            ["lambda-rs", "build"].iter().chain(line.iter()).copied(),
        )
        .unwrap();
        match cli.command {
            crate::cli::Command::Build(args) => args,
            _ => unreachable!(),
        }
    }

    fn workspace_metadata() -> Metadata {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        MetadataCommand::new()
            .no_deps()
            .manifest_path(manifest)
            .exec()
            .unwrap()
    }

    #[test]
    fn package_and_binary_are_chosen_or_the_choices_are_listed() {
        let metadata = workspace_metadata();
        let chosen = select(&metadata, Wanted::from(&args(&["-p", "lambda-cli"]))).unwrap();
        assert_eq!(
            (chosen.package.as_str(), chosen.bin.as_str()),
            ("lambda-cli", "lambda-rs")
        );

        let chosen = select(
            &metadata,
            Wanted::from(&args(&["-p", "benches", "--bin", "ours-echo"])),
        )
        .unwrap();
        assert_eq!(chosen.bin, "ours-echo");

        let error = select(&metadata, Wanted::from(&args(&["-p", "benches"]))).unwrap_err();
        assert!(
            matches!(&error, BuildError::ChooseBinary { bins, .. } if bins.contains(&"ours-echo".to_string()))
        );
        assert!(
            error.to_string().contains("choose one with --bin NAME"),
            "{error}"
        );

        let error = select(&metadata, Wanted::from(&args(&["-p", "nosuch"]))).unwrap_err();
        assert!(matches!(error, BuildError::UnknownPackage { .. }));
        assert!(error.to_string().contains("lambda-runtime"), "{error}");

        let error = select(
            &metadata,
            Wanted::from(&args(&["-p", "benches", "--bin", "nosuch"])),
        )
        .unwrap_err();
        assert!(matches!(error, BuildError::UnknownBinary { .. }), "{error}");

        let error = select(&metadata, Wanted::from(&args(&["-p", "lambda-events"]))).unwrap_err();
        assert!(matches!(error, BuildError::NoBinary { .. }), "{error}");
    }
}
