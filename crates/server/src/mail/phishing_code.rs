//! The anti-phishing code: a word a user chooses so that they can tell our mail from a fake.
//! Every mail to their address shows it at the top; a mail without it is not from us.
//!
//! * **Set only by the address's owner.** The form is on a ticket's page (the access link), but
//!   the change takes effect only through a link mailed to the ticket's address
//!   (`phishing_code_requests`, single-use, [`CONFIRM_MINUTES`]), so whoever holds someone
//!   else's ticket link cannot put a code on that person's mail.
//! * **Never stored in clear.** The table is keyed by [`address_key`] (an HMAC of the mailbox
//!   key under a key derived from the link key) and holds the code sealed ([`seal`]: a
//!   keystream and a tag from another derived key, bound to the address key). The link key is
//!   not in the database, so a copy of the database shows neither addresses nor codes.
//! * **Checked like any text.** A code that the wallet crate finds a secret in is refused (not
//!   stored with a marker: a code with a marker in it would be useless); it must be 4–32
//!   letters or digits (any script: 中文 too), single spaces allowed between them.
//! * **Shown only with the access link**: on `/t/{token}/mail-code`, never on the confirmation
//!   page (which has only the mailed link), never in the API.
//!
//! The mail sender calls [`for_address`] when it renders a mail; until the SMTP renderer does,
//! the mails this desk writes start with it through [`with_code`] (`mail/notify.rs`), so the
//! outbox row holds the code until the mail is sent.

use domain::{EmailAddress, Redacted};

use crate::AppState;
use crate::mail::{LinkKey, hmac_sha256};

/// How long a confirmation link works.
pub const CONFIRM_MINUTES: i64 = 24 * 60;
/// Characters in a code.
pub const MIN_CHARS: usize = 4;
pub const MAX_CHARS: usize = 32;

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// It holds a recovery phrase or key: never stored, never echoed.
    Secret,
    Empty,
    TooShort,
    TooLong,
    /// A character that is not a letter or digit, or two spaces in a row, or a line break.
    Characters,
    /// Three or more words, every one on a BIP-39 list: it could be the start of a phrase (a
    /// phrase cut short by the field is too short for the redactor to call it one).
    PhraseWords,
}

impl CodeError {
    /// The message key (`mail_code.error.*` in `locales/public.*.ftl`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            CodeError::Secret => "mail_code.error.secret",
            CodeError::Empty => "mail_code.error.empty",
            CodeError::TooShort => "mail_code.error.too_short",
            CodeError::TooLong => "mail_code.error.too_long",
            CodeError::Characters => "mail_code.error.characters",
            CodeError::PhraseWords => "mail_code.error.phrase_words",
        }
    }
}

/// The code as it will be stored and shown: checked for secrets first (before any other rule,
/// so a phrase is never treated as merely "too long"), then trimmed and checked.
///
/// # Errors
/// See [`CodeError`].
pub fn validate(typed: &str) -> Result<String, CodeError> {
    match Redacted::new(typed) {
        Ok((_, findings)) if !findings.is_empty() => return Err(CodeError::Secret),
        Err(_) => return Err(CodeError::TooLong),
        Ok(_) => {}
    }
    let code = typed.trim();
    if code.is_empty() {
        return Err(CodeError::Empty);
    }
    let chars = code.chars().count();
    if chars > MAX_CHARS {
        return Err(CodeError::TooLong);
    }
    if chars < MIN_CHARS {
        return Err(CodeError::TooShort);
    }
    let ok = code.chars().all(|c| c.is_alphanumeric() || c == ' ') && !code.contains("  ");
    if !ok {
        return Err(CodeError::Characters);
    }
    let words: Vec<&str> = code.split(' ').collect();
    if words.len() >= 3
        && words
            .iter()
            .all(|w| !wallet::wordlist::lookup_all(w).is_empty())
    {
        return Err(CodeError::PhraseWords);
    }
    Ok(code.to_owned())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// A key for one purpose, derived from the link key.
fn derived(key: &LinkKey, purpose: &str) -> [u8; 32] {
    hmac_sha256(key.bytes(), format!("walletdesk {purpose} v1").as_bytes())
}

/// The keyed hash that stands for an address in the tables: the same for every spelling of one
/// mailbox (`EmailAddress::mailbox_key`), and nothing to anyone without the link key.
#[must_use]
pub fn address_key(key: &LinkKey, addr: &EmailAddress) -> String {
    hex(&hmac_sha256(
        &derived(key, "mail address key"),
        addr.mailbox_key().as_bytes(),
    ))
}

fn keystream(k: &[u8; 32], nonce: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut msg = nonce.to_vec();
        msg.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hmac_sha256(k, &msg));
        counter += 1;
    }
    out.truncate(len);
    out
}

fn tag(k: &[u8; 32], address_key: &str, nonce: &[u8], sealed: &[u8]) -> [u8; 32] {
    let mut msg = address_key.as_bytes().to_vec();
    msg.push(0);
    msg.extend_from_slice(nonce);
    msg.extend_from_slice(sealed);
    hmac_sha256(k, &msg)
}

