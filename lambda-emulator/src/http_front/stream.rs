//! Streamed responses behind an HTTP front: the `application/vnd.awslambda.http-integration-response`
//! prelude (JSON, then 8 NUL bytes, then the body), and the body passed on as it arrives.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::Frame;
use tokio::sync::mpsc;

use crate::queue::StreamEvent;

/// The content type of a streamed HTTP response that starts with a prelude.
pub(crate) const HTTP_INTEGRATION_RESPONSE: &str =
    "application/vnd.awslambda.http-integration-response";

/// The delimiter between the prelude and the body: 8 NUL bytes.
const DELIMITER_LEN: usize = 8;

/// The largest prelude accepted (status, headers and cookies): 1 MiB.
pub(crate) const MAX_PRELUDE_BYTES: usize = 1024 * 1024;

/// Finds the prelude at the start of a stream, whatever the chunk boundaries (the prelude and
/// the delimiter may be split anywhere, or arrive with the first bytes of the body).
///
/// JSON text holds no raw NUL byte, so the first run of 8 NULs ends the prelude.
#[derive(Debug, Default)]
pub(crate) struct PreludeParser {
    buffer: BytesMut,
    /// NUL bytes at the end of `buffer`.
    nuls: usize,
}

/// The prelude was not found within [`MAX_PRELUDE_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PreludeTooLarge;

impl PreludeParser {
    /// Takes the next chunk. Once the delimiter is seen, returns the prelude and the bytes
    /// after the delimiter (the start of the body, possibly empty).
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<Option<(Bytes, Bytes)>, PreludeTooLarge> {
        for (i, &byte) in chunk.iter().enumerate() {
            if byte != 0 {
                self.nuls = 0;
                continue;
            }
            self.nuls += 1;
            if self.nuls == DELIMITER_LEN {
                self.buffer.extend_from_slice(&chunk[..=i]);
                let prelude_len = self.buffer.len() - DELIMITER_LEN;
                let prelude = self.buffer.split_to(prelude_len).freeze();
                return Ok(Some((prelude, Bytes::copy_from_slice(&chunk[i + 1..]))));
            }
        }
        self.buffer.extend_from_slice(chunk);
        if self.buffer.len() > MAX_PRELUDE_BYTES + DELIMITER_LEN {
            return Err(PreludeTooLarge);
        }
        Ok(None)
    }
}

/// The body of a streamed HTTP response: the bytes already read, then the runtime's chunks
/// as they arrive. A function error after the first byte (error trailers), a timeout or a
/// broken stream ends the body with an error, so the caller sees a truncated response.
#[derive(Debug)]
pub(crate) struct StreamedBody {
    pub(crate) first: Option<Bytes>,
    pub(crate) events: mpsc::Receiver<StreamEvent>,
}

impl http_body::Body for StreamedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(first) = self.first.take().filter(|first| !first.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        self.events.poll_recv(cx).map(|event| match event? {
            StreamEvent::Data(chunk) => Some(Ok(Frame::data(chunk))),
            StreamEvent::Trailers(trailers) => {
                let error = trailers.get(crate::wire::FUNCTION_ERROR_TYPE)?;
                Some(Err(std::io::Error::other(format!(
                    "the function failed while streaming: {}",
                    String::from_utf8_lossy(error.as_bytes())
                ))))
            }
            StreamEvent::Broken(message) => Some(Err(std::io::Error::other(message))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &[u8] =
        b"{\"statusCode\":201,\"headers\":{\"a\":\"b\"}}\0\0\0\0\0\0\0\0body \0 with a NUL";

    #[test]
    fn prelude_is_found_when_fed_byte_by_byte() {
        let mut parser = PreludeParser::default();
        let mut found = None;
        for (i, byte) in STREAM.iter().enumerate() {
            if let Some(prelude) = parser.feed(std::slice::from_ref(byte)).unwrap() {
                found = Some((prelude, i + 1));
                break;
            }
        }
        let ((prelude, rest), consumed) = found.expect("the delimiter was seen");
        assert_eq!(
            prelude,
            &b"{\"statusCode\":201,\"headers\":{\"a\":\"b\"}}"[..]
        );
        assert!(rest.is_empty());
        assert_eq!(&STREAM[consumed..], b"body \0 with a NUL");
    }

    #[test]
    fn prelude_is_found_at_every_split_point() {
        for split in 0..=STREAM.len() {
            let mut parser = PreludeParser::default();
            let (first, second) = STREAM.split_at(split);
            let mut body = Vec::new();
            let prelude = match parser.feed(first).unwrap() {
                Some((prelude, rest)) => {
                    body.extend_from_slice(&rest);
                    body.extend_from_slice(second);
                    prelude
                }
                None => {
                    let (prelude, rest) = parser.feed(second).unwrap().expect("delimiter");
                    body.extend_from_slice(&rest);
                    prelude
                }
            };
            assert_eq!(prelude.len(), 38, "split at {split}");
            assert_eq!(body, b"body \0 with a NUL", "split at {split}");
        }
    }

    #[test]
    fn fewer_than_eight_nuls_do_not_end_the_prelude() {
        let mut parser = PreludeParser::default();
        assert_eq!(parser.feed(b"{}\0\0\0\0").unwrap(), None);
        assert_eq!(parser.feed(b"\0\0\0x").unwrap(), None);
        let (prelude, rest) = parser
            .feed(b"\0\0\0\0\0\0\0\0z")
            .unwrap()
            .expect("delimiter");
        assert_eq!(prelude, &b"{}\0\0\0\0\0\0\0x"[..]);
        assert_eq!(rest, "z");
    }

    #[test]
    fn a_prelude_without_delimiter_is_refused_past_the_limit() {
        let mut parser = PreludeParser::default();
        let chunk = vec![b' '; 64 * 1024];
        let mut result = Ok(None);
        for _ in 0..=MAX_PRELUDE_BYTES / chunk.len() {
            result = parser.feed(&chunk);
        }
        assert_eq!(result, Err(PreludeTooLarge));
    }
}
