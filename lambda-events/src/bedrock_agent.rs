//! Amazon Bedrock agent action group requests and responses.
//!
//! An agent calls an action group's function with a [`BedrockAgentEvent`] and expects a
//! [`BedrockAgentResponse`]. Action groups are defined in one of two styles, and the event and
//! response differ accordingly:
//!
//! - **function details**: the event names the `function` and passes its `parameters`; the
//!   response carries a `functionResponse` (see [`BedrockAgentResponse::for_function`]);
//! - **API schema** (OpenAPI): the event has `apiPath`, `httpMethod`, `parameters` and a
//!   `requestBody`; the response carries an HTTP status code and a body per content type (see
//!   [`BedrockAgentResponse::for_api`]).
//!
//! ```
//! use lambda_events::bedrock_agent::{BedrockAgentEvent, BedrockAgentResponse};
//!
//! fn handle(event: &BedrockAgentEvent) -> BedrockAgentResponse {
//!     if event.function.as_deref() == Some("getWeather") {
//!         let city = event.parameter("city").unwrap_or("Seattle");
//!         BedrockAgentResponse::for_function(event, format!("It is sunny in {city}."))
//!     } else {
//!         BedrockAgentResponse::for_api(event, 404, r#"{"error":"unknown action"}"#)
//!     }
//! }
//! # let event: BedrockAgentEvent = serde_json::from_str(r#"{"messageVersion":"1.0",
//! #   "agent":{"name":"a","id":"i","alias":"al","version":"1"},"inputText":"weather?",
//! #   "sessionId":"s","actionGroup":"weather","function":"getWeather",
//! #   "parameters":[{"name":"city","type":"string","value":"Paris"}]}"#).unwrap();
//! # let json = serde_json::to_value(handle(&event)).unwrap();
//! # assert_eq!(json["response"]["functionResponse"]["responseBody"]["TEXT"]["body"], "It is sunny in Paris.");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

/// The event an agent sends to an action group's function.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct BedrockAgentEvent {
    /// The format version; `1.0`.
    pub message_version: String,
    /// The agent that called the function.
    pub agent: BedrockAgent,
    /// The user's input for this turn.
    pub input_text: Option<String>,
    /// The session ID.
    pub session_id: Option<String>,
    /// The name of the action group.
    pub action_group: String,
    /// The function called (function-details action groups).
    pub function: Option<String>,
    /// The API path called (API-schema action groups).
    pub api_path: Option<String>,
    /// The HTTP method of the API operation (API-schema action groups).
    pub http_method: Option<String>,
    /// The function's parameters, or the operation's path, query and header parameters.
    pub parameters: Option<Vec<BedrockAgentParameter>>,
    /// The operation's request body (API-schema action groups).
    pub request_body: Option<BedrockAgentRequestBody>,
    /// Session attributes, kept across the session.
    #[serde(default)]
    pub session_attributes: HashMap<String, String>,
    /// Prompt session attributes, kept for this turn.
    #[serde(default)]
    pub prompt_session_attributes: HashMap<String, String>,
}

