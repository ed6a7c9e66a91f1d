//! Amazon Lex V2 code hook requests and responses.
//!
//! ```
//! use lambda_events::lex::v2::{DialogAction, LexV2Event, LexV2Response, SessionState};
//! use lambda_events::lex::DialogActionType;
//!
//! // Validation hook: ask for the pickup date until it is filled, then let Lex continue.
//! fn validate(event: LexV2Event) -> LexV2Response {
//!     let intent = event.session_state.intent.clone().unwrap_or_default();
//!     let action = if intent.slot_value("PickupDate").is_none() {
//!         DialogAction::elicit_slot("PickupDate")
//!     } else {
//!         DialogAction::new(DialogActionType::Delegate)
//!     };
//!     LexV2Response {
//!         session_state: SessionState {
//!             dialog_action: Some(action),
//!             intent: Some(intent),
//!             session_attributes: event.session_state.session_attributes,
//!             ..Default::default()
//!         },
//!         ..Default::default()
//!     }
//! }
//! # let event: LexV2Event = serde_json::from_str(r#"{"sessionId":"s","sessionState":{"intent":
//! #   {"name":"OrderFlowers","slots":{"PickupDate":null}}}}"#).unwrap();
//! # let json = serde_json::to_value(validate(event)).unwrap();
//! # assert_eq!(json["sessionState"]["dialogAction"]["type"], "ElicitSlot");
//! # assert_eq!(json["sessionState"]["dialogAction"]["slotToElicit"], "PickupDate");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{
    ConfirmationState, DialogActionType, IntentState, InvocationSource, MessageContentType,
};

/// The event Lex V2 sends to a code hook.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Event {
    /// The format version; `1.0`.
    pub message_version: Option<String>,
    /// Whether to validate (`DialogCodeHook`) or fulfil (`FulfillmentCodeHook`).
    #[serde(default)]
    pub invocation_source: InvocationSource,
    /// `DTMF`, `Speech` or `Text`.
    pub input_mode: Option<String>,
    /// The content type the client accepts for the reply.
    pub response_content_type: Option<String>,
    /// The session ID.
    pub session_id: String,
    /// The text Lex processed (typed, or recognized from speech).
    pub input_transcript: Option<String>,
    /// The transcript before Lex normalized it.
    pub raw_input_transcript: Option<String>,
    /// The bot that processed the request.
    pub bot: Option<Bot>,
    /// The intents that could match the utterance, best first.
    #[serde(default)]
    pub interpretations: Vec<Interpretation>,
    /// What Lex plans to do next, when it has a plan.
    pub proposed_next_state: Option<ProposedNextState>,
    /// Request-specific attributes from the client.
    pub request_attributes: Option<HashMap<String, String>>,
    /// The current state of the conversation.
    pub session_state: SessionState,
    /// The transcriptions Lex considered, for speech input.
    pub transcriptions: Option<Vec<Transcription>>,
}

/// The bot that processed a request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Bot {
    /// The bot ID.
    pub id: Option<String>,
    /// The bot name.
    pub name: Option<String>,
    /// The ID of the alias that processed the request.
    pub alias_id: Option<String>,
    /// The name of that alias.
    pub alias_name: Option<String>,
    /// The locale, such as `en_US`.
    pub locale_id: Option<String>,
    /// The bot version.
    pub version: Option<String>,
}

/// An intent that could match the utterance.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Interpretation {
    /// The intent.
    pub intent: Intent,
    /// How confident Lex is in it.
    pub nlu_confidence: Option<NluConfidence>,
    /// The sentiment of the utterance, when sentiment analysis is on.
    pub sentiment_response: Option<SentimentResponse>,
    /// `Lex` or `Bedrock`: what produced the interpretation.
    pub interpretation_source: Option<String>,
}

/// The confidence of an interpretation.
///
/// Lambda events carry it as a bare number; the runtime API documents an object `{"score": n}`.
/// Both are accepted and written back as they came.
#[event]
#[serde(untagged)]
pub enum NluConfidence {
    /// A bare score, 0 to 1.
    Score(f64),
    /// An object holding the score.
    Object {
        /// The score, 0 to 1.
        score: f64,
    },
}

impl NluConfidence {
    /// The score, 0 to 1.
    pub fn score(&self) -> f64 {
        match self {
            Self::Score(score) | Self::Object { score } => *score,
        }
    }
}

