//! Amazon Lex v1 and v2 requests and responses.
//!
//! A Lex bot calls its code hook (synchronously) for validation (`DialogCodeHook`) and
//! fulfillment (`FulfillmentCodeHook`). The two Lex versions have different formats:
//!
//! - [`v1`]: [`LexV1Event`] in, [`LexV1Response`] out; slots are plain strings and the
//!   response's `dialogAction` is a [`v1::DialogAction`] whose variant (tagged by `type`)
//!   carries the fields that type requires.
//! - [`v2`]: [`LexV2Event`] in, [`LexV2Response`] out; slots are structured values and the
//!   function returns the next [`v2::SessionState`] and messages.
//!
//! The enums shared by both versions are defined here. Each keeps values this version does not
//! know in an `Other` variant, so a new value from Lex is passed through instead of failing the
//! invocation.
//!
//! ```
//! use lambda_events::lex::v2::{DialogAction, Message, SessionState};
//! use lambda_events::lex::{DialogActionType, IntentState, LexV2Event, LexV2Response, MessageContentType};
//!
//! fn fulfil(event: LexV2Event) -> LexV2Response {
//!     let mut intent = event.session_state.intent.unwrap_or_default();
//!     let flower = intent.slot_value("FlowerType").unwrap_or("flowers").to_owned();
//!     intent.state = Some(IntentState::Fulfilled);
//!     LexV2Response {
//!         session_state: SessionState {
//!             dialog_action: Some(DialogAction::new(DialogActionType::Close)),
//!             intent: Some(intent),
//!             ..Default::default()
//!         },
//!         messages: Some(vec![Message {
//!             content_type: MessageContentType::PlainText,
//!             content: Some(format!("Your {flower} are on their way.")),
//!             ..Default::default()
//!         }]),
//!         ..Default::default()
//!     }
//! }
//! # let event: LexV2Event = serde_json::from_str(r#"{"sessionId":"s","sessionState":{"intent":
//! #   {"name":"OrderFlowers","slots":{"FlowerType":{"value":{"interpretedValue":"roses"}}}}}}"#)
//! #   .unwrap();
//! # let response = fulfil(event);
//! # assert_eq!(response.messages.unwrap()[0].content.as_deref(), Some("Your roses are on their way."));
//! ```

use lambda_events_derive::event;

pub mod v1;
pub mod v2;

pub use v1::{LexV1Event, LexV1Response};
pub use v2::{LexV2Event, LexV2Response};

/// Why Lex called the function.
#[event]
#[derive(Default, Eq, Hash)]
pub enum InvocationSource {
    /// To initialize and validate the user's input.
    #[default]
    DialogCodeHook,
    /// To fulfil the intent, once all its slots are filled.
    FulfillmentCodeHook,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// Whether the user confirmed the intent (v2 `confirmationState`, v1 `confirmationStatus`).
#[event]
#[derive(Default, Eq, Hash)]
pub enum ConfirmationState {
    /// No confirmation was asked or answered.
    #[default]
    None,
    /// The user confirmed.
    Confirmed,
    /// The user denied.
    Denied,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// What Lex does next, the `type` of a dialog action.
#[event]
#[derive(Eq, Hash)]
pub enum DialogActionType {
    /// End the conversation; expect no answer.
    Close,
    /// Ask the user to confirm the intent (yes or no).
    ConfirmIntent,
    /// Let Lex choose the next action from the bot's configuration.
    Delegate,
    /// Ask the user what they want (which intent).
    ElicitIntent,
    /// Ask the user for the value of a slot.
    ElicitSlot,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// The state of an intent (v2 `state`, v1 `fulfillmentState`).
#[event]
#[derive(Eq, Hash)]
pub enum IntentState {
    /// The intent could not be fulfilled.
    Failed,
    /// The intent was fulfilled.
    Fulfilled,
    /// Fulfillment is under way (v2 streaming updates).
    FulfillmentInProgress,
    /// The intent is still collecting slots.
    InProgress,
    /// All slots are filled; the intent can be fulfilled.
    ReadyForFulfillment,
    /// Waiting for the user (v2).
    Waiting,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// The format of a message to the user.
#[event]
#[derive(Default, Eq, Hash)]
pub enum MessageContentType {
    /// Plain text.
    #[default]
    PlainText,
    /// Speech Synthesis Markup Language.
    #[serde(rename = "SSML")]
    Ssml,
    /// A payload your client interprets.
    CustomPayload,
    /// A response card with buttons (v2).
    ImageResponseCard,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_enums_use_the_wire_names() {
        let json = serde_json::to_string(&(
            InvocationSource::FulfillmentCodeHook,
            ConfirmationState::Denied,
            DialogActionType::ElicitSlot,
            IntentState::ReadyForFulfillment,
            MessageContentType::Ssml,
        ))
        .unwrap();
        assert_eq!(
            json,
            r#"["FulfillmentCodeHook","Denied","ElicitSlot","ReadyForFulfillment","SSML"]"#
        );
    }

    #[test]
    fn unknown_enum_values_pass_through() {
        let state: IntentState = serde_json::from_str(r#""Paused""#).unwrap();
        assert_eq!(state, IntentState::Other("Paused".into()));
        assert_eq!(serde_json::to_string(&state).unwrap(), r#""Paused""#);
    }

    #[test]
    fn a_non_string_enum_value_is_an_error() {
        assert!(serde_json::from_str::<DialogActionType>("42").is_err());
    }
}
