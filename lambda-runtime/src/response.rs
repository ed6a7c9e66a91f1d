//! What a handler returns, and how the runtime posts it.

use bytes::Bytes;
use serde::Serialize;

use crate::client::{BoxError, RequestBody};
use crate::diagnostic::{Diagnostic, ErrorCategory};
use crate::streaming::{LambdaStreamBody, StreamResponse};

pub(crate) use private::Outgoing;

/// What the per-invocation service may return, and so how the runtime posts it:
///
/// - any [`Serialize`] value: serialized to JSON and posted whole, or as a one-chunk stream
///   when the runtime is in [`streaming`](crate::Runtime::streaming) mode;
/// - a [`StreamResponse`]: always streamed, chunk by chunk, as its body produces them;
/// - the HTTP adapter's [`HttpResponse`] (feature `http`).
///
#[cfg_attr(feature = "http", doc = "[`HttpResponse`]: crate::http::HttpResponse")]
#[cfg_attr(not(feature = "http"), doc = "[`HttpResponse`]: crate#features")]
///
/// The trait is implemented by the runtime for these types only: its method is not part of the
/// public API.
pub trait FunctionResponse: Sized {
    /// Turns the response into what is posted. A response that should outlive the POST is put
    /// into `held` (the loop frees it after the POST: see `poller.rs`).
    #[doc(hidden)]
    fn encode(
        self,
        streaming: bool,
        held: &mut Option<Self>,
    ) -> Result<Outgoing, (Diagnostic, ErrorCategory)>;
}

mod private {
    /// How a handler's response goes out to the Runtime API. Public in a private module: it
    /// appears in [`FunctionResponse::encode`](super::FunctionResponse) but cannot be named (or
    /// built) outside the crate.
    #[allow(unreachable_pub)]
    pub enum Outgoing {
        /// A complete body, posted with `Content-Length`.
        Buffered(bytes::Bytes),
        /// A streamed body, posted chunked with `Lambda-Runtime-Function-Response-Mode:
        /// streaming`.
        Streamed {
            /// The body, with the prelude and error trailers added.
            body: crate::client::RequestBody,
            /// The content type the caller sees.
            content_type: http::HeaderValue,
        },
    }
}

impl<R: Serialize> FunctionResponse for R {
    fn encode(
        self,
        streaming: bool,
        held: &mut Option<Self>,
    ) -> Result<Outgoing, (Diagnostic, ErrorCategory)> {
        let json = serde_json::to_vec(&self);
        *held = Some(self);
        match json {
            Ok(json) if streaming => Ok(stream(
                None,
                http_body_util::Full::new(Bytes::from(json)),
                http::HeaderValue::from_static("application/json"),
            )),
            Ok(json) => Ok(Outgoing::Buffered(Bytes::from(json))),
            Err(e) => Err((
                ErrorCategory::InvalidResponse.diagnostic(format!(
                    "the handler's response ({}) could not be serialized to JSON: {e}",
                    std::any::type_name::<R>()
                )),
                ErrorCategory::InvalidResponse,
            )),
        }
    }
}

impl<B> FunctionResponse for StreamResponse<B>
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn encode(
        self,
        _streaming: bool,
        _held: &mut Option<Self>,
    ) -> Result<Outgoing, (Diagnostic, ErrorCategory)> {
        Ok(stream(self.prelude, self.body, self.content_type))
    }
}

/// A streamed body: the prelude (if any) and the body, with error trailers if it fails.
pub(crate) fn stream<B>(
    prelude: Option<Bytes>,
    body: B,
    content_type: http::HeaderValue,
) -> Outgoing
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    Outgoing::Streamed {
        body: RequestBody::Stream(Box::pin(LambdaStreamBody::new(prelude, body))),
        content_type,
    }
}
