//! The help-center search index: an embedded tantivy index of the published articles, in
//! 简体中文 and English.
//!
//! The index lives in its own directory under the data directory ([`SearchIndex::open_or_create`])
//! and is only ever a copy: when the directory holds something damaged or from another version
//! of this crate, it is wiped and recreated empty, [`SearchIndex::was_recreated`] says so, and the
//! caller rebuilds it from the database ([`SearchIndex::rebuild`]). It holds published articles
//! only, never user text.
//!
//! # Fields: two sets, one per language
//!
//! Each document is an article in one language, so each language gets its own fields (`title_en`,
//! `keywords_en`, `summary_en`, `body_en` with the stemmed English analyzer; `title_zh`…`body_zh`
//! with the jieba analyzer) and a document fills only its own. That keeps each analyzer simple
//! and its statistics (document frequencies) per language, which a single language-aware field
//! would mix. Two helper fields: `raw` (English words unstemmed, for typo tolerance and word
//! suggestions) and `bigram` (Chinese character pairs, the safety net for segmentation
//! mismatches). The language filter is a term on the `lang` field. Analysis is described in
//! `analysis.rs`, query construction (units, synonyms, fuzziness, boosts) in `query.rs`.
//!
//! # Bounds
//!
//! Queries and prefixes over [`MAX_QUERY_CHARS`] characters are refused; at most 24 query units
//! and 8 fuzzy terms are used; at most [`MAX_LIMIT`] results are returned. No public function
//! panics on any input (property-tested).

mod analysis;
mod query;
mod snippet;
mod suggest;
mod synonyms;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::Query;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyError, Term};

use crate::analysis::Analyzers;
use crate::query::{QueryBuilder, TextFields};
use crate::synonyms::Synonyms;

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

/// Longest query or suggestion prefix accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most results [`SearchIndex::search`] and [`SearchIndex::suggest`] return, whatever the limit.
pub const MAX_LIMIT: usize = 100;

/// Written next to the index; an index without it, or with another value, is rebuilt. It
/// changes whenever the schema, the analysis or the dictionaries change.
const MARKER_FILE: &str = "walletdesk-search.version";
const FORMAT: &str = "walletdesk-search format 1";
/// Indexing memory for the single writer thread (tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 32_000_000;
/// Longest snippet, in bytes of the source text.
const SNIPPET_BYTES: usize = 240;
/// The limit to search with (at most [`MAX_LIMIT`]; `None` for zero, no search needed), or
/// [`SearchError::QueryTooLong`]: the checks [`SearchIndex::search`] and
/// [`SearchIndex::search_uncached`] share.
fn checked_limit(query: &str, limit: usize) -> Result<Option<usize>, SearchError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::QueryTooLong);
    }
    Ok(Some(limit.min(MAX_LIMIT)).filter(|&l| l > 0))
}

/// Result lists kept for repeated queries (a few KiB each); the cache is emptied when full.
const CACHE_ENTRIES: usize = 256;

/// Every field of the schema.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    lang: Field,
    slug: Field,
    category: Field,
    topics: Field,
    title: Field,
    summary: Field,
    body: Field,
    text: TextFields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let en = indexed(analysis::EN, positions);
    let zh = indexed(analysis::ZH, positions);
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        lang: b.add_text_field("lang", STRING | STORED),
        slug: b.add_text_field("slug", STORED),
        category: b.add_text_field("category", STRING | STORED),
        topics: b.add_text_field("topics", STRING | STORED),
        title: b.add_text_field("title", STORED),
        summary: b.add_text_field("summary", STORED),
        body: b.add_text_field("body", STORED),
        text: TextFields {
            title_en: b.add_text_field("title_en", en.clone()),
            keywords_en: b.add_text_field("keywords_en", en.clone()),
            summary_en: b.add_text_field("summary_en", en.clone()),
            body_en: b.add_text_field("body_en", en),
            raw: b.add_text_field("raw", indexed(analysis::RAW, IndexRecordOption::WithFreqs)),
            title_zh: b.add_text_field("title_zh", zh.clone()),
            keywords_zh: b.add_text_field("keywords_zh", zh.clone()),
            summary_zh: b.add_text_field("summary_zh", zh.clone()),
            body_zh: b.add_text_field("body_zh", zh),
            bigram: b.add_text_field(
                "bigram",
                indexed(analysis::BIGRAM, IndexRecordOption::WithFreqs),
            ),
        },
    };
    (b.build(), fields)
}

