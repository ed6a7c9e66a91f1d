//! Cognito Sync events.

use std::collections::HashMap;

use lambda_events_derive::event;

/// The event a Cognito Sync trigger sends when a dataset is synchronized. The function returns
/// the event, with any changes to `datasetRecords`.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CognitoSyncEvent {
    /// The event format version.
    pub version: i64,
    /// The event type, `SyncTrigger`.
    pub event_type: String,
    /// The Region of the identity pool.
    pub region: String,
    /// The ID of the identity pool.
    pub identity_pool_id: String,
    /// The identity whose dataset changed.
    pub identity_id: String,
    /// The name of the dataset.
    pub dataset_name: String,
    /// The changed records, by key.
    #[serde(default)]
    pub dataset_records: HashMap<String, CognitoSyncDatasetRecord>,
}

/// A changed record of a Cognito Sync dataset.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CognitoSyncDatasetRecord {
    /// The value after the change.
    pub new_value: Option<String>,
    /// The value before the change.
    pub old_value: Option<String>,
    /// The operation: `replace` or `remove`.
    pub op: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn sync_trigger_fixture_round_trips() {
        let event: CognitoSyncEvent = round_trip(&fixture("cognito/sync_trigger.json"));
        assert_eq!(event.version, 2);
        assert_eq!(event.event_type, "SyncTrigger");
        assert_eq!(event.dataset_name, "datasetName");
        let record = &event.dataset_records["SampleKey1"];
        assert_eq!(record.new_value.as_deref(), Some("newValue1"));
        assert_eq!(record.old_value.as_deref(), Some("oldValue1"));
        assert_eq!(record.op, "replace");
    }
}
