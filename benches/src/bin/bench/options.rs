//! Command-line options.

use std::path::PathBuf;

pub(crate) const USAGE: &str = "\
usage: cargo run --release -p benches --features official -- [OPTIONS]

  --quick          fewer invocations and repetitions (under 5 minutes on 2 cores)
  --reps N         repetitions of each invocation-loop cell (default 5, quick 3)
  --callgrind      also count instructions per invocation under valgrind
  --only WHAT      run only `invocations`, `cold`, `decode`, `emulator` or `callgrind` (size is always
                   reported), or `soak` or `http` (not part of the default run; `--only http
                   --callgrind` also counts the HTTP functions' instructions per request)
  --soak-invocations N  invocations per function of the soak (default 1000000)
  --no-build       do not run `cargo build` for the function binaries first
  --callgrind-out DIR  keep the callgrind output files in DIR (for callgrind_annotate)
  --write FILE     also write the tables into FILE between the results markers
  --function LABEL=PATH  also measure PATH, any `echo` bootstrap (e.g. one `lambda-rs build`
                   made), in the invocation-loop and cold-start benchmarks (repeatable)
  --help           this text";

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) quick: bool,
    pub(crate) reps: usize,
    pub(crate) callgrind: bool,
    pub(crate) invocations: bool,
    pub(crate) cold: bool,
    pub(crate) decode: bool,
    pub(crate) emulator: bool,
    pub(crate) soak: bool,
    /// The HTTP adapter benchmark (`--only http`).
    pub(crate) http: bool,
    pub(crate) soak_invocations: u64,
    pub(crate) build: bool,
    pub(crate) write: Option<PathBuf>,
    pub(crate) callgrind_out: Option<PathBuf>,
    pub(crate) help: bool,
    /// More `echo` binaries to measure: (label, path).
    pub(crate) extra: Vec<(String, PathBuf)>,
    /// The command line, for the report.
    pub(crate) command: String,
}

impl Options {
    pub(crate) fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
        let args: Vec<String> = args.collect();
        let mut options = Options {
            quick: false,
            reps: 0,
            callgrind: false,
            invocations: true,
            cold: true,
            decode: true,
            emulator: true,
            soak: false,
            http: false,
            soak_invocations: 1_000_000,
            build: true,
            write: None,
            callgrind_out: None,
            help: false,
            extra: Vec::new(),
            command: format!(
                "cargo run --release -p benches {}-- {}",
                if cfg!(feature = "official") {
                    "--features official "
                } else {
                    ""
                },
                args.join(" ")
            )
            .trim_end()
            .to_owned(),
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--callgrind" => options.callgrind = true,
                "--no-build" => options.build = false,
                "--help" | "-h" => options.help = true,
                "--reps" => {
                    let value = args.next().ok_or("--reps needs a number")?;
                    options.reps = value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(format!("--reps needs a positive number, not `{value}`"))?;
                }
                "--only" => match args.next().as_deref() {
                    Some(
                        only @ ("invocations" | "cold" | "decode" | "emulator" | "callgrind"
                        | "soak" | "http"),
                    ) => {
                        options.invocations = only == "invocations";
                        options.cold = only == "cold";
                        options.decode = only == "decode";
                        options.emulator = only == "emulator";
                        options.callgrind = options.callgrind || only == "callgrind";
                        options.soak = only == "soak";
                        options.http = only == "http";
                    }
                    other => {
                        return Err(format!(
                            "--only takes `invocations`, `cold`, `decode`, `emulator`, `callgrind`, `soak` or `http`, not {other:?}"
                        ))
                    }
                },
                "--soak-invocations" => {
                    let value = args.next().ok_or("--soak-invocations needs a number")?;
                    options.soak_invocations = value
                        .parse()
                        .ok()
                        .filter(|n| *n >= crate::soak::SAMPLE_EVERY)
                        .ok_or(format!(
                            "--soak-invocations needs a number of at least {}, not `{value}`",
                            crate::soak::SAMPLE_EVERY
                        ))?;
                }
                "--callgrind-out" => {
                    let dir = args.next().ok_or("--callgrind-out needs a directory")?;
                    options.callgrind_out = Some(dir.into());
                }
                "--write" => {
                    options.write = Some(args.next().ok_or("--write needs a file")?.into());
                }
                "--function" => {
                    let value = args.next().ok_or("--function needs LABEL=PATH")?;
                    let (label, path) = value
                        .split_once('=')
                        .filter(|(label, path)| !label.is_empty() && !path.is_empty())
                        .ok_or(format!("--function needs LABEL=PATH, not `{value}`"))?;
                    options.extra.push((label.to_owned(), path.into()));
                }
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        if options.reps == 0 {
            options.reps = if options.quick { 3 } else { 5 };
        }
        Ok(options)
    }

    /// Measured invocations per run of the small and the large event.
    pub(crate) fn invocations(&self) -> (u64, u64) {
        if self.quick {
            (2_000, 300)
        } else {
            (10_000, 2_000)
        }
    }

    /// Cold-start repetitions per function.
    pub(crate) fn cold_reps(&self) -> usize {
        if self.quick {
            20
        } else {
            40
        }
    }
}
