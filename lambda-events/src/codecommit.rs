//! AWS CodeCommit trigger events.
//!
//! A repository trigger that targets Lambda invokes the function (asynchronously) with a
//! [`CodeCommitEvent`] when branches or tags are created, deleted or pushed to.
//!
//! ```
//! use lambda_events::codecommit::CodeCommitEvent;
//!
//! fn pushed_refs(event: &CodeCommitEvent) -> Vec<(&str, &str)> {
//!     event
//!         .records
//!         .iter()
//!         .flat_map(|record| &record.codecommit.references)
//!         .map(|r| (r.reference.as_str(), r.commit.as_str()))
//!         .collect()
//! }
//! # let event: CodeCommitEvent = serde_json::from_str(r#"{"Records":[{"codecommit":
//! #   {"references":[{"commit":"5e49","ref":"refs/heads/main"}]}}]}"#).unwrap();
//! # assert_eq!(pushed_refs(&event), [("refs/heads/main", "5e49")]);
//! ```

use lambda_events_derive::event;

/// The event a CodeCommit trigger sends.
#[event]
pub struct CodeCommitEvent {
    /// The trigger records (one per event part).
    #[serde(rename = "Records")]
    pub records: Vec<CodeCommitRecord>,
}

/// One trigger record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CodeCommitRecord {
    /// The Region of the repository, such as `us-east-2`.
    pub aws_region: Option<String>,
    /// What changed in the repository.
    pub codecommit: CodeCommitData,
    /// The custom data configured on the trigger, if any.
    pub custom_data: Option<String>,
    /// The unique ID of the event.
    pub event_id: Option<String>,
    /// The event name, such as `ReferenceChanges`.
    pub event_name: Option<String>,
    /// The part number of this record when the event is split into parts.
    pub event_part_number: Option<u64>,
    /// Always `aws:codecommit`.
    pub event_source: Option<String>,
    /// The ARN of the repository.
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: Option<String>,
    /// When the event happened, as CodeCommit writes it: `2019-03-12T20:58:25.400+0000`.
    ///
    /// Kept as a string: the offset has no colon, so this is not RFC 3339.
    pub event_time: Option<String>,
    /// The number of parts of the event.
    pub event_total_parts: Option<u64>,
    /// The ID of the trigger configuration.
    pub event_trigger_config_id: Option<String>,
    /// The name of the trigger.
    pub event_trigger_name: Option<String>,
    /// The version of the record format, such as `1.0`.
    pub event_version: Option<String>,
    /// The ARN of the IAM identity that made the change.
    #[serde(rename = "userIdentityARN")]
    pub user_identity_arn: Option<String>,
}

/// The `codecommit` object of a record.
#[event]
pub struct CodeCommitData {
    /// The references (branches and tags) that changed.
    pub references: Vec<CodeCommitReference>,
}

/// One changed reference.
#[event(keep_nulls)]
pub struct CodeCommitReference {
    /// The commit ID the reference points to after the change.
    pub commit: String,
    /// The full reference name, such as `refs/heads/main` or `refs/tags/v1`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `true` when the reference was created by this change.
    pub created: Option<bool>,
    /// `true` when the reference was deleted by this change.
    pub deleted: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn reference_changes_fixture_round_trips() {
        let event: CodeCommitEvent = round_trip(&fixture("codecommit/reference_changes.json"));
        let record = &event.records[0];
        assert_eq!(record.event_name.as_deref(), Some("ReferenceChanges"));
        assert_eq!(
            record.event_source_arn.as_deref(),
            Some("arn:aws:codecommit:us-east-2:123456789012:lambda-pipeline-repo")
        );
        assert_eq!(record.event_part_number, Some(1));
        let reference = &record.codecommit.references[0];
        assert_eq!(reference.reference, "refs/heads/master");
        assert_eq!(reference.commit, "5e493c6f3067653f3d04eca608b4901eb227078");
    }

    #[test]
    fn created_branch_fixture_round_trips() {
        let event: CodeCommitEvent = round_trip(&fixture("codecommit/branch_created.json"));
        let record = &event.records[0];
        assert_eq!(record.custom_data.as_deref(), Some("deploy-on-push"));
        assert_eq!(record.codecommit.references[0].created, Some(true));
        assert_eq!(record.codecommit.references[1].deleted, Some(true));
    }
}
