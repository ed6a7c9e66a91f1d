//! Amazon Lex (v1) code hook requests and responses.
//!
//! ```
//! use lambda_events::lex::v1::{Close, DialogAction, LexV1Event, LexV1Response, Message};
//! use lambda_events::lex::{IntentState, MessageContentType};
//!
//! fn fulfil(event: LexV1Event) -> LexV1Response {
//!     let flower = event.current_intent.slot("FlowerType").unwrap_or("flowers");
//!     LexV1Response {
//!         session_attributes: event.session_attributes.clone(),
//!         dialog_action: DialogAction::Close(Close {
//!             fulfillment_state: IntentState::Fulfilled,
//!             message: Some(Message {
//!                 content_type: MessageContentType::PlainText,
//!                 content: format!("Thanks, your {flower} are ordered."),
//!                 ..Default::default()
//!             }),
//!             ..Close::default()
//!         }),
//!         ..LexV1Response::default()
//!     }
//! }
//! # let event: LexV1Event = serde_json::from_str(r#"{"currentIntent":{"name":"OrderFlowers",
//! #   "slots":{"FlowerType":"lilies"},"confirmationStatus":"None"},"bot":{"name":"b"},
//! #   "invocationSource":"FulfillmentCodeHook"}"#).unwrap();
//! # let json = serde_json::to_value(fulfil(event)).unwrap();
//! # assert_eq!(json["dialogAction"]["type"], "Close");
//! # assert_eq!(json["dialogAction"]["message"]["content"], "Thanks, your lilies are ordered.");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{
    ConfirmationState, DialogActionType, IntentState, InvocationSource, MessageContentType,
};

/// The event Lex (v1) sends to a code hook.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LexV1Event {
    /// The format version; `1.0`.
    pub message_version: Option<String>,
    /// Whether to validate (`DialogCodeHook`) or fulfil (`FulfillmentCodeHook`).
    pub invocation_source: InvocationSource,
    /// The user ID the client sent.
    pub user_id: Option<String>,
    /// The text Lex processed (typed, or recognized from speech).
    pub input_transcript: Option<String>,
    /// `Text` or `Voice`: how the client wants the reply.
    pub output_dialog_mode: Option<String>,
    /// The session attributes; return them to keep them.
    pub session_attributes: Option<HashMap<String, String>>,
    /// Request-specific attributes from the client.
    pub request_attributes: Option<HashMap<String, String>>,
    /// The bot that processed the request.
    pub bot: Bot,
    /// The intent Lex recognized.
    pub current_intent: Intent,
    /// Other intents that could match, with their confidence.
    pub alternative_intents: Option<Vec<Intent>>,
    /// Up to three recent intents.
    pub recent_intent_summary_view: Option<Vec<IntentSummary>>,
    /// The Amazon Comprehend sentiment of the utterance, when sentiment analysis is on.
    pub sentiment_response: Option<SentimentResponse>,
    /// The Amazon Kendra query result, for `AMAZON.KendraSearchIntent`.
    pub kendra_response: Option<serde_json::Value>,
    /// The active contexts of the session.
    pub active_contexts: Option<Vec<ActiveContext>>,
}

/// The bot that processed a request.
#[event(keep_nulls)]
pub struct Bot {
    /// The bot name.
    pub name: String,
    /// The alias that processed the request.
    pub alias: Option<String>,
    /// The bot version.
    pub version: Option<String>,
}

/// An intent and its slots.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// The intent name.
    pub name: String,
    /// The slots: name to value, `null` until the user provides a value.
    #[serde(default)]
    pub slots: HashMap<String, Option<String>>,
    /// More about each slot value: what the user said and the resolved values.
    pub slot_details: Option<HashMap<String, Option<SlotDetail>>>,
    /// The user's answer to the confirmation prompt.
    pub confirmation_status: Option<ConfirmationState>,
    /// How confident Lex is in this intent (0 to 1), when confidence scores are on.
    pub nlu_intent_confidence_score: Option<f64>,
}

impl Intent {
    /// The value of slot `name`, if it is filled.
    pub fn slot(&self, name: &str) -> Option<&str> {
        self.slots.get(name).and_then(|v| v.as_deref())
    }
}

/// More about a slot value.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SlotDetail {
    /// Other values recognized for the slot (up to five).
    #[serde(default)]
    pub resolutions: Vec<SlotResolution>,
    /// What the user said.
    pub original_value: Option<String>,
}

/// A value recognized for a slot.
#[event]
pub struct SlotResolution {
    /// The resolved value.
    pub value: String,
}

/// The state of a recent intent.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IntentSummary {
    /// The intent name.
    pub intent_name: Option<String>,
    /// A label that identifies this intent in the session.
    pub checkpoint_label: Option<String>,
    /// The intent's slots.
    pub slots: Option<HashMap<String, Option<String>>>,
    /// The user's answer to the confirmation prompt.
    pub confirmation_status: Option<ConfirmationState>,
    /// The last dialog action for the intent.
    pub dialog_action_type: Option<DialogActionType>,
    /// `Fulfilled`, `Failed` or `ReadyForFulfillment`.
    pub fulfillment_state: Option<IntentState>,
    /// The slot being elicited, for `ElicitSlot`.
    pub slot_to_elicit: Option<String>,
}

