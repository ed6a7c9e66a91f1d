//! CloudFormation custom resource requests and responses.
//!
//! CloudFormation invokes the function behind a custom resource (asynchronously) with a
//! [`CustomResourceRequest`]; the function reports the outcome by sending a
//! [`CustomResourceResponse`] as the body of an HTTP `PUT` to the request's presigned
//! `ResponseURL` (not as the function's return value).
//!
//! `ResourceProperties` (and `OldResourceProperties` on updates) are whatever the template author
//! wrote under `Properties`, so the request is generic over their type; it defaults to
//! [`serde_json::Value`]. Note that CloudFormation passes every property value as a string
//! (numbers and booleans included), and includes `ServiceToken` among them.
//!
//! ```
//! use lambda_events::cloudformation::{CustomResourceRequest, CustomResourceResponse};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct BucketProps {
//!     bucket_name: String,
//! }
//!
//! fn handle(request: &CustomResourceRequest<BucketProps>) -> CustomResourceResponse {
//!     match request {
//!         CustomResourceRequest::Create(create) => {
//!             let name = &create.resource_properties.bucket_name;
//!             CustomResourceResponse::success(request, name.clone())
//!                 .with_data(serde_json::json!({ "Arn": format!("arn:aws:s3:::{name}") }))
//!         }
//!         CustomResourceRequest::Update(_) | CustomResourceRequest::Delete(_) => {
//!             // Keep the physical ID: returning a new one on update means "replaced".
//!             let id = request.physical_resource_id().unwrap_or_default().to_owned();
//!             CustomResourceResponse::success(request, id)
//!         }
//!     }
//! }
//! # let json = r#"{"RequestType":"Create","ResponseURL":"https://example.com","StackId":"s",
//! #   "RequestId":"r","ResourceType":"Custom::Bucket","LogicalResourceId":"B",
//! #   "ResourceProperties":{"ServiceToken":"arn","BucketName":"b"}}"#;
//! # let request: CustomResourceRequest<BucketProps> = serde_json::from_str(json).unwrap();
//! # assert_eq!(handle(&request).physical_resource_id, "b");
//! ```

use lambda_events_derive::event;

/// A custom resource request, tagged by its `RequestType` (`Create`, `Update` or `Delete`).
///
/// `P` is the type of `ResourceProperties` and `OldResourceProperties`.
#[event]
#[serde(tag = "RequestType")]
pub enum CustomResourceRequest<P = serde_json::Value> {
    /// The stack is creating the resource.
    Create(CreateRequest<P>),
    /// The stack is updating the resource; the old properties are included.
    Update(UpdateRequest<P>),
    /// The stack is deleting the resource.
    Delete(DeleteRequest<P>),
}

impl<P> CustomResourceRequest<P> {
    /// The presigned S3 URL to `PUT` the [`CustomResourceResponse`] to; `None` under the CDK
    /// provider framework, which answers CloudFormation itself (return a
    /// [`CdkProviderResponse`] or [`CdkIsCompleteResponse`] instead).
    pub fn response_url(&self) -> Option<&str> {
        match self {
            Self::Create(r) => r.response_url.as_deref(),
            Self::Update(r) => r.response_url.as_deref(),
            Self::Delete(r) => r.response_url.as_deref(),
        }
    }

    /// The ARN of the stack that holds the resource.
    pub fn stack_id(&self) -> &str {
        match self {
            Self::Create(r) => &r.stack_id,
            Self::Update(r) => &r.stack_id,
            Self::Delete(r) => &r.stack_id,
        }
    }

    /// The unique ID of this request, to echo in the response.
    pub fn request_id(&self) -> &str {
        match self {
            Self::Create(r) => &r.request_id,
            Self::Update(r) => &r.request_id,
            Self::Delete(r) => &r.request_id,
        }
    }

    /// The template's logical name of the resource.
    pub fn logical_resource_id(&self) -> &str {
        match self {
            Self::Create(r) => &r.logical_resource_id,
            Self::Update(r) => &r.logical_resource_id,
            Self::Delete(r) => &r.logical_resource_id,
        }
    }

    /// The resource type from the template, such as `Custom::MyResource`.
    pub fn resource_type(&self) -> &str {
        match self {
            Self::Create(r) => &r.resource_type,
            Self::Update(r) => &r.resource_type,
            Self::Delete(r) => &r.resource_type,
        }
    }

    /// The properties the template sets on the resource (the new ones, for an update).
    pub fn resource_properties(&self) -> &P {
        match self {
            Self::Create(r) => &r.resource_properties,
            Self::Update(r) => &r.resource_properties,
            Self::Delete(r) => &r.resource_properties,
        }
    }

