//! The offline mnemonic self-check: why a phrase a user typed will not restore, and what the
//! phrase most likely was.
//!
//! # What is checked
//! 1. The words are read the way users type them: numbered (`1. abandon 2) ability`), one per
//!    line, comma-separated, in any case, accents optional in the Latin lists; Chinese one
//!    character per word with or without spaces; Japanese and Korean with or without spaces
//!    (U+3000 is the Japanese separator), runs of kana or Hangul being segmented into list words
//!    the way the redactor does it ([`crate::redact::phrase::segment_run`]).
//! 2. The wordlist is the one that knows the most words (ties: a valid checksum, then
//!    [`Language::ALL`] order, so a phrase of characters both Chinese lists share is simplified).
//! 3. Every word the list does not know is reported with suggestions, ranked by
//!    Damerau–Levenshtein distance, where a word sharing the typed word's first four letters
//!    counts as one edit away whatever its length (BIP39 words are unique in their first four
//!    letters, and some users write only those); among equals, a word that would also make the
//!    checksum valid comes first. A word from another list (an English word in a Chinese
//!    phrase, a traditional character in a simplified phrase) is named as such.
//! 4. The checksum, and when it fails the commonest mistakes: every single-word substitution
//!    that makes it valid (all positions × 2048 words), two adjacent words swapped, one word
//!    missing (every word at every position) and one word too many.
//!
//! # Why it is fast enough
//! A substitution changes 11 bits of the packed phrase, so each candidate costs one SHA-256 of
//! at most 32 bytes on a buffer packed once ([`crate::bip39::Packed`]): 24 × 2048 candidates
//! take a few milliseconds. Strings are only built for the candidates that pass.
//!
//! # Why the output is bounded
//! A wrong checksum of `cs` bits is passed by about one candidate in `2^cs`: a 12-word phrase
//! has ≈ 1,500 valid single-word substitutions and, with one word missing, as many insertions.
//! Substitutions are all listed (a tool can try each of them); insertions are capped at
//! [`MAX_MISSING`], with the full count in [`Report::missing_total`].
//!
//! # Secrets
//! The report *is* the phrase, nearly: it must never be logged or stored. Its `Debug` shows
//! counts only, its strings are wiped when it is dropped, and index buffers are wiped too.
//!
//! # Embedding it in a wallet app
//! This is the library for Rust wallet teams: call it where the user already types the phrase
//! (the restore screen), so the "did you mean" help happens in the app and the words go nowhere
//! else. It does no I/O and keeps no state; the JavaScript twin for web and hybrid apps is
//! `packages/mnemonic-check` (same report, kept identical by a parity test).
//!
//! ```
//! use wallet::check::{CheckError, check_mnemonic};
//! use wallet::Language;
//!
//! // One word mistyped ("abandn"): the list's word that fixes the checksum comes first.
//! let typed = "abandn abandon abandon abandon abandon abandon \
//!              abandon abandon abandon abandon abandon about";
//! let report = check_mnemonic(typed)?;
//! assert_eq!(report.word_count, 12);
//! assert_eq!(report.language, Some(Language::English));
//! assert_eq!(report.unknown_words[0].position, 1);
//! assert_eq!(report.unknown_words[0].suggestions[0], "abandon");
//!
//! // Every word known, but two neighbours swapped: the checksum fails and the swap is named.
//! let swapped = "abandon abandon abandon abandon abandon abandon \
//!                abandon abandon abandon abandon about abandon";
//! let report = check_mnemonic(swapped)?;
//! assert_eq!(report.checksum_valid, Some(false));
//! assert!(report.swaps.iter().any(|s| s.positions == [11, 12]));
//!
//! // Show the user the report, then drop it: never log it or store it.
//! drop(report);
//! assert_eq!(check_mnemonic(" 1. 2) "), Err(CheckError::Empty));
//! # Ok::<(), CheckError>(())
//! ```

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

