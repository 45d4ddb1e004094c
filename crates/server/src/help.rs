//! The help center's glue between the store and the search index: articles as index documents,
//! seeding the demo articles, rebuilding the index, publishing and unpublishing, and the
//! visitor cookie that ties searches, opened articles and tickets together for analytics.

use axum::http::HeaderMap;
use domain::{AgentId, ArticleId, Lang, Redacted};
use store::{Article, ArticleDraft, ArticleStatus, HelpEventKind, SearchLogEntry};

use crate::AppState;
use crate::error::ApiError;
use crate::web::cookie;

pub(crate) use search::SearchIndex;

/// The random id of a help-center visitor (`wd_visitor`, HttpOnly), never a person's identity.
pub const VISITOR_COOKIE: &str = "wd_visitor";

/// An article's id in the index: one document per article and language.
#[must_use]
pub fn doc_id(slug: &str, lang: Lang) -> String {
    format!("{slug}:{}", lang.as_str())
}

/// An article as the index holds it: the Markdown reduced to plain text.
#[must_use]
pub fn doc_for(a: &Article) -> search::Doc {
    search::Doc {
        id: doc_id(&a.slug, a.lang),
        slug: a.slug.clone(),
        lang: a.lang,
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: kb::plain_text(&a.body),
        category: a.category.clone(),
        topics: a.topics.clone(),
        keywords: a.keywords.clone(),
    }
}

fn index_err(e: &search::SearchError) -> ApiError {
    ApiError::Internal(format!("search index: {e}"))
}

/// Rebuilds the index from every published article. Returns how many were indexed.
///
/// # Errors
/// Storage or index failures.
pub async fn reindex(state: &AppState) -> Result<usize, ApiError> {
    let docs: Vec<search::Doc> = state
        .store
        .articles(None, true)
        .await?
        .iter()
        .map(doc_for)
        .collect();
    state.search.rebuild(&docs).map_err(|e| index_err(&e))?;
    crate::assist::rebuild(state).await?;
    tracing::info!(articles = docs.len(), "search index rebuilt");
    Ok(docs.len())
}

/// Rebuilds the index when it is empty or was recreated after damage (start-up), and builds
/// the assistant unless this process has built it already (seeding the demo articles does).
///
/// # Errors
/// Storage or index failures.
pub async fn reindex_if_needed(state: &AppState) -> Result<(), ApiError> {
    if state.search.is_empty() || state.search.was_recreated() {
        reindex(state).await?;
    } else if state.assistant.generation() == 0 {
        // A second build over the same articles would change nothing but leave its garbage in
        // the allocator's per-thread arena of the blocking thread that built it (6 MB at idle).
        crate::assist::rebuild(state).await?;
    }
    Ok(())
}

/// Publishes or unpublishes an article and updates the index to match.
///
/// # Errors
/// Storage or index failures.
pub(crate) async fn set_status(
    state: &AppState,
    id: ArticleId,
    status: ArticleStatus,
) -> Result<Article, ApiError> {
    let a = state
        .store
        .set_article_status(id, status, state.now())
        .await?;
    match status {
        ArticleStatus::Published => state.search.upsert(&doc_for(&a)),
        ArticleStatus::Draft => state.search.delete(&doc_id(&a.slug, a.lang)),
    }
    .map_err(|e| index_err(&e))?;
    crate::assist::rebuild(state).await?;
    state.cache_changed(crate::cluster::Cache::Help);
    Ok(a)
}

/// Keeps the index and the assistant in step after a saved edit of a published article.
///
/// # Errors
/// Index or storage failures.
pub(crate) async fn reindex_one(state: &AppState, a: &Article) -> Result<(), ApiError> {
    if a.status == ArticleStatus::Published {
        state
            .search
            .upsert(&doc_for(a))
            .map_err(|e| index_err(&e))?;
        // The assistant answers from the published text: an edit reaches it at once.
        crate::assist::rebuild(state).await?;
        state.cache_changed(crate::cluster::Cache::Help);
    }
    Ok(())
}

