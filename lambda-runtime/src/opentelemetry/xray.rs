//! The AWS X-Ray trace header and the W3C trace context it maps to.
//!
//! Lambda passes each invocation's trace as an X-Ray header,
//! `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`:
//!
//! | X-Ray | W3C trace context |
//! |---|---|
//! | `Root=1-{8 hex: epoch seconds}-{24 hex: random}` | trace id: the 8 and the 24 hex digits, 32 in all |
//! | `Parent={16 hex}` | parent span id |
//! | `Sampled=1` / `Sampled=0` (or `?`, or absent) | the `sampled` trace flag set / clear |
//!
//! Other fields (`Lineage=...`, `Self=...`) carry nothing W3C has a place for and are ignored.

use ::opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState,
};

/// The HTTP header that carries the X-Ray trace to and from AWS services.
pub const XRAY_TRACE_HEADER: &str = "x-amzn-trace-id";

/// Maps an X-Ray trace header to the remote span context it names.
///
/// ```
/// use lambda_runtime::opentelemetry::parse_xray_header;
///
/// let parent = parse_xray_header(
///     "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
/// )
/// .unwrap();
/// assert_eq!(parent.trace_id().to_string(), "5759e988bd862e3fe1be46a994272793");
/// assert_eq!(parent.span_id().to_string(), "53995c3f42cd8ad8");
/// assert!(parent.is_sampled());
/// assert!(parent.is_remote());
///
/// assert!(parse_xray_header("Root=1-not-a-trace").is_err());
/// ```
pub fn parse_xray_header(header: &str) -> Result<SpanContext, XrayHeaderError> {
    let mut root = None;
    let mut parent = None;
    let mut sampled = None;
    for field in header.split(';') {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        let slot = match key.trim() {
            "Root" => &mut root,
            "Parent" => &mut parent,
            "Sampled" => &mut sampled,
            _ => continue,
        };
        // The first occurrence of a field counts.
        slot.get_or_insert(value.trim());
    }
    let root = root.ok_or(XrayHeaderError::MissingRoot)?;
    let trace_id = parse_root(root).ok_or_else(|| XrayHeaderError::InvalidRoot(root.to_owned()))?;
    let parent = parent.ok_or(XrayHeaderError::MissingParent)?;
    let span_id = Some(parent)
        .filter(|p| p.len() == 16)
        .and_then(hex_u64)
        .filter(|id| *id != 0)
        .map(|id| SpanId::from_bytes(id.to_be_bytes()))
        .ok_or_else(|| XrayHeaderError::InvalidParent(parent.to_owned()))?;
    let flags = match sampled {
        Some("1") => TraceFlags::SAMPLED,
        // `?`: the decision was deferred to this function; absent: nobody decided.
        Some("0") | Some("?") | None => TraceFlags::NOT_SAMPLED,
        Some(other) => return Err(XrayHeaderError::InvalidSampled(other.to_owned())),
    };
    Ok(SpanContext::new(
        trace_id,
        span_id,
        flags,
        true,
        TraceState::NONE,
    ))
}

/// `1-{8 hex}-{24 hex}`, not all zero.
fn parse_root(root: &str) -> Option<TraceId> {
    let rest = root.strip_prefix("1-")?;
    let (epoch, random) = rest.split_once('-')?;
    if epoch.len() != 8 || random.len() != 24 {
        return None;
    }
    let high = u128::from(hex_u64(epoch)?);
    let low = hex_u128(random)?;
    let id = (high << 96) | low;
    (id != 0).then(|| TraceId::from_bytes(id.to_be_bytes()))
}

