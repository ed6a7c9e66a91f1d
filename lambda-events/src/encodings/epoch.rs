//! Unix timestamps in seconds or milliseconds, as a number or a string.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A number as it appeared on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Number {
    /// A JSON integer (or a string holding one). i128 holds both i64 and u64 ranges.
    Int(i128),
    /// A JSON number with a fraction or exponent (or a string holding one). Always finite.
    Float(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(n) => n as f64,
            Number::Float(f) => f,
        }
    }

    /// Parses the text of a string-encoded timestamp; `None` when it is not a finite number.
    fn parse(s: &str) -> Option<Number> {
        if let Ok(n) = s.parse::<i128>() {
            return Some(Number::Int(n));
        }
        // `f64::from_str` also accepts "inf", "NaN" and "infinity": only digits make a timestamp.
        let numeric = !s.is_empty()
            && s.bytes().any(|b| b.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
        match s.parse::<f64>() {
            Ok(f) if numeric && f.is_finite() => Some(Number::Float(f)),
            _ => None,
        }
    }
}

/// How a timestamp was written, so it is written back the same way.
#[derive(Debug, Clone, PartialEq)]
enum EpochRepr {
    /// A JSON number.
    Number(Number),
    /// A JSON string, kept verbatim, with the number it holds.
    Text(String, Number),
}

impl EpochRepr {
    fn number(&self) -> Number {
        match self {
            EpochRepr::Number(n) | EpochRepr::Text(_, n) => *n,
        }
    }

    /// `value` units of `unit_nanos` nanoseconds each, from the Unix epoch.
    fn to_system_time(&self, unit_nanos: u64) -> Option<SystemTime> {
        let (negative, duration) = match self.number() {
            Number::Int(n) => {
                let units = u64::try_from(n.unsigned_abs()).ok()?;
                let duration = match unit_nanos {
                    1_000_000_000 => Duration::from_secs(units),
                    1_000_000 => Duration::from_millis(units),
                    _ => Duration::from_nanos(units.checked_mul(unit_nanos)?),
                };
                (n < 0, duration)
            }
            Number::Float(f) => {
                let secs = f.abs() * (unit_nanos as f64 / 1e9);
                (f < 0.0, Duration::try_from_secs_f64(secs).ok()?)
            }
        };
        if negative {
            UNIX_EPOCH.checked_sub(duration)
        } else {
            UNIX_EPOCH.checked_add(duration)
        }
    }

    /// Nanoseconds from the epoch as a number in units of `unit_nanos`: an integer when exact.
    fn from_system_time(time: SystemTime, unit_nanos: u64) -> EpochRepr {
        let (negative, duration) = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => (false, d),
            Err(e) => (true, e.duration()),
        };
        let nanos = duration.as_nanos();
        let unit = u128::from(unit_nanos);
        let number = if nanos % unit == 0 {
            // At most u64::MAX seconds' worth of nanoseconds: fits in i128.
            let units = (nanos / unit) as i128;
            Number::Int(if negative { -units } else { units })
        } else {
            // Whole part and fraction apart: one rounding each, not one of a huge quotient.
            let units = (nanos / unit) as f64 + (nanos % unit) as f64 / unit as f64;
            Number::Float(if negative { -units } else { units })
        };
        EpochRepr::Number(number)
    }
}

impl Serialize for EpochRepr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EpochRepr::Text(s, _) => serializer.serialize_str(s),
            EpochRepr::Number(Number::Float(f)) => serializer.serialize_f64(*f),
            EpochRepr::Number(Number::Int(n)) => {
                if let Ok(n) = i64::try_from(*n) {
                    serializer.serialize_i64(n)
                } else if let Ok(n) = u64::try_from(*n) {
                    serializer.serialize_u64(n)
                } else {
                    serializer.serialize_i128(*n)
                }
            }
        }
    }
}

impl<'de> Deserialize<'de> for EpochRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EpochVisitor;
        impl Visitor<'_> for EpochVisitor {
            type Value = EpochRepr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Unix timestamp: a JSON number, or a string holding one")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<EpochRepr, E> {
                Ok(EpochRepr::Number(Number::Int(n.into())))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<EpochRepr, E> {
                Ok(EpochRepr::Number(Number::Int(n.into())))
            }
            fn visit_i128<E: de::Error>(self, n: i128) -> Result<EpochRepr, E> {
                Ok(EpochRepr::Number(Number::Int(n)))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<EpochRepr, E> {
                if f.is_finite() {
                    Ok(EpochRepr::Number(Number::Float(f)))
                } else {
                    Err(E::custom("a Unix timestamp must be a finite number"))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<EpochRepr, E> {
                match Number::parse(s) {
                    Some(n) => Ok(EpochRepr::Text(s.to_owned(), n)),
                    None => Err(E::custom(format_args!(
                        "expected a Unix timestamp, got the string {s:?}: \
                         a timestamp string must hold a finite number such as \"1700000000\" \
                         or \"1700000000.123\""
                    ))),
                }
            }
        }
        deserializer.deserialize_any(EpochVisitor)
    }
}

