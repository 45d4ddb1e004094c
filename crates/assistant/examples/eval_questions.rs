//! Top-1 accuracy of the classifier on a labelled JSONL file, per language, with the misses
//! listed (for development; the product's figures come from `walletdesk-eval assistant`).
//!
//! `cargo run -p walletdesk-assistant --example eval_questions -- FILE [tune|heldout] [-v]`

#![expect(clippy::print_stdout, reason = "a development tool prints its figures")]
#![expect(
    clippy::unwrap_used,
    reason = "a development tool that cannot set itself up should fail"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assistant::{ArticleRef, Assistant, Topic};
use domain::Lang;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args
        .first()
        .expect("usage: eval_questions FILE [tune|heldout] [-v]");
    let split = args.iter().skip(1).find(|a| !a.starts_with('-'));
    let verbose = args.iter().any(|a| a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut articles = Vec::new();
    for (sub, lang) in [("en", Lang::En), ("zh-CN", Lang::ZhCn)] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("content/help").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for p in paths {
            articles.push(ArticleRef::parse(&std::fs::read_to_string(p).unwrap(), lang).unwrap());
        }
    }
    let assistant = Assistant::with_builtin_index(articles);
    // language → (n, top-1, top-1 or alt)
    let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut calib: Vec<(f32, bool)> = Vec::new();
    for line in std::fs::read_to_string(file).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(s) = split
            && v["split"].as_str() != Some(s.as_str())
        {
            continue;
        }
        let q = v["question"].as_str().unwrap();
        let label = Topic::from_key(v["label"].as_str().unwrap()).unwrap();
        let alt = v["alt_label"].as_str().and_then(Topic::from_key);
        let lang = v["language"].as_str().unwrap().to_owned();
        let reply = if lang.starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        };
        let a = assistant.answer(q, reply);
        let t = tally.entry(lang.clone()).or_default();
        t.0 += 1;
        t.1 += usize::from(a.topic == label);
        t.2 += usize::from(a.topic == label || Some(a.topic) == alt);
        calib.push((a.confidence, a.topic == label));
        if verbose && a.topic != label {
            println!(
                "MISS [{lang}] {} -> {} ({:.2}) | {}",
                label.key(),
                a.topic.key(),
                a.confidence,
                q.replace('\n', " / ").chars().take(110).collect::<String>()
            );
        }
    }
    for (lang, (n, k, k2)) in &tally {
        println!(
            "{lang}: n={n} top-1 {:.1}% ({k}/{n}), with alt {:.1}%",
            100.0 * *k as f64 / (*n).max(1) as f64,
            100.0 * *k2 as f64 / (*n).max(1) as f64
        );
    }
    for th in [0.2f32, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        let (lo, hi): (Vec<_>, Vec<_>) = calib.iter().partition(|(c, _)| *c < th);
        let acc = |v: &[&(f32, bool)]| {
            let n = v.len().max(1);
            (
                v.iter().filter(|(_, ok)| *ok).count() as f64 * 100.0 / n as f64,
                v.len(),
            )
        };
        let (al, nl) = acc(&lo);
        let (ah, nh) = acc(&hi);
        println!("threshold {th:.2}: below n={nl} acc {al:.0}%  |  above n={nh} acc {ah:.0}%");
    }
}
