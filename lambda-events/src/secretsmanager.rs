//! AWS Secrets Manager rotation (feature `secretsmanager`).
//!
//! Secrets Manager rotates a secret by invoking the rotation function synchronously four
//! times, once per [`RotationStep`], with a [`SecretsManagerRotationEvent`]. The function
//! returns nothing (`()`); an error fails the rotation.

use lambda_events_derive::event;

/// One step of a secret rotation.
///
/// ```
/// use lambda_events::secretsmanager::{RotationStep, SecretsManagerRotationEvent};
///
/// let json = r#"{"Step":"createSecret","SecretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
///                "ClientRequestToken":"6f1e3c2a-7d4b-4c1e-9a2f-0c8b5d6e7f80"}"#;
/// let event: SecretsManagerRotationEvent = serde_json::from_str(json)?;
/// match event.step {
///     RotationStep::CreateSecret => { /* store a new AWSPENDING version */ }
///     RotationStep::SetSecret => { /* set the password in the database */ }
///     RotationStep::TestSecret => { /* log in with the pending version */ }
///     RotationStep::FinishSecret => { /* move AWSCURRENT to the new version */ }
///     RotationStep::Other(step) => { /* a step added after this version: fail loudly */ }
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event(no_default)]
pub struct SecretsManagerRotationEvent {
    /// The step to perform.
    #[serde(rename = "Step")]
    pub step: RotationStep,
    /// ARN of the secret.
    #[serde(rename = "SecretId")]
    pub secret_id: String,
    /// Version ID of the new secret version (the `AWSPENDING` one).
    #[serde(rename = "ClientRequestToken")]
    pub client_request_token: String,
    /// Token to pass to Secrets Manager API calls on a secret in another account.
    #[serde(rename = "RotationToken")]
    pub rotation_token: Option<String>,
}

/// The steps of a rotation, in the order Secrets Manager calls them.
#[event]
#[derive(Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum RotationStep {
    /// Create a new version of the secret, staged `AWSPENDING`.
    CreateSecret,
    /// Change the credentials in the database or service to the pending version.
    SetSecret,
    /// Check that the pending version works.
    TestSecret,
    /// Move the `AWSCURRENT` label to the pending version.
    FinishSecret,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn rotation_event_round_trips() {
        let event: SecretsManagerRotationEvent =
            round_trip(&fixture("secretsmanager/rotation.json"));
        assert_eq!(event.step, RotationStep::CreateSecret);
        assert_eq!(
            event.secret_id,
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:MyTestDatabaseSecret-a1b2c3"
        );
        assert_eq!(
            event.client_request_token,
            "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1"
        );
        assert_eq!(event.rotation_token, None);
    }

    #[test]
    fn every_step_has_its_wire_name() {
        for (step, name) in [
            (RotationStep::CreateSecret, "createSecret"),
            (RotationStep::SetSecret, "setSecret"),
            (RotationStep::TestSecret, "testSecret"),
            (RotationStep::FinishSecret, "finishSecret"),
        ] {
            assert_eq!(serde_json::to_value(&step).unwrap(), name);
            assert_eq!(
                serde_json::from_value::<RotationStep>(name.into()).unwrap(),
                step
            );
        }
    }

    #[test]
    fn unknown_step_is_kept_and_a_wrong_type_is_an_error_with_its_path() {
        let json = fixture("secretsmanager/rotation.json").replace("createSecret", "rollback");
        let event: SecretsManagerRotationEvent = round_trip(&json);
        assert_eq!(event.step, RotationStep::Other("rollback".to_owned()));
        let json = json.replace(r#""rollback""#, "null");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err =
            serde_path_to_error::deserialize::<_, SecretsManagerRotationEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Step");
    }
}