/// The sentiment of an utterance.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SentimentResponse {
    /// `POSITIVE`, `NEGATIVE`, `NEUTRAL` or `MIXED`.
    pub sentiment_label: Option<String>,
    /// The scores of each sentiment, as a string.
    pub sentiment_score: Option<String>,
}

/// An active context of the session.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ActiveContext {
    /// The context name.
    pub name: String,
    /// The context parameters.
    #[serde(default)]
    pub parameters: HashMap<String, String>,
    /// How long the context stays active.
    pub time_to_live: Option<TimeToLive>,
}

/// How long a context stays active.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct TimeToLive {
    /// Seconds the context stays active.
    pub time_to_live_in_seconds: Option<u32>,
    /// Conversation turns the context stays active.
    pub turns_to_live: Option<u32>,
}

/// What a Lex (v1) code hook returns.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct LexV1Response {
    /// The session attributes to keep (omit to keep the current ones).
    pub session_attributes: Option<HashMap<String, String>>,
    /// Values to set on recent intents.
    pub recent_intent_summary_view: Option<Vec<IntentSummary>>,
    /// Contexts to set active.
    pub active_contexts: Option<Vec<ActiveContext>>,
    /// What Lex does next.
    pub dialog_action: DialogAction,
}

impl Default for LexV1Response {
    /// A response that delegates the next step to Lex.
    fn default() -> Self {
        Self {
            session_attributes: None,
            recent_intent_summary_view: None,
            active_contexts: None,
            dialog_action: DialogAction::Delegate(Delegate::default()),
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }
}

/// What Lex does next, tagged by `type`; each variant holds the fields that type takes.
#[event]
#[serde(tag = "type")]
pub enum DialogAction {
    /// End the conversation.
    Close(Close),
    /// Ask the user to confirm the intent.
    ConfirmIntent(ConfirmIntent),
    /// Let Lex decide.
    Delegate(Delegate),
    /// Ask the user what they want.
    ElicitIntent(ElicitIntent),
    /// Ask the user for a slot value.
    ElicitSlot(ElicitSlot),
}

impl DialogAction {
    /// The `type` of this action.
    pub fn action_type(&self) -> DialogActionType {
        match self {
            Self::Close(_) => DialogActionType::Close,
            Self::ConfirmIntent(_) => DialogActionType::ConfirmIntent,
            Self::Delegate(_) => DialogActionType::Delegate,
            Self::ElicitIntent(_) => DialogActionType::ElicitIntent,
            Self::ElicitSlot(_) => DialogActionType::ElicitSlot,
        }
    }
}

/// A `Close` dialog action.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct Close {
    /// `Fulfilled` or `Failed`.
    pub fulfillment_state: IntentState,
    /// The message to send (else the intent's configured one).
    pub message: Option<Message>,
    /// A response card to show.
    pub response_card: Option<ResponseCard>,
}

impl Default for Close {
    /// A `Fulfilled` close without a message.
    fn default() -> Self {
        Self {
            fulfillment_state: IntentState::Fulfilled,
            message: None,
            response_card: None,
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }
}

/// A `ConfirmIntent` dialog action.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ConfirmIntent {
    /// The intent to confirm.
    pub intent_name: String,
    /// The filled slots of the intent.
    #[serde(default)]
    pub slots: HashMap<String, Option<String>>,
    /// The confirmation question (required if the intent has no confirmation prompt).
    pub message: Option<Message>,
    /// A response card to show.
    pub response_card: Option<ResponseCard>,
}

/// A `Delegate` dialog action.
#[event]
#[serde(rename_all = "camelCase")]
pub struct Delegate {
    /// The slots of the current intent (omitted slots are cleared).
    pub slots: Option<HashMap<String, Option<String>>>,
    /// A Kendra query request, for `AMAZON.KendraSearchIntent`.
    pub kendra_query_request_payload: Option<String>,
    /// A Kendra attribute filter, for `AMAZON.KendraSearchIntent`.
    pub kendra_query_filter_string: Option<String>,
}

/// An `ElicitIntent` dialog action.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ElicitIntent {
    /// The question to ask.
    pub message: Option<Message>,
    /// A response card to show.
    pub response_card: Option<ResponseCard>,
}

/// An `ElicitSlot` dialog action.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ElicitSlot {
    /// The intent whose slot is asked for.
    pub intent_name: String,
    /// The slots of the intent.
    #[serde(default)]
    pub slots: HashMap<String, Option<String>>,
    /// The slot to ask for.
    pub slot_to_elicit: String,
    /// The question to ask.
    pub message: Option<Message>,
    /// A response card to show.
    pub response_card: Option<ResponseCard>,
}

/// A message to the user.
#[event]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `PlainText`, `SSML` or `CustomPayload`.
    pub content_type: MessageContentType,
    /// The message text.
    pub content: String,
}

