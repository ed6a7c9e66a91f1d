//! What a build is for: the architecture, the Lambda runtime and its glibc, and the Rust target
//! triple that follows from them.

use std::fmt;

use crate::cli::Runtime;

/// A Lambda architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arch {
    /// `x86_64`.
    X86_64,
    /// `arm64` (Graviton; Rust's `aarch64`).
    Arm64,
}

impl Arch {
    /// The architecture this tool runs on, when Lambda has it.
    pub(crate) fn host() -> Option<Arch> {
        if cfg!(target_arch = "x86_64") {
            Some(Arch::X86_64)
        } else if cfg!(target_arch = "aarch64") {
            Some(Arch::Arm64)
        } else {
            None
        }
    }

    /// The name AWS uses (`--architectures`).
    pub(crate) fn aws_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    /// The name Rust, zig and ELF tools use.
    pub(crate) fn rust_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "aarch64",
        }
    }

    /// The program interpreter (dynamic loader) glibc binaries of this architecture name.
    pub(crate) fn glibc_interpreter(self) -> &'static str {
        match self {
            Arch::X86_64 => "/lib64/ld-linux-x86-64.so.2",
            Arch::Arm64 => "/lib/ld-linux-aarch64.so.1",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.aws_name())
    }
}

/// A glibc version, as in the `GLIBC_2.26` symbol versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GlibcVersion {
    pub(crate) major: u32,
    pub(crate) minor: u32,
}

impl GlibcVersion {
    /// Parses a symbol version name such as `GLIBC_2.17` or `GLIBC_2.2.5` (the patch level is
    /// ignored); `None` for other names (`GLIBC_PRIVATE`, `GCC_3.0`).
    pub(crate) fn from_symbol_version(name: &str) -> Option<GlibcVersion> {
        let mut parts = name.strip_prefix("GLIBC_")?.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(GlibcVersion { major, minor })
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Runtime {
    /// The name AWS uses (`--runtime`, `--compatible-runtimes`).
    pub(crate) fn aws_name(self) -> &'static str {
        match self {
            Runtime::Al2 => "provided.al2",
            Runtime::Al2023 => "provided.al2023",
        }
    }

    /// The glibc the runtime ships: a binary may need no newer one.
    pub(crate) fn glibc(self) -> GlibcVersion {
        match self {
            Runtime::Al2 => GlibcVersion {
                major: 2,
                minor: 26,
            },
            Runtime::Al2023 => GlibcVersion {
                major: 2,
                minor: 34,
            },
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.aws_name())
    }
}

/// What a build produces a binary for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) arch: Arch,
    pub(crate) runtime: Runtime,
    /// Static musl instead of glibc.
    pub(crate) static_musl: bool,
}

impl Target {
    /// The Rust target triple.
    pub(crate) fn triple(&self) -> String {
        let libc = if self.static_musl { "musl" } else { "gnu" };
        format!("{}-unknown-linux-{libc}", self.arch.rust_name())
    }

    /// The target zig links for: glibc pinned to the runtime's version, or musl.
    pub(crate) fn zig_target(&self) -> String {
        if self.static_musl {
            format!("{}-linux-musl", self.arch.rust_name())
        } else {
            format!(
                "{}-linux-gnu.{}",
                self.arch.rust_name(),
                self.runtime.glibc()
            )
        }
    }

    /// The variable cargo reads the linker from for this target
    /// (`CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER`).
    pub(crate) fn linker_variable(&self) -> String {
        format!(
            "CARGO_TARGET_{}_LINKER",
            self.triple().to_uppercase().replace('-', "_")
        )
    }

    /// A short description for messages: `arm64, glibc <= 2.26 (provided.al2)`.
    pub(crate) fn describe(&self) -> String {
        if self.static_musl {
            format!("{}, static musl", self.arch)
        } else {
            format!(
                "{}, glibc <= {} ({})",
                self.arch,
                self.runtime.glibc(),
                self.runtime
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_and_zig_targets_follow_arch_runtime_and_libc() {
        let al2_arm = Target {
            arch: Arch::Arm64,
            runtime: Runtime::Al2,
            static_musl: false,
        };
        assert_eq!(al2_arm.triple(), "aarch64-unknown-linux-gnu");
        assert_eq!(al2_arm.zig_target(), "aarch64-linux-gnu.2.26");
        assert_eq!(
            al2_arm.linker_variable(),
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER"
        );
        let musl = Target {
            arch: Arch::X86_64,
            runtime: Runtime::Al2023,
            static_musl: true,
        };
        assert_eq!(musl.triple(), "x86_64-unknown-linux-musl");
        assert_eq!(musl.zig_target(), "x86_64-linux-musl");
        let al2023 = Target {
            static_musl: false,
            ..musl
        };
        assert_eq!(al2023.zig_target(), "x86_64-linux-gnu.2.34");
    }

    #[test]
    fn glibc_symbol_versions_parse_and_order() {
        let v = GlibcVersion::from_symbol_version;
        assert_eq!(v("GLIBC_2.2.5"), Some(GlibcVersion { major: 2, minor: 2 }));
        assert!(v("GLIBC_2.34") > v("GLIBC_2.26"));
        assert!(v("GLIBC_2.9") < v("GLIBC_2.17"));
        assert_eq!(v("GLIBC_PRIVATE"), None);
        assert_eq!(v("GCC_3.0"), None);
        assert_eq!(Runtime::Al2.glibc().to_string(), "2.26");
        assert_eq!(Runtime::Al2023.glibc().to_string(), "2.34");
    }
}
