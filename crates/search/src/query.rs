//! From what a user typed to a tantivy query, built programmatically: user text never reaches
//! tantivy's query parser, so `"`, `:`, `(`, `*`, `-` are just separators.
//!
//! The query is a list of *units*, each a disjunction over the fields (with the field boosts):
//!
//! - an English word: its stem in every field, plus, for words of 5 characters or more, a fuzzy
//!   match on the unstemmed words (edit distance 1; 2 from 9 characters) at a constant, low
//!   score, so a typo finds the article but an exact match always ranks higher;
//! - a Chinese word of jieba's search-mode segmentation of a Han run (sub-words weigh less);
//! - a synonym group, when the words match an entry of `data/synonyms.txt` (English entries are
//!   matched on stems, longest first; Chinese on jieba words): every entry of the group, as a
//!   term or a phrase, in both languages' fields, the entry the user typed at full weight and the
//!   others a little lower. The language filter, applied outside, decides whether the other
//!   language's articles may come back;
//! - the character bigrams of a Han run of two or more characters, at least half of which must
//!   match, at a low weight: the safety net when jieba cuts the query and the article
//!   differently.
//!
//! A document must match at least half of the units (rounded up, at most 4); one is enough for
//! queries of one or two units. That keeps precision when a bigram or one common word is all a
//! document shares with the query.

use std::collections::HashMap;

use domain::Lang;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{Analyzers, Run, Segmenter, bigrams, runs};
use crate::synonyms::{Synonyms, normalize};

/// Field boosts: title > keywords > summary > body.
const TITLE: f32 = 3.0;
const KEYWORDS: f32 = 2.0;
const SUMMARY: f32 = 1.5;
const BODY: f32 = 1.0;
/// Entries of a synonym group other than the one the user typed.
const SYNONYM: f32 = 0.7;
/// A jieba sub-word (`转账` inside `转账失败`).
const SUB_WORD: f32 = 0.6;
/// Constant score of a fuzzy match (BM25 scores of exact matches are well above it).
const FUZZY: f32 = 0.3;
/// Weight of one matched bigram.
const BIGRAM: f32 = 0.4;
/// Work bounds for long queries.
const MAX_UNITS: usize = 24;
const MAX_FUZZY: usize = 8;

const EN_STOPWORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "by", "can", "could", "did",
    "do", "does", "for", "from", "get", "had", "has", "have", "how", "i", "if", "in", "into", "is",
    "it", "its", "m", "me", "my", "of", "on", "or", "please", "s", "should", "so", "that", "the",
    "there", "these", "this", "those", "to", "was", "were", "what", "when", "where", "which",
    "who", "why", "will", "with", "would", "you", "your",
];

const ZH_STOPWORDS: &[&str] = &[
    "的",
    "了",
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "我",
    "你",
    "他",
    "她",
    "它",
    "我们",
    "是",
    "在",
    "和",
    "与",
    "及",
    "或",
    "也",
    "都",
    "就",
    "还",
    "又",
    "多少",
    "怎么",
    "怎么办",
    "怎样",
    "如何",
    "什么",
    "为什么",
    "请问",
    "请",
    "一下",
    "这个",
    "那个",
    "这",
    "那",
    "可以",
    "能",
    "能否",
    "要",
    "想",
    "把",
    "被",
    "给",
    "让",
    "有",
    "个",
    "哪",
    "哪里",
    "里",
    "上",
    "下",
    "中",
    "后",
    "时",
    "时候",
];

/// The fields a query looks in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextFields {
    pub(crate) title_en: Field,
    pub(crate) keywords_en: Field,
    pub(crate) summary_en: Field,
    pub(crate) body_en: Field,
    pub(crate) raw: Field,
    pub(crate) title_zh: Field,
    pub(crate) keywords_zh: Field,
    pub(crate) summary_zh: Field,
    pub(crate) body_zh: Field,
    pub(crate) bigram: Field,
}