/// A response card.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ResponseCard {
    /// The card format version.
    pub version: Option<u32>,
    /// `application/vnd.amazonaws.card.generic`.
    pub content_type: Option<String>,
    /// The card's attachments.
    #[serde(default)]
    pub generic_attachments: Vec<GenericAttachment>,
}

/// An attachment of a response card.
#[event]
#[serde(rename_all = "camelCase")]
pub struct GenericAttachment {
    /// The title.
    pub title: Option<String>,
    /// The subtitle.
    pub sub_title: Option<String>,
    /// The URL of an image to show.
    pub image_url: Option<String>,
    /// The URL the attachment links to.
    pub attachment_link_url: Option<String>,
    /// The buttons to show.
    pub buttons: Option<Vec<Button>>,
}

/// A button of a response card.
#[event]
pub struct Button {
    /// The button text.
    pub text: String,
    /// The value sent when the user clicks it.
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn request_fixture_round_trips() {
        let event: LexV1Event = round_trip(&fixture("lex/v1_request.json"));
        assert_eq!(
            event.invocation_source,
            InvocationSource::FulfillmentCodeHook
        );
        assert_eq!(event.bot.name, "OrderFlowers");
        assert_eq!(event.bot.alias.as_deref(), Some("prod"));
        assert_eq!(event.current_intent.name, "OrderFlowers");
        assert_eq!(event.current_intent.slot("FlowerType"), Some("lilies"));
        assert_eq!(event.current_intent.slot("PickupTime"), Some("10:00"));
        assert_eq!(
            event.current_intent.confirmation_status,
            Some(ConfirmationState::Confirmed)
        );
        assert_eq!(event.session_attributes.unwrap()["key1"], "value1");
    }

    #[test]
    fn dialog_hook_fixture_keeps_null_slots() {
        let event: LexV1Event = round_trip(&fixture("lex/v1_request_dialog_hook.json"));
        assert_eq!(event.invocation_source, InvocationSource::DialogCodeHook);
        let intent = &event.current_intent;
        assert_eq!(intent.slots.get("PickupDate"), Some(&None));
        assert_eq!(intent.slot("PickupDate"), None);
        let details = intent.slot_details.as_ref().unwrap();
        let flower = details["FlowerType"].as_ref().unwrap();
        assert_eq!(flower.original_value.as_deref(), Some("roses"));
        assert_eq!(flower.resolutions[0].value, "roses");
        let summary = &event.recent_intent_summary_view.unwrap()[0];
        assert_eq!(
            summary.dialog_action_type,
            Some(DialogActionType::ElicitSlot)
        );
        assert_eq!(
            event.sentiment_response.unwrap().sentiment_label.as_deref(),
            Some("NEUTRAL")
        );
    }

    #[test]
    fn explicit_null_fields_parse_as_absent() {
        let json = fixture("lex/v1_request.json").replace(
            "\"outputDialogMode\"",
            "\"requestAttributes\": null, \"kendraResponse\": null, \"outputDialogMode\"",
        );
        let event: LexV1Event = serde_json::from_str(&json).unwrap();
        assert_eq!(event.request_attributes, None);
        assert_eq!(event.kendra_response, None);
    }

    #[test]
    fn close_response_fixture_round_trips() {
        let response: LexV1Response = round_trip(&fixture("lex/v1_response_close.json"));
        let DialogAction::Close(close) = &response.dialog_action else {
            panic!("expected Close, got {:?}", response.dialog_action);
        };
        assert_eq!(close.fulfillment_state, IntentState::Fulfilled);
        assert_eq!(
            close.message.as_ref().unwrap().content,
            "Thanks, your pizza has been ordered."
        );
        let card = close.response_card.as_ref().unwrap();
        assert_eq!(card.version, Some(1));
        let buttons = card.generic_attachments[0].buttons.as_ref().unwrap();
        assert_eq!(buttons[0].value, "small");
        assert_eq!(
            response.dialog_action.action_type(),
            DialogActionType::Close
        );
    }

    #[test]
    fn elicit_slot_response_fixture_round_trips() {
        let response: LexV1Response = round_trip(&fixture("lex/v1_response_elicit_slot.json"));
        let DialogAction::ElicitSlot(elicit) = &response.dialog_action else {
            panic!("expected ElicitSlot, got {:?}", response.dialog_action);
        };
        assert_eq!(elicit.slot_to_elicit, "PickupDate");
        assert_eq!(elicit.slots["PickupDate"], None);
        assert_eq!(
            elicit.message.as_ref().unwrap().content_type,
            MessageContentType::PlainText
        );
    }

    #[test]
    fn default_response_delegates() {
        let json = serde_json::to_value(LexV1Response::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "dialogAction": { "type": "Delegate" } })
        );
    }

    #[test]
    fn unknown_dialog_action_type_is_an_error_naming_it() {
        let err = serde_json::from_str::<LexV1Response>(r#"{"dialogAction":{"type":"Shout"}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("Shout"), "{err}");
    }
}
