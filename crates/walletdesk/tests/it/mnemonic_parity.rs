//! The JavaScript mnemonic check (`packages/mnemonic-check/index.js`: the package wallet teams
//! embed, served to the help center as `/static/mnemonic/check.js`) is a port of
//! `wallet::check::check_mnemonic`: both must give the same report on the same input. This runs
//! the crate and the JavaScript (under Node, which the test requires: it fails without it) on
//! the published vectors and on mutations of them, and compares the JSON value for value.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use wallet::Language;
use wallet::check::{CheckError, check_mnemonic};

const MNEMONIC_VECTORS: &str =
    include_str!("../../../wallet/tests/vectors/bip39/python-mnemonic_vectors.json");
const JP_VECTORS: &str = include_str!("../../../wallet/tests/vectors/bip39/test_JP_BIP39.json");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `(language, phrase)` for the 240 python-mnemonic vectors and the 24 Japanese ones.
fn vectors() -> Vec<(Language, String)> {
    let mut out = Vec::new();
    let all: Value = serde_json::from_str(MNEMONIC_VECTORS).unwrap();
    for (name, list) in all.as_object().unwrap() {
        let lang = Language::parse(name).unwrap();
        for item in list.as_array().unwrap() {
            out.push((lang, item[1].as_str().unwrap().to_owned()));
        }
    }
    let jp: Value = serde_json::from_str(JP_VECTORS).unwrap();
    for item in jp.as_array().unwrap() {
        out.push((
            Language::Japanese,
            item["phrase"].as_str().unwrap().to_owned(),
        ));
    }
    out
}

/// A small deterministic generator, so that a failure names the same inputs every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(below).unwrap()).unwrap()
    }
}

fn split_words(lang: Language, phrase: &str) -> Vec<String> {
    if lang.is_chinese() && !phrase.contains(' ') {
        return phrase.chars().map(String::from).collect();
    }
    phrase
        .split([' ', '\u{3000}'])
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One misspelling of a word: a letter dropped, doubled or changed, or two letters swapped.
fn misspell(word: &str, rng: &mut Rng) -> String {
    let mut cs: Vec<char> = word.chars().collect();
    let i = rng.next(cs.len());
    match rng.next(4) {
        0 if cs.len() > 1 => {
            cs.remove(i);
        }
        1 => cs.insert(i, cs[i]),
        2 if i + 1 < cs.len() && cs[i] != cs[i + 1] => cs.swap(i, i + 1),
        _ => cs[i] = if cs[i] == 'q' { 'x' } else { 'q' },
    }
    cs.into_iter().collect()
}

/// Every input both implementations are run on.
fn inputs() -> Vec<String> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut out = Vec::new();
    for (lang, phrase) in vectors() {
        out.push(phrase.clone());
        let words = split_words(lang, &phrase);
        let wl = lang.wordlist();
        let sep = if lang.is_chinese() {
            ""
        } else {
            lang.separator()
        };
        let join = |w: &[String]| w.join(sep);
        let n = words.len();
        let p = rng.next(n);

        let mut w = words.clone();
        w[p] = misspell(&w[p], &mut rng);
        out.push(join(&w));
        // Two misspellings: no corrections, two sets of suggestions.
        let q = (p + 1 + rng.next(n - 1)) % n;
        w[q] = misspell(&w[q], &mut rng);
        out.push(join(&w));

        let mut w = words.clone();
        w[p] = wl.word(u16::try_from(rng.next(2048)).unwrap()).to_owned();
        out.push(join(&w));

        let mut w = words.clone();
        w.swap(p, (p + 1) % n);
        out.push(join(&w));

        let mut w = words.clone();
        w.remove(p);
        out.push(join(&w));

        let mut w = words.clone();
        w.insert(
            p,
            wl.word(u16::try_from(rng.next(2048)).unwrap()).to_owned(),
        );
        out.push(join(&w));

        // A word from another list.
        let mut w = words.clone();
        w[p] = if lang == Language::English {
            "的".to_owned()
        } else {
            "abandon".to_owned()
        };
        out.push(join(&w));

        // As users type it: numbered, one per line, commas, upper case.
        let numbered: String = words
            .iter()
            .enumerate()
            .fold(String::new(), |mut s, (i, w)| {
                let _ = writeln!(s, "{}{} {w}", i + 1, if i % 2 == 0 { "." } else { ")" });
                s
            });
        out.push(numbered);
        out.push(words.join(", ").to_uppercase());
        out.push(words.join(" "));
        out.push(words.join("\n"));
        if lang == Language::Japanese {
            out.push(words.concat());
            let mut w = words.clone();
            w[p] = misspell(&w[p], &mut rng);
            out.push(w.concat());
        }
    }
    out.extend(
        [
            "",
            " 1. 2) ,\n",
            "qqqq wwww",
            "aban abil able",
            "1abandon abandon2, 3abandon3 ab4ndon",
            "ＡＢＡＮＤＯＮ abandon ａｂｏｕｔ",
            "a\u{301}baco ábaco ABACO abaco",
            "Σοφία ΣΟΦΊΑ straße İstanbul",
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo",
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo",
            "的的的的的的的的的的的的",
            "的的的的的的的的的的的",
            "가격 가격 가격 가격 가격 가격 가격 가격 가격 가격 가격 가격",
            "가격가격가격가격가격가격가격가격가격가격가격가격",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq 0x12ab ＠＃＄ ☃ 🙂🙂 \u{0}",
            "abandon\u{3000}ability\table\r\nabout;above|absent",
        ]
        .map(str::to_owned),
    );
    out.push("abandon ".repeat(49));
    out.push("a".repeat(4097));
    out.push("水".repeat(1366));
    out
}

