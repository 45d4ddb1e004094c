//! A stand-in for `search::SearchIndex` with the same API, until the search crate's tantivy
//! index lands on main (branch `search`). It keeps documents in memory and ranks by how many
//! query words occur in title, keywords, summary and body. When the search crate is merged,
//! `AppState::search` becomes `Arc<search::SearchIndex>` and this file goes.

use std::path::Path;
use std::sync::RwLock;

use domain::Lang;
use search::{Doc, Hit, SearchError};

/// Queries longer than this are refused, as the real index does.
pub(crate) const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Default)]
pub struct SearchIndex {
    docs: RwLock<Vec<Doc>>,
}

fn poisoned<T>(_: T) -> SearchError {
    SearchError::Index("index lock poisoned".into())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Words of a query: whitespace-separated, lower-cased.
fn terms(q: &str) -> Vec<String> {
    q.split_whitespace().map(str::to_lowercase).collect()
}

fn snippet(body: &str, terms: &[String]) -> String {
    let lower = body.to_lowercase();
    let hay = if lower.len() == body.len() {
        &lower
    } else {
        body
    };
    let at = terms
        .iter()
        .filter_map(|t| hay.find(t.as_str()))
        .min()
        .unwrap_or(0);
    let chars_before = body.get(..at).map_or(0, |s| s.chars().count());
    let text: String = body
        .chars()
        .skip(chars_before.saturating_sub(40))
        .take(160)
        .collect();
    let mut html = escape(&text);
    for t in terms {
        let e = escape(t);
        // Never mark inside the markup this loop added.
        if !e.is_empty() && !"<mark></mark>".contains(e.as_str()) {
            html = replace_ci(&html, &e);
        }
    }
    html
}

fn replace_ci(html: &str, term: &str) -> String {
    let lower = html.to_lowercase();
    if lower.len() != html.len() {
        return html.replace(term, &format!("<mark>{term}</mark>"));
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (i, _) in lower.match_indices(term) {
        if i < last {
            continue;
        }
        out.push_str(&html[last..i]);
        out.push_str("<mark>");
        out.push_str(&html[i..i + term.len()]);
        out.push_str("</mark>");
        last = i + term.len();
    }
    out.push_str(&html[last..]);
    out
}

impl SearchIndex {
    /// # Errors
    /// Never, in the stand-in.
    pub fn open_or_create(_dir: &Path) -> Result<SearchIndex, SearchError> {
        Ok(SearchIndex::default())
    }

    /// # Errors
    /// Never, in the stand-in.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        Ok(SearchIndex::default())
    }

    #[must_use]
    pub fn was_recreated(&self) -> bool {
        false
    }

    /// # Errors
    /// A poisoned lock.
    pub fn rebuild(&self, docs: &[Doc]) -> Result<(), SearchError> {
        *self.docs.write().map_err(poisoned)? = docs.to_vec();
        Ok(())
    }

    /// # Errors
    /// A poisoned lock.
    pub fn upsert(&self, doc: &Doc) -> Result<(), SearchError> {
        let mut docs = self.docs.write().map_err(poisoned)?;
        docs.retain(|d| d.id != doc.id);
        docs.push(doc.clone());
        Ok(())
    }

    /// # Errors
    /// A poisoned lock.
    pub fn delete(&self, id: &str) -> Result<(), SearchError> {
        self.docs.write().map_err(poisoned)?.retain(|d| d.id != id);
        Ok(())
    }

    #[must_use]
    pub fn len(&self) -> u64 {
        self.docs.read().map_or(0, |d| d.len() as u64)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// # Errors
    /// A query over [`MAX_QUERY_CHARS`]; a poisoned lock.
    pub fn search(
        &self,
        query: &str,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong);
        }
        let terms = terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let docs = self.docs.read().map_err(poisoned)?;
        let mut hits: Vec<Hit> = docs
            .iter()
            .filter(|d| lang.is_none_or(|l| d.lang == l))
            .filter_map(|d| {
                let (title, summary, body) = (
                    d.title.to_lowercase(),
                    d.summary.to_lowercase(),
                    d.body.to_lowercase(),
                );
                let keywords = d.keywords.join(" ").to_lowercase();
                let mut score = 0.0_f32;
                for t in &terms {
                    let s = [
                        (&title, 4.0),
                        (&keywords, 3.0),
                        (&summary, 2.0),
                        (&body, 1.0),
                    ]
                    .iter()
                    .filter(|(f, _)| f.contains(t.as_str()))
                    .map(|(_, w)| *w)
                    .sum::<f32>();
                    if s == 0.0 {
                        return None;
                    }
                    score += s;
                }
                Some(Hit {
                    id: d.id.clone(),
                    slug: d.slug.clone(),
                    lang: d.lang,
                    title: d.title.clone(),
                    snippet_html: snippet(&d.body, &terms),
                    score,
                    topics: d.topics.clone(),
                    category: d.category.clone(),
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }

    /// # Errors
    /// A prefix over [`MAX_QUERY_CHARS`]; a poisoned lock.
    pub fn suggest(
        &self,
        prefix: &str,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        if prefix.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong);
        }
        let p = prefix.trim().to_lowercase();
        if p.is_empty() {
            return Ok(Vec::new());
        }
        let docs = self.docs.read().map_err(poisoned)?;
        let mut out: Vec<String> = Vec::new();
        for d in docs.iter().filter(|d| lang.is_none_or(|l| d.lang == l)) {
            for k in d.keywords.iter().chain(std::iter::once(&d.title)) {
                if k.to_lowercase().starts_with(&p) && !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
        out.sort_by_key(String::len);
        out.truncate(limit);
        Ok(out)
    }
}
