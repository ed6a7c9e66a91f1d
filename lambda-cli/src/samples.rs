//! `lambda-rs invoke --sample KIND`: the AWS sample events `lambda-events` ships, embedded at
//! build time (see `build.rs`), and `--list-samples`.

use std::fmt;

use clap::Args;

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// `invoke`'s flags for sample events and for invoking a running `serve` or `watch`.
#[derive(Debug, Args)]
pub(crate) struct SampleArgs {
    /// Use the AWS sample event KIND as the event (e.g. sqs/receive, apigw/v2_request; a
    /// source alone, like `s3`, when it has one sample). See --list-samples.
    #[arg(long, value_name = "KIND", conflicts_with = "event")]
    pub(crate) sample: Option<String>,
    /// List the sample event kinds and exit.
    #[arg(long, exclusive = true)]
    pub(crate) list_samples: bool,
    /// Invoke a running `lambda-rs serve` or `watch` at HOST:PORT (its invoke endpoint) instead
    /// of starting the function; `localhost` tries ::1, then 127.0.0.1.
    #[arg(long, value_name = "HOST:PORT")]
    pub(crate) address: Option<String>,
}

/// A `--sample` that names no sample, or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SampleError {
    /// No sample has that kind.
    Unknown(String),
    /// A source with several samples: the kinds to choose from.
    Ambiguous(String, Vec<&'static str>),
}

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SampleError::Unknown(kind) => write!(
                f,
                "no sample event `{kind}`: `lambda-rs invoke --list-samples` lists them"
            ),
            SampleError::Ambiguous(kind, kinds) => write!(
                f,
                "`{kind}` has several sample events; choose one of: {}",
                kinds.join(", ")
            ),
        }
    }
}

impl std::error::Error for SampleError {}

/// The sample event of `kind` (`source/name`, or a source with one sample).
pub(crate) fn sample(kind: &str) -> Result<&'static str, SampleError> {
    if let Some((_, json)) = SAMPLES.iter().find(|(name, _)| *name == kind) {
        return Ok(json);
    }
    let prefix = format!("{}/", kind.trim_end_matches('/'));
    let matching: Vec<&'static (&'static str, &'static str)> = SAMPLES
        .iter()
        .filter(|(name, _)| name.starts_with(&prefix))
        .collect();
    match matching.as_slice() {
        [] => Err(SampleError::Unknown(kind.to_owned())),
        [(_, json)] => Ok(json),
        several => Err(SampleError::Ambiguous(
            kind.to_owned(),
            several.iter().map(|(name, _)| *name).collect(),
        )),
    }
}

/// Every sample kind, one per line, sorted.
pub(crate) fn list() -> String {
    SAMPLES
        .iter()
        .map(|(name, _)| format!("{name}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_event_is_embedded_as_valid_json() {
        assert!(SAMPLES.len() > 100, "{} samples", SAMPLES.len());
        for (kind, json) in SAMPLES {
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap_or_else(|error| panic!("{kind}: {error}"));
            assert!(
                !kind.contains("response"),
                "{kind} is a response, not an event"
            );
        }
        let kinds: Vec<_> = SAMPLES.iter().map(|(kind, _)| *kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort_unstable();
        assert_eq!(kinds, sorted);
    }

    #[test]
    fn samples_are_found_by_kind_or_by_a_source_with_one_sample() {
        let sqs = sample("sqs/receive").unwrap();
        assert!(sqs.contains("\"Records\""));
        let rotation = sample("secretsmanager").unwrap();
        assert!(rotation.contains("\"SecretId\""), "{rotation}");
        assert_eq!(sample("nope"), Err(SampleError::Unknown("nope".to_owned())));
        let Err(SampleError::Ambiguous(_, kinds)) = sample("s3") else {
            panic!("s3 has several samples")
        };
        assert!(kinds.contains(&"s3/put"), "{kinds:?}");
        let message = sample("s3").unwrap_err().to_string();
        assert!(message.contains("choose one of: s3/delete"), "{message}");
    }

    #[test]
    fn the_list_has_one_kind_per_line() {
        let list = list();
        assert_eq!(list.lines().count(), SAMPLES.len());
        assert!(list.lines().any(|line| line == "apigw/v2_request"));
    }
}
