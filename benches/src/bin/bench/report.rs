//! The markdown report.

use std::fmt::Write as _;
use std::path::Path;

use benches::stats::Spread;

use crate::callgrind::Count;
use crate::cold::ColdStarts;
use crate::function::Functions;
use crate::invocation::{Results, Sample};
use crate::options::Options;

/// Where `--write` puts the tables in the file.
const START: &str = "<!-- bench-results:start -->";
const END: &str = "<!-- bench-results:end -->";

pub(crate) struct Report {
    header: String,
    functions: Functions,
    pub(crate) invocation: Option<Results>,
    pub(crate) cold: Option<Vec<ColdStarts>>,
    pub(crate) callgrind: Option<Vec<Count>>,
    pub(crate) emulator: Option<crate::emulator::Overhead>,
    #[cfg(feature = "official")]
    pub(crate) decode: Option<Vec<crate::decode::Kind>>,
    #[cfg(feature = "official")]
    pub(crate) decode_counts: Option<Vec<crate::decode::DecodeCount>>,
}

impl Report {
    pub(crate) fn new(options: &Options, functions: &Functions) -> Report {
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let header = format!(
            "Measured {} UTC with `{}` ({} mode; {rustc}; {cores} cores; workspace `[profile.release]`).",
            utc_now(),
            options.command,
            if options.quick { "quick" } else { "full" },
        );
        Report {
            header,
            functions: functions.clone(),
            invocation: None,
            cold: None,
            callgrind: None,
            emulator: None,
            #[cfg(feature = "official")]
            decode: None,
            #[cfg(feature = "official")]
            decode_counts: None,
        }
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.header);
        let mut targets = Vec::new();
        if let Some(results) = &self.invocation {
            render_invocations(&mut out, results, &mut targets);
        }
        if let Some(cold) = &self.cold {
            render_cold(&mut out, cold, &mut targets);
        }
        if let Some(overhead) = &self.emulator {
            render_emulator(&mut out, overhead);
        }
        render_sizes(&mut out, &self.functions, &mut targets);
        #[cfg(feature = "official")]
        if let Some(kinds) = &self.decode {
            render_decode(&mut out, kinds, &mut targets);
        }
        if let Some(counts) = &self.callgrind {
            render_callgrind(&mut out, counts);
        }
        #[cfg(feature = "official")]
        if let Some(counts) = &self.decode_counts {
            render_decode_counts(&mut out, counts, &mut targets);
        }
        let _ = writeln!(out, "### Targets (ratios from this run)\n");
        let _ = writeln!(out, "| target | measured | status |\n|---|---|---|");
        for (target, measured, met) in targets {
            let status = match met {
                Some(true) => "met",
                Some(false) => "**missed**",
                None => "not measured",
            };
            let _ = writeln!(out, "| {target} | {measured} | {status} |");
        }
        out
    }
}

type Target = (String, String, Option<bool>);

fn spread(values: impl Iterator<Item = f64>) -> Option<Spread> {
    Spread::of(&values.collect::<Vec<_>>())
}