/// FNV-1a: a stable fingerprint of the data the index was built with.
fn fingerprint() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        FORMAT,
        analysis::JIEBA_DICT,
        analysis::WALLET_DICT,
        synonyms::SYNONYMS,
    ] {
        for &byte in part.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{FORMAT} {h:016x}\n")
}

fn index_err(e: impl fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

/// A title, for suggestions.
#[derive(Debug, Clone)]
struct Title {
    lang: Lang,
    title: String,
    /// Normalised (NFKC, lower case) for matching.
    key: String,
}

/// The help-center search index. `Send + Sync`: share it behind an `Arc`; searches run
/// concurrently, writes are serialised.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    queries: QueryBuilder,
    /// The analyzers for snippets: the English one, and the Chinese one without overlapping
    /// sub-words.
    en_snippets: tantivy::tokenizer::TextAnalyzer,
    zh_snippets: tantivy::tokenizer::TextAnalyzer,
    /// Summaries and bodies analysed for snippets, by document id; kept in step with the index
    /// by every write.
    texts: RwLock<snippet::Texts>,
    /// Titles by document id, for suggestions; kept in step with the index by every write.
    titles: RwLock<BTreeMap<String, Title>>,
    /// Recent results by query, valid for one generation of the index.
    cache: ResultCache,
    /// Why `open_or_create` wiped the directory, if it did.
    recreated: Option<String>,
    created: bool,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.len())
            .field("recreated", &self.recreated.is_some())
            .finish_non_exhaustive()
    }
}

/// Why an existing directory could not be used.
enum OpenFailure {
    /// Not a usable index (damaged, foreign, older format): wipe it.
    Damaged(String),
    /// Usable but not now (another writer holds the lock), or I/O: never wipe.
    Fatal(SearchError),
}

