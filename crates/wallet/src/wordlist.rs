//! The ten official BIP39 wordlists and word lookup.
//!
//! Words are compared by a *lookup key*: the NFKD form, lower-cased, and for the Latin-script
//! lists with combining accents removed (BIP39 designed the Spanish, French, Czech and
//! Portuguese lists so that words stay unique without accents, and users often type them
//! without). Japanese and Korean keep their marks: in kana a dakuten changes the word.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

mod tables {
    include!(concat!(env!("OUT_DIR"), "/wordlists.rs"));
}

/// Number of words in every BIP39 wordlist.
pub const WORDLIST_LEN: usize = 2048;

/// A BIP39 wordlist language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    English,
    ChineseSimplified,
    ChineseTraditional,
    Japanese,
    Korean,
    Spanish,
    French,
    Italian,
    Czech,
    Portuguese,
}

impl Language {
    /// Every language, English first (the most common in practice).
    pub const ALL: [Language; 10] = [
        Language::English,
        Language::ChineseSimplified,
        Language::ChineseTraditional,
        Language::Japanese,
        Language::Korean,
        Language::Spanish,
        Language::French,
        Language::Italian,
        Language::Czech,
        Language::Portuguese,
    ];

    /// A BCP 47 tag for the language.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::ChineseSimplified => "zh-Hans",
            Language::ChineseTraditional => "zh-Hant",
            Language::Japanese => "ja",
            Language::Korean => "ko",
            Language::Spanish => "es",
            Language::French => "fr",
            Language::Italian => "it",
            Language::Czech => "cs",
            Language::Portuguese => "pt",
        }
    }

    /// The snake_case name used in JSON (`chinese_simplified`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "english",
            Language::ChineseSimplified => "chinese_simplified",
            Language::ChineseTraditional => "chinese_traditional",
            Language::Japanese => "japanese",
            Language::Korean => "korean",
            Language::Spanish => "spanish",
            Language::French => "french",
            Language::Italian => "italian",
            Language::Czech => "czech",
            Language::Portuguese => "portuguese",
        }
    }

    /// Parses a name (`english`), a tag (`en`, `zh-Hans`) or a common alias (`zh`, `zh-CN`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Language::ALL
            .into_iter()
            .find(|l| l.name() == s || l.tag().to_ascii_lowercase().replace('-', "_") == s)
            .or(match s.as_str() {
                "zh" | "zh_cn" | "cn" | "chinese" => Some(Language::ChineseSimplified),
                "zh_tw" | "zh_hk" => Some(Language::ChineseTraditional),
                "jp" => Some(Language::Japanese),
                "kr" => Some(Language::Korean),
                _ => None,
            })
    }

    /// The wordlist of this language.
    #[must_use]
    pub fn wordlist(self) -> Wordlist {
        let (words, sorted, prefix) = match self {
            Language::English => (
                &tables::ENGLISH_WORDS,
                &tables::ENGLISH_SORTED,
                &tables::ENGLISH_PREFIX,
            ),
            Language::ChineseSimplified => (
                &tables::CHINESE_SIMPLIFIED_WORDS,
                &tables::CHINESE_SIMPLIFIED_SORTED,
                &tables::CHINESE_SIMPLIFIED_PREFIX,
            ),
            Language::ChineseTraditional => (
                &tables::CHINESE_TRADITIONAL_WORDS,
                &tables::CHINESE_TRADITIONAL_SORTED,
                &tables::CHINESE_TRADITIONAL_PREFIX,
            ),
            Language::Japanese => (
                &tables::JAPANESE_WORDS,
                &tables::JAPANESE_SORTED,
                &tables::JAPANESE_PREFIX,
            ),
            Language::Korean => (
                &tables::KOREAN_WORDS,
                &tables::KOREAN_SORTED,
                &tables::KOREAN_PREFIX,
            ),
            Language::Spanish => (
                &tables::SPANISH_WORDS,
                &tables::SPANISH_SORTED,
                &tables::SPANISH_PREFIX,
            ),
            Language::French => (
                &tables::FRENCH_WORDS,
                &tables::FRENCH_SORTED,
                &tables::FRENCH_PREFIX,
            ),
            Language::Italian => (
                &tables::ITALIAN_WORDS,
                &tables::ITALIAN_SORTED,
                &tables::ITALIAN_PREFIX,
            ),
            Language::Czech => (
                &tables::CZECH_WORDS,
                &tables::CZECH_SORTED,
                &tables::CZECH_PREFIX,
            ),
            Language::Portuguese => (
                &tables::PORTUGUESE_WORDS,
                &tables::PORTUGUESE_SORTED,
                &tables::PORTUGUESE_PREFIX,
            ),
        };
        Wordlist {
            language: self,
            words,
            sorted,
            prefix,
        }
    }

    /// Whether lookup keys drop combining accents (Latin-script lists).
    #[must_use]
    pub fn folds_accents(self) -> bool {
        !matches!(
            self,
            Language::ChineseSimplified
                | Language::ChineseTraditional
                | Language::Japanese
                | Language::Korean
        )
    }

    /// Whether phrases in this language are written as one character per word.
    #[must_use]
    pub fn is_chinese(self) -> bool {
        matches!(
            self,
            Language::ChineseSimplified | Language::ChineseTraditional
        )
    }

    /// The separator BIP39 uses when joining words (U+3000 for Japanese).
    #[must_use]
    pub fn separator(self) -> &'static str {
        if self == Language::Japanese {
            "\u{3000}"
        } else {
            " "
        }
    }
}