    /// The physical ID the function returned at creation; `None` for a `Create` request
    /// (except in the CDK provider framework's `isComplete` events).
    pub fn physical_resource_id(&self) -> Option<&str> {
        match self {
            Self::Create(r) => r.physical_resource_id.as_deref(),
            Self::Update(r) => Some(&r.physical_resource_id),
            Self::Delete(r) => Some(&r.physical_resource_id),
        }
    }
}

/// A `Create` request.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct CreateRequest<P = serde_json::Value> {
    /// The ARN of the function, as set in the template's `ServiceToken` property.
    pub service_token: Option<String>,
    /// The presigned S3 URL that receives the response; absent in the events the CDK
    /// provider framework passes to its `onEvent` and `isComplete` handlers.
    #[serde(rename = "ResponseURL")]
    pub response_url: Option<String>,
    /// The ARN of the stack.
    pub stack_id: String,
    /// The unique ID of the request.
    pub request_id: String,
    /// The resource type, such as `Custom::MyResource` or `AWS::CloudFormation::CustomResource`.
    pub resource_type: String,
    /// The template's logical name of the resource.
    pub logical_resource_id: String,
    /// The `Properties` of the resource in the template.
    pub resource_properties: P,
    /// The physical ID the `onEvent` handler returned (CDK provider framework `isComplete`
    /// events only).
    pub physical_resource_id: Option<String>,
    /// The data the `onEvent` handler returned (CDK provider framework `isComplete` events
    /// only).
    pub data: Option<serde_json::Value>,
}

/// An `Update` request.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateRequest<P = serde_json::Value> {
    /// The ARN of the function, as set in the template's `ServiceToken` property.
    pub service_token: Option<String>,
    /// The presigned S3 URL that receives the response; absent in the events the CDK
    /// provider framework passes to its `onEvent` and `isComplete` handlers.
    #[serde(rename = "ResponseURL")]
    pub response_url: Option<String>,
    /// The ARN of the stack.
    pub stack_id: String,
    /// The unique ID of the request.
    pub request_id: String,
    /// The resource type, such as `Custom::MyResource` or `AWS::CloudFormation::CustomResource`.
    pub resource_type: String,
    /// The template's logical name of the resource.
    pub logical_resource_id: String,
    /// The physical ID the function returned when it created the resource.
    pub physical_resource_id: String,
    /// The new `Properties` of the resource in the template.
    pub resource_properties: P,
    /// The `Properties` before this update.
    pub old_resource_properties: P,
    /// The data the `onEvent` handler returned (CDK provider framework `isComplete` events
    /// only).
    pub data: Option<serde_json::Value>,
}

/// A `Delete` request.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteRequest<P = serde_json::Value> {
    /// The ARN of the function, as set in the template's `ServiceToken` property.
    pub service_token: Option<String>,
    /// The presigned S3 URL that receives the response; absent in the events the CDK
    /// provider framework passes to its `onEvent` and `isComplete` handlers.
    #[serde(rename = "ResponseURL")]
    pub response_url: Option<String>,
    /// The ARN of the stack.
    pub stack_id: String,
    /// The unique ID of the request.
    pub request_id: String,
    /// The resource type, such as `Custom::MyResource` or `AWS::CloudFormation::CustomResource`.
    pub resource_type: String,
    /// The template's logical name of the resource.
    pub logical_resource_id: String,
    /// The physical ID the function returned when it created the resource.
    pub physical_resource_id: String,
    /// The `Properties` of the resource in the template.
    pub resource_properties: P,
    /// The data the `onEvent` handler returned (CDK provider framework `isComplete` events
    /// only).
    pub data: Option<serde_json::Value>,
}

/// What a CDK provider framework `onEvent` handler returns (the framework reports it to
/// CloudFormation).
///
/// ```
/// use lambda_events::cloudformation::CdkProviderResponse;
///
/// let response = CdkProviderResponse {
///     physical_resource_id: Some("bucket-1".into()),
///     data: Some(serde_json::json!({"Arn": "arn:aws:s3:::bucket-1"})),
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_value(&response).unwrap(),
///     serde_json::json!({"PhysicalResourceId": "bucket-1", "Data": {"Arn": "arn:aws:s3:::bucket-1"}})
/// );
/// ```
#[event]
#[serde(rename_all = "PascalCase")]
#[serde(bound(deserialize = "D: serde::Deserialize<'de>"))]
pub struct CdkProviderResponse<D = serde_json::Value> {
    /// The physical ID of the resource (the request's, or the request ID, when absent).
    pub physical_resource_id: Option<String>,
    /// Values the template can read with `Fn::GetAtt`.
    pub data: Option<D>,
    /// Whether to mask `Data` when it is read with `Fn::GetAtt`.
    pub no_echo: Option<bool>,
}

