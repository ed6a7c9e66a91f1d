//! IAM policy documents, as returned by API Gateway Lambda authorizers.
//!
//! ```
//! use lambda_events::iam::{Effect, PolicyDocument, Statement};
//!
//! let policy = PolicyDocument {
//!     version: "2012-10-17".to_owned(),
//!     statement: vec![Statement {
//!         effect: Effect::Allow,
//!         action: Some("execute-api:Invoke".into()),
//!         resource: Some("arn:aws:execute-api:us-east-1:123456789012:abcdef123/*/GET/".into()),
//!         ..Default::default()
//!     }],
//!     ..Default::default()
//! };
//! let json = serde_json::to_value(&policy).unwrap();
//! assert_eq!(json["Statement"][0]["Effect"], "Allow");
//! assert_eq!(json["Statement"][0]["Action"], "execute-api:Invoke");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

pub use crate::encodings::StringOrList;

/// An IAM policy document: a version and a list of statements.
#[event]
pub struct PolicyDocument {
    /// The policy language version, `"2012-10-17"` for current policies.
    #[serde(rename = "Version")]
    pub version: String,
    /// An optional identifier of the policy.
    #[serde(rename = "Id")]
    pub id: Option<String>,
    /// The statements; AWS evaluates all of them (an explicit `Deny` wins).
    #[serde(rename = "Statement")]
    pub statement: Vec<Statement>,
}

/// One statement of a [`PolicyDocument`].
///
/// `Action`, `Resource` and their `Not*` forms accept a single string or an array, and are
/// written back the way they were read (see [`StringOrList`]).
#[event]
pub struct Statement {
    /// An optional statement identifier.
    #[serde(rename = "Sid")]
    pub sid: Option<String>,
    /// Whether the statement allows or denies.
    #[serde(rename = "Effect")]
    pub effect: Effect,
    /// Who the statement applies to (resource policies): `"*"` or a map such as
    /// `{"AWS": "arn:aws:iam::123456789012:root"}`.
    #[serde(rename = "Principal")]
    pub principal: Option<serde_json::Value>,
    /// Everyone except these principals.
    #[serde(rename = "NotPrincipal")]
    pub not_principal: Option<serde_json::Value>,
    /// The actions, for example `"execute-api:Invoke"`.
    #[serde(rename = "Action")]
    pub action: Option<StringOrList>,
    /// Every action except these.
    #[serde(rename = "NotAction")]
    pub not_action: Option<StringOrList>,
    /// The resource ARNs, for example a method ARN of an API.
    #[serde(rename = "Resource")]
    pub resource: Option<StringOrList>,
    /// Every resource except these.
    #[serde(rename = "NotResource")]
    pub not_resource: Option<StringOrList>,
    /// Conditions under which the statement applies.
    #[serde(rename = "Condition")]
    pub condition: Option<Condition>,
}

/// A statement's `Condition` block: operator (`"StringEquals"`, `"IpAddress"`, ...) to a map of
/// condition key (`"aws:SourceIp"`) to value.
///
/// Values are kept as JSON because IAM allows strings, arrays, booleans and numbers there.
pub type Condition = HashMap<String, HashMap<String, serde_json::Value>>;

/// The `Effect` of a [`Statement`].
#[event]
pub enum Effect {
    /// `"Allow"`.
    Allow,
    /// `"Deny"`.
    Deny,
}

impl Default for Effect {
    /// `Deny`: a statement nobody filled in must not grant access.
    fn default() -> Self {
        Effect::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn policy_with_conditions_round_trips() {
        let policy: PolicyDocument = round_trip(&fixture("iam/policy_with_conditions.json"));
        assert_eq!(policy.version, "2012-10-17");
        assert_eq!(policy.statement.len(), 2);
        let first = &policy.statement[0];
        assert_eq!(first.effect, Effect::Allow);
        assert_eq!(
            first.action,
            Some(StringOrList::One("lambda:InvokeFunction".into()))
        );
        let condition = first.condition.as_ref().unwrap();
        assert_eq!(
            condition["StringEquals"]["aws:SourceAccount"],
            serde_json::json!("111122223333")
        );
        let second = &policy.statement[1];
        assert_eq!(second.effect, Effect::Deny);
        assert!(second
            .action
            .as_ref()
            .unwrap()
            .contains("dynamodb:DeleteItem"));
        assert_eq!(second.resource.as_ref().unwrap().first(), Some("*"));
    }

    #[test]
    fn unknown_effect_is_kept_and_written_back() {
        let statement: Statement = serde_json::from_str(r#"{"Effect":"Maybe"}"#).unwrap();
        assert_eq!(statement.effect, Effect::Other("Maybe".to_owned()));
        assert_eq!(
            serde_json::to_value(&statement).unwrap(),
            serde_json::json!({"Effect": "Maybe"})
        );
        let err = serde_json::from_str::<Statement>(r#"{"Effect":1}"#).unwrap_err();
        assert!(err.to_string().contains("a string"), "{err}");
    }
}
