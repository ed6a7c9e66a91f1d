//! Amazon DocumentDB change stream events (feature `documentdb`).
//!
//! Lambda reads a DocumentDB change stream and calls the function with a [`DocumentDbEvent`]:
//! a batch of change events in MongoDB Extended JSON (`{"$oid": ..}`, `{"$timestamp": ..}`).
//! The full document is a [`serde_json::Value`] by default; name a type to decode it
//! (`DocumentDbEvent<MyDocument>`).

use lambda_events_derive::event;

/// A batch of change stream events.
///
/// ```
/// use lambda_events::documentdb::DocumentDbEvent;
///
/// let json = r#"{"eventSource":"aws:docdb",
///     "eventSourceArn":"arn:aws:rds:us-east-1:123456789012:cluster:orders",
///     "events":[{"event":{"_id":{"_data":"0163eeb6e7"},"operationType":"insert",
///         "ns":{"db":"shop","coll":"orders"},
///         "documentKey":{"_id":{"$oid":"63eeb6e7d418cd98afb1c1d7"}},
///         "fullDocument":{"_id":{"$oid":"63eeb6e7d418cd98afb1c1d7"},"total":12}}}]}"#;
/// let event: DocumentDbEvent = serde_json::from_str(json)?;
/// let change = &event.events[0].event;
/// assert_eq!(change.operation_type, "insert");
/// assert_eq!(change.full_document.as_ref().unwrap()["total"], 12);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct DocumentDbEvent<D = serde_json::Value> {
    /// ARN of the DocumentDB cluster.
    pub event_source_arn: String,
    /// The change events.
    pub events: Vec<DocumentDbEventRecord<D>>,
    /// Always `aws:docdb`.
    pub event_source: String,
}

/// A wrapper around one change event.
#[event]
pub struct DocumentDbEventRecord<D = serde_json::Value> {
    /// The change event.
    pub event: ChangeEvent<D>,
}

/// One change event of the stream.
#[event]
#[serde(rename_all = "camelCase")]
// serde would require `D: Default` for the defaulted `Option<D>`; `Option` is its own default.
#[serde(bound(deserialize = "D: serde::Deserialize<'de>"))]
pub struct ChangeEvent<D = serde_json::Value> {
    /// Resume token of the event (`{"_data": ..}`).
    #[serde(rename = "_id")]
    pub id: serde_json::Value,
    /// `insert`, `update`, `replace`, `delete`, `drop`, `rename`, `dropDatabase` or
    /// `invalidate`.
    pub operation_type: String,
    /// Database and collection of the change.
    pub ns: Option<Namespace>,
    /// `_id` of the changed document (`{"_id": {"$oid": ..}}`).
    pub document_key: Option<serde_json::Value>,
    /// The document: after an insert or replace, and after an update when the event source
    /// mapping asks for `UpdateLookup`.
    pub full_document: Option<D>,
    /// Fields changed by an update.
    pub update_description: Option<UpdateDescription>,
    /// Operation time of the change.
    pub cluster_time: Option<ClusterTime>,
    /// New name of a renamed collection.
    pub to: Option<Namespace>,
    /// Transaction number, for changes made in a transaction.
    pub txn_number: Option<serde_json::Value>,
    /// Session of the transaction.
    pub lsid: Option<serde_json::Value>,
}

/// A database and collection.
#[event(keep_nulls)]
pub struct Namespace {
    /// Database name.
    pub db: String,
    /// Collection name (absent for database-level events).
    pub coll: Option<String>,
}

/// The changes of an update.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDescription {
    /// Fields set by the update, with their new values.
    pub updated_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields removed by the update.
    pub removed_fields: Option<Vec<String>>,
    /// Arrays truncated by the update.
    pub truncated_arrays: Option<Vec<serde_json::Value>>,
}

/// A BSON timestamp in Extended JSON: `{"$timestamp": {"t": .., "i": ..}}`.
#[event]
pub struct ClusterTime {
    /// The timestamp.
    #[serde(rename = "$timestamp")]
    pub timestamp: BsonTimestamp,
}

/// A BSON timestamp: seconds since the Unix epoch and an ordinal within the second.
#[event]
pub struct BsonTimestamp {
    /// Seconds since the Unix epoch.
    pub t: u32,
    /// Ordinal of the operation within the second.
    pub i: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn insert_event_round_trips() {
        let event: DocumentDbEvent = round_trip(&fixture("documentdb/insert.json"));
        assert_eq!(event.event_source, "aws:docdb");
        let change = &event.events[0].event;
        assert_eq!(change.operation_type, "insert");
        assert_eq!(change.id["_data"], "0163eeb6e7000000090100000009000041e1");
        let ns = change.ns.as_ref().unwrap();
        assert_eq!(
            (ns.db.as_str(), ns.coll.as_deref()),
            ("test_database", Some("test_collection"))
        );
        let time = &change.cluster_time.as_ref().unwrap().timestamp;
        assert_eq!((time.t, time.i), (1676588775, 9));
        assert_eq!(
            change.full_document.as_ref().unwrap()["anyField"],
            "sampleValue"
        );
    }

    #[test]
    fn update_event_round_trips() {
        let event: DocumentDbEvent = round_trip(&fixture("documentdb/update.json"));
        let change = &event.events[0].event;
        assert_eq!(change.operation_type, "update");
        let update = change.update_description.as_ref().unwrap();
        assert_eq!(update.updated_fields.as_ref().unwrap()["status"], "shipped");
        assert_eq!(
            update.removed_fields.as_deref(),
            Some(&["draft".to_owned()][..])
        );
        assert!(change.full_document.is_none());
    }

    #[test]
    fn full_document_decodes_into_a_user_type() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Doc {
            #[serde(rename = "anyField")]
            any_field: String,
        }
        let json = fixture("documentdb/insert.json");
        let event: DocumentDbEvent<Doc> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            event.events[0]
                .event
                .full_document
                .as_ref()
                .unwrap()
                .any_field,
            "sampleValue"
        );
    }
}
