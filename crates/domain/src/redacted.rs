//! Text that has been through the wallet crate's redaction.
//!
//! The store's write methods take [`Redacted`], never `&str`, for every free text (tickets,
//! messages, tags, articles, canned replies, names, settings, audit details, mail): a recovery
//! phrase cannot reach the database by a forgotten call.
//!
//! There is no unchecked constructor. [`Redacted::from_stored`], which the store backends use
//! for what they read back, runs the redaction again: redaction is idempotent (markers are never
//! re-detected), so stored text comes back unchanged, and a caller that is not a backend gains
//! nothing by calling it. Rust cannot make a function callable by two crates (the backends) but
//! not by a third (the server), so the rule is made sound instead of private. The cost is one
//! pass of the detector per text read (≈30 MB/s on one core: a ticket page of 20 KB costs well
//! under a millisecond).

use serde::Serialize;
use wallet::{FieldHint, Finding, RedactError, RedactOptions};

/// User- or agent-written text with every secret replaced by a marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Redacted(String);

/// What [`Redacted::from_stored`] keeps of a text too large to check (never written by the
/// store: everything it holds was redacted, under the size limit, when written).
const UNCHECKABLE: &str = "[text removed: too large to check]";

impl Redacted {
    /// Redacts free text. The findings say what was removed (kinds and spans, never the text).
    ///
    /// # Errors
    /// The input is larger than [`wallet::MAX_INPUT_BYTES`].
    pub fn new(text: &str) -> Result<(Redacted, Vec<Finding>), RedactError> {
        Self::with_field(text, FieldHint::FreeText)
    }

    /// Redacts the content of a form field of the given kind.
    ///
    /// # Errors
    /// The input is larger than [`wallet::MAX_INPUT_BYTES`].
    pub fn with_field(
        text: &str,
        field: FieldHint,
    ) -> Result<(Redacted, Vec<Finding>), RedactError> {
        let r = wallet::redact_with(
            text,
            &RedactOptions {
                field,
                marker_language: None,
            },
        )?;
        Ok((Redacted(r.text), r.findings))
    }

    /// Redacts short free text (a name, a tag, a title) where only the clean text matters.
    ///
    /// # Errors
    /// The input is larger than [`wallet::MAX_INPUT_BYTES`].
    pub fn text(text: &str) -> Result<Redacted, RedactError> {
        Self::new(text).map(|(r, _)| r)
    }

    /// Redacts short text that cannot be refused (an audit detail, a tag, a name): over
    /// [`wallet::MAX_INPUT_BYTES`] it is replaced whole by a marker, never kept unchecked.
    #[must_use]
    pub fn clean(text: &str) -> Redacted {
        Self::text(text).unwrap_or_else(|_| Redacted(UNCHECKABLE.to_owned()))
    }

    /// Redacts several texts as one: they are joined with a newline, the wallet crate looks at
    /// the whole once, and every finding is cut back into the parts it covers (each part keeps
    /// its own copy of the marker). A phrase split between a subject and a body, or between two
    /// messages, is found although neither part alone holds enough of it.
    ///
    /// Returns one `Redacted` per part, in order, and for each part how many findings touched
    /// it, plus the findings of the joined text.
    ///
    /// # Errors
    /// The joined text is larger than [`wallet::MAX_INPUT_BYTES`].
    pub fn joint(parts: &[&str]) -> Result<Joint, RedactError> {
        let joined = parts.join("\n");
        let r = wallet::redact_with(&joined, &RedactOptions::default())?;
        // The markers, in order, as the wallet crate wrote them into the joined text: the text
        // between findings is copied unchanged, so walking both texts side by side finds each
        // marker; markers hold no `]` before their last byte.
        let mut markers = Vec::with_capacity(r.findings.len());
        let (mut in_pos, mut out_pos) = (0, 0);
        for f in &r.findings {
            out_pos += f.start.saturating_sub(in_pos);
            let tail = r.text.get(out_pos..).unwrap_or("");
            let len = tail.find(']').map_or(tail.len(), |i| i + 1);
            markers.push(tail.get(..len).unwrap_or("").to_owned());
            out_pos += len;
            in_pos = f.end;
        }
        let mut out = Vec::with_capacity(parts.len());
        let mut touched = Vec::with_capacity(parts.len());
        let mut offset = 0;
        for part in parts {
            let (start, end) = (offset, offset + part.len());
            let mut text = String::with_capacity(part.len());
            let mut pos = 0;
            let mut n = 0;
            for (f, marker) in r.findings.iter().zip(&markers) {
                if f.end <= start || f.start >= end {
                    continue;
                }
                let (a, b) = (f.start.max(start) - start, f.end.min(end) - start);
                text.push_str(part.get(pos..a).unwrap_or(""));
                text.push_str(marker);
                pos = b;
                n += 1;
            }
            text.push_str(part.get(pos..).unwrap_or(""));
            out.push(Redacted(text));
            touched.push(n);
            offset = end + 1;
        }
        Ok(Joint {
            parts: out,
            touched,
            findings: r.findings,
        })
    }

