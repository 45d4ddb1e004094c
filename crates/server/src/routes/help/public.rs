//! `GET /help`, `GET /help/search`, `GET /help/{slug}`, `POST /help/{slug}/feedback`.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::{ArticleId, Lang, Redacted};
use serde::Deserialize;
use store::{Article, HelpEventKind};

use super::{Link, category_label, contact_url};
use crate::AppState;
use crate::error::ApiError;
use crate::help;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, error_page_keeping, render};

#[derive(Debug)]
pub(crate) struct Section {
    pub label: String,
    pub articles: Vec<Link>,
}

#[derive(Template)]
#[template(path = "help_index.html")]
struct IndexPage<'a> {
    c: Chrome<'a>,
    sections: Vec<Section>,
    q: String,
}

#[derive(Debug)]
pub(crate) struct Result_ {
    pub title: String,
    pub url: String,
    /// From the index: escaped except `<mark>`.
    pub snippet_html: String,
}

#[derive(Template)]
#[template(path = "help_search.html")]
struct SearchPage<'a> {
    c: Chrome<'a>,
    q: String,
    /// The query held a recovery phrase or key: it was not searched, logged or echoed.
    secret_refused: bool,
    heading: String,
    results: Vec<Result_>,
    contact_url: String,
}

#[derive(Template)]
#[template(path = "help_article.html")]
struct ArticlePage<'a> {
    c: Chrome<'a>,
    slug: String,
    lang_code: &'static str,
    title: String,
    summary: String,
    category: String,
    /// Rendered by `kb::render_html`: raw HTML escaped, links and images restricted.
    body_html: String,
    fallback: bool,
    translation_url: Option<String>,
    related: Vec<Link>,
    views: String,
    contact_url: String,
    thanks: bool,
}

fn link(a: &Article) -> Link {
    Link {
        title: a.title.clone(),
        url: help::article_url(&a.slug, a.lang),
        summary: a.summary.clone(),
    }
}

/// `GET /help`: the categories with their articles, and the search box.
pub(crate) async fn index(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let articles = match state.store.articles(Some(lang), true).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let c = Chrome::new(&state, lang, &csrf, "/help");
    let mut sections: Vec<(usize, Section)> = Vec::new();
    for a in &articles {
        let rank = kb::CATEGORIES
            .iter()
            .position(|k| *k == a.category)
            .unwrap_or(kb::CATEGORIES.len());
        match sections.iter_mut().find(|(r, _)| *r == rank) {
            Some((_, s)) => s.articles.push(link(a)),
            None => sections.push((
                rank,
                Section {
                    label: category_label(&c.t, &a.category),
                    articles: vec![link(a)],
                },
            )),
        }
    }
    sections.sort_by_key(|(r, _)| *r);
    render(
        StatusCode::OK,
        &IndexPage {
            c,
            sections: sections.into_iter().map(|(_, s)| s).collect(),
            q: String::new(),
        },
    )
}

/// `GET /help/search?q=`: results with highlighted passages.
pub(crate) async fn search(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let q = params
        .get("q")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let (visitor, set) = help::visitor_or_new(&state, &headers);
    // A query holding a secret is neither searched nor logged, nor echoed: the page says why.
    let searched = help::search_logged(&state, &q, lang, 20, &visitor).await;
    let (hits, secret_refused) = match searched {
        Ok(h) => (h, false),
        Err(ApiError::SecretInQuery) => (Vec::new(), true),
        // The query comes back to copy (redacted), with how long to wait.
        Err(e) => return error_page_keeping(&state, lang, &csrf, &e, &q),
    };
    let c = Chrome::new(&state, lang, &csrf, "/help/search");
    // What the results page echoes and carries into the ticket form is redacted too.
    let shown_q = if secret_refused {
        String::new()
    } else {
        Redacted::new(&q).map_or_else(|_| String::new(), |(r, _)| r.into_string())
    };
    let page = SearchPage {
        secret_refused,
        heading: if secret_refused {
            c.t.get("help.secret_refused.title")
        } else if shown_q.trim().is_empty() {
            // Nothing was asked (an empty box sent): no “” to show.
            c.t.get("help.search_empty")
        } else {
            c.t.fmt1("help.results_for", "q", &shown_q)
        },
        contact_url: contact_url(&shown_q),
        results: hits
            .into_iter()
            .map(|h| Result_ {
                url: help::article_url(&h.slug, h.lang),
                title: h.title,
                snippet_html: h.snippet_html,
            })
            .collect(),
        q: shown_q,
        c,
    };
    with_cookie(render(StatusCode::OK, &page), set)
}

