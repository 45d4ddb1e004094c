//! Hybrid retrieval's second half: article embeddings from an external model (an
//! OpenAI-compatible `/embeddings` endpoint, called by the server) and the nearest articles to a
//! question's embedding. This module only does the arithmetic; it never calls anything.
//!
//! The lexical and semantic result lists are merged by reciprocal-rank fusion ([`fuse`]): an
//! article's fused score is the sum over the lists of `1 / (RRF_K + rank)`, so an article both
//! lists agree on rises, and neither list's raw scores (BM25 vs cosine) need calibrating.

use domain::Lang;

use crate::Retrieved;
use crate::content::ArticleRef;

/// The damping constant of reciprocal-rank fusion (60 in the original paper).
pub const RRF_K: f32 = 60.0;
/// How much of an article's body is embedded (characters): embedding models read a few hundred
/// tokens, and an article's opening says what it is about.
const BODY_CHARS: usize = 1200;

/// What is sent to the embedding model for one article: title, summary, keywords, and the start
/// of its body as plain text.
#[must_use]
pub fn article_text(a: &ArticleRef) -> String {
    let body: String = a.body_text().chars().take(BODY_CHARS).collect();
    format!(
        "{}\n{}\n{}\n{}",
        a.title,
        a.summary,
        a.keywords.join(", "),
        body
    )
}