fn hex_u64(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

fn hex_u128(digits: &str) -> Option<u128> {
    if digits.is_empty() || digits.len() > 32 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(digits, 16).ok()
}

/// Renders a span context as an X-Ray trace header, for a call to another AWS service: the span
/// becomes the callee's parent. `None` for an invalid (empty) span context.
///
/// ```
/// use lambda_runtime::opentelemetry::{parse_xray_header, xray_header};
///
/// let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
/// let span_context = parse_xray_header(header).unwrap();
/// assert_eq!(xray_header(&span_context).as_deref(), Some(header));
/// ```
pub fn xray_header(span_context: &SpanContext) -> Option<String> {
    if !span_context.is_valid() {
        return None;
    }
    let trace_id = u128::from_be_bytes(span_context.trace_id().to_bytes());
    let epoch = (trace_id >> 96) as u32;
    let random = trace_id & ((1u128 << 96) - 1);
    let span_id = u64::from_be_bytes(span_context.span_id().to_bytes());
    let sampled = u8::from(span_context.is_sampled());
    Some(format!(
        "Root=1-{epoch:08x}-{random:024x};Parent={span_id:016x};Sampled={sampled}"
    ))
}

/// The X-Ray trace header for the current OpenTelemetry span (inside a handler wrapped by
/// [`OpenTelemetryLayer`](super::OpenTelemetryLayer): the invocation's span, or a child of it).
/// Send it as `X-Amzn-Trace-Id` ([`XRAY_TRACE_HEADER`]) on calls to other AWS services.
pub fn current_xray_header() -> Option<String> {
    let cx = ::opentelemetry::Context::current();
    xray_header(cx.span().span_context())
}

/// An X-Ray trace header that could not be mapped to a trace context. The invocation's span is
/// then the root of a new trace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XrayHeaderError {
    /// There is no `Root=` field.
    MissingRoot,
    /// `Root=` is not `1-` followed by 8 and 24 hex digits (not all zero).
    InvalidRoot(String),
    /// There is no `Parent=` field, so there is no span to be the child of.
    MissingParent,
    /// `Parent=` is not 16 hex digits (not all zero).
    InvalidParent(String),
    /// `Sampled=` is not `0`, `1` or `?`.
    InvalidSampled(String),
}

impl std::fmt::Display for XrayHeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHAPE: &str = "expected `Root=1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx;Parent=xxxxxxxxxxxxxxxx;Sampled=0|1`; the invocation starts a new trace";
        match self {
            XrayHeaderError::MissingRoot => {
                write!(f, "the X-Ray trace header has no Root field: {SHAPE}")
            }
            XrayHeaderError::InvalidRoot(v) => {
                write!(
                    f,
                    "the X-Ray trace header's Root `{v}` is not a trace id: {SHAPE}"
                )
            }
            XrayHeaderError::MissingParent => {
                write!(f, "the X-Ray trace header has no Parent field: {SHAPE}")
            }
            XrayHeaderError::InvalidParent(v) => {
                write!(
                    f,
                    "the X-Ray trace header's Parent `{v}` is not a span id: {SHAPE}"
                )
            }
            XrayHeaderError::InvalidSampled(v) => {
                write!(
                    f,
                    "the X-Ray trace header's Sampled `{v}` is not 0, 1 or ?: {SHAPE}"
                )
            }
        }
    }
}

