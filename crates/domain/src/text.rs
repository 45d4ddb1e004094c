//! Rules for short texts that end up in headers, tables and subject lines.

/// Whether `s` is fit for a single-line field: no control characters (line breaks, tabs, NUL,
/// escape codes), no Unicode line or paragraph separators, and no bidirectional overrides that
/// would make a subject read differently from what it says.
#[must_use]
pub fn single_line(s: &str) -> bool {
    !s.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::single_line;

    #[test]
    fn control_characters_and_overrides_are_refused() {
        assert!(single_line("转账一直未到账 / transfer pending"));
        assert!(single_line("Émigré 😀 wallet"));
        for bad in [
            "Hi\r\nBcc: victim@example.com",
            "Hi\nthere",
            "nul\0byte",
            "tab\there",
            "esc\u{1b}[31m",
            "line\u{2028}sep",
            "rtl\u{202e}gpj.exe",
            "\u{85}next line",
        ] {
            assert!(!single_line(bad), "{bad:?}");
        }
    }
}
