//! RFC 3339 timestamps, kept as the string AWS sent and parsed on demand.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// An RFC 3339 timestamp such as `2024-01-31T12:00:00.000Z`, kept as the string AWS sent.
///
/// The string is stored verbatim (so a round trip is exact and decoding costs no parsing);
/// [`to_system_time`](Self::to_system_time) parses it on demand, accepting fractional seconds
/// of any length and `Z` or `±hh:mm` offsets.
///
/// ```
/// use lambda_events::encodings::Rfc3339Timestamp;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let t = Rfc3339Timestamp("2023-11-14T22:13:20.250Z".to_owned());
/// assert_eq!(t.to_system_time(), Ok(UNIX_EPOCH + Duration::from_millis(1_700_000_000_250)));
///
/// let shifted = Rfc3339Timestamp("2023-11-15T00:13:20+02:00".to_owned());
/// assert_eq!(shifted.to_system_time(), Ok(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rfc3339Timestamp(pub String);

/// Why an [`Rfc3339Timestamp`] could not be converted to a [`SystemTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text does not have the shape `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`.
    Syntax {
        /// Byte offset where the text stopped matching.
        position: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A field is outside its range (month 13, day 31 of April, hour 24, ...).
    OutOfRange {
        /// Which field: `"month"`, `"day"`, `"hour"`, `"minute"`, `"second"` or `"offset"`.
        field: &'static str,
        /// The value found.
        value: u32,
    },
    /// The instant is valid but cannot be represented by this platform's `SystemTime`.
    Unrepresentable,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimestampError::Syntax { position, expected } => write!(
                f,
                "malformed RFC 3339 timestamp: expected {expected} at byte {position}; \
                 the format is YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z or +hh:mm"
            ),
            TimestampError::OutOfRange { field, value } => write!(
                f,
                "RFC 3339 timestamp has {field} {value}, which is out of range for a calendar date"
            ),
            TimestampError::Unrepresentable => f.write_str(
                "RFC 3339 timestamp is valid but outside the range of SystemTime on this platform",
            ),
        }
    }
}

impl std::error::Error for TimestampError {}

impl Rfc3339Timestamp {
    /// Parses the timestamp into a [`SystemTime`].
    ///
    /// Accepts `T`, `t` or a space between date and time, fractional seconds of any length
    /// (digits past nanoseconds are ignored), a leap second `:60`, and `Z`, `z` or `±hh:mm`.
    pub fn to_system_time(&self) -> Result<SystemTime, TimestampError> {
        parse_rfc3339(&self.0)
    }

    /// Formats `time` as UTC, `YYYY-MM-DDTHH:MM:SSZ`, with a fraction of 3, 6 or 9 digits when
    /// `time` is not a whole second. Times before year 0 or after 9999 are clamped to those
    /// years' bounds, as RFC 3339 cannot write them.
    pub fn from_system_time(time: SystemTime) -> Self {
        let (secs, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => (-secs, 0),
                    n => (-secs.saturating_add(1), 1_000_000_000 - n),
                }
            }
        };
        // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
        const MIN: i64 = -62_167_219_200;
        const MAX: i64 = 253_402_300_799;
        let (secs, nanos) = if secs < MIN {
            (MIN, 0)
        } else if secs > MAX {
            (MAX, 999_999_999)
        } else {
            (secs, nanos)
        };
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if nanos % 1_000_000 == 0 && nanos != 0 {
            out.push_str(&format!(".{:03}", nanos / 1_000_000));
        } else if nanos % 1_000 == 0 && nanos != 0 {
            out.push_str(&format!(".{:06}", nanos / 1_000));
        } else if nanos != 0 {
            out.push_str(&format!(".{nanos:09}"));
        }
        out.push('Z');
        Rfc3339Timestamp(out)
    }
}

impl fmt::Display for Rfc3339Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Rfc3339Timestamp {
    fn from(s: String) -> Self {
        Rfc3339Timestamp(s)
    }
}

/// A cursor over the bytes of a timestamp.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn syntax(&self, expected: &'static str) -> TimestampError {
        TimestampError::Syntax {
            position: self.pos,
            expected,
        }
    }

    fn digits(&mut self, count: usize, expected: &'static str) -> Result<u32, TimestampError> {
        let mut value = 0u32;
        for _ in 0..count {
            match self.bytes.get(self.pos) {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.syntax(expected)),
            }
        }
        Ok(value)
    }

    fn byte(&mut self, accepted: &[u8], expected: &'static str) -> Result<u8, TimestampError> {
        match self.bytes.get(self.pos) {
            Some(b) if accepted.contains(b) => {
                self.pos += 1;
                Ok(*b)
            }
            _ => Err(self.syntax(expected)),
        }
    }
}

