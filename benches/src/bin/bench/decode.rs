//! Event decoding: `serde_json::from_slice` into our `lambda-events` types and into
//! `aws_lambda_events`' on the same bytes (the AWS sample payloads in `lambda-events/fixtures`).
//!
//! A hand-written timing loop rather than criterion or divan: each measurement is a batch of
//! decodes lasting ~40 ms, ours and theirs alternate, and the min / median / max of the
//! repetitions are reported like every other table here — no extra dependency for that.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use benches::stats::Spread;
use serde::de::DeserializeOwned;

/// One kind of event: its fixture and the two decoders' figures.
#[derive(Debug, Clone)]
pub(crate) struct Kind {
    pub(crate) name: &'static str,
    pub(crate) fixture: &'static str,
    pub(crate) bytes: usize,
    /// MB/s per repetition, or why it could not be measured.
    pub(crate) ours: Result<Vec<f64>, String>,
    pub(crate) theirs: Result<Vec<f64>, String>,
}

type Decoder = fn(&[u8]) -> Result<(), String>;

fn decoder<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(bytes)
        .map(|value| drop(black_box(value)))
        .map_err(|e| e.to_string())
}

fn kinds() -> Vec<(&'static str, &'static str, Decoder, Decoder)> {
    use lambda_events as ours;
    use official_events as theirs;
    vec![
        (
            "API Gateway v1 (REST)",
            "apigw/v1_proxy_request.json",
            decoder::<ours::apigw::ApiGatewayProxyRequest>,
            decoder::<theirs::apigw::ApiGatewayProxyRequest>,
        ),
        (
            "API Gateway v2 (HTTP)",
            "apigw/v2_request.json",
            decoder::<ours::apigw::ApiGatewayV2HttpRequest>,
            decoder::<theirs::apigw::ApiGatewayV2httpRequest>,
        ),
        (
            "SQS",
            "sqs/receive.json",
            decoder::<ours::sqs::SqsEvent>,
            decoder::<theirs::sqs::SqsEvent>,
        ),
        (
            "SNS",
            "sns/notification.json",
            decoder::<ours::sns::SnsEvent>,
            decoder::<theirs::sns::SnsEvent>,
        ),
        (
            "S3",
            "s3/put.json",
            decoder::<ours::s3::S3Event>,
            decoder::<theirs::s3::S3Event>,
        ),
        (
            "DynamoDB Streams",
            "dynamodb/stream.json",
            decoder::<ours::dynamodb::DynamoDbEvent>,
            decoder::<theirs::dynamodb::Event>,
        ),
        (
            "Kinesis",
            "kinesis/records.json",
            decoder::<ours::kinesis::KinesisEvent>,
            decoder::<theirs::kinesis::KinesisEvent>,
        ),
        (
            "CloudWatch Logs (gzip)",
            "cloudwatch_logs/subscription.json",
            decoder::<ours::cloudwatch_logs::LogsEvent>,
            decoder::<theirs::cloudwatch_logs::LogsEvent>,
        ),
    ]
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lambda-events/fixtures")
}

pub(crate) fn run(quick: bool) -> Vec<Kind> {
    let reps = if quick { 5 } else { 11 };
    let fixtures = fixtures();
    eprintln!("bench: event decoding, {reps} repetitions");
    kinds()
        .into_iter()
        .map(|(name, fixture, ours, theirs)| {
            let path = fixtures.join(fixture);
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let missing = Err(format!("cannot read {}: {e}", path.display()));
                    return Kind {
                        name,
                        fixture,
                        bytes: 0,
                        ours: missing.clone(),
                        theirs: missing,
                    };
                }
            };
            let ours_ok = ours(&bytes);
            let theirs_ok = theirs(&bytes);
            let (mut ours_rates, mut theirs_rates) = (Vec::new(), Vec::new());
            for _ in 0..reps {
                if ours_ok.is_ok() {
                    ours_rates.push(rate(ours, &bytes));
                }
                if theirs_ok.is_ok() {
                    theirs_rates.push(rate(theirs, &bytes));
                }
            }
            Kind {
                name,
                fixture,
                bytes: bytes.len(),
                ours: ours_ok.map(|()| ours_rates),
                theirs: theirs_ok.map(|()| theirs_rates),
            }
        })
        .collect()
}

/// MB/s of one batch of decodes lasting about 40 ms.
fn rate(decode: Decoder, bytes: &[u8]) -> f64 {
    const BATCH: Duration = Duration::from_millis(40);
    let started = Instant::now();
    let mut count = 0u64;
    while started.elapsed() < BATCH {
        for _ in 0..16 {
            let _ = decode(black_box(bytes));
        }
        count += 16;
    }
    (count as f64 * bytes.len() as f64) / started.elapsed().as_secs_f64() / 1e6
}

/// The median MB/s of a measured decoder.
pub(crate) fn median(rates: &Result<Vec<f64>, String>) -> Option<f64> {
    Spread::of(rates.as_ref().ok()?).map(|s| s.median)
}

/// Instructions per decode, ours and theirs, for one kind of event.
#[derive(Debug, Clone)]
pub(crate) struct DecodeCount {
    pub(crate) name: &'static str,
    pub(crate) ours: Result<f64, String>,
    pub(crate) theirs: Result<f64, String>,
}

/// The hidden `--decode-loop KIND ours|theirs N` mode: decodes one fixture N times and exits,
/// for `count` to run under callgrind.
pub(crate) fn decode_loop(kind: &str, side: &str, n: &str) -> Result<(), String> {
    let kinds = kinds();
    let (_, fixture, ours, theirs) = kind
        .parse::<usize>()
        .ok()
        .and_then(|i| kinds.get(i).copied())
        .ok_or(format!("no event kind {kind}"))?;
    let decode = if side == "ours" { ours } else { theirs };
    let n: u64 = n.parse().map_err(|_| format!("not a count: {n}"))?;
    let bytes = std::fs::read(fixtures().join(fixture)).map_err(|e| e.to_string())?;
    for _ in 0..n {
        decode(black_box(&bytes))?;
    }
    Ok(())
}

/// Instructions per decode under `valgrind --tool=callgrind`: (count of 1 100 decodes − count of
/// 100) ÷ 1 000, start-up excluded.
pub(crate) fn count() -> Result<Vec<DecodeCount>, String> {
    const N1: u64 = 100;
    const N2: u64 = 1_100;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let run = |i: usize, side: &str, n: u64| -> Result<u64, String> {
        let out = std::env::temp_dir().join(format!(
            "bench-callgrind-decode-{}-{i}-{side}-{n}.out",
            std::process::id()
        ));
        let status = std::process::Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args(["--decode-loop", &i.to_string(), side, &n.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run valgrind: {e}"))?;
        if !status.success() {
            let _ = std::fs::remove_file(&out);
            return Err(format!("decoding failed ({status})"));
        }
        let total = crate::callgrind::read_total(&out, "a decode loop");
        let _ = std::fs::remove_file(&out);
        total
    };
    let per_decode = |i: usize, side: &str| -> Result<f64, String> {
        let few = run(i, side, N1)?;
        let many = run(i, side, N2)?;
        Ok((many as f64 - few as f64) / (N2 - N1) as f64)
    };
    eprintln!("bench: callgrind event decoding");
    Ok(kinds()
        .iter()
        .enumerate()
        .map(|(i, (name, ..))| DecodeCount {
            name,
            ours: per_decode(i, "ours"),
            theirs: per_decode(i, "theirs"),
        })
        .collect())
}
