//! The help center: public pages (`/help…`), the agents' editor (`/agent/help…`), analytics,
//! the offline mnemonic check (`/help/mnemonic-check`), and the JSON API (`/api/v1/help…`).

pub(crate) mod agent;
pub(crate) mod analytics;
pub(crate) mod api;
pub(crate) mod check_tx;
pub(crate) mod mnemonic_check;
pub(crate) mod public;

use crate::i18n::Tr;

/// A link as templates print it.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
    pub summary: String,
}

/// A category's label in the viewer's language.
pub(crate) fn category_label(t: &Tr<'_>, key: &str) -> String {
    t.try_get(&format!("help.category.{key}"))
        .unwrap_or_else(|| key.to_owned())
}

/// `/tickets/new` prefilled with what the user searched for or read.
pub(crate) fn contact_url(subject: &str) -> String {
    format!("/tickets/new?subject={}", urlencode(subject))
}

/// Percent-encodes a query-string value (everything but unreserved ASCII).
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
