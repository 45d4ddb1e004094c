//! Electrum's own seed phrases (Electrum 2.0 and later).
//!
//! Electrum draws its words from the BIP39 English list (and a few others) but does not use the
//! BIP39 checksum. Instead the seed *version* is the HMAC-SHA512 of the normalised phrase under
//! the key `"Seed version"`: its hex form starts with `01` for a standard wallet, `100` for
//! segwit, `101` for two-factor (TrustedCoin) and `102` for two-factor segwit. About one random
//! phrase in 256 looks like a standard seed, so callers should only ask about a run of wordlist
//! words of a plausible length (Electrum makes 12 or 13 words; old two-factor seeds have 24 or
//! 25).
//!
//! Relationship with BIP39 and old seeds: Electrum checks a phrase against its pre-2.0 ("old")
//! seed rules first (12 or 24 words from a separate 1626-word list, or 32/64 hex digits) and only
//! then against the version prefixes; this module does not know the old list, so it may report a
//! version for a phrase Electrum would call old. When generating, Electrum skips candidates that
//! are old seeds, and when restoring it refuses to treat a phrase as BIP39 unless asked to, but a
//! 12-word Electrum seed still has a 1-in-16 chance of also passing the BIP39 checksum. A phrase
//! detector should therefore report a phrase as a BIP39 recovery phrase when its checksum is
//! valid, and ask this module only about phrases that fail it.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha512;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;
use zeroize::{Zeroize, Zeroizing};

/// The kind of wallet an Electrum seed restores, from its version prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectrumSeedType {
    /// Prefix `01`: a standard (P2PKH) wallet.
    Standard,
    /// Prefix `100`: a native segwit wallet.
    Segwit,
    /// Prefix `101`: a two-factor (TrustedCoin) wallet.
    TwoFactor,
    /// Prefix `102`: a two-factor segwit wallet.
    TwoFactorSegwit,
}

/// The Electrum seed type of `phrase`, or `None` if it is not an Electrum 2.0+ seed (or is empty
/// after normalisation).
#[must_use]
pub fn seed_type(phrase: &str) -> Option<ElectrumSeedType> {
    let normalized = normalize_text(phrase);
    if normalized.is_empty() {
        return None;
    }
    let mut mac = Hmac::<Sha512>::new_from_slice(b"Seed version").ok()?;
    mac.update(normalized.as_bytes());
    let mut digest: [u8; 64] = mac.finalize().into_bytes().into();
    let (first, second_high) = (digest[0], digest[1] >> 4);
    digest.zeroize();
    match (first, second_high) {
        (0x01, _) => Some(ElectrumSeedType::Standard),
        (0x10, 0) => Some(ElectrumSeedType::Segwit),
        (0x10, 1) => Some(ElectrumSeedType::TwoFactor),
        (0x10, 2) => Some(ElectrumSeedType::TwoFactorSegwit),
        _ => None,
    }
}

/// [`seed_type`] of the words joined by single spaces.
#[must_use]
pub fn seed_type_of_words(words: &[&str]) -> Option<ElectrumSeedType> {
    let mut joined = Zeroizing::new(String::with_capacity(
        words.iter().map(|w| w.len() + 1).sum::<usize>(),
    ));
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    seed_type(&joined)
}

/// Electrum's `normalize_text`: NFKD, lower case, combining marks removed, whitespace collapsed
/// to single spaces and trimmed, and the spaces between two CJK characters removed.
#[must_use]
pub fn normalize_text(text: &str) -> Zeroizing<String> {
    // Reserve up front so that the buffers holding the seed are not reallocated (and copies left
    // behind) while they grow.
    let mut nfkd = Zeroizing::new(String::with_capacity(text.len() * 3));
    nfkd.extend(text.nfkd());
    let mut lower = Zeroizing::new(String::with_capacity(nfkd.len() * 2));
    lower.extend(nfkd.chars().flat_map(char::to_lowercase));
    drop(nfkd);

    // Python's `str.split()` also splits on the information separators U+001C–U+001F.
    let is_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    let mut out = Zeroizing::new(String::with_capacity(lower.len()));
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    for c in lower.chars().filter(|c| canonical_combining_class(*c) == 0) {
        if is_space(c) {
            pending_space = prev.is_some();
            continue;
        }
        if pending_space && !(prev.is_some_and(is_cjk) && is_cjk(c)) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Electrum's CJK ranges (ideographs, kana, hangul, Yi, Lisu, Miao, full-width forms…): spaces
/// between two such characters are not part of the seed.
fn is_cjk(c: char) -> bool {
    const RANGES: [(u32, u32); 29] = [
        (0x4E00, 0x9FFF),
        (0x3400, 0x4DBF),
        (0x2_0000, 0x2_A6DF),
        (0x2_A700, 0x2_B73F),
        (0x2_B740, 0x2_B81F),
        (0xF900, 0xFAFF),
        (0x2_F800, 0x2_FA1D),
        (0x3190, 0x319F),
        (0x2E80, 0x2EFF),
        (0x2F00, 0x2FDF),
        (0x31C0, 0x31EF),
        (0x2FF0, 0x2FFF),
        (0xE_0100, 0xE_01EF),
        (0x3100, 0x312F),
        (0x31A0, 0x31BF),
        (0xFF00, 0xFFEF),
        (0x3040, 0x309F),
        (0x30A0, 0x30FF),
        (0x31F0, 0x31FF),
        (0x1_B000, 0x1_B0FF),
        (0xAC00, 0xD7AF),
        (0x1100, 0x11FF),
        (0xA960, 0xA97F),
        (0xD7B0, 0xD7FF),
        (0x3130, 0x318F),
        (0xA4D0, 0xA4FF),
        (0x1_6F00, 0x1_6F9F),
        (0xA000, 0xA48F),
        (0xA490, 0xA4CF),
    ];
    let n = u32::from(c);
    RANGES.iter().any(|(lo, hi)| (*lo..=*hi).contains(&n))
}
