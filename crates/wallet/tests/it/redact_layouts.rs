//! Every wordlist in every common layout, typed composed (NFC, as phones send it) and decomposed
//! (NFKD, as BIP39 stores it), between label and prose words: the redacted text must be exactly
//! the words around the phrase plus one marker that counts the phrase's words — no phrase word
//! left readable, no neighbouring word eaten.

use unicode_normalization::UnicodeNormalization;
use wallet::{Language, MarkerLanguage, RedactOptions, bip39, redact_with};

/// splitmix64: entropy that differs from phrase to phrase, the same on every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next().to_le_bytes()[0]).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Nfc,
    Nfkd,
}

pub(crate) fn normalise(s: &str, form: Form) -> String {
    match form {
        Form::Nfc => s.nfc().collect(),
        Form::Nfkd => s.nfkd().collect(),
    }
}

/// The words of a valid phrase of `count` words from random entropy, NFC.
pub(crate) fn valid_phrase(lang: Language, count: usize, rng: &mut Rng) -> Vec<String> {
    let entropy = rng.bytes(count / 3 * 4);
    let indices = bip39::indices_from_entropy(&entropy).expect("valid entropy length");
    assert!(bip39::checksum_valid(&indices));
    indices
        .iter()
        .map(|&i| lang.wordlist().word(i).nfc().collect())
        .collect()
}

pub(crate) fn marker(n: usize) -> String {
    format!("[recovery phrase removed: {n} words]")
}

pub(crate) const ENGLISH_MARKERS: RedactOptions = RedactOptions {
    field: wallet::FieldHint::FreeText,
    marker_language: Some(MarkerLanguage::English),
};

/// Redacts with English markers.
pub(crate) fn redacted(text: &str) -> String {
    redact_with(text, &ENGLISH_MARKERS)
        .expect("small input")
        .text
}

#[derive(Debug, Clone, Copy)]
enum Layout {
    /// Words separated by spaces (U+3000 for Japanese, as BIP39 joins them).
    Spaces,
    /// `w1, w2, …` (full-width commas in Chinese and Japanese).
    Commas,
    /// `1. w1` … one a line.
    Numbered,
    /// One word a line.
    Lines,
    /// Written together, no separator (Chinese, Japanese, Korean).
    Together,
}

const LAYOUTS: [Layout; 5] = [
    Layout::Spaces,
    Layout::Commas,
    Layout::Numbered,
    Layout::Lines,
    Layout::Together,
];

/// The phrase as written, and what stays of it after redaction (the numbering before the first
/// word). `None` where the layout does not apply to the language.
fn lay_out(lang: Language, words: &[String], layout: Layout) -> Option<(String, &'static str)> {
    let cjk = lang.is_chinese() || lang == Language::Japanese;
    Some(match layout {
        Layout::Spaces => (words.join(lang.separator()), ""),
        Layout::Commas => (words.join(if cjk { "，" } else { ", " }), ""),
        Layout::Numbered => (
            words
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{}. {w}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
            "1. ",
        ),
        Layout::Lines => (words.join("\n"), ""),
        Layout::Together if cjk || lang == Language::Korean => (words.concat(), ""),
        Layout::Together => return None,
    })
}

/// Words around a phrase, in the phrase's own language and in English: labels before it, prose
/// after it, several of them list words of some language.
fn surroundings(lang: Language) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        ("my recovery phrase: ", " please help"),
        (
            "Hi, I can't restore my wallet, my words are ",
            ". Thank you!",
        ),
        ("seed words below\n", "\nthat is all, can you check it"),
        ("The words: ", " (from my old phone)"),
        ("", ""),
    ];
    out.extend(match lang {
        Language::English => vec![("wallet backup words ", " it will not open")],
        // Not "助记词 败 市 … 勾": when 词 … 牙 is valid by chance too (1 in 16), the union of
        // both windows is removed (see the known gaps in redact_cases.rs).
        Language::ChineseSimplified => {
            vec![("我的助记词是：", "，请帮我看看"), ("助记词：", " 谢谢")]
        }
        Language::ChineseTraditional => vec![("我的助記詞是：", "，請幫我看看")],
        Language::Japanese => vec![
            ("リカバリーフレーズ：", "。よろしくおねがいします"),
            ("ニーモニックは ", " です"),
        ],
        Language::Korean => vec![
            ("제 복구 문구는 ", " 입니다. 도와주세요"),
            ("복구 단어: ", " 감사합니다"),
        ],
        Language::Spanish => vec![("mi frase de recuperación es: ", " gracias por la ayuda")],
        Language::French => vec![("ma phrase de récupération : ", " merci pour votre aide")],
        Language::Italian => vec![("la mia frase di recupero è: ", " grazie mille")],
        Language::Czech => vec![("moje obnovovací fráze: ", " děkuji za pomoc")],
        Language::Portuguese => vec![("minha frase de recuperação: ", " obrigado pela ajuda")],
    });
    out
}

#[test]
fn every_list_in_every_layout_nfc_and_nfkd_leaves_exactly_the_prose_and_one_marker() {
    let mut rng = Rng(0x0B1B_3900);
    let mut failures = Vec::new();
    let mut cases = 0;
    for lang in Language::ALL {
        for (round, &count) in [12usize, 24, 18, 15].iter().enumerate() {
            let words = valid_phrase(lang, count, &mut rng);
            for layout in LAYOUTS {
                let Some((phrase, kept)) = lay_out(lang, &words, layout) else {
                    continue;
                };
                for (before, after) in surroundings(lang) {
                    // Every surrounding with the first phrase; the shortest ones with the rest.
                    if round > 0 && !before.is_empty() && !before.starts_with("my recovery") {
                        continue;
                    }
                    for form in [Form::Nfc, Form::Nfkd] {
                        let (before, phrase, after) = (
                            normalise(before, form),
                            normalise(&phrase, form),
                            normalise(after, form),
                        );
                        let text = format!("{before}{phrase}{after}");
                        let expected = format!("{before}{kept}{}{after}", marker(count));
                        let got = redacted(&text);
                        cases += 1;
                        if got != expected {
                            failures.push(format!(
                                "{lang:?} {layout:?} {form:?} {count}:\n  in:  {text:?}\n  got: \
                                 {got:?}\n  want: {expected:?}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