/// What a CDK provider framework `isComplete` handler returns; the framework calls it again
/// until `IsComplete` is true.
#[event]
#[serde(rename_all = "PascalCase")]
#[serde(bound(deserialize = "D: serde::Deserialize<'de>"))]
pub struct CdkIsCompleteResponse<D = serde_json::Value> {
    /// Whether the operation has finished.
    pub is_complete: bool,
    /// Values merged into those `onEvent` returned.
    pub data: Option<D>,
}

/// The outcome reported to CloudFormation.
#[event]
#[derive(Default, Eq)]
pub enum ResponseStatus {
    /// The operation succeeded.
    #[default]
    #[serde(rename = "SUCCESS")]
    Success,
    /// The operation failed; `Reason` says why.
    #[serde(rename = "FAILED")]
    Failed,
}

/// The body to `PUT` to the request's `ResponseURL`.
///
/// `D` is the type of `Data`, the name-value pairs that templates read with `Fn::GetAtt`.
#[event]
#[serde(rename_all = "PascalCase")]
// Without this bound serde would require `D: Default` for the `Option<D>` data.
#[serde(bound(deserialize = "D: serde::Deserialize<'de>"))]
pub struct CustomResourceResponse<D = serde_json::Value> {
    /// `SUCCESS` or `FAILED`.
    pub status: ResponseStatus,
    /// Why the operation failed (required when the status is `FAILED`; shown in the stack events).
    pub reason: Option<String>,
    /// The physical ID of the resource. On update, a different value than before means the
    /// resource was replaced, and CloudFormation then sends a `Delete` for the old one.
    pub physical_resource_id: String,
    /// The stack ARN, copied from the request.
    pub stack_id: String,
    /// The request ID, copied from the request.
    pub request_id: String,
    /// The logical resource ID, copied from the request.
    pub logical_resource_id: String,
    /// Whether to mask `Data` when it is read with `Fn::GetAtt`.
    pub no_echo: Option<bool>,
    /// Values the template can read with `Fn::GetAtt`.
    pub data: Option<D>,
}

impl<D> CustomResourceResponse<D> {
    /// A `SUCCESS` response to `request`, naming the resource `physical_resource_id`.
    pub fn success<P>(
        request: &CustomResourceRequest<P>,
        physical_resource_id: impl Into<String>,
    ) -> Self {
        Self::new(
            request,
            ResponseStatus::Success,
            None,
            physical_resource_id.into(),
        )
    }

    /// A `FAILED` response to `request` with the given reason.
    ///
    /// The physical ID is the request's own for updates and deletes (so that a failed update is
    /// not read as a replacement), and the request ID for a failed create.
    pub fn failed<P>(request: &CustomResourceRequest<P>, reason: impl Into<String>) -> Self {
        let physical_resource_id = request
            .physical_resource_id()
            .unwrap_or(request.request_id())
            .to_owned();
        Self::new(
            request,
            ResponseStatus::Failed,
            Some(reason.into()),
            physical_resource_id,
        )
    }

    /// Sets `Data`, the values the template reads with `Fn::GetAtt`.
    pub fn with_data(mut self, data: D) -> Self {
        self.data = Some(data);
        self
    }

    /// Sets `NoEcho`, masking `Data` in `Fn::GetAtt` output.
    pub fn with_no_echo(mut self, no_echo: bool) -> Self {
        self.no_echo = Some(no_echo);
        self
    }

