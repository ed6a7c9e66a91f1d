//! Amazon S3 Object Lambda access point events (feature `s3-object-lambda`).
//!
//! An Object Lambda access point calls the function with an [`S3ObjectLambdaEvent`] for each
//! `GetObject`, `HeadObject`, `ListObjects` or `ListObjectsV2` request it serves. Exactly one of
//! the `*_context` fields is present; [`S3ObjectLambdaEvent::operation`] says which. For
//! `GetObject` the function fetches `inputS3Url` and sends the transformed object with the
//! `WriteGetObjectResponse` API, passing `outputRoute` and `outputToken`.

use crate::encodings::Headers;
use lambda_events_derive::event;

/// A request made through an S3 Object Lambda access point.
///
/// ```
/// use lambda_events::s3_object_lambda::{Operation, S3ObjectLambdaEvent};
///
/// let json = r#"{"xAmzRequestId":"req-1","protocolVersion":"1.00",
///     "getObjectContext":{"inputS3Url":"https://ap.example/key?X-Amz-Signature=x",
///                         "outputRoute":"io-use1-001","outputToken":"token"},
///     "configuration":{"accessPointArn":"arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/olap",
///                      "supportingAccessPointArn":"arn:aws:s3:us-east-1:111122223333:accesspoint/ap"},
///     "userRequest":{"url":"https://olap.example/key","headers":{}},
///     "userIdentity":{"type":"IAMUser","principalId":"AIDA"}}"#;
/// let event: S3ObjectLambdaEvent = serde_json::from_str(json)?;
/// match event.operation() {
///     Some(Operation::GetObject(context)) => assert_eq!(context.output_route, "io-use1-001"),
///     _ => unreachable!(),
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaEvent {
    /// S3 request ID of this request (log it to help debugging).
    pub x_amz_request_id: String,
    /// Present on `GetObject` requests.
    pub get_object_context: Option<GetObjectContext>,
    /// Present on `HeadObject` requests.
    pub head_object_context: Option<InputS3UrlContext>,
    /// Present on `ListObjects` requests.
    pub list_objects_context: Option<InputS3UrlContext>,
    /// Present on `ListObjectsV2` requests.
    #[serde(rename = "listObjectsV2Context")]
    pub list_objects_v2_context: Option<InputS3UrlContext>,
    /// The access point configuration.
    pub configuration: S3ObjectLambdaConfiguration,
    /// The request the caller made.
    pub user_request: UserRequest,
    /// The caller.
    pub user_identity: UserIdentity,
    /// Version of this event format, such as `1.00`.
    pub protocol_version: String,
}

/// Which request an event is for, with its context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operation<'a> {
    /// `GetObject`: answer with the `WriteGetObjectResponse` API.
    GetObject(&'a GetObjectContext),
    /// `HeadObject`.
    HeadObject(&'a InputS3UrlContext),
    /// `ListObjects`.
    ListObjects(&'a InputS3UrlContext),
    /// `ListObjectsV2`.
    ListObjectsV2(&'a InputS3UrlContext),
}

impl S3ObjectLambdaEvent {
    /// The request this event is for; `None` when no context this version knows is present.
    pub fn operation(&self) -> Option<Operation<'_>> {
        if let Some(context) = &self.get_object_context {
            Some(Operation::GetObject(context))
        } else if let Some(context) = &self.head_object_context {
            Some(Operation::HeadObject(context))
        } else if let Some(context) = &self.list_objects_context {
            Some(Operation::ListObjects(context))
        } else {
            self.list_objects_v2_context
                .as_ref()
                .map(Operation::ListObjectsV2)
        }
    }
}

/// Where to read the original object and where to send the result of a `GetObject`.
#[event]
#[serde(rename_all = "camelCase")]
pub struct GetObjectContext {
    /// Presigned URL of the original object on the supporting access point.
    pub input_s3_url: String,
    /// Routing token to pass to `WriteGetObjectResponse`.
    pub output_route: String,
    /// Token to pass to `WriteGetObjectResponse`.
    pub output_token: String,
}

/// The presigned URL of the original request on the supporting access point (`HeadObject`,
/// `ListObjects`, `ListObjectsV2`).
#[event]
#[serde(rename_all = "camelCase")]
pub struct InputS3UrlContext {
    /// Presigned URL on the supporting access point.
    pub input_s3_url: String,
}

/// The Object Lambda access point configuration.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaConfiguration {
    /// ARN of the Object Lambda access point that received the request.
    pub access_point_arn: String,
    /// ARN of the supporting access point.
    pub supporting_access_point_arn: String,
    /// Custom data from the access point configuration, an opaque string.
    pub payload: Option<String>,
}

/// The request the caller made to the Object Lambda access point.
#[event]
#[serde(rename_all = "camelCase")]
pub struct UserRequest {
    /// Decoded URL of the request.
    pub url: String,
    /// Headers of the request, as sent (`X-Amz-*` headers included).
    pub headers: Headers,
}

/// The identity that made the request (as in CloudTrail).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// Identity type, such as `IAMUser`, `AssumedRole` or `AWSAccount`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Principal ID.
    pub principal_id: String,
    /// ARN of the principal.
    pub arn: Option<String>,
    /// Account of the principal.
    pub account_id: Option<String>,
    /// Access key used to sign the request.
    pub access_key_id: Option<String>,
    /// User name, for IAM users.
    pub user_name: Option<String>,
    /// Present when the request used temporary credentials.
    pub session_context: Option<SessionContext>,
}

