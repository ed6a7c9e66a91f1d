//! Amazon S3 Batch Operations: the per-object invocation and its response (feature `s3-batch`).
//!
//! A Batch Operations job with a `LambdaInvoke` operation calls the function synchronously with an
//! [`S3BatchEvent`] (one task in practice) and expects an [`S3BatchResponse`] back, with one
//! [`S3BatchResult`] per task. Schema `1.0` names the bucket by ARN (`s3BucketArn`); schema `2.0`
//! (directory buckets, `userArguments`) names it (`s3Bucket`): [`S3BatchTask::bucket_name`] reads
//! either.

use lambda_events_derive::event;
use std::collections::HashMap;

/// The invocation S3 Batch Operations sends for objects of a job's manifest.
///
/// ```
/// use lambda_events::s3_batch::{S3BatchEvent, S3BatchResponse, S3BatchResult, S3BatchResultCode};
///
/// let json = r#"{"invocationSchemaVersion":"1.0","invocationId":"YXNkbGZq",
///     "job":{"id":"f3cc4f60-61f6-4a2b-8a21-d07600c373ce"},
///     "tasks":[{"taskId":"dGFza2lk","s3Key":"customerImage1.jpg","s3VersionId":"1",
///               "s3BucketArn":"arn:aws:s3:::examplebucket"}]}"#;
/// let event: S3BatchEvent = serde_json::from_str(json)?;
/// let results = event
///     .tasks
///     .iter()
///     .map(|task| {
///         assert_eq!(task.bucket_name(), Some("examplebucket"));
///         S3BatchResult::new(&task.task_id, S3BatchResultCode::Succeeded, "resized")
///     })
///     .collect();
/// let response = S3BatchResponse::for_event(&event, results);
/// assert_eq!(response.invocation_id, "YXNkbGZq");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct S3BatchEvent {
    /// `1.0` or `2.0`: copy it into the response.
    pub invocation_schema_version: String,
    /// ID of this invocation: copy it into the response.
    pub invocation_id: String,
    /// The job.
    pub job: S3BatchJob,
    /// The objects to act on.
    pub tasks: Vec<S3BatchTask>,
}

/// The Batch Operations job.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJob {
    /// Job ID.
    pub id: String,
    /// The `UserArguments` of the job's `LambdaInvoke` operation (schema `2.0`).
    pub user_arguments: Option<HashMap<String, String>>,
}

/// One object to act on.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchTask {
    /// ID of the task: copy it into its [`S3BatchResult`].
    pub task_id: String,
    /// Object key, as in the manifest (not URL-encoded).
    pub s3_key: String,
    /// Object version, when the manifest names one (S3 sends `null` otherwise, and `None` is
    /// written back as `null`).
    #[event(null)]
    pub s3_version_id: Option<String>,
    /// Bucket ARN (schema `1.0`).
    pub s3_bucket_arn: Option<String>,
    /// Bucket name (schema `2.0`).
    pub s3_bucket: Option<String>,
}

impl S3BatchTask {
    /// The bucket name: `s3Bucket` (schema `2.0`), or the last part of `s3BucketArn`
    /// (schema `1.0`).
    pub fn bucket_name(&self) -> Option<&str> {
        self.s3_bucket.as_deref().or_else(|| {
            self.s3_bucket_arn
                .as_deref()
                .and_then(|arn| arn.rsplit(':').next())
        })
    }
}

/// What the function returns to S3 Batch Operations.
#[event]
#[serde(rename_all = "camelCase")]
pub struct S3BatchResponse {
    /// The `invocationSchemaVersion` of the event.
    pub invocation_schema_version: String,
    /// How to count tasks missing from `results`; S3 treats them as `PermanentFailure` when
    /// absent.
    pub treat_missing_keys_as: Option<S3BatchResultCode>,
    /// The `invocationId` of the event.
    pub invocation_id: String,
    /// One result per task.
    pub results: Vec<S3BatchResult>,
}

impl S3BatchResponse {
    /// A response to `event` that copies its schema version and invocation ID.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn for_event(event: &S3BatchEvent, results: Vec<S3BatchResult>) -> Self {
        S3BatchResponse {
            invocation_schema_version: event.invocation_schema_version.clone(),
            invocation_id: event.invocation_id.clone(),
            results,
            ..Default::default()
        }
    }
}