/// The sentiment of an utterance.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SentimentResponse {
    /// `POSITIVE`, `NEGATIVE`, `NEUTRAL` or `MIXED`.
    pub sentiment: Option<String>,
    /// The score of each sentiment.
    pub sentiment_score: Option<SentimentScore>,
}

/// The score of each sentiment, 0 to 1.
#[event(keep_nulls)]
pub struct SentimentScore {
    /// Mixed.
    pub mixed: Option<f64>,
    /// Negative.
    pub negative: Option<f64>,
    /// Neutral.
    pub neutral: Option<f64>,
    /// Positive.
    pub positive: Option<f64>,
}

/// An intent and its slots.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// The intent name.
    pub name: String,
    /// The slots: name to slot, `null` until the user provides a value.
    #[serde(default)]
    pub slots: HashMap<String, Option<Slot>>,
    /// The state of the intent.
    pub state: Option<IntentState>,
    /// The user's answer to the confirmation prompt.
    pub confirmation_state: Option<ConfirmationState>,
    /// The Amazon Kendra query result, for `AMAZON.KendraSearchIntent`.
    pub kendra_response: Option<serde_json::Value>,
}

impl Intent {
    /// The interpreted value of slot `name`, if it is filled.
    pub fn slot_value(&self, name: &str) -> Option<&str> {
        self.slots
            .get(name)?
            .as_ref()?
            .value
            .as_ref()?
            .interpreted_value
            .as_deref()
    }
}

/// A slot value: a scalar, a list of values, or a composite of sub-slots.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// `Scalar`, `List` or `Composite` (absent means scalar).
    pub shape: Option<String>,
    /// The value (of a scalar slot, or the summary of a list).
    pub value: Option<SlotValue>,
    /// The values of a list slot.
    pub values: Option<Vec<Slot>>,
    /// The sub-slots of a composite slot.
    pub sub_slots: Option<HashMap<String, Option<Slot>>>,
}

/// The value of a slot.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SlotValue {
    /// What the user said.
    pub original_value: Option<String>,
    /// The value Lex settled on.
    pub interpreted_value: Option<String>,
    /// The values the input resolved to.
    pub resolved_values: Option<Vec<String>>,
}

/// What Lex plans to do next.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ProposedNextState {
    /// The next dialog action.
    pub dialog_action: Option<DialogAction>,
    /// The intent it applies to.
    pub intent: Option<Intent>,
    /// Which attempt of the prompt this is.
    pub prompt: Option<Prompt>,
}

/// A prompt attempt.
#[event(keep_nulls)]
pub struct Prompt {
    /// `Initial`, `Retry1`, `Retry2`, ...
    pub attempt: Option<String>,
}

/// The state of the conversation.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    /// The active contexts.
    pub active_contexts: Option<Vec<ActiveContext>>,
    /// The session attributes.
    pub session_attributes: Option<HashMap<String, String>>,
    /// Hints that improve recognition of slot values.
    pub runtime_hints: Option<serde_json::Value>,
    /// What Lex does next (required in a response).
    pub dialog_action: Option<DialogAction>,
    /// The current intent (not required in a response for `Delegate` and `ElicitIntent`).
    pub intent: Option<Intent>,
    /// The ID of the request that started the current intent.
    pub originating_request_id: Option<String>,
}

/// An active context.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ActiveContext {
    /// The context name.
    pub name: String,
    /// The context attributes.
    pub context_attributes: Option<HashMap<String, String>>,
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

/// A dialog action.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct DialogAction {
    /// What Lex does next.
    #[serde(rename = "type")]
    pub action_type: DialogActionType,
    /// The slot to ask for (required for `ElicitSlot`).
    pub slot_to_elicit: Option<String>,
    /// `Default`, `SpellByLetter` or `SpellByWord`.
    pub slot_elicitation_style: Option<String>,
    /// The sub-slot to ask for, for composite slots.
    pub sub_slot_to_elicit: Option<serde_json::Value>,
}

impl DialogAction {
    /// An action of the given type with no other field.
    pub fn new(action_type: DialogActionType) -> Self {
        Self {
            action_type,
            slot_to_elicit: None,
            slot_elicitation_style: None,
            sub_slot_to_elicit: None,
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }

    /// An `ElicitSlot` action asking for `slot`.
    pub fn elicit_slot(slot: impl Into<String>) -> Self {
        Self {
            slot_to_elicit: Some(slot.into()),
            ..Self::new(DialogActionType::ElicitSlot)
        }
    }
}

/// A transcription Lex considered.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct Transcription {
    /// The transcription.
    pub transcription: Option<String>,
    /// The transcription before normalization.
    pub raw_transcription: Option<String>,
    /// How confident Lex is in it, 0 to 1.
    pub transcription_confidence: Option<f64>,
    /// The intent it resolved to.
    pub resolved_context: Option<serde_json::Value>,
    /// The slots it resolved.
    pub resolved_slots: Option<HashMap<String, Option<Slot>>>,
}

