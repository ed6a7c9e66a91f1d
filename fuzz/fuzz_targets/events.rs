//! Every top-level `lambda-events` type: bytes -> deserialize -> serialize -> deserialize ->
//! serialize must give the same JSON and an equal value. The first input byte picks the type
//! (modulo the number of types); the rest is the JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

use lambda_events::*;

/// Declares the dispatch table: one type per line (`scripts/fuzz.sh` counts the lines to seed
/// every type with every fixture).
macro_rules! event_types {
    ( $( $ty:ty, )* ) => {
        const TYPES: &[fn(&[u8])] = &[ $( lambda_rs_fuzz::round_trip::<$ty>, )* ];
    };
}

event_types! {
    alb::AlbTargetGroupRequest,
    alb::AlbTargetGroupResponse,
    apigw::ApiGatewayProxyRequest,
    apigw::ApiGatewayProxyResponse,
    apigw::ApiGatewayV2HttpRequest,
    apigw::ApiGatewayV2HttpResponse,
    apigw::ApiGatewayWebsocketProxyRequest,
    apigw::ApiGatewayTokenAuthorizerRequest,
    apigw::ApiGatewayRequestAuthorizerRequest,
    apigw::ApiGatewayAuthorizerResponse,
    apigw::ApiGatewayV2AuthorizerRequest,
    apigw::ApiGatewayV2SimpleAuthorizerResponse,
    iam::PolicyDocument,
    lambda_function_urls::LambdaFunctionUrlRequest,
    lambda_function_urls::LambdaFunctionUrlResponse,
    vpc_lattice::VpcLatticeRequestV1,
    vpc_lattice::VpcLatticeRequestV2,
    vpc_lattice::VpcLatticeResponse,
    appsync::AppSyncResolverEvent<Value>,
    appsync::AppSyncBatchResolverEvent<Value>,
    appsync::AppSyncAuthorizerRequest,
    appsync::AppSyncAuthorizerResponse,
    cloudfront::CloudFrontEvent,
    cloudfront::CloudFrontRequestResult,
    cloudfront::CloudFrontResponse,
    s3::S3Event,
    s3::S3TestEvent,
    s3_batch::S3BatchEvent,
    s3_batch::S3BatchResponse,
    s3_object_lambda::S3ObjectLambdaEvent,
    sqs::SqsEvent,
    sqs::SqsBatchResponse,
    sns::SnsEvent,
    sns::SnsNotification,
    dynamodb::DynamoDbEvent,
    dynamodb::DynamoDbTimeWindowEvent,
    time_window::StreamsEventResponse,
    kinesis::KinesisEvent,
    kinesis::KinesisTimeWindowEvent,
    firehose::KinesisFirehoseEvent,
    firehose::KinesisFirehoseResponse,
    kinesis_analytics::KinesisAnalyticsOutputDeliveryEvent,
    kinesis_analytics::KinesisAnalyticsOutputDeliveryResponse,
    eventbridge::EventBridgeEvent<Value>,
    eventbridge::ScheduledEvent,
    cloudwatch_logs::LogsEvent,
    cloudwatch_logs::LogsData,
    cloudwatch_alarms::CloudWatchAlarmEvent,
    mq::ActiveMqEvent,
    mq::RabbitMqEvent,
    kafka::KafkaEvent,
    documentdb::DocumentDbEvent<Value>,
    ses::SesEvent,
    ses::SesReceiptResponse,
    secretsmanager::SecretsManagerRotationEvent,
    cloudformation::CustomResourceRequest<Value>,
    cloudformation::CustomResourceResponse<Value>,
    codecommit::CodeCommitEvent,
    codepipeline::CodePipelineEvent,
    codedeploy::CodeDeployLifecycleEvent,
    cognito::CognitoUserPoolEvent<Value, Value>,
    cognito::PreSignUpEvent,
    cognito::PostConfirmationEvent,
    cognito::PreAuthenticationEvent,
    cognito::PostAuthenticationEvent,
    cognito::InboundFederationEvent,
    cognito::DefineAuthChallengeEvent,
    cognito::CreateAuthChallengeEvent,
    cognito::VerifyAuthChallengeResponseEvent,
    cognito::CustomMessageEvent,
    cognito::CustomEmailSenderEvent,
    cognito::CustomSmsSenderEvent,
    cognito::MigrateUserEvent,
    cognito::PreTokenGenerationEvent,
    cognito::PreTokenGenerationV2Event,
    cognito::CognitoSyncEvent,
    config::ConfigEvent,
    connect::ConnectEvent,
    iot::IoTButtonEvent,
    iot::IoTOneClickEvent,
    iot::IoTCustomAuthorizerRequest,
    iot::IoTCustomAuthorizerResponse,
    iot::IoTPreProvisioningHookRequest,
    iot::IoTPreProvisioningHookResponse,
    lex::LexV1Event,
    lex::LexV1Response,
    lex::LexV2Event,
    lex::LexV2Response,
    bedrock_agent::BedrockAgentEvent,
    bedrock_agent::BedrockAgentResponse,
    clientvpn::ClientVpnConnectionHandlerRequest,
    clientvpn::ClientVpnConnectionHandlerResponse,
    autoscaling::AutoScalingLifecycleEvent,
    autoscaling::AutoScalingInstanceActivityEvent,
    destinations::DestinationRecord<Value, Value>,
}

fuzz_target!(|data: &[u8]| {
    if let Some((&selector, json)) = data.split_first() {
        TYPES[selector as usize % TYPES.len()](json);
    }
});
