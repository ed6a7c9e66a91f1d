//! Shared wire encodings: header and query maps, base64 blobs, epoch and RFC 3339 timestamps,
//! and values AWS sends in more than one form.
//!
//! Every event module uses these types instead of re-implementing the same conversions, so a
//! timestamp or a blob behaves the same in an SQS message, a Kinesis record or an API Gateway
//! request. Each type writes back exactly what it read (see the crate docs on round trips).
//! One file per idea: `maps` (headers, query strings), `blob` (base64), `epoch` (Unix
//! timestamps), `rfc3339` (calendar timestamps), `loose` (one-or-many, number-or-string),
//! `nulls` (explicit `null`s kept as they came).

mod blob;
mod epoch;
mod loose;
mod maps;
mod nulls;
mod rfc3339;

pub use blob::Base64Data;
pub use epoch::{EpochMillis, EpochSeconds};
pub use loose::{LooseString, StringOrList};
pub use maps::{
    Headers, MultiValueHeaders, MultiValueQueryStringParameters, QueryStringParameters,
};
pub use nulls::ExplicitNulls;
#[doc(hidden)]
pub use nulls::{NullOr, Tri};
pub use rfc3339::{Rfc3339Timestamp, TimestampError};
