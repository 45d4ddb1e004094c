//! Snippets from pre-analysed text.
//!
//! tantivy's `SnippetGenerator` runs the field's analyzer over the whole text of every hit, for
//! every query: jieba and the stemmer over a 2,000-character body, ten times per search, were
//! most of a search's cost. Instead, each document's summary and body are cut once, when the
//! document is indexed (or the index opened), into tokens whose terms are numbers in one
//! vocabulary; a snippet is then a scan over those numbers. The fragment chosen and the
//! highlights are exactly those `SnippetGenerator` would give: the same analyzers, the same
//! fragment rule (consecutive runs of tokens of at most `max` bytes, the best score wins, the
//! earliest on a tie), the same HTML escaping.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::TextAnalyzer;

/// One token of an analysed text: byte range and term number.
#[derive(Debug, Clone, Copy)]
struct Tok {
    from: u32,
    to: u32,
    term: u32,
}

/// A text and its tokens. The offsets always refer to `text` itself, so a snippet cut from it
/// can never be out of bounds, even if the stored document changed in between.
#[derive(Debug)]
pub(crate) struct Analysed {
    pub(crate) text: String,
    tokens: Vec<Tok>,
}

/// A document's summary and body, analysed for snippets.
#[derive(Debug)]
pub(crate) struct DocText {
    pub(crate) summary: Analysed,
    pub(crate) body: Analysed,
}

/// Term numbers: every distinct term of the analysed texts (lower-cased, as the snippet generator
/// compares them). Only grows; bounded by the vocabulary of the articles.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    fn intern(&mut self, term: String) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(term).or_insert(next)
    }
}

/// Cuts `text` with `analyzer`. Texts over 4 GiB are not expected (articles are far smaller);
/// their tokens past that point are dropped rather than wrapped.
pub(crate) fn analyse(
    analyzer: &mut TextAnalyzer,
    vocabulary: &mut Vocabulary,
    text: &str,
) -> Analysed {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        let (Ok(from), Ok(to)) = (u32::try_from(t.offset_from), u32::try_from(t.offset_to)) else {
            break;
        };
        let term = vocabulary.intern(t.text.to_lowercase());
        tokens.push(Tok { from, to, term });
    }
    Analysed {
        text: text.to_owned(),
        tokens,
    }
}

/// Weights of the query's terms in one field, by term number: a handful of terms, looked up
/// for every token of a text, so a 256-bit filter turns most tokens away before the list is
/// searched.
#[derive(Debug, Default)]
pub(crate) struct Weights {
    filter: [u64; 4],
    terms: Vec<(u32, f32)>,
}

impl Weights {
    fn get(&self, term: u32) -> Option<f32> {
        let bit = term & 255;
        if self.filter[(bit >> 6) as usize] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.terms.iter().find(|(t, _)| *t == term).map(|(_, w)| *w)
    }

    fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl FromIterator<(u32, f32)> for Weights {
    fn from_iter<I: IntoIterator<Item = (u32, f32)>>(iter: I) -> Weights {
        let mut weights = Weights::default();
        for (term, w) in iter {
            let bit = term & 255;
            weights.filter[(bit >> 6) as usize] |= 1 << (bit & 63);
            // A term appears once per field (the caller's terms are distinct).
            weights.terms.push((term, w));
        }
        weights
    }
}

/// The best fragment of `text` for `weights`, as HTML with `<mark>` around the matched terms, or
/// `None` when no term matches. Same result as tantivy's `SnippetGenerator::snippet` with those
/// term weights and `max` bytes.
pub(crate) fn snippet_html(text: &Analysed, weights: &Weights, max: usize) -> Option<String> {
    if weights.is_empty() {
        return None;
    }
    let best = best_fragment(&text.tokens, weights, max)?;
    let source = text.text.get(best.start..best.stop)?;
    let mut html = String::with_capacity(source.len() + 32);
    let mut at = 0;
    for range in collapse(best.highlighted, best.start) {
        html.push_str(&crate::escape_html(source.get(at..range.start)?));
        html.push_str("<mark>");
        html.push_str(&crate::escape_html(source.get(range.clone())?));
        html.push_str("</mark>");
        at = range.end;
    }
    html.push_str(&crate::escape_html(source.get(at..)?));
    Some(html)
}

struct Fragment {
    score: f32,
    start: usize,
    stop: usize,
    highlighted: Vec<Range<usize>>,
}

impl Fragment {
    fn new(start: usize) -> Fragment {
        Fragment {
            score: 0.0,
            start,
            stop: start,
            highlighted: Vec::new(),
        }
    }
}

/// tantivy's `search_fragments` then `select_best_fragment_combination`.
fn best_fragment(tokens: &[Tok], weights: &Weights, max: usize) -> Option<Fragment> {
    let mut best: Option<Fragment> = None;
    let mut keep = |f: Fragment| {
        if f.score > 0.0 && best.as_ref().is_none_or(|b| f.score > b.score) {
            best = Some(f);
        }
    };
    let mut fragment = Fragment::new(0);
    for t in tokens {
        let (from, to) = (t.from as usize, t.to as usize);
        if to.saturating_sub(fragment.start) > max {
            keep(std::mem::replace(&mut fragment, Fragment::new(from)));
        }
        fragment.stop = to;
        if let Some(w) = weights.get(t.term) {
            fragment.score += w;
            fragment.highlighted.push(from..to);
        }
    }
    keep(fragment);
    best
}

/// Highlight ranges relative to the fragment, sorted, deduplicated and with overlaps merged
/// (tantivy's `collapse_overlapped_ranges`; adjacent ranges stay apart).
fn collapse(mut ranges: Vec<Range<usize>>, start: usize) -> Vec<Range<usize>> {
    for r in &mut ranges {
        *r = r.start - start..r.end - start;
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup();
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end > r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Analysed texts by document id, and their vocabulary; kept in step with the index by every
/// write, like the titles.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    pub(crate) vocabulary: Vocabulary,
    pub(crate) docs: HashMap<String, Arc<DocText>>,
}