use crate::bip39::{self, Packed};
use crate::redact::phrase::{HANGUL_MAX_CHARS, KANA_MAX_CHARS, edit_distance, segment_run};
use crate::text::{Script, Token, tokenize};
use crate::wordlist::{Language, WORDLIST_LEN, Wordlist, lookup_all, lookup_key};

/// The largest input [`check_mnemonic`] accepts, in bytes: 48 words of the longest lists with
/// numbering fit several times over.
pub const MAX_INPUT_BYTES: usize = 4096;

/// The most words [`check_mnemonic`] accepts (twice the longest phrase).
pub const MAX_WORDS: usize = 48;

/// The most insertions listed in [`Report::missing`].
pub const MAX_MISSING: usize = 512;

/// The most suggestions per unknown word.
pub const MAX_SUGGESTIONS: usize = 5;

/// Why an input could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("no words to check")]
    Empty,
    #[error("input is {len} bytes; the limit is {max} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("input has {count} words; the limit is {max}")]
    TooManyWords { count: usize, max: usize },
}

/// The result of [`check_mnemonic`]. Positions are 1-based. Words are NFC; `word` is the word
/// as the user typed it, the other strings are wordlist words.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Number of words read.
    pub word_count: usize,
    /// Whether that is 12, 15, 18, 21 or 24.
    pub valid_word_count: bool,
    /// The wordlist that knows the most words; `None` when no word is in any list.
    pub language: Option<Language>,
    /// Words not in that list, with ranked suggestions.
    pub unknown_words: Vec<UnknownWord>,
    /// The BIP39 checksum; `None` when a word is unknown or the count is not valid.
    pub checksum_valid: Option<bool>,
    /// Single-word substitutions that make the checksum valid: at every position when every
    /// word is known, at the unknown word's position when exactly one is unknown. Closest to
    /// the typed word first.
    pub corrections: Vec<Correction>,
    /// Adjacent pairs whose swap makes the checksum valid.
    pub swaps: Vec<Swap>,
    /// Words whose insertion makes a valid phrase (when one word short of a valid count), at
    /// most [`MAX_MISSING`], by position then wordlist order.
    pub missing: Vec<Missing>,
    /// How many insertions were found (`missing` may be cut short).
    pub missing_total: usize,
    /// Words whose removal makes a valid phrase (when one word over a valid count).
    pub extra: Vec<Extra>,
    /// Unknown words that are in another language's list.
    pub other_language_words: Vec<OtherLanguageWord>,
}

/// A word not in the phrase's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownWord {
    pub position: usize,
    pub word: String,
    /// At most [`MAX_SUGGESTIONS`], best first.
    pub suggestions: Vec<String>,
}

/// Replacing `word` at `position` by `replacement` makes the checksum valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub position: usize,
    pub word: String,
    pub replacement: String,
}

/// Swapping the words at `positions` (currently `words`, in that order) makes it valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Swap {
    pub positions: [usize; 2],
    pub words: [String; 2],
}

/// Inserting `word` so that it becomes word number `position` makes a valid phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub position: usize,
    pub word: String,
}

/// Removing `word` at `position` makes a valid phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    pub position: usize,
    pub word: String,
}

/// An unknown word that is in the lists of `languages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherLanguageWord {
    pub position: usize,
    pub word: String,
    pub languages: Vec<Language>,
}

impl std::fmt::Debug for Report {
    /// Counts only: the words are the user's secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("word_count", &self.word_count)
            .field("language", &self.language)
            .field("unknown_words", &self.unknown_words.len())
            .field("checksum_valid", &self.checksum_valid)
            .field("corrections", &self.corrections.len())
            .field("swaps", &self.swaps.len())
            .field("missing_total", &self.missing_total)
            .field("extra", &self.extra.len())
            .field("other_language_words", &self.other_language_words.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        for u in &mut self.unknown_words {
            u.word.zeroize();
            u.suggestions.zeroize();
        }
        for c in &mut self.corrections {
            c.word.zeroize();
            c.replacement.zeroize();
        }
        for s in &mut self.swaps {
            s.words[0].zeroize();
            s.words[1].zeroize();
        }
        for m in &mut self.missing {
            m.word.zeroize();
        }
        for e in &mut self.extra {
            e.word.zeroize();
        }
        for o in &mut self.other_language_words {
            o.word.zeroize();
        }
    }
}