/// `code` sealed for the address whose key is `address_key`: `nonce.ciphertext.tag`, hex.
///
/// # Errors
/// The operating system's random source failed.
pub fn seal(key: &LinkKey, address_key: &str, code: &str) -> Result<String, getrandom::Error> {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce)?;
    let enc = derived(key, "phishing code seal");
    let ct: Vec<u8> = code
        .as_bytes()
        .iter()
        .zip(keystream(&enc, &nonce, code.len()))
        .map(|(a, b)| a ^ b)
        .collect();
    let t = tag(&derived(key, "phishing code tag"), address_key, &nonce, &ct);
    Ok(format!("{}.{}.{}", hex(&nonce), hex(&ct), hex(&t[..16])))
}

/// The code [`seal`] sealed for this address key; `None` when it was sealed for another
/// address, with another key, or is not such a value.
#[must_use]
pub fn unseal(key: &LinkKey, address_key: &str, sealed: &str) -> Option<String> {
    let mut parts = sealed.split('.');
    let (nonce, ct, t) = (
        unhex(parts.next()?)?,
        unhex(parts.next()?)?,
        unhex(parts.next()?)?,
    );
    let want = tag(&derived(key, "phishing code tag"), address_key, &nonce, &ct);
    let same = t.len() == 16 && t.iter().zip(&want[..16]).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    if !same {
        return None;
    }
    let enc = derived(key, "phishing code seal");
    let plain: Vec<u8> = ct
        .iter()
        .zip(keystream(&enc, &nonce, ct.len()))
        .map(|(a, b)| a ^ b)
        .collect();
    String::from_utf8(plain).ok()
}

/// The address's code, if one is set.
///
/// # Errors
/// The store failed: the caller should not send the mail without the code it may need (try
/// again later).
pub async fn lookup(
    state: &AppState,
    addr: &EmailAddress,
) -> Result<Option<String>, store::StoreError> {
    let k = address_key(&state.link_key, addr);
    Ok(state
        .store
        .phishing_code(&k)
        .await?
        .and_then(|sealed| unseal(&state.link_key, &k, &sealed)))
}

/// The address's code, for the mail renderer to put at the top of every mail to `addr`.
/// A store failure is logged and reads as "no code"; a sender that can postpone a mail should
/// use [`lookup`] instead.
pub async fn for_address(state: &AppState, addr: &EmailAddress) -> Option<String> {
    match lookup(state, addr).await {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = %e, "anti-phishing code lookup failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn codes_are_letters_and_digits_of_any_script() {
        assert_eq!(validate("  蓝色海豚42 ").unwrap(), "蓝色海豚42");
        assert_eq!(validate("blue dolphin 7").unwrap(), "blue dolphin 7");
        assert_eq!(validate(""), Err(CodeError::Empty));
        assert_eq!(validate("abc"), Err(CodeError::TooShort));
        assert_eq!(validate(&"a".repeat(33)), Err(CodeError::TooLong));
        assert_eq!(validate("two\nlines"), Err(CodeError::Characters));
        assert_eq!(validate("a  b c"), Err(CodeError::Characters));
        assert_eq!(validate("<b>code</b>"), Err(CodeError::Characters));
    }

    #[test]
    fn a_phrase_or_key_is_refused_as_a_secret() {
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        assert_eq!(validate(phrase), Err(CodeError::Secret));
        let key = "e9873d79c6d87dc0fb6a5778633389f4453213303da61f20bd67fc233aa33262";
        assert_eq!(
            validate(&format!("private key {key}")),
            Err(CodeError::Secret)
        );
        // The start of a phrase, as a field cut short would send it: too short to be called a
        // phrase, but every word is on the list.
        assert_eq!(
            validate("legal winner thank year wave"),
            Err(CodeError::PhraseWords)
        );
        assert_eq!(validate("legal winner 7"), Ok("legal winner 7".to_owned()));
    }

    #[test]
    fn sealed_codes_open_only_for_their_address_and_key() {
        let key = LinkKey::random().unwrap();
        let a = address_key(&key, &addr("Li.Wei+x@Example.com"));
        assert_eq!(
            a,
            address_key(&key, &addr("li.wei@example.com")),
            "one mailbox"
        );
        assert_ne!(a, address_key(&key, &addr("other@example.com")));
        let sealed = seal(&key, &a, "蓝色海豚42").unwrap();
        assert!(!sealed.contains("蓝色"));
        assert_ne!(
            sealed,
            seal(&key, &a, "蓝色海豚42").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(unseal(&key, &a, &sealed).as_deref(), Some("蓝色海豚42"));
        let b = address_key(&key, &addr("other@example.com"));
        assert_eq!(unseal(&key, &b, &sealed), None, "moved to another address");
        let other = LinkKey::random().unwrap();
        assert_eq!(unseal(&other, &a, &sealed), None, "another key");
        assert_eq!(unseal(&key, &a, "zz.00.11"), None);
    }
}