/// Article embeddings, unit length, searched by cosine similarity.
#[derive(Debug, Clone, Default)]
pub struct VectorIndex {
    entries: Vec<Entry>,
    dims: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    slug: String,
    lang: Lang,
    vector: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VectorError {
    #[error("{got} embeddings for {expected} articles")]
    Count { expected: usize, got: usize },
    #[error("embeddings of different lengths ({0} and {1})")]
    Dims(usize, usize),
    #[error("an empty or all-zero embedding")]
    Empty,
    #[error("an embedding with a value that is not a finite number")]
    NotFinite,
}

impl VectorIndex {
    /// The index of `articles` with `vectors[i]` the embedding of `article_text(&articles[i])`.
    ///
    /// # Errors
    /// When the counts differ, lengths differ, or a vector is empty, zero or not finite: a
    /// misbehaving endpoint must not silently skew retrieval.
    pub fn new(articles: &[ArticleRef], vectors: Vec<Vec<f32>>) -> Result<Self, VectorError> {
        if vectors.len() != articles.len() {
            return Err(VectorError::Count {
                expected: articles.len(),
                got: vectors.len(),
            });
        }
        let mut dims = 0;
        let mut entries = Vec::with_capacity(articles.len());
        for (a, v) in articles.iter().zip(vectors) {
            let v = unit(v)?;
            if dims == 0 {
                dims = v.len();
            } else if v.len() != dims {
                return Err(VectorError::Dims(dims, v.len()));
            }
            entries.push(Entry {
                slug: a.slug.clone(),
                lang: a.lang,
                vector: v,
            });
        }
        Ok(VectorIndex { entries, dims })
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `limit` articles nearest to `query` (cosine, best first), in `lang` when given.
    ///
    /// # Errors
    /// When the query's length differs from the articles' or it is zero or not finite.
    pub fn nearest(
        &self,
        query: Vec<f32>,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<Retrieved>, VectorError> {
        let q = unit(query)?;
        if !self.entries.is_empty() && q.len() != self.dims {
            return Err(VectorError::Dims(self.dims, q.len()));
        }
        let mut hits: Vec<Retrieved> = self
            .entries
            .iter()
            .filter(|e| lang.is_none_or(|l| l == e.lang))
            .map(|e| Retrieved {
                slug: e.slug.clone(),
                lang: e.lang,
                score: dot(&q, &e.vector),
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }
}

fn unit(mut v: Vec<f32>) -> Result<Vec<f32>, VectorError> {
    if v.iter().any(|x| !x.is_finite()) {
        return Err(VectorError::NotFinite);
    }
    let norm = dot(&v, &v).sqrt();
    if v.is_empty() || norm <= f32::EPSILON {
        return Err(VectorError::Empty);
    }
    for x in &mut v {
        *x /= norm;
    }
    Ok(v)
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Reciprocal-rank fusion of result lists, best first, at most `limit`. Scores are the fused
/// scores (only comparable within the result).
#[must_use]
pub fn fuse(lists: &[&[Retrieved]], limit: usize) -> Vec<Retrieved> {
    let mut fused: Vec<Retrieved> = Vec::new();
    for list in lists {
        for (rank, r) in list.iter().enumerate() {
            let add = 1.0 / (RRF_K + rank as f32 + 1.0);
            match fused
                .iter_mut()
                .find(|f| f.slug == r.slug && f.lang == r.lang)
            {
                Some(f) => f.score += add,
                None => fused.push(Retrieved {
                    slug: r.slug.clone(),
                    lang: r.lang,
                    score: add,
                }),
            }
        }
    }
    fused.sort_by(|a, b| b.score.total_cmp(&a.score));
    fused.truncate(limit);
    fused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, lang: Lang) -> ArticleRef {
        ArticleRef {
            slug: slug.into(),
            lang,
            title: slug.into(),
            url: format!("/help/{slug}"),
            summary: String::new(),
            category: String::new(),
            topics: Vec::new(),
            keywords: Vec::new(),
            body_markdown: String::new(),
        }
    }

    fn hit(slug: &str) -> Retrieved {
        Retrieved {
            slug: slug.into(),
            lang: Lang::En,
            score: 1.0,
        }
    }

    #[test]
    fn nearest_ranks_by_cosine_within_the_language() {
        let arts = [
            article("a", Lang::En),
            article("b", Lang::En),
            article("c", Lang::ZhCn),
        ];
        let idx =
            VectorIndex::new(&arts, vec![vec![1.0, 0.0], vec![0.6, 0.8], vec![10.0, 0.1]]).unwrap();
        let got = idx.nearest(vec![0.0, 2.0], Some(Lang::En), 5).unwrap();
        let slugs: Vec<&str> = got.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs, ["b", "a"]);
        assert!((got[0].score - 0.8).abs() < 1e-5);
        assert_eq!(idx.nearest(vec![10.0, 0.1], None, 1).unwrap()[0].slug, "c");
    }

    #[test]
    fn bad_vectors_are_errors_not_skewed_results() {
        let arts = [article("a", Lang::En), article("b", Lang::En)];
        assert_eq!(
            VectorIndex::new(&arts, vec![vec![1.0]]).unwrap_err(),
            VectorError::Count {
                expected: 2,
                got: 1
            }
        );
        assert_eq!(
            VectorIndex::new(&arts, vec![vec![1.0], vec![1.0, 2.0]]).unwrap_err(),
            VectorError::Dims(1, 2)
        );
        assert_eq!(
            VectorIndex::new(&arts, vec![vec![0.0], vec![1.0]]).unwrap_err(),
            VectorError::Empty
        );
        assert_eq!(
            VectorIndex::new(&arts, vec![vec![f32::NAN], vec![1.0]]).unwrap_err(),
            VectorError::NotFinite
        );
        let idx = VectorIndex::new(&arts, vec![vec![1.0, 0.0], vec![0.0, 1.0]]).unwrap();
        assert_eq!(
            idx.nearest(vec![1.0, 0.0, 0.0], None, 3).unwrap_err(),
            VectorError::Dims(2, 3)
        );
    }

    #[test]
    fn fusion_raises_what_both_lists_agree_on() {
        let lexical = [hit("x"), hit("y"), hit("z")];
        let semantic = [hit("z"), hit("w")];
        let fused = fuse(&[&lexical, &semantic], 10);
        let slugs: Vec<&str> = fused.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs[0], "z", "in both lists");
        assert_eq!(slugs.len(), 4);
        assert!(slugs.contains(&"w"), "found only semantically, still there");
        assert_eq!(fuse(&[&lexical, &semantic], 2).len(), 2);
    }
}
