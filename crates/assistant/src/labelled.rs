//! Labelled real questions the naive-Bayes view learns from besides the articles: the `tune`
//! half of `tests/data/real_questions.jsonl` (posts from public wallet issue trackers, see
//! `tests/data/README.md`). Articles are written in textbook words; users write long posts
//! with coin names, versions and error text, and this is the only place the model sees them.
//!
//! The held-out half is never learnt from: a line is taken only when its `split` says `tune`
//! *and* the hash of its source URL agrees (the rule of the data README), so a line moved
//! between halves by hand is still left out.

use serde::Deserialize;

use crate::Topic;

/// The file, compiled in: the assistant does no I/O.
const REAL_QUESTIONS: &str = include_str!("../tests/data/real_questions.jsonl");

/// One labelled question.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub topic: Topic,
    /// A second topic a person found as plausible.
    pub alt: Option<Topic>,
    /// Where it was asked (keeps examples of one post together, e.g. for cross-validation).
    pub source_url: String,
}

#[derive(Deserialize)]
struct Line {
    question: String,
    label: String,
    #[serde(default)]
    alt_label: Option<String>,
    source_url: String,
    split: String,
}

/// The `tune` half of the real questions (see the module doc), in file order.
#[must_use]
pub fn tune_questions() -> Vec<Example> {
    REAL_QUESTIONS
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .filter(|l| l.split == "tune" && !held_out(&l.source_url))
        .filter_map(|l| {
            Some(Example {
                text: l.question,
                topic: Topic::from_key(&l.label)?,
                alt: l.alt_label.as_deref().and_then(Topic::from_key),
                source_url: l.source_url,
            })
        })
        .collect()
}

/// FNV-1a 64 of the source URL: odd is held out (the split rule of `tests/data/README.md`).
#[must_use]
pub fn held_out(source_url: &str) -> bool {
    fnv1a(source_url) % 2 == 1
}

/// FNV-1a 64, the hash the split is made with.
#[must_use]
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tune_half_is_learnt_from() {
        let all = REAL_QUESTIONS
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        let tune = tune_questions();
        assert!(
            tune.len() >= 100 && tune.len() < all,
            "{} of {all}",
            tune.len()
        );
        assert!(tune.iter().all(|e| !held_out(&e.source_url)));
    }
}