fn rust_result(input: &str) -> Value {
    match check_mnemonic(input) {
        Ok(report) => serde_json::to_value(&report).unwrap(),
        Err(CheckError::Empty) => json!({"error": "empty"}),
        Err(CheckError::TooLarge { len, max }) => {
            json!({"error": "too_large", "len": len, "max": max})
        }
        Err(CheckError::TooManyWords { count, max }) => {
            json!({"error": "too_many_words", "count": count, "max": max})
        }
    }
}

fn js_results(inputs: &[String]) -> Vec<Value> {
    let dir = std::env::temp_dir().join(format!("walletdesk-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("inputs.json");
    std::fs::write(&file, serde_json::to_vec(inputs).unwrap()).unwrap();
    let script = repo_root().join("packages/mnemonic-check/test/parity.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&file)
        .output()
        .expect("node must be installed to run the JavaScript side of the parity test");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        out.status.success(),
        "parity.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The first place two values differ, as a JSON-pointer-like path.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                if x.contains_key(k) != y.contains_key(k) {
                    return Some(format!("{path}/{k}: key only on one side"));
                }
                if let Some(d) = first_difference(&format!("{path}/{k}"), va, vb) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(&format!("{path}/{i}"), va, vb) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}: length {} vs {}", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{path}: rust {a} vs js {b}")),
    }
}

#[test]
fn the_javascript_check_gives_the_same_reports_as_the_wallet_crate() {
    let inputs = inputs();
    let started = std::time::Instant::now();
    let js = js_results(&inputs);
    let js_time = started.elapsed();
    assert_eq!(js.len(), inputs.len());
    let started = std::time::Instant::now();
    let rust: Vec<Value> = inputs.iter().map(|i| rust_result(i)).collect();
    eprintln!(
        "{} inputs: JavaScript {js_time:?}, Rust {:?}",
        inputs.len(),
        started.elapsed()
    );
    let mut differences = Vec::new();
    for ((input, js), rust) in inputs.iter().zip(&js).zip(rust) {
        if rust != *js {
            let at = first_difference("", &rust, js).unwrap_or_default();
            let shown: String = input.chars().take(120).collect();
            differences.push(format!("{shown:?}\n    {at}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} inputs differ; the first:\n{}",
        differences.len(),
        inputs.len(),
        differences[..differences.len().min(10)].join("\n")
    );
    // The vectors and their mutations, and the hand-written cases.
    assert!(inputs.len() > 3000, "{}", inputs.len());
}

#[test]
fn the_generated_wordlists_module_is_up_to_date() {
    let out = Command::new("python3")
        .arg(repo_root().join("tools/gen_wordlists_js.py"))
        .arg("--check")
        .output()
        .expect("python3 must be installed to check wordlists.js");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The package's own tests (`packages/mnemonic-check/test/package.test.mjs`): its version in
/// its three places, no dependencies, no network code, the README's example.
#[test]
fn the_mnemonic_check_package_passes_its_own_tests() {
    let dir = repo_root().join("packages/mnemonic-check");
    let out = Command::new("node")
        .args(["--test", "test/package.test.mjs"])
        .current_dir(&dir)
        .output()
        .expect("node must be installed to run the package's tests");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
