//! Reads a built binary's ELF headers (machine, loader, libraries, `GLIBC_*` versions) and says
//! whether it runs on the chosen Lambda runtime, before anyone uploads it.

use std::fmt;

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader};
use object::Endianness;

use super::target::{Arch, GlibcVersion, Target};

/// The libraries every Lambda runtime image has (glibc and libgcc); anything else must come in
/// the zip or a layer.
const RUNTIME_LIBRARIES: &[&str] = &[
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libutil.so.1",
    "libgcc_s.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
];

/// What a binary needs from the system that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ElfInfo {
    /// `e_machine`.
    pub(crate) machine: u16,
    /// The program interpreter (`PT_INTERP`), absent for static binaries.
    pub(crate) interpreter: Option<String>,
    /// The shared libraries it needs (`DT_NEEDED`).
    pub(crate) needed: Vec<String>,
    /// The newest `GLIBC_x.y` symbol version it needs, if any.
    pub(crate) newest_glibc: Option<GlibcVersion>,
}

/// Why a binary cannot be read or will not run on the chosen runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ElfError {
    /// Not a 64-bit ELF file (or a damaged one).
    Unreadable(String),
    /// Built for another machine.
    WrongMachine { expected: Arch, found: u16 },
    /// Dynamically linked against a loader Lambda does not have (musl's, for example).
    ForeignInterpreter { interpreter: String, arch: Arch },
    /// Needs a newer glibc than the runtime ships.
    GlibcTooNew {
        needed: GlibcVersion,
        target: Target,
    },
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElfError::Unreadable(reason) => write!(
                f,
                "the built file is not a 64-bit ELF executable ({reason}); is the target a Linux one?"
            ),
            ElfError::WrongMachine { expected, found } => write!(
                f,
                "the binary is for ELF machine {} ({found}), not {expected}: check --arm64 and any \
                 --target in the cargo arguments",
                machine_name(*found)
            ),
            ElfError::ForeignInterpreter { interpreter, arch } => write!(
                f,
                "the binary is dynamically linked with {interpreter}, which Lambda does not have \
                 (it has {}): build it static (--static) or against glibc",
                arch.glibc_interpreter()
            ),
            ElfError::GlibcTooNew { needed, target } => write!(
                f,
                "the binary needs GLIBC_{needed} but {} has glibc {}: it would fail to start there. \
                 Link against the runtime's glibc with zig (pip install ziglang, then build again), \
                 or build with --static (musl){}",
                target.runtime,
                target.runtime.glibc(),
                if needed <= &crate::cli::Runtime::Al2023.glibc() {
                    ", or choose --runtime al2023"
                } else {
                    ""
                }
            ),
        }
    }
}

impl std::error::Error for ElfError {}

fn machine_name(machine: u16) -> &'static str {
    match machine {
        elf::EM_X86_64 => "x86_64",
        elf::EM_AARCH64 => "aarch64",
        elf::EM_386 => "i386",
        elf::EM_ARM => "arm",
        elf::EM_RISCV => "riscv",
        _ => "unknown",
    }
}

fn expected_machine(arch: Arch) -> u16 {
    match arch {
        Arch::X86_64 => elf::EM_X86_64,
        Arch::Arm64 => elf::EM_AARCH64,
    }
}

impl ElfInfo {
    /// Reads the facts from the bytes of an ELF file.
    pub(crate) fn read(data: &[u8]) -> Result<ElfInfo, ElfError> {
        read(data).map_err(|error| ElfError::Unreadable(error.to_string()))
    }

    /// Whether it is statically linked (no loader, no shared libraries).
    pub(crate) fn is_static(&self) -> bool {
        self.interpreter.is_none() && self.needed.is_empty()
    }

    /// The shared libraries it needs that Lambda's runtime images do not have.
    pub(crate) fn foreign_libraries(&self) -> Vec<&str> {
        self.needed
            .iter()
            .map(String::as_str)
            .filter(|name| !RUNTIME_LIBRARIES.contains(name))
            .collect()
    }

