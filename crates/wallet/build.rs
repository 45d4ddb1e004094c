//! Turns the ten BIP39 wordlists (stored NFKD, as BIP39 specifies) into const tables:
//! the words in index order, a copy sorted by lookup key for binary search, and the first four
//! bytes of each sorted key; and one merged table of every key of every list with the lists
//! that hold it, so that redaction looks a token up once rather than once per list.
//! Doing this at build time keeps the crate free of start-up work and global state.

#![expect(
    clippy::unwrap_used,
    reason = "writing to a String cannot fail; a build script stops on error anyway"
)]

use std::fmt::Write as _;
use std::path::Path;

const LISTS: [(&str, &str, bool); 10] = [
    // (file stem, const prefix, fold accents)
    ("english", "ENGLISH", true),
    ("chinese_simplified", "CHINESE_SIMPLIFIED", false),
    ("chinese_traditional", "CHINESE_TRADITIONAL", false),
    ("japanese", "JAPANESE", false),
    ("korean", "KOREAN", false),
    ("spanish", "SPANISH", true),
    ("french", "FRENCH", true),
    ("italian", "ITALIAN", true),
    ("czech", "CZECH", true),
    ("portuguese", "PORTUGUESE", true),
];

/// The block of first characters that `zh_pairs_index.bin` indexes (the same constants are in
/// phrase.rs).
const ZH_INDEX_FIRST: u32 = 0x4E00;
const ZH_INDEX_LAST: u32 = 0x9FFF;

/// The block of Han characters that `MERGED_HAN` indexes (CJK Unified Ideographs).
const HAN_FIRST: u32 = 0x4E00;
const HAN_LAST: u32 = 0x9FFF;

