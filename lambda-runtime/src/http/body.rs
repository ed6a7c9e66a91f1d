//! The request body handed to the HTTP service: the whole payload, already decoded.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// The body of a request from API Gateway, ALB, a function URL or VPC Lattice.
///
/// Lambda delivers the whole body in the event, so it is complete before the service is
/// called: a base64 body (`isBase64Encoded`) is decoded, a text body is its UTF-8 bytes. It is
/// an [`http_body::Body`] (axum's extractors read it as any other body) and also gives its
/// bytes directly.
///
/// ```
/// use lambda_runtime::http::Body;
///
/// let body = Body::from("{\"a\":1}");
/// assert_eq!(body.as_bytes(), b"{\"a\":1}");
/// assert_eq!(Body::empty().len(), 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body(Bytes);

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Body(Bytes::new())
    }

    /// The body's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body's bytes, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The body as text, if it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body(Bytes::from(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Body(Bytes::from_static(text.as_bytes()))
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.0.is_empty() {
            Poll::Ready(None)
        } else {
            Poll::Ready(Some(Ok(Frame::data(std::mem::take(&mut this.0)))))
        }
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn body_yields_its_bytes_once_with_an_exact_size() {
        let body = Body::from("hello");
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(5));
        let collected = body.collect().await.unwrap().to_bytes();
        assert_eq!(collected, "hello");
    }
}