/// The outcome of one task.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchResult {
    /// The `taskId` of the task.
    pub task_id: String,
    /// The outcome.
    pub result_code: S3BatchResultCode,
    /// Text S3 stores in the job's completion report.
    pub result_string: Option<String>,
}

impl S3BatchResult {
    /// The result of task `task_id`, with `result_string` for the completion report.
    pub fn new(task_id: &str, result_code: S3BatchResultCode, result_string: &str) -> Self {
        S3BatchResult {
            task_id: task_id.to_owned(),
            result_code,
            result_string: Some(result_string.to_owned()),
            #[cfg(feature = "catch-all-fields")]
            other: Default::default(),
        }
    }
}

/// The outcome of a task.
#[event]
pub enum S3BatchResultCode {
    /// The task completed; S3 records the result string in the completion report.
    Succeeded,
    /// The task failed for a reason that may go away: S3 retries it.
    TemporaryFailure,
    /// The task failed for good: S3 does not retry it.
    PermanentFailure,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn schema_1_0_event_round_trips() {
        let event: S3BatchEvent = round_trip(&fixture("s3_batch/event-1.0.json"));
        assert_eq!(event.invocation_schema_version, "1.0");
        assert_eq!(event.job.id, "f3cc4f60-61f6-4a2b-8a21-d07600c373ce");
        let task = &event.tasks[0];
        assert_eq!(task.task_id, "dGFza2lkZ29lc2hlcmUK");
        assert_eq!(task.s3_key, "customerImage1.jpg");
        assert_eq!(task.s3_version_id.as_deref(), Some("1"));
        assert_eq!(task.bucket_name(), Some("examplebucket"));
    }

    #[test]
    fn schema_2_0_event_has_user_arguments_and_bucket_name() {
        let json = fixture("s3_batch/event-2.0.json");
        let raw: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(raw["tasks"][0]["s3VersionId"].is_null());
        // The `null` version is written back (`#[event(null)]`): the round trip is exact.
        let event: S3BatchEvent = round_trip(&json);
        let arguments = event.job.user_arguments.as_ref().unwrap();
        assert_eq!(arguments["k1"], "v1");
        assert_eq!(event.tasks[0].s3_version_id, None);
        assert_eq!(event.tasks[0].bucket_name(), Some("amzn-s3-demo-bucket1"));
    }

    #[test]
    fn response_round_trips() {
        let response: S3BatchResponse = round_trip(&fixture("s3_batch/response.json"));
        assert_eq!(
            response.treat_missing_keys_as,
            Some(S3BatchResultCode::PermanentFailure)
        );
        assert_eq!(
            response.results[0].result_code,
            S3BatchResultCode::Succeeded
        );
        assert_eq!(
            response.results[0].result_string.as_deref(),
            Some("[\"Alice\", \"Bob\"]")
        );
    }

    #[test]
    fn response_for_event_copies_ids_and_writes_result_codes() {
        let event: S3BatchEvent =
            serde_json::from_str(&fixture("s3_batch/event-1.0.json")).unwrap();
        let results = vec![S3BatchResult::new(
            &event.tasks[0].task_id,
            S3BatchResultCode::TemporaryFailure,
            "throttled",
        )];
        let response = S3BatchResponse::for_event(&event, results);
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({
                "invocationSchemaVersion": "1.0",
                "invocationId": "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo",
                "results": [{
                    "taskId": "dGFza2lkZ29lc2hlcmUK",
                    "resultCode": "TemporaryFailure",
                    "resultString": "throttled"
                }]
            })
        );
    }

    #[test]
    fn unknown_result_code_is_kept_and_a_wrong_type_is_an_error_with_its_path() {
        let json = r#"{"invocationSchemaVersion":"1.0","invocationId":"x",
            "results":[{"taskId":"t","resultCode":"Maybe"}]}"#;
        let response: S3BatchResponse = round_trip(json);
        assert_eq!(
            response.results[0].result_code,
            S3BatchResultCode::Other("Maybe".to_owned())
        );
        let json = json.replace(r#""Maybe""#, "7");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, S3BatchResponse>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "results[0].resultCode");
    }
}