impl SearchIndex {
    /// Opens the index in `dir` (created if missing). The directory must belong to the index
    /// alone: when it holds a damaged or incompatible index, its files are deleted and an empty
    /// index is created; [`was_recreated`](Self::was_recreated) then says so and the caller
    /// rebuilds from the database. A directory with subdirectories is never wiped (an error).
    ///
    /// # Errors
    /// I/O errors, another process holding the index's writer lock, a directory that cannot be
    /// wiped.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(index_err)?;
        let (schema, fields) = schema();
        let synonyms = Synonyms::builtin().map_err(SearchError::Index)?;
        let analyzers = Analyzers::new(&synonyms).map_err(SearchError::Index)?;
        let empty = std::fs::read_dir(dir).map_err(index_err)?.next().is_none();
        let mut recreated = None;
        if !empty {
            match Self::open_existing(dir, &schema, fields, &analyzers, &synonyms) {
                Ok(index) => return Ok(index),
                Err(OpenFailure::Fatal(e)) => return Err(e),
                Err(OpenFailure::Damaged(reason)) => {
                    wipe(dir)?;
                    recreated = Some(reason);
                }
            }
        }
        let directory = MmapDirectory::open(dir).map_err(index_err)?;
        let index = Index::create(directory, schema, tantivy::IndexSettings::default())
            .map_err(index_err)?;
        std::fs::write(dir.join(MARKER_FILE), fingerprint()).map_err(index_err)?;
        let mut this = Self::assemble(&index, fields, &analyzers, &synonyms)?;
        this.created = true;
        this.recreated = recreated;
        Ok(this)
    }

    fn open_existing(
        dir: &Path,
        schema: &Schema,
        fields: Fields,
        analyzers: &Analyzers,
        synonyms: &Synonyms,
    ) -> Result<SearchIndex, OpenFailure> {
        let damaged = |e: &dyn fmt::Display| OpenFailure::Damaged(e.to_string());
        match std::fs::read_to_string(dir.join(MARKER_FILE)) {
            Ok(marker) if marker == fingerprint() => {}
            Ok(_) => return Err(OpenFailure::Damaged("index of another version".into())),
            Err(e) => return Err(damaged(&e)),
        }
        let directory = MmapDirectory::open(dir).map_err(|e| damaged(&e))?;
        let index = Index::open(directory).map_err(|e| damaged(&e))?;
        if index.schema() != *schema {
            return Err(OpenFailure::Damaged("another schema".into()));
        }
        match index.validate_checksum() {
            Ok(bad) if bad.is_empty() => {}
            Ok(bad) => return Err(OpenFailure::Damaged(format!("{} damaged files", bad.len()))),
            Err(e) => return Err(damaged(&e)),
        }
        match Self::assemble(&index, fields, analyzers, synonyms) {
            Ok(this) => Ok(this),
            Err(SearchError::Index(e)) if e.starts_with(LOCK_BUSY) => {
                Err(OpenFailure::Fatal(SearchError::Index(e)))
            }
            Err(e) => Err(damaged(&e)),
        }
    }

    /// An empty index in memory, for tests and benchmarks.
    ///
    /// # Errors
    /// Only if the built-in dictionaries fail to load.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let synonyms = Synonyms::builtin().map_err(SearchError::Index)?;
        let analyzers = Analyzers::new(&synonyms).map_err(SearchError::Index)?;
        let mut this =
            Self::assemble(&Index::create_in_ram(schema), fields, &analyzers, &synonyms)?;
        this.created = true;
        Ok(this)
    }

    fn assemble(
        index: &Index,
        fields: Fields,
        analyzers: &Analyzers,
        synonyms: &Synonyms,
    ) -> Result<SearchIndex, SearchError> {
        analyzers.register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_err)?;
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => SearchError::Index(format!("{LOCK_BUSY}: {e}")),
                e => index_err(e),
            })?;
        let this = SearchIndex {
            queries: QueryBuilder::new(fields.text, analyzers, synonyms),
            en_snippets: Analyzers::en(),
            zh_snippets: analyzers.zh_snippets(),
            texts: RwLock::new(snippet::Texts::default()),
            reader,
            writer: Mutex::new(writer),
            fields,
            titles: RwLock::new(BTreeMap::new()),
            cache: ResultCache::default(),
            recreated: None,
            created: false,
        };
        this.load_titles()?;
        Ok(this)
    }

    /// True when [`open_or_create`](Self::open_or_create) found a damaged or incompatible index
    /// and replaced it with an empty one: rebuild it from the database.
    #[must_use]
    pub fn was_recreated(&self) -> bool {
        self.recreated.is_some()
    }

    /// What was wrong with the index that [`open_or_create`](Self::open_or_create) replaced,
    /// for the log.
    #[must_use]
    pub fn recreated_because(&self) -> Option<&str> {
        self.recreated.as_deref()
    }

    /// True when the index was created empty by this call (new directory, recreated, or in
    /// memory): the caller should [`rebuild`](Self::rebuild) it.
    #[must_use]
    pub fn needs_rebuild(&self) -> bool {
        self.created
    }

    /// Replaces every document with `docs`, in one commit: searches see the old set until it
    /// returns, then the new one. A later document with the same id replaces an earlier one.
    ///
    /// # Errors
    /// Index write errors; the index is then left as it was.
    pub fn rebuild(&self, docs: &[Doc]) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_all_documents().map_err(index_err)?;
            for doc in docs {
                writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
                writer.add_document(self.document(doc)).map_err(index_err)?;
            }
            Ok(())
        })?;
        let mut texts = snippet::Texts::default();
        for doc in docs {
            let analysed = self.analyse(&mut texts.vocabulary, doc.lang, &doc.summary, &doc.body);
            texts.docs.insert(doc.id.clone(), Arc::new(analysed));
        }
        *self.texts.write().unwrap_or_else(PoisonError::into_inner) = texts;
        let mut titles = self.titles.write().unwrap_or_else(PoisonError::into_inner);
        titles.clear();
        for doc in docs {
            titles.insert(doc.id.clone(), title_of(doc.lang, &doc.title));
        }
        Ok(())
    }

    /// Adds `doc`, or replaces the document with its id. Searches see it when this returns.
    ///
    /// # Errors
    /// Index write errors; the index is then left as it was.
    pub fn upsert(&self, doc: &Doc) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(self.document(doc)).map_err(index_err)?;
            Ok(())
        })?;
        {
            let mut texts = self.texts.write().unwrap_or_else(PoisonError::into_inner);
            let analysed = self.analyse(&mut texts.vocabulary, doc.lang, &doc.summary, &doc.body);
            texts.docs.insert(doc.id.clone(), Arc::new(analysed));
        }
        self.titles
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(doc.id.clone(), title_of(doc.lang, &doc.title));
        Ok(())
    }

    /// Removes the document with this id (nothing happens if there is none).
    ///
    /// # Errors
    /// Index write errors.
    pub fn delete(&self, id: &str) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            Ok(())
        })?;
        self.texts
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .docs
            .remove(id);
        self.titles
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
        Ok(())
    }

    /// Number of documents searches see.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds no document.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs `ops` on the writer, commits and makes the result visible; rolls back on error.
    fn write(
        &self,
        ops: impl FnOnce(&IndexWriter<TantivyDocument>) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let result = ops(&writer).and_then(|()| writer.commit().map(|_| ()).map_err(index_err));
        if let Err(e) = result {
            // Drops the pending operations; if even that fails the next commit carries them,
            // which is no worse than the error already reported.
            let _ = writer.rollback();
            return Err(e);
        }
        let reloaded = self.reader.reload().map_err(index_err);
        // After the reload, so that no result computed on the old documents stays valid (and
        // also when the reload failed: the commit may be visible after all).
        self.cache.invalidate();
        reloaded
    }

    fn document(&self, doc: &Doc) -> TantivyDocument {
        let f = &self.fields;
        let t = &f.text;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.lang, doc.lang.as_str());
        d.add_text(f.slug, &doc.slug);
        d.add_text(f.category, &doc.category);
        for topic in &doc.topics {
            d.add_text(f.topics, topic);
        }
        d.add_text(f.title, &doc.title);
        d.add_text(f.summary, &doc.summary);
        d.add_text(f.body, &doc.body);
        let (title, keywords, summary, body, extra) = match doc.lang {
            Lang::En => (t.title_en, t.keywords_en, t.summary_en, t.body_en, t.raw),
            Lang::ZhCn => (t.title_zh, t.keywords_zh, t.summary_zh, t.body_zh, t.bigram),
        };
        d.add_text(title, &doc.title);
        for k in &doc.keywords {
            d.add_text(keywords, k);
        }
        d.add_text(summary, &doc.summary);
        d.add_text(body, &doc.body);
        for text in [&doc.title, &doc.summary, &doc.body]
            .into_iter()
            .chain(&doc.keywords)
        {
            d.add_text(extra, text);
        }
        d
    }

    /// A document's summary and body cut for snippets, with the analyzers of its language.
    fn analyse(
        &self,
        vocabulary: &mut snippet::Vocabulary,
        lang: Lang,
        summary: &str,
        body: &str,
    ) -> snippet::DocText {
        let mut analyzer = match lang {
            Lang::En => self.en_snippets.clone(),
            Lang::ZhCn => self.zh_snippets.clone(),
        };
        snippet::DocText {
            summary: snippet::analyse(&mut analyzer, vocabulary, summary),
            body: snippet::analyse(&mut analyzer, vocabulary, body),
        }
    }

    fn load_titles(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let mut titles = BTreeMap::new();
        let mut texts = snippet::Texts::default();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(1).map_err(index_err)?;
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc_id)) {
                    continue;
                }
                let doc: TantivyDocument = store.get(doc_id).map_err(index_err)?;
                let id = text_of(&doc, self.fields.id);
                let lang = Lang::parse(&text_of(&doc, self.fields.lang)).unwrap_or_default();
                let analysed = self.analyse(
                    &mut texts.vocabulary,
                    lang,
                    &text_of(&doc, self.fields.summary),
                    &text_of(&doc, self.fields.body),
                );
                texts.docs.insert(id.clone(), Arc::new(analysed));
                titles.insert(id, title_of(lang, &text_of(&doc, self.fields.title)));
            }
        }
        *self.texts.write().unwrap_or_else(PoisonError::into_inner) = texts;
        *self.titles.write().unwrap_or_else(PoisonError::into_inner) = titles;
        Ok(())
    }

    /// Ranked results for `query`, best first; `lang` keeps one language (`None`: both, and
    /// synonyms then reach across languages). At most `limit` (and [`MAX_LIMIT`]) hits. Text that
    /// yields no search term gives no hits.
    ///
    /// # Errors
    /// [`SearchError::QueryTooLong`] over [`MAX_QUERY_CHARS`] characters; index read errors.
    pub fn search(
        &self,
        query: &str,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let Some(limit) = checked_limit(query, limit)? else {
            return Ok(Vec::new());
        };
        let key = (query.to_owned(), lang, limit);
        // Read before the searcher is taken: a write that lands in between makes this
        // generation stale, so the result below is never served from the cache.
        let generation = self.cache.generation();
        if let Some(hits) = self.cache.get(&key, generation) {
            return Ok(hits.as_ref().clone());
        }
        let hits = self.search_uncached(query, lang, limit)?;
        self.cache.put(key, generation, Arc::new(hits.clone()));
        Ok(hits)
    }

    /// [`search`](Self::search) without the result cache: what a query costs the first time
    /// (benchmarks).
    ///
    /// # Errors
    /// As [`search`](Self::search).
    pub fn search_uncached(
        &self,
        query: &str,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let Some(limit) = checked_limit(query, limit)? else {
            return Ok(Vec::new());
        };
        let Some(mut q) = self.queries.build(query, lang) else {
            return Ok(Vec::new());
        };
        if let Some(lang) = lang {
            q = QueryBuilder::filtered(q, self.fields.lang, lang.as_str());
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&*q, &TopDocs::with_limit(limit).order_by_score())
            .map_err(index_err)?;
        let texts = self.texts.read().unwrap_or_else(PoisonError::into_inner);
        let mut snippets = Snippets::new(&searcher, &*q, self, &texts);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_err)?;
            let f = &self.fields;
            let lang = Lang::parse(&text_of(&doc, f.lang)).unwrap_or_default();
            let id = text_of(&doc, f.id);
            let snippet_html =
                snippets.html(&id, lang, &text_of(&doc, f.summary), &text_of(&doc, f.body))?;
            hits.push(Hit {
                id,
                slug: text_of(&doc, f.slug),
                lang,
                title: text_of(&doc, f.title),
                snippet_html,
                score,
                topics: doc
                    .get_all(f.topics)
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                category: text_of(&doc, f.category),
            });
        }
        Ok(hits)
    }

    /// Completions for what the user is typing: titles that start with `prefix` or have a word
    /// starting with it (a Chinese prefix may be anywhere in a title), then frequent words that
    /// complete its last word (`res` → `restore`, `助记` → `助记词`), the rest of the prefix kept.
    /// At most `limit` (and [`MAX_LIMIT`]).
    ///
    /// # Errors
    /// [`SearchError::QueryTooLong`] over [`MAX_QUERY_CHARS`] characters; index read errors.
    pub fn suggest(
        &self,
        prefix: &str,
        lang: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        if prefix.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong);
        }
        let limit = limit.min(MAX_LIMIT);
        let prefix = synonyms::normalize(prefix.trim_start());
        if limit == 0 || prefix.trim().is_empty() {
            return Ok(Vec::new());
        }
        let mut out = {
            let titles = self.titles.read().unwrap_or_else(PoisonError::into_inner);
            suggest::titles(titles.values(), &prefix, lang, limit)
        };
        if out.len() < limit {
            let searcher = self.reader.searcher();
            let words = suggest::words(&searcher, &self.fields.text, &prefix, lang, limit)
                .map_err(index_err)?;
            for w in words {
                if out.len() >= limit {
                    break;
                }
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
        Ok(out)
    }
}

