//! Finding recovery phrases in free text.
//!
//! # How a phrase is recognised
//! 1. The text is split into tokens ([`crate::text::tokenize`]); runs of kana and Hangul are
//!    segmented into wordlist words by dynamic programming, since users often leave out spaces.
//!    Words are cut only where a syllable starts, so composed (NFC: phones send Hangul as
//!    precomposed syllables) and decomposed (NFKD, as BIP39 stores the lists) input segment
//!    alike. A short Hangul token that is a list word plus a particle or ending ("문구는",
//!    "단어입니다") is one prose word, not a phrase word. Numbers (`1.`, `2)`) are skipped: they
//!    are how users number their words.
//! 2. For each of the ten languages, a 12-word window qualifies when at least 10 of its words
//!    are in that language's list ("density"), so one or two misspelled or unknown words do not
//!    hide a phrase. Qualifying windows are joined into runs; misses at a run's edges are
//!    dropped, then words next to the run that look like misspellings of list words (same first
//!    four letters, or at most two edits away) are taken back in.
//! 3. Ordinary prose is rejected before anything is reported:
//!    * Latin scripts: English prose almost never has 10 wordlist words out of 12 in a row; a
//!      run is still rejected when it repeats words more than a random phrase would, or when
//!      its misses are common function words ("the", "and"…), or a quarter of its words are
//!      common ones (a third behind a label), unless it has a valid checksum, a list-like
//!      layout or a label such as "seed phrase" just before it. A common word standing alone
//!      between list separators is a list item (a misspelled word), not a sentence.
//!    * Chinese: ~99% of the characters in ordinary Chinese prose are in the Chinese wordlists,
//!      so density says nothing. Characters separated by spaces, commas or numbers are a list,
//!      not prose. Characters written together are a phrase only where adjacent characters
//!      almost never sit side by side inside a word (`data/zh_pairs.txt`, every adjacent pair
//!      in jieba's words of 2–4 characters: in Debian's Chinese docs and the seed article no
//!      12-character window holds 2 or fewer such pairs and is as rare as below, while 98.8% of
//!      random phrases do, and 99.8% hold 3 or fewer, the allowance when the checksum is valid
//!      or the characters are very rare; 4 with both), characters are not repeated as prose
//!      repeats them, and they are as rare as uniformly drawn ones (the lists are ordered by
//!      frequency). Windows are 12 characters, or a shorter stretch of one layout with at least
//!      10 list characters between two changes of layout (a phrase whose misspelled first
//!      characters end the run, followed on the next line by a sentence). Characters written
//!      together must, besides, not hold more evidence for prose than uniform draws do
//!      (`ZH_MAX_PROSE_BITS`): a log-likelihood ratio, in bits, of ordinary Chinese against 12
//!      uniform draws, from jieba's character frequencies (`data/zh_chars.txt`) and the mutual
//!      information of the word pairs (`data/zh_pairs.txt`, also in traditional forms). This is
//!      what turns away everyday sentences around a rare name or a drug's name, which the pair
//!      count and mean rank let through in ~0.5% of real reviews, forum posts, news and chats.
//! 4. The edges: a label in front of the run ("recovery phrase:", "복구 단어:", "seed words")
//!    is dropped — label words at its start (some are list words: "phrase", "seed", "문구"), and
//!    everything up to a colon among its first words when no colon separates the rest. A valid
//!    checksum over a window of a valid length pins the phrase: up to two extra words are
//!    dropped anyway, and up to four on a side where they show themselves as the sentence
//!    around the phrase (a common or label word, a word that is in no list and no misspelling
//!    of one, or another layout: "phrase: … please help", "seed words below\n…"). The marker
//!    then counts the phrase's words, not its neighbours'.
//! 5. The BIP39 checksum raises confidence; it is never required.
//!
//! # How much of a phrase is a secret
//! Users also send parts of a phrase ("I lost the last two words… my first 10 words are …"). Each
//! word carries 11 bits; the last word of a 12-word phrase carries 4 bits of checksum, which
//! rejects all but one candidate in 16. With `k` of 12 words known in their places, an attacker
//! tries `2^(11·(12−k) − 4)` phrases (each a PBKDF2 of 2048 rounds, then an address
//! derivation): 10 words leave 2^18 (seconds), 9 leave 2^29 (minutes on a GPU), 8 leave 2^40
//! (about 10^12: days to weeks for a rented GPU farm, against a wallet worth it), 7 leave 2^51.
//! So any run of at least `MIN_RUN` = 8 list words of one language in a row is removed, not
//! only 12-word windows; below 8 words the fragment is both much less useful and too common in
//! ordinary prose (English has 2048 list words) to be told apart. Such a part-run (8–11 words,
//! with no 12-word window of 10 list words around it) must look drawn at random: no word
//! repeated and no common word (one behind a label), since no checksum can back it. Chinese
//! written together keeps its 10-of-12 windows: its part-runs would need the pair statistics
//! of step 3 at a shorter length.
//!
//! A phrase broken up is removed piece by piece, each marker counting its own words, and what
//! breaks it up stays: two halves under their own labels ("first half: …\nsecond half: …":
//! up to three words between a line break and a colon inside a run are a label), and pieces
//! of at least 4 list words that are not common words, separated by asides of at most 6 words
//! ("… battle (I think) anchor …"), when the pieces hold at least 12 distinct words together.
//! Inside a run, an aside is a stretch of words in no list that are common words or no
//! misspelling of a list word, or — in a phrase written with spaces — a stretch of at most 6
//! words set off by commas, brackets or dashes that holds such a word (", not sure about this
//! one,"); the run is cut there when 4 words stay on each side. Misspelled words next to a cut
//! are not taken in, and nothing is taken in across a bracket.
//!
//! A phrase written with joiners ("abandon-ability-able-…", "abandon.ability.…",
//! "abandon/ability/…") is read as a list: a joiner between two words normally makes them one
//! identifier, path or compound (a hard gap), but a chain of at least 8 words all joined by
//! the same joiner, all list words of one language but at most one, is a phrase.

use crate::bip39;
use crate::redact::{Finding, SecretKind};
use crate::text::{Script, Token, for_each_token};
use crate::wordlist::{
    FNV_OFFSET, FNV_PRIME, Language, Wordlist, lookup_han_code, lookup_key, lookup_merged,
    lookup_merged_bytes, lookup_merged_han, merged_hits,
};
use unicode_normalization::UnicodeNormalization;

/// Adjacent character pairs inside Chinese words (`data/zh_pairs.txt`), as sorted
/// little-endian `u64` keys: first char << 32 | second char << 8 | the pair's byte, its
/// pointwise mutual information in jieba's dictionary in whole bits (0 when not above chance),
/// with [`ZH_PAIR_VARIANT`] set for the traditional forms of jieba's (simplified) pairs. One
/// table rather than keys and figures apart: a search reads one place in memory.
static ZH_PAIRS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/zh_pairs.bin"));
// `ZH_UNIGRAM_CENTIBITS`: for the simplified and the traditional list, in index order,
// log2(2048 · p) in hundredths of a bit, where p is the character's frequency in jieba's
// dictionary (`data/zh_chars.txt`).
include!(concat!(env!("OUT_DIR"), "/zh_unigram.rs"));

const WINDOW: usize = 12;
const MIN_HITS: usize = 10;
/// The fewest list words in a row that are removed as (part of) a phrase: see "How much of a
/// phrase is a secret" in the module docs.
const MIN_RUN: usize = 8;
const LATIN: [Language; 6] = [
    Language::English,
    Language::Spanish,
    Language::French,
    Language::Italian,
    Language::Czech,
    Language::Portuguese,
];

/// The space between two words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Nothing: the words touch (CJK written without separators).
    None,
    /// Only spaces or tabs.
    Space,
    /// A newline, comma, number, quote or other list-like separator.
    List,
    /// Too much in between for the two words to belong to one phrase.
    Hard,
}

/// A lexeme's byte positions are `u32`: `find_phrases` only sees texts of at most
/// [`crate::MAX_INPUT_BYTES`] (checked before it is called). Chinese prose is one lexeme per
/// character, and every pass reads them all: 16 bytes instead of 32 is that much less memory
/// streamed through the cache by each pass over a 4 MiB text.
#[derive(Debug, Clone, Copy)]
struct Lexeme {
    start: u32,
    end: u32,
    script: Script,
    /// Bit `i` set when the word is in `Language::ALL[i]`'s list.
    hits: u16,
    /// 1 + the word's position in the merged build-time table (`MERGED_HITS`), which holds its
    /// index in every list, or 0: a pointer rather than a copy of ten indices keeps a lexeme
    /// small (Chinese prose is one lexeme per character). With [`Lexeme::OWN`], instead, the
    /// word's index in its one list: a piece of a kana or Hangul token (those are segmented
    /// against one list, not looked up in the merged table).
    entry: u16,
    gap_before: Gap,
    /// The joiner (`-`, `.`, `_`, `/`) that alone stands before the word, glued to both words.
    joiner: u8,
    /// [`Lexeme::STOP`], [`Lexeme::PIECE`], [`Lexeme::OWN`].
    flags: u8,
}

const _: () = assert!(crate::MAX_INPUT_BYTES <= u32::MAX as usize);
const _: () = assert!(std::mem::size_of::<Lexeme>() == 16);

/// A byte position as a lexeme holds it (see [`Lexeme`]).
#[inline]
fn pos32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Lexeme {
    /// A common English word (see [`STOPWORDS`]).
    const STOP: u8 = 1;
    /// One of several pieces of a kana or Hangul token (a miss here is part of a misspelled
    /// word, not a word of its own).
    const PIECE: u8 = 2;
    /// `entry` is the word's index in its one list (see [`Lexeme::entry`]).
    const OWN: u8 = 4;

    /// A common English word (see [`STOPWORDS`]).
    #[inline]
    fn stop(&self) -> bool {
        self.flags & Self::STOP != 0
    }

    fn set_stop(&mut self, stop: bool) {
        self.flags = self.flags & !Self::STOP | if stop { Self::STOP } else { 0 };
    }

    /// One of several pieces of a kana or Hangul token.
    #[inline]
    fn piece(&self) -> bool {
        self.flags & Self::PIECE != 0
    }

    /// The word's first byte.
    #[inline]
    fn start(&self) -> usize {
        self.start as usize
    }

    /// The byte after the word.
    #[inline]
    fn end(&self) -> usize {
        self.end as usize
    }

    fn hit(&self, li: usize) -> bool {
        self.hits >> li & 1 == 1
    }

    /// The word's index in list `li`; 0 where it is not in that list.
    #[inline]
    fn index(&self, li: usize) -> u16 {
        if !self.hit(li) {
            return 0;
        }
        if self.flags & Self::OWN != 0 {
            return self.entry;
        }
        merged_hits(self.entry).1.get(li).copied().unwrap_or(0)
    }
}

