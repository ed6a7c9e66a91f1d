//! Typed AWS Lambda events: one module, and one cargo feature, per AWS event source.
//!
//! Every type deserializes the JSON AWS sends to a function and serializes back to the same
//! JSON, so the same types serve for handling events, for writing responses, and for building
//! test events. They are plain serde structs: use them with `lambda-runtime`'s
//! `LambdaEvent<T>`, or with `serde_json` directly.
//!
//! ```
//! use lambda_events::apigw::{ApiGatewayV2HttpRequest, ApiGatewayV2HttpResponse};
//!
//! let json = r#"{"version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello",
//!   "rawQueryString": "name=Ana", "headers": {"accept": "text/plain"},
//!   "queryStringParameters": {"name": "Ana"},
//!   "requestContext": {"accountId": "123456789012", "apiId": "r3pmxmplak",
//!     "domainName": "r3pmxmplak.execute-api.us-east-2.amazonaws.com", "domainPrefix": "r3pmxmplak",
//!     "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1",
//!              "sourceIp": "203.0.113.1", "userAgent": "curl/8.0"},
//!     "requestId": "JKJaXmPLvHcEsha=", "routeKey": "GET /hello", "stage": "$default",
//!     "time": "10/Mar/2020:05:16:23 +0000", "timeEpoch": 1583817383220},
//!   "isBase64Encoded": false}"#;
//!
//! let request: ApiGatewayV2HttpRequest = serde_json::from_str(json)?;
//! let name = request.query_string_parameters.as_ref().and_then(|q| q.get("name"));
//! let response = ApiGatewayV2HttpResponse {
//!     body: Some(format!("Hello, {}!", name.map_or("world", String::as_str))),
//!     ..Default::default()
//! };
//! assert_eq!(serde_json::to_value(&response)?["body"], "Hello, Ana!");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # What the types accept
//!
//! Field names are the wire names (`#[serde(rename_all = ...)]`, never guessed). A field is
//! required only where AWS documents it as always present; everything else is an `Option`, so
//! an absent field and `null` both parse. A wrong type, a bad base64 string or a timestamp
//! that is not a number is a serde error, never a panic; wrap the deserializer with
//! [`serde_path_to_error`](https://docs.rs/serde_path_to_error) to get the field path
//! (`requestContext.timeEpoch: ...`). HTTP bodies stay strings with their
//! `is_base64_encoded` flag: the HTTP adapter of `lambda-runtime` decodes them.
//!
//! # Round trips
//!
//! Deserializing and serializing again gives back the same JSON value (compared as
//! `serde_json::Value`, so key order and number formatting such as `1.50` against `1.5` do
//! not count). Every module's fixtures, typed from AWS's documented sample events, are tested
//! that way. The normalisations allowed are few and deliberate:
//!
//! - an explicit `null` reads as `None` and is written back as `null`: the structs of the
//!   events AWS sends remember which of their optional fields came as `null`, in a field
//!   `explicit_nulls` ([`ExplicitNulls`](encodings::ExplicitNulls)), because AWS sends the
//!   same object with `null`s in one event and without the keys in another (the caller
//!   identity of a REST request has every key, `null` when unset; that of a WebSocket message
//!   only `sourceIp`), and both come back as they came. Not so, to keep them small and fast,
//!   the types a function builds and returns (responses, and the CloudFront request and
//!   response a Lambda@Edge function rewrites), DynamoDB Streams records and SQS message
//!   attributes. A few keys that AWS always sends, `null`
//!   when empty, are written as `null` whenever they are `None` (API Gateway REST's
//!   `queryStringParameters`, `multiValueQueryStringParameters`, `pathParameters`,
//!   `stageVariables` and `body`; every RabbitMQ basic property; S3 Batch's `s3VersionId`;
//!   Cognito's `preferredRole`), so a hand-written event that lacked such a key gains
//!   `"key": null` on output. In the types without that memory, a `null` is written as an
//!   absent key. Either way nothing is lost: input and output are equal once `null`
//!   members are removed, and AWS's sample events round-trip exactly;
//! - a field AWS always sends but that was missing from the input (a hand-written test event)
//!   is written with its default, for example `"isBase64Encoded": false`;
//! - fields this version does not know are dropped, unless the `catch-all-fields` feature is
//!   on (below).
//!
//! Values keep their wire form: an epoch timestamp that came as a string is written back as
//! that same string, a [`LooseString`](encodings::LooseString) that came as a boolean or a
//! number is written back as one, a string enum value this version does not know is kept in
//! the enum's `Other(String)` variant and written back unchanged (one new value from AWS never
//! fails a whole event), a Kafka header that came as a string stays a string, and the
//! compressed `awslogs.data` of a CloudWatch Logs event is written back as the very text it
//! came as while the payload is unchanged (re-compressed as gzip or zlib, as it came, once
//! changed). Where AWS spells a field two ways (SNS `SigningCertUrl` and `SigningCertURL`),
//! both are fields, so each spelling is written back as it came.
//!
//! `tests/corpus.rs` holds every fixture with its type and prints the corpus rates
//! (`cargo test -p lambda-events --test corpus -- --nocapture`).
//!
//! # Time: no time library
//!
//! Timestamps are the types of [`encodings`]: [`EpochSeconds`](encodings::EpochSeconds) and
//! [`EpochMillis`](encodings::EpochMillis) (an integer, a float, or a string holding either,
//! kept in the form it came in) and [`Rfc3339Timestamp`](encodings::Rfc3339Timestamp) (the
//! string as sent). They convert to [`std::time::SystemTime`] on demand. We chose this over
//! `chrono` or `time` for two reasons: decoding is fast, because nothing is parsed into a
//! calendar date until a handler asks for it; and round trips are exact, because the original
//! text is what gets written back (a parsed date would be re-formatted, and AWS mixes
//! `.000Z`, `Z` and offset forms). It also keeps a dependency out of every Lambda binary. To
//! use `chrono`, `time` or `jiff`, convert from the `SystemTime`.
//!
//! # Features
//!
//! One feature per module, all on by default; turn off the defaults and list the sources you
//! use to compile only those (`default-features = false, features = ["sqs"]`).
//!
//! `catch-all-fields` (off by default) adds an `other` map to every struct that keeps fields
//! AWS adds after this version was written, so that even those survive a round trip. It is
//! implemented once, by the `#[event]` attribute that declares every type, not pasted per
//! struct.
//!
//! # Event types
//!
//! Handlers are written as `async fn handler(event: LambdaEvent<Request>) -> Result<Response, Error>`
//! with `lambda-runtime`; the table gives `Request -> Response` (`()` where AWS ignores the
//! result, `Value` for free-form JSON).
//!
//! | Module | Feature | Event source | Handler: request -> response |
//! | --- | --- | --- | --- |
//! | [`apigw`] | `apigw` | API Gateway REST API (proxy), HTTP API format 1.0 | [`ApiGatewayProxyRequest`](apigw::ApiGatewayProxyRequest) -> [`ApiGatewayProxyResponse`](apigw::ApiGatewayProxyResponse) |
//! | [`apigw`] | `apigw` | API Gateway HTTP API, format 2.0 | [`ApiGatewayV2HttpRequest`](apigw::ApiGatewayV2HttpRequest) -> [`ApiGatewayV2HttpResponse`](apigw::ApiGatewayV2HttpResponse) |
//! | [`apigw`] | `apigw` | API Gateway WebSocket API | [`ApiGatewayWebsocketProxyRequest`](apigw::ApiGatewayWebsocketProxyRequest) -> [`ApiGatewayProxyResponse`](apigw::ApiGatewayProxyResponse) |
//! | [`apigw`] | `apigw` | `TOKEN` authorizer | [`ApiGatewayTokenAuthorizerRequest`](apigw::ApiGatewayTokenAuthorizerRequest) -> [`ApiGatewayAuthorizerResponse`](apigw::ApiGatewayAuthorizerResponse) |
//! | [`apigw`] | `apigw` | `REQUEST` authorizer (REST, HTTP 1.0) | [`ApiGatewayRequestAuthorizerRequest`](apigw::ApiGatewayRequestAuthorizerRequest) -> [`ApiGatewayAuthorizerResponse`](apigw::ApiGatewayAuthorizerResponse) |
//! | [`apigw`] | `apigw` | `REQUEST` authorizer (WebSocket `$connect`) | [`ApiGatewayWebsocketAuthorizerRequest`](apigw::ApiGatewayWebsocketAuthorizerRequest) -> [`ApiGatewayAuthorizerResponse`](apigw::ApiGatewayAuthorizerResponse) |
//! | [`apigw`] | `apigw` | HTTP API authorizer, format 2.0 | [`ApiGatewayV2AuthorizerRequest`](apigw::ApiGatewayV2AuthorizerRequest) -> [`ApiGatewayV2SimpleAuthorizerResponse`](apigw::ApiGatewayV2SimpleAuthorizerResponse) |
//! | [`iam`] | `iam` | IAM policy documents of authorizer responses | [`PolicyDocument`](iam::PolicyDocument), [`Statement`](iam::Statement) |
//! | [`alb`] | `alb` | Application Load Balancer | [`AlbTargetGroupRequest`](alb::AlbTargetGroupRequest) -> [`AlbTargetGroupResponse`](alb::AlbTargetGroupResponse) |
//! | [`lambda_function_urls`] | `lambda-function-urls` | Function URLs | [`LambdaFunctionUrlRequest`](lambda_function_urls::LambdaFunctionUrlRequest) -> [`LambdaFunctionUrlResponse`](lambda_function_urls::LambdaFunctionUrlResponse) |
//! | [`vpc_lattice`] | `vpc-lattice` | VPC Lattice, event v1 | [`VpcLatticeRequestV1`](vpc_lattice::VpcLatticeRequestV1) -> [`VpcLatticeResponse`](vpc_lattice::VpcLatticeResponse) |
//! | [`vpc_lattice`] | `vpc-lattice` | VPC Lattice, event v2 | [`VpcLatticeRequestV2`](vpc_lattice::VpcLatticeRequestV2) -> [`VpcLatticeResponse`](vpc_lattice::VpcLatticeResponse) |
//! | [`appsync`] | `appsync` | AppSync direct resolver | [`AppSyncResolverEvent`](appsync::AppSyncResolverEvent) -> `Value` |
//! | [`appsync`] | `appsync` | AppSync batch resolver | [`AppSyncBatchResolverEvent`](appsync::AppSyncBatchResolverEvent) -> `Vec<Value>` |
//! | [`appsync`] | `appsync` | AppSync legacy `Invoke` template | [`AppSyncLegacyEvent`](appsync::AppSyncLegacyEvent) -> `Value` |
//! | [`appsync`] | `appsync` | AppSync authorizer | [`AppSyncAuthorizerRequest`](appsync::AppSyncAuthorizerRequest) -> [`AppSyncAuthorizerResponse`](appsync::AppSyncAuthorizerResponse) |
//! | [`cloudfront`] | `cloudfront` | Lambda@Edge viewer/origin request | [`CloudFrontEvent`](cloudfront::CloudFrontEvent) -> [`CloudFrontRequestResult`](cloudfront::CloudFrontRequestResult) |
//! | [`cloudfront`] | `cloudfront` | Lambda@Edge viewer/origin response | [`CloudFrontEvent`](cloudfront::CloudFrontEvent) -> [`CloudFrontResponse`](cloudfront::CloudFrontResponse) |
//! | [`s3`] | `s3` | S3 event notifications (and the test event) | [`S3Event`](s3::S3Event), [`S3TestEvent`](s3::S3TestEvent) -> `()` |
//! | [`s3_batch`] | `s3-batch` | S3 Batch Operations (schema 1.0, 2.0) | [`S3BatchEvent`](s3_batch::S3BatchEvent) -> [`S3BatchResponse`](s3_batch::S3BatchResponse) |
//! | [`s3_object_lambda`] | `s3-object-lambda` | S3 Object Lambda | [`S3ObjectLambdaEvent`](s3_object_lambda::S3ObjectLambdaEvent) -> `()` (answer with `WriteGetObjectResponse`) |
//! | [`sqs`] | `sqs` | SQS | [`SqsEvent`](sqs::SqsEvent) -> [`SqsBatchResponse`](sqs::SqsBatchResponse) |
//! | [`sns`] | `sns` | SNS | [`SnsEvent`](sns::SnsEvent) -> `()` |
//! | [`dynamodb`] | `dynamodb` | DynamoDB Streams | [`DynamoDbEvent`](dynamodb::DynamoDbEvent) -> [`StreamsEventResponse`](time_window::StreamsEventResponse) |
//! | [`dynamodb`] | `dynamodb` | DynamoDB Streams, tumbling window | [`DynamoDbTimeWindowEvent`](dynamodb::DynamoDbTimeWindowEvent) -> [`TimeWindowEventResponse`](time_window::TimeWindowEventResponse) |
//! | [`kinesis`] | `kinesis` | Kinesis Data Streams | [`KinesisEvent`](kinesis::KinesisEvent) -> [`StreamsEventResponse`](time_window::StreamsEventResponse) |
//! | [`kinesis`] | `kinesis` | Kinesis Data Streams, tumbling window | [`KinesisTimeWindowEvent`](kinesis::KinesisTimeWindowEvent) -> [`TimeWindowEventResponse`](time_window::TimeWindowEventResponse) |
//! | [`firehose`] | `firehose` | Firehose transformation | [`KinesisFirehoseEvent`](firehose::KinesisFirehoseEvent) -> [`KinesisFirehoseResponse`](firehose::KinesisFirehoseResponse) |
//! | [`firehose`] | `firehose` | Firehose transformation, MSK source | [`FirehoseMskEvent`](firehose::FirehoseMskEvent) -> [`FirehoseMskResponse`](firehose::FirehoseMskResponse) |
//! | [`kinesis_analytics`] | `kinesis-analytics` | Kinesis Data Analytics output delivery | [`KinesisAnalyticsOutputDeliveryEvent`](kinesis_analytics::KinesisAnalyticsOutputDeliveryEvent) -> [`KinesisAnalyticsOutputDeliveryResponse`](kinesis_analytics::KinesisAnalyticsOutputDeliveryResponse) |
//! | [`kinesis_analytics`] | `kinesis-analytics` | Kinesis Data Analytics input preprocessing | [`KinesisAnalyticsStreamsInputPreprocessingEvent`](kinesis_analytics::KinesisAnalyticsStreamsInputPreprocessingEvent), [`KinesisAnalyticsFirehoseInputPreprocessingEvent`](kinesis_analytics::KinesisAnalyticsFirehoseInputPreprocessingEvent) -> [`KinesisAnalyticsInputPreprocessingResponse`](kinesis_analytics::KinesisAnalyticsInputPreprocessingResponse) |
//! | [`eventbridge`] | `eventbridge` | EventBridge / CloudWatch Events | [`EventBridgeEvent`](eventbridge::EventBridgeEvent), [`ScheduledEvent`](eventbridge::ScheduledEvent) -> `()` |
//! | [`cloudwatch_logs`] | `cloudwatch-logs` | CloudWatch Logs subscription | [`LogsEvent`](cloudwatch_logs::LogsEvent) -> `()` |
//! | [`cloudwatch_alarms`] | `cloudwatch-alarms` | CloudWatch alarm actions | [`CloudWatchAlarmEvent`](cloudwatch_alarms::CloudWatchAlarmEvent) -> `()` |
//! | [`cloudwatch_dashboard`] | `cloudwatch-dashboard` | CloudWatch dashboard custom widget | [`CustomWidgetEvent`](cloudwatch_dashboard::CustomWidgetEvent) -> `String` (HTML) |
//! | [`mq`] | `mq` | Amazon MQ (ActiveMQ, RabbitMQ) | [`ActiveMqEvent`](mq::ActiveMqEvent), [`RabbitMqEvent`](mq::RabbitMqEvent) -> `()` |
//! | [`kafka`] | `kafka` | MSK and self-managed Kafka | [`KafkaEvent`](kafka::KafkaEvent) -> `()` |
//! | [`documentdb`] | `documentdb` | DocumentDB change streams | [`DocumentDbEvent`](documentdb::DocumentDbEvent) -> `()` |
//! | [`ses`] | `ses` | SES receipt rules | [`SesEvent`](ses::SesEvent) -> [`SesReceiptResponse`](ses::SesReceiptResponse) |
//! | [`secretsmanager`] | `secretsmanager` | Secrets Manager rotation | [`SecretsManagerRotationEvent`](secretsmanager::SecretsManagerRotationEvent) -> `()` |
//! | [`cloudformation`] | `cloudformation` | CloudFormation custom resources | [`CustomResourceRequest`](cloudformation::CustomResourceRequest) -> [`CustomResourceResponse`](cloudformation::CustomResourceResponse) |
//! | [`cloudformation`] | `cloudformation` | CDK custom-resource provider framework | [`CustomResourceRequest`](cloudformation::CustomResourceRequest) -> [`CdkProviderResponse`](cloudformation::CdkProviderResponse), [`CdkIsCompleteResponse`](cloudformation::CdkIsCompleteResponse) |
//! | [`codecommit`] | `codecommit` | CodeCommit triggers | [`CodeCommitEvent`](codecommit::CodeCommitEvent) -> `()` |
//! | [`codepipeline`] | `codepipeline` | CodePipeline jobs | [`CodePipelineEvent`](codepipeline::CodePipelineEvent) -> `()` |
//! | [`codedeploy`] | `codedeploy` | CodeDeploy lifecycle hooks | [`CodeDeployLifecycleEvent`](codedeploy::CodeDeployLifecycleEvent) -> `()` |
//! | [`cognito`] | `cognito` | Cognito user pool triggers (one type per trigger), Cognito Sync | [`PreSignUpEvent`](cognito::PreSignUpEvent), [`CognitoSyncEvent`](cognito::CognitoSyncEvent) -> [`PreSignUpEvent`](cognito::PreSignUpEvent) |
//! | [`config`] | `config` | AWS Config rules | [`ConfigEvent`](config::ConfigEvent) -> `()` |
//! | [`connect`] | `connect` | Amazon Connect contact flows | [`ConnectEvent`](connect::ConnectEvent) -> [`ConnectResponse`](connect::ConnectResponse) |
//! | [`iot`] | `iot` | IoT Events detector model Lambda action | [`IoTEventsEvent`](iot::IoTEventsEvent) -> `()` |
//! | [`iot`] | `iot` | IoT custom authorizer (also button, 1-Click, pre-provisioning hook) | [`IoTCustomAuthorizerRequest`](iot::IoTCustomAuthorizerRequest) -> [`IoTCustomAuthorizerResponse`](iot::IoTCustomAuthorizerResponse) |
//! | [`lex`] | `lex` | Lex V1 and V2 | [`LexV1Event`](lex::LexV1Event), [`LexV2Event`](lex::LexV2Event) -> [`LexV1Response`](lex::LexV1Response), [`LexV2Response`](lex::LexV2Response) |
//! | [`bedrock_agent`] | `bedrock-agent` | Bedrock agent action groups | [`BedrockAgentEvent`](bedrock_agent::BedrockAgentEvent) -> [`BedrockAgentResponse`](bedrock_agent::BedrockAgentResponse) |
//! | [`clientvpn`] | `clientvpn` | Client VPN connection handler | [`ClientVpnConnectionHandlerRequest`](clientvpn::ClientVpnConnectionHandlerRequest) -> [`ClientVpnConnectionHandlerResponse`](clientvpn::ClientVpnConnectionHandlerResponse) |
//! | [`autoscaling`] | `autoscaling` | Auto Scaling lifecycle hooks | [`AutoScalingLifecycleEvent`](autoscaling::AutoScalingLifecycleEvent) -> `()` |
//! | [`destinations`] | `destinations` | Asynchronous invocation destinations | [`DestinationRecord`](destinations::DestinationRecord) -> `()` |
//!
//! Shared helpers live in [`encodings`]: base64 blobs, epoch and RFC 3339 timestamps, header
//! and query-string maps, strings-or-lists.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

