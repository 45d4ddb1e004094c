//! Screening text the server only reads to answer (help-center searches, suggestions): a query
//! that holds a secret is neither searched nor logged.
//!
//! Search-as-you-type sends a query per pause in typing, so a phrase reaches the server one
//! prefix at a time. `wallet::redact` finds whole phrases (10 list words in 12) and keys; a
//! prefix of 8 or 9 words is below its threshold and used to be searched and logged as typed.
//! So a query is refused when either
//! * the wallet crate finds a secret in it ([`wallet::redact::find_secrets`]), or
//! * it holds a *phrase fragment*: at least [`FRAGMENT_WORDS`] words of one wordlist in a row
//!   (numbers, commas and newlines between them allowed), with at most one word that is not in
//!   the list but starts like one (a misspelling). The tokens and lists are the wallet crate's.
//!   Chinese characters count as words only when written apart (space, comma, number): written
//!   together they are ordinary Chinese, and a whole phrase written so is left to the wallet
//!   crate's own rule.
//!
//! The browser applies the same fragment rule before anything is sent
//! (`static/secret-guard.js`); the server does not trust it.
//!
//! Ordinary text rarely has eight list words in a row: of the 2,769 lines of English prose in
//! the redaction corpus (`crates/wallet/data/corpus/prose`: Debian docs and support mail) the
//! browser's copy of this rule flags 2, both in the Debian docs, none in support mail.

use wallet::Language;
use wallet::redact::{RedactOptions, find_secrets};
use wallet::text::{Script, tokenize};
use wallet::wordlist::lookup_key;

/// Words of one list in a row that make a query a phrase fragment.
pub const FRAGMENT_WORDS: usize = 8;

/// Whether `text` holds a recovery phrase, a fragment of one, or a private key. Text too large
/// for the wallet crate counts as holding one: it is refused, not searched unscreened.
#[must_use]
pub fn holds_secret(text: &str) -> bool {
    match find_secrets(text, &RedactOptions::default()) {
        Ok(found) => !found.is_empty() || phrase_fragment(text),
        Err(_) => true,
    }
}

/// At least [`FRAGMENT_WORDS`] words of one list in a row (see the module doc).
#[must_use]
pub fn phrase_fragment(text: &str) -> bool {
    let tokens: Vec<_> = tokenize(text)
        .into_iter()
        .filter(|t| t.script != Script::Digits)
        .collect();
    if tokens.len() < FRAGMENT_WORDS {
        return false;
    }
    Language::ALL.into_iter().any(|lang| {
        let wl = lang.wordlist();
        // The run ends at a word that is neither in the list nor a likely misspelling; a second
        // misspelling drops the words before the first. `before` counts the list words before
        // the misspelling in the run, `since` those after it (or all of them, with none).
        let (mut before, mut since) = (0, 0);
        let mut prev_end: Option<usize> = None;
        for t in &tokens {
            let together = prev_end == Some(t.start);
            prev_end = Some(t.end);
            let fits_script = match t.script {
                Script::Han => lang.is_chinese() && !together,
                Script::Kana => lang == Language::Japanese,
                Script::Hangul => lang == Language::Korean,
                Script::Alpha => {
                    !lang.is_chinese() && lang != Language::Japanese && lang != Language::Korean
                }
                Script::Digits | Script::Mixed => false,
            };
            let key = lookup_key(lang, t.text(text));
            if fits_script && wl.index_of_key(&key).is_some() {
                since += 1;
            } else if fits_script && looks_misspelled(lang, &key) {
                (before, since) = (since, 0);
            } else {
                (before, since) = (0, 0);
            }
            if before + since >= FRAGMENT_WORDS {
                return true;
            }
        }
        false
    })
}

/// A word not in the list that starts with the first three letters of a list word (BIP39
/// words are unique in their first four): a likely misspelling, not a word of a sentence.
fn looks_misspelled(lang: Language, key: &str) -> bool {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 3 || chars.len() > 12 {
        return false;
    }
    let prefix: String = chars[..3].iter().collect();
    lang.wordlist().words_with_prefix(&prefix).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str =
        "abandon ability able about above absent absorb abstract absurd abuse access accident";

    #[test]
    fn whole_phrases_prefixes_and_keys_are_secrets() {
        assert!(holds_secret(PHRASE));
        let nine: Vec<&str> = PHRASE.split(' ').take(9).collect();
        assert!(holds_secret(&nine.join(" ")));
        assert!(holds_secret(&nine[..8].join(", ")));
        assert!(holds_secret(
            "1. abandon 2. ability 3. able 4. about 5. above 6. absent 7. absorb 8. abstrct 9. absurd"
        ));
        assert!(holds_secret(
            "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
        ));
        assert!(holds_secret("我的助记词是 的 一 是 在 不 了 有 和"));
    }

    #[test]
    fn ordinary_queries_are_not() {
        for q in [
            "seed phrase",
            "how do I restore my wallet from a recovery phrase",
            "transaction pending for two days, fee too low",
            "my balance shows zero after the update",
            "转账失败",
            "我的钱包余额显示为零怎么办",
            "abandon ability able about above absent absorb",
        ] {
            assert!(!holds_secret(q), "{q}");
        }
    }
}
