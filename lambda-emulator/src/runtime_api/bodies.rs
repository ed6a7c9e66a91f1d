//! Reading the bodies runtimes POST: whole within a limit, or forwarded as a stream.

use bytes::{Bytes, BytesMut};
use http::{Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::sync::mpsc;

use crate::queue::StreamEvent;
use crate::server::{self, Body};
use crate::wire;

/// Why a request body could not be read whole.
pub(super) enum BodyError {
    TooLarge,
    Broken(String),
}

/// Reads a body, keeping at most `limit` bytes; a longer body is drained and refused.
pub(super) async fn read_limited(mut body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
    let mut buffer = BytesMut::new();
    let mut too_large = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| BodyError::Broken(error.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > limit {
                too_large = true;
                buffer = BytesMut::new();
            }
            if !too_large {
                buffer.extend_from_slice(&data);
            }
        }
    }
    if too_large {
        Err(BodyError::TooLarge)
    } else {
        Ok(buffer.freeze())
    }
}

pub(super) fn body_error_response(error: BodyError) -> Response<Body> {
    match error {
        BodyError::TooLarge => server::error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            &format!(
                "the body is over the {} byte limit of buffered responses; report an error or \
                 stream the response",
                wire::MAX_BUFFERED_RESPONSE_BYTES
            ),
        ),
        BodyError::Broken(message) => server::error_response(
            StatusCode::BAD_REQUEST,
            "InvalidRequestBody",
            &format!("the request body could not be read: {message}"),
        ),
    }
}

/// How forwarding a streamed body ended.
pub(super) enum Forwarded {
    /// The body was read to its end (or broke on its own).
    Complete,
    /// A fault cut the connection midway.
    Cut,
}

/// Passes a streamed body's chunks and trailers on as they arrive; keeps draining the body if
/// nobody listens any more. With `cut_after`, the connection is dropped once that many body
/// bytes have arrived (fault injection).
pub(super) async fn forward_stream(
    mut body: Incoming,
    sender: mpsc::Sender<StreamEvent>,
    cut_after: Option<usize>,
) -> Forwarded {
    let mut received = 0usize;
    while let Some(frame) = body.frame().await {
        let event = match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => {
                    received += data.len();
                    if cut_after.is_some_and(|limit| received >= limit) {
                        let _ = sender.send(StreamEvent::Data(data)).await;
                        let _ = sender
                            .send(StreamEvent::Broken(
                                "the connection was cut midway (fault injected by the emulator's test API)"
                                    .to_string(),
                            ))
                            .await;
                        return Forwarded::Cut;
                    }
                    StreamEvent::Data(data)
                }
                Err(frame) => match frame.into_trailers() {
                    Ok(trailers) => StreamEvent::Trailers(trailers),
                    Err(_) => continue,
                },
            },
            Err(error) => {
                let _ = sender
                    .send(StreamEvent::Broken(format!(
                        "the runtime's response stream broke before its end: {error}"
                    )))
                    .await;
                return Forwarded::Complete;
            }
        };
        let _ = sender.send(event).await;
    }
    Forwarded::Complete
}
