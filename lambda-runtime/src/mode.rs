//! What the function's service receives: JSON events ([`Json`], the default) or HTTP requests
//! ([`Http`](crate::http::Http), feature `http`), chosen with [`Runtime::http`](crate::Runtime).

use serde::de::DeserializeOwned;
use tower::Service;

use crate::event::LambdaEvent;
use crate::Diagnostic;

/// How the function's service is turned into the per-invocation service the loop calls: a
/// `Service<LambdaEvent<Event>>`, which [layers](crate::Runtime::layer) wrap.
///
/// Implemented by [`Json`] (the service already is one) and, with the `http` feature, by
/// [`Http`] (an HTTP service behind the adapter). `Req` is the request type
/// of the function's service.
///
#[cfg_attr(feature = "http", doc = "[`Http`]: crate::http::Http")]
#[cfg_attr(not(feature = "http"), doc = "[`Http`]: crate#features")]
pub trait Mode<S, Req> {
    /// The type each invocation's event is deserialized into.
    type Event: DeserializeOwned;
    /// The per-invocation service.
    type Service: Service<LambdaEvent<Self::Event>>;

    /// Wraps the function's service (`streaming`: whether responses are streamed).
    #[doc(hidden)]
    fn adapt(&self, service: S, streaming: bool) -> Self::Service;

    /// Turns one invocation's event bytes into [`Mode::Event`]; an error is reported as the
    /// invocation's `Runtime.InvalidEvent`. The default is `serde_json` (with the failing
    /// field's path in the error); the HTTP mode reads the bytes its own way.
    #[doc(hidden)]
    fn decode(event: &[u8]) -> Result<Self::Event, Diagnostic> {
        crate::poller::deserialize(event)
    }
}

/// The default mode: the function's service takes [`LambdaEvent<T>`], `T` deserialized from the
/// event's JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl<S, T> Mode<S, LambdaEvent<T>> for Json
where
    S: Service<LambdaEvent<T>>,
    T: DeserializeOwned,
{
    type Event = T;
    type Service = S;

    fn adapt(&self, service: S, _streaming: bool) -> S {
        service
    }
}
