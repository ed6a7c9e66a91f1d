//! Which service sent an HTTP event, recognised from the event's keys in one look.

use std::fmt;

use serde_json::Value;

/// The service an HTTP request came through; the response is shaped for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// API Gateway REST API, or an HTTP API with payload format 1.0.
    ApiGatewayV1,
    /// API Gateway HTTP API, payload format 2.0.
    ApiGatewayV2,
    /// API Gateway WebSocket API.
    WebSocket,
    /// Application Load Balancer (single-value or multi-value headers).
    Alb,
    /// Lambda function URL.
    FunctionUrl,
    /// VPC Lattice, event structure version 1.
    VpcLatticeV1,
    /// VPC Lattice, event structure version 2.
    VpcLatticeV2,
}

impl Source {
    /// Every source the adapter accepts.
    pub const ALL: [Source; 7] = [
        Source::ApiGatewayV1,
        Source::ApiGatewayV2,
        Source::WebSocket,
        Source::Alb,
        Source::FunctionUrl,
        Source::VpcLatticeV1,
        Source::VpcLatticeV2,
    ];

    /// A human name, for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Source::ApiGatewayV1 => "API Gateway REST API (payload 1.0)",
            Source::ApiGatewayV2 => "API Gateway HTTP API (payload 2.0)",
            Source::WebSocket => "API Gateway WebSocket API",
            Source::Alb => "Application Load Balancer",
            Source::FunctionUrl => "Lambda function URL",
            Source::VpcLatticeV1 => "VPC Lattice (event version 1)",
            Source::VpcLatticeV2 => "VPC Lattice (event version 2)",
        }
    }

    /// Recognises the source of `event` by the fields that define it, without deserializing
    /// it: the first row of the table below (`DEFINING_FIELDS` in the code) whose fields are
    /// all present wins.
    ///
    /// | Source | Defined by (all present), in the order checked |
    /// | --- | --- |
    /// | ALB | `requestContext.elb` |
    /// | VPC Lattice v2 | `requestContext.serviceNetworkArn` |
    /// | Function URL | `version` `"2.0"`, `requestContext.http`, a `.lambda-url.` `requestContext.domainName` |
    /// | HTTP API v2 | `version` `"2.0"`, `requestContext.http` |
    /// | WebSocket | `requestContext.connectionId` and `requestContext.eventType` |
    /// | REST v1 | `httpMethod` and `requestContext` |
    /// | WebSocket | `requestContext.connectionId` (no `httpMethod`) |
    /// | VPC Lattice v1 | `raw_path` and `method` |
    ///
    /// So a REST (payload 1.0) event whose context also carries a `connectionId` is REST,
    /// and a WebSocket event that carries REST-style fields (`httpMethod`, `path`) is
    /// WebSocket, as its `eventType` says.
    ///
    /// ```
    /// use lambda_runtime::http::Source;
    ///
    /// let event = serde_json::json!({"requestContext": {"elb": {"targetGroupArn": "arn"}}});
    /// assert_eq!(Source::detect(&event).unwrap(), Source::Alb);
    /// let err = Source::detect(&serde_json::json!({"Records": []})).unwrap_err();
    /// assert!(err.to_string().contains("`Records`"));
    /// ```
    pub fn detect(event: &Value) -> Result<Source, UnrecognizedEvent> {
        let Some(object) = event.as_object() else {
            return Err(UnrecognizedEvent {
                received: format!("a JSON {}", kind(event)),
            });
        };
        let context = object.get("requestContext").and_then(Value::as_object);
        let present = |field: &Field| match *field {
            Field::Top(key) => object.contains_key(key),
            Field::Context(key) => context.is_some_and(|c| c.contains_key(key)),
            Field::Version2 => object.get("version").and_then(Value::as_str) == Some("2.0"),
            Field::FunctionUrlDomain => context
                .and_then(|c| c.get("domainName"))
                .and_then(Value::as_str)
                .is_some_and(is_function_url_domain),
        };
        let decided = match decide(|field| Some(present(field))) {
            Decision::Source(source) => Some(source),
            Decision::Undecided | Decision::NoSource => None,
        };
        decided.ok_or_else(|| {
            let keys: Vec<String> = object.keys().map(|k| format!("`{k}`")).collect();
            UnrecognizedEvent {
                received: if keys.is_empty() {
                    "an empty JSON object".to_owned()
                } else {
                    format!("a JSON object with the keys {}", keys.join(", "))
                },
            }
        })
    }
}

/// What the table of [`Source::detect`] says of an event from what is known of its fields so
/// far (`None`: not known yet): the first row with no field known absent names the source once
/// all its fields are known present; until then it is undecided.
pub(super) fn decide(known: impl Fn(&Field) -> Option<bool>) -> Decision {
    'rows: for (source, fields) in &DEFINING_FIELDS {
        let mut undecided = false;
        for field in *fields {
            match known(field) {
                Some(false) => continue 'rows,
                Some(true) => {}
                None => undecided = true,
            }
        }
        return if undecided {
            Decision::Undecided
        } else {
            Decision::Source(*source)
        };
    }
    Decision::NoSource
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// The event is from this source, whatever the fields not known yet say.
    Source(Source),
    /// A field not known yet decides.
    Undecided,
    /// No row matches: not an HTTP event.
    NoSource,
}