/// Every recovery phrase in `text`.
pub(crate) fn find_phrases(text: &str) -> Vec<Finding> {
    let lexemes = lexemes(text);
    // Where each language's words are, in one pass: the passes below look only there, not at
    // every lexeme (a Spanish word in a mebibyte of Chinese is one position, not a scan). Every
    // run holds at least `MIN_RUN` words of its language: a language with fewer in the whole
    // text has none, and its passes are skipped.
    // The Chinese lists are not listed by position (nearly every character of Chinese text is
    // in both): their runs are looked for only around the windows that `ZhCandidates` leaves.
    let mut positions: [Vec<u32>; 10] = Default::default();
    let mut chinese_words = 0usize;
    for (i, l) in lexemes.iter().enumerate() {
        if l.hits & CHINESE_MASK != 0 {
            chinese_words += 1;
        }
        let mut rest = l.hits & !CHINESE_MASK;
        while rest != 0 {
            if let Some(p) = positions.get_mut(rest.trailing_zeros() as usize) {
                p.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
            rest &= rest - 1;
        }
    }
    let zh = (chinese_words >= MIN_RUN).then(|| ZhCandidates::of(&lexemes));
    let mut out = Vec::new();
    let mut pairs = PairCache::new(lexemes.len());
    for (li, lang) in Language::ALL.into_iter().enumerate() {
        let hits = &positions[li];
        let wl = lang.wordlist();
        let (found_runs, candidates) = match (&zh, zh_table(li)) {
            (Some(zh), Some(table)) => {
                let starts = &zh.starts[table];
                (
                    runs_around(&lexemes, li, starts.iter().map(|&(s, _)| s as usize)),
                    starts.as_slice(),
                )
            }
            (None, Some(_)) => continue,
            _ if hits.len() < MIN_RUN => continue,
            _ => (runs(&lexemes, li, hits), &[][..]),
        };
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (a, b) in found_runs {
            for (a, b) in accept(text, &lexemes, li, wl, &mut pairs, candidates, a, b) {
                taken.push((a, b));
                let mut parts = split_at_inner_labels(text, &lexemes, a, b);
                if !lang.is_chinese() {
                    parts = parts
                        .into_iter()
                        .flat_map(|(a, b)| split_at_asides(text, &lexemes, li, wl, a, b))
                        .collect();
                }
                let (run_a, run_b) = (a, b);
                for (pa, pb) in parts {
                    let (a, b) = drop_label(text, &lexemes, li, pa, pb);
                    let (wa, wb) = widen(text, &lexemes, li, wl, a, b);
                    // Where the run was split, the words left out (a label, an aside) stay out.
                    let (a, b) = (
                        if pa == run_a { wa } else { a },
                        if pb == run_b { wb } else { b },
                    );
                    // A valid checksum pins the phrase down: the extra words are list words of
                    // the sentence around it ("phrase: … please help").
                    let (a, b) = checksum_pin(text, &lexemes, li, a, b).unwrap_or((a, b));
                    out.push(finding(text, &lexemes, li, wl, a, b));
                }
            }
        }
        if !lang.is_chinese() {
            for (a, b) in pieces_around_asides(text, &lexemes, li, hits, &taken) {
                out.push(finding(text, &lexemes, li, wl, a, b));
            }
        }
    }
    // Most characters are in both Chinese lists: where one list's checksum pins a phrase, the
    // other list's run around it (which took a neighbouring character of the first list for a
    // misspelling, "助记词 败 … 勾") says nothing more.
    let pinned: Vec<Finding> = out
        .iter()
        .filter(|f| f.checksum_valid == Some(true) && f.language.is_some_and(Language::is_chinese))
        .cloned()
        .collect();
    out.retain(|f| {
        f.checksum_valid == Some(true)
            || !f.language.is_some_and(Language::is_chinese)
            || !pinned.iter().any(|p| {
                f.start <= p.start
                    && p.end <= f.end
                    && f.words.unwrap_or(0) <= p.words.unwrap_or(0) + 2
            })
    });
    out
}

// ---------------------------------------------------------------------------------------------
// Lexemes

fn lexemes(text: &str) -> Vec<Lexeme> {
    let markers = super::marker_spans(text);
    let mut lx = LexemeBuilder {
        text,
        markers: &markers,
        next_marker: 0,
        // About one lexeme per Han character (3 bytes) or per short Latin word.
        out: Vec::with_capacity(text.len() / 3 + 1),
        prev_end: 0,
        pending_gap: Gap::None,
        after_digits: false,
        joiners: Vec::new(),
        gap_memo: Vec::new(),
    };
    // Runs of Han characters of the main CJK block are most of Chinese text: each character after
    // the first of a run touches the one before, so its lexeme is built here in a few steps,
    // without the tokenizer. Tokens never span a Han character (each is a token of its own, and
    // ends the token before it), so the text between such runs is tokenized piece by piece with
    // the same tokens as a whole.
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while let Some(next) = next_main_block_han(bytes, i) {
        i = next;
        if let Some(before) = text.get(from..i) {
            for_each_token(before, |tok| {
                lx.token(Token {
                    script: tok.script,
                    start: tok.start + from,
                    end: tok.end + from,
                });
            });
        }
        // The run's first character goes the general way (a gap, a marker, numbering before
        // it); the others follow it with no gap, inside the same marker if it is in one (a
        // marker ends in `]`, which ends the run).
        lx.token(Token {
            script: Script::Han,
            start: i,
            end: i + 3,
        });
        if lx.pending_gap == Gap::Hard {
            // Inside a marker.
            loop {
                i += 3;
                if main_block_han(bytes, i).is_none() {
                    break;
                }
                lx.token(Token {
                    script: Script::Han,
                    start: i,
                    end: i + 3,
                });
            }
        } else {
            let out = &mut lx.out;
            let first_end = i + 3;
            loop {
                i += 3;
                let Some(code) = main_block_han(bytes, i) else {
                    break;
                };
                let (hits, entry) = lookup_han_code(code).unwrap_or((0, 0));
                out.push(Lexeme {
                    start: pos32(i),
                    end: pos32(i + 3),
                    script: Script::Han,
                    hits: hits & CHINESE_MASK,
                    entry,
                    gap_before: Gap::None,
                    joiner: 0,
                    flags: 0,
                });
            }
            if i > first_end {
                // What the builder would hold after the run's last character as a token.
                lx.after_digits = false;
                lx.prev_end = i;
            }
        }
        from = i;
    }
    if let Some(rest) = text.get(from..) {
        for_each_token(rest, |tok| {
            lx.token(Token {
                script: tok.script,
                start: tok.start + from,
                end: tok.end + from,
            });
        });
    }
    let mut out = lx.out;
    rejoin_joined_phrases(&mut out, &lx.joiners);
    out
}

/// The position of the first Han character of the CJK Unified Ideographs block at or after
/// `from`. Its first byte is 0xE4–0xE9, which is never the second or third byte of a UTF-8
/// sequence, so the bytes are searched directly, eight at a time while they are all ASCII.
fn next_main_block_han(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if u64::from_le_bytes(word) & HIGH_BITS == 0 {
            i += 8;
            continue;
        }
        for j in i..i + 8 {
            if main_block_han(bytes, j).is_some() {
                return Some(j);
            }
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| main_block_han(bytes, j).is_some())
}

/// The code point of the Han character of the CJK Unified Ideographs block (U+4E00–U+9FFF)
/// whose three UTF-8 bytes start at `i`, if one does.
#[inline]
fn main_block_han(bytes: &[u8], i: usize) -> Option<u32> {
    let &[b0, b1, b2] = bytes.get(i..i + 3)? else {
        return None;
    };
    if !(0xE4..=0xE9).contains(&b0) {
        return None;
    }
    let code = (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
    (0x4E00..=0x9FFF).contains(&code).then_some(code)
}

/// Turns tokens, in order, into lexemes: the gap before each word, numbering, markers left by
/// an earlier redaction, kana and Hangul segmented into list words.
struct LexemeBuilder<'a> {
    text: &'a str,
    markers: &'a [(usize, usize)],
    /// The first marker that does not end before the tokens seen so far.
    next_marker: usize,
    out: Vec<Lexeme>,
    prev_end: usize,
    pending_gap: Gap,
    after_digits: bool,
    /// The lexemes that have a joiner, in order (see [`rejoin_joined_phrases`]).
    joiners: Vec<usize>,
    /// Three-byte gaps met so far and how they were judged (a few kinds of punctuation make up
    /// nearly all gaps of Chinese text).
    gap_memo: Vec<([u8; 3], Gap, bool)>,
}

impl LexemeBuilder<'_> {
    fn token(&mut self, tok: Token) {
        let text = self.text;
        while self
            .markers
            .get(self.next_marker)
            .is_some_and(|m| m.1 <= tok.start)
        {
            self.next_marker += 1;
        }
        if self
            .markers
            .get(self.next_marker)
            .is_some_and(|m| m.0 <= tok.start && tok.start < m.1)
        {
            self.pending_gap = Gap::Hard;
            self.prev_end = tok.end;
            return;
        }
        let gap_bytes = text.as_bytes().get(self.prev_end..tok.start).unwrap_or(&[]);
        // Most gaps are nothing (Chinese) or one space (English): no need to look inside.
        let (kind, joint_or_end) = match gap_bytes {
            [] => (Gap::None, false),
            [b' '] => (Gap::Space, false),
            _ if gap_bytes.len() <= 24 && gap_bytes.is_ascii() => ascii_gap(gap_bytes),
            // One character of three bytes: Chinese punctuation ("，", "。"), judged once per
            // text and character.
            &[b0, b1, b2] => {
                let key = [b0, b1, b2];
                if let Some(&(_, kind, end)) = self.gap_memo.iter().find(|m| m.0 == key) {
                    (kind, end)
                } else {
                    let gap_text = text.get(self.prev_end..tok.start).unwrap_or("");
                    let judged = (
                        gap_kind(gap_text),
                        is_code_joint(gap_text) || ends_sentence(gap_text),
                    );
                    if self.gap_memo.len() < 8 {
                        self.gap_memo.push((key, judged.0, judged.1));
                    }
                    judged
                }
            }
            _ => {
                let gap_text = text.get(self.prev_end..tok.start).unwrap_or("");
                (
                    gap_kind(gap_text),
                    is_code_joint(gap_text) || ends_sentence(gap_text),
                )
            }
        };
        let mut gap = worst(self.pending_gap, kind);
        if !self.after_digits && joint_or_end {
            // `resource_name`, `file.read`, `libs/boost`, `define-module`: parts of one
            // identifier, path or compound, never separate words of a phrase.
            gap = Gap::Hard;
        }
        self.after_digits = tok.script == Script::Digits;
        if tok.script == Script::Digits {
            // Numbering: "1. abandon 2) ability".
            self.pending_gap = worst(
                gap,
                if tok.end - tok.start <= 3 {
                    Gap::List
                } else {
                    Gap::Hard
                },
            );
            self.prev_end = tok.end;
            return;
        }
        self.pending_gap = Gap::None;
        self.prev_end = tok.end;
        let out = &mut self.out;
        match tok.script {
            Script::Kana => segment(text, tok, Language::Japanese, KANA_MAX_CHARS, gap, out),
            Script::Hangul => segment(text, tok, Language::Korean, HANGUL_MAX_CHARS, gap, out),
            _ => {
                let mut lx = if tok.script == Script::Han {
                    han_lexeme(text, tok, gap)
                } else {
                    lexeme(text, tok, gap)
                };
                if let [j @ (b'-' | b'.' | b'_' | b'/')] = gap_bytes {
                    lx.joiner = *j;
                    self.joiners.push(out.len());
                }
                out.push(lx);
            }
        }
    }
}

/// The lexeme of a Han character: [`lexeme`] for the one token that makes up most of Chinese
/// text, read straight from its three UTF-8 bytes in the main CJK block.
#[inline]
fn han_lexeme(text: &str, tok: Token, gap: Gap) -> Lexeme {
    let found = match text.as_bytes().get(tok.start..tok.end) {
        Some(&[b0, b1, b2]) => lookup_han_code(
            (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F),
        ),
        _ => tok.text(text).chars().next().and_then(lookup_merged_han),
    };
    let (hits, entry) = found.unwrap_or((0, 0));
    Lexeme {
        start: pos32(tok.start),
        end: pos32(tok.end),
        script: Script::Han,
        hits: hits & CHINESE_MASK,
        entry,
        gap_before: gap,
        joiner: 0,
        flags: 0,
    }
}

/// Turns the hard gaps inside a phrase written with joiners ("abandon-ability-able-…",
/// "abandon.ability.…", "abandon/ability/…") into list gaps. An identifier, a path or a
/// compound joins a few words, of which few are list words of one language; a phrase joins at
/// least `MIN_RUN` list words of one language, every one with the same joiner, and at most one
/// other word (a misspelling).
///
/// `joiners` lists the lexemes that have a joiner, in order: the walk jumps from one to the
/// next (a lexeme without one starts no chain).
fn rejoin_joined_phrases(lx: &mut [Lexeme], joiners: &[usize]) {
    let mut i = 0;
    let mut next = 0;
    while i < lx.len() {
        while joiners.get(next).is_some_and(|&k| k < i + 1) {
            next += 1;
        }
        let Some(&k) = joiners.get(next) else {
            break;
        };
        i = k - 1;
        let j = lx.get(i + 1).map_or(0, |l| l.joiner);
        let mut end = i + 1;
        while j != 0 && end < lx.len() && lx[end].joiner == j && lx[end].gap_before == Gap::Hard {
            end += 1;
        }
        if end - i < MIN_RUN {
            i = end;
            continue;
        }
        let chain = &lx[i..end];
        let most_in_one_list = (0..Language::ALL.len())
            .map(|li| chain.iter().filter(|l| l.hit(li)).count())
            .max()
            .unwrap_or(0);
        if chain.len() >= MIN_RUN
            && most_in_one_list >= MIN_RUN
            && most_in_one_list + 1 >= chain.len()
        {
            for l in &mut lx[i + 1..end] {
                l.gap_before = Gap::List;
            }
        }
        i = end;
    }
}

fn worst(a: Gap, b: Gap) -> Gap {
    let rank = |g: Gap| match g {
        Gap::None => 0,
        Gap::Space => 1,
        Gap::List => 2,
        Gap::Hard => 3,
    };
    if rank(a) >= rank(b) { a } else { b }
}

/// Whether `gap` joins two words into one token-like thing (no space, and a joiner such as
/// `_ . / - = :` rather than a list separator such as a comma).
fn is_code_joint(gap: &str) -> bool {
    const LIST_SEPARATORS: [char; 12] = [
        ',', '，', '、', ';', '；', '|', '"', '\'', '“', '”', '「', '」',
    ];
    !gap.is_empty()
        && !gap.chars().any(char::is_whitespace)
        && gap.chars().any(|c| !LIST_SEPARATORS.contains(&c))
}

/// Whether `gap` ends a sentence ("order? ski", "done. Then"): a phrase does not run across it.
/// (After a number, "1. abandon", the full stop is numbering and this is not asked.)
fn ends_sentence(gap: &str) -> bool {
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        let sentence_end =
            matches!(c, '.' | '?' | '!') && chars.peek().is_some_and(|n| n.is_whitespace());
        if sentence_end || matches!(c, '。' | '？' | '！') {
            return true;
        }
    }
    false
}

/// [`gap_kind`] and whether [`is_code_joint`] or [`ends_sentence`] holds, for a gap of at most
/// 24 ASCII bytes (most gaps of English text: ", ", ". ", "\n"), in one pass over its bytes.
fn ascii_gap(gap: &[u8]) -> (Gap, bool) {
    // `char::is_whitespace` on ASCII.
    let white = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ');
    let (mut newlines, mut all_space, mut any_white, mut any_joiner, mut sentence_end) =
        (0usize, true, false, false, false);
    for (i, &b) in gap.iter().enumerate() {
        newlines += usize::from(b == b'\n');
        all_space &= b == b' ' || b == b'\t';
        any_white |= white(b);
        any_joiner |= !matches!(b, b',' | b';' | b'|' | b'"' | b'\'');
        sentence_end |=
            matches!(b, b'.' | b'?' | b'!') && gap.get(i + 1).is_some_and(|&n| white(n));
    }
    let kind = if gap.is_empty() {
        Gap::None
    } else if newlines > 2 {
        Gap::Hard
    } else if all_space {
        Gap::Space
    } else {
        Gap::List
    };
    let code_joint = !gap.is_empty() && !any_white && any_joiner;
    (kind, code_joint || sentence_end)
}

fn gap_kind(gap: &str) -> Gap {
    if gap.is_empty() {
        return Gap::None;
    }
    if gap.len() > 24 || gap.matches('\n').count() > 2 {
        return Gap::Hard;
    }
    if gap
        .chars()
        .all(|c| c == ' ' || c == '\t' || c == '\u{3000}')
    {
        Gap::Space
    } else {
        Gap::List
    }
}

/// The lists a Latin word is looked up in: bits of [`Language::ALL`] positions.
const LATIN_MASK: u16 = lang_mask(&LATIN);
/// The lists a Han character is looked up in.
const CHINESE_MASK: u16 = lang_mask(&[Language::ChineseSimplified, Language::ChineseTraditional]);

const fn lang_mask(langs: &[Language]) -> u16 {
    let mut mask = 0u16;
    let mut i = 0;
    while i < langs.len() {
        let mut li = 0;
        while li < Language::ALL.len() {
            if Language::ALL[li] as u8 == langs[i] as u8 {
                mask |= 1 << li;
            }
            li += 1;
        }
        i += 1;
    }
    mask
}

/// The longest Latin word that is looked up, in bytes.
const MAX_LATIN_BYTES: usize = 40;

/// A token and its list hits. Each token is looked up once, in the merged table of all lists
/// ([`crate::wordlist::lookup_merged`]): every Latin list folds accents, so a Latin word has one
/// key for all six; a Han character is its own key. A plain ASCII word (most of them) is
/// lower-cased on the stack, without the allocation and NFKD pass of [`lookup_key`], which
/// gives the same key for ASCII.
fn lexeme(text: &str, tok: Token, gap: Gap) -> Lexeme {
    let mut lx = Lexeme {
        start: pos32(tok.start),
        end: pos32(tok.end),
        script: tok.script,
        hits: 0,
        entry: 0,
        gap_before: gap,
        joiner: 0,
        flags: 0,
    };
    let word = tok.text(text);
    if tok.script == Script::Alpha && word.len() <= MAX_LATIN_BYTES {
        // Most words of most texts: ASCII letters, lower-cased and hashed in one pass on the
        // stack (the key that `lookup_key` gives for ASCII).
        let mut buf = [0u8; MAX_LATIN_BYTES];
        let mut hash = FNV_OFFSET;
        let mut ascii = true;
        // `stopword_key` of the word, built along (an alphabetic word holds no NUL).
        let mut stop_key = 0u64;
        for (i, (d, &b)) in buf.iter_mut().zip(word.as_bytes()).enumerate() {
            let lower = b.to_ascii_lowercase();
            *d = lower;
            hash = (hash ^ u32::from(lower)).wrapping_mul(FNV_PRIME);
            ascii &= b.is_ascii();
            if i < STOPWORD_MAX {
                stop_key |= u64::from(lower) << (8 * i);
            }
        }
        if ascii {
            lx.set_stop(
                word.len() <= STOPWORD_MAX && STOPWORD_KEYS.binary_search(&stop_key).is_ok(),
            );
            if word.len() >= 3
                && let Some((hits, entry)) = lookup_merged_bytes(&buf[..word.len()], hash)
            {
                lx.hits = hits & LATIN_MASK;
                lx.entry = entry;
            }
            return lx;
        }
    }
    if tok.script == Script::Han {
        // Most lexemes of Chinese text: one character, looked up by code point; never a
        // stopword.
        if let Some((hits, entry)) = word.chars().next().and_then(lookup_merged_han) {
            lx.hits = hits & CHINESE_MASK;
            lx.entry = entry;
        }
        return lx;
    }
    let mut buf = [0u8; MAX_LATIN_BYTES];
    let ascii_lower = (tok.script == Script::Alpha && word.is_ascii() && word.len() <= buf.len())
        .then(|| {
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).ok()
        })
        .flatten();
    lx.set_stop(tok.script == Script::Alpha && is_stopword(word));
    let found = match tok.script {
        Script::Alpha if (3..=MAX_LATIN_BYTES).contains(&word.len()) => match ascii_lower {
            Some(key) => lookup_merged(key),
            None => lookup_merged(&lookup_key(Language::English, word)),
        }
        .map(|e| (e, LATIN_MASK)),
        Script::Han => word
            .chars()
            .next()
            .and_then(lookup_merged_han)
            .map(|e| (e, CHINESE_MASK)),
        _ => None,
    };
    if let Some(((hits, entry), mask)) = found {
        lx.hits = hits & mask;
        lx.entry = entry;
    }
    lx
}

