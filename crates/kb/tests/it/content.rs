//! The content rules (`kb::lint`) on every demo article: nothing links to the phrase-check page
//! or asks for a phrase, key or password; each zh/en pair has the same steps, numbers and links;
//! Chinese prose has full-width punctuation; the glossary's avoided terms are not used.
//!
//! What the articles break today is listed in `content/help/CONTENT-CHECK-ALLOWLIST.txt`, one
//! line per finding. The list may only shrink: a finding not on it fails, and so does a line
//! that no longer matches a finding (remove it once the article is fixed).

use std::collections::{BTreeMap, BTreeSet};

use domain::Lang;
use kb::lint::{self, Finding};

const README: &str = include_str!("../../../../content/help/README.md");
const ALLOWLIST: &str = include_str!("../../../../content/help/CONTENT-CHECK-ALLOWLIST.txt");

/// Rules that no allow-list line may excuse: a step that can cost a user their funds.
const NEVER_ALLOWED: &[&str] = &["phrase-check-link", "asks-for-secret"];

fn line(slug: &str, lang: &str, f: &Finding) -> String {
    format!("{} {lang} {slug}: {}", f.rule, f.detail)
}

/// Every finding on the demo articles, as allow-list lines.
fn findings() -> BTreeSet<String> {
    let articles = kb::demo_articles().expect("demo content parses");
    let glossary = lint::parse_glossary(README);
    let mut out = BTreeSet::new();
    let mut pairs: BTreeMap<&str, (Option<&kb::ArticleFile>, Option<&kb::ArticleFile>)> =
        BTreeMap::new();
    for a in &articles {
        let lang = a.lang.as_str();
        let text = format!("{}\n\n{}\n\n{}", a.title, a.summary, a.body);
        for f in lint::unsafe_instructions(&text) {
            out.insert(line(&a.slug, lang, &f));
        }
        if a.lang == Lang::ZhCn {
            for f in lint::chinese_punctuation(&text) {
                out.insert(line(&a.slug, lang, &f));
            }
        }
        for f in lint::glossary_findings(a, &glossary) {
            out.insert(line(&a.slug, lang, &f));
        }
        let pair = pairs.entry(a.slug.as_str()).or_default();
        match a.lang {
            Lang::En => pair.0 = Some(a),
            Lang::ZhCn => pair.1 = Some(a),
        }
    }
    for (slug, pair) in pairs {
        if let (Some(en), Some(zh)) = pair {
            for f in lint::pair_differences(en, zh) {
                out.insert(line(slug, "pair", &f));
            }
        }
    }
    out
}

fn allowlist() -> BTreeSet<String> {
    ALLOWLIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_glossary_in_the_content_readme_is_read() {
    let g = lint::parse_glossary(README);
    assert!(g.len() >= 8, "{g:?}");
    assert!(
        g.iter()
            .any(|e| e.preferred == "BNB 智能链" && e.avoid.iter().any(|a| a == "币安智能链"))
    );
}

#[test]
fn the_demo_articles_keep_the_content_rules_or_are_on_the_shrinking_allowlist() {
    let found = findings();
    let allowed = allowlist();
    for a in &allowed {
        let rule = a.split(' ').next().unwrap_or_default();
        assert!(
            !NEVER_ALLOWED.contains(&rule),
            "{a}: this rule cannot be allow-listed; fix the text"
        );
    }
    let new: Vec<&String> = found.difference(&allowed).collect();
    let stale: Vec<&String> = allowed.difference(&found).collect();
    assert!(
        new.is_empty() && stale.is_empty(),
        "content rules (kb::lint):\n\nnew findings — fix the article (or, for a pair whose \
         languages rightly differ, add the line to content/help/CONTENT-CHECK-ALLOWLIST.txt):\n{}\n\n\
         fixed — remove these lines from the allow-list:\n{}\n",
        new.iter()
            .map(|s| format!("  {s}"))
            .collect::<Vec<_>>()
            .join("\n"),
        stale
            .iter()
            .map(|s| format!("  {s}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