/// A function URL's domain: `<url-id>.lambda-url.<region>.on.aws`.
pub(super) fn is_function_url_domain(domain: &str) -> bool {
    domain.contains(".lambda-url.")
}

/// A field whose presence says which source sent an event.
pub(super) enum Field {
    /// A top-level key.
    Top(&'static str),
    /// A key of `requestContext`.
    Context(&'static str),
    /// `"version": "2.0"`.
    Version2,
    /// `requestContext.domainName` is a function URL's (`<id>.lambda-url.<region>.on.aws`).
    FunctionUrlDomain,
}

/// The fields that define each source, in the order they are checked (the table of
/// [`Source::detect`]): the first row whose fields are all present names the source.
pub(super) const DEFINING_FIELDS: [(Source, &[Field]); 8] = [
    (Source::Alb, &[Field::Context("elb")]),
    (Source::VpcLatticeV2, &[Field::Context("serviceNetworkArn")]),
    (
        Source::FunctionUrl,
        &[
            Field::Version2,
            Field::Context("http"),
            Field::FunctionUrlDomain,
        ],
    ),
    (
        Source::ApiGatewayV2,
        &[Field::Version2, Field::Context("http")],
    ),
    (
        Source::WebSocket,
        &[Field::Context("connectionId"), Field::Context("eventType")],
    ),
    (
        Source::ApiGatewayV1,
        &[Field::Top("httpMethod"), Field::Top("requestContext")],
    ),
    (Source::WebSocket, &[Field::Context("connectionId")]),
    (
        Source::VpcLatticeV1,
        &[Field::Top("raw_path"), Field::Top("method")],
    ),
];

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An event that is not an HTTP request from any source the adapter accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnrecognizedEvent {
    received: String,
}

impl fmt::Display for UnrecognizedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the event is not an HTTP request from a source the HTTP adapter accepts (")?;
        for (i, source) in Source::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(source.name())?;
        }
        write!(
            f,
            "); received {}. Invoke this function through one of those sources, or use \
             `lambda_runtime::run` for other events",
            self.received
        )
    }
}

impl std::error::Error for UnrecognizedEvent {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_source_is_told_apart_by_its_keys() {
        let cases = [
            (
                json!({"httpMethod": "GET", "requestContext": {"elb": {}}}),
                Source::Alb,
            ),
            (
                json!({"version": "2.0", "requestContext": {"serviceNetworkArn": "a"}}),
                Source::VpcLatticeV2,
            ),
            (
                json!({"version": "2.0", "requestContext": {"http": {}, "domainName": "x.lambda-url.us-east-1.on.aws"}}),
                Source::FunctionUrl,
            ),
            (
                json!({"version": "2.0", "requestContext": {"http": {}, "domainName": "x.execute-api.us-east-1.amazonaws.com"}}),
                Source::ApiGatewayV2,
            ),
            (
                json!({"requestContext": {"connectionId": "c", "eventType": "MESSAGE"}}),
                Source::WebSocket,
            ),
            (
                json!({"version": "1.0", "httpMethod": "GET", "requestContext": {}}),
                Source::ApiGatewayV1,
            ),
            (
                json!({"raw_path": "/", "method": "GET"}),
                Source::VpcLatticeV1,
            ),
            // REST with a connectionId (some integrations add it): REST, not WebSocket.
            (
                json!({"httpMethod": "GET", "path": "/", "requestContext": {"connectionId": "c"}}),
                Source::ApiGatewayV1,
            ),
            // WebSocket with REST-style fields: its eventType says WebSocket.
            (
                json!({"httpMethod": "POST", "path": "/", "requestContext": {"connectionId": "c", "eventType": "MESSAGE"}}),
                Source::WebSocket,
            ),
            (
                json!({"requestContext": {"connectionId": "c", "routeKey": "$default"}}),
                Source::WebSocket,
            ),
        ];
        for (event, source) in cases {
            assert_eq!(Source::detect(&event), Ok(source), "{event}");
        }
    }

    #[test]
    fn unrecognized_event_lists_the_sources_and_the_keys_received() {
        let err = Source::detect(&json!({"Records": [], "detail": {}})).unwrap_err();
        let message = err.to_string();
        for source in Source::ALL {
            assert!(message.contains(source.name()), "{message}");
        }
        assert!(
            message.contains("received a JSON object with the keys `Records`, `detail`"),
            "{message}"
        );
        let err = Source::detect(&json!("hello")).unwrap_err();
        assert!(err.to_string().contains("received a JSON string"));
    }
}
