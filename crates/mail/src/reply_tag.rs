//! The reply address that routes a user's reply back to their ticket.
//!
//! Every mail about a ticket has `Reply-To: <local>+<tag>@<domain>` (the pattern is configured,
//! e.g. `support+{tag}@example.com`). The tag is `t<ticket id>.<mac>`: the ticket id in decimal
//! and 20 hex digits (80 bits) of `HMAC-SHA256(key, "walletdesk reply tag v1\0" ‖ id)`. It names
//! the ticket without being its access token (the tag opens nothing: a reply still has to come
//! from the ticket's requester address to be appended), and it cannot be guessed for another
//! ticket. Lower-case only, so mail systems that fold the local part's case keep it valid.

use hmac::{Hmac, Mac};
use sha2::Sha256;

const LABEL: &[u8] = b"walletdesk reply tag v1\0";
/// Hex digits of the MAC kept in a tag.
const MAC_HEX: usize = 20;

fn mac(key: &[u8], ticket_id: i64) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(LABEL);
    m.update(ticket_id.to_string().as_bytes());
    let out = m.finalize().into_bytes();
    let mut hex = String::with_capacity(MAC_HEX);
    for b in out.iter().take(MAC_HEX / 2) {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The tag for a ticket.
#[must_use]
pub fn tag(key: &[u8], ticket_id: i64) -> String {
    format!("t{ticket_id}.{}", mac(key, ticket_id))
}

/// The ticket a tag names, if the tag is one of ours (MAC checked in constant time).
#[must_use]
pub fn parse(key: &[u8], tag: &str) -> Option<i64> {
    let tag = tag.trim().to_ascii_lowercase();
    let (id, given) = tag.strip_prefix('t')?.split_once('.')?;
    if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = id.parse().ok()?;
    let want = mac(key, id);
    (given.len() == want.len()
        && given
            .bytes()
            .zip(want.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0)
        .then_some(id)
}

/// The reply address for a ticket: `pattern` with `{tag}` replaced (e.g.
/// `support+{tag}@example.com`).
#[must_use]
pub fn address(pattern: &str, key: &[u8], ticket_id: i64) -> String {
    pattern.replace("{tag}", &tag(key, ticket_id))
}

/// The tag in a recipient address written from `pattern`, if any: the part of the local part
/// that stands where `{tag}` stands (case-insensitive).
#[must_use]
pub fn tag_in<'a>(pattern: &str, recipient: &'a str) -> Option<&'a str> {
    let (before, after) = pattern.split_once("{tag}")?;
    let r = recipient.trim();
    if r.len() < before.len() + after.len()
        || !r.is_char_boundary(before.len())
        || !r.is_char_boundary(r.len() - after.len())
        || !r[..before.len()].eq_ignore_ascii_case(before)
        || !r[r.len() - after.len()..].eq_ignore_ascii_case(after)
    {
        return None;
    }
    Some(&r[before.len()..r.len() - after.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_tag_round_trips_and_names_only_its_ticket() {
        let t = tag(KEY, 42);
        assert!(t.starts_with("t42."), "{t}");
        assert_eq!(parse(KEY, &t), Some(42));
        assert_eq!(parse(KEY, &t.to_uppercase()), Some(42));
        // Another ticket's id with this MAC, another key, a cut MAC: refused.
        assert_eq!(parse(KEY, &t.replacen("t42.", "t43.", 1)), None);
        assert_eq!(parse(b"another key", &t), None);
        assert_eq!(parse(KEY, &t[..t.len() - 1]), None);
        assert_eq!(parse(KEY, "t.abc"), None);
        assert_eq!(parse(KEY, "42"), None);
    }

    #[test]
    fn the_tag_is_found_in_an_address_written_from_the_pattern() {
        let pattern = "support+{tag}@example.com";
        let a = address(pattern, KEY, 7);
        let t = tag_in(pattern, &a).expect("tag");
        assert_eq!(parse(KEY, t), Some(7));
        assert_eq!(
            tag_in(pattern, "SUPPORT+T7.ABC@EXAMPLE.COM"),
            Some("T7.ABC")
        );
        assert_eq!(tag_in(pattern, "support@example.com"), None);
        assert_eq!(tag_in(pattern, "other+t7.abc@example.com"), None);
    }
}