/// One word as read from the input.
struct Word<'a> {
    text: &'a str,
    script: Script,
    /// Its index in each list of [`Language::ALL`].
    index: [Option<u16>; 10],
}

/// Checks a phrase as a user typed it. Work is bounded: at most [`MAX_INPUT_BYTES`] and
/// [`MAX_WORDS`], and at most (words + 1) × 2048 checksum trials.
///
/// # Errors
/// [`CheckError::TooLarge`], [`CheckError::TooManyWords`], or [`CheckError::Empty`] when the
/// input holds no words (only numbers, punctuation or space).
pub fn check_mnemonic(input: &str) -> Result<Report, CheckError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(CheckError::TooLarge {
            len: input.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let words = read_words(input);
    if words.is_empty() {
        return Err(CheckError::Empty);
    }
    if words.len() > MAX_WORDS {
        return Err(CheckError::TooManyWords {
            count: words.len(),
            max: MAX_WORDS,
        });
    }
    let n = words.len();
    let mut report = Report {
        word_count: n,
        valid_word_count: bip39::is_valid_word_count(n),
        language: None,
        unknown_words: Vec::new(),
        checksum_valid: None,
        corrections: Vec::new(),
        swaps: Vec::new(),
        missing: Vec::new(),
        missing_total: 0,
        extra: Vec::new(),
        other_language_words: Vec::new(),
    };
    let Some(li) = choose_language(&words) else {
        report.unknown_words = words
            .iter()
            .enumerate()
            .map(|(i, w)| UnknownWord {
                position: i + 1,
                word: nfc(w.text),
                suggestions: Vec::new(),
            })
            .collect();
        return Ok(report);
    };
    let lang = Language::ALL[li];
    let wl = lang.wordlist();
    report.language = Some(lang);
    let unknown: Vec<usize> = (0..n).filter(|&i| words[i].index[li].is_none()).collect();
    // Unknown words hold index 0 here; they are only read where they are replaced.
    let indices = Zeroizing::new(
        words
            .iter()
            .map(|w| w.index[li].unwrap_or(0))
            .collect::<Vec<u16>>(),
    );
    let packed = Packed::new(&indices);

    if unknown.is_empty() {
        report.checksum_valid = packed.as_ref().map(Packed::checksum_valid);
    }
    let fixes_at_unknown = match (&packed, unknown.as_slice()) {
        (Some(p), []) if report.checksum_valid == Some(false) => {
            report.corrections = substitutions(p, &indices, &words, wl, 0..n, true);
            report.swaps = swaps(p, &indices, &words);
            None
        }
        (Some(p), [u]) => {
            report.corrections = substitutions(p, &indices, &words, wl, *u..*u + 1, false);
            Some(fixing_indices(p, *u))
        }
        _ => None,
    };
    if unknown.is_empty() && bip39::is_valid_word_count(n + 1) {
        let (listed, total) = insertions(&indices, wl);
        report.missing = listed;
        report.missing_total = total;
    }
    if bip39::is_valid_word_count(n.wrapping_sub(1)) && unknown.len() <= 1 {
        report.extra = removals(&indices, &words, &unknown);
    }
    for &u in &unknown {
        let w = &words[u];
        report.unknown_words.push(UnknownWord {
            position: u + 1,
            word: nfc(w.text),
            suggestions: suggest(w, lang, fixes_at_unknown.as_deref()),
        });
        let mut languages: Vec<Language> = lookup_all(w.text)
            .into_iter()
            .map(|(l, _)| l)
            .filter(|l| *l != lang)
            .collect();
        languages.dedup();
        if !languages.is_empty() {
            report.other_language_words.push(OtherLanguageWord {
                position: u + 1,
                word: nfc(w.text),
                languages,
            });
        }
    }
    Ok(report)
}

/// The words of `input`, in order: numbering dropped, kana and Hangul runs segmented.
fn read_words(input: &str) -> Vec<Word<'_>> {
    let tokens: Vec<Token> = tokenize(input)
        .into_iter()
        .filter(|t| t.script != Script::Digits)
        .collect();
    // A Japanese or Korean phrase typed with separators gives one token per word; a misspelled
    // one must stay one word then, not split into a list word and a remainder.
    let separated = |script: Script| tokens.iter().filter(|t| t.script == script).count() >= 6;
    let (kana_separated, hangul_separated) = (separated(Script::Kana), separated(Script::Hangul));
    let mut out = Vec::new();
    for tok in tokens {
        let (lang, max_chars, is_separated) = match tok.script {
            Script::Kana => (Language::Japanese, KANA_MAX_CHARS, kana_separated),
            Script::Hangul => (Language::Korean, HANGUL_MAX_CHARS, hangul_separated),
            Script::Mixed => {
                // "1abandon", "abandon2,": numbering typed without a space.
                let text = tok
                    .text(input)
                    .trim_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
                let script = if text.chars().any(char::is_numeric) {
                    Script::Mixed
                } else {
                    Script::Alpha
                };
                out.push(word(text, script));
                continue;
            }
            script => {
                out.push(word(tok.text(input), script));
                continue;
            }
        };
        let whole = word(tok.text(input), tok.script);
        if whole.index.iter().any(Option::is_some) {
            out.push(whole);
            continue;
        }
        let pieces = segment_run(input, tok, lang, max_chars);
        if is_separated && pieces.iter().any(|p| p.2.is_none()) {
            out.push(whole);
            continue;
        }
        for (s, e, _) in pieces {
            out.push(word(input.get(s..e).unwrap_or(""), tok.script));
        }
    }
    out
}