fn in_range(field: &'static str, value: u32, lo: u32, hi: u32) -> Result<(), TimestampError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(TimestampError::OutOfRange { field, value })
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn parse_rfc3339(text: &str) -> Result<SystemTime, TimestampError> {
    let mut c = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let year = i64::from(c.digits(4, "a four-digit year")?);
    c.byte(b"-", "'-' after the year")?;
    let month = c.digits(2, "a two-digit month")?;
    c.byte(b"-", "'-' after the month")?;
    let day = c.digits(2, "a two-digit day")?;
    c.byte(b"Tt ", "'T' between date and time")?;
    let hour = c.digits(2, "a two-digit hour")?;
    c.byte(b":", "':' after the hour")?;
    let minute = c.digits(2, "a two-digit minute")?;
    c.byte(b":", "':' after the minute")?;
    let second = c.digits(2, "two-digit seconds")?;

    let mut nanos = 0u32;
    if c.bytes.get(c.pos) == Some(&b'.') {
        c.pos += 1;
        let start = c.pos;
        while let Some(b) = c.bytes.get(c.pos).filter(|b| b.is_ascii_digit()) {
            if c.pos - start < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            c.pos += 1;
        }
        let len = c.pos - start;
        if len == 0 {
            return Err(c.syntax("digits after the decimal point"));
        }
        for _ in len..9 {
            nanos *= 10;
        }
    }

    let offset_secs: i64 = match c.byte(b"Zz+-", "'Z' or a '+hh:mm'/'-hh:mm' offset")? {
        b'Z' | b'z' => 0,
        sign => {
            let h = c.digits(2, "a two-digit offset hour")?;
            c.byte(b":", "':' in the offset")?;
            let m = c.digits(2, "a two-digit offset minute")?;
            in_range("offset", h, 0, 23)?;
            in_range("offset", m, 0, 59)?;
            let secs = i64::from(h * 3600 + m * 60);
            if sign == b'-' {
                -secs
            } else {
                secs
            }
        }
    };
    if c.pos != c.bytes.len() {
        return Err(c.syntax("the end of the timestamp"));
    }

    in_range("month", month, 1, 12)?;
    in_range("day", day, 1, days_in_month(year, month))?;
    in_range("hour", hour, 0, 23)?;
    in_range("minute", minute, 0, 59)?;
    in_range("second", second, 0, 60)?;

    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_secs;
    let time = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::new(secs.unsigned_abs(), nanos))
    } else {
        UNIX_EPOCH
            .checked_sub(Duration::from_secs(secs.unsigned_abs()))
            .and_then(|t| t.checked_add(Duration::from_nanos(nanos.into())))
    };
    time.ok_or(TimestampError::Unrepresentable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc3339_parses_fraction_and_offsets() {
        let at = |s: &str| Rfc3339Timestamp(s.to_owned()).to_system_time();
        let base = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(at("2023-11-14T22:13:20Z"), Ok(base));
        assert_eq!(at("2023-11-14t22:13:20z"), Ok(base));
        assert_eq!(at("2023-11-14 22:13:20Z"), Ok(base));
        assert_eq!(at("2023-11-14T17:13:20-05:00"), Ok(base));
        assert_eq!(
            at("2023-11-14T22:13:20.1234567891Z"),
            Ok(base + Duration::from_nanos(123_456_789))
        );
        assert_eq!(at("1970-01-01T00:00:00Z"), Ok(UNIX_EPOCH));
        assert_eq!(
            at("1969-12-31T23:59:59.5Z"),
            Ok(UNIX_EPOCH - Duration::from_millis(500))
        );
        assert_eq!(
            at("2024-02-29T00:00:00Z"),
            Ok(UNIX_EPOCH + Duration::from_secs(1_709_164_800))
        );
    }

    #[test]
    fn rfc3339_reports_where_and_what_is_wrong() {
        let at = |s: &str| Rfc3339Timestamp(s.to_owned()).to_system_time();
        assert_eq!(
            at("2023-11-14"),
            Err(TimestampError::Syntax {
                position: 10,
                expected: "'T' between date and time"
            })
        );
        assert_eq!(
            at("2023-11-14T22:13:20"),
            Err(TimestampError::Syntax {
                position: 19,
                expected: "'Z' or a '+hh:mm'/'-hh:mm' offset"
            })
        );
        assert!(matches!(
            at("2023-11-14T22:13:20.Z"),
            Err(TimestampError::Syntax { position: 20, .. })
        ));
        assert!(matches!(
            at("2023-11-14T22:13:20Zjunk"),
            Err(TimestampError::Syntax { position: 20, .. })
        ));
        assert_eq!(
            at("2023-13-14T22:13:20Z"),
            Err(TimestampError::OutOfRange {
                field: "month",
                value: 13
            })
        );
        assert_eq!(
            at("2023-02-29T22:13:20Z"),
            Err(TimestampError::OutOfRange {
                field: "day",
                value: 29
            })
        );
        assert_eq!(
            at("2023-11-14T24:00:00Z"),
            Err(TimestampError::OutOfRange {
                field: "hour",
                value: 24
            })
        );
        assert!(matches!(
            at(""),
            Err(TimestampError::Syntax { position: 0, .. })
        ));
        assert!(matches!(at("２０２３"), Err(TimestampError::Syntax { .. })));
        let message = at("2023-11-14").unwrap_err().to_string();
        assert!(message.contains("YYYY-MM-DDTHH:MM:SS"), "{message}");
    }

    proptest! {
        #[test]
        fn rfc3339_round_trips_any_representable_time(secs in -62_167_219_200_i64..253_402_300_800, nanos in 0u32..1_000_000_000) {
            let time = if secs >= 0 {
                UNIX_EPOCH + Duration::new(secs as u64, nanos)
            } else {
                (UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())) + Duration::from_nanos(nanos.into())
            };
            let text = Rfc3339Timestamp::from_system_time(time);
            let json = serde_json::to_value(&text).unwrap();
            let back: Rfc3339Timestamp = serde_json::from_value(json.clone()).unwrap();
            prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
            prop_assert_eq!(back.to_system_time(), Ok(time));
        }

        #[test]
        fn rfc3339_never_panics_on_any_string(s in ".*") {
            let _ = Rfc3339Timestamp(s).to_system_time();
        }
    }
}