/// The languages whose fields a query looks in. Under a language filter the other language's
/// fields are left out: only the other language's documents fill them, and the filter drops
/// those, so their clauses could only cost time (scoring every Chinese article that mentions
/// 助记词 for an English query, to throw them all away). A unit left without clauses stays, as
/// a query that matches nothing, so that the number of units, and the share of them a document
/// must match, is the same as without the filter: results and scores do not change.
#[derive(Debug, Clone, Copy)]
struct Scope {
    en: bool,
    zh: bool,
}

impl Scope {
    fn of(lang: Option<Lang>) -> Scope {
        Scope {
            en: lang != Some(Lang::ZhCn),
            zh: lang != Some(Lang::En),
        }
    }
}

impl TextFields {
    /// The English fields with their boosts, if the scope has English.
    fn en(&self, scope: Scope) -> impl Iterator<Item = (Field, f32)> + use<> {
        [
            (self.title_en, TITLE),
            (self.keywords_en, KEYWORDS),
            (self.summary_en, SUMMARY),
            (self.body_en, BODY),
        ]
        .into_iter()
        .filter(move |_| scope.en)
    }

    /// The Chinese fields with their boosts, if the scope has Chinese.
    fn zh(&self, scope: Scope) -> impl Iterator<Item = (Field, f32)> + use<> {
        [
            (self.title_zh, TITLE),
            (self.keywords_zh, KEYWORDS),
            (self.summary_zh, SUMMARY),
            (self.body_zh, BODY),
        ]
        .into_iter()
        .filter(move |_| scope.zh)
    }
}

/// One entry of a synonym group, analysed.
#[derive(Debug, Clone)]
struct Alt {
    han: bool,
    /// Terms in phrase order (one per position).
    terms: Vec<String>,
}

/// Turns query text into a tantivy query. Built once per index.
#[derive(Clone)]
pub(crate) struct QueryBuilder {
    fields: TextFields,
    en: TextAnalyzer,
    zh: TextAnalyzer,
    segmenter: Segmenter,
    /// English entries as stem sequences, longest first, with their group.
    latin: Vec<(Vec<String>, usize)>,
    /// Chinese entries (jieba words) to their groups.
    han: HashMap<String, Vec<usize>>,
    groups: Vec<Vec<Alt>>,
}

impl std::fmt::Debug for QueryBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryBuilder")
            .field("groups", &self.groups.len())
            .finish_non_exhaustive()
    }
}

/// Terms of `text`, one per position (the last token at a position: the main word, after its
/// sub-words).
fn phrase_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        match out.last_mut() {
            Some((p, s)) if *p == t.position => s.clone_from(&t.text),
            _ => out.push((t.position, t.text.clone())),
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn terms_query(field: Field, terms: &[String], boost: f32) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [one] => Some(term_query(field, one, boost)),
        many => {
            let terms = many
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            Some(Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new(terms)),
                boost,
            )))
        }
    }
}

fn union(clauses: Vec<Box<dyn Query>>, minimum: usize) -> Box<dyn Query> {
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    let minimum = minimum.clamp(1, clauses.len().max(1));
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
        minimum,
    ))
}

