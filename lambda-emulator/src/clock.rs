//! Wall-clock formatting without a date library: UTC dates and RFC 3339 timestamps.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 to a (year, month, day) civil date (Howard Hinnant's algorithm).
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

fn millis_since_epoch(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// `YYYY/MM/DD` in UTC, as in Lambda's log stream names.
pub(crate) fn date_path(time: SystemTime) -> String {
    let (year, month, day) = civil_from_days(millis_since_epoch(time).div_euclid(86_400_000));
    format!("{year:04}/{month:02}/{day:02}")
}

/// RFC 3339 UTC timestamp with milliseconds: `2026-11-23T11:23:50.123Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let millis = millis_since_epoch(time);
    let (year, month, day) = civil_from_days(millis.div_euclid(86_400_000));
    let in_day = millis.rem_euclid(86_400_000);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_known_instants() {
        let time = UNIX_EPOCH + Duration::from_millis(1_542_409_706_888);
        assert_eq!(rfc3339(time), "2018-11-16T23:08:26.888Z");
        assert_eq!(date_path(time), "2018/11/16");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(date_path(leap), "2000/02/29");
    }
}
