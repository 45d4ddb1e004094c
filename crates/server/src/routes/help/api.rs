//! `POST /api/v1/help/search`, `POST /api/v1/help/suggest` (and their deprecated `GET` forms),
//! `POST /api/v1/help/events`.
//!
//! The query travels in a JSON body: a query string ends up in the access log of every proxy
//! on the way, and search-as-you-type sends whatever is in the box. The `GET` forms stay for
//! existing API users. On both, a query that holds a recovery phrase, a fragment of one or a
//! private key (`query_guard.rs`) is answered `422 query_contains_secret` and is neither
//! searched nor logged: an explicit refusal the page can show, rather than an empty result
//! that reads as "no article".

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::{ArticleId, Lang};
use serde::{Deserialize, Serialize};
use store::HelpEventKind;

use crate::AppState;
use crate::error::ApiError;
use crate::help;
use crate::web::CsrfToken;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SearchResult {
    pub title: String,
    pub url: String,
    /// HTML: escaped except `<mark>` around the matched words.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SearchResponse {
    pub results: Vec<SearchResult>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SuggestResponse {
    pub suggestions: Vec<String>,
}

/// A search request: the same names as the `GET` form's query parameters.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchIn {
    /// What the user typed, in Chinese or English (at most 500 characters, not only spaces).
    /// A query holding a recovery phrase, part of one, or a private key is refused (`422
    /// query_contains_secret`) and neither searched nor logged.
    // Absent reads as empty, which is refused as `query_missing` (clearer than "invalid JSON").
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 500,
        pattern = r"[^\s\x85]"
    )]
    #[param(
        required = true,
        min_length = 1,
        max_length = 500,
        pattern = r"[^\s\x85]"
    )]
    pub q: String,
    /// `en` (default) or `zh-CN`: the language of the articles searched.
    #[serde(default)]
    #[schema(value_type = Option<crate::api::LangParam>)]
    #[param(value_type = Option<crate::api::LangParam>)]
    pub lang: Option<String>,
    /// How many results, 1 to 50 (default 10).
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 50)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub limit: Option<f64>,
}

/// A suggestion request: the same names as the `GET` form's query parameters.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SuggestIn {
    /// What the user has typed so far (at most 500 characters; empty suggests nothing).
    #[serde(default)]
    #[schema(max_length = 500)]
    #[param(max_length = 500)]
    pub q: String,
    /// `en` (default) or `zh-CN`.
    #[serde(default)]
    #[schema(value_type = Option<crate::api::LangParam>)]
    #[param(value_type = Option<crate::api::LangParam>)]
    pub lang: Option<String>,
    /// How many suggestions, 1 to 50 (default 8).
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 50)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub limit: Option<f64>,
}

/// What both requests have in common, checked the same way.
struct Common<'a> {
    q: &'a str,
    lang: Option<&'a str>,
    /// A JSON number: `2` and `2.0` are the same integer to JSON Schema.
    limit: Option<f64>,
}

impl Common<'_> {
    fn lang(&self) -> Result<Lang, ApiError> {
        crate::api::lang_param(self.lang, Lang::En)
    }

    /// The limit, or `default` when absent; outside 1 to 50 is refused, never clamped.
    fn limit(&self, default: usize) -> Result<usize, ApiError> {
        match self.limit {
            None => Ok(default),
            Some(l) if l.fract() == 0.0 && (1.0..=50.0).contains(&l) => {
                Ok(crate::api::small_count(l))
            }
            Some(_) => Err(ApiError::bad_request(
                crate::error::ErrorCode::InvalidQuery,
                "limit must be a whole number from 1 to 50",
            )),
        }
    }
}

impl SearchIn {
    fn common(&self) -> Common<'_> {
        Common {
            q: &self.q,
            lang: self.lang.as_deref(),
            limit: self.limit,
        }
    }
}

impl SuggestIn {
    fn common(&self) -> Common<'_> {
        Common {
            q: &self.q,
            lang: self.lang.as_deref(),
            limit: self.limit,
        }
    }
}

/// A query string or JSON body that does not fit the documented shape: `400 invalid_query`
/// or `invalid_json`.
fn query_rejection(e: &QueryRejection) -> ApiError {
    ApiError::bad_request(crate::error::ErrorCode::InvalidQuery, e.body_text())
}

