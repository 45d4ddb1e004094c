//! The mnemonic self-check against published vectors (python-mnemonic's ten languages, bip32JP's
//! Japanese phrases with U+3000) and against the mistakes users make: a misspelled word, a
//! wrong word, two words swapped, a word missing, a word too many, a word from another list.

use proptest::prelude::*;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use wallet::check::{CheckError, Report, check_mnemonic};
use wallet::{Language, bip39};

const MNEMONIC_VECTORS: &str = include_str!("../vectors/bip39/python-mnemonic_vectors.json");
const JP_VECTORS: &str = include_str!("../vectors/bip39/test_JP_BIP39.json");

/// `(language, entropy hex, phrase)` for all 240 python-mnemonic vectors.
fn vectors() -> Vec<(Language, String, String)> {
    let v: Value = serde_json::from_str(MNEMONIC_VECTORS).expect("vector file is JSON");
    let mut out = Vec::new();
    for (name, list) in v.as_object().expect("an object of languages") {
        let lang = Language::parse(name).expect("a language name");
        assert_eq!(lang.name(), name);
        for item in list.as_array().expect("a list of vectors") {
            out.push((
                lang,
                item[0].as_str().expect("entropy hex").to_owned(),
                item[1].as_str().expect("a phrase").to_owned(),
            ));
        }
    }
    out
}

fn words_of(phrase: &str) -> Vec<String> {
    let sep = if phrase.contains('\u{3000}') {
        '\u{3000}'
    } else {
        ' '
    };
    phrase.split(sep).map(|w| w.nfc().collect()).collect()
}

fn check(words: &[String], lang: Language) -> Report {
    check_mnemonic(&words.join(lang.separator())).expect("within the limits")
}

/// The 24-word vectors of a language with their words (NFC).
fn long_vectors(lang: Language) -> Vec<Vec<String>> {
    vectors()
        .into_iter()
        .filter(|(l, e, _)| *l == lang && e.len() == 64)
        .map(|(_, _, p)| words_of(&p))
        .collect()
}

/// Whether every word is at the same index in both Chinese lists (then the phrase is valid in
/// both and the simplified list is reported).
fn same_in_both_chinese_lists(words: &[String]) -> bool {
    let (s, t) = (
        Language::ChineseSimplified.wordlist(),
        Language::ChineseTraditional.wordlist(),
    );
    words
        .iter()
        .all(|w| s.index_of(w).is_some() && s.index_of(w) == t.index_of(w))
}

#[test]
fn all_240_python_mnemonic_vectors_are_valid_with_language_and_count() {
    let all = vectors();
    assert_eq!(all.len(), 240);
    let mut ambiguous = 0;
    for (lang, entropy, phrase) in &all {
        let r = check_mnemonic(phrase).unwrap();
        let expected_words = entropy.len() * 4 * 33 / 32 / 11;
        assert_eq!(r.word_count, expected_words, "{lang:?} {phrase}");
        assert!(r.valid_word_count);
        assert_eq!(r.checksum_valid, Some(true), "{lang:?} {phrase}");
        assert!(r.unknown_words.is_empty(), "{lang:?} {phrase}");
        assert!(r.corrections.is_empty() && r.swaps.is_empty());
        if r.language != Some(*lang) {
            // "的 的 … 在" is the same phrase in both Chinese lists.
            assert_eq!(*lang, Language::ChineseTraditional, "{phrase}");
            assert_eq!(r.language, Some(Language::ChineseSimplified));
            assert!(same_in_both_chinese_lists(&words_of(phrase)));
            ambiguous += 1;
        }
    }
    assert_eq!(ambiguous, 4);
}

#[test]
fn vectors_are_valid_in_common_layouts() {
    for (lang, _, phrase) in vectors() {
        let words = words_of(&phrase);
        let numbered: String = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{}) {}\n", i + 1, w.to_uppercase()))
            .collect();
        let r = check_mnemonic(&numbered).unwrap();
        assert_eq!(r.checksum_valid, Some(true), "{numbered}");
        assert_eq!(r.word_count, words.len());
        if matches!(
            lang,
            Language::ChineseSimplified | Language::ChineseTraditional | Language::Japanese
        ) {
            let r = check_mnemonic(&words.concat()).unwrap();
            assert_eq!(r.word_count, words.len(), "{lang:?} {}", words.concat());
            assert_eq!(r.checksum_valid, Some(true));
        }
    }
}

#[test]
fn the_24_japanese_vectors_with_ideographic_spaces_are_valid() {
    let v: Vec<Value> = serde_json::from_str(JP_VECTORS).unwrap();
    assert_eq!(v.len(), 24);
    for item in &v {
        let phrase = item["phrase"].as_str().unwrap();
        assert!(phrase.contains('\u{3000}'));
        let r = check_mnemonic(phrase).unwrap();
        let entropy = item["entropy"].as_str().unwrap();
        assert_eq!(r.word_count, entropy.len() * 4 * 33 / 32 / 11, "{phrase}");
        assert_eq!(r.language, Some(Language::Japanese));
        assert_eq!(r.checksum_valid, Some(true), "{phrase}");
        assert!(r.unknown_words.is_empty());
    }
}