/// The session of temporary credentials.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext {
    /// Session attributes.
    pub attributes: Option<SessionAttributes>,
    /// Who issued the credentials.
    pub session_issuer: Option<SessionIssuer>,
}

/// Attributes of a session.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SessionAttributes {
    /// `"true"` or `"false"` (a string on the wire).
    pub mfa_authenticated: Option<String>,
    /// When the credentials were issued, such as `Wed Mar 10 23:41:52 UTC 2021`.
    pub creation_date: Option<String>,
}

/// Who issued temporary credentials.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer {
    /// Issuer type, such as `Role`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Principal ID of the issuer.
    pub principal_id: Option<String>,
    /// ARN of the issuer.
    pub arn: Option<String>,
    /// Account of the issuer.
    pub account_id: Option<String>,
    /// Name of the issuing role or user.
    pub user_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn get_object_event_round_trips() {
        let event: S3ObjectLambdaEvent = round_trip(&fixture("s3_object_lambda/get-object.json"));
        let Some(Operation::GetObject(context)) = event.operation() else {
            panic!("expected GetObject, got {:?}", event.operation());
        };
        assert_eq!(context.output_route, "io-use1-001");
        assert_eq!(context.output_token, "OutputToken");
        assert!(context
            .input_s3_url
            .starts_with("https://my-s3-ap-111122223333.s3-accesspoint"));
        assert_eq!(event.configuration.payload.as_deref(), Some("{}"));
        assert_eq!(event.user_request.headers["Accept-Encoding"], "identity");
        assert_eq!(event.user_identity.kind, "AssumedRole");
        let session = event.user_identity.session_context.as_ref().unwrap();
        assert_eq!(
            session
                .session_issuer
                .as_ref()
                .unwrap()
                .user_name
                .as_deref(),
            Some("Admin")
        );
        assert_eq!(event.protocol_version, "1.00");
    }

    #[test]
    fn head_object_event_round_trips() {
        let event: S3ObjectLambdaEvent = round_trip(&fixture("s3_object_lambda/head-object.json"));
        let Some(Operation::HeadObject(context)) = event.operation() else {
            panic!("expected HeadObject, got {:?}", event.operation());
        };
        assert!(context.input_s3_url.contains("/example?"));
        assert_eq!(event.user_identity.kind, "IAMUser");
    }

    #[test]
    fn list_objects_v2_event_round_trips() {
        let event: S3ObjectLambdaEvent =
            round_trip(&fixture("s3_object_lambda/list-objects-v2.json"));
        assert!(matches!(
            event.operation(),
            Some(Operation::ListObjectsV2(_))
        ));
    }

    #[test]
    fn list_objects_v1_is_told_apart_from_v2() {
        let json = fixture("s3_object_lambda/list-objects-v2.json")
            .replace("listObjectsV2Context", "listObjectsContext");
        let event: S3ObjectLambdaEvent = round_trip(&json);
        assert!(matches!(event.operation(), Some(Operation::ListObjects(_))));
    }
}
