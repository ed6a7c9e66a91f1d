//! What a handler receives: the event and the context of its invocation.

use crate::context::Context;

/// An event and the context of its invocation: what a handler receives.
///
/// ```
/// use lambda_runtime::{Context, LambdaEvent};
///
/// let event = LambdaEvent::new(serde_json::json!({"n": 1}), Context::for_test("req-1"));
/// let (payload, context) = event.into_parts();
/// assert_eq!(payload["n"], 1);
/// assert_eq!(context.request_id, "req-1");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LambdaEvent<T> {
    /// The event, deserialized from the invocation's JSON.
    pub payload: T,
    /// The invocation's context.
    pub context: Context,
}

impl<T> LambdaEvent<T> {
    /// An event with its context (handlers receive these; tests build them).
    pub fn new(payload: T, context: Context) -> Self {
        LambdaEvent { payload, context }
    }

    /// The payload and the context.
    pub fn into_parts(self) -> (T, Context) {
        (self.payload, self.context)
    }
}