fn word(text: &str, script: Script) -> Word<'_> {
    let mut index = [None; 10];
    let langs: &[Language] = match script {
        Script::Alpha => &[
            Language::English,
            Language::Spanish,
            Language::French,
            Language::Italian,
            Language::Czech,
            Language::Portuguese,
        ],
        Script::Han => &[Language::ChineseSimplified, Language::ChineseTraditional],
        Script::Kana => &[Language::Japanese],
        Script::Hangul => &[Language::Korean],
        Script::Digits | Script::Mixed => &[],
    };
    // Longer than any list word: do not spend time normalising it.
    if text.len() <= 64 {
        for &lang in langs {
            let wl = lang.wordlist();
            // Kana and Hangul arrive composed (NFC) and the lists are NFKD.
            index[lang_index(lang)] = if matches!(script, Script::Kana | Script::Hangul) {
                wl.index_of(text)
            } else {
                wl.index_of_fast(text)
            };
        }
    }
    Word {
        text,
        script,
        index,
    }
}

fn lang_index(lang: Language) -> usize {
    Language::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// The list knowing the most words; ties go to a valid checksum, then to [`Language::ALL`]
/// order. `None` when no list knows any word.
fn choose_language(words: &[Word<'_>]) -> Option<usize> {
    let counts: Vec<usize> = (0..Language::ALL.len())
        .map(|li| words.iter().filter(|w| w.index[li].is_some()).count())
        .collect();
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return None;
    }
    let tied: Vec<usize> = (0..counts.len()).filter(|&li| counts[li] == best).collect();
    if tied.len() > 1 && best == words.len() {
        for &li in &tied {
            let ix = Zeroizing::new(
                words
                    .iter()
                    .map(|w| w.index[li].unwrap_or(0))
                    .collect::<Vec<u16>>(),
            );
            if bip39::checksum_valid(&ix) {
                return Some(li);
            }
        }
    }
    tied.first().copied()
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

fn list_word(wl: Wordlist, index: u16) -> String {
    nfc(wl.word(index))
}

/// Every `(position, index)` in `positions` whose substitution makes the checksum valid, as
/// corrections, closest to the typed word first. With `skip_current`, the word already there
/// is not tried (it is known to fail).
fn substitutions(
    packed: &Packed,
    indices: &[u16],
    words: &[Word<'_>],
    wl: Wordlist,
    positions: std::ops::Range<usize>,
    skip_current: bool,
) -> Vec<Correction> {
    let mut trial = packed.clone();
    let mut found: Vec<(usize, u16)> = Vec::new();
    for p in positions {
        for w in 0..WORDLIST_LEN_U16 {
            if skip_current && w == indices[p] {
                continue;
            }
            trial.set(p, w);
            if trial.checksum_valid() {
                found.push((p, w));
            }
        }
        trial.set(p, indices[p]);
    }
    let mut ranked: Vec<(usize, usize, u16, String)> = found
        .into_iter()
        .map(|(p, w)| {
            let typed = lookup_key(wl.language(), words[p].text);
            let d = edit_distance(&typed, &wl.key_of(w));
            (d, p, w, list_word(wl, w))
        })
        .collect();
    ranked.sort_unstable_by_key(|r| (r.0, r.1, r.2));
    ranked
        .into_iter()
        .map(|(_, p, _, replacement)| Correction {
            position: p + 1,
            word: nfc(words[p].text),
            replacement,
        })
        .collect()
}

const WORDLIST_LEN_U16: u16 = 2048;
const _: () = assert!(WORDLIST_LEN_U16 as usize == WORDLIST_LEN);

/// For each of the 2048 words, whether putting it at `position` makes the checksum valid.
fn fixing_indices(packed: &Packed, position: usize) -> Vec<bool> {
    let mut trial = packed.clone();
    (0..WORDLIST_LEN_U16)
        .map(|w| {
            trial.set(position, w);
            trial.checksum_valid()
        })
        .collect()
}

fn swaps(packed: &Packed, indices: &[u16], words: &[Word<'_>]) -> Vec<Swap> {
    let mut trial = packed.clone();
    let mut out = Vec::new();
    for p in 0..indices.len().saturating_sub(1) {
        let (a, b) = (indices[p], indices[p + 1]);
        if a == b {
            continue;
        }
        trial.set(p, b);
        trial.set(p + 1, a);
        if trial.checksum_valid() {
            out.push(Swap {
                positions: [p + 1, p + 2],
                words: [nfc(words[p].text), nfc(words[p + 1].text)],
            });
        }
        trial.set(p, a);
        trial.set(p + 1, b);
    }
    out
}

/// Every word inserted at every position that gives a valid phrase: the first [`MAX_MISSING`]
/// and the total. Inserting a copy of a word right after it is the same phrase as inserting it
/// right before, so that is counted once.
fn insertions(indices: &[u16], wl: Wordlist) -> (Vec<Missing>, usize) {
    let n = indices.len();
    let mut listed = Vec::new();
    let mut total = 0;
    let mut longer = Zeroizing::new(Vec::with_capacity(n + 1));
    for p in 0..=n {
        longer.clear();
        longer.extend_from_slice(&indices[..p]);
        longer.push(0);
        longer.extend_from_slice(&indices[p..]);
        let Some(mut trial) = Packed::new(&longer) else {
            return (listed, total);
        };
        for w in 0..WORDLIST_LEN_U16 {
            if p > 0 && indices[p - 1] == w {
                continue;
            }
            trial.set(p, w);
            if trial.checksum_valid() {
                total += 1;
                if listed.len() < MAX_MISSING {
                    listed.push(Missing {
                        position: p + 1,
                        word: list_word(wl, w),
                    });
                }
            }
        }
    }
    (listed, total)
}

/// Every word whose removal leaves a valid phrase of known words (`unknown` holds at most one
/// position, which must then be the one removed).
fn removals(indices: &[u16], words: &[Word<'_>], unknown: &[usize]) -> Vec<Extra> {
    let mut out = Vec::new();
    let mut shorter = Zeroizing::new(Vec::with_capacity(indices.len()));
    for p in 0..indices.len() {
        if unknown.first().is_some_and(|&u| u != p) {
            continue;
        }
        // Removing either of two equal neighbours gives the same phrase.
        if unknown.is_empty() && p > 0 && indices[p - 1] == indices[p] {
            continue;
        }
        shorter.clear();
        shorter.extend_from_slice(&indices[..p]);
        shorter.extend_from_slice(&indices[p + 1..]);
        if bip39::checksum_valid(&shorter) {
            out.push(Extra {
                position: p + 1,
                word: nfc(words[p].text),
            });
        }
    }
    out
}

/// Suggestions for an unknown word in `lang`'s list, best first (see the module doc).
/// `fixes` says, when known, which words would also make the checksum valid.
fn suggest(w: &Word<'_>, lang: Language, fixes: Option<&[bool]>) -> Vec<String> {
    let wl = lang.wordlist();
    if lang.is_chinese() {
        // The two Chinese lists are in the same order: a character of the other list stands
        // for the character at its index.
        let other = if lang == Language::ChineseSimplified {
            Language::ChineseTraditional
        } else {
            Language::ChineseSimplified
        };
        return w.index[lang_index(other)]
            .map(|i| vec![list_word(wl, i)])
            .unwrap_or_default();
    }
    let script_fits = match lang {
        Language::Japanese => w.script == Script::Kana,
        Language::Korean => w.script == Script::Hangul,
        _ => matches!(w.script, Script::Alpha | Script::Mixed),
    };
    if !script_fits || w.text.len() > 64 {
        return Vec::new();
    }
    let typed = lookup_key(lang, w.text);
    let typed_len = typed.chars().count();
    let prefix: String = typed.chars().take(4).collect();
    let max = match typed_len {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    let mut ranked: Vec<(usize, bool, usize, u16)> = Vec::new();
    for i in 0..WORDLIST_LEN_U16 {
        let key = wl.key_of(i);
        let shares_prefix = typed_len >= 3 && key.starts_with(&prefix);
        if !shares_prefix && key.chars().count().abs_diff(typed_len) > max {
            continue;
        }
        let d = edit_distance(&typed, &key);
        if !shares_prefix && d > max {
            continue;
        }
        let fixes_checksum = fixes.is_some_and(|f| f.get(usize::from(i)) == Some(&true));
        ranked.push((
            if shares_prefix { d.min(1) } else { d },
            !fixes_checksum,
            d,
            i,
        ));
    }
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(.., i)| list_word(wl, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(lang: Language, entropy: &[u8]) -> Vec<String> {
        let wl = lang.wordlist();
        bip39::indices_from_entropy(entropy)
            .unwrap()
            .into_iter()
            .map(|i| nfc(wl.word(i)))
            .collect()
    }

    #[test]
    fn a_valid_phrase_is_valid_and_nothing_is_suggested() {
        let r = check_mnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").unwrap();
        assert_eq!(r.word_count, 12);
        assert!(r.valid_word_count);
        assert_eq!(r.language, Some(Language::English));
        assert_eq!(r.checksum_valid, Some(true));
        assert!(r.unknown_words.is_empty() && r.corrections.is_empty() && r.swaps.is_empty());
        assert!(r.missing.is_empty() && r.extra.is_empty());
    }

    #[test]
    fn numbering_case_commas_and_lines_are_read() {
        let p = "1. Legal 2) WINNER, 3 thank\n4-year 5.wave 6:sausage 7 worth 8 useful \
                 9legal 10 winner 11 thank 12 yellow";
        let r = check_mnemonic(p).unwrap();
        assert_eq!(r.word_count, 12, "{r:?}");
        assert_eq!(r.checksum_valid, Some(true));
    }

    #[test]
    fn four_letter_prefixes_rank_first() {
        let r = check_mnemonic("aban abil able").unwrap();
        assert_eq!(r.unknown_words.len(), 2);
        assert_eq!(r.unknown_words[0].position, 1);
        assert_eq!(r.unknown_words[0].suggestions[0], "abandon");
        assert_eq!(r.unknown_words[1].suggestions[0], "ability");
        assert_eq!(r.checksum_valid, None);
        assert!(!r.valid_word_count);
    }

    #[test]
    fn a_single_unknown_word_gets_corrections_at_its_position_only() {
        let mut w = words_of(Language::English, &[0x11; 16]);
        let original = w[4].clone();
        w[4] = format!("{original}q");
        let r = check_mnemonic(&w.join(" ")).unwrap();
        assert_eq!(r.unknown_words.len(), 1);
        assert_eq!(r.unknown_words[0].suggestions[0], original);
        assert!(r.corrections.iter().all(|c| c.position == 5));
        assert!(r.corrections.iter().any(|c| c.replacement == original));
        // About one word in 16 passes a 4-bit checksum.
        assert!(
            (40..300).contains(&r.corrections.len()),
            "{}",
            r.corrections.len()
        );
    }

    #[test]
    fn every_correction_really_is_valid() {
        let mut w = words_of(Language::English, &[0x42; 32]);
        w[10] = "zoo".into();
        let r = check_mnemonic(&w.join(" ")).unwrap();
        assert_eq!(r.checksum_valid, Some(false));
        assert!(!r.corrections.is_empty());
        for c in &r.corrections {
            let mut fixed = w.clone();
            fixed[c.position - 1].clone_from(&c.replacement);
            assert_eq!(
                check_mnemonic(&fixed.join(" ")).unwrap().checksum_valid,
                Some(true)
            );
        }
    }

    #[test]
    fn chinese_without_spaces_and_a_traditional_character() {
        let simplified = words_of(Language::ChineseSimplified, &[0x5a; 16]);
        let traditional = words_of(Language::ChineseTraditional, &[0x5a; 16]);
        let differs = (0..12).find(|&i| simplified[i] != traditional[i]).unwrap();
        let mut mixed = simplified.clone();
        mixed[differs].clone_from(&traditional[differs]);
        let r = check_mnemonic(&mixed.concat()).unwrap();
        assert_eq!(r.language, Some(Language::ChineseSimplified));
        assert_eq!(r.unknown_words.len(), 1);
        assert_eq!(
            r.unknown_words[0].suggestions,
            vec![simplified[differs].clone()]
        );
        assert_eq!(
            r.other_language_words[0].languages,
            vec![Language::ChineseTraditional]
        );
    }

    #[test]
    fn japanese_without_spaces_is_segmented() {
        let w = words_of(Language::Japanese, &[0x33; 16]);
        let r = check_mnemonic(&w.concat()).unwrap();
        assert_eq!(r.word_count, 12);
        assert_eq!(r.language, Some(Language::Japanese));
        assert_eq!(r.checksum_valid, Some(true));
    }

    #[test]
    fn a_misspelled_word_in_a_separated_japanese_phrase_stays_one_word() {
        let mut w = words_of(Language::Japanese, &[0x33; 16]);
        w[3].push('ぬ');
        let r = check_mnemonic(&w.join("\u{3000}")).unwrap();
        assert_eq!(r.word_count, 12);
        assert_eq!(r.unknown_words.len(), 1);
        assert_eq!(r.unknown_words[0].position, 4);
    }

    #[test]
    fn limits_are_typed_errors() {
        assert_eq!(check_mnemonic(""), Err(CheckError::Empty));
        assert_eq!(check_mnemonic(" 1. 2) ,\n"), Err(CheckError::Empty));
        assert_eq!(
            check_mnemonic(&"zoo ".repeat(49)),
            Err(CheckError::TooManyWords { count: 49, max: 48 })
        );
        assert!(matches!(
            check_mnemonic(&"a".repeat(MAX_INPUT_BYTES + 1)),
            Err(CheckError::TooLarge { .. })
        ));
    }

    #[test]
    fn nothing_known_has_no_language() {
        let r = check_mnemonic("qqqq wwww").unwrap();
        assert_eq!(r.language, None);
        assert_eq!(r.unknown_words.len(), 2);
    }

    #[test]
    fn debug_shows_no_words() {
        let r = check_mnemonic("legal winner thank year wave sausage").unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("legal") && !dbg.contains("sausage"), "{dbg}");
        assert!(dbg.contains("word_count: 6"));
    }
}