impl std::error::Error for XrayHeaderError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str =
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    #[test]
    fn lambda_header_maps_to_trace_id_parent_and_sampled_flag() {
        let cx = parse_xray_header(HEADER).unwrap();
        assert_eq!(
            cx.trace_id(),
            TraceId::from_hex("5759e988bd862e3fe1be46a994272793").unwrap()
        );
        assert_eq!(cx.span_id(), SpanId::from_hex("53995c3f42cd8ad8").unwrap());
        assert_eq!(cx.trace_flags(), TraceFlags::SAMPLED);
        assert!(cx.is_remote());
    }

    #[test]
    fn unsampled_deferred_and_absent_decisions_clear_the_sampled_flag() {
        for sampled in [";Sampled=0", ";Sampled=?", ""] {
            let header = format!(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8{sampled}"
            );
            assert!(
                !parse_xray_header(&header).unwrap().is_sampled(),
                "{header}"
            );
        }
    }

    #[test]
    fn lineage_unknown_fields_spaces_and_field_order_are_accepted() {
        let header = " Lineage=a87bd80c:1|68fd508a:5 ; Sampled=1;Self=1-67891234-12456789abcdef012345678;Parent=53995c3f42cd8ad8; Root=1-5759E988-BD862E3FE1BE46A994272793 ";
        let cx = parse_xray_header(header).unwrap();
        assert_eq!(
            cx.trace_id(),
            TraceId::from_hex("5759e988bd862e3fe1be46a994272793").unwrap()
        );
        assert!(cx.is_sampled());
    }

    #[test]
    fn malformed_headers_are_rejected_with_the_field_at_fault() {
        use XrayHeaderError::*;
        let cases: &[(&str, XrayHeaderError)] = &[
            ("", MissingRoot),
            ("Parent=53995c3f42cd8ad8;Sampled=1", MissingRoot),
            ("Root=1-5759e988-bd862e3fe1be46a994272793", MissingParent),
            (
                "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                InvalidRoot("2-5759e988-bd862e3fe1be46a994272793".into()),
            ),
            (
                "Root=1-5759e98-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                InvalidRoot("1-5759e98-bd862e3fe1be46a994272793".into()),
            ),
            (
                "Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8",
                InvalidRoot("1-5759e988-bd862e3fe1be46a99427279z".into()),
            ),
            (
                "Root=1-+759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                InvalidRoot("1-+759e988-bd862e3fe1be46a994272793".into()),
            ),
            (
                "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8",
                InvalidRoot("1-00000000-000000000000000000000000".into()),
            ),
            (
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad",
                InvalidParent("53995c3f42cd8ad".into()),
            ),
            (
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000",
                InvalidParent("0000000000000000".into()),
            ),
            (
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=yes",
                InvalidSampled("yes".into()),
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(
                parse_xray_header(header).as_ref(),
                Err(expected),
                "{header}"
            );
            assert!(expected.to_string().contains("new trace"));
        }
    }

    #[test]
    fn invalid_span_context_renders_no_header() {
        assert_eq!(xray_header(&SpanContext::NONE), None);
    }

    #[test]
    fn current_header_names_the_active_span() {
        let parent = parse_xray_header(HEADER).unwrap();
        let cx = ::opentelemetry::Context::new().with_remote_span_context(parent);
        let _guard = cx.attach();
        assert_eq!(current_xray_header().as_deref(), Some(HEADER));
    }

    proptest! {
        #[test]
        fn rendering_then_parsing_gives_back_the_span_context(
            trace in 1u128..,
            span in 1u64..,
            sampled: bool,
        ) {
            let flags = if sampled { TraceFlags::SAMPLED } else { TraceFlags::NOT_SAMPLED };
            let cx = SpanContext::new(
                TraceId::from_bytes(trace.to_be_bytes()),
                SpanId::from_bytes(span.to_be_bytes()),
                flags,
                true,
                TraceState::NONE,
            );
            let header = xray_header(&cx).unwrap();
            prop_assert_eq!(parse_xray_header(&header), Ok(cx));
        }

        #[test]
        fn any_string_parses_or_is_rejected_without_panicking(header in ".{0,120}") {
            if let Ok(cx) = parse_xray_header(&header) {
                prop_assert!(cx.is_valid());
                let again = parse_xray_header(&xray_header(&cx).unwrap());
                prop_assert_eq!(again, Ok(cx));
            }
        }

        #[test]
        fn header_shaped_strings_map_exactly_when_every_field_is_well_formed(
            epoch in "[0-9a-fA-F]{7,9}",
            random in "[0-9a-f]{23,25}",
            parent in "[0-9a-f]{15,17}",
            sampled in "[01?x]",
        ) {
            let header = format!("Root=1-{epoch}-{random};Parent={parent};Sampled={sampled}");
            let well_formed = epoch.len() == 8
                && random.len() == 24
                && parent.len() == 16
                && sampled != "x"
                && u128::from_str_radix(&format!("{epoch}{random}"), 16).unwrap() != 0
                && u64::from_str_radix(&parent, 16).unwrap() != 0;
            let parsed = parse_xray_header(&header);
            prop_assert_eq!(parsed.is_ok(), well_formed, "{}", header);
            if let Ok(cx) = parsed {
                prop_assert_eq!(cx.trace_id().to_string(), format!("{epoch}{random}").to_lowercase());
                prop_assert_eq!(cx.span_id().to_string(), parent);
                prop_assert_eq!(cx.is_sampled(), sampled == "1");
            }
        }
    }
}
