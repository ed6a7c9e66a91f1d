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
//! - an explicit `null` is dropped: `"body": null` reads as `None`, and `None` is not written;
//! - a field AWS always sends but that was missing from the input (a hand-written test event)
//!   is written with its default, for example `"isBase64Encoded": false`;
//! - fields this version does not know are dropped, unless the `catch-all-fields` feature is
//!   on (below).
//!
//! Timestamps and blobs keep their wire form: an epoch timestamp that came as a string is
//! written back as that same string (see [`encodings`]).
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
//! | [`apigw`] | `apigw` | API Gateway REST API (proxy), HTTP API format 1.0 | `ApiGatewayProxyRequest -> ApiGatewayProxyResponse` |
//! | [`apigw`] | `apigw` | API Gateway HTTP API, format 2.0 | `ApiGatewayV2HttpRequest -> ApiGatewayV2HttpResponse` |
//! | [`apigw`] | `apigw` | API Gateway WebSocket API | `ApiGatewayWebsocketProxyRequest -> ApiGatewayProxyResponse` |
//! | [`apigw`] | `apigw` | `TOKEN` authorizer | `ApiGatewayTokenAuthorizerRequest -> ApiGatewayAuthorizerResponse` |
//! | [`apigw`] | `apigw` | `REQUEST` authorizer (REST, HTTP 1.0) | `ApiGatewayRequestAuthorizerRequest -> ApiGatewayAuthorizerResponse` |
//! | [`apigw`] | `apigw` | HTTP API authorizer, format 2.0 | `ApiGatewayV2AuthorizerRequest -> ApiGatewayV2SimpleAuthorizerResponse` |
//! | [`iam`] | `iam` | IAM policy documents of authorizer responses | `PolicyDocument`, `Statement` |
//! | [`alb`] | `alb` | Application Load Balancer | `AlbTargetGroupRequest -> AlbTargetGroupResponse` |
//! | [`lambda_function_urls`] | `lambda-function-urls` | Function URLs | `LambdaFunctionUrlRequest -> LambdaFunctionUrlResponse` |
//! | [`vpc_lattice`] | `vpc-lattice` | VPC Lattice, event v1 | `VpcLatticeRequestV1 -> VpcLatticeResponse` |
//! | [`vpc_lattice`] | `vpc-lattice` | VPC Lattice, event v2 | `VpcLatticeRequestV2 -> VpcLatticeResponse` |
//! | [`appsync`] | `appsync` | AppSync direct resolver | `AppSyncResolverEvent<Args> -> Value` |
//! | [`appsync`] | `appsync` | AppSync batch resolver | `AppSyncBatchResolverEvent<Args> -> Vec<Value>` |
//! | [`appsync`] | `appsync` | AppSync authorizer | `AppSyncAuthorizerRequest -> AppSyncAuthorizerResponse` |
//! | [`cloudfront`] | `cloudfront` | Lambda@Edge viewer/origin request | `CloudFrontEvent -> CloudFrontRequestResult` |
//! | [`cloudfront`] | `cloudfront` | Lambda@Edge viewer/origin response | `CloudFrontEvent -> CloudFrontResponse` |
//! | `s3` | `s3` | S3 event notifications | `S3Event -> ()` |
//! | `s3_batch` | `s3-batch` | S3 Batch Operations (schema 1.0, 2.0) | `S3BatchEvent -> S3BatchResponse` |
//! | `s3_object_lambda` | `s3-object-lambda` | S3 Object Lambda | `S3ObjectLambdaEvent -> ()` |
//! | `sqs` | `sqs` | SQS | `SqsEvent<T> -> SqsBatchResponse` |
//! | `sns` | `sns` | SNS | `SnsEvent<T> -> ()` |
//! | `dynamodb` | `dynamodb` | DynamoDB Streams | `DynamoDbEvent -> DynamoDbBatchResponse` |
//! | `kinesis` | `kinesis` | Kinesis Data Streams | `KinesisEvent -> KinesisBatchResponse` |
//! | `firehose` | `firehose` | Kinesis Data Firehose transformation | `FirehoseEvent -> FirehoseResponse` |
//! | `kinesis_analytics` | `kinesis-analytics` | Kinesis Data Analytics | `KinesisAnalyticsEvent -> KinesisAnalyticsResponse` |
//! | `eventbridge` | `eventbridge` | EventBridge / CloudWatch Events | `EventBridgeEvent<Detail> -> ()`, `ScheduledEvent -> ()` |
//! | `cloudwatch_logs` | `cloudwatch-logs` | CloudWatch Logs subscription | `CloudWatchLogsEvent -> ()` |
//! | `cloudwatch_alarms` | `cloudwatch-alarms` | CloudWatch alarm actions | `CloudWatchAlarmEvent -> ()` |
//! | `mq` | `mq` | Amazon MQ (ActiveMQ, RabbitMQ) | `ActiveMqEvent -> ()`, `RabbitMqEvent -> ()` |
//! | `kafka` | `kafka` | MSK and self-managed Kafka | `KafkaEvent -> ()` |
//! | `documentdb` | `documentdb` | DocumentDB change streams | `DocumentDbEvent -> ()` |
//! | `ses` | `ses` | SES receipt rules | `SesEvent -> SesReceiptResponse` |
//! | `secretsmanager` | `secretsmanager` | Secrets Manager rotation | `SecretsManagerRotationEvent -> ()` |
//! | `cloudformation` | `cloudformation` | CloudFormation custom resources | `CustomResourceRequest -> CustomResourceResponse` |
//! | `codecommit` | `codecommit` | CodeCommit triggers | `CodeCommitEvent -> ()` |
//! | `codepipeline` | `codepipeline` | CodePipeline jobs | `CodePipelineEvent -> ()` |
//! | `codedeploy` | `codedeploy` | CodeDeploy lifecycle hooks | `CodeDeployLifecycleEvent -> ()` |
//! | `cognito` | `cognito` | Cognito user pool triggers, Cognito Sync | `CognitoEventUserPoolsPreSignup -> CognitoEventUserPoolsPreSignup` (one type per trigger) |
//! | `config` | `config` | AWS Config rules | `ConfigEvent -> ()` |
//! | `connect` | `connect` | Amazon Connect contact flows | `ConnectEvent -> ConnectResponse` |
//! | `iot` | `iot` | IoT button, 1-Click, custom authorizer, pre-provisioning hook | `IoTCustomAuthorizerRequest -> IoTCustomAuthorizerResponse` |
//! | `lex` | `lex` | Lex V1 and V2 | `LexV1Event -> LexV1Response`, `LexV2Event -> LexV2Response` |
//! | `bedrock_agent` | `bedrock-agent` | Bedrock agent action groups | `BedrockAgentEvent -> BedrockAgentResponse` |
//! | `clientvpn` | `clientvpn` | Client VPN connection handler | `ClientVpnConnectionHandlerRequest -> ClientVpnConnectionHandlerResponse` |
//! | `autoscaling` | `autoscaling` | Auto Scaling lifecycle hooks | `AutoScalingEvent -> ()` |
//! | `destinations` | `destinations` | Asynchronous invocation destinations | `DestinationRecord<Payload> -> ()` |
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