/// Search the help center (deprecated: the query ends up in access logs; use `POST`).
#[utoipa::path(
    get,
    path = "/api/v1/help/search",
    tag = "help",
    params(SearchIn),
    responses(
        (status = 200, description = "Published articles, best first, with highlighted snippets", body = SearchResponse),
        (status = 400, description = "`query_missing`, `query_too_long`, `unsupported_lang` or `invalid_query` (a limit outside 1 to 50)", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`query_contains_secret`: the query holds a recovery phrase, part of one, or a private key; it was neither searched nor logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more searches from this client than `[limits] searches_per_client` in the window; `Retry-After` says when to try again", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn search_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchIn>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Query(input) = params.map_err(|e| query_rejection(&e))?;
    search(&state, &headers, &input.common()).await
}

/// Search the help center; the query in the body, never in the URL.
#[utoipa::path(
    post,
    path = "/api/v1/help/search",
    tag = "help",
    request_body = SearchIn,
    responses(
        (status = 200, description = "Published articles, best first, with highlighted snippets", body = SearchResponse),
        (status = 400, description = "`invalid_json`, `query_missing`, `query_too_long`, `unsupported_lang` or `invalid_query` (a limit outside 1 to 50)", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`query_contains_secret`: the query holds a recovery phrase, part of one, or a private key; it was neither searched nor logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more searches from this client than `[limits] searches_per_client` in the window; `Retry-After` says when to try again", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn search_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let input: SearchIn = crate::api::object_body(body)?;
    search(&state, &headers, &input.common()).await
}

/// The query, trimmed, once its length as sent is within the documented `maxLength` (counted
/// before trimming: 500 characters of whitespace are still 500 characters).
fn query_within_limit(raw: &str) -> Result<&str, ApiError> {
    if raw.chars().count() > search::MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::QueryTooLong,
            "the query is too long",
        ));
    }
    Ok(raw.trim())
}

async fn search(
    state: &AppState,
    headers: &HeaderMap,
    input: &Common<'_>,
) -> Result<Json<SearchResponse>, ApiError> {
    let lang = input.lang()?;
    let limit = input.limit(10)?;
    let q = query_within_limit(input.q)?;
    if q.is_empty() {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::QueryMissing,
            "give a query in `q`",
        ));
    }
    let visitor = help::visitor(headers).unwrap_or_default();
    let hits = help::search_logged(state, q, lang, limit, &visitor).await?;
    Ok(Json(SearchResponse {
        results: hits
            .into_iter()
            .map(|h| SearchResult {
                url: help::article_url(&h.slug, h.lang),
                title: h.title,
                snippet: h.snippet_html,
                score: h.score,
            })
            .collect(),
    }))
}

/// Completions as the user types (deprecated: the query ends up in access logs; use `POST`).
#[utoipa::path(
    get,
    path = "/api/v1/help/suggest",
    tag = "help",
    params(SuggestIn),
    responses(
        (status = 200, description = "Article titles and common queries that complete the input", body = SuggestResponse),
        (status = 400, description = "`query_too_long`, `unsupported_lang` or `invalid_query` (a limit outside 1 to 50)", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`query_contains_secret`: the input holds a recovery phrase, part of one, or a private key; it was not used", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more suggestions from this client than `[limits] costly_reads_per_client` in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn suggest_get(
    State(state): State<AppState>,
    params: Result<Query<SuggestIn>, QueryRejection>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let Query(input) = params.map_err(|e| query_rejection(&e))?;
    suggest(&state, &input.common())
}

/// Completions as the user types; the input in the body, never in the URL.
#[utoipa::path(
    post,
    path = "/api/v1/help/suggest",
    tag = "help",
    request_body = SuggestIn,
    responses(
        (status = 200, description = "Article titles and common queries that complete the input", body = SuggestResponse),
        (status = 400, description = "`invalid_json`, `query_too_long`, `unsupported_lang` or `invalid_query` (a limit outside 1 to 50)", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`query_contains_secret`: the input holds a recovery phrase, part of one, or a private key; it was not used", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more suggestions from this client than `[limits] costly_reads_per_client` in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn suggest_post(
    State(state): State<AppState>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let input: SuggestIn = crate::api::object_body(body)?;
    suggest(&state, &input.common())
}

fn suggest(state: &AppState, input: &Common<'_>) -> Result<Json<SuggestResponse>, ApiError> {
    let lang = input.lang()?;
    let limit = input.limit(8)?;
    let q = query_within_limit(input.q)?;
    if crate::query_guard::holds_secret(q) {
        return Err(ApiError::SecretInQuery);
    }
    let suggestions = match state.search.suggest(q, Some(lang), limit) {
        Ok(s) => s,
        Err(search::SearchError::QueryTooLong) => {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::QueryTooLong,
                "the query is too long",
            ));
        }
        Err(e) => return Err(ApiError::Internal(format!("search index: {e}"))),
    };
    Ok(Json(SuggestResponse { suggestions }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct EventBody {
    kind: String,
    #[serde(default)]
    article: Option<i64>,
}

/// `POST /api/v1/help/events` from the ticket form (`suggestions_shown`, `suggestion_opened`);
/// the visitor comes from its cookie, the CSRF token from the `x-csrf-token` header.
pub(crate) async fn event(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Json(body): Json<EventBody>,
) -> Result<Response, ApiError> {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    csrf.check(token)?;
    let kind = match body.kind.as_str() {
        "suggestions_shown" => HelpEventKind::SuggestionsShown,
        "suggestion_opened" => HelpEventKind::SuggestionOpened,
        _ => {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::UnknownEvent,
                "kind must be `suggestions_shown` or `suggestion_opened`",
            ));
        }
    };
    let (visitor, set) = help::visitor_or_new(&state, &headers);
    help::log_event(&state, &visitor, kind, body.article.map(ArticleId)).await;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Some(v) = set {
        resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    Ok(resp)
}
