//! Finding and removing secrets: recovery phrases and private keys.

use serde::Serialize;

use crate::wordlist::Language;

/// The largest input [`redact`] accepts per call, in bytes (4 MiB). Work is linear in the input.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// What kind of secret was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A BIP39 recovery phrase (mnemonic), possibly misspelled.
    RecoveryPhrase,
    /// An Electrum (2.0+) seed phrase, recognised by its version prefix.
    ElectrumSeed,
    /// A Wallet Import Format private key (Bitcoin and forks).
    WifPrivateKey,
    /// A BIP32 extended private key (`xprv`, `tprv`, `zprv`…).
    ExtendedPrivateKey,
    /// A raw 32-byte private key written as 64 hex digits.
    RawPrivateKey,
    /// An Ethereum V3 keystore (encrypted key JSON).
    EthereumKeystore,
    /// A Solana 64-byte secret key (base58 or a JSON array).
    SolanaSecretKey,
}

impl SecretKind {
    /// Whether this is a phrase of words (as opposed to a key).
    #[must_use]
    pub fn is_phrase(self) -> bool {
        matches!(self, SecretKind::RecoveryPhrase | SecretKind::ElectrumSeed)
    }
}

/// One secret found in the input. Holds its position, never its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: SecretKind,
    /// Byte offset of the first byte of the secret in the input.
    pub start: usize,
    /// Byte offset one past the last byte of the secret in the input.
    pub end: usize,
    /// Wordlist language, for phrases.
    pub language: Option<Language>,
    /// Number of words, for phrases.
    pub words: Option<usize>,
    /// Whether the checksum is valid (BIP39 checksum, Base58Check, Electrum version…), where the
    /// kind has one.
    pub checksum_valid: Option<bool>,
    /// How sure the detector is, from 0 to 1.
    pub confidence: f32,
}

/// Which field the text arrived in. It decides what a bare 64-hex-digit string means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldHint {
    /// A message body or subject: decide from the words around each candidate.
    #[default]
    FreeText,
    /// A field that asks for a transaction hash: 64 hex digits there are a hash.
    TxHash,
    /// A field that asks for an address.
    Address,
}

/// The language of the markers that replace secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MarkerLanguage {
    English,
    ChineseSimplified,
}

/// Options for [`redact_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RedactOptions {
    pub field: FieldHint,
    /// Marker language; `None` picks it from the text (Chinese when it has Han characters).
    pub marker_language: Option<MarkerLanguage>,
}

/// The redacted text and what was removed from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redaction {
    pub text: String,
    pub findings: Vec<Finding>,
}

