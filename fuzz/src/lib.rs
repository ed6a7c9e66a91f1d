//! Helpers shared by the fuzz targets.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// bytes -> `T` -> JSON -> `T` -> JSON: the two JSON documents and the two values must be
/// equal. The documents are compared as JSON values: types holding a `HashMap` write its keys in
/// a different order each time, which JSON does not care about.
pub fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let Ok(first) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let json = serde_json::to_vec(&first).expect("a parsed value serializes");
    let second: T = match serde_json::from_slice(&json) {
        Ok(second) => second,
        Err(e) => panic!(
            "{} does not parse its own output {}: {e}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&json)
        ),
    };
    let again = serde_json::to_vec(&second).expect("a parsed value serializes");
    let as_value = |bytes: &[u8]| -> serde_json::Value {
        serde_json::from_slice(bytes).expect("serde_json writes JSON")
    };
    assert_eq!(
        as_value(&json),
        as_value(&again),
        "{}: the second serialization differs",
        std::any::type_name::<T>()
    );
    assert_eq!(
        first,
        second,
        "{}: the value changed",
        std::any::type_name::<T>()
    );
}

/// Header lines (`name: value`, one a line) into a map; lines that are not valid headers are
/// skipped (the HTTP layer would have refused them before our code sees them).
pub fn headers(text: &[u8]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for line in text.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            map.append(name, value);
        }
    }
    map
}

/// A current-thread tokio runtime for the targets that talk over loopback.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// One HTTP/1.1 request read from a stream: its request line and its body.
pub struct RawRequest {
    /// `GET /path HTTP/1.1`.
    pub line: String,
    /// The body (`Content-Length` or chunked).
    pub body: Vec<u8>,
}

/// Reads one request (head, then a `Content-Length` or chunked body). `None` at end of stream.
pub async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> io::Result<Option<RawRequest>> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        if read_more(stream, buffer).await? == 0 {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let line = head.lines().next().unwrap_or_default().to_owned();
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    buffer.drain(..head_end);
    let body = if let Some(length) = length {
        while buffer.len() < length {
            if read_more(stream, buffer).await? == 0 {
                return Ok(None);
            }
        }
        buffer.drain(..length).collect()
    } else if lower.contains("transfer-encoding: chunked") {
        // Up to the last chunk and the (possibly empty) trailers.
        loop {
            if let Some(end) = find(buffer, b"0\r\n") {
                if let Some(trailer_end) = find(&buffer[end..], b"\r\n\r\n") {
                    break buffer.drain(..end + trailer_end + 4).collect();
                }
            }
            if read_more(stream, buffer).await? == 0 {
                return Ok(None);
            }
        }
    } else {
        Vec::new()
    };
    Ok(Some(RawRequest { line, body }))
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<usize> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Sends `bytes` to `address` as they are, then reads whatever comes back within `limit`.
pub async fn exchange(address: SocketAddr, bytes: &[u8], limit: Duration) -> Vec<u8> {
    let mut answer = Vec::new();
    let Ok(mut stream) = TcpStream::connect(address).await else {
        panic!("the server at {address} stopped accepting connections");
    };
    if stream.write_all(bytes).await.is_err() {
        return answer;
    }
    let _ = stream.shutdown().await;
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    answer
}