const LOCK_BUSY: &str = "index is in use by another writer";

type CacheKey = (String, Option<Lang>, usize);
/// Hits and the index generation they were computed on.
type CacheEntry = (u64, Arc<Vec<Hit>>);

/// Results of recent searches. Help-center queries repeat a lot ("转账失败", "seed phrase"), and
/// a search with snippets costs about a millisecond on 2,000 articles. Every index write bumps
/// the generation after the new documents are visible ([`SearchIndex::write`]); an entry is
/// served only while its generation is the current one, so a publish or unpublish is seen by
/// the very next search.
#[derive(Default)]
struct ResultCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<CacheKey, CacheEntry>>,
}

impl ResultCache {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn get(&self, key: &CacheKey, generation: u64) -> Option<Arc<Vec<Hit>>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        match entries.get(key) {
            Some((g, hits)) if *g == generation => Some(Arc::clone(hits)),
            _ => None,
        }
    }

    fn put(&self, key: CacheKey, generation: u64, hits: Arc<Vec<Hit>>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if generation != self.generation() {
            return;
        }
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (generation, hits));
    }

    fn invalidate(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }
}

fn title_of(lang: Lang, title: &str) -> Title {
    Title {
        lang,
        title: title.to_owned(),
        key: synonyms::normalize(title),
    }
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Deletes the files of a damaged index directory; refuses a directory with subdirectories
/// (not ours: tantivy creates none).
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(index_err)? {
        let entry = entry.map_err(index_err)?;
        if entry.file_type().map_err(index_err)?.is_dir() {
            return Err(SearchError::Index(format!(
                "{} holds a damaged index and a subdirectory; not wiping it",
                dir.display()
            )));
        }
        files.push(entry.path());
    }
    for file in files {
        std::fs::remove_file(file).map_err(index_err)?;
    }
    Ok(())
}

