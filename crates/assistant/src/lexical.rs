//! The built-in retriever: BM25 over the articles' fields with [`crate::text::terms`]. Used
//! when no search index is supplied (tests, `walletdesk-eval assistant`, a desk without the index), and as
//! the reference the real index is compared with.

use std::collections::HashMap;

use domain::Lang;

use crate::content::ArticleRef;
use crate::{Retrieved, Retriever, text};

#[derive(Debug)]
pub struct LexicalIndex {
    docs: Vec<DocStats>,
    /// term → number of documents containing it, per language.
    df: HashMap<(Lang, String), u32>,
    avg_len: HashMap<Lang, f32>,
    n_docs: HashMap<Lang, u32>,
}

#[derive(Debug)]
struct DocStats {
    slug: String,
    lang: Lang,
    tf: HashMap<String, f32>,
    len: f32,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

impl LexicalIndex {
    #[must_use]
    pub fn new(articles: &[ArticleRef]) -> LexicalIndex {
        let mut docs = Vec::with_capacity(articles.len());
        let mut df: HashMap<(Lang, String), u32> = HashMap::new();
        let mut len_sum: HashMap<Lang, f32> = HashMap::new();
        let mut n_docs: HashMap<Lang, u32> = HashMap::new();
        for a in articles {
            let mut tf: HashMap<String, f32> = HashMap::new();
            for (field, w) in [
                (a.title.clone(), 3.0),
                (a.summary.clone(), 2.0),
                (a.keywords.join(", "), 2.0),
                (a.body_text(), 1.0),
            ] {
                for t in text::terms(&field) {
                    *tf.entry(t).or_default() += w;
                }
            }
            let len = tf.values().sum::<f32>();
            for t in tf.keys() {
                *df.entry((a.lang, t.clone())).or_default() += 1;
            }
            *len_sum.entry(a.lang).or_default() += len;
            *n_docs.entry(a.lang).or_default() += 1;
            docs.push(DocStats {
                slug: a.slug.clone(),
                lang: a.lang,
                tf,
                len,
            });
        }
        let avg_len = len_sum
            .into_iter()
            .map(|(l, s)| (l, s / n_docs.get(&l).copied().unwrap_or(1) as f32))
            .collect();
        LexicalIndex {
            docs,
            df,
            avg_len,
            n_docs,
        }
    }
}

impl Retriever for LexicalIndex {
    fn retrieve(&self, question: &str, lang: Option<Lang>, limit: usize) -> Vec<Retrieved> {
        let mut q = text::terms(question);
        q.sort();
        q.dedup();
        let mut hits: Vec<Retrieved> = self
            .docs
            .iter()
            .filter(|d| lang.is_none_or(|l| d.lang == l))
            .filter_map(|d| {
                let n = self.n_docs.get(&d.lang).copied().unwrap_or(1) as f32;
                let avg = self.avg_len.get(&d.lang).copied().unwrap_or(1.0);
                let score: f32 = q
                    .iter()
                    .filter_map(|t| {
                        let tf = *d.tf.get(t)?;
                        let df = self.df.get(&(d.lang, t.clone())).copied().unwrap_or(0) as f32;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * d.len / avg)))
                    })
                    .sum();
                (score > 0.0).then(|| Retrieved {
                    slug: d.slug.clone(),
                    lang: d.lang,
                    score,
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        hits
    }
}