impl BedrockAgentEvent {
    /// The value of parameter `name`, if the agent sent it.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .as_deref()?
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// The agent that called the function.
#[event]
pub struct BedrockAgent {
    /// The agent name.
    pub name: String,
    /// The agent ID.
    pub id: String,
    /// The alias used.
    pub alias: String,
    /// The agent version.
    pub version: String,
}

/// A parameter or a request body property.
#[event]
pub struct BedrockAgentParameter {
    /// The name.
    pub name: String,
    /// The type from the schema, such as `string`, `number`, `integer`, `boolean` or `array`.
    #[serde(rename = "type")]
    pub parameter_type: String,
    /// The value, always as a string.
    pub value: String,
}

/// The request body of an API operation.
#[event]
pub struct BedrockAgentRequestBody {
    /// The body per content type (such as `application/json`).
    pub content: HashMap<String, BedrockAgentRequestContent>,
}

/// The request body of one content type.
#[event]
pub struct BedrockAgentRequestContent {
    /// The body's properties.
    pub properties: Vec<BedrockAgentParameter>,
}

/// What an action group's function returns.
#[event]
#[serde(rename_all = "camelCase")]
pub struct BedrockAgentResponse {
    /// The format version; `1.0`.
    pub message_version: String,
    /// The result of the action.
    pub response: BedrockAgentActionResponse,
    /// Session attributes to keep (omitted attributes are dropped).
    pub session_attributes: Option<HashMap<String, String>>,
    /// Prompt session attributes for this turn.
    pub prompt_session_attributes: Option<HashMap<String, String>>,
    /// Knowledge base settings to apply to the agent's next queries.
    pub knowledge_bases_configuration: Option<Vec<serde_json::Value>>,
}

impl BedrockAgentResponse {
    /// A response to a function-details invocation, with `text` as its `TEXT` body.
    /// Session attributes are carried over from the event.
    pub fn for_function(event: &BedrockAgentEvent, text: impl Into<String>) -> Self {
        let response = BedrockAgentActionResponse {
            action_group: event.action_group.clone(),
            function: event.function.clone(),
            function_response: Some(BedrockAgentFunctionResponse {
                response_body: HashMap::from([("TEXT".to_owned(), BedrockAgentBody::new(text))]),
                ..Default::default()
            }),
            ..Default::default()
        };
        Self::carrying_sessions(event, response)
    }

    /// A response to an API-schema invocation, with status `http_status_code` and `body` (a
    /// JSON document) as its `application/json` body. Session attributes are carried over.
    pub fn for_api(
        event: &BedrockAgentEvent,
        http_status_code: u16,
        body: impl Into<String>,
    ) -> Self {
        let response = BedrockAgentActionResponse {
            action_group: event.action_group.clone(),
            api_path: event.api_path.clone(),
            http_method: event.http_method.clone(),
            http_status_code: Some(http_status_code),
            response_body: Some(HashMap::from([(
                "application/json".to_owned(),
                BedrockAgentBody::new(body),
            )])),
            ..Default::default()
        };
        Self::carrying_sessions(event, response)
    }

    fn carrying_sessions(event: &BedrockAgentEvent, response: BedrockAgentActionResponse) -> Self {
        Self {
            message_version: "1.0".to_owned(),
            response,
            session_attributes: Some(event.session_attributes.clone()),
            prompt_session_attributes: Some(event.prompt_session_attributes.clone()),
            ..Default::default()
        }
    }
}

/// The result of an action, in either style.
#[event]
#[serde(rename_all = "camelCase")]
pub struct BedrockAgentActionResponse {
    /// The action group, copied from the event.
    pub action_group: String,
    /// The API path, copied from the event (API-schema style).
    pub api_path: Option<String>,
    /// The HTTP method, copied from the event (API-schema style).
    pub http_method: Option<String>,
    /// The HTTP status of the operation (API-schema style).
    pub http_status_code: Option<u16>,
    /// The body per content type (API-schema style).
    pub response_body: Option<HashMap<String, BedrockAgentBody>>,
    /// The function, copied from the event (function-details style).
    pub function: Option<String>,
    /// The function's result (function-details style).
    pub function_response: Option<BedrockAgentFunctionResponse>,
}

/// The result of a function (function-details style).
#[event]
#[serde(rename_all = "camelCase")]
pub struct BedrockAgentFunctionResponse {
    /// `FAILURE` (the agent fails the session) or `REPROMPT` (the body goes back to the model);
    /// absent on success.
    pub response_state: Option<BedrockAgentResponseState>,
    /// The body per content type; `TEXT` is the one agents read.
    pub response_body: HashMap<String, BedrockAgentBody>,
}

/// How the agent treats a function's failure.
#[event]
#[derive(Eq)]
pub enum BedrockAgentResponseState {
    /// The agent throws a `DependencyFailedException` for the session.
    #[serde(rename = "FAILURE")]
    Failure,
    /// The agent passes the body to the model to reprompt it.
    #[serde(rename = "REPROMPT")]
    Reprompt,
}

/// A response body.
#[event]
pub struct BedrockAgentBody {
    /// The body text (a JSON document for `application/json`).
    pub body: String,
}

impl BedrockAgentBody {
    /// A body holding `body`.
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            body: body.into(),
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
    fn api_request_fixture_round_trips() {
        let event: BedrockAgentEvent = round_trip(&fixture("bedrock_agent/api_request.json"));
        assert_eq!(event.agent.name, "BookingAgent");
        assert_eq!(event.action_group, "ClaimManagementActionGroup");
        assert_eq!(
            event.api_path.as_deref(),
            Some("/claims/{claimId}/identify-missing-documents")
        );
        assert_eq!(event.http_method.as_deref(), Some("POST"));
        assert_eq!(event.parameter("claimId"), Some("claim-006"));
        let body = &event.request_body.as_ref().unwrap().content["application/json"];
        assert_eq!(body.properties[0].name, "urgent");
        assert_eq!(body.properties[0].parameter_type, "boolean");
        assert_eq!(event.session_attributes["customerId"], "cust-42");
    }