fn fmt3(s: Option<Spread>, digits: usize) -> String {
    match s {
        Some(s) => format!(
            "{:.d$} / **{:.d$}** / {:.d$}",
            s.min,
            s.median,
            s.max,
            d = digits
        ),
        None => "n/a".into(),
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    spread(values).map_or(f64::NAN, |s| s.median)
}

fn render_invocations(out: &mut String, results: &Results, targets: &mut Vec<Target>) {
    let _ = writeln!(out, "### Invocation loop\n");
    let _ = writeln!(
        out,
        "Each cell: one process, warm-up invocations, then N measured; repeated and interleaved; \
         min / **median** / max over the repetitions (latency, server CPU and RSS: median). \
         Function CPU is the child's on-CPU time per invocation (schedstat; the `utime+stime` \
         figure in ticks of 10 ms is its cross-check). Page faults: minor faults of the function \
         per invocation (pages the kernel mapped and zeroed for it). Server CPU is the bench server's own cost \
         per invocation.\n"
    );
    let index = |name: &str| results.functions.iter().position(|f| *f == name);
    for (e, event) in results.events.iter().enumerate() {
        let reps = results.samples[e].first().map_or(0, Vec::len);
        let _ = writeln!(
            out,
            "Event {} ({} bytes): {} warm-up + {} measured invocations, {reps} repetitions.\n",
            event.label,
            event.body.len(),
            event.warmup,
            event.measured
        );
        let _ = writeln!(
            out,
            "| function | invocations/s | p50 µs | p99 µs | function CPU µs/inv | utime+stime µs/inv | page faults/inv | server CPU µs/inv | peak RSS KiB | connections |\n|---|---|---|---|---|---|---|---|---|---|"
        );
        for (f, name) in results.functions.iter().enumerate() {
            let s: &[Sample] = &results.samples[e][f];
            let _ = writeln!(
                out,
                "| {name} | {} | {:.1} | {:.1} | {} | {:.2} | {:.1} | {:.2} | {:.0} | {} |",
                fmt3(spread(s.iter().map(|x| x.per_second)), 0),
                median(s.iter().map(|x| x.p50_us)),
                median(s.iter().map(|x| x.p99_us)),
                fmt3(spread(s.iter().map(|x| x.cpu_us)), 2),
                median(s.iter().map(|x| x.ticks_cpu_us)),
                median(s.iter().map(|x| x.faults)),
                median(s.iter().map(|x| x.server_us)),
                median(s.iter().map(|x| x.peak_rss_kib)),
                s.iter().map(|x| x.connections).max().unwrap_or(0),
            );
        }
        let _ = writeln!(out);
        let rate =
            |name| index(name).map(|f| median(results.samples[e][f].iter().map(|x| x.per_second)));
        let cpu =
            |name| index(name).map(|f| median(results.samples[e][f].iter().map(|x| x.cpu_us)));
        let rss = |name| {
            index(name).map(|f| median(results.samples[e][f].iter().map(|x| x.peak_rss_kib)))
        };
        let ratio = |a: Option<f64>, b: Option<f64>| Some(a? / b?);
        let vs_raw = ratio(rate("ours-echo"), rate("raw-echo"));
        let cpu_vs_raw = ratio(cpu("raw-echo"), cpu("ours-echo"));
        targets.push((
            format!("invocations/s ≥ 0.95× raw loop ({})", event.label),
            format!(
                "{} (CPU/inv: raw ÷ ours = {})",
                fmt_ratio(vs_raw),
                fmt_ratio(cpu_vs_raw)
            ),
            vs_raw.map(|r| r >= 0.95),
        ));
        let vs_official = ratio(rate("ours-echo"), rate("official-echo"));
        let cpu_vs_official = ratio(cpu("official-echo"), cpu("ours-echo"));
        targets.push((
            format!("invocations/s ≥ 1.3× official ({})", event.label),
            format!(
                "{} (CPU/inv: official ÷ ours = {})",
                fmt_ratio(vs_official),
                fmt_ratio(cpu_vs_official)
            ),
            vs_official.map(|r| r >= 1.3),
        ));
        if e == 0 {
            let rss_ratio = ratio(rss("ours-echo"), rss("official-echo"));
            targets.push((
                format!(
                    "peak RSS ≤ official (echo, after {} invocations of {})",
                    event.warmup + event.measured,
                    event.label
                ),
                format!(
                    "{:.0} KiB vs {:.0} KiB = {}",
                    rss("ours-echo").unwrap_or(f64::NAN),
                    rss("official-echo").unwrap_or(f64::NAN),
                    fmt_ratio(rss_ratio)
                ),
                rss_ratio.map(|r| r <= 1.0),
            ));
        }
    }
}

fn render_cold(out: &mut String, cold: &[ColdStarts], targets: &mut Vec<Target>) {
    let reps = cold.first().map_or(0, |c| c.to_next_us.len());
    let _ = writeln!(out, "### Cold start\n");
    let _ = writeln!(
        out,
        "Process spawn to the first `GET next` and to the first response read by the server, {reps} \
         repetitions interleaved, µs: min / **median** / max.\n"
    );
    let _ = writeln!(
        out,
        "| function | spawn → first next µs | spawn → first response µs |\n|---|---|---|"
    );
    for c in cold {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            c.name,
            fmt3(Spread::of(&c.to_next_us), 0),
            fmt3(Spread::of(&c.to_response_us), 0)
        );
    }
    let _ = writeln!(out);
    let get = |name: &str| cold.iter().find(|c| c.name == name);
    let med = |v: &[f64]| Spread::of(v).map(|s| s.median);
    let ratio = |f: fn(&ColdStarts) -> &[f64]| {
        Some(med(f(get("ours-hello")?))? / med(f(get("raw-echo")?))?)
    };
    let to_response = ratio(|c| &c.to_response_us);
    let to_next = ratio(|c| &c.to_next_us);
    let official = (|| {
        Some(
            med(&get("ours-hello")?.to_response_us)? / med(&get("official-hello")?.to_response_us)?,
        )
    })();
    targets.push((
        "cold start ≤ 1.1× raw loop (hello, to first response)".into(),
        format!(
            "{} (to first next: {}; vs official-hello: {})",
            fmt_ratio(to_response),
            fmt_ratio(to_next),
            fmt_ratio(official)
        ),
        to_response.map(|r| r <= 1.1),
    ));
}