macro_rules! epoch_type {
    ($(#[$doc:meta])* $name:ident, $unit_nanos:expr, $unit:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(EpochRepr);

        impl $name {
            /// The timestamp as a [`SystemTime`]; `None` when it is outside the range the
            /// platform's `SystemTime` can represent.
            pub fn to_system_time(&self) -> Option<SystemTime> {
                self.0.to_system_time($unit_nanos)
            }

            #[doc = concat!("The timestamp in ", $unit, " since the Unix epoch, as a float.")]
            pub fn as_f64(&self) -> f64 {
                self.0.number().as_f64()
            }

            #[doc = concat!("The timestamp in whole ", $unit, " since the Unix epoch, rounded ")]
            /// towards negative infinity and saturating at the bounds of `i64`.
            pub fn as_i64(&self) -> i64 {
                match self.0.number() {
                    Number::Int(n) => n.clamp(i64::MIN.into(), i64::MAX.into()) as i64,
                    // `as` saturates float-to-int conversions.
                    Number::Float(f) => f.floor() as i64,
                }
            }

            #[doc = concat!("A timestamp for `time`: a JSON integer of ", $unit, " when `time` is")]
            /// a whole number of them, a float otherwise.
            pub fn from_system_time(time: SystemTime) -> Self {
                $name(EpochRepr::from_system_time(time, $unit_nanos))
            }

            /// Whether the timestamp was received (and is sent) as a JSON string.
            pub fn is_string(&self) -> bool {
                matches!(self.0, EpochRepr::Text(..))
            }
        }

        impl Default for $name {
            /// The Unix epoch, written as the integer `0`.
            fn default() -> Self {
                $name(EpochRepr::Number(Number::Int(0)))
            }
        }

        impl From<SystemTime> for $name {
            fn from(time: SystemTime) -> Self {
                Self::from_system_time(time)
            }
        }
    };
}

epoch_type! {
    /// A Unix timestamp in seconds, as AWS sends it: a JSON integer, a float, or a string
    /// holding either.
    ///
    /// It is written back in the form it arrived in (a string stays the very same string, an
    /// integer stays an integer), so a round trip is exact. Strings that do not hold a finite
    /// number are rejected with a serde error; nothing panics, however large or negative the
    /// value: [`to_system_time`](Self::to_system_time) returns `None` when it is out of range.
    ///
    /// ```
    /// use lambda_events::encodings::EpochSeconds;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let t: EpochSeconds = serde_json::from_str("1700000000").unwrap();
    /// assert_eq!(t.to_system_time(), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    ///
    /// let s: EpochSeconds = serde_json::from_str(r#""1700000000.5""#).unwrap();
    /// assert_eq!(s.as_f64(), 1_700_000_000.5);
    /// assert_eq!(serde_json::to_string(&s).unwrap(), r#""1700000000.5""#);
    ///
    /// assert!(serde_json::from_str::<EpochSeconds>(r#""yesterday""#).is_err());
    /// ```
    EpochSeconds, 1_000_000_000, "seconds"
}

epoch_type! {
    /// A Unix timestamp in milliseconds, as AWS sends it: a JSON integer, a float, or a
    /// string holding either.
    ///
    /// Behaves like [`EpochSeconds`] in every other way: the wire form is kept for an exact
    /// round trip, non-numeric strings are a serde error, and out-of-range values give `None`
    /// from [`to_system_time`](Self::to_system_time) instead of panicking.
    ///
    /// ```
    /// use lambda_events::encodings::EpochMillis;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let t: EpochMillis = serde_json::from_str("1700000000123").unwrap();
    /// assert_eq!(t.to_system_time(), Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)));
    /// assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000123");
    /// ```
    EpochMillis, 1_000_000, "milliseconds"
}

impl EpochSeconds {
    /// A timestamp of `secs` seconds since the Unix epoch, written as a JSON integer.
    pub fn from_secs(secs: i64) -> Self {
        EpochSeconds(EpochRepr::Number(Number::Int(secs.into())))
    }
}

impl EpochMillis {
    /// A timestamp of `millis` milliseconds since the Unix epoch, written as a JSON integer.
    pub fn from_millis(millis: i64) -> Self {
        EpochMillis(EpochRepr::Number(Number::Int(millis.into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::from_value;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    #[test]
    fn epoch_keeps_integer_float_and_string_forms() {
        for input in [
            json!(1_700_000_000),
            json!(1_700_000_000.25),
            json!("1700000000"),
            json!("1700000000.250"),
            json!("1.7e9"),
            json!(-5),
            json!(u64::MAX),
        ] {
            let t: EpochSeconds = from_value(input.clone()).unwrap();
            assert_eq!(serde_json::to_value(&t).unwrap(), input);
            let m: EpochMillis = from_value(input.clone()).unwrap();
            assert_eq!(serde_json::to_value(&m).unwrap(), input);
        }
    }

    #[test]
    fn epoch_rejects_non_numeric_strings() {
        for bad in [
            "",
            "abc",
            "NaN",
            "inf",
            "-infinity",
            " 12",
            "12 ",
            "0x10",
            "1,5",
        ] {
            let err = from_value::<EpochSeconds>(json!(bad)).unwrap_err();
            assert!(err.contains("expected a Unix timestamp"), "{bad:?}: {err}");
        }
        assert!(from_value::<EpochMillis>(json!(true)).is_err());
        assert!(from_value::<EpochMillis>(json!(null)).is_err());
        assert!(from_value::<EpochMillis>(json!([1])).is_err());
    }

    #[test]
    fn epoch_out_of_range_values_give_none_not_a_panic() {
        for v in [
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1e300),
            json!(-1e300),
        ] {
            let s: EpochSeconds = from_value(v.clone()).unwrap();
            let _ = s.to_system_time();
            let m: EpochMillis = from_value(v).unwrap();
            let _ = m.to_system_time();
        }
        let huge: EpochSeconds = from_value(json!("1e308")).unwrap();
        assert_eq!(huge.to_system_time(), None);
        assert_eq!(huge.as_i64(), i64::MAX);
        let big: EpochSeconds = from_value(json!("99999999999999999999999")).unwrap();
        assert_eq!(big.to_system_time(), None);
    }

    #[test]
    fn epoch_negative_values_are_before_the_epoch() {
        let s: EpochSeconds = from_value(json!(-10)).unwrap();
        assert_eq!(
            s.to_system_time(),
            Some(UNIX_EPOCH - Duration::from_secs(10))
        );
        let m: EpochMillis = from_value(json!(-1500.5)).unwrap();
        assert_eq!(
            m.to_system_time(),
            Some(UNIX_EPOCH - Duration::from_micros(1_500_500))
        );
        assert_eq!(m.as_i64(), -1501);
    }

    #[test]
    fn epoch_from_system_time_writes_an_integer_when_exact() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(
            serde_json::to_value(EpochMillis::from_system_time(t)).unwrap(),
            json!(1_700_000_000_123_i64)
        );
        assert_eq!(
            serde_json::to_value(EpochSeconds::from_system_time(t)).unwrap(),
            json!(1_700_000_000.123)
        );
        assert_eq!(
            serde_json::to_value(EpochSeconds::from_secs(-3)).unwrap(),
            json!(-3)
        );
        assert_eq!(
            serde_json::to_value(EpochMillis::from_millis(7)).unwrap(),
            json!(7)
        );
    }

    proptest! {
        #[test]
        fn epoch_round_trips_any_integer(n in any::<i64>(), as_string in any::<bool>()) {
            let input = if as_string { json!(n.to_string()) } else { json!(n) };
            let t: EpochSeconds = serde_json::from_value(input.clone()).unwrap();
            prop_assert_eq!(serde_json::to_value(&t).unwrap(), input.clone());
            prop_assert_eq!(t.as_i64(), n);
            let _ = t.to_system_time();
            let m: EpochMillis = serde_json::from_value(input.clone()).unwrap();
            prop_assert_eq!(serde_json::to_value(&m).unwrap(), input);
        }

        #[test]
        fn epoch_round_trips_any_finite_float(f in any::<f64>().prop_filter("finite", |f| f.is_finite()), as_string in any::<bool>()) {
            let input = if as_string { json!(format!("{f:?}")) } else { json!(f) };
            let text = serde_json::to_string(&input).unwrap();
            // Compared as JSON values, like the fixture round trips: serde_json's default float
            // parser may differ from Rust's in the last digit, identically on both sides.
            let t: EpochMillis = serde_json::from_str(&text).unwrap();
            let input: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(serde_json::to_value(&t).unwrap(), input);
            let _ = t.to_system_time();
        }

        #[test]
        fn epoch_never_panics_on_any_string(s in ".*") {
            if let Ok(t) = serde_json::from_value::<EpochSeconds>(Value::String(s)) {
                let _ = (t.to_system_time(), t.as_f64(), t.as_i64());
            }
        }

        #[test]
        fn epoch_from_system_time_round_trips(millis in -1_000_000_000_000_000_i64..1_000_000_000_000_000) {
            let time = if millis >= 0 {
                UNIX_EPOCH + Duration::from_millis(millis as u64)
            } else {
                UNIX_EPOCH - Duration::from_millis(millis.unsigned_abs())
            };
            let m = EpochMillis::from_system_time(time);
            prop_assert_eq!(serde_json::to_value(&m).unwrap(), json!(millis));
            prop_assert_eq!(m.to_system_time(), Some(time));
            let secs = millis.div_euclid(1000);
            let s = EpochSeconds::from_secs(secs);
            prop_assert_eq!(EpochSeconds::from_system_time(s.to_system_time().unwrap()), s);
        }
    }
}
