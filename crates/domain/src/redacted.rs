//! Text that has been through the wallet crate's redaction.
//!
//! The store's write methods take [`Redacted`], never `&str`, and the only constructor runs
//! [`wallet::redact`]: a recovery phrase cannot reach the database by a forgotten call.

use serde::Serialize;
use wallet::{FieldHint, Finding, RedactError, RedactOptions};

/// User- or agent-written text with every secret replaced by a marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Redacted(String);

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

    /// Text read back from storage: it was redacted when written.
    #[must_use]
    pub fn from_stored(text: String) -> Redacted {
        Redacted(text)
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

    #[test]
    fn a_phrase_never_survives_construction() {
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                      abandon abandon about";
        let (r, findings) = Redacted::new(&format!("help, my words are {phrase}")).unwrap();
        assert!(!r.as_str().contains("abandon abandon"));
        assert_eq!(findings.len(), 1);
        let (clean, none) = Redacted::new("my transfer is pending").unwrap();
        assert_eq!(clean.as_str(), "my transfer is pending");
        assert!(none.is_empty());
    }
}
