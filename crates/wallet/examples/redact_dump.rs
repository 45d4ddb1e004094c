//! Prints what `redact_with` finds and writes for a large, fixed set of inputs, so that two
//! builds can be compared byte for byte when a change must not alter behaviour (a speed-up):
//!
//! ```sh
//! cargo run --release -p walletdesk-wallet --example redact_dump > before.txt
//! # … change the code …
//! cargo run --release -p walletdesk-wallet --example redact_dump > after.txt
//! cmp before.txt after.txt
//! ```
//!
//! Inputs: every labelled message (as free text, and in the address and tx-hash fields), every
//! prose paragraph and every whole prose file, 64 KiB mixes of prose and secret messages, and
//! synthetic phrases from a fixed-seed PRNG in all ten languages (lengths 6–24, every separator,
//! numbering, joiners, labels, asides, typos, upper case, NFC and NFKD, in English and Chinese
//! sentences), random Han strings drawn from the lists and from prose, and random hex and base58
//! strings. `REDACT_DUMP_SYNTHETIC=n` changes the number of synthetic phrases (default 40 000).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use wallet::{FieldHint, Language, RedactOptions};

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n as u64)).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn dump(out: &mut String, id: &str, text: &str, field: FieldHint) {
    let options = RedactOptions {
        field,
        marker_language: None,
    };
    let _ = write!(out, "== {id} {field:?}: ");
    match wallet::redact_with(text, &options) {
        Err(e) => {
            let _ = writeln!(out, "error {e}");
        }
        Ok(r) => {
            for f in &r.findings {
                let _ = write!(
                    out,
                    "[{:?} {}..{} {:?} {:?} {:?} {:.4}] ",
                    f.kind, f.start, f.end, f.language, f.words, f.checksum_valid, f.confidence
                );
            }
            if r.text == text {
                let _ = writeln!(out, "unchanged");
            } else {
                let _ = writeln!(out, "\n{}", r.text);
            }
        }
    }
}

const EN_PROSE: [&str; 6] = [
    "Hi, my wallet shows zero after the update. ",
    "please help me restore it, ",
    "I think this is my backup: ",
    "\nThanks a lot for your help!",
    " Is it safe? I wrote it down on paper.",
    "my recovery phrase is ",
];
const ZH_PROSE: [&str; 6] = [
    "你好，我的钱包更新以后余额显示为零，",
    "我的助记词是：",
    "请帮我恢复一下。",
    "\n谢谢！",
    "备份的时候我抄在纸上了",
    "这是我的私钥 ",
];
const SEPARATORS: [&str; 12] = [
    " ", ", ", "\n", "-", ".", "/", "_", "", "、", "，", "  ", "\t",
];
const ASIDES: [&str; 4] = [
    " (I think) ",
    ", not sure about this one, ",
    " — maybe — ",
    "（不确定）",
];

fn synthetic(rng: &mut Rng) -> String {
    let lang = *rng.pick(&Language::ALL);
    let wl = lang.wordlist();
    let n = 6 + rng.below(19);
    let sep = *rng.pick(&SEPARATORS);
    let numbered = rng.below(6) == 0;
    let mut words: Vec<String> = (0..n)
        .map(|_| {
            let i = u16::try_from(rng.below(2048)).unwrap_or(0);
            wl.word(i).to_owned()
        })
        .collect();
    // Typos, upper case, NFC.
    for w in &mut words {
        match rng.below(40) {
            0 => {
                let mut cs: Vec<char> = w.chars().collect();
                if cs.len() > 3 {
                    let at = rng.below(cs.len());
                    cs.remove(at);
                    *w = cs.into_iter().collect();
                }
            }
            1 => *w = w.to_uppercase(),
            2 => *w = format!("{}{}", w, w.chars().last().unwrap_or('x')),
            _ => {}
        }
    }
    let nfc = rng.below(2) == 0;
    let mut phrase = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            if rng.below(30) == 0 {
                phrase.push_str(rng.pick::<&str>(&ASIDES));
            } else {
                phrase.push_str(sep);
            }
        }
        if numbered {
            let _ = write!(phrase, "{}. ", i + 1);
        }
        phrase.push_str(w);
    }
    if nfc {
        phrase = phrase.nfc().collect();
    }
    let mut text = String::new();
    let zh = rng.below(2) == 0;
    let prose: &[&str] = if zh { &ZH_PROSE } else { &EN_PROSE };
    for _ in 0..rng.below(3) {
        text.push_str(rng.pick::<&str>(prose));
    }
    text.push_str(&phrase);
    for _ in 0..rng.below(3) {
        text.push_str(rng.pick::<&str>(prose));
    }
    text
}