    /// Checks that the binary starts on `target`'s architecture and runtime.
    pub(crate) fn check(&self, target: Target) -> Result<(), ElfError> {
        if self.machine != expected_machine(target.arch) {
            return Err(ElfError::WrongMachine {
                expected: target.arch,
                found: self.machine,
            });
        }
        if let Some(interpreter) = &self.interpreter {
            if interpreter != target.arch.glibc_interpreter() {
                return Err(ElfError::ForeignInterpreter {
                    interpreter: interpreter.clone(),
                    arch: target.arch,
                });
            }
        }
        match self.newest_glibc {
            Some(needed) if needed > target.runtime.glibc() => {
                Err(ElfError::GlibcTooNew { needed, target })
            }
            _ => Ok(()),
        }
    }

    /// A short description: `static` or `dynamic, glibc >= 2.17`.
    pub(crate) fn describe(&self) -> String {
        match (self.is_static(), self.newest_glibc) {
            (true, _) => "static".to_string(),
            (false, Some(version)) => format!("dynamic, needs glibc >= {version}"),
            (false, None) => "dynamic".to_string(),
        }
    }
}

fn read(data: &[u8]) -> object::read::Result<ElfInfo> {
    let header = elf::FileHeader64::<Endianness>::parse(data)?;
    let endian = header.endian()?;
    let machine = header.e_machine(endian);

    let mut interpreter = None;
    for segment in header.program_headers(endian, data)? {
        if let Some(path) = segment.interpreter(endian, data)? {
            interpreter = Some(String::from_utf8_lossy(path).into_owned());
        }
    }

    let sections = header.sections(endian, data)?;
    let mut needed = Vec::new();
    if let Some((entries, strings_index)) = sections.dynamic(endian, data)? {
        let strings = sections.strings(endian, data, strings_index)?;
        for entry in entries {
            if entry.tag32(endian) == Some(elf::DT_NEEDED) {
                if let Some(offset) = entry.val32(endian) {
                    if let Ok(name) = strings.get(offset) {
                        needed.push(String::from_utf8_lossy(name).into_owned());
                    }
                }
            }
        }
    }

    let mut newest_glibc = None;
    if let Some((mut needs, strings_index)) = sections.gnu_verneed(endian, data)? {
        let strings = sections.strings(endian, data, strings_index)?;
        while let Some((_need, mut versions)) = needs.next()? {
            while let Some(version) = versions.next()? {
                let name = String::from_utf8_lossy(version.name(endian, strings)?).into_owned();
                if let Some(version) = GlibcVersion::from_symbol_version(&name) {
                    newest_glibc = newest_glibc.max(Some(version));
                }
            }
        }
    }

    Ok(ElfInfo {
        machine,
        interpreter,
        needed,
        newest_glibc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Runtime;

    fn target(arch: Arch, runtime: Runtime) -> Target {
        Target {
            arch,
            runtime,
            static_musl: false,
        }
    }

    fn glibc(minor: u32) -> Option<GlibcVersion> {
        Some(GlibcVersion { major: 2, minor })
    }

    fn dynamic_x86(newest: Option<GlibcVersion>) -> ElfInfo {
        ElfInfo {
            machine: elf::EM_X86_64,
            interpreter: Some("/lib64/ld-linux-x86-64.so.2".into()),
            needed: vec!["libc.so.6".into(), "libgcc_s.so.1".into()],
            newest_glibc: newest,
        }
    }

    /// A 64-byte ELF64 little-endian header with no segments or sections: a "static" binary
    /// for `machine`.
    fn bare_header(machine: u16) -> Vec<u8> {
        let mut bytes = vec![0u8; 64];
        bytes[..4].copy_from_slice(b"\x7fELF");
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // little endian
        bytes[6] = 1; // EV_CURRENT
        bytes[16..18].copy_from_slice(&elf::ET_DYN.to_le_bytes());
        bytes[18..20].copy_from_slice(&machine.to_le_bytes());
        bytes[20..24].copy_from_slice(&1u32.to_le_bytes());
        bytes[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
        bytes[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
        bytes[58..60].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
        bytes
    }

    #[test]
    fn glibc_2_34_binary_fits_al2023_and_is_refused_for_al2() {
        let info = dynamic_x86(glibc(34));
        assert_eq!(info.check(target(Arch::X86_64, Runtime::Al2023)), Ok(()));
        let error = info.check(target(Arch::X86_64, Runtime::Al2)).unwrap_err();
        assert!(matches!(error, ElfError::GlibcTooNew { .. }));
        let message = error.to_string();
        assert!(message.contains("needs GLIBC_2.34 but provided.al2 has glibc 2.26"));
        assert!(message.contains("pip install ziglang"));
        assert!(message.contains("--runtime al2023"));
    }

    #[test]
    fn glibc_newer_than_every_runtime_does_not_suggest_al2023() {
        let error = dynamic_x86(glibc(39))
            .check(target(Arch::X86_64, Runtime::Al2023))
            .unwrap_err();
        assert!(!error.to_string().contains("--runtime al2023"), "{error}");
    }

    #[test]
    fn glibc_2_26_binary_fits_both_runtimes() {
        let info = dynamic_x86(glibc(26));
        assert_eq!(info.check(target(Arch::X86_64, Runtime::Al2)), Ok(()));
        assert_eq!(info.check(target(Arch::X86_64, Runtime::Al2023)), Ok(()));
        assert_eq!(info.describe(), "dynamic, needs glibc >= 2.26");
        assert!(info.foreign_libraries().is_empty());
    }

    #[test]
    fn wrong_machine_is_refused() {
        let error = dynamic_x86(glibc(17))
            .check(target(Arch::Arm64, Runtime::Al2023))
            .unwrap_err();
        assert_eq!(
            error,
            ElfError::WrongMachine {
                expected: Arch::Arm64,
                found: elf::EM_X86_64
            }
        );
        assert!(error.to_string().contains("x86_64 (62), not arm64"));
    }

    #[test]
    fn a_musl_loader_is_refused() {
        let info = ElfInfo {
            interpreter: Some("/lib/ld-musl-x86_64.so.1".into()),
            needed: vec!["libc.musl-x86_64.so.1".into()],
            newest_glibc: None,
            ..dynamic_x86(None)
        };
        let error = info
            .check(target(Arch::X86_64, Runtime::Al2023))
            .unwrap_err();
        assert!(matches!(error, ElfError::ForeignInterpreter { .. }));
        assert!(error.to_string().contains("--static"));
        assert_eq!(info.foreign_libraries(), ["libc.musl-x86_64.so.1"]);
    }

    #[test]
    fn a_bare_arm64_header_reads_as_a_static_arm64_binary() {
        let info = ElfInfo::read(&bare_header(elf::EM_AARCH64)).unwrap();
        assert_eq!(info.machine, elf::EM_AARCH64);
        assert!(info.is_static());
        assert_eq!(info.newest_glibc, None);
        assert_eq!(info.check(target(Arch::Arm64, Runtime::Al2)), Ok(()));
        assert!(matches!(
            info.check(target(Arch::X86_64, Runtime::Al2)),
            Err(ElfError::WrongMachine { .. })
        ));
    }

    #[test]
    fn non_elf_and_truncated_files_are_unreadable() {
        for bytes in [
            &b"#!/bin/sh\necho hi\n"[..],
            &bare_header(elf::EM_X86_64)[..40],
        ] {
            let error = ElfInfo::read(bytes).unwrap_err();
            assert!(matches!(error, ElfError::Unreadable(_)), "{error}");
            assert!(error.to_string().contains("not a 64-bit ELF"));
        }
    }

    #[test]
    fn this_test_binary_reads_as_a_dynamic_glibc_binary() {
        // The test runs as a host (x86_64 or aarch64, glibc) build.
        let data = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let info = ElfInfo::read(&data).unwrap();
        let host = Arch::host().unwrap();
        assert_eq!(info.machine, expected_machine(host));
        assert_eq!(info.interpreter.as_deref(), Some(host.glibc_interpreter()));
        assert!(info.needed.iter().any(|lib| lib == "libc.so.6"), "{info:?}");
        assert!(info.newest_glibc >= glibc(17), "{info:?}");
    }
}
