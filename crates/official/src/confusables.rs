//! Characters that look alike, reduced to one *skeleton* so that `lanternf1sh`, `lаnternfish`
//! (Cyrillic `а`) and `lanternfish` compare equal.
//!
//! The table is the part of Unicode's confusables data (UTS #39, `confusables.txt`,
//! <https://www.unicode.org/Public/security/latest/confusables.txt>) that matters for domain
//! names and handles written to pass for Latin ones: Cyrillic and Greek letters that render as
//! Latin letters, a few Latin-script look-alikes (`ı`, `ɑ`, `ɡ`, `ℓ`), and the digit/letter and
//! letter-pair swaps that phishing kits use (`0`/`o`, `1`/`l`/`i`, `rn`/`m`, `vv`/`w`, `cl`/`d`),
//! as listed by dnstwist's homoglyph fuzzer. Text is NFKC-folded and lower-cased first, so
//! full-width and upper-case forms need no entries of their own.

use unicode_normalization::UnicodeNormalization;

/// A script a character belongs to, as far as telling a mixed label goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

#[must_use]
pub fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
            Some(Script::Latin)
        }
        '\u{0250}'..='\u{02AF}' | '\u{2113}' => Some(Script::Latin),
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Script::Greek),
        c if c.is_ascii() => None,
        c if c.is_alphabetic() => Some(Script::Other),
        _ => None,
    }
}

/// Latin letter ← characters that pass for it (Cyrillic, Greek, accented and IPA Latin,
/// digits). Lower case only: text is lower-cased first.
const TABLE: &[(char, &str)] = &[
    ('a', "аαɑáàäâãå4@"),
    ('b', "вьъβ"),
    ('c', "сϲç"),
    ('d', "ԁ"),
    ('e', "еёєεéèêë3"),
    ('g', "ɡ9"),
    ('h', "һн"),
    ('j', "јϳ"),
    ('k', "кκ"),
    ('l', "іїӏıι1|ℓíìǀ"),
    ('m', "м"),
    ('n', "пηñ"),
    ('o', "оοσ0өóòö"),
    ('p', "рρ"),
    ('q', "ԛ"),
    ('r', "г"),
    ('s', "ѕ5"),
    ('t', "тτ"),
    ('u', "υμüúù"),
    ('v', "ν"),
    ('w', "ԝωѡ"),
    ('x', "хχ"),
    ('y', "уүγý"),
    ('z', "ζ"),
];

/// One character's Latin look-alike, if it has one.
fn single(c: char) -> Option<char> {
    TABLE
        .iter()
        .find(|(_, from)| from.contains(c))
        .map(|(to, _)| *to)
}

/// The skeleton of `s`: NFKC, lower case, every look-alike replaced, letter pairs joined.
/// `i` and `1` both become `l`, so skeletons are for comparing, never for showing.
#[must_use]
pub fn skeleton(s: &str) -> String {
    let folded: String = s.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = if c == 'i' {
            'l'
        } else {
            single(c).unwrap_or(c)
        };
        out.push(c);
    }
    out.replace("rn", "m")
        .replace("vv", "w")
        .replace("cl", "d")
        .replace("nn", "m")
}

/// Whether `s` has letters of more than one of Latin, Cyrillic and Greek (the classic sign of
/// a spoofed label: `lаnternfish` with one Cyrillic letter).
#[must_use]
pub fn mixed_scripts(s: &str) -> bool {
    let mut seen: Option<Script> = None;
    for sc in s.chars().filter_map(script) {
        match seen {
            None => seen = Some(sc),
            Some(prev) if prev != sc => return true,
            Some(_) => {}
        }
    }
    false
}

/// Whether `s` holds a character that has a Latin look-alike but is not the plain ASCII letter
/// (a Cyrillic `а`, a Greek `ο`, an accented `í`).
#[must_use]
pub fn has_lookalike_chars(s: &str) -> bool {
    s.chars().any(|c| !c.is_ascii() && single(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons() {
        assert_eq!(skeleton("lanternfish"), skeleton("LANTERNF1SH"));
        assert_eq!(skeleton("lanternfish"), skeleton("lаnternfish"));
        assert_eq!(skeleton("modern"), skeleton("rnodern"));
        assert_eq!(skeleton("аррӏе"), skeleton("apple"));
        assert_eq!(skeleton("ｌａｎｔｅｒｎｆｉｓｈ"), skeleton("lanternfish"));
        assert_ne!(skeleton("lanternfish"), skeleton("lanternfist"));
    }

    #[test]
    fn scripts() {
        assert!(mixed_scripts("lаnternfish"));
        assert!(!mixed_scripts("аррӏе"));
        assert!(!mixed_scripts("lanternfish-2"));
        assert!(has_lookalike_chars("аррӏе"));
        assert!(!has_lookalike_chars("lanternfish"));
    }
}