fn render_sizes(out: &mut String, functions: &Functions, targets: &mut Vec<Target>) {
    let _ = writeln!(out, "### Binary size\n");
    let _ = writeln!(
        out,
        "Stripped release binaries (`strip = true`, LTO, one codegen unit: the workspace profile).\n"
    );
    let _ = writeln!(out, "| binary | bytes |\n|---|---|");
    let mut all = vec![
        functions.ours_hello.clone(),
        functions.ours_echo.clone(),
        functions.raw_echo.clone(),
    ];
    all.extend(functions.official_hello.clone());
    all.extend(functions.official_echo.clone());
    for f in &all {
        let size = f.size().map_or("n/a".into(), |s| s.to_string());
        let _ = writeln!(out, "| {} | {size} |", f.name);
    }
    let _ = writeln!(out);
    let ours = functions.ours_hello.size();
    let official = functions.official_hello.as_ref().and_then(|f| f.size());
    let ratio = match (ours, official) {
        (Some(a), Some(b)) => Some(a as f64 / b as f64),
        _ => None,
    };
    targets.push((
        "stripped hello ≤ 0.8× official".into(),
        format!(
            "{} vs {} bytes = {}",
            ours.map_or("n/a".into(), |s| s.to_string()),
            official.map_or("n/a".into(), |s| s.to_string()),
            fmt_ratio(ratio)
        ),
        ratio.map(|r| r <= 0.8),
    ));
}

fn render_callgrind(out: &mut String, counts: &[Count]) {
    use crate::callgrind::{LARGE, SMALL};
    let _ = writeln!(out, "### Instructions per invocation (callgrind)\n");
    let _ = writeln!(
        out,
        "`valgrind --tool=callgrind`: (instructions of an N2-invocation process − those of an \
         N1-invocation process) ÷ (N2 − N1), so start-up and exit cancel out; N1/N2 = {}/{} \
         (~100 B event), {}/{} (~256 KB event). Load-independent; runs agree within a few percent.\n",
        SMALL.0, SMALL.1, LARGE.0, LARGE.1
    );
    let _ = writeln!(
        out,
        "| function | instructions / inv, ~100 B | ÷ raw-echo | instructions / inv, ~256 KB | ÷ raw-echo |\n|---|---|---|---|---|"
    );
    let raw = counts.iter().find(|c| c.name == "raw-echo");
    for c in counts {
        let _ = writeln!(
            out,
            "| {} | {:.0} | {} | {:.0} | {} |",
            c.name,
            c.small,
            fmt_ratio(raw.map(|r| c.small / r.small)),
            c.large,
            fmt_ratio(raw.map(|r| c.large / r.large)),
        );
    }
    let _ = writeln!(out);
}

#[cfg(feature = "official")]
fn render_decode(out: &mut String, kinds: &[crate::decode::Kind], targets: &mut Vec<Target>) {
    use crate::decode::median;
    let _ = writeln!(out, "### Event decoding\n");
    let _ = writeln!(
        out,
        "`serde_json::from_slice` of the AWS sample payload in `lambda-events/fixtures/` into our \
         `lambda-events` type and into `aws_lambda_events` 1.2's, alternating; MB/s, min / \
         **median** / max over batches of ~40 ms.\n"
    );
    let _ = writeln!(
        out,
        "| event | fixture | bytes | ours MB/s | aws_lambda_events MB/s | ours ÷ theirs |\n|---|---|---|---|---|---|"
    );
    let show = |r: &Result<Vec<f64>, String>| match r {
        Ok(rates) => fmt3(Spread::of(rates), 1),
        Err(e) => format!("fails: {e}"),
    };
    let mut worst: Option<(f64, &str)> = None;
    for k in kinds {
        let ratio = match (median(&k.ours), median(&k.theirs)) {
            (Some(a), Some(b)) => Some(a / b),
            _ => None,
        };
        if let Some(r) = ratio {
            if worst.is_none_or(|(w, _)| r < w) {
                worst = Some((r, k.name));
            }
        }
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            k.name,
            k.fixture,
            k.bytes,
            show(&k.ours),
            show(&k.theirs),
            fmt_ratio(ratio)
        );
    }
    let _ = writeln!(out);
    targets.push((
        "event decoding ≥ 1.0× aws_lambda_events on every kind (MB/s)".into(),
        match worst {
            Some((r, name)) => format!("lowest: {} ({name})", fmt_ratio(Some(r))),
            None => "n/a".into(),
        },
        worst.map(|(r, _)| r >= 1.0),
    ));
}