fn lang_index(lang: Language) -> usize {
    Language::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// The longest Japanese list word, in characters (NFC).
pub(crate) const KANA_MAX_CHARS: usize = 10;
/// The longest Korean list word, in syllables.
pub(crate) const HANGUL_MAX_CHARS: usize = 6;

/// Splits a kana or Hangul token into wordlist words and emits them as lexemes.
fn segment(
    text: &str,
    tok: Token,
    lang: Language,
    max_chars: usize,
    gap: Gap,
    out: &mut Vec<Lexeme>,
) {
    let li = lang_index(lang);
    let pieces = segment_run(text, tok, lang, max_chars);
    if lang == Language::Korean && is_inflected_korean(text, &pieces) {
        // "문구는" (문구 + the topic particle): a prose word that holds a list word, not a
        // phrase word. It is one miss, marked common so that it never passes for a typo.
        out.push(Lexeme {
            start: pos32(tok.start),
            end: pos32(tok.end),
            script: tok.script,
            hits: 0,
            entry: 0,
            gap_before: gap,
            joiner: 0,
            flags: Lexeme::STOP,
        });
        return;
    }
    let several = pieces.len() > 1;
    for (i, (start, end, w)) in pieces.into_iter().enumerate() {
        let mut lx = Lexeme {
            start: pos32(start),
            end: pos32(end),
            script: tok.script,
            hits: 0,
            entry: 0,
            gap_before: if i == 0 { gap } else { Gap::None },
            joiner: 0,
            flags: if several { Lexeme::PIECE } else { 0 },
        };
        if let Some(w) = w {
            lx.hits = 1 << li;
            lx.entry = w;
            lx.flags |= Lexeme::OWN;
        }
        out.push(lx);
    }
}

/// The syllables that begin Korean particles and verb endings (는, 은, 이, 가, 을, 를, 에, 의,
/// 도, 와, 과, 로, 으로, 입니다, 이에요, 예요, 요, 만, 랑, 하다, 했어요…).
const KOREAN_PARTICLE_STARTS: [char; 24] = [
    '는', '은', '이', '가', '을', '를', '에', '의', '도', '와', '과', '로', '으', '입', '예', '요',
    '야', '만', '랑', '하', '해', '했', '한', '께',
];

/// Whether a short Hangul token is a list word followed by a particle or ending (문구는,
/// 단어입니다): its pieces are list words, then one unmatched piece of 1–3 syllables that starts
/// like a particle. A phrase word is never written so; a misspelled one rarely ends so by chance
/// (24 of 11 172 syllables).
fn is_inflected_korean(text: &str, pieces: &[(usize, usize, Option<u16>)]) -> bool {
    let Some(((last_start, last_end, None), words)) = pieces.split_last() else {
        return false;
    };
    let tail = text.get(*last_start..*last_end).unwrap_or("");
    let syllables = tail.chars().filter(|&c| !continues_syllable(c)).count();
    !words.is_empty()
        && words.len() <= 2
        && words.iter().all(|p| p.2.is_some())
        && (1..=3).contains(&syllables)
        && tail
            .nfc()
            .next()
            .is_some_and(|c| KOREAN_PARTICLE_STARTS.contains(&c))
}

/// Splits a kana or Hangul run into wordlist words, maximising the characters covered.
/// Returns `(start, end, word index)` in order, byte offsets into `text`; consecutive
/// uncovered characters form one piece with no index (a miss).
pub(crate) fn segment_run(
    text: &str,
    tok: Token,
    lang: Language,
    max_chars: usize,
) -> Vec<(usize, usize, Option<u16>)> {
    let wl = lang.wordlist();
    let run = tok.text(text);
    // Syllable boundaries (byte offsets into `text`): decomposed input (NFKD, which BIP39
    // prescribes and some keyboards send) spells a Hangul syllable as two or three jamo and a
    // voiced kana as the kana and a combining mark; a word is cut only where a syllable starts,
    // so `max_chars` counts syllables in either form.
    let bounds: Vec<usize> = run
        .char_indices()
        .filter(|&(i, c)| i == 0 || !continues_syllable(c))
        .map(|(i, _)| tok.start + i)
        .chain(std::iter::once(tok.end))
        .collect();
    let n = bounds.len() - 1;
    // The lookup key of syllables `i..i + k` is the keys of its syllables one after the other
    // (see [`syllable_keys`]): each syllable is normalised once, into one buffer, and every
    // piece's key is a slice of it.
    let (keys, key_ends) = syllable_keys(text, lang, &bounds);
    let key_at = |i: usize| if i == 0 { 0 } else { key_ends[i - 1] };
    // best[i] = (covered chars, back pointer, word index if the step was a word)
    let mut best: Vec<(usize, usize, Option<u16>)> = vec![(0, 0, None); n + 1];
    for i in 0..n {
        let base = best[i].0;
        if best[i + 1].0 < base || (best[i + 1].0 == base && best[i + 1].1 < i) {
            best[i + 1] = (base, i, None);
        }
        for k in 1..=max_chars.min(n - i) {
            let key = keys.get(key_at(i)..key_ends[i + k - 1]).unwrap_or("");
            let (found, may_extend) = wl.index_of_key_or_longer(key);
            if let Some(w) = found
                && best[i + k].0 < base + k
            {
                best[i + k] = (base + k, i, Some(w));
            }
            if !may_extend {
                // The keys of longer pieces from `i` start with this one: none is a word.
                break;
            }
        }
    }
    // Walk back, then emit in order.
    let mut steps = Vec::new();
    let mut j = n;
    while j > 0 {
        let (_, from, w) = best[j];
        steps.push((from, j, w));
        j = from;
    }
    steps.reverse();
    let mut out = Vec::new();
    let mut miss_start: Option<usize> = None;
    for (s, e, w) in steps {
        match w {
            Some(_) => {
                if let Some(ms) = miss_start.take() {
                    out.push((bounds[ms], bounds[s], None));
                }
                out.push((bounds[s], bounds[e], w));
            }
            None => {
                miss_start.get_or_insert(s);
            }
        }
    }
    if let Some(ms) = miss_start {
        out.push((bounds[ms], bounds[n], None));
    }
    out
}

/// Whether `c` continues the syllable before it rather than starting one: a Hangul vowel or
/// final-consonant jamo, or a combining kana voicing mark.
/// The lookup keys ([`lookup_key`]) of the syllables between `bounds` (a kana or Hangul token
/// cut where each syllable starts), one after the other in one string, and where each ends.
///
/// The key of several syllables is their keys put together: a key is the NFKD form (kana and
/// Hangul have no case and no accents to fold), which maps each character on its own and then
/// reorders runs of combining marks by their class; the only combining marks that kana and
/// Hangul decompose to are the two kana voicing marks, U+3099 and U+309A, both of class 8
/// (checked over every character of those scripts by a test), so no reordering ever moves
/// anything and normalising piece by piece gives the same string as normalising the whole.
fn syllable_keys(text: &str, lang: Language, bounds: &[usize]) -> (String, Vec<usize>) {
    let mut keys = String::new();
    let mut ends = Vec::with_capacity(bounds.len().saturating_sub(1));
    for w in bounds.windows(2) {
        keys.push_str(&lookup_key(lang, text.get(w[0]..w[1]).unwrap_or("")));
        ends.push(keys.len());
    }
    (keys, ends)
}

fn continues_syllable(c: char) -> bool {
    matches!(c, '\u{1160}'..='\u{11FF}' | '\u{D7B0}'..='\u{D7FF}' | '\u{3099}' | '\u{309A}')
}

// ---------------------------------------------------------------------------------------------
// Runs

/// Maximal stretches of lexemes, with no hard gap inside, where every 12-word window that
/// covers them has at least 10 words of language `li`. Ends trimmed to hits. `hits` holds the
/// positions of the language's words, in order.
fn runs(lx: &[Lexeme], li: usize, hits: &[u32]) -> Vec<(usize, usize)> {
    // A run lies in one segment (see [`runs_around`]) and holds `MIN_RUN` list words within
    // `WINDOW` lexemes (a stretch of `MIN_RUN` in a row, or 10 of a 12-word window), so only the
    // segments where some `MIN_RUN` consecutive hits lie that close are looked at: every other
    // segment yields nothing. A hit is never a break.
    let seeds = hits
        .windows(MIN_RUN)
        .filter(|close| close[MIN_RUN - 1] - close[0] < WINDOW as u32)
        .map(|close| close[0] as usize);
    runs_around(lx, li, seeds)
}

/// The runs of language `li` in the segments that hold a lexeme of `seeds` (in order). A segment
/// with no seed must yield no run that matters: for a Latin list a run needs `MIN_RUN` of its
/// words within `WINDOW` lexemes ([`runs`] seeds with the first of each such cluster); for a
/// Chinese list the seeds are the starts of the only windows that can pass
/// ([`ZhCandidates`]). A seed that breaks runs itself is in no segment and is skipped.
fn runs_around(
    lx: &[Lexeme],
    li: usize,
    seeds: impl Iterator<Item = usize>,
) -> Vec<(usize, usize)> {
    let lang = Language::ALL[li];
    // The script a word of this language is written in; for CJK lists, a word in any other
    // script (an address, a Latin word) ends the run.
    let own_script = match lang {
        Language::ChineseSimplified | Language::ChineseTraditional => Some(Script::Han),
        Language::Japanese => Some(Script::Kana),
        Language::Korean => Some(Script::Hangul),
        _ => None,
    };
    // A lexeme that can never be part of a phrase in this language splits runs: a common English
    // word that is not a list word ("the", "is", "and") or a word in a foreign script.
    // A common word that stands alone between list separators ("drama\nare\nlottery") is a
    // list item, most likely a misspelled phrase word ("arm"), not a sentence: it is a miss, not
    // a break.
    let listed = |i: usize| {
        lx[i].gap_before == Gap::List && lx.get(i + 1).is_some_and(|n| n.gap_before == Gap::List)
    };
    let breaks = |i: usize| {
        let l = &lx[i];
        !l.hit(li)
            && ((lang == Language::English && l.stop() && !listed(i))
                || own_script.is_some_and(|s| l.script != s))
    };
    // Segments: maximal stretches with no break inside and no hard gap but before their first
    // lexeme.
    let starts_segment = |j: usize| j == 0 || lx[j].gap_before == Gap::Hard || breaks(j - 1);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut done_until = 0usize;
    for p in seeds {
        if p < done_until || p >= lx.len() || breaks(p) {
            continue;
        }
        let mut s = p;
        while !starts_segment(s) {
            s -= 1;
        }
        let mut e = p + 1;
        while e < lx.len() && !breaks(e) && lx[e].gap_before != Gap::Hard {
            e += 1;
        }
        runs_in_segment(lx, li, s, e, &mut out);
        done_until = e;
    }
    out
}

fn runs_in_segment(lx: &[Lexeme], li: usize, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let len = e.saturating_sub(s);
    if len < MIN_RUN {
        return;
    }
    // A segment of list words only (Chinese prose between two full stops) is one run: its
    // stretch of hits covers it, and so do its windows.
    if lx[s..e].iter().all(|l| l.hit(li)) {
        out.push((s, e - 1));
        return;
    }
    let hit = |i: usize| usize::from(lx[i].hit(li));
    // Found runs go straight to `out` and are merged there (no allocation per segment: English
    // prose has a segment between every two common words).
    let base = out.len();
    let found = out;
    // Stretches of at least `MIN_RUN` list words in a row: a phrase with its last words left
    // out ("my first 10 words are …"), or one word missing.
    let mut from = s;
    for i in s..=e {
        if i < e && hit(i) == 1 {
            continue;
        }
        if i - from >= MIN_RUN {
            found.push((from, i - 1));
        }
        from = i + 1;
    }
    if len >= WINDOW {
        let mut count: usize = (s..s + WINDOW).map(hit).sum();
        let mut cur: Option<(usize, usize)> = None;
        let mut w = s;
        loop {
            if count >= MIN_HITS {
                let (ws, we) = (w, w + WINDOW - 1);
                cur = match cur {
                    Some((a, b)) if ws <= b + 1 => Some((a, we.max(b))),
                    Some(r) => {
                        push_trimmed(lx, li, r, found);
                        Some((ws, we))
                    }
                    None => Some((ws, we)),
                };
            }
            if w + WINDOW >= e {
                break;
            }
            count = count + hit(w + WINDOW) - hit(w);
            w += 1;
        }
        if let Some(r) = cur {
            push_trimmed(lx, li, r, found);
        }
    }
    let tail = &mut found[base..];
    if tail.len() < 2 {
        return;
    }
    tail.sort_unstable();
    let mut w = base;
    for r in base + 1..found.len() {
        let (a, b) = found[r];
        if a <= found[w].1 + 1 {
            found[w].1 = found[w].1.max(b);
        } else {
            w += 1;
            found[w] = (a, b);
        }
    }
    found.truncate(w + 1);
}

fn push_trimmed(
    lx: &[Lexeme],
    li: usize,
    (mut a, mut b): (usize, usize),
    out: &mut Vec<(usize, usize)>,
) {
    while a < b && !lx[a].hit(li) {
        a += 1;
    }
    while b > a && !lx[b].hit(li) {
        b -= 1;
    }
    out.push((a, b));
}

// ---------------------------------------------------------------------------------------------
// Deciding

/// The parts of run `a..=b` that are a phrase rather than prose (possibly none).
#[expect(
    clippy::too_many_arguments,
    reason = "the run and the state shared by all runs"
)]
fn accept(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    wl: Wordlist,
    pairs: &mut PairCache,
    candidates: &[(u32, u32)],
    a: usize,
    b: usize,
) -> Vec<(usize, usize)> {
    let lang = wl.language();
    if lang.is_chinese() {
        if !ZhCandidates::any_within(candidates, a, b) {
            // No window of the run can pass (see `ZhCandidates`).
            return Vec::new();
        }
        chinese_parts(text, lx, li, pairs, candidates, a, b)
    } else if matches!(lang, Language::Japanese | Language::Korean)
        || latin_is_phrase(text, lx, li, a, b)
    {
        // Japanese and Korean prose is not measured; density decides there.
        vec![(a, b)]
    } else {
        vec![]
    }
}

fn hits_in(lx: &[Lexeme], li: usize, a: usize, b: usize) -> usize {
    (a..=b).filter(|&i| lx[i].hit(li)).count()
}

