//! Property tests for `wallet::redact()`, from the product spec: every valid recovery phrase, in
//! any list, length and common layout, inside real English or Chinese prose, is found and wholly
//! removed, also with one misspelled word; addresses and transaction ids next to it survive;
//! redaction is idempotent, never panics, and reports sound spans.
//!
//! The prose is the real prose of the redaction corpus (`data/corpus/prose`, see its SOURCES.md).

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use wallet::{FieldHint, Language, RedactOptions, Redaction, bip39, redact, redact_with};

const EN_PROSE: &str = include_str!("../../data/corpus/prose/en.debian-docs.txt");
const ZH_PROSE: &str = include_str!("../../data/corpus/prose/zh.debian-docs.txt");

/// A well-known valid transaction id (the genesis coinbase) and a valid bech32 address (BIP173).
const TXID: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
const BECH32: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

fn config() -> ProptestConfig {
    // No regression files: while the detector is a stub every case fails, and those files would
    // only be noise. A failure prints its minimal input; copy it into a unit test instead.
    // A fixed seed keeps CI deterministic. `PROPTEST_RNG_SEED=random cargo nextest run`
    // explores (with `PROPTEST_MAX_SHRINK_ITERS=0` a failure prints the input as drawn, not a
    // shrunk one that may fail for another reason); the cases it found are in redact_cases.rs.
    // It still finds a rare miss (about one run in 400): see the known gaps there.
    let rng_seed = match std::env::var("PROPTEST_RNG_SEED").as_deref() {
        Ok("random") => proptest::test_runner::RngSeed::Random,
        _ => proptest::test_runner::RngSeed::Fixed(20_261_201),
    };
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        rng_seed,
        ..ProptestConfig::default()
    }
}

fn paragraphs(prose: &'static str) -> Vec<&'static str> {
    prose.lines().filter(|l| !l.trim().is_empty()).collect()
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Spaces,
    NumberedDot,
    NumberedParenLines,
    NumberedDash,
    Lines,
    Comma,
    Quoted,
    Upper,
    MixedCase,
    Ideographic,
    NoSeparator,
}

const FORMATS: [Format; 11] = [
    Format::Spaces,
    Format::NumberedDot,
    Format::NumberedParenLines,
    Format::NumberedDash,
    Format::Lines,
    Format::Comma,
    Format::Quoted,
    Format::Upper,
    Format::MixedCase,
    Format::Ideographic,
    Format::NoSeparator,
];

/// A phrase written out, with the byte span of each word in `text`.
#[derive(Debug)]
struct Written {
    text: String,
    words: Vec<(usize, usize)>,
}

impl Written {
    /// The bytes from the first to the last word.
    fn span(&self) -> (usize, usize) {
        (self.words[0].0, self.words[self.words.len() - 1].1)
    }

    /// Every run of 4 consecutive words as written in `full` (the text the phrase was put into,
    /// which the word spans index), with what stands between them.
    fn quads<'a>(&self, full: &'a str) -> impl Iterator<Item = &'a str> {
        self.words.windows(4).map(move |w| &full[w[0].0..w[3].1])
    }

    fn shifted(mut self, by: usize) -> Self {
        for w in &mut self.words {
            w.0 += by;
            w.1 += by;
        }
        self
    }
}

fn write(lang: Language, words: &[String], format: Format) -> Written {
    let cjk = lang.is_chinese() || lang == Language::Japanese;
    let format = match format {
        Format::Ideographic if lang != Language::Japanese => Format::Spaces,
        Format::NoSeparator if !cjk => Format::Spaces,
        f => f,
    };
    let mut text = String::new();
    let mut spans = Vec::new();
    if matches!(format, Format::Quoted) {
        text.push('"');
    }
    for (i, w) in words.iter().enumerate() {
        let n = i + 1;
        match (format, i) {
            (Format::NumberedDot, _) => {
                text.push_str(&format!("{}{n}. ", if i == 0 { "" } else { " " }));
            }
            (Format::NumberedParenLines, _) => {
                text.push_str(&format!("{}{n}) ", if i == 0 { "" } else { "\n" }));
            }
            (Format::NumberedDash, _) => {
                text.push_str(&format!("{}{n}-", if i == 0 { "" } else { " " }));
            }
            (_, 0) | (Format::NoSeparator, _) => {}
            (Format::Lines, _) => text.push('\n'),
            (Format::Comma, _) => text.push_str(if cjk { "，" } else { ", " }),
            (Format::Ideographic, _) => text.push('\u{3000}'),
            _ => text.push(' '),
        }
        let w = match format {
            Format::Upper => w.to_uppercase(),
            Format::MixedCase if i % 3 == 0 => w.to_uppercase(),
            Format::MixedCase if i % 3 == 1 => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
            _ => w.clone(),
        };
        let start = text.len();
        text.push_str(&w);
        spans.push((start, text.len()));
    }
    if matches!(format, Format::Quoted) {
        text.push('"');
    }
    Written { text, words: spans }
}