pub mod encodings;
pub mod json_body;
#[cfg(test)]
pub(crate) mod test_util;
pub mod time_window;

#[cfg(feature = "iam")]
pub mod iam;

#[cfg(feature = "apigw")]
pub mod apigw;

#[cfg(feature = "alb")]
pub mod alb;

#[cfg(feature = "lambda-function-urls")]
pub mod lambda_function_urls;

#[cfg(feature = "vpc-lattice")]
pub mod vpc_lattice;

#[cfg(feature = "appsync")]
pub mod appsync;

#[cfg(feature = "cloudfront")]
pub mod cloudfront;

#[cfg(feature = "s3")]
pub mod s3;

#[cfg(feature = "s3-batch")]
pub mod s3_batch;

#[cfg(feature = "s3-object-lambda")]
pub mod s3_object_lambda;

#[cfg(feature = "sqs")]
pub mod sqs;

#[cfg(feature = "sns")]
pub mod sns;

#[cfg(feature = "dynamodb")]
pub mod dynamodb;

#[cfg(feature = "kinesis")]
pub mod kinesis;

#[cfg(feature = "firehose")]
pub mod firehose;

#[cfg(feature = "kinesis-analytics")]
pub mod kinesis_analytics;

#[cfg(feature = "eventbridge")]
pub mod eventbridge;