/// Whether the gaps inside `a..=b` look like a list (newlines, commas, numbering) rather than
/// running text.
fn list_like(lx: &[Lexeme], a: usize, b: usize) -> bool {
    let inner = b.saturating_sub(a);
    inner > 0
        && (a + 1..=b)
            .filter(|&i| lx[i].gap_before == Gap::List)
            .count()
            * 4
            >= inner * 3
}

/// Words that label a phrase, in the languages of the lists, as lookup keys (lower case, no
/// accents; Korean and Japanese NFC). Some are list words themselves ("phrase", "seed" in
/// English, "frase" in Spanish, "문구", "단어" in Korean): at the start of a run they are the
/// label in front of the phrase, not its first word.
const PHRASE_LABELS: [&str; 40] = [
    "seed",
    "phrase",
    "phrases",
    "mnemonic",
    "recovery",
    "backup",
    "secret",
    "words",
    "word",
    "restore",
    "wallet",
    "frase",
    "semilla",
    "palabras",
    "recuperacion",
    "phrase",
    "mots",
    "recuperation",
    "secrete",
    "parole",
    "recupero",
    "segreta",
    "fraze",
    "slova",
    "obnovovaci",
    "obnovu",
    "palavras",
    "recuperacao",
    "semente",
    "문구",
    "단어",
    "복구",
    "시드",
    "니모닉",
    "구문",
    "리커버리",
    "ニーモニック",
    "リカバリーフレーズ",
    "フレーズ",
    "シード",
];

/// Common words of the Latin-script list languages other than English (whose common words are
/// [`STOPWORDS`]), as lookup keys: the prose that follows a phrase ("obrigado pela ajuda",
/// "merci pour votre aide"). Only used to tell where a checksum-pinned phrase ends.
const PROSE_WORDS: [&str; 36] = [
    "ajuda", "aide", "ayuda", "avec", "como", "con", "con", "della", "dekuji", "des", "for",
    "gracias", "grazie", "les", "los", "las", "merci", "mille", "muchas", "muito", "obrigado",
    "para", "pela", "pelo", "per", "pomoc", "por", "pour", "prosim", "que", "una", "une", "uma",
    "votre", "vous", "moc",
];

fn is_prose_word(text: &str, l: &Lexeme) -> bool {
    let word = text.get(l.start()..l.end()).unwrap_or("");
    l.script == Script::Alpha
        && word.len() <= 24
        && PROSE_WORDS.contains(&lookup_key(Language::English, word).as_str())
}

/// Whether lexeme `l` is a phrase label word.
fn is_phrase_label(text: &str, l: &Lexeme) -> bool {
    let word = text.get(l.start()..l.end()).unwrap_or("");
    if word.len() > 40 {
        return false;
    }
    let key: String = if l.script == Script::Alpha {
        lookup_key(Language::English, word)
    } else {
        word.nfc().collect()
    };
    PHRASE_LABELS.contains(&key.as_str())
}

/// Drops the label in front of run `a..=b` ("recovery phrase:", "복구 단어:", "seed words"):
/// label words at its start, and every word up to a colon among its first five words when no
/// colon separates the rest. At least `MIN_PIECE` list words stay (a run may be one part of a
/// phrase split by [`split_at_inner_labels`]).
fn drop_label(text: &str, lx: &[Lexeme], li: usize, a: usize, b: usize) -> (usize, usize) {
    let colon = |i: usize| {
        text.get(lx[i - 1].end()..lx[i].start())
            .unwrap_or("")
            .contains([':', '：'])
    };
    let mut s = a;
    if let Some(after) = (a + 1..=b.min(a + 5)).rev().find(|&i| colon(i))
        && !(after + 1..=b).any(colon)
    {
        s = after;
    }
    // A label word that is a list word too ("seed", "phrase", "word", "wallet") is dropped only
    // where the label goes on after it (another label word, a word in no list, a colon or a
    // line break): a phrase may begin with "word".
    let label_here = |i: usize| {
        is_phrase_label(text, &lx[i])
            && (!lx[i].hit(li)
                || lx.get(i + 1).is_some_and(|n| {
                    !n.hit(li)
                        || is_phrase_label(text, n)
                        || text
                            .get(lx[i].end()..n.start())
                            .unwrap_or("")
                            .contains([':', '：', '\n'])
                }))
    };
    while s < b && (label_here(s) || !lx[s].hit(li)) {
        s += 1;
    }
    if hits_in(lx, li, s, b) >= MIN_PIECE {
        (s, b)
    } else {
        (a, b)
    }
}

/// Splits run `a..=b` where a label line starts inside it ("first half: w1 … w6\nsecond half:
/// w7 … w12"): up to three words between a line break and a colon are a label, not phrase
/// words, when at least three words stand on each side of them.
fn split_at_inner_labels(text: &str, lx: &[Lexeme], a: usize, b: usize) -> Vec<(usize, usize)> {
    let gap = |i: usize| text.get(lx[i - 1].end()..lx[i].start()).unwrap_or("");
    let mut out = Vec::new();
    let mut from = a;
    let mut i = a + 4;
    while i + 2 <= b {
        if gap(i).contains([':', '：'])
            && let Some(label) =
                (i.saturating_sub(3).max(from + 3)..i).find(|&j| gap(j).contains('\n'))
        {
            out.push((from, label - 1));
            from = i;
            i += 4;
            continue;
        }
        i += 1;
    }
    out.push((from, b));
    out
}

/// Splits run `a..=b` at asides inside it: words in no list that are common words or look like
/// no list word ("(I think)" inside a Spanish phrase, which the density of step 2 lets in), with
/// at least `MIN_PIECE` words on each side. The aside stays; a misspelled word is a near miss
/// and splits nothing.
fn split_at_asides(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    wl: Wordlist,
    a: usize,
    b: usize,
) -> Vec<(usize, usize)> {
    let word_prose = |i: usize| {
        let l = &lx[i];
        !l.hit(li)
            && !l.piece()
            && (l.stop() || is_prose_word(text, l) || !near_miss(text, l, li, wl, false))
    };
    // In a phrase written with spaces, a stretch set off by commas, brackets or dashes that holds
    // a common word or a word in no list is an aside too, list words and all (", not sure about
    // this one,"); the stretch may begin before the run, whose first word is then in it.
    let mut aside = vec![false; b + 1 - a];
    let spaced = (a + 1..=b)
        .filter(|&i| lx[i].gap_before == Gap::Space)
        .count()
        * 2
        > b - a;
    if spaced {
        let delimited = |i: usize| {
            let gap = text
                .get(i.checked_sub(1).map_or(0, |p| lx[p].end())..lx[i].start())
                .unwrap_or("");
            gap.contains([',', '，', '(', ')', '（', '）', '—']) || gap.contains("--")
        };
        // The run's start is a cut where a common word broke the run just before it.
        let broken_before = a > 0 && (lx[a - 1].stop() || !lx[a - 1].hit(li));
        let cuts: Vec<usize> = (a..=b + 1)
            .filter(|&i| i > b || delimited(i) || (i == a && broken_before))
            .collect();
        for pair in cuts.windows(2) {
            let (i, j) = (pair[0], pair[1]);
            if j - i <= MAX_ASIDE
                && j <= b
                && (i..j).any(|k| lx[k].stop() || !lx[k].hit(li))
                && (i == a || j - i < MAX_ASIDE)
            {
                for k in i..j {
                    aside[k - a] = true;
                }
            }
        }
    }
    // Each lexeme is judged once (the walk below asks about most of them twice, and
    // `near_miss` compares a word with a whole list).
    let prose_at: Vec<bool> = (a..=b).map(|i| aside[i - a] || word_prose(i)).collect();
    let prose = |i: usize| prose_at[i - a];
    let mut out = Vec::new();
    let mut from = a;
    let mut i = a;
    while i <= b {
        if !prose(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i <= b && prose(i) {
            i += 1;
        }
        if start == a && aside[0] && i + MIN_PIECE <= b + 1 {
            // The run begins inside an aside.
            from = i;
        } else if start >= from + MIN_PIECE && i + MIN_PIECE <= b + 1 {
            out.push((from, start - 1));
            from = i;
        }
    }
    out.push((from, b));
    out
}

/// The most lexemes between two pieces of one phrase ("(I think)", "not sure about this one").
const MAX_ASIDE: usize = 6;
/// The fewest words of a piece of a phrase broken up by asides.
const MIN_PIECE: usize = 4;

/// A phrase broken up by short asides ("… battle (I think) anchor …", "… ocean, not sure about
/// this one, frost …"): stretches of at least `MIN_PIECE` list words in a row that are not
/// common words, separated by at most `MAX_ASIDE` other lexemes (and no hard gap), together at
/// least 12 distinct words — as many as a whole phrase, which prose rarely strings together
/// around so short breaks. The pieces are returned; the asides stay. Pieces inside a run
/// already `taken` are skipped. Linear: each lexeme is looked at a bounded number of times.
fn pieces_around_asides(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    hits: &[u32],
    taken: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let clean = |i: usize| lx[i].hit(li) && !lx[i].stop();
    // Maximal stretches of clean words with no hard gap inside, found among the language's
    // hits (`hits`, their positions in order) rather than over every lexeme.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < hits.len() {
        let start = hits[k] as usize;
        k += 1;
        if !clean(start) {
            continue;
        }
        let mut i = start;
        while hits.get(k).is_some_and(|&h| h as usize == i + 1)
            && clean(i + 1)
            && lx[i + 1].gap_before != Gap::Hard
        {
            i += 1;
            k += 1;
        }
        if i + 1 - start >= MIN_PIECE {
            pieces.push((start, i));
        }
    }
    let inside_taken = |(s, e): (usize, usize)| taken.iter().any(|&(a, b)| a <= s && e <= b);
    let mut out = Vec::new();
    let mut k = 0;
    while k < pieces.len() {
        let mut chain = vec![pieces[k]];
        while let Some(&next) = pieces.get(k + chain.len()) {
            let last = chain[chain.len() - 1];
            let between = next.0 - last.1 - 1;
            let asides = text.get(lx[last.1].end()..lx[next.0].start()).unwrap_or("");
            if between == 0
                || between > MAX_ASIDE
                || asides.len() > 80
                || (last.1 + 1..=next.0).any(|j| lx[j].gap_before == Gap::Hard)
            {
                break;
            }
            chain.push(next);
        }
        k += chain.len();
        let words: usize = chain.iter().map(|&(s, e)| e + 1 - s).sum();
        if chain.len() < 2 || words < WINDOW || chain.iter().all(|&p| inside_taken(p)) {
            continue;
        }
        let mut ix: Vec<u16> = chain
            .iter()
            .flat_map(|&(s, e)| (s..=e).map(|j| lx[j].index(li)))
            .collect();
        ix.sort_unstable();
        ix.dedup();
        if ix.len() < words {
            continue;
        }
        out.extend(chain.into_iter().filter(|&p| !inside_taken(p)));
    }
    out
}

