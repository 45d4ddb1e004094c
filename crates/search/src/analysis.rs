//! Text analysis: how Chinese and English text becomes index terms, on both sides (documents and
//! queries) so that they always agree.
//!
//! - English (`en`): tantivy's `SimpleTokenizer` (runs of alphanumerics), lower-cased, Snowball
//!   English stemmer. `restoring` and `restore` both become `restor`.
//! - English unstemmed (`raw`): the same without stemming; the typo-tolerant (fuzzy) queries and
//!   the word suggestions use it, because edit distance between stems is not edit distance
//!   between words (`mnemnic` is one edit from `mnemonic` but three from its stem `mnemon`).
//! - Chinese (`zh`): [`ZhTokenizer`]. Runs of Han characters are cut by jieba (a compact dictionary
//!   plus `data/wallet_dict.txt` plus every Chinese synonym), and, as in jieba's search mode,
//!   every 2- and 3-character dictionary word inside a longer word is emitted too, at the same
//!   position, so `转账失败` is found by `转账`, `失败` and `转账失败`, and phrase queries over
//!   the precise segmentation still line up. Latin runs inside Chinese text (`USDT`, `TRC20`) are
//!   lower-cased and stemmed like English.
//! - Chinese bigrams (`bigram`): [`BigramTokenizer`], overlapping character pairs of every Han
//!   run. A safety net for queries that jieba segments differently from the article (Zammad bug
//!   #1696: a multi-character Chinese query finding nothing).

use std::io::BufReader;
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer, TokenizerManager,
};

use crate::synonyms::Synonyms;

/// Name of the stemmed English analyzer.
pub(crate) const EN: &str = "wd_en";
/// Name of the unstemmed English analyzer.
pub(crate) const RAW: &str = "wd_raw";
/// Name of the Chinese word analyzer.
pub(crate) const ZH: &str = "wd_zh";
/// Name of the Chinese character-bigram analyzer.
pub(crate) const BIGRAM: &str = "wd_bigram";

/// Longer tokens are dropped (base64 blobs, URLs without separators…).
const MAX_TOKEN_BYTES: usize = 48;

/// jieba's dictionary without its rarer words (`data/jieba_dict.txt`: the 79,746 entries of
/// jieba's `dict.txt` with a frequency of 20 or more, of 349,045; MIT, from the jieba-rs crate).
/// The full dictionary costs ~35 MB of memory as a trie; this one about 4 MB of heap. The words
/// it drops (rare names, idioms, classical compounds) are cut by jieba's HMM or into shorter
/// words — the same way in articles and in queries, and the character-bigram field still
/// matches them.
///
/// Why 20 and not the earlier 5 (136,547 words): jieba-rs grows its word tables and its trie's
/// hash table by doubling, so 136,547 words took tables for 262,144 words and a 4 MB hash table;
/// under 98,304 trie nodes (which also fits the records in 131,072) both halve, ~3 MB less at
/// idle. On the 79 real Chinese user questions of the assistant's test data
/// (`crates/assistant/tests/data/*_questions.jsonl`) searched against the demo articles, the
/// first hit was the same with both dictionaries for all 79 and the top three the same set.
///
/// A `static`, not a `const`: a `const` is pasted into every place that names it, and the
/// loader and the index fingerprint each got their own 1.6 MB copy in the binary, both read at
/// every start (so both resident).
pub(crate) static JIEBA_DICT: &str = include_str!("../data/jieba_dict.txt");

/// The wallet dictionary, in jieba's user-dictionary format (`word freq tag`). A `static` for
/// the same reason as [`JIEBA_DICT`].
pub(crate) static WALLET_DICT: &str = include_str!("../data/wallet_dict.txt");