#[cfg(feature = "cloudwatch-logs")]
pub mod cloudwatch_logs;

#[cfg(feature = "cloudwatch-alarms")]
pub mod cloudwatch_alarms;

#[cfg(feature = "cloudwatch-dashboard")]
pub mod cloudwatch_dashboard;

#[cfg(feature = "mq")]
pub mod mq;

#[cfg(feature = "kafka")]
pub mod kafka;

#[cfg(feature = "documentdb")]
pub mod documentdb;

#[cfg(feature = "ses")]
pub mod ses;

#[cfg(feature = "secretsmanager")]
pub mod secretsmanager;

#[cfg(feature = "cloudformation")]
pub mod cloudformation;

#[cfg(feature = "codecommit")]
pub mod codecommit;

#[cfg(feature = "codepipeline")]
pub mod codepipeline;

#[cfg(feature = "codedeploy")]
pub mod codedeploy;

#[cfg(feature = "cognito")]
pub mod cognito;

#[cfg(feature = "config")]
pub mod config;

#[cfg(feature = "connect")]
pub mod connect;

#[cfg(feature = "iot")]
pub mod iot;

#[cfg(feature = "lex")]
pub mod lex;

#[cfg(feature = "bedrock-agent")]
pub mod bedrock_agent;

#[cfg(feature = "clientvpn")]
pub mod clientvpn;

#[cfg(feature = "autoscaling")]
pub mod autoscaling;

#[cfg(feature = "destinations")]
pub mod destinations;