/// FNV-1a, the hash of the merged lookup table (the same function is in wordlist.rs).
fn key_hash(key: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in key {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut out = String::new();
    // Lookup key → (bit per list in `LISTS` order, index in each list holding it).
    let mut merged: std::collections::BTreeMap<String, (u16, [u16; 10])> =
        std::collections::BTreeMap::new();
    for (li, (stem, name, fold)) in LISTS.into_iter().enumerate() {
        let path = Path::new(&manifest)
            .join("wordlists")
            .join(format!("{stem}.txt"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("wordlist readable");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words.len(), 2048, "{stem} must have 2048 words");
        writeln!(out, "pub(crate) static {name}_WORDS: [&str; 2048] = [").unwrap();
        for w in &words {
            writeln!(out, "    {w:?},").unwrap();
        }
        writeln!(out, "];").unwrap();
        let mut keyed: Vec<(String, usize)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let key: String = if fold {
                    w.chars().filter(|c| !is_combining_mark(*c)).collect()
                } else {
                    (*w).to_owned()
                };
                (key, i)
            })
            .collect();
        keyed.sort();
        for pair in keyed.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "{stem}: lookup keys must be unique");
        }
        writeln!(
            out,
            "pub(crate) static {name}_SORTED: [(&str, u16); 2048] = ["
        )
        .unwrap();
        for (k, i) in &keyed {
            writeln!(out, "    ({k:?}, {i}),").unwrap();
            let entry = merged.entry(k.clone()).or_insert((0, [0; 10]));
            entry.0 |= 1 << li;
            entry.1[li] = u16::try_from(*i).unwrap();
        }
        writeln!(out, "];").unwrap();
        // The first four bytes of each sorted key, big-endian and zero-padded: in the same
        // (non-decreasing) order, a small table that a binary search probes without chasing
        // pointers. Its formula is `prefix_of` in wordlist.rs.
        writeln!(out, "pub(crate) static {name}_PREFIX: [u32; 2048] = [").unwrap();
        for (k, _) in &keyed {
            let mut p = [0u8; 4];
            for (d, s) in p.iter_mut().zip(k.as_bytes()) {
                *d = *s;
            }
            writeln!(out, "    {:#010x},", u32::from_be_bytes(p)).unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    // The merged table, sorted by key (BTreeMap order is byte order), and an open-addressing
    // hash table over it: slot `key_hash(key) & (len - 1)`, then the next slots, hold
    // 1 + the key's position in `MERGED_KEYS`; 0 is an empty slot, and at least two thirds of the
    // slots are empty, so a search ends after one or two probes. `key_hash` is the same function
    // in wordlist.rs.
    let n = merged.len();
    let slots_len = (n * 3).next_power_of_two();
    let mut slots = vec![0u16; slots_len];
    for (pos, k) in merged.keys().enumerate() {
        let mut slot = key_hash(k.as_bytes()) as usize & (slots_len - 1);
        while slots[slot] != 0 {
            slot = (slot + 1) & (slots_len - 1);
        }
        slots[slot] = u16::try_from(pos + 1).expect("fewer than 65535 keys");
    }
    writeln!(out, "pub(crate) static MERGED_KEYS: [&str; {n}] = [").unwrap();
    for k in merged.keys() {
        writeln!(out, "    {k:?},").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(
        out,
        "pub(crate) static MERGED_HITS: [(u16, [u16; 10]); {n}] = ["
    )
    .unwrap();
    for (hits, index) in merged.values() {
        writeln!(out, "    ({hits:#06x}, {index:?}),").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(
        out,
        "pub(crate) static MERGED_SLOTS: [u16; {slots_len}] = {slots:?};"
    )
    .unwrap();
    // Every Han character of the CJK Unified Ideographs block, straight to 1 + its position in
    // `MERGED_KEYS` (0: in no list) in the low 16 bits and the key's list bits in the high 16:
    // Chinese prose is one lookup per character, and indexing by code point needs no hashing,
    // no string compare and no second load for the list bits.
    let mut han = vec![0u32; (HAN_LAST - HAN_FIRST + 1) as usize];
    for (pos, (k, (hits, _))) in merged.iter().enumerate() {
        let mut chars = k.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && (HAN_FIRST..=HAN_LAST).contains(&u32::from(c))
        {
            han[(u32::from(c) - HAN_FIRST) as usize] =
                u32::try_from(pos + 1).expect("fewer than 65535 keys") | u32::from(*hits) << 16;
        }
    }
    writeln!(
        out,
        "pub(crate) const MERGED_HAN_FIRST: u32 = {HAN_FIRST:#x};\npub(crate) static MERGED_HAN: [u32; {}] = {han:?};",
        han.len()
    )
    .unwrap();
    std::fs::write(Path::new(&out_dir).join("wordlists.rs"), out).expect("write generated tables");

    // Adjacent character pairs inside Chinese words with their mutual information in bits, as
    // sorted little-endian u64 keys (first char << 32 | second char << 8 | bits), read with
    // include_bytes! (fast to compile). jieba's dictionary
    // is simplified: each pair is also given its traditional forms (OpenCC's characters), so that
    // traditional prose has its words' bits too; those forms have the byte's high bit set.
    let path = Path::new(&manifest).join("data").join("zh_st.txt");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("zh_st.txt readable");
    let mut variants: std::collections::HashMap<char, Vec<char>> = std::collections::HashMap::new();
    for line in text.lines() {
        let Some((s, ts)) = line.split_once('\t') else {
            continue;
        };
        let Some(s) = s.chars().next() else { continue };
        // Only the first, usual form: the others (发 → 發, not 髮) would add pairs that no
        // traditional text writes, and so chance pairs to random phrases.
        if let Some(t) = ts.split(' ').next().and_then(|t| t.chars().next())
            && t != s
        {
            variants.entry(s).or_default().push(t);
        }
    }
    let zh_lists: std::collections::HashSet<char> = ["chinese_simplified", "chinese_traditional"]
        .iter()
        .map(|stem| {
            let path = Path::new(&manifest)
                .join("wordlists")
                .join(format!("{stem}.txt"));
            std::fs::read_to_string(path).expect("wordlist readable")
        })
        .collect::<Vec<String>>()
        .join("\n")
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    let path = Path::new(&manifest).join("data").join("zh_pairs.txt");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("zh_pairs.txt readable");
    let key = |a: char, b: char| u64::from(u32::from(a)) << 32 | u64::from(u32::from(b));
    let mut pmi: std::collections::BTreeMap<u64, u8> = std::collections::BTreeMap::new();
    for line in text.lines() {
        let (pair, bits) = line.split_once('\t').unwrap_or((line, "0"));
        let mut cs = pair.chars();
        let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
            continue;
        };
        let bits: u8 = bits.parse().expect("zh_pairs.txt: bits are a small number");
        let va: Vec<char> = std::iter::once(a)
            .chain(variants.get(&a).into_iter().flatten().copied())
            .collect();
        let vb: Vec<char> = std::iter::once(b)
            .chain(variants.get(&b).into_iter().flatten().copied())
            .collect();
        for (i, &x) in va.iter().enumerate() {
            for (j, &y) in vb.iter().enumerate() {
                // The written pair itself, or a traditional form that is still about a list
                // character, marked with the high bit (`ZH_PAIR_VARIANT` in phrase.rs); a
                // written pair keeps its own figure over a variant's.
                let written = i == 0 && j == 0;
                if written {
                    pmi.insert(key(x, y), bits);
                } else if zh_lists.contains(&x) || zh_lists.contains(&y) {
                    pmi.entry(key(x, y)).or_insert(bits | 0x80);
                }
            }
        }
    }
    // The byte goes in the low 8 bits of the key (first << 32 | second << 8 | byte; a char has
    // 21 bits): the order is the pairs' order, and a search finds the figure with the pair.
    let keys: Vec<u64> = pmi
        .iter()
        .map(|(k, bits)| (k >> 32) << 32 | (k & 0xffff_ffff) << 8 | u64::from(*bits))
        .collect();
    let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    std::fs::write(Path::new(&out_dir).join("zh_pairs.bin"), bytes).expect("write generated table");
    // An index by first character over the CJK Unified Ideographs block (where nearly every
    // pair starts): entry `c - ZH_INDEX_FIRST` is the number of keys whose first character is
    // below `c`, little-endian u32, one more entry for the end of the block. A search then
    // looks only among the pairs that start with its first character.
    let index: Vec<u8> = (ZH_INDEX_FIRST..=ZH_INDEX_LAST + 1)
        .map(|c| u32::try_from(keys.partition_point(|k| k >> 32 < u64::from(c))).unwrap())
        .flat_map(u32::to_le_bytes)
        .collect();
    std::fs::write(Path::new(&out_dir).join("zh_pairs_index.bin"), index)
        .expect("write generated table");

    // For each Chinese list (simplified, traditional), in index order: log2(2048 · p) in
    // hundredths of a bit, where p
    // is the character's frequency in jieba's dictionary (`data/zh_chars.txt`): how much more
    // likely prose is to write the character than a uniform draw from the list.
    let path = Path::new(&manifest).join("data").join("zh_chars.txt");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("zh_chars.txt readable");
    let mut freq: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for line in text.lines() {
        if let Some((c, f)) = line.split_once('\t') {
            freq.insert(c, f.parse().expect("zh_chars.txt: a count"));
        }
    }
    let total = freq.get("N").copied().expect("zh_chars.txt: N first");
    let mut out = String::new();
    writeln!(
        out,
        "pub(crate) static ZH_UNIGRAM_CENTIBITS: [[i16; 2048]; 2] = ["
    )
    .unwrap();
    for stem in ["chinese_simplified", "chinese_traditional"] {
        let path = Path::new(&manifest)
            .join("wordlists")
            .join(format!("{stem}.txt"));
        let text = std::fs::read_to_string(&path).expect("wordlist readable");
        writeln!(out, "    [").unwrap();
        for w in text.split_whitespace() {
            // A character jieba never writes counts as written once.
            let f = freq.get(w).copied().unwrap_or(0.0).max(1.0);
            #[expect(
                clippy::cast_possible_truncation,
                reason = "log2 of a share times 2048 is within ±30 bits"
            )]
            let centibits = ((2048.0 * f / total).log2() * 100.0).round() as i16;
            writeln!(out, "        {centibits},").unwrap();
        }
        writeln!(out, "    ],").unwrap();
    }
    writeln!(out, "];").unwrap();
    // log2(index + 1) of every list index, as `f64` bits (literals would trip clippy's
    // approximate-constant lint on log2(10)): the rank figure of a window of Chinese characters
    // (`Draws` in redact/phrase.rs), summed over a run to turn away most windows of prose
    // before they are looked at one by one.
    writeln!(out, "pub(crate) static RANK_LOG2_BITS: [u64; 2048] = [").unwrap();
    for i in 0..2048u32 {
        writeln!(out, "    {:#018x},", f64::from(i + 1).log2().to_bits()).unwrap();
    }
    writeln!(out, "];").unwrap();
    // The same figure in fixed point, 1/65536 of a bit, rounded up (and one more for the
    // rounding of `log2` itself): an upper bound that integer window sums can add and subtract
    // exactly, for the pre-filter in front of the windows (`ZhCandidates` in redact/phrase.rs).
    // Packed with the character's unigram centibits (plus 4096, so never negative) and a 1 that
    // counts list characters, as `ZhCandidates` in redact/phrase.rs adds them up, 12 at a time,
    // in one `u64`: bits 0–3 the count, 4–27 the rank bound, 28–44 the centibits.
    writeln!(out, "pub(crate) static ZH_PACKED: [[u64; 2048]; 2] = [").unwrap();
    for stem in ["chinese_simplified", "chinese_traditional"] {
        let path = Path::new(&manifest)
            .join("wordlists")
            .join(format!("{stem}.txt"));
        let text = std::fs::read_to_string(&path).expect("wordlist readable");
        writeln!(out, "    [").unwrap();
        for (i, w) in text.split_whitespace().enumerate() {
            let f = freq.get(w).copied().unwrap_or(0.0).max(1.0);
            #[expect(
                clippy::cast_possible_truncation,
                reason = "log2 of a share times 2048 is within ±30 bits"
            )]
            let centibits = ((2048.0 * f / total).log2() * 100.0).round() as i64;
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "log2 of at most 2048, times 65536, is positive and far below 2^24"
            )]
            let rank = ((i + 1) as f64).log2().mul_add(65536.0, 0.0).ceil() as u64 + 1;
            let centi = u64::try_from(centibits + 4096).expect("centibits above -4096");
            assert!(rank < 1 << 20 && centi < 1 << 13);
            writeln!(out, "        {:#x},", 1 | rank << 4 | centi << 28).unwrap();
        }
        writeln!(out, "    ],").unwrap();
    }
    writeln!(out, "];").unwrap();
    std::fs::write(Path::new(&out_dir).join("zh_unigram.rs"), out).expect("write generated table");
}
