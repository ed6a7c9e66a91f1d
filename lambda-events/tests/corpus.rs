//! The fixture corpus: every file under `fixtures/`, typed from AWS's documented samples and
//! the public SDKs' published events (written by hand, not copied), deserialized into its
//! type and serialized back.
//!
//! Prints a report (`cargo test -p lambda-events --test corpus -- --nocapture`): files, kinds
//! (distinct types), and the share that deserialize, that round-trip losslessly (equal as JSON
//! once explicit `null`s are dropped: the normalisation the crate docs allow) and exactly
//! (equal as JSON, nulls included). Every file must deserialize and be lossless.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// What happened to one file.
struct Outcome {
    deserialized: Result<(), String>,
    lossless: bool,
    exact: bool,
}

fn check<T: DeserializeOwned + Serialize>(json: &str) -> Outcome {
    let input: Value = serde_json::from_str(json).unwrap();
    let de = &mut serde_json::Deserializer::from_str(json);
    let typed: T = match serde_path_to_error::deserialize(de) {
        Ok(typed) => typed,
        Err(e) => {
            return Outcome {
                deserialized: Err(e.to_string()),
                lossless: false,
                exact: false,
            }
        }
    };
    let output = serde_json::to_value(&typed).unwrap();
    Outcome {
        deserialized: Ok(()),
        lossless: without_nulls(input.clone()) == without_nulls(output.clone()),
        exact: input == output,
    }
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

type Check = fn(&str) -> Outcome;

macro_rules! kind {
    ($($path:ident)::+) => {
        (stringify!($($path)::+), check::<lambda_events::$($path)::+> as Check)
    };
}

fn corpus() -> Vec<(&'static str, (&'static str, Check))> {
    vec![
        ("alb/request.json", kind!(alb::AlbTargetGroupRequest)),
        (
            "alb/request_multi_value.json",
            kind!(alb::AlbTargetGroupRequest),
        ),
        ("alb/response.json", kind!(alb::AlbTargetGroupResponse)),
        (
            "alb/response_multi_value.json",
            kind!(alb::AlbTargetGroupResponse),
        ),
        (
            "apigw/authorizer_iam_response.json",
            kind!(apigw::ApiGatewayAuthorizerResponse),
        ),
        (
            "apigw/authorizer_request_v1.json",
            kind!(apigw::ApiGatewayRequestAuthorizerRequest),
        ),
        (
            "apigw/authorizer_request_v1_http_api.json",
            kind!(apigw::ApiGatewayRequestAuthorizerRequest),
        ),
        (
            "apigw/authorizer_request_v1_test_invoke.json",
            kind!(apigw::ApiGatewayRequestAuthorizerRequest),
        ),
        (
            "apigw/authorizer_request_v2.json",
            kind!(apigw::ApiGatewayV2AuthorizerRequest),
        ),
        (
            "apigw/authorizer_simple_response.json",
            kind!(apigw::ApiGatewayV2SimpleAuthorizerResponse),
        ),
        (
            "apigw/authorizer_token_request.json",
            kind!(apigw::ApiGatewayTokenAuthorizerRequest),
        ),
        (
            "apigw/v1_http_api_request.json",
            kind!(apigw::ApiGatewayProxyRequest),
        ),
        (
            "apigw/v1_proxy_request.json",
            kind!(apigw::ApiGatewayProxyRequest),
        ),
        (
            "apigw/v1_proxy_request_cognito.json",
            kind!(apigw::ApiGatewayProxyRequest),
        ),
        (
            "apigw/v1_proxy_request_iam.json",
            kind!(apigw::ApiGatewayProxyRequest),
        ),
        (
            "apigw/v1_proxy_request_lambda_authorizer.json",
            kind!(apigw::ApiGatewayProxyRequest),
        ),
        (
            "apigw/v1_proxy_response.json",
            kind!(apigw::ApiGatewayProxyResponse),
        ),
        (
            "apigw/v2_request.json",
            kind!(apigw::ApiGatewayV2HttpRequest),
        ),
        (
            "apigw/v2_request_base64.json",
            kind!(apigw::ApiGatewayV2HttpRequest),
        ),
        (
            "apigw/v2_request_iam.json",
            kind!(apigw::ApiGatewayV2HttpRequest),
        ),
        (
            "apigw/v2_request_null_ids.json",
            kind!(apigw::ApiGatewayV2HttpRequest),
        ),
        (
            "apigw/v2_response.json",
            kind!(apigw::ApiGatewayV2HttpResponse),
        ),
        (
            "apigw/websocket_authorizer_request.json",
            kind!(apigw::ApiGatewayWebsocketAuthorizerRequest),
        ),
        (
            "apigw/websocket_connect.json",
            kind!(apigw::ApiGatewayWebsocketProxyRequest),
        ),
        (
            "apigw/websocket_disconnect.json",
            kind!(apigw::ApiGatewayWebsocketProxyRequest),
        ),
        (
            "apigw/websocket_message.json",
            kind!(apigw::ApiGatewayWebsocketProxyRequest),
        ),
        (
            "apigw/websocket_rest_fields.json",
            kind!(apigw::ApiGatewayWebsocketProxyRequest),
        ),
        (
            "appsync/authorizer_request.json",
            kind!(appsync::AppSyncAuthorizerRequest),
        ),
        (
            "appsync/authorizer_response.json",
            kind!(appsync::AppSyncAuthorizerResponse),
        ),
        (
            "appsync/batch_resolver.json",
            kind!(appsync::AppSyncBatchResolverEvent),
        ),
        (
            "appsync/batch_resolver_without_request.json",
            kind!(appsync::AppSyncBatchResolverEvent),
        ),
        (
            "appsync/legacy_invoke.json",
            kind!(appsync::AppSyncLegacyEvent),
        ),
        (
            "appsync/resolver.json",
            kind!(appsync::AppSyncResolverEvent),
        ),
        (
            "appsync/resolver_api_key.json",
            kind!(appsync::AppSyncResolverEvent),
        ),
        (
            "autoscaling/instance_launch_successful.json",
            kind!(autoscaling::AutoScalingInstanceActivityEvent),
        ),
        (
            "autoscaling/launch_lifecycle_action.json",
            kind!(autoscaling::AutoScalingLifecycleEvent),
        ),
        (
            "autoscaling/sqs_lifecycle_message.json",
            kind!(autoscaling::AutoScalingLifecycleAction),
        ),
        (
            "autoscaling/terminate_lifecycle_action.json",
            kind!(autoscaling::AutoScalingLifecycleEvent),
        ),
        (
            "bedrock_agent/api_request.json",
            kind!(bedrock_agent::BedrockAgentEvent),
        ),
        (
            "bedrock_agent/api_response.json",
            kind!(bedrock_agent::BedrockAgentResponse),
        ),
        (
            "bedrock_agent/function_request.json",
            kind!(bedrock_agent::BedrockAgentEvent),
        ),
        (
            "bedrock_agent/function_response.json",
            kind!(bedrock_agent::BedrockAgentResponse),
        ),
        (
            "clientvpn/request.json",
            kind!(clientvpn::ClientVpnConnectionHandlerRequest),
        ),
        (
            "clientvpn/response.json",
            kind!(clientvpn::ClientVpnConnectionHandlerResponse),
        ),
        (
            "cloudformation/cdk_is_complete_response.json",
            kind!(cloudformation::CdkIsCompleteResponse),
        ),
        (
            "cloudformation/cdk_provider_is_complete.json",
            kind!(cloudformation::CustomResourceRequest),
        ),
        (
            "cloudformation/cdk_provider_on_event.json",
            kind!(cloudformation::CustomResourceRequest),
        ),
        (
            "cloudformation/cdk_provider_response.json",
            kind!(cloudformation::CdkProviderResponse),
        ),
        (
            "cloudformation/create.json",
            kind!(cloudformation::CustomResourceRequest),
        ),
        (
            "cloudformation/delete.json",
            kind!(cloudformation::CustomResourceRequest),
        ),
        (
            "cloudformation/response.json",
            kind!(cloudformation::CustomResourceResponse),
        ),
        (
            "cloudformation/response_failed.json",
            kind!(cloudformation::CustomResourceResponse),
        ),
        (
            "cloudformation/update.json",
            kind!(cloudformation::CustomResourceRequest),
        ),
        (
            "cloudfront/origin_request.json",
            kind!(cloudfront::CloudFrontEvent),
        ),
        (
            "cloudfront/origin_response.json",
            kind!(cloudfront::CloudFrontEvent),
        ),
        (
            "cloudfront/viewer_request.json",
            kind!(cloudfront::CloudFrontEvent),
        ),
        (
            "cloudwatch_alarms/composite.json",
            kind!(cloudwatch_alarms::CloudWatchAlarmEvent),
        ),
        (
            "cloudwatch_alarms/metric.json",
            kind!(cloudwatch_alarms::CloudWatchAlarmEvent),
        ),
        (
            "cloudwatch_dashboard/custom_widget.json",
            kind!(cloudwatch_dashboard::CustomWidgetEvent),
        ),
        (
            "cloudwatch_dashboard/describe.json",
            kind!(cloudwatch_dashboard::CustomWidgetEvent),
        ),
        (
            "cloudwatch_logs/extracted-fields-data.json",
            kind!(cloudwatch_logs::LogsData),
        ),
        (
            "cloudwatch_logs/subscription-data.json",
            kind!(cloudwatch_logs::LogsData),
        ),
        (
            "cloudwatch_logs/subscription-zlib.json",
            kind!(cloudwatch_logs::LogsEvent),
        ),
        (
            "cloudwatch_logs/subscription.json",
            kind!(cloudwatch_logs::LogsEvent),
        ),
        (
            "codecommit/branch_created.json",
            kind!(codecommit::CodeCommitEvent),
        ),
        (
            "codecommit/reference_changes.json",
            kind!(codecommit::CodeCommitEvent),
        ),
        (
            "codedeploy/deployment_failure.json",
            kind!(codedeploy::CodeDeployDeploymentEvent),
        ),
        (
            "codedeploy/deployment_state_change.json",
            kind!(codedeploy::CodeDeployDeploymentEvent),
        ),
        (
            "codedeploy/instance_state_change.json",
            kind!(codedeploy::CodeDeployInstanceEvent),
        ),
        (
            "codedeploy/lifecycle_hook.json",
            kind!(codedeploy::CodeDeployLifecycleEvent),
        ),
        (
            "codepipeline/continuation.json",
            kind!(codepipeline::CodePipelineEvent),
        ),
        (
            "codepipeline/job.json",
            kind!(codepipeline::CodePipelineEvent),
        ),
        (
            "cognito/create_auth_challenge.json",
            kind!(cognito::CreateAuthChallengeEvent),
        ),
        (
            "cognito/custom_email_sender.json",
            kind!(cognito::CustomEmailSenderEvent),
        ),
        (
            "cognito/custom_message.json",
            kind!(cognito::CustomMessageEvent),
        ),
        (
            "cognito/custom_message_empty_response.json",
            kind!(cognito::CustomMessageEvent),
        ),
        (
            "cognito/custom_message_response.json",
            kind!(cognito::CustomMessageEvent),
        ),
        (
            "cognito/custom_sms_sender.json",
            kind!(cognito::CustomSmsSenderEvent),
        ),
        (
            "cognito/define_auth_challenge.json",
            kind!(cognito::DefineAuthChallengeEvent),
        ),
        (
            "cognito/inbound_federation.json",
            kind!(cognito::InboundFederationEvent),
        ),
        (
            "cognito/migrate_user.json",
            kind!(cognito::MigrateUserEvent),
        ),
        (
            "cognito/post_authentication.json",
            kind!(cognito::PostAuthenticationEvent),
        ),
        (
            "cognito/post_confirmation.json",
            kind!(cognito::PostConfirmationEvent),
        ),
        (
            "cognito/pre_authentication.json",
            kind!(cognito::PreAuthenticationEvent),
        ),
        ("cognito/pre_signup.json", kind!(cognito::PreSignUpEvent)),
        (
            "cognito/pre_signup_boolean_attributes.json",
            kind!(cognito::PreSignUpEvent),
        ),
        (
            "cognito/pre_token_generation.json",
            kind!(cognito::PreTokenGenerationEvent),
        ),
        (
            "cognito/pre_token_generation_empty_response.json",
            kind!(cognito::PreTokenGenerationEvent),
        ),
        (
            "cognito/pre_token_generation_response.json",
            kind!(cognito::PreTokenGenerationEvent),
        ),
        (
            "cognito/pre_token_generation_v2.json",
            kind!(cognito::PreTokenGenerationV2Event),
        ),
        (
            "cognito/sync_trigger.json",
            kind!(cognito::CognitoSyncEvent),
        ),
        (
            "cognito/verify_auth_challenge_response.json",
            kind!(cognito::VerifyAuthChallengeResponseEvent),
        ),
        ("config/change_triggered.json", kind!(config::ConfigEvent)),
        ("config/oversized.json", kind!(config::ConfigEvent)),
        ("config/periodic.json", kind!(config::ConfigEvent)),
        ("connect/contact_flow.json", kind!(connect::ConnectEvent)),
        ("connect/media_streams.json", kind!(connect::ConnectEvent)),
        (
            "destinations/async_failure.json",
            kind!(destinations::DestinationRecord),
        ),
        (
            "connect/contact_flow_minimal.json",
            kind!(connect::ConnectEvent),
        ),
        (
            "destinations/async_success.json",
            kind!(destinations::DestinationRecord),
        ),
        (
            "destinations/dynamodb_failure.json",
            kind!(destinations::DestinationRecord),
        ),
        (
            "destinations/kinesis_failure.json",
            kind!(destinations::DestinationRecord),
        ),
        ("documentdb/insert.json", kind!(documentdb::DocumentDbEvent)),
        ("documentdb/update.json", kind!(documentdb::DocumentDbEvent)),
        ("dynamodb/all-types.json", kind!(dynamodb::DynamoDbEvent)),
        (
            "dynamodb/batch-response.json",
            kind!(dynamodb::StreamsEventResponse),
        ),
        ("dynamodb/stream.json", kind!(dynamodb::DynamoDbEvent)),
        (
            "dynamodb/time-window.json",
            kind!(dynamodb::DynamoDbTimeWindowEvent),
        ),
        ("dynamodb/ttl-remove.json", kind!(dynamodb::DynamoDbEvent)),
        (
            "eventbridge/codepipeline-action-execution.json",
            kind!(eventbridge::CodePipelineStateChangeEvent),
        ),
        (
            "eventbridge/codepipeline-pipeline-execution.json",
            kind!(eventbridge::CodePipelineStateChangeEvent),
        ),
        (
            "eventbridge/custom.json",
            kind!(eventbridge::EventBridgeEvent),
        ),
        (
            "eventbridge/ec2-instance-state-change.json",
            kind!(eventbridge::Ec2InstanceStateChangeEvent),
        ),
        (
            "eventbridge/ecs-task-state-change.json",
            kind!(eventbridge::EcsTaskStateChangeEvent),
        ),
        (
            "eventbridge/rds-db-instance.json",
            kind!(eventbridge::EventBridgeEvent),
        ),
        (
            "eventbridge/s3-object-created.json",
            kind!(eventbridge::S3ObjectEvent),
        ),
        (
            "eventbridge/s3-object-deleted.json",
            kind!(eventbridge::S3ObjectEvent),
        ),
        (
            "eventbridge/scheduled.json",
            kind!(eventbridge::ScheduledEvent),
        ),
        (
            "firehose/direct-put.json",
            kind!(firehose::KinesisFirehoseEvent),
        ),
        (
            "firehose/msk-response.json",
            kind!(firehose::FirehoseMskResponse),
        ),
        ("firehose/msk.json", kind!(firehose::FirehoseMskEvent)),
        (
            "firehose/response.json",
            kind!(firehose::KinesisFirehoseResponse),
        ),
        (
            "firehose/transformation.json",
            kind!(firehose::KinesisFirehoseEvent),
        ),
        (
            "iam/policy_with_conditions.json",
            kind!(iam::PolicyDocument),
        ),
        ("iot/button.json", kind!(iot::IoTButtonEvent)),
        (
            "iot/custom_authorizer_request.json",
            kind!(iot::IoTCustomAuthorizerRequest),
        ),
        (
            "iot/custom_authorizer_response.json",
            kind!(iot::IoTCustomAuthorizerResponse),
        ),
        ("iot/iot_events_action.json", kind!(iot::IoTEventsEvent)),
        ("iot/one_click.json", kind!(iot::IoTOneClickEvent)),
        (
            "iot/pre_provisioning_hook_request.json",
            kind!(iot::IoTPreProvisioningHookRequest),
        ),
        (
            "iot/pre_provisioning_hook_response.json",
            kind!(iot::IoTPreProvisioningHookResponse),
        ),
        ("kafka/msk.json", kind!(kafka::KafkaEvent)),
        ("kafka/self-managed.json", kind!(kafka::KafkaEvent)),
        ("kafka/signed-headers.json", kind!(kafka::KafkaEvent)),
        ("kinesis/encrypted.json", kind!(kinesis::KinesisEvent)),
        ("kinesis/records.json", kind!(kinesis::KinesisEvent)),
        (
            "kinesis/time-window.json",
            kind!(kinesis::KinesisTimeWindowEvent),
        ),
        (
            "kinesis_analytics/firehose-preprocessing.json",
            kind!(kinesis_analytics::KinesisAnalyticsFirehoseInputPreprocessingEvent),
        ),
        (
            "kinesis_analytics/output-delivery-response.json",
            kind!(kinesis_analytics::KinesisAnalyticsOutputDeliveryResponse),
        ),
        (
            "kinesis_analytics/output-delivery.json",
            kind!(kinesis_analytics::KinesisAnalyticsOutputDeliveryEvent),
        ),
        (
            "kinesis_analytics/preprocessing-response.json",
            kind!(kinesis_analytics::KinesisAnalyticsInputPreprocessingResponse),
        ),
        (
            "kinesis_analytics/streams-preprocessing.json",
            kind!(kinesis_analytics::KinesisAnalyticsStreamsInputPreprocessingEvent),
        ),
        (
            "lambda_function_urls/request.json",
            kind!(lambda_function_urls::LambdaFunctionUrlRequest),
        ),
        (
            "lambda_function_urls/request_no_auth.json",
            kind!(lambda_function_urls::LambdaFunctionUrlRequest),
        ),
        (
            "lambda_function_urls/response.json",
            kind!(lambda_function_urls::LambdaFunctionUrlResponse),
        ),
        ("lex/v1_request.json", kind!(lex::LexV1Event)),
        ("lex/v1_request_dialog_hook.json", kind!(lex::LexV1Event)),
        ("lex/v1_response_close.json", kind!(lex::LexV1Response)),
        (
            "lex/v1_response_elicit_slot.json",
            kind!(lex::LexV1Response),
        ),
        (
            "lex/v1_request_null_attributes.json",
            kind!(lex::LexV1Event),
        ),
        ("lex/v2_request.json", kind!(lex::LexV2Event)),
        ("lex/v2_response_close.json", kind!(lex::LexV2Response)),
        (
            "mq/activemq-numeric-expiration.json",
            kind!(mq::ActiveMqEvent),
        ),
        ("mq/activemq-minimal.json", kind!(mq::ActiveMqEvent)),
        ("mq/activemq.json", kind!(mq::ActiveMqEvent)),
        (
            "mq/rabbitmq-numeric-expiration.json",
            kind!(mq::RabbitMqEvent),
        ),
        ("mq/rabbitmq.json", kind!(mq::RabbitMqEvent)),
        ("s3/delete.json", kind!(s3::S3Event)),
        ("s3/lifecycle-expiration.json", kind!(s3::S3Event)),
        ("s3/lifecycle-transition.json", kind!(s3::S3Event)),
        ("s3/put-console-test.json", kind!(s3::S3Event)),
        ("s3/put.json", kind!(s3::S3Event)),
        ("s3/replication-failed.json", kind!(s3::S3Event)),
        ("s3/replication-missed-threshold.json", kind!(s3::S3Event)),
        ("s3/restore-completed.json", kind!(s3::S3Event)),
        ("s3/test-event.json", kind!(s3::S3TestEvent)),
        ("s3_batch/event-1.0.json", kind!(s3_batch::S3BatchEvent)),
        ("s3_batch/event-2.0.json", kind!(s3_batch::S3BatchEvent)),
        ("s3_batch/response.json", kind!(s3_batch::S3BatchResponse)),
        (
            "s3_object_lambda/get-object.json",
            kind!(s3_object_lambda::S3ObjectLambdaEvent),
        ),
        (
            "s3_object_lambda/head-object.json",
            kind!(s3_object_lambda::S3ObjectLambdaEvent),
        ),
        (
            "s3_object_lambda/list-objects-v2.json",
            kind!(s3_object_lambda::S3ObjectLambdaEvent),
        ),
        (
            "secretsmanager/rotation.json",
            kind!(secretsmanager::SecretsManagerRotationEvent),
        ),
        ("ses/add-header-action.json", kind!(ses::SesEvent)),
        ("ses/bounce-action.json", kind!(ses::SesEvent)),
        ("ses/receipt.json", kind!(ses::SesEvent)),
        ("ses/s3-action.json", kind!(ses::SesEvent)),
        ("ses/sns-action.json", kind!(ses::SesEvent)),
        ("ses/stop-action.json", kind!(ses::SesEvent)),
        ("ses/workmail-action.json", kind!(ses::SesEvent)),
        ("sns/cloudwatch-alarm.json", kind!(sns::SnsEvent)),
        ("sns/json-message.json", kind!(sns::SnsEvent)),
        ("sns/notification.json", kind!(sns::SnsEvent)),
        ("sns/notification_no_subject.json", kind!(sns::SnsEvent)),
        ("sns/signing-cert-url-caps.json", kind!(sns::SnsEvent)),
        ("sns/sqs-body.json", kind!(sns::SnsNotification)),
        ("sqs/batch-response.json", kind!(sqs::SqsBatchResponse)),
        ("sqs/json-bodies.json", kind!(sqs::SqsEvent)),
        ("sqs/message-attributes.json", kind!(sqs::SqsEvent)),
        ("sqs/orders-batch.json", kind!(sqs::SqsEvent)),
        ("sqs/receive-fifo.json", kind!(sqs::SqsEvent)),
        ("sqs/receive.json", kind!(sqs::SqsEvent)),
        ("sqs/receive-null-md5.json", kind!(sqs::SqsEvent)),
        (
            "vpc_lattice/request_v1.json",
            kind!(vpc_lattice::VpcLatticeRequestV1),
        ),
        (
            "vpc_lattice/request_v2.json",
            kind!(vpc_lattice::VpcLatticeRequestV2),
        ),
        (
            "vpc_lattice/response.json",
            kind!(vpc_lattice::VpcLatticeResponse),
        ),
    ]
}

