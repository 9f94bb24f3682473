//! Watermark times: Unix seconds as RFC 3339 UTC, by hand for the common years (the batch formats
//! one per payload), by chrono for the rest.

/// Formats a Unix time as RFC 3339 UTC.
pub fn rfc3339_utc(ts: i64) -> Option<String> {
    // Years 1970 to 9999 by hand (the batch formats one per payload); chrono for the rest.
    if (0..253_402_300_800).contains(&ts) {
        let (days, secs) = (ts / 86_400, ts % 86_400);
        let (y, m, d) = civil_from_days(days);
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, v: i64, width: usize| {
            let mut v = v;
            for i in (at..at + width).rev() {
                b[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(5, m, 2);
        put(8, d, 2);
        put(11, secs / 3600, 2);
        put(14, secs / 60 % 60, 2);
        put(17, secs % 60, 2);
        return std::str::from_utf8(&b).ok().map(str::to_owned);
    }
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// (year, month, day) of a day count since 1970-01-01 (days ≥ 0; H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_by_hand_matches_chrono() {
        let chrono = |ts: i64| {
            chrono::DateTime::from_timestamp(ts, 0)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        };
        let mut ts = 0i64;
        while ts < 253_402_300_800 + 10 {
            assert_eq!(rfc3339_utc(ts), chrono(ts), "{ts}");
            ts = ts * 3 / 2 + 86_399;
        }
        for ts in [
            -1,
            0,
            951_782_400,
            1_700_000_000,
            4_107_542_399,
            253_402_300_799,
            253_402_300_800,
        ] {
            assert_eq!(rfc3339_utc(ts), chrono(ts), "{ts}");
        }
    }
}
