//! `GET /api/v1/help/search`, `GET /api/v1/help/suggest`, `POST /api/v1/help/events`.

use std::collections::HashMap;

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

fn lang_of(params: &HashMap<String, String>) -> Result<Lang, ApiError> {
    match params.get("lang").map(String::as_str) {
        None | Some("") => Ok(Lang::En),
        Some(l) => Lang::parse_loose(l).ok_or_else(|| {
            ApiError::bad_request("unsupported_lang", "lang must be `en` or `zh-CN`")
        }),
    }
}

fn limit_of(params: &HashMap<String, String>, default: usize) -> usize {
    params
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .map_or(default, |l| l.clamp(1, 50))
}

/// `GET /api/v1/help/search?q=&lang=`: ranked results.
#[utoipa::path(
    get,
    path = "/api/v1/help/search",
    tag = "help",
    params(
        ("q" = String, Query, description = "What the user typed, in Chinese or English (at most 500 characters)"),
        ("lang" = Option<String>, Query, description = "`en` (default) or `zh-CN`: the language of the articles searched"),
        ("limit" = Option<usize>, Query, description = "How many results, 1 to 50 (default 10)"),
    ),
    responses(
        (status = 200, description = "Published articles, best first, with highlighted snippets", body = SearchResponse),
        (status = 400, description = "`query_missing`, `query_too_long` or `unsupported_lang`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let lang = lang_of(&params)?;
    let q = params.get("q").map(|s| s.trim()).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::bad_request(
            "query_missing",
            "give a query in `q`",
        ));
    }
    let visitor = help::visitor(&headers).unwrap_or_default();
    let hits = help::search_logged(&state, q, lang, limit_of(&params, 10), &visitor).await?;
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

/// `GET /api/v1/help/suggest?q=&lang=`: completions as the user types.
#[utoipa::path(
    get,
    path = "/api/v1/help/suggest",
    tag = "help",
    params(
        ("q" = String, Query, description = "What the user has typed so far"),
        ("lang" = Option<String>, Query, description = "`en` (default) or `zh-CN`"),
        ("limit" = Option<usize>, Query, description = "How many suggestions, 1 to 50 (default 8)"),
    ),
    responses(
        (status = 200, description = "Article titles and common queries that complete the input", body = SuggestResponse),
        (status = 400, description = "`query_too_long` or `unsupported_lang`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn suggest(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let lang = lang_of(&params)?;
    let q = params.get("q").map(|s| s.trim()).unwrap_or_default();
    let suggestions = match state.search.suggest(q, Some(lang), limit_of(&params, 8)) {
        Ok(s) => s,
        Err(search::SearchError::QueryTooLong) => {
            return Err(ApiError::bad_request(
                "query_too_long",
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
                "unknown_event",
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