/// A typo that is not itself a word of the list: the last letter replaced.
fn misspell(word: &str, lang: Language) -> Option<String> {
    let mut chars: Vec<char> = word.chars().collect();
    let last = chars.pop()?;
    let repl = if last == 'x' { 'q' } else { 'x' };
    chars.push(repl);
    let typo: String = chars.into_iter().collect();
    lang.wordlist().index_of(&typo).is_none().then_some(typo)
}

#[test]
fn a_misspelled_word_is_unknown_and_the_original_is_suggested() {
    let latin = [
        Language::English,
        Language::Spanish,
        Language::French,
        Language::Italian,
        Language::Czech,
        Language::Portuguese,
    ];
    let mut tried = 0;
    for (lang, _, phrase) in vectors().into_iter().filter(|v| latin.contains(&v.0)) {
        let mut words = words_of(&phrase);
        let at = 2;
        let original = words[at].clone();
        let Some(typo) = misspell(&original, lang) else {
            continue;
        };
        words[at] = typo.clone();
        let r = check(&words, lang);
        assert_eq!(r.language, Some(lang));
        assert_eq!(r.checksum_valid, None);
        assert_eq!(r.unknown_words.len(), 1, "{words:?}");
        let u = &r.unknown_words[0];
        assert_eq!((u.position, u.word.as_str()), (at + 1, typo.as_str()));
        assert!(
            u.suggestions[..3.min(u.suggestions.len())].contains(&original),
            "{typo} → {:?}, want {original}",
            u.suggestions
        );
        // The checksum narrows the candidates at that position, and the original is one.
        assert!(
            r.corrections
                .iter()
                .any(|c| c.position == at + 1 && c.replacement == original)
        );
        tried += 1;
    }
    assert!(tried > 130, "{tried}");
}

#[test]
fn a_wrong_list_word_is_found_among_the_corrections() {
    for lang in Language::ALL {
        let wl = lang.wordlist();
        for (k, mut words) in long_vectors(lang).into_iter().enumerate() {
            let at = (k * 5) % 23;
            let original = words[at].clone();
            let wrong = (wl.index_of(&original).unwrap() + 1) % 2048;
            words[at] = wl.word(wrong).nfc().collect();
            let r = check(&words, lang);
            assert_eq!(r.checksum_valid, Some(false), "{lang:?} {words:?}");
            assert!(
                r.corrections
                    .iter()
                    .any(|c| c.position == at + 1 && c.replacement == original),
                "{lang:?} {words:?}"
            );
            // 24 positions, an 8-bit checksum: about 24 × 2048 / 256 corrections.
            assert!(
                (100..400).contains(&r.corrections.len()),
                "{}",
                r.corrections.len()
            );
        }
    }
}

#[test]
fn two_adjacent_words_swapped_are_found() {
    let mut found = 0;
    for lang in Language::ALL {
        for (k, mut words) in long_vectors(lang).into_iter().enumerate() {
            let at = (k * 7 + 3) % 23;
            if words[at] == words[at + 1] {
                continue;
            }
            words.swap(at, at + 1);
            let r = check(&words, lang);
            if r.checksum_valid == Some(true) {
                // One swap in 256 keeps an 8-bit checksum valid; then there is nothing to find.
                continue;
            }
            assert!(
                r.swaps.iter().any(|s| s.positions == [at + 1, at + 2]
                    && s.words == [words[at].clone(), words[at + 1].clone()]),
                "{lang:?} {words:?} {:?}",
                r.swaps
            );
            found += 1;
        }
    }
    assert!(found > 50, "{found}");
}

#[test]
fn a_dropped_word_is_found_among_the_missing() {
    for lang in Language::ALL {
        for (k, words) in long_vectors(lang).into_iter().enumerate() {
            let at = (k * 11 + 1) % 24;
            let mut short = words.clone();
            short.remove(at);
            let r = check(&short, lang);
            assert_eq!(r.word_count, 23);
            assert!(!r.valid_word_count);
            assert_eq!(r.checksum_valid, None);
            assert!(r.missing_total >= r.missing.len());
            // Inserting a copy of a word next to itself is listed once, at the first position.
            let restores = r.missing.iter().any(|m| {
                let mut fixed = short.clone();
                fixed.insert(m.position - 1, m.word.clone());
                fixed == words
            });
            assert!(restores, "{lang:?} {short:?}");
        }
    }
}