#[test]
fn every_fixture_deserializes_and_round_trips_losslessly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/");
    let corpus = corpus();
    let (mut deserialized, mut lossless, mut exact) = (0, 0, 0);
    let mut kinds = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut not_exact = Vec::new();
    for (file, (kind, check)) in &corpus {
        let json = std::fs::read_to_string(format!("{dir}{file}")).unwrap();
        kinds.insert(*kind);
        let outcome = check(&json);
        match &outcome.deserialized {
            Ok(()) => deserialized += 1,
            Err(e) => failures.push(format!("{file} ({kind}): {e}")),
        }
        if outcome.deserialized.is_ok() && !outcome.lossless {
            failures.push(format!("{file} ({kind}): round trip lost data"));
        }
        lossless += usize::from(outcome.lossless);
        exact += usize::from(outcome.exact);
        if outcome.lossless && !outcome.exact {
            not_exact.push(*file);
        }
    }
    let total = corpus.len();
    let pct = |n: usize| 100.0 * n as f64 / total as f64;
    println!(
        "corpus: {total} files, {} kinds; deserialize {deserialized} ({:.1}%), lossless {lossless} ({:.1}%), exact {exact} ({:.1}%)",
        kinds.len(),
        pct(deserialized),
        pct(lossless),
        pct(exact)
    );
    if !not_exact.is_empty() {
        println!(
            "lossless but not exact (an explicit null dropped, or a null added): {}",
            not_exact.join(", ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_is_in_the_corpus() {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path.strip_prefix(base).unwrap();
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let base = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
    let mut files = Vec::new();
    walk(base, base, &mut files);
    let listed: std::collections::BTreeSet<_> =
        corpus().iter().map(|(f, _)| f.to_string()).collect();
    let unlisted: Vec<_> = files.iter().filter(|f| !listed.contains(*f)).collect();
    assert!(
        unlisted.is_empty(),
        "fixtures missing from tests/corpus.rs: {unlisted:?}"
    );
}
