//! The benchmark driver: builds the function binaries, runs every benchmark against them and
//! prints markdown tables (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release -p benches --features official -- [--quick] [--callgrind] [--write BENCHMARKS.md]
//! ```
mod callgrind;
mod cold;
#[cfg(feature = "official")]
mod decode;
mod emulator;
mod function;
mod http;
mod invocation;
mod options;
mod report;
mod soak;

use std::process::ExitCode;

use options::Options;

fn main() -> ExitCode {
    #[cfg(feature = "official")]
    {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if let [flag, kind, side, n] = args.as_slice() {
            if flag == "--decode-loop" {
                return match decode::decode_loop(kind, side, n) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("bench: {e}");
                        ExitCode::FAILURE
                    }
                };
            }
        }
    }
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n\n{}", options::USAGE);
            return ExitCode::from(2);
        }
    };
    if options.help {
        println!("{}", options::USAGE);
        return ExitCode::SUCCESS;
    }
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    if options.build {
        function::build()?;
    }
    let functions = function::Functions::locate(&options.extra)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    if options.soak {
        let results = runtime.block_on(soak::run(options.soak_invocations, &functions))?;
        println!("{}", soak::render(&results, &options.command));
        return Ok(());
    }
    if options.http {
        let results = runtime.block_on(http::run(options, &functions))?;
        println!("{}", http::render(&results, &options.command));
        return Ok(());
    }
    let mut report = report::Report::new(options, &functions);
    runtime.block_on(async {
        if options.invocations {
            report.invocation = Some(invocation::run(options, &functions).await?);
        }
        if options.emulator {
            report.emulator = Some(emulator::run(options.reps, &functions).await?);
        }
        if options.cold {
            report.cold = Some(cold::run(options, &functions).await?);
        }
        #[cfg(feature = "official")]
        if options.decode {
            report.decode = Some(decode::run(options.quick));
        }
        if options.callgrind {
            report.callgrind =
                Some(callgrind::run(&functions, options.callgrind_out.as_deref()).await?);
            #[cfg(feature = "official")]
            {
                report.decode_counts = Some(decode::count()?);
            }
        }
        Ok::<_, String>(())
    })?;
    let markdown = report.render();
    println!("{markdown}");
    if let Some(path) = &options.write {
        report::write_into(path, &markdown)?;
        eprintln!("bench: results written into {}", path.display());
    }
    Ok(())
}