#[test]
fn an_inserted_word_is_found_among_the_extra() {
    for lang in Language::ALL {
        let wl = lang.wordlist();
        for (k, words) in long_vectors(lang).into_iter().enumerate() {
            let at = (k * 13 + 2) % 25;
            let mut long = words.clone();
            let inserted: String = wl.word(u16::try_from(k * 77).unwrap()).nfc().collect();
            long.insert(at, inserted.clone());
            let r = check(&long, lang);
            assert_eq!(r.word_count, 25);
            let restores = r.extra.iter().any(|e| {
                let mut fixed = long.clone();
                let removed = fixed.remove(e.position - 1);
                removed == e.word && fixed == words
            });
            assert!(restores, "{lang:?} {long:?} {:?}", r.extra);
        }
    }
    // An unknown word is the only one whose removal can help.
    let mut words = long_vectors(Language::English).remove(3);
    words.insert(5, "xyzzy".into());
    let r = check(&words, Language::English);
    assert_eq!(r.unknown_words.len(), 1);
    assert_eq!(r.extra.len(), 1);
    assert_eq!(
        (r.extra[0].position, r.extra[0].word.as_str()),
        (6, "xyzzy")
    );
}

#[test]
fn an_english_word_in_a_chinese_phrase_is_named() {
    let mut words = long_vectors(Language::ChineseSimplified).remove(5);
    words[7] = "abandon".into();
    let r = check(&words, Language::ChineseSimplified);
    assert_eq!(r.language, Some(Language::ChineseSimplified));
    assert_eq!(r.unknown_words.len(), 1);
    assert_eq!(r.unknown_words[0].position, 8);
    assert_eq!(r.other_language_words.len(), 1);
    let o = &r.other_language_words[0];
    assert_eq!((o.position, o.word.as_str()), (8, "abandon"));
    // "abandon" is in the English and the French lists.
    assert!(
        o.languages.contains(&Language::English),
        "{:?}",
        o.languages
    );
    assert!(o.languages.contains(&Language::French));
    assert!(!o.languages.contains(&Language::ChineseSimplified));
    // The same without spaces.
    let r = check_mnemonic(&words.concat()).unwrap();
    assert_eq!(r.word_count, 24);
    assert_eq!(r.other_language_words[0].position, 8);
}

#[test]
fn twelve_words_with_one_missing_count_every_insertion() {
    let words =
        words_of("legal winner thank year wave sausage worth useful legal winner thank yellow");
    let mut short = words.clone();
    short.remove(4);
    let r = check(&short, Language::English);
    // 12 positions × 2048 words / 16 (a 4-bit checksum).
    assert!(
        (1000..2100).contains(&r.missing_total),
        "{}",
        r.missing_total
    );
    assert_eq!(r.missing.len(), wallet::check::MAX_MISSING);
    assert!(bip39::is_valid_word_count(short.len() + 1));
}

#[test]
fn json_shape_has_the_documented_fields() {
    let mut words = long_vectors(Language::English).remove(0);
    words[1] = "legl".into();
    let r = check(&words, Language::English);
    let v = serde_json::to_value(&r).unwrap();
    for field in [
        "word_count",
        "valid_word_count",
        "language",
        "unknown_words",
        "checksum_valid",
        "corrections",
        "swaps",
        "missing",
        "missing_total",
        "extra",
        "other_language_words",
    ] {
        assert!(v.get(field).is_some(), "{field} missing in {v}");
    }
    assert_eq!(v["language"], "english");
    assert_eq!(v["checksum_valid"], Value::Null);
    assert_eq!(v["unknown_words"][0]["position"], 2);
    assert_eq!(v["unknown_words"][0]["word"], "legl");
}

#[test]
fn too_many_words_and_empty_input_are_errors() {
    assert_eq!(check_mnemonic("  \n\t"), Err(CheckError::Empty));
    assert!(matches!(
        check_mnemonic(&"abandon ".repeat(60)),
        Err(CheckError::TooManyWords { count: 60, .. })
    ));
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Words of every list, junk and separators, to reach the segmentation and checksum paths.
fn wordy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        (0usize..10, 0u16..2048).prop_map(|(l, i)| Language::ALL[l].wordlist().word(i).to_owned()),
        "\\PC{0,6}",
        Just("\u{3000}".to_owned()),
        Just(" ".to_owned()),
        Just("1.".to_owned()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,600}") {
        let _ = check_mnemonic(&s);
    }

    #[test]
    fn arbitrary_word_soups_never_panic_and_reports_are_sound(s in wordy()) {
        if let Ok(r) = check_mnemonic(&s) {
            prop_assert!(r.word_count > 0 && r.word_count <= wallet::check::MAX_WORDS);
            prop_assert!(r.unknown_words.iter().all(|u| (1..=r.word_count).contains(&u.position)));
            prop_assert!(r.corrections.iter().all(|c| (1..=r.word_count).contains(&c.position)));
            prop_assert_eq!(r.checksum_valid.is_some(), r.unknown_words.is_empty() && r.valid_word_count);
        }
    }
}