/// Is `c` a Han character (CJK unified ideographs and their extensions, compatibility
/// ideographs)?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A word character outside the Han ranges (letters and digits of any other script).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// One piece of text: a run of Han characters or a run of other word characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run<'a> {
    Han(usize, &'a str),
    Word(usize, &'a str),
}

/// Splits `text` into Han runs and word runs (byte offset, text); everything else separates.
pub(crate) fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let kind = if is_han(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        if let Some((s, han)) = start {
            if kind == Some(han) {
                continue;
            }
            out.push(make_run(text, s, i, han));
        }
        start = kind.map(|h| (i, h));
    }
    if let Some((s, han)) = start {
        out.push(make_run(text, s, text.len(), han));
    }
    out
}

fn make_run(text: &str, from: usize, to: usize, han: bool) -> Run<'_> {
    if han {
        Run::Han(from, &text[from..to])
    } else {
        Run::Word(from, &text[from..to])
    }
}

/// The jieba segmenter with the wallet dictionary; shared by every tokenizer of an index.
#[derive(Clone)]
pub(crate) struct Segmenter {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

/// One Chinese word of a segmented Han run: byte range within the run, and whether it is a
/// sub-word of the previous main word (same position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ZhWord<'a> {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) text: &'a str,
    pub(crate) sub: bool,
}

impl Segmenter {
    /// jieba's dictionary (compact, see [`JIEBA_DICT`]), the wallet dictionary and the Chinese
    /// synonym entries.
    pub(crate) fn new(synonyms: &Synonyms) -> Result<Segmenter, String> {
        let mut jieba = Jieba::with_dict(&mut BufReader::new(JIEBA_DICT.as_bytes()))
            .map_err(|e| format!("jieba dictionary: {e}"))?;
        jieba
            .load_dict(&mut BufReader::new(WALLET_DICT.as_bytes()))
            .map_err(|e| format!("wallet dictionary: {e}"))?;
        for word in synonyms.han_entries() {
            if !jieba.has_word(word) {
                jieba.add_word(word, Some(10_000), None);
            }
        }
        Ok(Segmenter {
            jieba: Arc::new(jieba),
        })
    }

    /// Search-mode segmentation of one Han run: each word of the precise cut, preceded by its 2-
    /// and 3-character dictionary sub-words (marked `sub`).
    pub(crate) fn segment<'a>(&self, run: &'a str) -> Vec<ZhWord<'a>> {
        let mut out = Vec::new();
        for tok in self.jieba.cut(run, true) {
            let word = tok.word;
            if !word.chars().any(is_han) {
                continue;
            }
            let base = tok.byte_start;
            let idx: Vec<usize> = word
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(word.len()))
                .collect();
            let n = idx.len() - 1;
            for len in [2usize, 3] {
                if n > len {
                    for i in 0..=n - len {
                        let gram = &word[idx[i]..idx[i + len]];
                        if self.jieba.has_word(gram) {
                            out.push(ZhWord {
                                from: base + idx[i],
                                to: base + idx[i + len],
                                text: gram,
                                sub: true,
                            });
                        }
                    }
                }
            }
            out.push(ZhWord {
                from: base,
                to: base + word.len(),
                text: word,
                sub: false,
            });
        }
        out
    }
}

/// Chinese tokenizer: jieba search mode over Han runs, Latin runs as words.
#[derive(Clone, Debug)]
pub(crate) struct ZhTokenizer {
    segmenter: Segmenter,
    tokens: Vec<Token>,
    /// Main words only: offsets then only grow, as tantivy's snippet generator requires (it
    /// slices out of bounds on overlapping tokens).
    main_only: bool,
}

/// Character-bigram tokenizer over Han runs (a single Han character stands alone).
#[derive(Clone, Debug, Default)]
pub(crate) struct BigramTokenizer {
    tokens: Vec<Token>,
}

/// A token stream over a precomputed token list.
#[derive(Debug)]
pub(crate) struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self.next.saturating_sub(1);
        &mut self.tokens[i]
    }
}