/// Whether a phrase label ("seed phrase", "助记词"…) stands within 120 bytes before `start`.
fn labelled(text: &str, start: usize) -> bool {
    const LABELS: [&str; 22] = [
        "seed",
        "phrase",
        "mnemonic",
        "recovery",
        "backup",
        "secret",
        "words",
        "restore",
        "semilla",
        "frase",
        "phrase de",
        "palabras",
        "mots",
        "助记词",
        "助記詞",
        "记忆词",
        "恢复词",
        "备份",
        "種子",
        "种子",
        "ニーモニック",
        "복구",
    ];
    let from = floor_char_boundary(text, start.saturating_sub(120));
    let before = text.get(from..start).unwrap_or("").to_lowercase();
    LABELS.iter().any(|l| before.contains(l))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of `a..=b` that all but at most two of its words pin down by a valid checksum. A
/// checksum of 12 words holds by chance once in 16, so a shifted window can pass too, or pass
/// where the phrase itself (misspelled, or a wrong checksum) does not, and then dropping words
/// would leave phrase words behind. So: a window that keeps a word set apart from the rest
/// ("如下：\n「专 典 … 世 栏」" keeping 下 and dropping 栏) pins nothing, and of two windows of
/// the longest valid length the one that drops common English words ("… pitch please help")
/// wins; when that does not decide ("输入 1. 统 … 15. 答": "入…概" and "统…答"), their union is
/// kept.
///
/// More than two extra words are dropped only where the sentence around the phrase shows
/// itself (see [`explained_side`]): at most [`MAX_PINNED_SIDE`] on a side, and at most two in
/// all on sides that do not.
fn checksum_pin(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    a: usize,
    b: usize,
) -> Option<(usize, usize)> {
    let n = b + 1 - a;
    for &k in bip39::VALID_WORD_COUNTS.iter().rev() {
        if k > n {
            continue;
        }
        if k + 2 * MAX_PINNED_SIDE < n {
            return None;
        }
        let extras_ok = |s: usize, e: usize| {
            let (before, after) = (s - a, b - e);
            let unexplained = if explained_side(text, lx, li, a, s, e, true) {
                0
            } else {
                before
            } + if explained_side(text, lx, li, b, s, e, false) {
                0
            } else {
                after
            };
            before <= MAX_PINNED_SIDE && after <= MAX_PINNED_SIDE && unexplained <= 2
        };
        let valid: Vec<(usize, usize)> = (a..=b + 1 - k)
            .filter(|&s| checksum_valid_at(lx, li, s, k))
            .map(|s| (s, s + k - 1))
            .filter(|&(s, e)| joined_alike(lx, s, e) && extras_ok(s, e))
            .collect();
        if valid.is_empty() {
            continue;
        }
        // Of several valid windows, the one whose dropped words show themselves as the sentence
        // around it (then the one dropping more common words) wins.
        let dropped_stops = |&(s, e): &(usize, usize)| {
            let shown = usize::from(s > a && explained_side(text, lx, li, a, s, e, true))
                + usize::from(e < b && explained_side(text, lx, li, b, s, e, false));
            (
                shown,
                (a..s).chain(e + 1..=b).filter(|&i| lx[i].stop()).count(),
            )
        };
        let best = valid.iter().map(dropped_stops).max().unwrap_or((0, 0));
        let mut best = valid.iter().filter(|w| dropped_stops(w) == best);
        let first = *best.next()?;
        return Some(best.fold(first, |(s, e), &(s2, e2)| (s.min(s2), e.max(e2))));
    }
    None
}

/// The most words [`checksum_pin`] drops on one side of a phrase.
const MAX_PINNED_SIDE: usize = 4;

/// Whether the words that a pin to `s..=e` drops on one side (`edge..s` before it, or
/// `e + 1..=edge` after it) are shown to be the sentence around the phrase: one of them is a
/// common word or a label, or they are joined to the phrase differently from how its words are
/// joined to each other (a colon, a line break after words separated by spaces).
fn explained_side(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    edge: usize,
    s: usize,
    e: usize,
    before: bool,
) -> bool {
    let (dropped, joint) = if before {
        (edge..s, s)
    } else {
        (e + 1..edge + 1, e + 1)
    };
    if dropped.is_empty() {
        return true;
    }
    let wl = Language::ALL[li].wordlist();
    let class = |g: Gap| match g {
        Gap::None => 0u8,
        Gap::Space => 1,
        Gap::List | Gap::Hard => 2,
    };
    let inner = class(lx[s + (e - s) / 2].gap_before);
    let joint_gap = text
        .get(lx[joint - 1].end()..lx[joint].start())
        .unwrap_or("");
    // A word in no list that does not look like a misspelled one ("za", "pela") is prose.
    // A word standing alone between list separators is an item of the list (a misspelled one,
    // "her" for "hen"), whatever it is.
    let prose_word = |i: usize| {
        let l = &lx[i];
        let listed =
            l.gap_before == Gap::List && lx.get(i + 1).is_some_and(|n| n.gap_before == Gap::List);
        is_phrase_label(text, l)
            || (!listed
                && (l.stop()
                    || is_prose_word(text, l)
                    || (!l.hit(li) && !near_miss(text, l, li, wl, false))))
    };
    // The dropped words are written differently from the phrase (助记词 before separated
    // characters).
    let other_layout = dropped
        .clone()
        .skip(1)
        .any(|i| class(lx[i].gap_before) != inner);
    dropped.clone().any(prose_word)
        || other_layout
        || class(lx[joint].gap_before) != inner
        || joint_gap.contains([':', '：'])
}

/// Whether the first and last words of `s..=e` are joined to the rest as the inner words are
/// to each other (together, by spaces, or by list separators).
fn joined_alike(lx: &[Lexeme], s: usize, e: usize) -> bool {
    let class = |g: Gap| match g {
        Gap::None => 0usize,
        Gap::Space => 1,
        Gap::List | Gap::Hard => 2,
    };
    if e < s + 3 {
        return true;
    }
    let mut counts = [0usize; 3];
    for i in s + 2..e {
        counts[class(lx[i].gap_before)] += 1;
    }
    let inner = (0..3).max_by_key(|&c| counts[c]).unwrap_or(0);
    class(lx[s + 1].gap_before) == inner && class(lx[e].gap_before) == inner
}

fn checksum_valid_at(lx: &[Lexeme], li: usize, s: usize, k: usize) -> bool {
    if !(s..s + k).all(|i| lx[i].hit(li)) {
        return false;
    }
    let mut ix = [0u16; 24];
    for (d, l) in ix.iter_mut().zip(&lx[s..s + k]) {
        *d = l.index(li);
    }
    bip39::checksum_valid(&ix[..k])
}

fn checksum_somewhere(lx: &[Lexeme], li: usize, a: usize, b: usize) -> Option<(usize, usize)> {
    let n = b + 1 - a;
    for &k in bip39::VALID_WORD_COUNTS.iter().rev() {
        if k > n {
            continue;
        }
        for s in a..=b + 1 - k {
            if (s..s + k).all(|i| lx[i].hit(li)) {
                // On the stack: this runs for every window of a long Chinese run.
                let mut ix = [0u16; 24];
                for (d, l) in ix.iter_mut().zip(&lx[s..s + k]) {
                    *d = l.index(li);
                }
                if bip39::checksum_valid(&ix[..k]) {
                    return Some((s, s + k - 1));
                }
            }
        }
    }
    None
}

/// Common English words. Running text is full of them; 72 of them are BIP39 words too ("that",
/// "they", "this", "you"…), i.e. 3.5% of the list, so a random 12-word phrase holds three or
/// more of them with probability ≈ 0.75%, while a sentence of 12 words almost always does.
const STOPWORDS: [&str; 125] = [
    "a", "about", "above", "after", "again", "all", "almost", "alone", "along", "already", "also",
    "always", "am", "among", "an", "and", "another", "any", "are", "around", "as", "at", "be",
    "because", "been", "before", "behind", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "during", "each", "either", "else", "enough", "few", "first", "for",
    "from", "give", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "just", "like", "may", "me", "more", "much", "must", "my", "myself", "near",
    "need", "neither", "never", "next", "no", "not", "nothing", "now", "of", "off", "often", "on",
    "once", "one", "only", "or", "other", "our", "over", "own", "please", "rather", "same", "she",
    "should", "since", "so", "soon", "still", "such", "than", "that", "the", "their", "then",
    "there", "they", "this", "to", "together", "toward", "under", "until", "upon", "very", "was",
    "we", "what", "when", "where", "will", "with", "would", "you",
];

/// The longest stopword, in bytes.
const STOPWORD_MAX: usize = 8;

/// A word of at most [`STOPWORD_MAX`] bytes, lower-cased and packed into an integer (no
/// stopword holds a NUL, so zero padding cannot make two of them equal).
const fn stopword_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() && i < STOPWORD_MAX {
        key |= (word[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    key
}

/// [`STOPWORDS`] as sorted [`stopword_key`]s, built at compile time: the stopword test runs for
/// every Latin word of the text, and comparing integers is cheaper than comparing strings.
const STOPWORD_KEYS: [u64; STOPWORDS.len()] = {
    let mut keys = [0u64; STOPWORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        assert!(STOPWORDS[i].len() <= STOPWORD_MAX);
        keys[i] = stopword_key(STOPWORDS[i].as_bytes());
        i += 1;
    }
    // Insertion sort (a `const` block cannot call `sort`).
    let mut i = 1;
    while i < keys.len() {
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
};

fn is_stopword(word: &str) -> bool {
    let bytes = word.as_bytes();
    // Every stopword is short ASCII.
    !bytes.is_empty()
        && bytes.len() <= STOPWORD_MAX
        && !bytes.contains(&0)
        && STOPWORD_KEYS.binary_search(&stopword_key(bytes)).is_ok()
}

fn latin_is_phrase(text: &str, lx: &[Lexeme], li: usize, a: usize, b: usize) -> bool {
    let n = b + 1 - a;
    let e = hits_in(lx, li, a, b);
    let mut words: Vec<u16> = (a..=b)
        .filter(|&i| lx[i].hit(li))
        .map(|i| lx[i].index(li))
        .collect();
    words.sort_unstable();
    words.dedup();
    // A random phrase repeats a word rarely (12 words: ~3%; 24 words: ~13%); text and code
    // repeat them often.
    let repetitive = words.len() + (e / WINDOW).max(1) < e;
    let word_at = |i: usize| text.get(lx[i].start()..lx[i].end()).unwrap_or("");
    let stop_hits = (a..=b)
        .filter(|&i| lx[i].hit(li) && is_stopword(word_at(i)))
        .count();
    let stop_misses = (a..=b)
        .filter(|&i| !lx[i].hit(li) && is_stopword(word_at(i)))
        .count();
    let english = Language::ALL[li] == Language::English;
    let strong = list_like(lx, a, b) || checksum_somewhere(lx, li, a, b).is_some();
    let labelled = labelled(text, lx[a].start());
    // A run of fewer than 12 words that a 12-word window with 10 list words covers is a phrase
    // with misspelled words at its edge, not a part of one.
    let window_backed = || {
        (b.saturating_sub(WINDOW - 1)..=a).any(|ws| {
            let we = ws + WINDOW - 1;
            we < lx.len()
                && hits_in(lx, li, ws, we) >= MIN_HITS
                && (ws + 1..=we).all(|i| lx[i].gap_before != Gap::Hard)
        })
    };
    if n < WINDOW && !window_backed() {
        // Part of a phrase (8–11 words, see the module docs): no checksum can back it, and
        // lists of nouns and sentences are that long too. Its words are all distinct (a random
        // draw of 11 repeats one with probability ≈ 2.7%) and none is a common word (≈ 25% of
        // 8-word draws hold one of the 72 common list words; behind a label one is allowed).
        let allowed_stops = usize::from(labelled);
        return words.len() == e && stop_hits + stop_misses <= allowed_stops;
    }
    // A quarter of common words marks a sentence; a random 12-word phrase has that many (3)
    // with probability ≈ 0.75%, which is lost whenever a misspelled word removes the checksum.
    // Behind a label ("recovery phrase:") it takes a third (4 of 12; ≈ 0.05% of phrases).
    let stop_share = if labelled { 3 } else { 4 };
    if english && (stop_hits + stop_misses) * stop_share >= n && !strong {
        return false;
    }
    if repetitive && !(strong || labelled) {
        return false;
    }
    // Fewer than two thirds distinct: data or code ("True, True, None…"), whatever the layout.
    if words.len() * 3 < e * 2 && checksum_somewhere(lx, li, a, b).is_none() {
        return false;
    }
    match stop_misses {
        0 => true,
        1 => strong || labelled,
        _ => strong,
    }
}

/// The phrase-like parts of a run of Chinese characters: the union of its 12-character
/// windows that are laid out like a phrase and read like random draws.
///
/// Layout: a phrase is written either all together or with a separator between every two
/// characters (spaces, commas, numbers). Prose mixes the two: characters run together and a
/// comma comes every few characters (classical Chinese above all, whose characters rarely pair
/// into modern words, so that this is what tells it apart). Spaces are neutral: some users
/// group the characters in fours.
fn chinese_parts(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    pairs: &mut PairCache,
    candidates: &[(u32, u32)],
    a: usize,
    b: usize,
) -> Vec<(usize, usize)> {
    let n = b + 1 - a;
    // Ordinary Chinese prose is one long run of list characters, so everything here is done per
    // character or per window, never per window and character pair: whether each adjacent pair
    // forms a word is decided at most once per text (both Chinese lists share `pairs`), and only
    // for the windows that the characters alone do not already turn away.
    // The checksum over the run (SHA-256 of every candidate window) only matters for a window
    // that passes with one more word pair allowed but not without; it is found the first time
    // such a window comes up, which in prose is almost never.
    let mut checksum: Option<Option<(usize, usize)>> = None;
    let table = usize::from(Language::ALL[li] == Language::ChineseTraditional);
    // Every window judged below ends by the last candidate start's window (or is the whole
    // run, when it is shorter than a window): the running sums are not needed past it.
    let needed_end = if n < WINDOW {
        b
    } else {
        let upto = candidates.partition_point(|&(s, _)| (s as usize) <= b);
        upto.checked_sub(1)
            .and_then(|i| candidates.get(i))
            .map_or(b, |&(s, _)| b.min(s as usize + WINDOW - 1))
    };
    let mut prefix = std::mem::take(&mut pairs.sums);
    prefix.refill(lx, li, table, a, needed_end);
    let mut marked: Vec<(usize, usize)> = Vec::new();
    // The windows to judge, in order. Those that the run's running sums alone turn away
    // ([`RunSums::hopeless`], [`RunSums::surely_common`]: almost every window of prose) would
    // only be skipped below, so they are left out here; so are those that start where no
    // window can pass (`candidates`, the starts that [`ZhCandidates`] leaves, in order).
    let mut windows: Vec<(usize, usize)> = if n < WINDOW {
        vec![(a, b)]
    } else {
        let first = candidates.partition_point(|&(s, _)| (s as usize) < a);
        candidates[first..]
            .iter()
            .map(|&(s, _)| s as usize)
            .take_while(|&s| s <= b + 1 - WINDOW)
            .filter(|&s| {
                let (rs, re) = (s - a, s - a + WINDOW - 1);
                !prefix.hopeless(rs, re) && !prefix.surely_common(rs, re)
            })
            .map(|s| (s, s + WINDOW - 1))
            .collect()
    };
    if n >= WINDOW {
        windows.extend(short_layout_stretches(lx, li, a, b, candidates));
        windows.sort_unstable();
    }
    for (s, e) in windows {
        let Some((together, draws)) = prefix.window(text, lx, pairs, a, s - a, e - a).map(
            |(together, pair_words, prose_bits)| {
                (together, Draws::of(lx, li, pair_words, prose_bits, s, e))
            },
        ) else {
            continue;
        };
        // Characters written together must also read as random draws rather than prose
        // (`ZH_MAX_PROSE_BITS`); a label just before the window (it may be part of the run:
        // "我的助记词是…"), or a valid checksum over the window, is worth `ZH_BACKED_BITS` more.
        // Separated characters are a list by their layout.
        let prose_ok = |extra: f64| !together || draws.prose_bits <= ZH_MAX_PROSE_BITS + extra;
        let ranks_ok = draws.random_like(2, MIN_MEAN_RANK) || draws.random_like(3, RARE_MEAN_RANK);
        // The checksum is computed only for a window that passes with it but not without
        // (3 word pairs at an ordinary rank, or 4 at a rare one, or more prose-like bits).
        let passes = (ranks_ok && prose_ok(0.0))
            || ((ranks_ok && prose_ok(ZH_BACKED_BITS) && { labelled(text, lx[s].start()) })
                || ((ranks_ok
                    || draws.random_like(3, MIN_MEAN_RANK)
                    || (draws.random_like(4, CHECKED_RARE_MEAN_RANK) && draws.repeats <= 1))
                    && prose_ok(ZH_BACKED_BITS)
                    && {
                        let cs = *checksum.get_or_insert_with(|| checksum_somewhere(lx, li, a, b));
                        cs.is_some_and(|(cs, ce)| cs <= s && e <= ce)
                    }));
        if passes {
            match marked.last_mut() {
                Some(last) if s <= last.1 + 1 => last.1 = last.1.max(e),
                _ => marked.push((s, e)),
            }
        }
    }
    pairs.sums = prefix;
    marked
        .into_iter()
        .map(|(s, e)| {
            let (mut s, mut e) = (s, e);
            while s < e && !lx[s].hit(li) {
                s += 1;
            }
            while e > s && !lx[e].hit(li) {
                e -= 1;
            }
            (s, e)
        })
        .filter(|&(s, e)| hits_in(lx, li, s, e) >= MIN_HITS)
        .map(|(s, e)| extend_alike(lx, li, a, b, s, e))
        .collect()
}

/// Extends `s..=e` (inside run `a..=b`) over up to two list characters on each side that are
/// laid out like the inside (all together, or all separated): a window can end one character
/// short of a phrase whose last characters happen to be common ones.
fn extend_alike(
    lx: &[Lexeme],
    li: usize,
    a: usize,
    b: usize,
    mut s: usize,
    mut e: usize,
) -> (usize, usize) {
    let together = (s + 1..=e)
        .filter(|&i| lx[i].gap_before == Gap::None)
        .count()
        * 2
        > e - s;
    let alike = |g: Gap| {
        if together {
            g == Gap::None
        } else {
            matches!(g, Gap::Space | Gap::List)
        }
    };
    for _ in 0..2 {
        if s > a && lx[s - 1].hit(li) && alike(lx[s].gap_before) {
            s -= 1;
        }
        if e < b && lx[e + 1].hit(li) && alike(lx[e + 1].gap_before) {
            e += 1;
        }
    }
    (s, e)
}

/// The stretches of run `a..=b` shorter than a window that hold at least `MIN_HITS` list
/// characters all laid out alike (together, or each separated from the next) and are bounded by
/// a change of layout: a phrase of twelve whose edge characters are misspelled, followed on the
/// next line by a sentence ("碹，牂，谈…障，辟\n请帮我…"), has no uniform 12-character window, since
/// every such window either takes in the sentence or the misspelled characters that end the run.
/// (Stretches of `WINDOW` characters or more are covered by their windows.)
///
/// Only stretches that start where [`ZhCandidates`] left a start (`candidates`, sorted) are
/// listed: a stretch is a window of 10 or 11 lexemes, and a window whose start the filter turned
/// away cannot pass.
fn short_layout_stretches(
    lx: &[Lexeme],
    li: usize,
    a: usize,
    b: usize,
    candidates: &[(u32, u32)],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let first = candidates.partition_point(|&(s, _)| (s as usize) < a);
    for s in candidates[first..]
        .iter()
        .map(|&(s, _)| s as usize)
        .take_while(|&s| s <= b)
    {
        for together in [true, false] {
            // Together: no list separator inside; separated: no two characters touching. Spaces
            // are neutral in both, as in `chinese_parts`.
            let breaks = |g: Gap| {
                if together {
                    matches!(g, Gap::List | Gap::Hard)
                } else {
                    g == Gap::None
                }
            };
            // A stretch starts at the run's start or where its layout breaks.
            if s != a && !breaks(lx[s].gap_before) {
                continue;
            }
            let mut i = s + 1;
            while i <= b && i < s + WINDOW && !breaks(lx[i].gap_before) {
                i += 1;
            }
            // Here the stretch is `s..i` unless it is `WINDOW` long or more.
            let (e, len) = (i - 1, i - s);
            if (MIN_HITS..WINDOW).contains(&len) && hits_in(lx, li, s, e) >= MIN_HITS {
                out.push((s, e));
            }
        }
    }
    out
}

/// Which list of `ZH_UNIGRAM_CENTIBITS` (and of [`ZhCandidates`]) Chinese list `li` is.
fn zh_table(li: usize) -> Option<usize> {
    match Language::ALL.get(li)? {
        Language::ChineseSimplified => Some(0),
        Language::ChineseTraditional => Some(1),
        _ => None,
    }
}

/// The windows of Chinese characters that [`chinese_parts`] could accept, found for both
/// Chinese lists in one pass over the text with integer running sums, before any run is built:
/// every other window fails there whatever its pairs, so the runs (and segments) that hold none
/// of these are never built or looked at. Ordinary prose leaves a few per cent of its windows.
///
/// A window that passes in [`chinese_parts`] is 10 to 12 lexemes long (a 12-character window, a
/// shorter stretch of one layout with at least `MIN_HITS` list characters, or a whole run of
/// fewer than 12 that must still hold `MIN_HITS`), lies inside a run (Han characters only, no
/// hard gap inside), and
/// * has a mean log2(rank + 1) of at least `MIN_MEAN_RANK` over its list characters (every rule
///   of [`Draws::random_like`] asks for that or more): here summed from `ZH_PACKED`, an
///   upper bound in 1/65536 of a bit, against the threshold less 1e-6, as
///   [`RunSums::surely_common`] does;
/// * is not both written together and punctuated, and not written together with more unigram
///   bits than any backing allows ([`RunSums::hopeless`]): here summed in whole centibits,
///   against the limit plus one centibit, far above the rounding of the floating-point sums.
///
/// So the filter keeps every window that can pass, and a few that cannot.
struct ZhCandidates {
    /// For each Chinese list ([`zh_table`]): `(start, end)` of each lexeme that starts a window
    /// that may pass, with the end of the shortest such window; sorted by start.
    starts: [Vec<(u32, u32)>; 2],
}

impl ZhCandidates {
    /// `MIN_MEAN_RANK` − 1e-6 in 1/65536 of a bit, rounded down.
    const MIN_RANK_FIXED: u64 = 491_519;
    /// `ZH_MAX_PROSE_BITS` + `ZH_BACKED_BITS` in centibits, plus one.
    const MAX_CENTIBITS: i64 = 1001;
    /// What is summed, per lexeme and list, in one `u64` (sums of up to 12 lexemes never carry
    /// from one field into the next): bits 0–3 list characters, 4–27 their rank bounds, 28–44
    /// their unigram centibits plus 4096 each (`ZH_PACKED`, built by build.rs); then, the same
    /// for both lists, the gap before the lexeme: touching (45–48), punctuated (49–52), hard
    /// (53–56); and the lexeme is no Han character or lies past the end (57–60).
    const TOGETHER: u32 = 45;
    const PUNCTUATED: u32 = 49;
    const HARD: u32 = 53;
    const FOREIGN: u32 = 57;
    /// The gap's fields: not counted for a window's first lexeme.
    const GAP_MASK: u64 = 0xFFF << Self::TOGETHER;
    const RING: usize = 16;

    fn of(lx: &[Lexeme]) -> Self {
        const _: () = assert!(ZhCandidates::RING > WINDOW && ZhCandidates::RING.is_power_of_two());
        let lis = [
            lang_index(Language::ChineseSimplified),
            lang_index(Language::ChineseTraditional),
        ];
        let n = lx.len();
        // What every window from a start needs first is its layout (the gap and script fields,
        // the same for both lists), judged from where the last lexeme of each kind lies. The
        // lists' figures are summed only for starts whose windows may pass on layout: carried
        // on from the start before when they were summed there, else summed afresh.
        let shared_of = |l: &Lexeme| {
            u64::from(l.gap_before == Gap::None) << Self::TOGETHER
                | u64::from(matches!(l.gap_before, Gap::List | Gap::Hard)) << Self::PUNCTUATED
                | u64::from(l.gap_before == Gap::Hard) << Self::HARD
                | u64::from(l.script != Script::Han) << Self::FOREIGN
        };
        let lists_of = |e: usize| -> [u64; 2] {
            match lx.get(e) {
                Some(l) => {
                    let shared = shared_of(l);
                    let row = &merged_hits(l.entry).1;
                    let figure = |t: usize| {
                        if l.hit(lis[t]) {
                            // A Han character is never an own-list piece (`Lexeme::OWN`).
                            ZH_PACKED[t][usize::from(row[lis[t]]) & 2047]
                        } else {
                            0
                        }
                    };
                    [figure(0) | shared, figure(1) | shared]
                }
                // Past the end: never inside a window.
                None => [1 << Self::FOREIGN; 2],
            }
        };
        let mut ring = [[0u64; 2]; Self::RING];
        // Sums over lexemes `e - 11..=e`, gaps before them included, when `lists_end == Some(e)`.
        let mut sum = [0u64; 2];
        let mut lists_end: Option<usize> = None;
        let mut starts: [Vec<(u32, u32)>; 2] = Default::default();
        // 1 + the last lexeme so far that is no Han character, and that has a hard gap, a gap of
        // nothing, a list separator or more before it (0: none yet).
        let (mut last_foreign, mut last_hard, mut last_together, mut last_punctuated) =
            (0usize, 0usize, 0usize, 0usize);
        // `i` ends the 10-lexeme window from `s = i - 9`, the shortest of a start.
        for (i, l) in lx.iter().enumerate() {
            if l.script != Script::Han {
                last_foreign = i + 1;
            }
            match l.gap_before {
                Gap::None => last_together = i + 1,
                Gap::Space => {}
                Gap::List => last_punctuated = i + 1,
                Gap::Hard => {
                    last_punctuated = i + 1;
                    last_hard = i + 1;
                }
            }
            let Some(s) = i.checked_sub(WINDOW - 3) else {
                continue;
            };
            // The layout of the window `s..=i`, as `layout_may_pass` judges its sums: no
            // foreign word in it, no hard gap inside, not both touching and punctuated inside
            // (the gap before `s` is not inside). A longer window from `s` holds this one, and
            // every field that fails a layout only grows with it: when this window fails, so
            // do the others (almost every window of prose).
            if last_foreign > s
                || last_hard > s + 1
                || (last_together > s + 1 && last_punctuated > s + 1)
            {
                continue;
            }
            // Windows `s..=s + len - 1` for len 10, 11, 12.
            let e = s + WINDOW - 1;
            if lists_end == Some(e - 1) {
                let v = lists_of(e);
                let old = ring[(e - WINDOW) % Self::RING];
                ring[e % Self::RING] = v;
                for t in 0..2 {
                    sum[t] = sum[t] + v[t] - old[t];
                }
            } else {
                sum = [0; 2];
                for k in s..=e {
                    let v = lists_of(k);
                    ring[k % Self::RING] = v;
                    for t in 0..2 {
                        sum[t] += v[t];
                    }
                }
            }
            lists_end = Some(e);
            let (first, last, before_last) = (
                ring[s % Self::RING],
                ring[e % Self::RING],
                ring[(e - 1) % Self::RING],
            );
            // The gap before `s` is not inside.
            let windows = |t: usize| {
                let w12 = sum[t] - (first[t] & Self::GAP_MASK);
                let w11 = w12 - last[t];
                [
                    (WINDOW - 2, w11 - before_last[t]),
                    (WINDOW - 1, w11),
                    (WINDOW, w12),
                ]
            };
            for (t, out) in starts.iter_mut().enumerate() {
                if let Some(&(len, _)) = windows(t)
                    .iter()
                    .find(|&&(len, w)| s + len <= n && Self::may_pass(w))
                {
                    out.push((
                        u32::try_from(s).unwrap_or(u32::MAX),
                        u32::try_from(s + len - 1).unwrap_or(u32::MAX),
                    ));
                }
            }
        }
        ZhCandidates { starts }
    }

    fn field(w: u64, at: u32) -> u64 {
        w >> at & 0xF
    }

    /// Whether a window with sums `w` lies inside a run and is not both written together and
    /// punctuated.
    fn layout_may_pass(w: u64) -> bool {
        Self::field(w, Self::HARD) == 0
            && Self::field(w, Self::FOREIGN) == 0
            && !(Self::field(w, Self::TOGETHER) > 0 && Self::field(w, Self::PUNCTUATED) > 0)
    }

    /// Whether a window with sums `w` (one list's) may pass (see the type's docs).
    fn may_pass(w: u64) -> bool {
        let hits = w & 0xF;
        let rank = w >> 4 & 0xFF_FFFF;
        let centi = i64::try_from(w >> 28 & 0x1_FFFF).unwrap_or(i64::MAX)
            - 4096 * i64::try_from(hits).unwrap_or(0);
        // The rank first: it turns away most windows that pass on layout.
        hits > 0
            && rank >= hits * Self::MIN_RANK_FIXED
            && Self::layout_may_pass(w)
            && !(Self::field(w, Self::TOGETHER) > 0 && centi > Self::MAX_CENTIBITS)
    }

    /// Whether some window of `starts` (one list's) lies inside lexemes `a..=b`.
    fn any_within(starts: &[(u32, u32)], a: usize, b: usize) -> bool {
        let from = starts.partition_point(|&(s, _)| (s as usize) < a);
        starts[from..]
            .iter()
            .take_while(|&&(s, _)| s as usize <= b)
            .any(|&(_, e)| e as usize <= b)
    }
}

/// The lowest mean log2(rank + 1) of a window that looks drawn at random: uniform draws from
/// 2048 average ~9.6 (p0.1 ≈ 8.0); prose sits lower.
const MIN_MEAN_RANK: f64 = 7.5;
/// The mean log2(rank + 1) above which a window may hold one more word pair (3) with no
/// checksum to back it. Without it a random phrase with 3 chance pairs in a window (≈1.2% of
/// windows) is lost, or cut short at that window, whenever a misspelled character removes the
/// checksum. In Debian's Chinese docs and the seed article no 12-character window with 3 pairs
/// reaches 8.0 and none with 4 reaches 8.6, but a sentence made from one of them
/// ("令会拒绝将压缩结果写往终", 3 pairs) reaches 8.53: 9.0 keeps a margin, and ~90% of uniform draws
/// of 12 are above it. Such a window may also repeat two characters (12 draws do so ≈ 0.05% of
/// the time, which alone loses a separated phrase with a typo): no prose window that rare has
/// 3 pairs or fewer, whatever its repeats.
const RARE_MEAN_RANK: f64 = 9.0;

/// The mean log2(rank + 1) above which a window may hold 4 word pairs when a valid checksum
/// covers it: no 12-character window of the prose with 4 pairs reaches 8.6, and ~90% of uniform
/// draws of 12 are above 9.0. A random phrase holds 4 chance pairs in a window with
/// probability ≈ 0.2%.
const CHECKED_RARE_MEAN_RANK: f64 = 9.0;

/// The most adjacent pairs forming a word that a window of a phrase may hold (with a checksum
/// or a rare mean rank to back the third and fourth).
const MAX_PAIR_WORDS: usize = 4;

/// The most evidence for prose, in bits, that a window written together may hold: the sum of
/// log2(2048 · p(c)) over its list characters (how much likelier prose is to write each than a
/// uniform draw from the list, by jieba's character frequencies) and of the mutual information of
/// each touching pair that forms a word. It is set from uniform draws, not from prose: 12 draws
/// from the simplified or traditional list exceed 6 bits with probability ≈ 0.1%, while ordinary
/// prose sits far above (median ≈ 40 bits on the corpus's reviews, forum posts, news and chats).
/// The rank and pair rules below stay as they were; this one turns away the prose windows they let
/// through, sentences of everyday characters around a rare name ("那我推荐您北京远通维景国际大").
const ZH_MAX_PROSE_BITS: f64 = 6.0;
/// What a phrase label before the window, or a valid checksum over it, adds to
/// `ZH_MAX_PROSE_BITS`: a checksum of 12 words is 4 bits.
const ZH_BACKED_BITS: f64 = 4.0;

/// Whether each pair of touching lexemes forms a Chinese word ([`zh_pair_bits`]), looked up
/// the first time a window asks and kept for the rest of the text: both Chinese lists ask about
/// the same characters. Entry `i` is the pair of lexemes `i` and `i + 1`.
struct PairCache {
    /// `UNKNOWN` until looked up, `NO_PAIR` when not a word, else the pair's byte.
    entries: Vec<u16>,
    /// The buffers of the last run's [`RunSums`], kept for the next run.
    sums: RunSums,
}

impl PairCache {
    const UNKNOWN: u16 = u16::MAX;
    const NO_PAIR: u16 = 0x100;

    fn new(lexemes: usize) -> Self {
        PairCache {
            entries: vec![Self::UNKNOWN; lexemes],
            sums: RunSums::default(),
        }
    }

    /// The pair byte of lexemes `i` and `i + 1` when they touch and form a word.
    fn get(&mut self, text: &str, lx: &[Lexeme], i: usize) -> Option<u8> {
        let slot = &mut self.entries[i];
        if *slot == Self::UNKNOWN {
            let (x, y) = (lx[i], lx[i + 1]);
            let bits = if y.gap_before == Gap::None {
                zh_pair_bits(
                    text.get(x.start()..x.end()).unwrap_or(""),
                    text.get(y.start()..y.end()).unwrap_or(""),
                )
            } else {
                None
            };
            *slot = bits.map_or(Self::NO_PAIR, u16::from);
        }
        u8::try_from(*slot).ok()
    }
}

/// Running sums over a run of Chinese characters, so that each of its windows is first judged in
/// constant time from its characters alone: most windows of prose fail on these figures, and
/// only the rest have their pairs looked up ([`PairCache`]) and are looked at character by
/// character ([`Draws::of`]). Entry `k` covers the run's first `k` characters.
#[derive(Default)]
struct RunSums {
    /// Entry `k`: the sums over characters `..k` (`k` from 0 to the run's length).
    prefix: Vec<RunPrefix>,
    /// Entry `k`: characters `1..=k` that touch the one before, and those set apart by a list
    /// separator or more (`k` from 0 to the run's length less one).
    layout: Vec<(u32, u32)>,
}

/// Sums over a run's first characters (see [`RunSums`]).
#[derive(Clone, Copy)]
struct RunPrefix {
    /// The list characters' unigram bits (see [`ZH_MAX_PROSE_BITS`]).
    char_bits: f64,
    /// The list characters' log2(index + 1) (`RANK_LOG2_BITS`).
    rank_bits: f64,
    /// How many list characters.
    listed: u32,
}

impl RunSums {
    /// Fills the sums for run `a..=b` of list `li`, reusing the buffers of the run before (a
    /// text has thousands of runs).
    fn refill(&mut self, lx: &[Lexeme], li: usize, table: usize, a: usize, b: usize) {
        let unigram = &ZH_UNIGRAM_CENTIBITS[table];
        let n = b + 1 - a;
        let RunSums { prefix, layout } = self;
        prefix.clear();
        prefix.reserve(n + 1);
        layout.clear();
        layout.reserve(n);
        let (mut bits, mut t, mut p) = (0.0f64, 0u32, 0u32);
        let (mut rank, mut hits) = (0.0f64, 0u32);
        prefix.push(RunPrefix {
            char_bits: bits,
            rank_bits: rank,
            listed: hits,
        });
        layout.push((t, p));
        for (k, l) in lx[a..=b].iter().enumerate() {
            if l.hit(li) {
                let i = usize::from(l.index(li)) & 2047;
                bits += f64::from(unigram[i]) / 100.0;
                rank += f64::from_bits(RANK_LOG2_BITS[i]);
                hits += 1;
            }
            prefix.push(RunPrefix {
                char_bits: bits,
                rank_bits: rank,
                listed: hits,
            });
            if k > 0 {
                t += u32::from(l.gap_before == Gap::None);
                p += u32::from(matches!(l.gap_before, Gap::List | Gap::Hard));
                layout.push((t, p));
            }
        }
    }

    /// The unigram bits of the characters `s..=e` of the run.
    fn char_bits(&self, s: usize, e: usize) -> f64 {
        self.prefix[e + 1].char_bits - self.prefix[s].char_bits
    }

    /// Whether the characters `s..=e` of the run are written together (some touch), and
    /// punctuated (some are set apart by a list separator or more).
    fn together_punctuated(&self, s: usize, e: usize) -> (bool, bool) {
        let (ts, ps) = self.layout[s];
        let (te, pe) = self.layout[e];
        (te > ts, pe > ps)
    }

    /// Whether the window of the run's characters `s..=e` is surely made of characters too
    /// common to be drawn at random: its mean log2(rank + 1) is under `MIN_MEAN_RANK`, the
    /// lowest any rule accepts ([`Draws::random_like`] is only asked with it or a higher one),
    /// by a margin far above the rounding of these running sums (so [`Draws::of`], which sums
    /// the window on its own, cannot find it at or above). Most windows of prose are.
    fn surely_common(&self, s: usize, e: usize) -> bool {
        let n = self.prefix[e + 1].listed - self.prefix[s].listed;
        if n == 0 {
            // No list character: no mean rank, never random-like.
            return true;
        }
        let mean = (self.prefix[e + 1].rank_bits - self.prefix[s].rank_bits) / f64::from(n);
        mean < MIN_MEAN_RANK - 1e-6
    }

    /// Whether the window of the run's characters `s..=e` fails whatever its pairs: its
    /// characters are both together and punctuated, or written together with more unigram bits
    /// than any backing allows. Pair bits are never negative, so the window's full sum in
    /// [`RunSums::window`] (computed as it always was) cannot fall under its characters' alone.
    fn hopeless(&self, s: usize, e: usize) -> bool {
        let (together, punctuated) = self.together_punctuated(s, e);
        together && (punctuated || self.char_bits(s, e) > ZH_MAX_PROSE_BITS + ZH_BACKED_BITS)
    }

    /// For the window of the run's characters `s..=e` (the run starting at lexeme `a`): whether
    /// they are written together, how many of their pairs form a word and their evidence for
    /// prose in bits; `None` when the window cannot be a phrase whatever else it holds
    /// (characters both together and punctuated; too many word pairs; more prose bits than any
    /// backing allows).
    fn window(
        &self,
        text: &str,
        lx: &[Lexeme],
        pairs: &mut PairCache,
        a: usize,
        s: usize,
        e: usize,
    ) -> Option<(bool, usize, f64)> {
        let (together, punctuated) = self.together_punctuated(s, e);
        if together && punctuated {
            return None;
        }
        // Pair bits are never negative, so a window written together whose characters alone
        // hold more prose bits than any backing allows fails whatever its pairs (the sum below
        // is computed as it always was, and cannot fall under this one).
        if together && self.char_bits(s, e) > ZH_MAX_PROSE_BITS + ZH_BACKED_BITS {
            return None;
        }
        let (end_bits, start_bits) = (self.prefix[e + 1].char_bits, self.prefix[s].char_bits);
        let (mut pair_words, mut pair_bits) = (0usize, 0u32);
        if together {
            for k in s..e {
                if let Some(bits) = pairs.get(text, lx, a + k) {
                    pair_words += usize::from(bits & ZH_PAIR_VARIANT == 0);
                    pair_bits += u32::from(bits & !ZH_PAIR_VARIANT);
                    // Both only grow over the pairs still to come (and rounding keeps the sum
                    // below from falling): once either fails, the window fails.
                    if pair_words > MAX_PAIR_WORDS
                        || f64::from(pair_bits) + end_bits - start_bits
                            > ZH_MAX_PROSE_BITS + ZH_BACKED_BITS
                    {
                        return None;
                    }
                }
            }
        }
        let prose_bits = f64::from(pair_bits) + end_bits - start_bits;
        let possible = pair_words <= MAX_PAIR_WORDS
            && !(together && prose_bits > ZH_MAX_PROSE_BITS + ZH_BACKED_BITS);
        possible.then_some((together, pair_words, prose_bits))
    }
}

/// What tells characters `a..=b` drawn at random from the wordlist apart from written ones.
struct Draws {
    /// Adjacent pairs that touch and form a word.
    pair_words: usize,
    /// Evidence for prose in bits (see [`ZH_MAX_PROSE_BITS`]).
    prose_bits: f64,
    /// List characters that repeat an earlier one.
    repeats: usize,
    /// Mean log2(rank + 1) of the list characters; `None` without any.
    mean_rank: Option<f64>,
}

impl Draws {
    /// The figures of characters `a..=b`; `pair_words` and `prose_bits` come from the run's
    /// [`RunSums`], which has already turned away the windows that cannot pass (most of prose).
    /// Pairs are judged on the characters as written, so that a simplified character in a run of
    /// the traditional list (or the other way round) still forms its word.
    fn of(
        lx: &[Lexeme],
        li: usize,
        pair_words: usize,
        prose_bits: f64,
        a: usize,
        b: usize,
    ) -> Self {
        let mut seen = [0u16; WINDOW];
        let mut drawn = 0;
        let (mut sum, mut n) = (0f64, 0u32);
        for l in &lx[a..=b] {
            if l.hit(li) {
                // A window is at most `WINDOW` characters.
                if let Some(slot) = seen.get_mut(drawn) {
                    *slot = l.index(li);
                    drawn += 1;
                }
                sum += f64::from(l.index(li) + 1).log2();
                n += 1;
            }
        }
        let seen = &mut seen[..drawn];
        seen.sort_unstable();
        let distinct = 1 + seen.windows(2).filter(|w| w[0] != w[1]).count();
        Draws {
            pair_words,
            prose_bits,
            repeats: drawn.saturating_sub(distinct),
            mean_rank: (n > 0).then(|| sum / f64::from(n)),
        }
    }

    /// Whether the window looks drawn at random: at most `max_words` pairs form a word, the
    /// characters are not repeated as prose repeats them (软件包…软件包; twelve random draws from
    /// 2048 repeat one with probability ≈ 3% and two with ≈ 0.05%), and they are not mostly very
    /// common ones.
    fn random_like(&self, max_words: usize, min_rank: f64) -> bool {
        self.pair_words <= max_words
            && self.repeats <= max_words.saturating_sub(1).max(1)
            && self.mean_rank.is_some_and(|r| r >= min_rank)
    }
}

/// First-character index over [`ZH_PAIRS`] for first characters `ZH_INDEX_FIRST..=ZH_INDEX_LAST`
/// (the CJK Unified Ideographs block): little-endian `u32` entry `c - ZH_INDEX_FIRST` is the
/// position of the first pair starting with `c` or later, with one more entry at the end. It
/// narrows each search to the pairs of one character (about 60) instead of all 288 000:
/// prose checks one pair per Chinese character.
static ZH_PAIRS_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/zh_pairs_index.bin"));
/// The same constants are in build.rs.
const ZH_INDEX_FIRST: u32 = 0x4E00;
const ZH_INDEX_LAST: u32 = 0x9FFF;

/// Set in a [`ZH_PAIRS`] byte for a pair that jieba writes only in simplified form. Such a
/// pair adds its bits to a window's evidence for prose, but is not counted as a word pair by the
/// older rules (`MAX_PAIR_WORDS`, `random_like`), whose limits were set with simplified pairs
/// only: counting them too would turn away random traditional phrases that those limits let
/// through (≈ 0.5% more of them).
const ZH_PAIR_VARIANT: u8 = 0x80;

/// The mutual information byte (see [`ZH_PAIRS`]) of the first characters of `a` and `b`
/// when they form a word; `None` when they do not.
fn zh_pair_bits(a: &str, b: &str) -> Option<u8> {
    let (x, y) = (a.chars().next()?, b.chars().next()?);
    let key = u64::from(u32::from(x)) << 32 | u64::from(u32::from(y)) << 8;
    let entry = |c: u32| {
        let at = usize::try_from(c - ZH_INDEX_FIRST).ok()? * 4;
        let mut rec = [0u8; 4];
        rec.copy_from_slice(ZH_PAIRS_INDEX.get(at..at + 4)?);
        usize::try_from(u32::from_le_bytes(rec)).ok()
    };
    let first = u32::from(x);
    let range = if (ZH_INDEX_FIRST..=ZH_INDEX_LAST).contains(&first) {
        entry(first).zip(entry(first + 1))
    } else {
        None
    };
    let (mut lo, mut hi) = range.unwrap_or((0, ZH_PAIRS.len() / 8));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let mut rec = [0u8; 8];
        rec.copy_from_slice(ZH_PAIRS.get(mid * 8..mid * 8 + 8)?);
        let found = u64::from_le_bytes(rec);
        match (found & !0xff).cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return u8::try_from(found & 0xff).ok(),
        }
    }
    None
}

/// Widens `a..=b` over up to two adjacent words on each side that look like misspellings of
/// list words, so a typo at the edge of a phrase is removed with it.
fn widen(
    text: &str,
    lx: &[Lexeme],
    li: usize,
    wl: Wordlist,
    mut a: usize,
    mut b: usize,
) -> (usize, usize) {
    let list = list_like(lx, a, b);
    // In running text, a sentence end closes the phrase; in a list, punctuation separates words.
    // A bracket opens or closes an aside ("(I think)"), never a misspelled phrase word; one after
    // a number numbers the words ("1) ").
    let joins = |left: &Lexeme, right: &Lexeme| {
        let gap = text.get(left.end()..right.start()).unwrap_or("");
        right.gap_before != Gap::Hard
            && (!gap.contains(['(', ')', '（', '）']) || gap.chars().any(|c| c.is_ascii_digit()))
            && (list
                || !text
                    .get(left.end()..right.start())
                    .unwrap_or("")
                    .contains(['.', '!', '?', ':', '。', '！', '？', '：']))
    };
    // A word between list separators is an item of the list ("is: her, abstract, …").
    let listed = |i: usize| {
        lx[i].gap_before == Gap::List && lx.get(i + 1).is_some_and(|n| n.gap_before == Gap::List)
    };
    for _ in 0..2 {
        if a > 0 && joins(&lx[a - 1], &lx[a]) && near_miss(text, &lx[a - 1], li, wl, listed(a - 1))
        {
            a -= 1;
        }
        if b + 1 < lx.len()
            && joins(&lx[b], &lx[b + 1])
            && near_miss(text, &lx[b + 1], li, wl, listed(b + 1))
        {
            b += 1;
        }
    }
    (a, b)
}

/// Whether `l` looks like a misspelled list word. A common English word is one only as an item
/// of a list (`listed`) and one edit away from a list word ("her" for "hen"); in running text it
/// is the sentence around the phrase.
fn near_miss(text: &str, l: &Lexeme, li: usize, wl: Wordlist, listed: bool) -> bool {
    if l.hit(li) {
        return false;
    }
    let word = text.get(l.start()..l.end()).unwrap_or("");
    match (l.script, wl.language()) {
        (Script::Alpha, lang) if !lang.is_chinese() && lang.folds_accents() => {
            let key = lookup_key(lang, word);
            let chars = key.chars().count();
            // The label in front of a phrase ("recovery phrase:") is not part of it.
            if !(3..=12).contains(&chars)
                || LABEL_WORDS.contains(&key.as_str())
                || CLOSING_WORDS.contains(&key.as_str())
            {
                return false;
            }
            if is_stopword(&key) {
                return listed && any_key_within(wl, &key, 1);
            }
            let prefix: String = key.chars().take(4).collect();
            if chars >= 4 && wl.words_with_prefix(&prefix).next().is_some() {
                return true;
            }
            let max = if chars <= 4 { 1 } else { 2 };
            any_key_within(wl, &key, max)
        }
        // A character outside the list, touching a Chinese phrase.
        (Script::Han, lang) if lang.is_chinese() => l.end - l.start <= 4,
        // Kana or Hangul that did not segment into list words: a misspelled word.
        (Script::Kana, Language::Japanese) => word.chars().count() <= 12,
        // Unmatched syllables inside a token with list words: part of a misspelled word.
        (Script::Hangul, Language::Korean) if l.piece() => word.chars().count() <= 12,
        // One syllable changed, added or dropped from a list word: prose words next to a
        // Korean phrase ("입니다", "감사합니다") are not taken in with it.
        (Script::Hangul, Language::Korean) => {
            let typed: Vec<char> = word.nfc().collect();
            let n = typed.len();
            // `within_edits` on the composed forms (never ASCII), the list composed once.
            !l.stop()
                && (2..=5).contains(&n)
                && korean_composed()
                    .iter()
                    .any(|w| w.len().abs_diff(n) <= 1 && edit_distance_chars(w, &typed) <= 1)
        }
        _ => false,
    }
}

/// English words that label a phrase; never taken for misspelled phrase words.
const LABEL_WORDS: [&str; 9] = [
    "seed", "phrase", "mnemonic", "recovery", "backup", "secret", "words", "restore", "wallet",
];

/// Words that close a message after a phrase ("…\nthanks"); "thanks" shares its first four
/// letters with the list word "thank", but it is not a misspelling of it there.
const CLOSING_WORDS: [&str; 6] = ["thanks", "thanx", "regards", "cheers", "gracias", "merci"];

/// Damerau–Levenshtein (optimal string alignment) distance ≤ `max`, on chars.
/// Whether some key of `wl` is [`within_edits`] of `key`.
///
/// Each edit (a character added, dropped or changed, two swapped) takes at most one character
/// of one string that the other lacks, so a key holding more than `max` letters that `key`
/// lacks altogether, or lacking more than `max` of `key`'s, is never within `max` edits: for
/// ASCII, that is two 64-bit sets and a population count, which turns away nearly every key
/// before the edit distance is computed.
fn any_key_within(wl: Wordlist, key: &str, max: usize) -> bool {
    let set = |w: &str| w.bytes().fold(0u64, |m, b| m | 1 << (b & 63));
    let ascii = key.is_ascii();
    let key_set = set(key);
    let max_bits = u32::try_from(max).unwrap_or(u32::MAX);
    wl.keys().any(|w| {
        if ascii && w.is_ascii() {
            let w_set = set(w);
            if (w_set & !key_set).count_ones() > max_bits
                || (key_set & !w_set).count_ones() > max_bits
            {
                return false;
            }
        }
        within_edits(w, key, max)
    })
}

pub(crate) fn within_edits(a: &str, b: &str, max: usize) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // One byte a character: the same distance on the stack (this runs against every word
        // of a list for each word next to a phrase).
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len().abs_diff(b.len()) > max {
            return false;
        }
        if let Some(d) = ascii_edit_distance(a, b) {
            return d <= max;
        }
    }
    a.chars().count().abs_diff(b.chars().count()) <= max && edit_distance(a, b) <= max
}