/// What a Lex V2 code hook returns.
#[event]
#[serde(rename_all = "camelCase")]
pub struct LexV2Response {
    /// The next state of the conversation; its `dialogAction` is required.
    pub session_state: SessionState,
    /// Messages for the user (required for `ElicitIntent`).
    pub messages: Option<Vec<Message>>,
    /// Request attributes to return to the client.
    pub request_attributes: Option<HashMap<String, String>>,
}

/// A message for the user.
#[event]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The message format.
    pub content_type: MessageContentType,
    /// The text, for `PlainText`, `SSML` and `CustomPayload`.
    pub content: Option<String>,
    /// The card, for `ImageResponseCard`.
    pub image_response_card: Option<ImageResponseCard>,
}

/// A response card with buttons.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ImageResponseCard {
    /// The title.
    pub title: String,
    /// The subtitle.
    pub subtitle: Option<String>,
    /// The URL of an image to show.
    pub image_url: Option<String>,
    /// The buttons (up to five).
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
        let event: LexV2Event = round_trip(&fixture("lex/v2_request.json"));
        assert_eq!(event.invocation_source, InvocationSource::DialogCodeHook);
        assert_eq!(event.session_id, "123456789012345");
        assert_eq!(
            event.bot.as_ref().unwrap().locale_id.as_deref(),
            Some("en_US")
        );

        let intent = event.session_state.intent.as_ref().unwrap();
        assert_eq!(intent.name, "OrderFlowers");
        assert_eq!(intent.state, Some(IntentState::InProgress));
        assert_eq!(intent.confirmation_state, Some(ConfirmationState::None));
        assert_eq!(intent.slot_value("FlowerType"), Some("roses"));
        assert_eq!(intent.slots["PickupDate"], None);
        let extras = intent.slots["Extras"].as_ref().unwrap();
        assert_eq!(extras.shape.as_deref(), Some("List"));
        assert_eq!(extras.values.as_ref().unwrap().len(), 2);

        let best = &event.interpretations[0];
        assert_eq!(best.nlu_confidence.as_ref().unwrap().score(), 0.94);
        let sentiment = best.sentiment_response.as_ref().unwrap();
        assert_eq!(
            sentiment.sentiment_score.as_ref().unwrap().neutral,
            Some(0.91)
        );

        let next = event.proposed_next_state.as_ref().unwrap();
        let action = next.dialog_action.as_ref().unwrap();
        assert_eq!(action.action_type, DialogActionType::ElicitSlot);
        assert_eq!(action.slot_to_elicit.as_deref(), Some("PickupDate"));
    }

    #[test]
    fn nlu_confidence_object_form_round_trips() {
        let interpretation: Interpretation = round_trip(
            r#"{"intent":{"name":"FallbackIntent","slots":{}},"nluConfidence":{"score":0.5}}"#,
        );
        assert_eq!(interpretation.nlu_confidence.unwrap().score(), 0.5);
    }

    #[test]
    fn close_response_fixture_round_trips() {
        let response: LexV2Response = round_trip(&fixture("lex/v2_response_close.json"));
        let state = &response.session_state;
        assert_eq!(
            state.dialog_action.as_ref().unwrap().action_type,
            DialogActionType::Close
        );
        assert_eq!(
            state.intent.as_ref().unwrap().state,
            Some(IntentState::Fulfilled)
        );
        let messages = response.messages.as_ref().unwrap();
        assert_eq!(messages[0].content_type, MessageContentType::PlainText);
        let card = messages[1].image_response_card.as_ref().unwrap();
        assert_eq!(card.title, "Anything else?");
        assert_eq!(card.buttons.as_ref().unwrap()[1].value, "no");
    }

    #[test]
    fn elicit_slot_builder_writes_the_documented_json() {
        let json = serde_json::to_value(DialogAction::elicit_slot("PickupTime")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "type": "ElicitSlot", "slotToElicit": "PickupTime" })
        );
    }
}