/// Seeds the demo articles, published, when there is no article yet.
///
/// # Errors
/// Storage failures; a content file that does not parse.
pub async fn seed_articles(state: &AppState) -> anyhow::Result<usize> {
    if !state.store.articles(None, false).await?.is_empty() {
        return Ok(0);
    }
    let files = kb::demo_articles()?;
    let now = state.now();
    for f in &files {
        let a = state
            .store
            .save_article(ArticleDraft {
                slug: f.slug.clone(),
                lang: f.lang,
                category: f.category.clone(),
                topics: f.topics.clone(),
                keywords: f.keywords.iter().map(|k| Redacted::clean(k)).collect(),
                title: Redacted::clean(&f.title),
                summary: Redacted::clean(&f.summary),
                body: Redacted::clean(&f.body),
                author: None::<AgentId>,
                now,
            })
            .await?;
        state
            .store
            .set_article_status(a.id, ArticleStatus::Published, now)
            .await?;
    }
    reindex(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(files.len())
}

/// The visitor id from the cookie, when it looks like one of ours.
#[must_use]
pub(crate) fn visitor(headers: &HeaderMap) -> Option<String> {
    cookie(headers, VISITOR_COOKIE)
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// The visitor id, and a `Set-Cookie` value when a new one had to be made.
pub(crate) fn visitor_or_new(
    state: &AppState,
    headers: &HeaderMap,
) -> (String, Option<axum::http::HeaderValue>) {
    if let Some(v) = visitor(headers) {
        return (v, None);
    }
    let v = crate::auth::new_token().unwrap_or_default();
    let set = crate::web::set_cookie(
        VISITOR_COOKIE,
        &v,
        60 * 60 * 24 * 365,
        state.config.secure_cookies,
        true,
    );
    (v, Some(set))
}

/// Logs a help event; analytics never fail a page.
pub(crate) async fn log_event(
    state: &AppState,
    visitor: &str,
    kind: HelpEventKind,
    article: Option<ArticleId>,
) {
    if visitor.is_empty() {
        return;
    }
    if let Err(e) = state
        .store
        .log_help_event(visitor, kind, article, state.now())
        .await
    {
        tracing::warn!(error = %e, kind = kind.as_str(), "help event not logged");
    }
}

/// Searches and logs the query (redacted) for analytics, through the batched search log
/// (`search_log.rs`): the search does not wait for the write. A query that holds a secret, or
/// a fragment of a phrase ([`crate::query_guard`]), is neither searched nor logged.
///
/// # Errors
/// [`ApiError::SecretInQuery`]; [`ApiError::BadRequest`] `query_too_long`;
/// Index failures.
pub(crate) async fn search_logged(
    state: &AppState,
    q: &str,
    lang: Lang,
    limit: usize,
    visitor: &str,
) -> Result<Vec<search::Hit>, ApiError> {
    // Each search writes a log row: a client may not fill the table, which the rate-limit
    // layer sees to (`limit.rs`, `[limits] searches_per_client`).
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    // Too long is said first: the guard screens what the index would accept.
    if q.chars().count() > search::MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::QueryTooLong,
            "the query is too long",
        ));
    }
    if crate::query_guard::holds_secret(q) {
        return Err(ApiError::SecretInQuery);
    }
    let hits = match state.search.search(q, Some(lang), limit) {
        Ok(h) => h,
        Err(search::SearchError::QueryTooLong) => {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::QueryTooLong,
                "the query is too long",
            ));
        }
        Err(e) => return Err(index_err(&e)),
    };
    // A query that cannot be redacted (too large) is not logged at all.
    if let Ok((query, _)) = Redacted::new(q) {
        let entry = SearchLogEntry {
            query,
            lang,
            results: u32::try_from(hits.len()).unwrap_or(u32::MAX),
            visitor: visitor.to_owned(),
            now: state.now(),
        };
        state.search_log.record(entry).await;
    }
    Ok(hits)
}

/// The help-center URL of an article.
#[must_use]
pub fn article_url(slug: &str, lang: Lang) -> String {
    format!("/help/{slug}?lang={}", lang.as_str())
}