impl Redaction {
    /// Whether anything was removed.
    #[must_use]
    pub fn removed_anything(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactError {
    #[error("input is {len} bytes; the limit is {max} bytes")]
    TooLarge { len: usize, max: usize },
}

/// Redacts `text` with default options (free text; marker language from the text).
///
/// # Errors
/// [`RedactError::TooLarge`] when `text` is longer than [`MAX_INPUT_BYTES`].
pub fn redact(text: &str) -> Result<Redaction, RedactError> {
    redact_with(text, &RedactOptions::default())
}

/// Redacts `text`: every secret is replaced by a marker in the text's language that keeps
/// nothing recoverable (not even the length of a key). Idempotent.
///
/// # Errors
/// [`RedactError::TooLarge`] when `text` is longer than [`MAX_INPUT_BYTES`].
pub fn redact_with(text: &str, options: &RedactOptions) -> Result<Redaction, RedactError> {
    let findings = find_secrets(text, options)?;
    if findings.is_empty() {
        // No marker to write, so no marker language to pick (a pass over up to 64 Ki
        // characters saved on most texts).
        return Ok(Redaction {
            text: text.to_owned(),
            findings,
        });
    }
    let lang = options
        .marker_language
        .unwrap_or(if crate::text::mostly_cjk(text) {
            MarkerLanguage::ChineseSimplified
        } else {
            MarkerLanguage::English
        });
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in &findings {
        out.push_str(text.get(pos..f.start).unwrap_or(""));
        out.push_str(&marker(f, lang));
        pos = f.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    Ok(Redaction {
        text: out,
        findings,
    })
}

/// Every secret in `text`, sorted by position, spans not overlapping.
///
/// # Errors
/// [`RedactError::TooLarge`] when `text` is longer than [`MAX_INPUT_BYTES`].
pub fn find_secrets(text: &str, options: &RedactOptions) -> Result<Vec<Finding>, RedactError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(RedactError::TooLarge {
            len: text.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    if text.len() <= WINDOW_BYTES + 2 * WINDOW_CONTEXT_BYTES {
        return Ok(find_in(text, options.field));
    }
    Ok(
        find_in_windows(text, options.field, WINDOW_BYTES, WINDOW_CONTEXT_BYTES)
            .unwrap_or_else(|| find_in(text, options.field)),
    )
}

/// A long text is searched in windows of about this many bytes (see [`find_in_windows`]).
/// The search keeps a record of 16 bytes per word (per character of Chinese) and reads it in
/// several passes: for a window this size it stays in the core's cache, and the next window
/// reuses the same memory. One 4 MiB search instead touches about 21 MB for the first time,
/// a fifth of `walletdesk redact`'s time in page faults (`docs/BENCHMARKS.md`).
const WINDOW_BYTES: usize = 128 * 1024;

/// How much text each window also reads on either side of its own part. Whether a run of words
/// is a phrase depends on the words around it (a label before it, an aside within it, a
/// sentence after it), never on text this far away.
const WINDOW_CONTEXT_BYTES: usize = 4 * 1024;

/// Every secret in `text` by one search over all of it.
fn find_in(text: &str, field: FieldHint) -> Vec<Finding> {
    let mut all = crate::keys::find_private_keys(text, field);
    all.extend(phrase::find_phrases(text));
    merge(all)
}

/// Every secret in `text`, searched window by window; the same findings as [`find_in`] over
/// the whole text, or `None` where this cannot be sure of that (the caller then searches the
/// whole text).
///
/// The text is cut into parts of about `window` bytes, at a line's end where one is near. Each
/// part is searched together with `context` bytes on either side, and keeps the findings that
/// start in it: a secret across a cut is seen whole by the part it starts in, and the next part
/// (which sees it too) leaves it. The context's outer half is only a guard: a finding of this
/// part that reaches into it, or one from it that reaches into this part, may be longer than
/// the window shows (a phrase of more than `context / 2` bytes, a keystore), and then the
/// answer is `None`.
fn find_in_windows(
    text: &str,
    field: FieldHint,
    window: usize,
    context: usize,
) -> Option<Vec<Finding>> {
    let guard = context / 2;
    let mut all = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = cut_near(text, start + window, window / 8);
        let outer_start = if start <= context {
            0
        } else {
            cut_near(text, start - context, guard / 2)
        };
        let outer_end = cut_near(text, end + context, guard / 2);
        let part = text.get(outer_start..outer_end)?;
        for mut f in find_in(part, field) {
            f.start += outer_start;
            f.end += outer_start;
            let own = (start..end).contains(&f.start);
            // From the cut before this part into it, or from this part into the cut after it:
            // what the window shows of it may be only a piece.
            let from_cut = outer_start > 0 && f.start < outer_start + guard && f.end > start;
            let into_cut = own && outer_end < text.len() && f.end > outer_end - guard;
            if from_cut || into_cut {
                return None;
            }
            if own {
                all.push(f);
            }
        }
        start = end;
    }
    Some(merge(all))
}

/// A char boundary at or after `at` (or the text's end): the first line end within `slack`
/// bytes after it where there is one, so a part begins with a line of its own.
fn cut_near(text: &str, at: usize, slack: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let bytes = text.as_bytes();
    let limit = (at + slack).min(text.len());
    if let Some(i) = bytes
        .get(at..limit)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
    {
        return at + i + 1;
    }
    text.ceil_char_boundary(at)
}

/// Sorts findings and merges overlapping ones into their union, keeping the metadata of the
/// more confident one.
fn merge(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        match out.last_mut() {
            Some(last) if f.start < last.end => {
                let (start, end) = (last.start.min(f.start), last.end.max(f.end));
                if f.confidence > last.confidence {
                    *last = f;
                }
                last.start = start;
                last.end = end;
            }
            _ => out.push(f),
        }
    }
    out
}

fn marker(f: &Finding, lang: MarkerLanguage) -> String {
    let n = f.words.unwrap_or(0);
    match (lang, f.kind) {
        (MarkerLanguage::English, SecretKind::RecoveryPhrase) => {
            format!("[recovery phrase removed: {n} words]")
        }
        (MarkerLanguage::English, SecretKind::ElectrumSeed) => {
            format!("[Electrum seed removed: {n} words]")
        }
        (MarkerLanguage::English, SecretKind::ExtendedPrivateKey) => {
            "[extended private key removed]".to_owned()
        }
        (MarkerLanguage::English, SecretKind::EthereumKeystore) => "[keystore removed]".to_owned(),
        (MarkerLanguage::English, _) => "[private key removed]".to_owned(),
        (MarkerLanguage::ChineseSimplified, SecretKind::RecoveryPhrase) => {
            format!("[已删除助记词：{n} 个词]")
        }
        (MarkerLanguage::ChineseSimplified, SecretKind::ElectrumSeed) => {
            format!("[已删除 Electrum 助记词：{n} 个词]")
        }
        (MarkerLanguage::ChineseSimplified, SecretKind::ExtendedPrivateKey) => {
            "[已删除扩展私钥]".to_owned()
        }
        (MarkerLanguage::ChineseSimplified, SecretKind::EthereumKeystore) => {
            "[已删除 keystore 文件]".to_owned()
        }
        (MarkerLanguage::ChineseSimplified, _) => "[已删除私钥]".to_owned(),
    }
}

/// Byte ranges of markers left by an earlier redaction, so that redaction is idempotent.
pub(crate) fn marker_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes.get(i..).and_then(|b| memchr::memchr(b'[', b)) {
        let start = i + off;
        let tail = text.get(start..).unwrap_or("");
        let window = &tail.as_bytes()[..tail.len().min(80)];
        if let Some(close) = window.iter().position(|&c| c == b']') {
            let inner = tail.get(1..close).unwrap_or("");
            if inner.ends_with(" removed")
                || inner.contains(" removed: ")
                || inner.starts_with("已删除")
            {
                out.push((start, start + close + 1));
                i = start + close + 1;
                continue;
            }
        }
        i = start + 1;
    }
    out
}

pub(crate) mod phrase;

#[cfg(test)]
mod tests {
    use super::*;