/// Edit distance allowed for a word of `chars` characters.
fn fuzzy_distance(chars: usize) -> Option<u8> {
    match chars {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

impl QueryBuilder {
    pub(crate) fn new(
        fields: TextFields,
        analyzers: &Analyzers,
        synonyms: &Synonyms,
    ) -> QueryBuilder {
        let mut en = Analyzers::en();
        let mut zh = analyzers.zh();
        let mut latin = Vec::new();
        let mut han: HashMap<String, Vec<usize>> = HashMap::new();
        let mut groups = Vec::new();
        for (gi, group) in synonyms.groups.iter().enumerate() {
            let mut alts = Vec::new();
            for entry in group {
                let is_han = entry.chars().any(crate::analysis::is_han);
                let terms = if is_han {
                    phrase_terms(&mut zh, entry)
                } else {
                    phrase_terms(&mut en, entry)
                };
                if terms.is_empty() {
                    continue;
                }
                if is_han {
                    if terms.len() == 1 {
                        han.entry(terms[0].clone()).or_default().push(gi);
                    }
                } else {
                    latin.push((terms.clone(), gi));
                }
                alts.push(Alt { han: is_han, terms });
            }
            groups.push(alts);
        }
        latin.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        QueryBuilder {
            fields,
            en,
            zh,
            segmenter: analyzers.segmenter.clone(),
            latin,
            han,
            groups,
        }
    }

    /// The query for `text`, or `None` when it has nothing to search for. With `lang`, the
    /// query leaves out the other language's fields (see [`Scope`]); the caller still filters
    /// by language ([`filtered`](Self::filtered)).
    pub(crate) fn build(&self, text: &str, lang: Option<Lang>) -> Option<Box<dyn Query>> {
        let scope = Scope::of(lang);
        let text = normalize(text);
        let mut en = self.en.clone();
        let mut units: Vec<Box<dyn Query>> = Vec::new();
        let mut stop_units: Vec<Box<dyn Query>> = Vec::new();
        let mut fuzzy_left = MAX_FUZZY;
        let mut latin: Vec<&str> = Vec::new();
        for run in runs(&text) {
            match run {
                Run::Word(_, w) => latin.push(w),
                Run::Han(_, r) => {
                    self.latin_units(
                        scope,
                        &mut en,
                        &latin,
                        &mut units,
                        &mut stop_units,
                        &mut fuzzy_left,
                    );
                    latin.clear();
                    self.han_units(scope, r, &mut units, &mut stop_units);
                }
            }
        }
        self.latin_units(
            scope,
            &mut en,
            &latin,
            &mut units,
            &mut stop_units,
            &mut fuzzy_left,
        );
        if units.is_empty() {
            units = stop_units;
        }
        units.truncate(MAX_UNITS);
        if units.is_empty() {
            return None;
        }
        let n = units.len();
        let minimum = if n <= 2 { 1 } else { n.div_ceil(2).min(4) };
        Some(union(units, minimum))
    }

    /// Wraps `query` so that only documents of `lang` (the stored key) match; the filter adds no
    /// score.
    pub(crate) fn filtered(query: Box<dyn Query>, lang_field: Field, lang: &str) -> Box<dyn Query> {
        let filter = TermQuery::new(
            Term::from_field_text(lang_field, lang),
            IndexRecordOption::Basic,
        );
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
            ),
        ]))
    }

    fn latin_units(
        &self,
        scope: Scope,
        en: &mut TextAnalyzer,
        words: &[&str],
        units: &mut Vec<Box<dyn Query>>,
        stop_units: &mut Vec<Box<dyn Query>>,
        fuzzy_left: &mut usize,
    ) {
        let stems: Vec<String> = words
            .iter()
            .map(|w| crate::analysis::terms(en, w).concat())
            .collect();
        let mut i = 0;
        while i < words.len() {
            if units.len() >= MAX_UNITS {
                return;
            }
            if let Some((len, group)) = self.latin_synonym(&stems[i..]) {
                units.push(union(
                    self.group_clauses(scope, &[group], &stems[i..i + len]),
                    1,
                ));
                i += len;
                continue;
            }
            let (raw, stem) = (words[i], &stems[i]);
            i += 1;
            if stem.is_empty() {
                continue;
            }
            let mut clauses = Vec::new();
            for (f, b) in self.fields.en(scope).chain(self.fields.zh(scope)) {
                clauses.push(term_query(f, stem, b));
            }
            if scope.en
                && *fuzzy_left > 0
                && let Some(d) = fuzzy_distance(raw.chars().count())
            {
                *fuzzy_left -= 1;
                let fuzzy =
                    FuzzyTermQuery::new(Term::from_field_text(self.fields.raw, raw), d, true);
                clauses.push(Box::new(BoostQuery::new(Box::new(fuzzy), FUZZY)));
            }
            let unit = union(clauses, 1);
            if EN_STOPWORDS.contains(&raw) {
                stop_units.push(unit);
            } else {
                units.push(unit);
            }
        }
    }

    /// The longest synonym entry at the start of `stems`: (words, group).
    fn latin_synonym(&self, stems: &[String]) -> Option<(usize, usize)> {
        self.latin
            .iter()
            .find(|(entry, _)| stems.len() >= entry.len() && stems[..entry.len()] == entry[..])
            .map(|(entry, g)| (entry.len(), *g))
    }

    /// Every entry of the groups, in both languages' fields.
    fn group_clauses(
        &self,
        scope: Scope,
        groups: &[usize],
        typed: &[String],
    ) -> Vec<Box<dyn Query>> {
        let mut clauses = Vec::new();
        for &g in groups {
            for alt in &self.groups[g] {
                let weight = if alt.terms == typed { 1.0 } else { SYNONYM };
                let fields: Vec<(Field, f32)> = if alt.han {
                    self.fields.zh(scope).collect()
                } else {
                    self.fields.en(scope).chain(self.fields.zh(scope)).collect()
                };
                for (f, b) in fields {
                    clauses.extend(terms_query(f, &alt.terms, b * weight));
                }
            }
        }
        clauses
    }

    fn han_units(
        &self,
        scope: Scope,
        run: &str,
        units: &mut Vec<Box<dyn Query>>,
        stop_units: &mut Vec<Box<dyn Query>>,
    ) {
        let mut zh = self.zh.clone();
        let mut subs: Vec<Box<dyn Query>> = Vec::new();
        // Spans of main words that are neither synonyms nor stopwords: the bigram net covers
        // those only, so that a synonym can stand in for the typed word.
        let mut uncovered: Vec<(usize, usize)> = Vec::new();
        for word in self.segmenter.segment(run) {
            let terms = phrase_terms(&mut zh, word.text);
            let Some(term) = terms.first() else { continue };
            if word.sub {
                subs.extend(self.zh_word(scope, term, SUB_WORD));
                continue;
            }
            let groups = self.han.get(term);
            let mut clauses = match groups {
                Some(groups) => self.group_clauses(scope, groups, &terms),
                None => self.zh_word(scope, term, 1.0),
            };
            clauses.append(&mut subs);
            let unit = union(clauses, 1);
            if ZH_STOPWORDS.contains(&word.text) {
                stop_units.push(unit);
            } else {
                if groups.is_none() {
                    match uncovered.last_mut() {
                        Some((_, to)) if *to == word.from => *to = word.to,
                        _ => uncovered.push((word.from, word.to)),
                    }
                }
                units.push(unit);
            }
        }
        let mut grams: Vec<&str> = Vec::new();
        for (from, to) in uncovered {
            let segment = &run[from..to];
            if segment.chars().count() < 2 {
                continue;
            }
            for (a, b) in bigrams(segment) {
                let g = &segment[a..b];
                if !grams.contains(&g) {
                    grams.push(g);
                }
            }
        }
        if !grams.is_empty() {
            let need = grams.len().div_ceil(2);
            let clauses = grams
                .into_iter()
                .filter(|_| scope.zh)
                .map(|g| term_query(self.fields.bigram, g, BIGRAM))
                .collect();
            units.push(union(clauses, need));
        }
    }

    /// One Chinese term in the Chinese fields.
    fn zh_word(&self, scope: Scope, term: &str, weight: f32) -> Vec<Box<dyn Query>> {
        self.fields
            .zh(scope)
            .map(|(f, b)| term_query(f, term, b * weight))
            .collect()
    }
}
