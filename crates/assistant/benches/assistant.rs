//! Assistant latency without an external model: every question of the dev set (or the file in
//! `WALLETDESK_BENCH_QUESTIONS`), repeated, against the real help content with the built-in
//! index. Prints p50, p99 and max per answer.
//!
//! `cargo bench -p walletdesk-assistant --bench assistant`

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set itself up should fail"
)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use assistant::{ArticleRef, Assistant};
use domain::Lang;

const ROUNDS: usize = 20;

fn main() {
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
    let questions_file = std::env::var_os("WALLETDESK_BENCH_QUESTIONS").map_or_else(
        || {
            let shared = PathBuf::from("/work/shared/eval/user_questions_dev.jsonl");
            if shared.is_file() {
                shared
            } else {
                root.join("crates/assistant/tests/data/own_questions.jsonl")
            }
        },
        PathBuf::from,
    );
    let questions: Vec<(String, Lang)> = std::fs::read_to_string(&questions_file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let lang = if v["language"].as_str().unwrap_or("en").starts_with("zh") {
                Lang::ZhCn
            } else {
                Lang::En
            };
            (v["question"].as_str().unwrap_or("").to_owned(), lang)
        })
        .collect();

    let build = Instant::now();
    let assistant = Assistant::with_builtin_index(articles);
    let build = build.elapsed();

    let mut times = Vec::with_capacity(questions.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for (q, lang) in &questions {
            let t = Instant::now();
            let a = assistant.answer(q, *lang);
            times.push(t.elapsed());
            std::hint::black_box(a);
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "assistant: {} questions x {ROUNDS} from {}",
        questions.len(),
        questions_file.display()
    );
    println!("build (index + model): {:.1} ms", build.as_secs_f64() * 1e3);
    println!(
        "answer latency: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}