    const LABELLED: &str = include_str!("../data/corpus/labelled.jsonl");
    const PROSE: [&str; 4] = [
        include_str!("../data/corpus/prose/zh.support.txt"),
        include_str!("../data/corpus/prose/en.support.txt"),
        include_str!("../data/corpus/prose/zh.reviews.tune.txt"),
        include_str!("../data/corpus/prose/zh.chat.tune.txt"),
    ];

    /// Every text of the labelled corpus (977 secrets in every list and layout, and the
    /// look-alikes that are not secrets), each followed by a paragraph of real prose, joined
    /// by `sep`.
    fn long_text(sep: &str) -> String {
        let mut paragraphs = PROSE
            .iter()
            .flat_map(|p| p.lines().filter(|l| !l.trim().is_empty()))
            .cycle();
        let mut out = String::new();
        for line in LABELLED.lines() {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            out.push_str(case["text"].as_str().expect("a text"));
            out.push_str(sep);
            out.push_str(paragraphs.next().unwrap_or(""));
            out.push_str(sep);
        }
        out
    }

    #[test]
    fn windows_find_what_one_search_finds() {
        for sep in ["\n", " ", ""] {
            let text = long_text(sep);
            let whole = find_in(&text, FieldHint::FreeText);
            assert!(whole.len() > 900, "{} findings", whole.len());
            // Small windows cut through hundreds of phrases; the last is what `find_secrets`
            // uses.
            for window in [700, 2_000, 9_000, WINDOW_BYTES] {
                let windowed =
                    find_in_windows(&text, FieldHint::FreeText, window, WINDOW_CONTEXT_BYTES);
                assert!(
                    windowed.is_some(),
                    "window {window}, separator {sep:?}: gave up"
                );
                assert!(
                    windowed.as_ref() == Some(&whole),
                    "window {window}, separator {sep:?}"
                );
            }
        }
    }

    #[test]
    fn a_phrase_longer_than_the_guard_across_a_cut_is_left_to_one_search() {
        let words = crate::wordlist::Language::English.wordlist();
        let phrase: Vec<&str> = (0..400u16).map(|i| words.word(i * 5 % 2048)).collect();
        let text = format!(
            "{}\nmy wallet words: {}\nthanks\n",
            "a\n".repeat(3_000),
            phrase.join(" ")
        );
        let whole = find_in(&text, FieldHint::FreeText);
        assert!(!whole.is_empty());
        assert_eq!(
            find_in_windows(&text, FieldHint::FreeText, 6_500, 1_024),
            None
        );
        assert_eq!(
            find_secrets(&text, &RedactOptions::default()).ok(),
            Some(whole)
        );
    }
}