    fn new<P>(
        request: &CustomResourceRequest<P>,
        status: ResponseStatus,
        reason: Option<String>,
        physical_resource_id: String,
    ) -> Self {
        Self {
            status,
            reason,
            physical_resource_id,
            stack_id: request.stack_id().to_owned(),
            request_id: request.request_id().to_owned(),
            logical_resource_id: request.logical_resource_id().to_owned(),
            no_echo: None,
            data: None,
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn create_request_fixture_round_trips() {
        let request: CustomResourceRequest = round_trip(&fixture("cloudformation/create.json"));
        let CustomResourceRequest::Create(create) = &request else {
            panic!("expected Create, got {request:?}");
        };
        assert_eq!(create.logical_resource_id, "primerinvoke");
        assert_eq!(create.request_id, "5d478078-13e9-baf0-464a-7ef285ecc786");
        assert_eq!(
            create.resource_properties["FunctionName"],
            "lambda-error-processor-randomerror-ZWUC391MQAJK"
        );
        assert!(request
            .response_url()
            .unwrap()
            .starts_with("https://cloudformation-custom-resource"));
        assert_eq!(request.physical_resource_id(), None);
    }

    #[test]
    fn update_request_carries_old_properties_and_physical_id() {
        let request: CustomResourceRequest = round_trip(&fixture("cloudformation/update.json"));
        let CustomResourceRequest::Update(update) = &request else {
            panic!("expected Update, got {request:?}");
        };
        assert_eq!(update.physical_resource_id, "custom-resource-7bd4f4f2");
        assert_eq!(update.resource_properties["Key"], "new-value");
        assert_eq!(update.old_resource_properties["Key"], "old-value");
        assert_eq!(
            request.physical_resource_id(),
            Some("custom-resource-7bd4f4f2")
        );
    }

    #[test]
    fn delete_request_round_trips() {
        let request: CustomResourceRequest = round_trip(&fixture("cloudformation/delete.json"));
        assert!(matches!(request, CustomResourceRequest::Delete(_)));
        assert_eq!(request.resource_type(), "Custom::TestResource");
        assert_eq!(request.resource_properties()["Key"], "value");
    }

    #[test]
    fn typed_resource_properties_decode() {
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq, Default)]
        #[serde(rename_all = "PascalCase")]
        struct Props {
            service_token: String,
            function_name: String,
        }
        let request: CustomResourceRequest<Props> =
            round_trip(&fixture("cloudformation/create.json"));
        assert_eq!(
            request.resource_properties().function_name,
            "lambda-error-processor-randomerror-ZWUC391MQAJK"
        );
    }

    #[test]
    fn unknown_request_type_is_an_error() {
        let json = fixture("cloudformation/create.json").replace("\"Create\"", "\"Rename\"");
        let err = serde_json::from_str::<CustomResourceRequest>(&json).unwrap_err();
        assert!(err.to_string().contains("Rename"), "{err}");
    }

    #[test]
    fn response_fixture_round_trips() {
        let response: CustomResourceResponse = round_trip(&fixture("cloudformation/response.json"));
        assert_eq!(response.status, ResponseStatus::Success);
        assert_eq!(response.logical_resource_id, "primerinvoke");
        assert_eq!(response.data, None);
    }

    #[test]
    fn failed_response_fixture_decodes_typed_data() {
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
        struct Data {
            #[serde(rename = "keyThatCanBeUsedInGetAtt1")]
            key1: String,
            #[serde(rename = "keyThatCanBeUsedInGetAtt2")]
            key2: String,
        }
        let response: CustomResourceResponse<Data> =
            round_trip(&fixture("cloudformation/response_failed.json"));
        assert_eq!(response.status, ResponseStatus::Failed);
        assert_eq!(
            response.reason.as_deref(),
            Some("Required failure reason string")
        );
        assert_eq!(response.no_echo, Some(true));
        assert_eq!(response.data.unwrap().key1, "data for key 1");
    }

    #[test]
    fn success_response_copies_ids_from_the_request() {
        let request: CustomResourceRequest = round_trip(&fixture("cloudformation/create.json"));
        let response = CustomResourceResponse::success(&request, "my-id")
            .with_data(serde_json::json!({ "Arn": "arn:aws:sns:us-east-2:123456789012:t" }));
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "Status": "SUCCESS",
                "PhysicalResourceId": "my-id",
                "StackId": "arn:aws:cloudformation:us-east-2:123456789012:stack/lambda-error-processor/1134083a-2608-1e91-9897-022501a2c456",
                "RequestId": "5d478078-13e9-baf0-464a-7ef285ecc786",
                "LogicalResourceId": "primerinvoke",
                "Data": { "Arn": "arn:aws:sns:us-east-2:123456789012:t" }
            })
        );
    }

    #[test]
    fn failed_response_keeps_the_physical_id_of_an_update() {
        let request: CustomResourceRequest = round_trip(&fixture("cloudformation/update.json"));
        let response: CustomResourceResponse =
            CustomResourceResponse::failed(&request, "quota exceeded").with_no_echo(true);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["Status"], "FAILED");
        assert_eq!(json["Reason"], "quota exceeded");
        assert_eq!(json["PhysicalResourceId"], "custom-resource-7bd4f4f2");
        assert_eq!(json["NoEcho"], true);
    }
}