/// The query's terms per field with their snippet weights (`1 / (1 + doc freq)`, as tantivy's
/// `SnippetGenerator::create`), made on first use per field.
struct Snippets<'a> {
    searcher: &'a Searcher,
    query: &'a dyn Query,
    index: &'a SearchIndex,
    texts: &'a snippet::Texts,
    /// Term text and weight, by field id.
    terms: HashMap<u32, Vec<(String, f32)>>,
    /// The same by term number of `texts`' vocabulary (terms it lacks occur in no text).
    weights: HashMap<u32, snippet::Weights>,
}

impl<'a> Snippets<'a> {
    fn new(
        searcher: &'a Searcher,
        query: &'a dyn Query,
        index: &'a SearchIndex,
        texts: &'a snippet::Texts,
    ) -> Self {
        Snippets {
            searcher,
            query,
            index,
            texts,
            terms: HashMap::new(),
            weights: HashMap::new(),
        }
    }

    fn terms(&mut self, field: Field) -> Result<&[(String, f32)], SearchError> {
        let key = field.field_id();
        if !self.terms.contains_key(&key) {
            let mut terms = BTreeSet::new();
            self.query.query_terms(&mut |term, _| {
                if term.field() == field {
                    terms.insert(term.clone());
                }
            });
            let mut out = Vec::new();
            for term in terms {
                let value = term.value();
                let Some(text) = value.as_str() else {
                    continue;
                };
                let df = self.searcher.doc_freq(&term).map_err(index_err)?;
                if df > 0 {
                    #[expect(clippy::cast_precision_loss, reason = "a rough weight")]
                    out.push((text.to_owned(), 1.0 / (1.0 + df as f32)));
                }
            }
            self.terms.insert(key, out);
        }
        Ok(self.terms.get(&key).map_or(&[], Vec::as_slice))
    }

