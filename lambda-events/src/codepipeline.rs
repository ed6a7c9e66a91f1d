//! AWS CodePipeline job events.
//!
//! A pipeline's Lambda invoke action calls the function (asynchronously) with a
//! [`CodePipelineEvent`]. The function then reports the result itself with the CodePipeline API
//! (`PutJobSuccessResult`, optionally with a `continuationToken` to be invoked again, or
//! `PutJobFailureResult`), using the job ID from the event.
//!
//! ```
//! use lambda_events::codepipeline::CodePipelineEvent;
//!
//! #[derive(serde::Deserialize)]
//! struct Params {
//!     url: String,
//! }
//!
//! fn job(event: &CodePipelineEvent) -> Result<(&str, Params), serde_json::Error> {
//!     let params = event.job.data.action_configuration.configuration.user_parameters_json()?;
//!     Ok((&event.job.id, params))
//! }
//! # let event: CodePipelineEvent = serde_json::from_str(r#"{"CodePipeline.job":{"id":"j",
//! #   "data":{"actionConfiguration":{"configuration":{"FunctionName":"f",
//! #   "UserParameters":"{\"url\":\"https://example.com\"}"}}}}}"#).unwrap();
//! # assert_eq!(job(&event).unwrap().1.url, "https://example.com");
//! ```

use lambda_events_derive::event;

use crate::encodings::EpochMillis;

/// The event a CodePipeline Lambda invoke action sends.
#[event]
pub struct CodePipelineEvent {
    /// The job to run.
    #[serde(rename = "CodePipeline.job")]
    pub job: CodePipelineJob,
}

/// A CodePipeline job.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineJob {
    /// The job ID, for `PutJobSuccessResult` and `PutJobFailureResult`.
    pub id: String,
    /// The ID of the AWS account that owns the pipeline.
    pub account_id: Option<String>,
    /// What the action is configured with, its artifacts and credentials.
    pub data: CodePipelineJobData,
}

/// The `data` of a job.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineJobData {
    /// The action's configuration.
    pub action_configuration: CodePipelineActionConfiguration,
    /// The artifacts the action reads.
    #[serde(default)]
    pub input_artifacts: Vec<CodePipelineArtifact>,
    /// The artifacts the action is expected to write.
    #[serde(default)]
    pub output_artifacts: Vec<CodePipelineArtifact>,
    /// Temporary credentials to read and write the artifact store.
    pub artifact_credentials: Option<CodePipelineArtifactCredentials>,
    /// The token the function passed to `PutJobSuccessResult` when it asked to be invoked
    /// again; present only on such a continuation.
    pub continuation_token: Option<String>,
    /// The key that encrypts the artifact store.
    pub encryption_key: Option<CodePipelineEncryptionKey>,
}

/// The `actionConfiguration` of a job.
#[event]
pub struct CodePipelineActionConfiguration {
    /// The configuration values of the action.
    pub configuration: CodePipelineConfiguration,
}

/// The configuration of a Lambda invoke action.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct CodePipelineConfiguration {
    /// The name of the invoked function.
    pub function_name: Option<String>,
    /// The action's free-form user parameters string (often JSON).
    pub user_parameters: Option<String>,
}

impl CodePipelineConfiguration {
    /// Parses `UserParameters` as JSON into `T`.
    ///
    /// An absent `UserParameters` is parsed as JSON `null`, so `T = Option<_>` accepts it.
    pub fn user_parameters_json<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.user_parameters.as_deref().unwrap_or("null"))
    }
}

/// An input or output artifact.
#[event]
pub struct CodePipelineArtifact {
    /// The artifact name given in the pipeline.
    pub name: String,
    /// The revision of the artifact (a commit ID or an S3 version); AWS sends `null` when it
    /// has none, and so does serialization.
    #[serde(default)]
    pub revision: Option<String>,
    /// Where the artifact is stored.
    pub location: CodePipelineArtifactLocation,
}

/// Where an artifact is stored.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineArtifactLocation {
    /// The store type; always `S3`.
    #[serde(rename = "type")]
    pub location_type: String,
    /// The S3 bucket and key of the artifact.
    pub s3_location: Option<CodePipelineS3Location>,
}

/// An artifact's S3 location.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineS3Location {
    /// The artifact bucket.
    pub bucket_name: String,
    /// The key of the artifact (a zip file) in the bucket.
    pub object_key: String,
}

/// Temporary credentials for the artifact store.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineArtifactCredentials {
    /// The access key ID.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token.
    pub session_token: String,
    /// When the credentials expire.
    pub expiration_time: Option<EpochMillis>,
}

/// The key that encrypts the artifact store.
#[event]
pub struct CodePipelineEncryptionKey {
    /// The key ID or ARN.
    pub id: String,
    /// The key type; always `KMS`.
    #[serde(rename = "type")]
    pub key_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn job_fixture_round_trips() {
        let event: CodePipelineEvent = round_trip(&fixture("codepipeline/job.json"));
        let job = &event.job;
        assert_eq!(job.id, "c0d76431-b0e7-xmpl-97e3-e8ee786eb6f6");
        assert_eq!(job.account_id.as_deref(), Some("123456789012"));
        let config = &job.data.action_configuration.configuration;
        assert_eq!(config.function_name.as_deref(), Some("my-function"));
        let input = &job.data.input_artifacts[0];
        assert_eq!(
            input.revision.as_deref(),
            Some("e0c7xmpl2308ca3071aa7bab414de234ab52eea")
        );
        let s3 = input.location.s3_location.as_ref().unwrap();
        assert_eq!(s3.bucket_name, "us-west-2-123456789012-my-pipeline");
        assert_eq!(s3.object_key, "my-pipeline/test-api-2/TdOSFRV");
        assert_eq!(job.data.output_artifacts[0].revision, None);
        let credentials = job.data.artifact_credentials.as_ref().unwrap();
        assert_eq!(
            credentials
                .expiration_time
                .as_ref()
                .unwrap()
                .to_system_time(),
            Some(UNIX_EPOCH + Duration::from_millis(1_575_493_418_000))
        );
    }

    #[test]
    fn user_parameters_parse_as_json() {
        let event: CodePipelineEvent = round_trip(&fixture("codepipeline/job.json"));
        let params: std::collections::HashMap<String, String> = event
            .job
            .data
            .action_configuration
            .configuration
            .user_parameters_json()
            .unwrap();
        assert_eq!(params["KEY"], "VALUE");
    }

    #[test]
    fn continuation_fixture_round_trips() {
        let event: CodePipelineEvent = round_trip(&fixture("codepipeline/continuation.json"));
        let data = &event.job.data;
        assert_eq!(
            data.continuation_token.as_deref(),
            Some("{\"previous_job_id\": \"11111111-abcd-1111-abcd-111111abcdef\"}")
        );
        assert!(data.output_artifacts.is_empty());
        assert_eq!(data.input_artifacts[0].revision, None);
        assert_eq!(data.encryption_key.as_ref().unwrap().key_type, "KMS");
    }
}