fn push(tokens: &mut Vec<Token>, from: usize, to: usize, position: usize, text: &str) {
    tokens.push(Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text.to_owned(),
        position_length: 1,
    });
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let mut pos = 0usize;
        for run in runs(text) {
            match run {
                Run::Word(at, w) => {
                    push(&mut self.tokens, at, at + w.len(), pos, w);
                    pos += 1;
                }
                Run::Han(at, r) => {
                    for w in self.segmenter.segment(r) {
                        if self.main_only && w.sub {
                            continue;
                        }
                        push(&mut self.tokens, at + w.from, at + w.to, pos, w.text);
                        if !w.sub {
                            pos += 1;
                        }
                    }
                }
            }
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// The bigrams of one Han run, as (byte from, byte to) pairs.
pub(crate) fn bigrams(run: &str) -> Vec<(usize, usize)> {
    let idx: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(run.len()))
        .collect();
    let n = idx.len() - 1;
    match n {
        0 => Vec::new(),
        1 => vec![(0, run.len())],
        _ => (0..n - 1).map(|i| (idx[i], idx[i + 2])).collect(),
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let mut pos = 0usize;
        for run in runs(text) {
            if let Run::Han(at, r) = run {
                for (from, to) in bigrams(r) {
                    push(&mut self.tokens, at + from, at + to, pos, &r[from..to]);
                    pos += 1;
                }
            }
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// The analyzers by name, built once per index.
#[derive(Clone, Debug)]
pub(crate) struct Analyzers {
    pub(crate) segmenter: Segmenter,
}

impl Analyzers {
    pub(crate) fn new(synonyms: &Synonyms) -> Result<Analyzers, String> {
        Ok(Analyzers {
            segmenter: Segmenter::new(synonyms)?,
        })
    }

    pub(crate) fn en() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build()
    }

    pub(crate) fn raw() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .build()
    }

    pub(crate) fn zh(&self) -> TextAnalyzer {
        self.zh_with(false)
    }

    /// The Chinese analyzer without sub-words, for snippets.
    pub(crate) fn zh_snippets(&self) -> TextAnalyzer {
        self.zh_with(true)
    }

    fn zh_with(&self, main_only: bool) -> TextAnalyzer {
        TextAnalyzer::builder(ZhTokenizer {
            segmenter: self.segmenter.clone(),
            tokens: Vec::new(),
            main_only,
        })
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
    }

    pub(crate) fn bigram() -> TextAnalyzer {
        TextAnalyzer::builder(BigramTokenizer::default()).build()
    }

    /// Registers every analyzer with an index's tokenizer manager.
    pub(crate) fn register(&self, manager: &TokenizerManager) {
        manager.register(EN, Analyzers::en());
        manager.register(RAW, Analyzers::raw());
        manager.register(ZH, self.zh());
        manager.register(BIGRAM, Analyzers::bigram());
    }
}

/// The terms an analyzer makes of `text`, in order.
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh_terms(text: &str) -> Vec<String> {
        let a = Analyzers::new(&Synonyms::builtin().expect("synonyms")).expect("analyzers");
        terms(&mut a.zh(), text)
    }

    #[test]
    fn wallet_words_stay_whole_and_compounds_offer_their_parts() {
        let t = zh_terms("助记词无效");
        assert!(t.contains(&"助记词".to_owned()), "{t:?}");
        assert!(t.contains(&"无效".to_owned()), "{t:?}");
        let t = zh_terms("USDT转账失败了");
        assert!(t.contains(&"usdt".to_owned()), "{t:?}");
        for w in ["转账失败", "转账", "失败"] {
            assert!(t.contains(&w.to_owned()), "{w} in {t:?}");
        }
    }

    #[test]
    fn bigrams_of_runs() {
        assert_eq!(bigrams("助记词"), vec![(0, 6), (3, 9)]);
        assert_eq!(bigrams("链"), vec![(0, 3)]);
        assert!(bigrams("").is_empty());
    }

    #[test]
    fn runs_split_scripts() {
        assert_eq!(
            runs("TRC20转账 ok!"),
            vec![
                Run::Word(0, "TRC20"),
                Run::Han(5, "转账"),
                Run::Word(12, "ok")
            ]
        );
    }
}
