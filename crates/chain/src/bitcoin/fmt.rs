//! Formatting shared by the Bitcoin and TRON rules: amounts with their decimals and symbol,
//! times in UTC, explorer links. Values of findings are plain strings, ready for a sentence.

/// `raw` smallest units with `decimals` places, trailing zeros dropped: `50000000, 8, "BTC"` →
/// `0.5 BTC`.
#[must_use]
pub fn units(raw: u128, decimals: u8, symbol: &str) -> String {
    let number = if decimals == 0 {
        raw.to_string()
    } else {
        let scale = 10u128.pow(u32::from(decimals.min(38)));
        let whole = raw / scale;
        let frac = raw % scale;
        if frac == 0 {
            whole.to_string()
        } else {
            let digits = format!("{frac:0width$}", width = usize::from(decimals));
            format!("{whole}.{}", digits.trim_end_matches('0'))
        }
    };
    if symbol.is_empty() {
        number
    } else {
        format!("{number} {symbol}")
    }
}

/// A fee rate in sat/vB with at most one decimal: `1.0` → `1`, `12.345` → `12.3`.
#[must_use]
pub fn rate(sat_per_vb: f64) -> String {
    let r = (sat_per_vb * 10.0).round() / 10.0;
    if (r - r.trunc()).abs() < f64::EPSILON {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Seconds since 1970 as `2024-01-31 13:05 UTC` (proleptic Gregorian calendar).
#[must_use]
pub fn time(unix_secs: u64) -> String {
    let days = unix_secs / 86_400;
    let rest = unix_secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        (rest % 3600) / 60
    )
}

// Howard Hinnant's days-to-civil algorithm, for days since 1970-01-01 (never negative here).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// An explorer page from a configured template (`https://…/tx/{tx}`), with `value` put in
/// place of `{key}`.
#[must_use]
pub fn explorer(template: Option<&String>, key: &str, value: &str) -> Option<String> {
    template.map(|t| t.replace(&format!("{{{key}}}"), value))
}

/// At most `n` items, joined with `, `, and `…` when some were left out.
#[must_use]
pub fn list(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(", …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_drop_trailing_zeros_and_keep_small_amounts() {
        assert_eq!(units(50_000_000, 8, "BTC"), "0.5 BTC");
        assert_eq!(units(100_000_000, 8, "BTC"), "1 BTC");
        assert_eq!(units(1, 8, "BTC"), "0.00000001 BTC");
        assert_eq!(units(1_234_567, 6, "USDT"), "1.234567 USDT");
        assert_eq!(units(42, 0, ""), "42");
    }

    #[test]
    fn rates_and_times() {
        assert_eq!(rate(1.0), "1");
        assert_eq!(rate(12.345), "12.3");
        assert_eq!(time(0), "1970-01-01 00:00 UTC");
        assert_eq!(time(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(time(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn explorer_links_and_lists() {
        let t = "https://mempool.space/tx/{tx}".to_owned();
        assert_eq!(
            explorer(Some(&t), "tx", "ab").as_deref(),
            Some("https://mempool.space/tx/ab")
        );
        assert_eq!(explorer(None, "tx", "ab"), None);
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(list(&items, 2), "a, b, …");
        assert_eq!(list(&items, 3), "a, b, c");
    }
}