/// One BIP39 wordlist: 2048 words in index order, plus a sorted lookup table.
#[derive(Debug, Clone, Copy)]
pub struct Wordlist {
    language: Language,
    words: &'static [&'static str; WORDLIST_LEN],
    sorted: &'static [(&'static str, u16); WORDLIST_LEN],
    /// `prefix_of` each key of `sorted`, in the same order.
    prefix: &'static [u32; WORDLIST_LEN],
}

impl Wordlist {
    /// The language of this list.
    #[must_use]
    pub fn language(&self) -> Language {
        self.language
    }

    /// The word at `index` (NFKD, as stored). Panics never: the index is masked to 11 bits.
    #[must_use]
    pub fn word(&self, index: u16) -> &'static str {
        self.words[usize::from(index) & (WORDLIST_LEN - 1)]
    }

    /// All words in index order.
    #[must_use]
    pub fn words(&self) -> &'static [&'static str; WORDLIST_LEN] {
        self.words
    }

    /// Index of a word given its lookup key (see [`lookup_key`]).
    #[must_use]
    pub fn index_of_key(&self, key: &str) -> Option<u16> {
        // The prefixes are in the keys' order, so the keys sharing `key`'s prefix are one
        // stretch (a single key in the Chinese and Latin lists, whose words differ in their
        // first four letters); compare those in full.
        let p = prefix_of(key.as_bytes());
        let from = self.prefix.partition_point(|&x| x < p);
        self.prefix[from..]
            .iter()
            .take_while(|&&x| x == p)
            .zip(&self.sorted[from..])
            .find(|(_, (k, _))| *k == key)
            .map(|(_, (_, i))| *i)
    }

    /// [`Wordlist::index_of_key`], and whether some word's key starts with `key` (when none
    /// does, no longer key that starts with this one is in the list either).
    ///
    /// Every key that starts with `key` has `key`'s first four bytes, or, when `key` is
    /// shorter, its bytes and anything after them: a stretch of the prefix table found by two
    /// integer searches, in which the keys are searched as strings (kana keys share their first
    /// four bytes by the dozen, which `index_of_key` compares one by one).
    #[must_use]
    pub(crate) fn index_of_key_or_longer(&self, key: &str) -> (Option<u16>, bool) {
        let bytes = key.as_bytes();
        let p = prefix_of(bytes);
        let shift = u32::try_from(8 * bytes.len().min(4)).unwrap_or(32);
        let last = p | u32::MAX.checked_shr(shift).unwrap_or(0);
        let from = self.prefix.partition_point(|&x| x < p);
        let to = self.prefix.partition_point(|&x| x <= last);
        let stretch = &self.sorted[from..to.max(from)];
        // Keys before `from` sort before `key`, keys from `to` on after it and not starting
        // with it: the first key not below `key` is in the stretch if anywhere.
        let at = stretch.partition_point(|(k, _)| *k < key);
        match stretch.get(at) {
            Some(&(k, i)) => ((k == key).then_some(i), k.as_bytes().starts_with(bytes)),
            None => (None, false),
        }
    }

    /// Index of a word whose lookup key is `word` already (ASCII lower-case Latin, a Han
    /// character, or NFKD kana/Hangul), without allocating. Falls back to [`Wordlist::index_of`]
    /// for Latin words that are not plain lower-case ASCII.
    #[must_use]
    pub fn index_of_fast(&self, word: &str) -> Option<u16> {
        if !self.language.folds_accents() || word.bytes().all(|b| b.is_ascii_lowercase()) {
            return self.index_of_key(word);
        }
        if word.len() <= 16 && word.bytes().all(|b| b.is_ascii_alphabetic()) {
            let mut buf = [0u8; 16];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower)
                .ok()
                .and_then(|k| self.index_of_key(k));
        }
        self.index_of(word)
    }

    /// Index of a word as a user typed it (any case, NFC or NFKD, accents optional).
    #[must_use]
    pub fn index_of(&self, word: &str) -> Option<u16> {
        self.index_of_key(&lookup_key(self.language, word))
    }

    /// The words whose lookup key starts with `prefix_key`, in sorted order.
    pub fn words_with_prefix<'a>(&'a self, prefix_key: &'a str) -> impl Iterator<Item = u16> + 'a {
        let start = self.sorted.partition_point(|(k, _)| *k < prefix_key);
        self.sorted[start..]
            .iter()
            .take_while(move |(k, _)| k.starts_with(prefix_key))
            .map(|(_, i)| *i)
    }

    /// Every word's lookup key (see [`lookup_key`]), in the keys' sorted order rather than
    /// index order: built at compile time, so a search over the whole list (a near miss)
    /// normalises no word.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sorted.iter().map(|(k, _)| *k)
    }

    /// The lookup key of the word at `index`.
    #[must_use]
    pub fn key_of(&self, index: u16) -> String {
        lookup_key(self.language, self.word(index))
    }
}