fn with_cookie(mut resp: Response, set: Option<axum::http::HeaderValue>) -> Response {
    if let Some(v) = set {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::ZhCn,
        Lang::ZhCn => Lang::En,
    }
}

async fn published(state: &AppState, slug: &str, lang: Lang) -> Option<Article> {
    state
        .store
        .article_by_slug(slug, lang)
        .await
        .ok()
        .filter(|a| a.status == store::ArticleStatus::Published)
}

/// `GET /help/{slug}`: the article in the viewer's language, else the other one with a notice.
pub(crate) async fn article(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: crate::client::Client,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if !kb::is_slug(&slug) {
        return error_page(&state, lang, &csrf, &ApiError::NotFound);
    }
    let (a, fallback) = match published(&state, &slug, lang).await {
        Some(a) => (a, false),
        None => match published(&state, &slug, other(lang)).await {
            Some(a) => (a, true),
            None => return error_page(&state, lang, &csrf, &ApiError::NotFound),
        },
    };
    let translation = if fallback {
        None
    } else {
        published(&state, &slug, other(lang)).await
    };
    if let Err(e) = state.store.record_article_view(a.id).await {
        tracing::warn!(error = %e, "article view not counted");
    }
    let (visitor, set) = help::visitor_or_new(&state, &headers);
    let kind = if params.get("from").is_some_and(|f| f == "ticket") {
        HelpEventKind::SuggestionOpened
    } else {
        HelpEventKind::ArticleOpened
    };
    // Opening an article is a cheap read, so the rate-limit layer lets it through; its event
    // spends the client's help-event budget here, and past it the article still shows, only
    // its event is not counted.
    if state.spend(crate::limit::Class::HelpEvent, &client).is_ok() {
        help::log_event(&state, &visitor, kind, Some(a.id)).await;
    }
    let related = related(&state, &a).await;
    let c = Chrome::new(&state, lang, &csrf, &format!("/help/{slug}"));
    let page = ArticlePage {
        slug: a.slug.clone(),
        lang_code: a.lang.as_str(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        category: category_label(&c.t, &a.category),
        body_html: kb::render_html(&a.body),
        fallback,
        translation_url: translation.map(|t| help::article_url(&t.slug, t.lang)),
        related,
        views: c.t.fmt1("help.views", "n", &(a.views + 1).to_string()),
        contact_url: contact_url(&a.title),
        thanks: params.contains_key("thanks"),
        c,
    };
    with_cookie(render(StatusCode::OK, &page), set)
}

/// Up to five published articles in the same language sharing the category or a topic.
async fn related(state: &AppState, a: &Article) -> Vec<Link> {
    let all = state
        .store
        .articles(Some(a.lang), true)
        .await
        .unwrap_or_default();
    let mut scored: Vec<(usize, &Article)> = all
        .iter()
        .filter(|o| o.id != a.id)
        .map(|o| {
            let topics = o.topics.iter().filter(|t| a.topics.contains(t)).count();
            (topics * 2 + usize::from(o.category == a.category), o)
        })
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by_key(|x| std::cmp::Reverse(x.0));
    scored.into_iter().take(5).map(|(_, o)| link(o)).collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct FeedbackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    helpful: String,
    #[serde(default)]
    comment: String,
}

/// `POST /help/{slug}/feedback`: "was this helpful?" with an optional comment, redacted.
pub(crate) async fn feedback(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(slug): Path<String>,
    Form(form): Form<FeedbackForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let article_lang = Lang::parse_loose(&form.lang).unwrap_or(lang);
        let a = published(&state, &slug, article_lang)
            .await
            .ok_or(ApiError::NotFound)?;
        let helpful = form.helpful == "yes";
        let comment = form.comment.trim();
        if comment.chars().count() > 2000 {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::CommentTooLong,
                "at most 2000 characters",
            ));
        }
        let comment = if comment.is_empty() {
            None
        } else {
            Some(
                Redacted::new(comment)
                    .map_err(|_| {
                        ApiError::bad_request(crate::error::ErrorCode::CommentTooLong, "too long")
                    })?
                    .0,
            )
        };
        state
            .store
            .record_article_feedback(a.id, helpful, comment, state.now())
            .await?;
        Ok::<ArticleId, ApiError>(a.id)
    }
    .await;
    match result {
        Ok(_) => {
            let back = Lang::parse_loose(&form.lang).unwrap_or(lang);
            let url = format!("{}&thanks=1#feedback", help::article_url(&slug, back));
            Redirect::to(&url).into_response()
        }
        Err(e) => error_page_keeping(&state, lang, &csrf, &e, &form.comment),
    }
}