#[cfg(feature = "official")]
fn render_decode_counts(
    out: &mut String,
    counts: &[crate::decode::DecodeCount],
    targets: &mut Vec<Target>,
) {
    let _ = writeln!(out, "### Instructions per decode (callgrind)\n");
    let _ = writeln!(
        out,
        "The same fixtures decoded 1 100 and 100 times under `valgrind --tool=callgrind`; the \
         difference ÷ 1 000. Fewer is better; the ratio is theirs ÷ ours (≥ 1.0 means ours is at \
         least as fast).\n"
    );
    let _ = writeln!(
        out,
        "| event | ours | aws_lambda_events | theirs ÷ ours |\n|---|---|---|---|"
    );
    let show = |r: &Result<f64, String>| match r {
        Ok(v) => format!("{v:.0}"),
        Err(e) => format!("fails: {e}"),
    };
    let mut worst: Option<(f64, &str)> = None;
    for c in counts {
        let ratio = match (&c.ours, &c.theirs) {
            (Ok(a), Ok(b)) => Some(b / a),
            _ => None,
        };
        if let Some(r) = ratio {
            if worst.is_none_or(|(w, _)| r < w) {
                worst = Some((r, c.name));
            }
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.name,
            show(&c.ours),
            show(&c.theirs),
            fmt_ratio(ratio)
        );
    }
    let _ = writeln!(out);
    targets.push((
        "event decoding ≥ 1.0× aws_lambda_events on every kind (instructions)".into(),
        match worst {
            Some((r, name)) => format!("lowest: {} ({name})", fmt_ratio(Some(r))),
            None => "n/a".into(),
        },
        worst.map(|(r, _)| r >= 1.0),
    ));
}

fn render_emulator(out: &mut String, o: &crate::emulator::Overhead) {
    let _ = writeln!(out, "### Emulator overhead\n");
    let _ = writeln!(
        out,
        "`ours-echo`, ~100 B event, {} sequential invokes per repetition (after a warm-up), {} \
         repetitions, µs per invocation: min / **median** / max. Through the emulator: the \
         round trip of `POST /2015-03-31/functions/function/invocations` seen by a keep-alive \
         client of `lambda-rs serve`. Direct: the loop against the bench server (wall time \
         per invocation; p50 is the server-side `next` → response latency).\n",
        crate::emulator::INVOKES,
        o.emulator_mean_us.len()
    );
    let _ = writeln!(out, "| path | mean µs/invoke | p50 µs |\n|---|---|---|");
    let _ = writeln!(
        out,
        "| through lambda-rs serve | {} | {} |",
        fmt3(Spread::of(&o.emulator_mean_us), 1),
        fmt3(Spread::of(&o.emulator_p50_us), 1)
    );
    let _ = writeln!(
        out,
        "| direct Runtime API exchange | {} | {} |",
        fmt3(Spread::of(&o.direct_mean_us), 1),
        fmt3(Spread::of(&o.direct_p50_us), 1)
    );
    let med = |v: &[f64]| Spread::of(v).map_or(f64::NAN, |s| s.median);
    let _ = writeln!(
        out,
        "\nThe emulator adds {:.1} µs per invoke (median of means).\n",
        med(&o.emulator_mean_us) - med(&o.direct_mean_us)
    );
}

fn fmt_ratio(r: Option<f64>) -> String {
    match r {
        Some(r) if r.is_finite() => format!("{r:.2}×"),
        _ => "n/a".into(),
    }
}

/// Replaces the text between the results markers of `path` with `markdown` (or appends the
/// markers and the tables when the file has none).
pub(crate) fn write_into(path: &Path, markdown: &str) -> Result<(), String> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let block = format!("{START}\n{markdown}{END}");
    let updated = match (existing.find(START), existing.find(END)) {
        (Some(s), Some(e)) if s < e => {
            format!("{}{block}{}", &existing[..s], &existing[e + END.len()..])
        }
        _ => format!("{existing}\n{block}\n"),
    };
    std::fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The current UTC date and time as `YYYY-MM-DD HH:MM`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3_600,
        rest % 3_600 / 60
    )
}