/// [`edit_distance`] of two ASCII strings of at most `ASCII_EDIT_MAX` bytes, without
/// allocating; `None` when longer.
fn ascii_edit_distance(a: &[u8], b: &[u8]) -> Option<usize> {
    const ASCII_EDIT_MAX: usize = 24;
    let (n, m) = (a.len(), b.len());
    if n > ASCII_EDIT_MAX || m > ASCII_EDIT_MAX {
        return None;
    }
    // Rows i-2, i-1 and i of the same table as `edit_distance`.
    let mut rows = [[0usize; ASCII_EDIT_MAX + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
        }
    }
    Some(rows[n % 3][m])
}

/// Damerau–Levenshtein (optimal string alignment) distance, on chars: insertions, deletions,
/// substitutions and swaps of two adjacent characters each cost one.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_chars(&a, &b)
}

/// [`edit_distance`] of two strings given as characters; on the stack when both are short.
fn edit_distance_chars(a: &[char], b: &[char]) -> usize {
    const STACK: usize = 256;
    let (n, m) = (a.len(), b.len());
    let cells = (n + 1) * (m + 1);
    let mut stack = [0usize; STACK];
    let mut heap = Vec::new();
    let d: &mut [usize] = if cells <= STACK {
        &mut stack[..cells]
    } else {
        heap.resize(cells, 0);
        &mut heap
    };
    let w = m + 1;
    for i in 0..=n {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[n * w + m]
}

/// The words of the Korean list composed (NFC), as characters: built once.
fn korean_composed() -> &'static [Vec<char>] {
    static COMPOSED: std::sync::OnceLock<Vec<Vec<char>>> = std::sync::OnceLock::new();
    COMPOSED.get_or_init(|| {
        Language::Korean
            .wordlist()
            .words()
            .iter()
            .map(|w| w.nfc().collect())
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// Reporting

fn finding(text: &str, lx: &[Lexeme], li: usize, wl: Wordlist, a: usize, b: usize) -> Finding {
    let n = b + 1 - a;
    let e = hits_in(lx, li, a, b);
    let all_known = e == n;
    let checksum = checksum_somewhere(lx, li, a, b);
    let checksum_valid = if checksum.is_some() {
        Some(true)
    } else if all_known && bip39::is_valid_word_count(n) {
        Some(false)
    } else {
        None
    };
    let mut kind = SecretKind::RecoveryPhrase;
    let mut electrum_valid = false;
    if wl.language() == Language::English && checksum.is_none() && all_known {
        let words: Vec<&str> = (a..=b).map(|i| wl.word(lx[i].index(li))).collect();
        if crate::electrum::seed_type_of_words(&words).is_some() {
            kind = SecretKind::ElectrumSeed;
            electrum_valid = true;
        }
    }
    let mut confidence: f32 = 0.6;
    if checksum.is_some() || electrum_valid {
        confidence += 0.3;
    }
    if list_like(lx, a, b) {
        confidence += 0.05;
    }
    if labelled(text, lx[a].start()) {
        confidence += 0.05;
    }
    #[expect(clippy::cast_precision_loss, reason = "word counts are tiny")]
    let miss_penalty = (n - e) as f32 * 0.05;
    confidence = (confidence - miss_penalty).clamp(0.3, 0.99);
    Finding {
        kind,
        start: lx[a].start(),
        end: lx[b].end(),
        language: Some(wl.language()),
        words: Some(n),
        checksum_valid: if electrum_valid {
            Some(true)
        } else {
            checksum_valid
        },
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_and_hangul_normalise_character_by_character() {
        // What `syllable_keys` relies on: every character a kana or Hangul token can hold
        // decomposes (NFKD) to starters and marks of class 8 only, so normalising a token piece
        // by piece gives the same key as normalising it whole.
        use unicode_normalization::char::canonical_combining_class;
        let mut checked = 0;
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            if !(crate::text::is_kana(c) || crate::text::is_hangul(c)) {
                continue;
            }
            for d in std::iter::once(c).nfkd() {
                let class = canonical_combining_class(d);
                assert!(
                    class == 0 || class == 8,
                    "{c:?} decomposes to {d:?} of class {class}"
                );
            }
            checked += 1;
        }
        assert!(checked > 11_000, "{checked}");
        // And on real tokens, whole against piece by piece, in both forms.
        for lang in [Language::Japanese, Language::Korean] {
            let words = lang.wordlist().words();
            for chunk in words.chunks(7).take(40) {
                let joined: String = chunk.concat();
                for form in [joined.nfc().collect::<String>(), joined.nfkd().collect()] {
                    let tok = crate::text::tokenize(&form);
                    for t in tok {
                        let run = t.text(&form);
                        let bounds: Vec<usize> = run
                            .char_indices()
                            .filter(|&(i, c)| i == 0 || !continues_syllable(c))
                            .map(|(i, _)| t.start + i)
                            .chain(std::iter::once(t.end))
                            .collect();
                        let (keys, _) = syllable_keys(&form, lang, &bounds);
                        assert_eq!(keys, lookup_key(lang, run), "{run}");
                    }
                }
            }
        }
    }

    #[test]
    fn any_key_within_agrees_with_the_full_search() {
        let prose = "the wallet said my transfer was pending for three days please help thanks \
                     abandn abilty abotu zoo zooo zebra quantum bitcoin ledger trezor swap \
                     recieve adress balance olvidé contraseña frère château año über";
        for lang in LATIN {
            let wl = lang.wordlist();
            let mut words: Vec<String> = prose.split(' ').map(|w| lookup_key(lang, w)).collect();
            // List words with one and two letters changed, dropped, added or swapped.
            for (n, key) in wl.keys().enumerate().filter(|(n, _)| n % 17 == 0) {
                let b = key.as_bytes();
                let k = n % b.len();
                let mut changed = b.to_vec();
                changed[k] = b'a' + u8::try_from(n % 26).unwrap_or(0);
                let mut swapped = b.to_vec();
                swapped.swap(k, (k + 1) % b.len());
                let mut twice = changed.clone();
                twice.remove((k + 2) % twice.len());
                for v in [changed, swapped, twice, b[1..].to_vec(), [b, b"q"].concat()] {
                    words.push(String::from_utf8(v).unwrap_or_default());
                }
            }
            for word in &words {
                for max in [1, 2] {
                    assert_eq!(
                        any_key_within(wl, word, max),
                        wl.keys().any(|w| within_edits(w, word, max)),
                        "{lang:?} {word} {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_gap_agrees_with_the_general_gap_tests() {
        // Every gap of up to four bytes over the bytes that matter (whitespace in and out of
        // `char::is_whitespace`, sentence ends, list separators, joiners), and longer ones.
        let alphabet: &[u8] = b" \t\n\x0B\x0C\r\x1C\x1F.?!,;|\"'-_/:()=";
        let mut gaps: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = gaps
                .iter()
                .filter(|g| g.len() == gaps.last().map_or(0, Vec::len))
                .flat_map(|g| {
                    alphabet.iter().map(move |&b| {
                        let mut g = g.clone();
                        g.push(b);
                        g
                    })
                })
                .collect();
            gaps.extend(longer);
        }
        gaps.extend((1..=24).map(|n| b"., \n;\n".iter().copied().cycle().take(n).collect()));
        for gap in gaps.iter().filter(|g| !g.is_empty()) {
            let text = std::str::from_utf8(gap).expect("ASCII");
            assert_eq!(
                ascii_gap(gap),
                (gap_kind(text), is_code_joint(text) || ends_sentence(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn ascii_edit_distance_agrees_with_the_general_one() {
        // Every pair of short strings over a small alphabet (transpositions, repeats…), and
        // list words against their neighbours.
        let alphabet = [b'a', b'b', b'c'];
        let mut words: Vec<String> = vec![String::new()];
        for len in 1..=4 {
            let mut n = 1;
            for _ in 0..len {
                n *= alphabet.len();
            }
            for mut k in 0..n {
                let mut w = String::new();
                for _ in 0..len {
                    w.push(char::from(alphabet[k % alphabet.len()]));
                    k /= alphabet.len();
                }
                words.push(w);
            }
        }
        for a in &words {
            for b in &words {
                assert_eq!(
                    ascii_edit_distance(a.as_bytes(), b.as_bytes()),
                    Some(super::edit_distance(a, b)),
                    "{a} {b}"
                );
            }
        }
        let en: Vec<&str> = Language::English.wordlist().keys().collect();
        for pair in en.windows(2) {
            assert_eq!(
                ascii_edit_distance(pair[0].as_bytes(), pair[1].as_bytes()),
                Some(super::edit_distance(pair[0], pair[1]))
            );
        }
        assert_eq!(ascii_edit_distance(&[b'a'; 25], b"a"), None);
    }

    /// The edit distance as it was written before it moved onto the stack: a table of vectors.
    fn reference_edit_distance(a: &[char], b: &[char]) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[n][m]
    }

    #[test]
    fn edit_distance_on_the_stack_agrees_with_the_table_of_vectors() {
        // Short strings (the stack), and long ones (more than 256 cells: the heap), Hangul and
        // Latin, with transpositions, insertions and deletions.
        let ko: Vec<Vec<char>> = korean_composed().iter().take(300).cloned().collect();
        let mut cases: Vec<(Vec<char>, Vec<char>)> = Vec::new();
        for pair in ko.windows(2) {
            cases.push((pair[0].clone(), pair[1].clone()));
            let mut swapped = pair[0].clone();
            if swapped.len() > 1 {
                swapped.swap(0, 1);
            }
            cases.push((pair[0].clone(), swapped));
            let mut longer = pair[1].clone();
            longer.push('가');
            cases.push((pair[0].clone(), longer));
        }
        let long_a: Vec<char> = "abandonabilityableaboutabovetheabsentabsorbabstract"
            .chars()
            .collect();
        let mut long_b = long_a.clone();
        long_b.swap(3, 4);
        long_b.remove(20);
        long_b.insert(30, 'x');
        cases.push((long_a.clone(), long_b.clone()));
        cases.push((long_a.clone(), Vec::new()));
        cases.push((long_a[..15].to_vec(), long_b[..16].to_vec()));
        cases.push((long_a[..16].to_vec(), long_b.clone()));
        for (a, b) in &cases {
            assert_eq!(
                edit_distance_chars(a, b),
                reference_edit_distance(a, b),
                "{a:?} {b:?}"
            );
        }
        // And the heap path was taken at least once.
        assert!(
            cases
                .iter()
                .any(|(a, b)| (a.len() + 1) * (b.len() + 1) > 256)
        );
    }

    /// A phrase from varied (not constant) entropy derived from `seed`.
    fn phrase(lang: Language, seed: &[u8]) -> Vec<&'static str> {
        let wl = lang.wordlist();
        let entropy: Vec<u8> = (0u8..16)
            .map(|i| i.wrapping_mul(73).wrapping_add(seed[0]).rotate_left(3))
            .collect();
        bip39::indices_from_entropy(&entropy)
            .unwrap()
            .into_iter()
            .map(|i| wl.word(i))
            .collect()
    }

    #[test]
    fn english_phrase_in_a_sentence() {
        let p = phrase(Language::English, &[3u8; 16]).join(" ");
        let text = format!("Hi, I can't restore my wallet, my words are {p} please help");
        let f = find_phrases(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&text[f[0].start..f[0].end], p);
        assert_eq!(f[0].checksum_valid, Some(true));
        assert_eq!(f[0].words, Some(12));
    }

    #[test]
    fn chinese_phrase_without_separators_next_to_prose() {
        let p: String = phrase(Language::ChineseSimplified, &[0x5au8; 16]).concat();
        let text = format!("你好，我的钱包恢复不了，助记词是{p}，请帮帮我");
        let f = find_phrases(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].start <= text.find(&p).unwrap());
        assert!(f[0].end >= text.find(&p).unwrap() + p.len());
    }

    #[test]
    fn misspelled_edge_word_is_taken_in() {
        let mut words = phrase(Language::English, &[9u8; 16]);
        let first = format!("{}x", words[0]);
        words[0] = &first;
        let p = words.join(" ");
        let text = format!("my backup: {p}. thanks");
        let f = find_phrases(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&text[f[0].start..f[0].end], p);
    }

    #[test]
    fn japanese_without_separators() {
        let p: String = phrase(Language::Japanese, &[0x33u8; 16]).concat();
        let f = find_phrases(&p);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].start, f[0].end), (0, p.len()));
    }

    #[test]
    fn indexed_pair_search_agrees_with_a_full_search() {
        let keys: Vec<u64> = ZH_PAIRS
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()) >> 8 << 8)
            .collect();
        assert!(keys.is_sorted());
        let chars = |k: u64| {
            let c = |v: u64| {
                char::from_u32(u32::try_from(v).unwrap())
                    .unwrap()
                    .to_string()
            };
            (c(k >> 32), c((k & 0xffff_ffff) >> 8))
        };
        for &k in &keys {
            let (a, b) = chars(k);
            assert!(zh_pair_bits(&a, &b).is_some(), "{a}{b}");
            // Second characters before, after and far outside the first one's pairs.
            for y in ['\u{3400}', '\u{4E00}', '\u{9FFF}', '\u{20000}', 'x'] {
                let key = (k >> 32) << 32 | u64::from(u32::from(y)) << 8;
                assert_eq!(
                    zh_pair_bits(&a, &y.to_string()).is_some(),
                    keys.binary_search(&key).is_ok(),
                    "{a}{y}"
                );
            }
            // A neighbour that may or may not be a pair.
            if let Some((a, b)) = char::from_u32(u32::try_from((k & 0xffff_ffff) >> 8).unwrap() + 1)
                .map(|y| (chars(k).0, y.to_string()))
            {
                let key = k + (1 << 8);
                assert_eq!(
                    zh_pair_bits(&a, &b).is_some(),
                    keys.binary_search(&key).is_ok(),
                    "{a}{b}"
                );
            }
        }
        assert!(zh_pair_bits("a", "b").is_none());
        assert!(zh_pair_bits("", "的").is_none());
        // The figure comes with the pair (`data/zh_pairs.txt`: 医院 7), and a traditional form
        // is marked as one.
        assert_eq!(zh_pair_bits("医", "院"), Some(7));
        assert_eq!(zh_pair_bits("醫", "院"), Some(7 | ZH_PAIR_VARIANT));
    }

    #[test]
    fn edit_distance() {
        assert!(within_edits("abandon", "abandno", 1));
        assert!(within_edits("abandon", "abadon", 1));
        assert!(!within_edits("abandon", "ability", 2));
    }
}