/// The words of a valid phrase from `entropy`, as typed (NFC).
fn phrase_words(lang: Language, count: usize, entropy: &[u8]) -> Vec<String> {
    let indices = bip39::indices_from_entropy(&entropy[..count / 3 * 4]).expect("valid length");
    assert!(bip39::checksum_valid(&indices));
    let wl = lang.wordlist();
    indices
        .iter()
        .map(|i| wl.word(*i).nfc().collect())
        .collect()
}

/// `word` with one character changed so that it is in no list of `lang`.
fn misspell(lang: Language, word: &str, seed: usize) -> String {
    let wl = lang.wordlist();
    let chars: Vec<char> = word.chars().collect();
    let seed = seed % 1_000_003;
    for k in 0..400 {
        let mut c = chars.clone();
        let at = (seed + k) % c.len();
        c[at] = if lang.is_chinese() {
            char::from_u32(
                0x4E00 + u32::try_from((seed * 7919 + k * 104_729) % 0x51A5).unwrap_or(0),
            )
            .unwrap_or('龘')
        } else if lang == Language::Japanese {
            char::from_u32(0x3041 + u32::try_from((seed + k * 13) % 0x52).unwrap_or(0))
                .unwrap_or('ゐ')
        } else if lang == Language::Korean {
            char::from_u32(0xAC00 + u32::try_from((seed * 31 + k * 977) % 11172).unwrap_or(0))
                .unwrap_or('뷁')
        } else {
            char::from(b'a' + u8::try_from((seed + k * 7) % 26).unwrap_or(0))
        };
        let typo: String = c.into_iter().collect();
        if typo != word && wl.index_of(&typo).is_none() {
            return typo;
        }
    }
    panic!("could not misspell {word}")
}

/// Puts the phrase into a paragraph of prose, at a char boundary near `at`, with a lead-in.
fn embed(phrase: Written, chinese_prose: bool, paragraph: usize, at: usize) -> (String, Written) {
    let paras = if chinese_prose {
        paragraphs(ZH_PROSE)
    } else {
        paragraphs(EN_PROSE)
    };
    let para = paras[paragraph % paras.len()];
    let mut cut = at % (para.len() + 1);
    while !para.is_char_boundary(cut) {
        cut -= 1;
    }
    if !chinese_prose {
        // Between words, not inside one.
        cut = para[..cut].rfind(' ').map_or(0, |i| i + 1);
    }
    let (lead, tail) = if chinese_prose {
        ("。我的助记词是：", "。")
    } else {
        (". My recovery phrase is: ", ". ")
    };
    let mut text = String::from(&para[..cut]);
    text.push_str(lead);
    let offset = text.len();
    text.push_str(&phrase.text);
    text.push_str(tail);
    text.push_str(&para[cut..]);
    (text.clone(), phrase.shifted(offset))
}

fn check_spans(text: &str, r: &Redaction) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for f in &r.findings {
        prop_assert!(
            f.start < f.end && f.end <= text.len(),
            "span out of bounds: {f:?}"
        );
        prop_assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "{f:?}"
        );
        prop_assert!(
            f.start >= prev_end,
            "findings unsorted or overlapping: {:?}",
            r.findings
        );
        prop_assert!((0.0..=1.0).contains(&f.confidence), "{f:?}");
        prev_end = f.end;
    }
    Ok(())
}

