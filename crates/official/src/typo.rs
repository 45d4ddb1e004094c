//! Typosquats: how one name was made from another. The techniques and their names follow
//! dnstwist's fuzzers (<https://github.com/elceef/dnstwist>, README "Fuzzing algorithms"):
//! addition/insertion, omission, repetition, transposition, replacement, vowel swap,
//! bitsquatting, hyphenation, plus "extra words" (dnstwist's dictionary fuzzer:
//! `lanternfish-support`, `lanternfishwallet`).

/// How a lookalike name differs from ours; its `as_str` names the message
/// (`verify.lookalike.<technique>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Technique {
    Insertion,
    Omission,
    Repetition,
    Transposition,
    Replacement,
    VowelSwap,
    Bitsquatting,
    Hyphenation,
    ExtraWords,
    Homoglyph,
    TldSwap,
    Subdomain,
    Similar,
}

impl Technique {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Technique::Insertion => "insertion",
            Technique::Omission => "omission",
            Technique::Repetition => "repetition",
            Technique::Transposition => "transposition",
            Technique::Replacement => "replacement",
            Technique::VowelSwap => "vowel_swap",
            Technique::Bitsquatting => "bitsquatting",
            Technique::Hyphenation => "hyphenation",
            Technique::ExtraWords => "extra_words",
            Technique::Homoglyph => "homoglyph",
            Technique::TldSwap => "tld_swap",
            Technique::Subdomain => "subdomain",
            Technique::Similar => "similar",
        }
    }
}

/// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions), on
/// characters. Bounded inputs only (labels are at most 63 bytes; callers cut longer ones).
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(128).collect();
    let b: Vec<char> = b.chars().take(128).collect();
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

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// How many edits a name of our name's length may be away and still be a lookalike: short
/// names collide with ordinary words too easily.
#[must_use]
pub fn budget(ours: &str) -> usize {
    match ours.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The technique that turns `ours` into `theirs`, when `theirs` is a typosquat of `ours`
/// (different, within [`budget`] edits, or `ours` with words added).
#[must_use]
pub fn technique(theirs: &str, ours: &str) -> Option<Technique> {
    if theirs == ours || ours.chars().count() < 4 {
        return None;
    }
    let t: Vec<char> = theirs.chars().collect();
    let o: Vec<char> = ours.chars().collect();
    if t.len() == o.len() + 1 {
        // One character added: which one?
        for i in 0..t.len() {
            let mut rest = t.clone();
            let added = rest.remove(i);
            if rest == o {
                if added == '-' {
                    return Some(Technique::Hyphenation);
                }
                let repeats = (i > 0 && t[i - 1] == added) || t.get(i + 1) == Some(&added);
                return Some(if repeats {
                    Technique::Repetition
                } else {
                    Technique::Insertion
                });
            }
        }
    }
    if t.len() + 1 == o.len() {
        for i in 0..o.len() {
            let mut rest = o.clone();
            rest.remove(i);
            if rest == t {
                return Some(Technique::Omission);
            }
        }
    }
    if t.len() == o.len() {
        let diffs: Vec<usize> = (0..t.len()).filter(|&i| t[i] != o[i]).collect();
        if let [i] = diffs[..] {
            let (a, b) = (t[i], o[i]);
            if is_vowel(a) && is_vowel(b) {
                return Some(Technique::VowelSwap);
            }
            if a.is_ascii() && b.is_ascii() && ((a as u32) ^ (b as u32)).count_ones() == 1 {
                return Some(Technique::Bitsquatting);
            }
            return Some(Technique::Replacement);
        }
        if let [i, j] = diffs[..]
            && j == i + 1
            && t[i] == o[j]
            && t[j] == o[i]
        {
            return Some(Technique::Transposition);
        }
    }
    let plain: String = theirs.chars().filter(|c| *c != '-' && *c != '_').collect();
    if plain != ours && plain.contains(ours) {
        return Some(Technique::ExtraWords);
    }
    if plain == ours {
        return Some(Technique::Hyphenation);
    }
    (distance(theirs, ours) <= budget(ours)).then_some(Technique::Similar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("lanternfish", "lanternfish"), 0);
        assert_eq!(distance("lanternfish", "lantrenfish"), 1);
        assert_eq!(distance("lanternfish", "lanternfsh"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn techniques() {
        let o = "lanternfish";
        let cases = [
            ("lanternfissh", Technique::Repetition),
            ("lanternfiish", Technique::Repetition),
            ("lanternfisxh", Technique::Insertion),
            ("lanternfsh", Technique::Omission),
            ("lantrenfish", Technique::Transposition),
            ("lanternfosh", Technique::VowelSwap),
            ("lanternfisk", Technique::Replacement),
            // 'n' 0x6e → 'o' 0x6f: one bit.
            ("laoternfish", Technique::Bitsquatting),
            ("lantern-fish", Technique::Hyphenation),
            ("lanternfish-support", Technique::ExtraWords),
            ("my-lanternfish-wallet", Technique::ExtraWords),
            ("lamtermfish", Technique::Similar),
        ];
        for (theirs, want) in cases {
            assert_eq!(technique(theirs, o), Some(want), "{theirs}");
        }
        for unrelated in ["lanternfish", "google", "github", "fisherman", "lantern"] {
            assert_eq!(technique(unrelated, o), None, "{unrelated}");
        }
    }
}