/// The first four bytes of a key, big-endian, zero-padded. Keys in byte order have their
/// prefixes in non-decreasing order (a zero pad sorts before any byte), which is what lets
/// [`Wordlist::index_of_key`] binary-search a 8 KiB table of integers instead of strings: it is
/// the redaction hot path, where every token is looked up in up to six lists.
fn prefix_of(key: &[u8]) -> u32 {
    let mut p = [0u8; 4];
    for (d, s) in p.iter_mut().zip(key) {
        *d = *s;
    }
    u32::from_be_bytes(p)
}

/// Every list that holds lookup key `key`, from one search of the merged build-time table of all
/// keys of all lists: `(mask, entry)`, where bit `i` of the mask is set when
/// [`Language::ALL`]`[i]`'s list holds the key, and `entry` (never 0) names the key's row of the
/// table, whose `index[i]` ([`merged_hits`]) is then its index there. The same answers as
/// [`Wordlist::index_of_key`] on each list, but redaction looks each token up once instead of
/// once per list (six times for a Latin word), in a hash table (see build.rs) where a search
/// takes one or two probes.
#[must_use]
pub(crate) fn lookup_merged(key: &str) -> Option<(u16, u16)> {
    lookup_merged_bytes(key.as_bytes(), key_hash(key.as_bytes()))
}

/// [`lookup_merged`] for a key given as bytes with its [`key_hash`] already computed (the
/// tokenizer hashes a word while it lower-cases it).
#[must_use]
#[inline]
pub(crate) fn lookup_merged_bytes(key: &[u8], hash: u32) -> Option<(u16, u16)> {
    let slots = &tables::MERGED_SLOTS;
    let mask = slots.len() - 1;
    let mut slot = usize::try_from(hash).unwrap_or(0) & mask;
    // The table is at most one third full: an empty slot ends every search long before this.
    for _ in 0..slots.len() {
        let entry = *slots.get(slot)?;
        let pos = usize::from(entry).checked_sub(1)?;
        if tables::MERGED_KEYS.get(pos)?.as_bytes() == key {
            return Some((tables::MERGED_HITS.get(pos)?.0, entry));
        }
        slot = (slot + 1) & mask;
    }
    None
}

/// The row of the merged table that [`lookup_merged`] named `entry`: the lists that hold the
/// key and its index in each (0 in the others).
#[must_use]
#[inline]
pub(crate) fn merged_hits(entry: u16) -> &'static (u16, [u16; 10]) {
    const NONE: (u16, [u16; 10]) = (0, [0; 10]);
    usize::from(entry)
        .checked_sub(1)
        .and_then(|pos| tables::MERGED_HITS.get(pos))
        .unwrap_or(&NONE)
}

/// [`lookup_merged`] for a single Han character: the same answer, from a build-time table
/// indexed by code point for the CJK Unified Ideographs block (one load instead of a hash and a
/// string compare), and from [`lookup_merged`] outside it.
#[must_use]
#[inline]
pub(crate) fn lookup_merged_han(c: char) -> Option<(u16, u16)> {
    let Some(at) = u32::from(c)
        .checked_sub(tables::MERGED_HAN_FIRST)
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| i < tables::MERGED_HAN.len())
    else {
        let mut buf = [0u8; 4];
        return lookup_merged(c.encode_utf8(&mut buf));
    };
    lookup_han_block(at)
}