    /// Text read back from storage. It was redacted when written; it is redacted again here
    /// (idempotent, so it comes back unchanged), which is why this constructor may be public.
    #[must_use]
    pub fn from_stored(text: String) -> Redacted {
        match wallet::redact(&text) {
            Ok(r) if r.findings.is_empty() => Redacted(text),
            Ok(r) => Redacted(r.text),
            Err(_) => Redacted(UNCHECKABLE.to_owned()),
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

/// What [`Redacted::joint`] returns.
#[derive(Debug, Clone)]
pub struct Joint {
    /// One clean text per part, in order.
    pub parts: Vec<Redacted>,
    /// For each part, how many findings covered some of it.
    pub touched: Vec<usize>,
    /// The findings, with spans into the parts joined by `\n`.
    pub findings: Vec<Finding>,
}

impl AsRef<str> for Redacted {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str = "abandon abandon abandon abandon abandon abandon abandon abandon \
                          abandon abandon abandon about";

    #[test]
    fn a_phrase_never_survives_construction() {
        let (r, findings) = Redacted::new(&format!("help, my words are {PHRASE}")).unwrap();
        assert!(!r.as_str().contains("abandon abandon"));
        assert_eq!(findings.len(), 1);
        let (clean, none) = Redacted::new("my transfer is pending").unwrap();
        assert_eq!(clean.as_str(), "my transfer is pending");
        assert!(none.is_empty());
    }

    #[test]
    fn from_stored_cannot_smuggle_a_secret_and_keeps_clean_text() {
        let r = Redacted::from_stored(format!("words: {PHRASE}"));
        assert!(!r.as_str().contains("abandon abandon"), "{r}");
        let (clean, _) = Redacted::new(&format!("words: {PHRASE}")).unwrap();
        assert_eq!(Redacted::from_stored(clean.as_str().to_owned()), clean);
    }

    #[test]
    fn joint_cuts_a_phrase_split_between_parts_out_of_both() {
        let words: Vec<&str> = PHRASE.split_whitespace().collect();
        let subject = format!("stuck: {}", words[..6].join(" "));
        let body = format!("{} what now?", words[6..].join(" "));
        let j = Redacted::joint(&[&subject, &body]).unwrap();
        assert_eq!(j.findings.len(), 1);
        assert_eq!(j.touched, vec![1, 1]);
        for p in &j.parts {
            assert!(!p.as_str().contains("abandon"), "{p}");
            assert!(p.as_str().contains("removed"), "{p}");
        }
        assert!(j.parts[0].as_str().starts_with("stuck: "));
        assert!(j.parts[1].as_str().ends_with(" what now?"));
        let clean = Redacted::joint(&["hello", "world"]).unwrap();
        assert_eq!(clean.parts[1].as_str(), "world");
        assert_eq!(clean.touched, vec![0, 0]);
    }
}
