//! The help-center search index. (Interface first; the implementation is being written.)
//!
//! An embedded tantivy index in the data directory, rebuilt from the database whenever it is
//! missing or damaged. Documents are articles in one language each.

use domain::Lang;
use serde::Serialize;

/// One article in one language, as indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Unique per article and language, e.g. `restore-from-recovery-phrase:zh-CN`.
    pub id: String,
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    /// The article's text without markup (Markdown stripped), paragraphs separated by newlines.
    pub body: String,
    /// Help-center section (`restore`, `fees`…).
    pub category: String,
    /// Support topics the article answers (`restore_mnemonic`…).
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    /// A short passage with the matched terms wrapped in `<mark>…</mark>`; everything else
    /// HTML-escaped, so it can be inserted into a page as is.
    pub snippet_html: String,
    pub score: f32,
    pub topics: Vec<String>,
    pub category: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
    #[error("query too long")]
    QueryTooLong,
}
