//! Turns the ten BIP39 wordlists (stored NFKD, as BIP39 specifies) into const tables:
//! the words in index order, a copy sorted by lookup key for binary search, and the first four
//! bytes of each sorted key.
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

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut out = String::new();
    for (stem, name, fold) in LISTS {
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
    std::fs::write(Path::new(&out_dir).join("wordlists.rs"), out).expect("write generated tables");

    // Adjacent character pairs inside Chinese words, as sorted little-endian u64 keys
    // (first char << 32 | second char), read with include_bytes! (fast to compile).
    let path = Path::new(&manifest).join("data").join("zh_pairs.txt");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("zh_pairs.txt readable");
    let mut keys: Vec<u64> = text
        .lines()
        .filter_map(|l| {
            let mut cs = l.chars();
            let (a, b) = (cs.next()?, cs.next()?);
            Some(u64::from(u32::from(a)) << 32 | u64::from(u32::from(b)))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    std::fs::write(Path::new(&out_dir).join("zh_pairs.bin"), bytes).expect("write generated table");
}
