//! Feeds arbitrary bytes to `wallet::redact_with` with every field hint and checks the
//! invariants that hold for any input: spans in bounds, on char boundaries, sorted and disjoint;
//! the output is itself clean (a second pass changes nothing and finds nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet::{FieldHint, RedactOptions, redact_with};

fn check(text: &str) {
    for field in [FieldHint::FreeText, FieldHint::TxHash, FieldHint::Address] {
        let options = RedactOptions {
            field,
            marker_language: None,
        };
        let Ok(r) = redact_with(text, &options) else {
            assert!(
                text.len() > wallet::MAX_INPUT_BYTES,
                "refused a small input"
            );
            continue;
        };
        let mut prev_end = 0;
        for f in &r.findings {
            assert!(
                f.start < f.end && f.end <= text.len(),
                "span out of bounds: {f:?}"
            );
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
                "{f:?}"
            );
            assert!(
                f.start >= prev_end,
                "unsorted or overlapping: {:?}",
                r.findings
            );
            prev_end = f.end;
        }
        if r.findings.is_empty() {
            assert_eq!(r.text, text, "text changed without a finding");
        }
        let again = redact_with(&r.text, &options).expect("redacted text fits");
        assert_eq!(again.text, r.text, "redaction is not idempotent");
        assert!(
            again.findings.is_empty(),
            "second pass found {:?}",
            again.findings
        );
    }
}

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(text) => check(text),
        Err(_) => check(&String::from_utf8_lossy(data)),
    }
});
