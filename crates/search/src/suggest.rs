//! Search-as-you-type: titles first, then frequent words completing the last word typed.

use std::collections::HashMap;

use domain::Lang;
use tantivy::Searcher;
use tantivy::schema::Field;

use crate::Title;
use crate::analysis::{Run, is_han, runs};
use crate::query::TextFields;

/// Titles matching `prefix` (normalised): those that start with it, then those with a word that
/// starts with it (Latin) or that contain it (Chinese), shorter titles first.
pub(crate) fn titles<'a>(
    titles: impl Iterator<Item = &'a Title>,
    prefix: &str,
    lang: Option<Lang>,
    limit: usize,
) -> Vec<String> {
    let han = prefix.chars().any(is_han);
    let mut found: Vec<(u8, usize, &str)> = Vec::new();
    for t in titles {
        if lang.is_some_and(|l| l != t.lang) {
            continue;
        }
        let rank = if t.key.starts_with(prefix) {
            0
        } else if (han && t.key.contains(prefix)) || (!han && word_starts(&t.key, prefix)) {
            1
        } else {
            continue;
        };
        found.push((rank, t.title.chars().count(), &t.title));
    }
    found.sort_unstable();
    found.dedup_by(|a, b| a.2 == b.2);
    found
        .into_iter()
        .take(limit)
        .map(|(_, _, t)| t.to_owned())
        .collect()
}

/// Does a word of `key` (after a non-alphanumeric character) start with `prefix`?
fn word_starts(key: &str, prefix: &str) -> bool {
    key.match_indices(prefix).any(|(i, _)| {
        key[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Words of the index that complete the last word of `prefix`, most frequent first, each with
/// the text before that word kept: `restore wal` → `restore wallet`.
pub(crate) fn words(
    searcher: &Searcher,
    fields: &TextFields,
    prefix: &str,
    lang: Option<Lang>,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    let Some(last) = runs(prefix).last().copied() else {
        return Ok(Vec::new());
    };
    // Only when the user is still typing that word.
    let (at, word, han) = match last {
        Run::Word(at, w) => (at, w, false),
        Run::Han(at, w) => (at, w, true),
    };
    if at + word.len() != prefix.len() {
        return Ok(Vec::new());
    }
    let fields: Vec<Field> = match (han, lang) {
        (false, None | Some(Lang::En)) => vec![fields.raw],
        (true, None | Some(Lang::ZhCn)) => vec![fields.title_zh, fields.body_zh],
        _ => Vec::new(),
    };
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut upper = word.as_bytes().to_vec();
    upper.push(0xff);
    for segment in searcher.segment_readers() {
        for &field in &fields {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().range().ge(word).lt(&upper).into_stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term.len() > word.len() {
                    let df = u64::from(stream.value().doc_freq);
                    *counts.entry(term.to_owned()).or_default() += df;
                }
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let head = &prefix[..at];
    Ok(ranked
        .into_iter()
        .take(limit)
        .map(|(w, _)| format!("{head}{w}"))
        .collect())
}
