//! `walletdesk-eval assistant FILE.jsonl`: runs the assistant over labelled questions and prints
//! top-1 topic accuracy (and with the optional `alt_label` counted as right), how often an
//! article answering the labelled topic is among the first three, and the hand-off rate,
//! overall, per language and — when lines carry a `split` field (`tune`, `heldout`) — per split
//! and language; then how accurate the answers above and below the hand-off threshold are, and
//! the confusions.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use std::sync::Arc;

use assistant::{ArticleRef, Assistant, TemplateComposer, Topic};
use domain::Lang;

/// Every article under `dir/en` and `dir/zh-CN`.
pub(crate) fn load_articles(dir: &Path) -> anyhow::Result<Vec<ArticleRef>> {
    let mut out = Vec::new();
    for (sub, lang) in [("en", Lang::En), ("zh-CN", Lang::ZhCn)] {
        let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub))
            .with_context(|| format!("reading {}", dir.join(sub).display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p)?;
            out.push(ArticleRef::parse(&text, lang).with_context(|| p.display().to_string())?);
        }
    }
    Ok(out)
}

/// The help content: `content/help` from the working directory or the source tree.
pub(crate) fn content_dir() -> std::path::PathBuf {
    let here = Path::new("content/help");
    if here.is_dir() {
        here.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/help")
    }
}

/// What to measure and print besides the figures.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Only the questions whose `split` is this.
    pub(crate) split: Option<String>,
    /// Print the questions answered with the wrong topic (never held-out ones).
    pub(crate) misses: bool,
    /// Cross-validate with this many folds: each question is answered by an assistant that did
    /// not learn from it (nor from any question of the same source).
    pub(crate) folds: Option<usize>,
}

#[derive(Debug, serde::Deserialize)]
struct Question {
    question: String,
    language: String,
    label: String,
    #[serde(default)]
    alt_label: Option<String>,
    #[serde(default)]
    split: Option<String>,
    #[serde(default)]
    source_url: String,
}

#[derive(Debug, Default)]
struct Tally {
    n: usize,
    top1: usize,
    top1_alt: usize,
    top3: usize,
    handoff: usize,
}

impl Tally {
    fn line(&self, name: &str, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "{name:<13} n={:<4} top-1 {}  with alt {}  top-3 {}  handoff {}",
            self.n,
            pct(self.top1, self.n),
            pct(self.top1_alt, self.n),
            pct(self.top3, self.n),
            pct(self.handoff, self.n)
        )
    }
}

fn pct(k: usize, n: usize) -> String {
    let p = if n == 0 {
        0.0
    } else {
        100.0 * k as f64 / n as f64
    };
    format!("{p:5.1}% ({k}/{n})")
}

pub(crate) fn run(
    questions: &Path,
    content: &Path,
    options: &Options,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(questions)
        .map_err(|e| crate::UsageError(format!("{}: {e}", questions.display())))?;
    let articles = load_articles(content)?;
    let folds = options.folds.unwrap_or(1).max(1);
    let examples = assistant::labelled::tune_questions();
    let fold_of = |url: &str| (assistant::labelled::fnv1a(url) / 2) as usize % folds;
    let assistants: Vec<Assistant> = (0..folds)
        .map(|k| {
            let index = Arc::new(assistant::LexicalIndex::new(&articles));
            let learnt: Vec<_> = examples
                .iter()
                .filter(|e| folds == 1 || fold_of(&e.source_url) != k)
                .cloned()
                .collect();
            Assistant::with_examples(index, Arc::new(TemplateComposer), articles.clone(), &learnt)
        })
        .collect();
    let mut all = Tally::default();
    let mut by_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_split: BTreeMap<String, Tally> = BTreeMap::new();
    // (answered with confidence at or above the hand-off threshold, right)
    let mut calibration: [Tally; 2] = Default::default();
    let mut confusions: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut missed: Vec<String> = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let q: Question = serde_json::from_str(line)
            .map_err(|e| crate::UsageError(format!("line {}: {e}", n + 1)))?;
        if options.split.is_some() && q.split != options.split {
            continue;
        }
        let label = Topic::from_key(&q.label).ok_or_else(|| {
            crate::UsageError(format!("line {}: unknown label {}", n + 1, q.label))
        })?;
        let lang = if q.language.starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        };
        let assistant = &assistants[fold_of(&q.source_url)];
        let a = assistant.answer(&q.question, lang);
        let right_article = a.articles.iter().any(|link| {
            assistant
                .articles()
                .iter()
                .any(|art| art.url == link.url && art.lang == lang && art.topics.contains(&label))
        });
        let alt = q.alt_label.as_deref().and_then(Topic::from_key);
        let split = q.split.as_ref().map(|s| format!("{s}/{}", q.language));
        let above = usize::from(a.confidence >= assistant::HANDOFF_BELOW);
        for t in [
            Some(&mut all),
            Some(by_lang.entry(q.language.clone()).or_default()),
            split.map(|s| by_split.entry(s).or_default()),
            Some(&mut calibration[above]),
        ]
        .into_iter()
        .flatten()
        {
            t.n += 1;
            t.top1 += usize::from(a.topic == label);
            t.top1_alt += usize::from(a.topic == label || Some(a.topic) == alt);
            t.top3 += usize::from(right_article);
            t.handoff += usize::from(a.handoff);
        }
        // Held-out misses are never printed: they are not read one by one, so that no fix is
        // fitted to them.
        if a.topic != label && options.misses && q.split.as_deref() != Some("heldout") {
            let start: String = q.question.chars().take(120).collect();
            missed.push(format!(
                "  line {}: {} -> {} ({:.2}) {}",
                n + 1,
                q.label,
                a.topic.key(),
                a.confidence,
                start.replace('\n', " / ")
            ));
        }
        if a.topic != label {
            *confusions
                .entry((q.label.clone(), a.topic.key()))
                .or_default() += 1;
        }
    }
    writeln!(out, "questions: {}", all.n)?;
    writeln!(out, "top-1 topic accuracy: {}", pct(all.top1, all.n))?;
    writeln!(out, "right article in top 3: {}", pct(all.top3, all.n))?;
    writeln!(out, "handoff rate: {}", pct(all.handoff, all.n))?;
    writeln!(out, "by language:")?;
    all.line("all", out)?;
    for (lang, t) in &by_lang {
        t.line(lang, out)?;
    }
    if !by_split.is_empty() {
        writeln!(out, "by split and language:")?;
        for (split, t) in &by_split {
            t.line(split, out)?;
        }
    }
    writeln!(
        out,
        "calibration (hand-off below confidence {:.2}):",
        assistant::HANDOFF_BELOW
    )?;
    calibration[1].line("at or above", out)?;
    calibration[0].line("below", out)?;
    writeln!(out, "confusions (label -> predicted: count):")?;
    if confusions.is_empty() {
        writeln!(out, "  none")?;
    }
    for ((label, predicted), k) in &confusions {
        writeln!(out, "  {label} -> {predicted}: {k}")?;
    }
    if options.misses {
        writeln!(
            out,
            "misses outside the held-out split (label -> predicted (confidence) question):"
        )?;
        for m in &missed {
            writeln!(out, "{m}")?;
        }
    }
    Ok(())
}