    #[test]
    fn function_request_fixture_round_trips() {
        let event: BedrockAgentEvent = round_trip(&fixture("bedrock_agent/function_request.json"));
        assert_eq!(event.function.as_deref(), Some("getWeather"));
        assert_eq!(event.parameter("location"), Some("Seattle"));
        assert_eq!(event.parameter("unit"), None);
        assert_eq!(
            event.input_text.as_deref(),
            Some("What's the weather like in Seattle?")
        );
    }

    #[test]
    fn api_response_fixture_round_trips() {
        let response: BedrockAgentResponse =
            round_trip(&fixture("bedrock_agent/api_response.json"));
        let action = &response.response;
        assert_eq!(action.http_status_code, Some(200));
        let body = &action.response_body.as_ref().unwrap()["application/json"].body;
        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["missingDocuments"][0], "police-report");
    }

    #[test]
    fn function_response_fixture_round_trips() {
        let response: BedrockAgentResponse =
            round_trip(&fixture("bedrock_agent/function_response.json"));
        let function = response.response.function_response.as_ref().unwrap();
        assert_eq!(
            function.response_state,
            Some(BedrockAgentResponseState::Reprompt)
        );
        assert_eq!(
            function.response_body["TEXT"].body,
            "Which city do you mean?"
        );
    }

    #[test]
    fn for_function_builds_the_documented_response() {
        let event: BedrockAgentEvent = round_trip(&fixture("bedrock_agent/function_request.json"));
        let json =
            serde_json::to_value(BedrockAgentResponse::for_function(&event, "Sunny")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "messageVersion": "1.0",
                "response": {
                    "actionGroup": "WeatherActionGroup",
                    "function": "getWeather",
                    "functionResponse": { "responseBody": { "TEXT": { "body": "Sunny" } } }
                },
                "sessionAttributes": { "userId": "user-789" },
                "promptSessionAttributes": {}
            })
        );
    }

    #[test]
    fn for_api_copies_path_and_method() {
        let event: BedrockAgentEvent = round_trip(&fixture("bedrock_agent/api_request.json"));
        let response = BedrockAgentResponse::for_api(&event, 200, "{}");
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(
            json["response"]["apiPath"],
            "/claims/{claimId}/identify-missing-documents"
        );
        assert_eq!(json["response"]["httpMethod"], "POST");
        assert_eq!(json["response"]["httpStatusCode"], 200);
        assert_eq!(
            json["response"]["responseBody"]["application/json"]["body"],
            "{}"
        );
    }
}
