//! Identifiers Lambda generates: request ids (UUID v4 shaped) and X-Ray trace headers.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 unpredictable bits: std's randomly keyed SipHash over a counter and the clock.
pub(crate) fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.finish()
}

/// A request id shaped like Lambda's: a random (version 4) UUID, `8-4-4-4-12` lower-case hex.
pub(crate) fn request_id() -> String {
    let high = random_u64();
    let low = random_u64();
    let time_hi = (high & 0x0fff) | 0x4000;
    let clock_seq = ((low >> 48) & 0x3fff) | 0x8000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        time_hi,
        clock_seq,
        low & 0xffff_ffff_ffff
    )
}

/// An X-Ray trace header like the one Lambda passes when tracing is off:
/// `Root=1-{epoch seconds, 8 hex}-{24 hex};Parent={16 hex};Sampled=0`.
pub(crate) fn trace_header() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!(
        "Root=1-{:08x}-{:08x}{:016x};Parent={:016x};Sampled=0",
        seconds & 0xffff_ffff,
        random_u64() & 0xffff_ffff,
        random_u64(),
        random_u64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4_shaped_and_distinct() {
        let a = request_id();
        let b = request_id();
        assert_ne!(a, b);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn trace_headers_have_xray_shape() {
        let header = trace_header();
        let fields: Vec<&str> = header.split(';').collect();
        assert_eq!(fields.len(), 3);
        assert!(fields[0].starts_with("Root=1-"));
        assert_eq!(fields[0].len(), "Root=1-".len() + 8 + 1 + 24);
        assert_eq!(fields[1].len(), "Parent=".len() + 16);
        assert_eq!(fields[2], "Sampled=0");
    }
}