/// [`lookup_merged_han`] for the character with code point `code` (a three-byte UTF-8
/// sequence decoded by hand): one load in the CJK Unified Ideographs block.
#[must_use]
#[inline]
pub(crate) fn lookup_han_code(code: u32) -> Option<(u16, u16)> {
    let Some(at) = code
        .checked_sub(tables::MERGED_HAN_FIRST)
        .and_then(|i| usize::try_from(i).ok())
    else {
        return char::from_u32(code).and_then(lookup_merged_han);
    };
    lookup_han_block(at).or_else(|| {
        if at < tables::MERGED_HAN.len() {
            None
        } else {
            char::from_u32(code).and_then(lookup_merged_han)
        }
    })
}

/// The merged-table answer for the character `MERGED_HAN_FIRST + at`, which is in the block.
#[inline]
fn lookup_han_block(at: usize) -> Option<(u16, u16)> {
    let packed = *tables::MERGED_HAN.get(at)?;
    let entry = u16::try_from(packed & 0xFFFF).unwrap_or(0);
    (entry != 0).then(|| (u16::try_from(packed >> 16).unwrap_or(0), entry))
}

/// FNV-1a's offset basis.
pub(crate) const FNV_OFFSET: u32 = 0x811c_9dc5;
/// FNV-1a's multiplier.
pub(crate) const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a: the hash of the merged table (the same function is in build.rs).
fn key_hash(key: &[u8]) -> u32 {
    let mut h: u32 = FNV_OFFSET;
    for &b in key {
        h ^= u32::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The key under which `word` is looked up in `language`'s list.
#[must_use]
pub fn lookup_key(language: Language, word: &str) -> String {
    let fold = language.folds_accents();
    word.nfkd()
        .flat_map(char::to_lowercase)
        .filter(|c| !(fold && is_combining_mark(*c)))
        .collect()
}

/// Whether `c` is a combining diacritical mark (U+0300–U+036F).
#[must_use]
pub fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Every `(language, index)` under which `word` appears, in [`Language::ALL`] order.
#[must_use]
pub fn lookup_all(word: &str) -> Vec<(Language, u16)> {
    let mut found = Vec::new();
    let mut accented_key: Option<String> = None;
    let mut folded_key: Option<String> = None;
    for lang in Language::ALL {
        let key = if lang.folds_accents() {
            folded_key.get_or_insert_with(|| lookup_key(Language::English, word))
        } else {
            accented_key.get_or_insert_with(|| lookup_key(Language::Japanese, word))
        };
        if let Some(i) = lang.wordlist().index_of_key(key) {
            found.push((lang, i));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_of_key_or_longer_agrees_with_the_plain_searches() {
        for lang in Language::ALL {
            let wl = lang.wordlist();
            let mut tried = 0;
            for key in wl.keys() {
                let mut probes: Vec<String> = key
                    .char_indices()
                    .map(|(i, c)| key[..i + c.len_utf8()].to_owned())
                    .collect();
                probes.push(format!("{key}x"));
                probes.push(format!("{key}\u{3099}"));
                probes.push(key.chars().rev().collect());
                for probe in &probes {
                    let (found, longer) = wl.index_of_key_or_longer(probe);
                    assert_eq!(found, wl.index_of_key(probe), "{lang:?} {probe}");
                    assert_eq!(
                        longer,
                        wl.words_with_prefix(probe).next().is_some(),
                        "{lang:?} {probe}"
                    );
                    tried += 1;
                }
            }
            assert!(tried >= 2048 * 4, "{lang:?}: {tried}");
        }
    }

    #[test]
    fn prefix_table_matches_sorted_keys() {
        for lang in Language::ALL {
            let wl = lang.wordlist();
            for ((k, _), p) in wl.sorted.iter().zip(wl.prefix) {
                assert_eq!(prefix_of(k.as_bytes()), *p, "{lang:?} {k}");
            }
            assert!(wl.prefix.is_sorted(), "{lang:?}");
            for key in ["", "a", "aban", "abandonx", "\u{0}", "\u{10ffff}", "助记"] {
                assert_eq!(wl.index_of_key(key), None, "{lang:?} {key:?}");
            }
        }
    }

    #[test]
    fn merged_table_agrees_with_every_list() {
        assert!(tables::MERGED_KEYS.is_sorted());
        assert!(tables::MERGED_SLOTS.len() >= 3 * tables::MERGED_KEYS.len());
        // Every key of the merged table, and keys that are in no list.
        let probes = tables::MERGED_KEYS.iter().copied().chain([
            "",
            "a",
            "aban",
            "abandonx",
            "the",
            "\u{0}",
            "\u{10ffff}",
            "助记",
        ]);
        for key in probes {
            let merged = lookup_merged(key);
            for (li, lang) in Language::ALL.into_iter().enumerate() {
                let single = lang.wordlist().index_of_key(key);
                let from_merged = merged.and_then(|(hits, entry)| {
                    assert_eq!(merged_hits(entry).0, hits);
                    (hits >> li & 1 == 1).then_some(merged_hits(entry).1[li])
                });
                assert_eq!(from_merged, single, "{lang:?} {key:?}");
            }
        }
    }

    #[test]
    fn han_table_agrees_with_the_merged_table() {
        let han = ('\u{3400}'..='\u{4DBF}')
            .chain('\u{4E00}'..='\u{9FFF}')
            .chain('\u{F900}'..='\u{FAFF}')
            .chain(['a', '\u{20000}']);
        let mut found = 0;
        for c in han {
            let merged = lookup_merged(&c.to_string());
            assert_eq!(lookup_merged_han(c), merged, "{c:?}");
            found += usize::from(merged.is_some());
        }
        // Both Chinese lists (most characters are in both).
        assert!(found > 2048, "{found}");
    }

    #[test]
    fn keys_are_the_lookup_keys_of_the_words() {
        for lang in Language::ALL {
            let wl = lang.wordlist();
            let mut built: Vec<&str> = wl.keys().collect();
            let mut computed: Vec<String> =
                wl.words().iter().map(|w| lookup_key(lang, w)).collect();
            built.sort_unstable();
            computed.sort_unstable();
            assert_eq!(built, computed, "{lang:?}");
        }
    }

    #[test]
    fn every_list_has_2048_unique_keys_in_order() {
        for lang in Language::ALL {
            let wl = lang.wordlist();
            for (i, w) in wl.words().iter().enumerate() {
                assert_eq!(
                    wl.index_of(w),
                    Some(u16::try_from(i).unwrap()),
                    "{lang:?} {w}"
                );
            }
        }
    }

    #[test]
    fn accents_are_optional_in_latin_lists_and_case_is_ignored() {
        let es = Language::Spanish.wordlist();
        assert_eq!(es.index_of("ábaco"), Some(0));
        assert_eq!(es.index_of("abaco"), Some(0));
        assert_eq!(es.index_of("ÁBACO"), Some(0));
        assert_eq!(Language::English.wordlist().index_of("Abandon"), Some(0));
        // NFC input matches the NFKD list.
        let fr = Language::French.wordlist();
        assert!(fr.index_of("\u{e9}lite").is_some() || fr.index_of("élève").is_some());
    }

    #[test]
    fn korean_and_japanese_match_composed_input() {
        assert_eq!(Language::Korean.wordlist().index_of("가격"), Some(0));
        assert_eq!(
            Language::Japanese.wordlist().index_of("あいこくしん"),
            Some(0)
        );
        // A dakuten is significant in Japanese: が is not か.
        let ja = Language::Japanese.wordlist();
        let with = ja
            .words()
            .iter()
            .find(|w| w.nfc().any(|c| c == 'が'))
            .unwrap();
        let without: String = with.nfc().collect::<String>().replace('が', "か");
        assert_ne!(ja.index_of(with), ja.index_of(&without));
    }

    #[test]
    fn lookup_all_finds_shared_words() {
        let hits = lookup_all("abandon");
        assert!(hits.contains(&(Language::English, 0)));
        assert!(hits.iter().any(|(l, _)| *l == Language::French));
        let zh = lookup_all("的");
        assert!(zh.contains(&(Language::ChineseSimplified, 0)));
        assert!(zh.contains(&(Language::ChineseTraditional, 0)));
    }

    #[test]
    fn prefix_search_returns_sorted_matches() {
        let en = Language::English.wordlist();
        let words: Vec<&str> = en.words_with_prefix("aban").map(|i| en.word(i)).collect();
        assert_eq!(words, vec!["abandon"]);
        assert!(en.words_with_prefix("ab").count() > 3);
    }

    #[test]
    fn parse_accepts_names_tags_and_aliases() {
        assert_eq!(Language::parse("english"), Some(Language::English));
        assert_eq!(
            Language::parse("zh-Hans"),
            Some(Language::ChineseSimplified)
        );
        assert_eq!(Language::parse("zh-CN"), Some(Language::ChineseSimplified));
        assert_eq!(Language::parse("klingon"), None);
    }
}