    fn weights(&mut self, field: Field) -> Result<&snippet::Weights, SearchError> {
        let key = field.field_id();
        if !self.weights.contains_key(&key) {
            let texts = self.texts;
            let weights = self
                .terms(field)?
                .iter()
                .filter_map(|(t, w)| Some((texts.vocabulary.get(t)?, *w)))
                .collect();
            self.weights.insert(key, weights);
        }
        self.weights
            .get(&key)
            .ok_or_else(|| SearchError::Index("snippet weights".into()))
    }

    /// The body passage with the most matched terms, else the summary's, else the start of the
    /// summary (or body) without highlights. Always HTML-escaped.
    fn html(
        &mut self,
        id: &str,
        lang: Lang,
        summary: &str,
        body: &str,
    ) -> Result<String, SearchError> {
        let text = self.index.fields.text;
        let (body_field, summary_field) = match lang {
            Lang::En => (text.body_en, text.summary_en),
            Lang::ZhCn => (text.body_zh, text.summary_zh),
        };
        let analysed = self
            .texts
            .docs
            .get(id)
            .filter(|d| d.summary.text == summary && d.body.text == body);
        if let Some(doc) = analysed {
            for (field, text) in [(body_field, &doc.body), (summary_field, &doc.summary)] {
                if let Some(html) = snippet::snippet_html(text, self.weights(field)?, SNIPPET_BYTES)
                {
                    return Ok(html);
                }
            }
        } else {
            // Not analysed yet (a search racing the write that stored this version): cut it now,
            // with its own vocabulary.
            let mut vocabulary = snippet::Vocabulary::default();
            let doc = self.index.analyse(&mut vocabulary, lang, summary, body);
            for (field, text) in [(body_field, &doc.body), (summary_field, &doc.summary)] {
                let weights = self
                    .terms(field)?
                    .iter()
                    .filter_map(|(t, w)| Some((vocabulary.get(t)?, *w)))
                    .collect();
                if let Some(html) = snippet::snippet_html(text, &weights, SNIPPET_BYTES) {
                    return Ok(html);
                }
            }
        }
        let plain = if summary.trim().is_empty() {
            body
        } else {
            summary
        };
        Ok(escape_html(truncate(plain.trim(), SNIPPET_BYTES)))
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<SearchIndex>();
    }

    #[test]
    fn fallback_snippets_are_escaped_and_cut_on_char_boundaries() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
        assert_eq!(truncate("助记词", 4), "助");
        assert_eq!(truncate("ab", 4), "ab");
    }
}