fn check_removed(text: &str, phrase: &Written, r: &Redaction) -> Result<(), TestCaseError> {
    let (start, end) = phrase.span();
    prop_assert!(
        r.findings.iter().any(|f| f.start <= start && f.end >= end),
        "phrase at {start}..{end} not covered by {:?} in {text:?}",
        r.findings
    );
    for quad in phrase.quads(text) {
        prop_assert!(!r.text.contains(quad), "{quad:?} survived in {:?}", r.text);
    }
    Ok(())
}

fn check_idempotent(r: &Redaction) -> Result<(), TestCaseError> {
    let again = redact(&r.text).expect("redacted text is not larger than the limit");
    prop_assert_eq!(&again.text, &r.text);
    prop_assert!(
        again.findings.is_empty(),
        "second pass found {:?}",
        again.findings
    );
    Ok(())
}

fn language() -> impl Strategy<Value = Language> {
    (0..Language::ALL.len()).prop_map(|i| Language::ALL[i])
}

fn word_count() -> impl Strategy<Value = usize> {
    (0..bip39::VALID_WORD_COUNTS.len()).prop_map(|i| bip39::VALID_WORD_COUNTS[i])
}

fn format() -> impl Strategy<Value = Format> {
    (0..FORMATS.len()).prop_map(|i| FORMATS[i])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_valid_phrase_in_prose_is_found_and_removed(
        lang in language(),
        count in word_count(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        format in format(),
        chinese_prose in any::<bool>(),
        paragraph in any::<usize>(),
        at in any::<usize>(),
    ) {
        let words = phrase_words(lang, count, &entropy);
        let (text, phrase) = embed(write(lang, &words, format), chinese_prose, paragraph, at);
        let r = redact(&text).expect("small input");
        check_spans(&text, &r)?;
        check_removed(&text, &phrase, &r)?;
        let f = r.findings.iter().find(|f| f.start <= phrase.span().0 && f.end >= phrase.span().1);
        if let Some(f) = f {
            prop_assert_eq!(f.kind, wallet::SecretKind::RecoveryPhrase);
            prop_assert_eq!(f.words, Some(count));
            prop_assert_eq!(f.checksum_valid, Some(true));
        }
        check_idempotent(&r)?;
    }

    #[test]
    fn a_phrase_with_one_misspelled_word_is_still_removed(
        lang in language(),
        count in word_count(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        format in format(),
        typo_at in any::<usize>(),
        chinese_prose in any::<bool>(),
        paragraph in any::<usize>(),
    ) {
        let mut words = phrase_words(lang, count, &entropy);
        let i = typo_at % words.len();
        words[i] = misspell(lang, &words[i], typo_at);
        let (text, phrase) = embed(write(lang, &words, format), chinese_prose, paragraph, 0);
        let r = redact(&text).expect("small input");
        check_spans(&text, &r)?;
        check_removed(&text, &phrase, &r)?;
        check_idempotent(&r)?;
    }

    #[test]
    fn addresses_and_txids_next_to_a_phrase_survive(
        lang in language(),
        count in word_count(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        format in format(),
        chinese in any::<bool>(),
    ) {
        let words = phrase_words(lang, count, &entropy);
        let phrase = write(lang, &words, format);
        let (before, after) = if chinese {
            (format!("交易哈希 {TXID}，收款地址 {BECH32}，助记词："), format!("。txid {TXID} 地址 {BECH32}"))
        } else {
            (format!("txid {TXID} to {BECH32}; my words: "), format!(" and again txid {TXID} address {BECH32}"))
        };
        let phrase = phrase.shifted(before.len());
        let text = format!("{before}{}{after}", &phrase.text);
        let r = redact(&text).expect("small input");
        check_spans(&text, &r)?;
        check_removed(&text, &phrase, &r)?;
        prop_assert_eq!(r.text.matches(TXID).count(), 2, "txid damaged: {}", r.text);
        prop_assert_eq!(r.text.matches(BECH32).count(), 2, "address damaged: {}", r.text);
        let lead = if chinese { format!("交易哈希 {TXID}，收款地址 {BECH32}") } else { format!("txid {TXID} to {BECH32}") };
        prop_assert!(r.text.starts_with(&lead), "text before the phrase changed: {}", r.text);
    }

    #[test]
    fn prose_alone_is_left_alone_or_at_least_redaction_is_sound(
        chinese in any::<bool>(),
        paragraph in any::<usize>(),
    ) {
        let paras = if chinese { paragraphs(ZH_PROSE) } else { paragraphs(EN_PROSE) };
        let text = paras[paragraph % paras.len()];
        let r = redact(text).expect("small input");
        check_spans(text, &r)?;
        check_idempotent(&r)?;
    }

    #[test]
    fn arbitrary_strings_never_panic_and_spans_are_sound(text in any::<String>(), field in 0..3usize) {
        let field = [FieldHint::FreeText, FieldHint::TxHash, FieldHint::Address][field];
        let r = redact_with(&text, &RedactOptions { field, marker_language: None }).expect("small input");
        check_spans(&text, &r)?;
        let again = redact_with(&r.text, &RedactOptions { field, marker_language: None })
            .expect("small input");
        prop_assert_eq!(&again.text, &r.text);
    }

    #[test]
    fn word_soup_never_panics_and_is_idempotent(
        tokens in prop::collection::vec((language(), 0..2048u16, 0..8usize), 0..40),
    ) {
        // Words from every list, digits, hex and separators: the detector's own raw material.
        let seps = [" ", "\n", ", ", "\u{3000}", "", "1. ", "—", "0x"];
        let mut text = String::new();
        for (lang, i, sep) in tokens {
            text.push_str(seps[sep]);
            if sep == 7 {
                text.push_str(&TXID[..usize::from(i % 64)]);
            } else {
                text.push_str(lang.wordlist().word(i));
            }
        }
        let r = redact(&text).expect("small input");
        check_spans(&text, &r)?;
        check_idempotent(&r)?;
    }
}

#[test]
fn the_input_limit_is_an_error_not_a_panic() {
    let big = "a".repeat(wallet::MAX_INPUT_BYTES + 1);
    assert!(redact(&big).is_err());
}

// ---------------------------------------------------------------------------------------------
// Leaks seen on the product, as classes of input (see redact_cases.rs for the concrete ones).

/// The English list words that are also common words ("that", "you"…): a part of a phrase
/// holding one is not told apart from a sentence (see `redact::phrase`'s module docs).
const COMMON_LIST_WORDS: [&str; 72] = [
    "about", "above", "again", "all", "almost", "alone", "already", "also", "always", "among",
    "another", "any", "around", "because", "before", "behind", "below", "between", "can", "during",
    "either", "else", "enough", "few", "first", "give", "have", "into", "just", "like", "more",
    "much", "must", "myself", "near", "need", "neither", "never", "next", "nothing", "now", "off",
    "often", "once", "one", "only", "other", "over", "own", "please", "rather", "same", "since",
    "soon", "still", "such", "that", "then", "there", "they", "this", "together", "toward",
    "under", "until", "upon", "very", "what", "when", "where", "will", "you",
];

const LATIN_LISTS: [Language; 6] = [
    Language::English,
    Language::Spanish,
    Language::French,
    Language::Italian,
    Language::Czech,
    Language::Portuguese,
];

fn latin_language() -> impl Strategy<Value = Language> {
    (0..LATIN_LISTS.len()).prop_map(|i| LATIN_LISTS[i])
}

/// Redacts with English markers. An Electrum seed marker is read as a phrase marker: a run of
/// list words passes Electrum's version check by chance now and then, and is removed all the
/// same.
fn english_markers(text: &str) -> String {
    redact_with(
        text,
        &RedactOptions {
            field: FieldHint::FreeText,
            marker_language: Some(wallet::MarkerLanguage::English),
        },
    )
    .expect("small input")
    .text
    .replace("[Electrum seed removed:", "[recovery phrase removed:")
}

fn marker(n: usize) -> String {
    format!("[recovery phrase removed: {n} words]")
}

/// Distinct words, none of them a common word: what a part of a phrase must be to be removed.
fn random_looking(words: &[String]) -> bool {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted.len() == words.len()
        && !words
            .iter()
            .any(|w| COMMON_LIST_WORDS.contains(&w.as_str()))
}

proptest! {
    #![proptest_config(config())]

    /// Every list, every common layout, composed (NFC) or decomposed (NFKD) input: exactly the
    /// words around the phrase survive, and the marker counts the phrase's words.
    #[test]
    fn a_phrase_typed_composed_or_decomposed_leaves_the_prose_and_one_exact_marker(
        lang in language(),
        count in word_count(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        layout in 0..5usize,
        nfkd in any::<bool>(),
    ) {
        let words = phrase_words(lang, count, &entropy);
        let format = [Format::Spaces, Format::Comma, Format::NumberedDot, Format::Lines,
            Format::NoSeparator][layout];
        let written = write(lang, &words, format);
        let kept = if matches!(format, Format::NumberedDot) { "1. " } else { "" };
        let (before, after) = ("my recovery phrase: ", " please help");
        let norm = |s: &str| -> String { if nfkd { s.nfkd().collect() } else { s.nfc().collect() } };
        let text = norm(&format!("{before}{}{after}", written.text));
        let want = norm(&format!("{before}{kept}{}{after}", marker(count)));
        prop_assert_eq!(english_markers(&text), want, "{:?}", text);
    }

    /// The first 8–11 words of a phrase (the user lost the rest) are removed, the sentence
    /// around them stays.
    #[test]
    fn the_first_eight_to_eleven_words_of_a_phrase_are_removed(
        lang in latin_language(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        k in 8..=11usize,
        spaces in any::<bool>(),
    ) {
        let words = phrase_words(lang, 12, &entropy);
        let part = &words[..k];
        prop_assume!(random_looking(part));
        let joined = part.join(if spaces { " " } else { "\n" });
        let (before, after) = ("I lost the last two words. My first words are ", ". Can you help?");
        let text = format!("{before}{joined}{after}");
        prop_assert_eq!(english_markers(&text), format!("{before}{}{after}", marker(k)), "{:?}", text);
    }

    /// A phrase written with one joiner between its words is removed whole.
    #[test]
    fn a_phrase_written_with_joiners_is_removed(
        lang in latin_language(),
        count in word_count(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        joiner in 0..4usize,
    ) {
        let words = phrase_words(lang, count, &entropy);
        let joined = words.join(["-", ".", "_", "/"][joiner]);
        let text = format!("my seed is {joined} thanks");
        prop_assert_eq!(english_markers(&text), format!("my seed is {} thanks", marker(count)), "{:?}", text);
    }

    /// A 12-word phrase broken by an aside, or written as two halves under two labels, is
    /// removed piece by piece; the aside and the labels stay.
    #[test]
    fn a_phrase_broken_up_by_an_aside_or_two_labels_is_removed_piece_by_piece(
        lang in latin_language(),
        entropy in prop::collection::vec(any::<u8>(), 32),
        cut in 4..=8usize,
        aside in 0..4usize,
    ) {
        let words = phrase_words(lang, 12, &entropy);
        prop_assume!(random_looking(&words));
        let (a, b) = (words[..cut].join(" "), words[cut..].join(" "));
        let (text, want) = if aside == 3 {
            (
                format!("first half: {a}\nsecond half: {b}\nthanks"),
                format!("first half: {}\nsecond half: {}\nthanks", marker(cut), marker(12 - cut)),
            )
        } else {
            let aside = ["(I think)", ", not sure about this one,", "-- or was it --"][aside];
            (
                format!("words: {a} {aside} {b}. Thanks"),
                format!("words: {} {aside} {}. Thanks", marker(cut), marker(12 - cut)),
            )
        };
        prop_assert_eq!(english_markers(&text), want, "{:?}", text);
    }

    /// A WIF (any 32-byte secret, compressed or not) with one space or line break inside is
    /// removed whole.
    #[test]
    fn a_wif_with_one_space_or_line_break_inside_is_removed(
        secret in prop::array::uniform32(1u8..),
        compressed in any::<bool>(),
        at in 8..44usize,
        sep in 0..3usize,
    ) {
        let mut payload = vec![0x80u8];
        payload.extend_from_slice(&secret);
        if compressed {
            payload.push(0x01);
        }
        let wif = wallet::codec::base58check_encode(&payload);
        let split = format!("{}{}{}", &wif[..at], [" ", "\n", "\r\n"][sep], &wif[at..]);
        let text = format!("my key is {split} thanks");
        prop_assert_eq!(english_markers(&text), "my key is [private key removed] thanks", "{:?}", text);
    }
}
