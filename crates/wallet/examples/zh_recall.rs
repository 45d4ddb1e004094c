//! Measures how often random Chinese recovery phrases written without separators are found
//! whole: for each list (simplified, traditional), length (12–24), kind (valid checksum, wrong
//! checksum, one misspelled character) and setting (bare, inside a sentence, after a label).
//! Uniform draws are what a phrase is, so this is the recall side of the prose rules, measured
//! on many more phrases than the labelled corpus holds.
//!
//! `cargo run --release -p walletdesk-wallet --example zh_recall -- [TRIALS]`

#![expect(clippy::print_stdout, reason = "a study tool prints its figures")]

use wallet::{Language, bip39};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SETTINGS: [(&str, &str, &str); 3] = [
    ("bare", "", ""),
    ("sentence", "我导入钱包的时候输入了", "，一直提示无效。"),
    ("label", "你好，我的助记词是", "，为什么恢复不了？"),
];

fn main() {
    let trials: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let mut rng = Rng(0x00C0_FFEE);
    let mut missed_examples = Vec::new();
    for lang in [Language::ChineseSimplified, Language::ChineseTraditional] {
        let wl = lang.wordlist();
        for kind in ["valid", "bad_checksum", "typo"] {
            for (setting, before, after) in SETTINGS {
                let mut found = 0usize;
                for t in 0..trials {
                    let count = [12usize, 15, 18, 21, 24][t % 5];
                    let mut indices: Vec<u16> = if kind == "bad_checksum" {
                        loop {
                            let v: Vec<u16> = (0..count)
                                .map(|_| u16::try_from(rng.below(2048)).unwrap_or(0))
                                .collect();
                            if !bip39::checksum_valid(&v) {
                                break v;
                            }
                        }
                    } else {
                        let entropy: Vec<u8> = (0..count / 3 * 4)
                            .map(|_| rng.next().to_le_bytes()[0])
                            .collect();
                        bip39::indices_from_entropy(&entropy).unwrap_or_default()
                    };
                    let mut words: Vec<String> =
                        indices.iter().map(|&i| wl.word(i).to_owned()).collect();
                    if kind == "typo" {
                        let at = usize::try_from(rng.below(count as u64)).unwrap_or(0);
                        loop {
                            let c = char::from_u32(
                                0x4E00 + u32::try_from(rng.below(0x51A5)).unwrap_or(0),
                            )
                            .unwrap_or('龘');
                            let s = c.to_string();
                            if wl.index_of(&s).is_none() {
                                words[at] = s;
                                break;
                            }
                        }
                        indices.clear();
                    }
                    let phrase = words.concat();
                    let text = format!("{before}{phrase}{after}");
                    let (s, e) = (before.len(), before.len() + phrase.len());
                    let ok = wallet::redact(&text)
                        .is_ok_and(|r| r.findings.iter().any(|f| f.start <= s && f.end >= e));
                    found += usize::from(ok);
                    if !ok && missed_examples.len() < 12 {
                        missed_examples.push(format!("{lang:?} {kind} {setting}: {text}"));
                    }
                }
                #[expect(clippy::cast_precision_loss, reason = "counts are small")]
                let rate = found as f64 * 100.0 / trials as f64;
                println!("{lang:?} {kind:<12} {setting:<8} {found}/{trials} ({rate:.2}%)");
            }
        }
    }
    for m in missed_examples {
        println!("  missed: {m}");
    }
}