fn random_han(rng: &mut Rng, prose: &[char]) -> String {
    let n = 8 + rng.below(30);
    let from_list = rng.below(2) == 0;
    let sep = *rng.pick(&["", "", " ", "，", "\n"]);
    let mut s = String::new();
    if from_list {
        let wl = rng
            .pick(&[Language::ChineseSimplified, Language::ChineseTraditional])
            .wordlist();
        for i in 0..n {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(wl.word(u16::try_from(rng.below(2048)).unwrap_or(0)));
        }
    } else if !prose.is_empty() {
        let at = rng.below(prose.len().saturating_sub(n).max(1));
        for (i, c) in prose.iter().skip(at).take(n).enumerate() {
            if i > 0 && rng.below(5) == 0 {
                s.push_str(sep);
            }
            s.push(*c);
        }
    }
    s
}

fn random_key_like(rng: &mut Rng) -> String {
    const HEX: &[u8] = b"0123456789abcdefABCDEF";
    const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let n = 30 + rng.below(100);
    let alphabet = if rng.below(2) == 0 { HEX } else { B58 };
    let body: String = (0..n)
        .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
        .collect();
    let prefix = *rng.pick(&["", "0x", "key: 0x", "私钥 ", "xprv", "tx ", "[", "\""]);
    format!("{prefix}{body}")
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let synthetic_count = std::env::var("REDACT_DUMP_SYNTHETIC")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(40_000);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut out = String::new();
    let mut flush = |out: &mut String| {
        lock.write_all(out.as_bytes()).expect("stdout");
        out.clear();
    };

    // Labelled messages, in each field.
    let labelled = std::fs::read_to_string(corpus.join("labelled.jsonl")).expect("labelled");
    let mut secrets = Vec::new();
    for line in labelled.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        for field in [FieldHint::FreeText, FieldHint::Address, FieldHint::TxHash] {
            dump(&mut out, id, text, field);
        }
        if v["secrets"].as_array().is_some_and(|s| !s.is_empty()) {
            secrets.push(text.to_owned());
        }
    }
    flush(&mut out);

    // Prose: every paragraph, every whole file, and 64 KiB mixes with secrets.
    let mut names: Vec<_> = std::fs::read_dir(corpus.join("prose"))
        .expect("prose")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut han: Vec<char> = Vec::new();
    let mut all_paras: Vec<String> = Vec::new();
    for path in &names {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let text = std::fs::read_to_string(path).expect("prose file");
        for (i, p) in text.lines().enumerate() {
            dump(&mut out, &format!("{name}:{i}"), p, FieldHint::FreeText);
            all_paras.push(p.to_owned());
        }
        dump(&mut out, name, &text, FieldHint::FreeText);
        if name.starts_with("zh.") {
            han.extend(
                text.chars()
                    .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)),
            );
        }
        flush(&mut out);
    }
    let mut rng = Rng(0xD0_5EED);
    let mut mix = String::new();
    let mut k = 0;
    for (i, p) in all_paras.iter().enumerate() {
        mix.push_str(p);
        mix.push('\n');
        if i % 7 == 0 && !secrets.is_empty() {
            mix.push_str(rng.pick(&secrets).as_str());
            mix.push('\n');
        }
        if mix.len() > 64 * 1024 {
            dump(&mut out, &format!("mix{k}"), &mix, FieldHint::FreeText);
            mix.clear();
            k += 1;
            flush(&mut out);
        }
    }

    for i in 0..synthetic_count {
        let text = synthetic(&mut rng);
        dump(&mut out, &format!("syn{i}"), &text, FieldHint::FreeText);
        if i % 1000 == 0 {
            flush(&mut out);
        }
    }
    for i in 0..10_000 {
        let text = random_han(&mut rng, &han);
        dump(&mut out, &format!("han{i}"), &text, FieldHint::FreeText);
    }
    for i in 0..5_000 {
        let text = random_key_like(&mut rng);
        let field = *rng.pick(&[FieldHint::FreeText, FieldHint::Address, FieldHint::TxHash]);
        dump(&mut out, &format!("key{i}"), &text, field);
    }
    flush(&mut out);
}
