//! The agents' article editor: `/agent/help` (every article, drafts too), `/agent/help/new`,
//! `/agent/help/{id}/edit`, the live preview, publishing, and the versions of an article.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use domain::{AgentId, ArticleId, Lang};
use serde::Deserialize;
use store::{Article, ArticleDraft, ArticleStatus};

use super::category_label;
use crate::AppState;
use crate::auth::session::{AgentSession, Allowed, CanEditArticles, CanPublish};
use crate::error::ApiError;
use crate::help;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Debug)]
pub(crate) struct Row {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub lang: &'static str,
    pub category: String,
    pub status: String,
    pub published: bool,
    pub version: i64,
    pub views: i64,
    pub helpful: String,
}

#[derive(Template)]
#[template(path = "agent_help_list.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "agent_help_edit.html")]
struct EditPage<'a> {
    c: Chrome<'a>,
    id: Option<i64>,
    slug: String,
    lang: String,
    category: String,
    categories: Vec<(&'static str, String)>,
    topics: Vec<TopicChoice>,
    keywords: String,
    title: String,
    summary: String,
    body: String,
    preview_html: String,
    status: Option<String>,
    published: bool,
    translation: Option<String>,
    create_translation: Option<String>,
    error: Option<String>,
}

#[derive(Debug)]
pub(crate) struct VersionRow {
    pub version: i64,
    pub title: String,
    pub author: String,
    /// RFC 3339 (UTC); the page shows it in the viewer's time zone.
    pub at: String,
}

#[derive(Template)]
#[template(path = "agent_help_versions.html")]
struct VersionsPage<'a> {
    c: Chrome<'a>,
    id: i64,
    title: String,
    current: i64,
    versions: Vec<VersionRow>,
    /// The version being viewed: (number, rendered body).
    viewing: Option<(i64, String)>,
}

fn chrome<'a>(
    state: &'a AppState,
    lang: Lang,
    csrf: &CsrfToken,
    session: &AgentSession,
    path: &str,
) -> Chrome<'a> {
    let mut c = Chrome::new(state, lang, csrf, path);
    c.agent = Some(session.signed_in());
    c
}

fn parse_id(id: &str) -> Result<ArticleId, ApiError> {
    id.parse::<i64>()
        .map(ArticleId)
        .map_err(|_| ApiError::NotFound)
}

/// `GET /agent/help`.
pub(crate) async fn list(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanEditArticles>,
) -> Response {
    let articles = match state.store.articles(None, false).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let c = chrome(&state, lang, &csrf, &session, "/agent/help");
    let rows = articles
        .iter()
        .map(|a| Row {
            id: a.id.0,
            title: a.title.clone(),
            slug: a.slug.clone(),
            lang: a.lang.as_str(),
            category: category_label(&c.t, &a.category),
            status: c.t.get(&format!("help.agent.status.{}", a.status.as_str())),
            published: a.status == ArticleStatus::Published,
            version: a.version,
            views: a.views,
            helpful: format!("{} / {}", a.helpful_yes, a.helpful_no),
        })
        .collect();
    render(StatusCode::OK, &ListPage { c, rows })
}

fn categories(c: &Chrome<'_>) -> Vec<(&'static str, String)> {
    kb::CATEGORIES
        .iter()
        .map(|k| (*k, category_label(&c.t, k)))
        .collect()
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::ZhCn,
        Lang::ZhCn => Lang::En,
    }
}

async fn edit_page<'a>(state: &'a AppState, c: Chrome<'a>, a: &Article) -> EditPage<'a> {
    let translation = state
        .store
        .article_by_slug(&a.slug, other(a.lang))
        .await
        .ok();
    EditPage {
        id: Some(a.id.0),
        slug: a.slug.clone(),
        lang: a.lang.as_str().to_owned(),
        category: a.category.clone(),
        categories: categories(&c),
        topics: topic_choices(&c, &a.topics),
        keywords: a.keywords.join(", "),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        preview_html: kb::render_html(&a.body),
        status: Some(c.t.get(&format!("help.agent.status.{}", a.status.as_str()))),
        published: a.status == ArticleStatus::Published,
        create_translation: translation.is_none().then(|| {
            format!(
                "/agent/help/new?slug={}&lang={}&category={}",
                a.slug,
                other(a.lang).as_str(),
                a.category
            )
        }),
        translation: translation.map(|t| format!("/agent/help/{}/edit", t.id.0)),
        error: None,
        c,
    }
}

/// `GET /agent/help/new` (`?slug=&lang=&category=` to start a translation).
pub(crate) async fn new(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanEditArticles>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let c = chrome(&state, lang, &csrf, &session, "/agent/help/new");
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let article_lang = Lang::parse_loose(&get("lang")).unwrap_or(lang);
    let page = EditPage {
        id: None,
        slug: get("slug"),
        lang: article_lang.as_str().to_owned(),
        category: get("category"),
        categories: categories(&c),
        topics: topic_choices(&c, &[]),
        keywords: String::new(),
        title: String::new(),
        summary: String::new(),
        body: String::new(),
        preview_html: String::new(),
        status: None,
        published: false,
        translation: None,
        create_translation: None,
        error: None,
        c,
    };
    render(StatusCode::OK, &page)
}

/// `GET /agent/help/{id}/edit`.
pub(crate) async fn edit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanEditArticles>,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let a = match async { Ok::<_, ApiError>(state.store.article(parse_id(&id)?).await?) }.await {
        Ok(a) => a,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let c = chrome(
        &state,
        lang,
        &csrf,
        &session,
        &format!("/agent/help/{id}/edit"),
    )
    .with_done(&done);
    render(StatusCode::OK, &edit_page(&state, c, &a).await)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    /// The topic boxes, `topic_<key>` each, and anything else the form sends.
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl ArticleForm {
    /// The topics ticked, in the list's order (a key no box offers is kept as sent, after).
    fn topic_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .rest
            .keys()
            .filter_map(|k| k.strip_prefix("topic_"))
            .filter(|k| !k.is_empty() && k.len() <= 40)
            .map(str::to_owned)
            .collect();
        keys.sort_by_key(|k| {
            (
                assistant::Topic::ALL
                    .iter()
                    .position(|t| t.key() == k)
                    .unwrap_or(usize::MAX),
                k.clone(),
            )
        });
        keys
    }
}

/// One topic box of the editor: the assistant's topics, named in the reader's language.
struct TopicChoice {
    key: String,
    label: String,
    checked: bool,
}

/// Every topic the assistant knows, with the article's own ticked; a topic of the article's
/// that the assistant does not know (an imported file's) stays, ticked, under its key.
fn topic_choices(c: &Chrome<'_>, own: &[String]) -> Vec<TopicChoice> {
    let mut out: Vec<TopicChoice> = assistant::Topic::ALL
        .iter()
        .map(|t| TopicChoice {
            key: t.key().to_owned(),
            label: c.t.get(&format!("help.topic.{}", t.key())),
            checked: own.iter().any(|o| o == t.key()),
        })
        .collect();
    for o in own {
        if !out.iter().any(|t| &t.key == o) {
            out.push(TopicChoice {
                key: o.clone(),
                label: o.clone(),
                checked: true,
            });
        }
    }
    out
}

fn list_field(s: &str) -> Vec<String> {
    s.split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `POST /agent/help` (new) and `POST /agent/help/{id}/edit`: saves a new version.
pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanEditArticles>,
    id: Option<Path<String>>,
    Form(form): Form<ArticleForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let existing = match &id {
        Some(Path(id)) => {
            match async { Ok::<_, ApiError>(state.store.article(parse_id(id)?).await?) }.await {
                Ok(a) => Some(a),
                Err(e) => return error_page(&state, lang, &csrf, &e),
            }
        }
        None => None,
    };
    // An edit keeps the article's slug and language; they identify it.
    let (slug, article_lang) = match &existing {
        Some(a) => (a.slug.clone(), a.lang),
        None => (
            form.slug.trim().to_owned(),
            Lang::parse_loose(&form.lang).unwrap_or(lang),
        ),
    };
    let error = if !kb::is_slug(&slug) {
        Some("help.agent.bad_slug")
    } else if form.title.trim().is_empty()
        || form.body.trim().is_empty()
        || !kb::CATEGORIES.contains(&form.category.as_str())
    {
        Some("help.agent.missing")
    } else {
        None
    };
    if let Some(key) = error {
        let c = chrome(&state, lang, &csrf, &session, "/agent/help/new");
        let page = EditPage {
            id: existing.as_ref().map(|a| a.id.0),
            slug,
            lang: article_lang.as_str().to_owned(),
            category: form.category.clone(),
            categories: categories(&c),
            topics: topic_choices(&c, &form.topic_keys()),
            keywords: form.keywords.clone(),
            title: form.title.clone(),
            summary: form.summary.clone(),
            preview_html: kb::render_html(&form.body),
            body: form.body.clone(),
            status: None,
            published: false,
            translation: None,
            create_translation: None,
            error: Some(c.t.get(key)),
            c,
        };
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    // Agents paste too: the article's texts are redacted together (a phrase split between
    // the summary and the body is still a phrase) before they are stored, versioned or indexed.
    let Ok(joint) = domain::Redacted::joint(&[
        form.title.trim(),
        form.summary.trim(),
        &form.body,
        &form.keywords,
    ]) else {
        return error_page(&state, lang, &csrf, &ApiError::PayloadTooLarge);
    };
    let mut parts = joint.parts.into_iter();
    let (Some(title), Some(summary), Some(body), Some(keywords)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return error_page(&state, lang, &csrf, &ApiError::PayloadTooLarge);
    };
    let topics = form.topic_keys();
    let draft = ArticleDraft {
        slug,
        lang: article_lang,
        category: form.category,
        topics,
        keywords: list_field(keywords.as_str())
            .iter()
            .map(|k| domain::Redacted::clean(k))
            .collect(),
        title,
        summary,
        body,
        author: Some(session.agent.id),
        now: state.now(),
    };
    let result = async {
        let a = state.store.save_article(draft).await?;
        help::reindex_one(&state, &a).await?;
        Ok::<_, ApiError>(a)
    }
    .await;
    match result {
        Ok(a) => {
            tracing::info!(article.id = a.id.0, version = a.version, "article saved");
            see_other(&format!("/agent/help/{}/edit", a.id.0), "article_saved")
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn set_status(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    form: &CsrfForm,
    id: &str,
    status: ArticleStatus,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        help::set_status(state, parse_id(id)?, status).await
    }
    .await;
    match result {
        Ok(a) => see_other(
            &format!("/agent/help/{}/edit", a.id.0),
            match status {
                ArticleStatus::Published => "article_published",
                ArticleStatus::Draft => "article_unpublished",
            },
        ),
        Err(e) => error_page(state, lang, csrf, &e),
    }
}

/// `POST /agent/help/{id}/publish`: readers see it and search finds it.
pub(crate) async fn publish(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    _session: Allowed<CanPublish>,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    set_status(&state, lang, &csrf, &form, &id, ArticleStatus::Published).await
}

/// `POST /agent/help/{id}/unpublish`: back to a draft, out of the index.
pub(crate) async fn unpublish(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    _session: Allowed<CanPublish>,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    set_status(&state, lang, &csrf, &form, &id, ArticleStatus::Draft).await
}

/// `POST /agent/help/preview`: the Markdown body (form field `body`) as the page would show
/// it. CSRF from the `csrf` field or the `x-csrf-token` header.
pub(crate) async fn preview(
    Extension(csrf): Extension<CsrfToken>,
    _session: Allowed<CanEditArticles>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .or_else(|| form.get("csrf").map(String::as_str))
        .unwrap_or_default();
    if let Err(e) = csrf.check(token) {
        return e.into_response();
    }
    let body = form.get("body").map(String::as_str).unwrap_or_default();
    Html(kb::render_html(body)).into_response()
}

/// `GET /agent/help/{id}/versions` (`?v=N` shows one).
pub(crate) async fn versions(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanEditArticles>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = async {
        let id = parse_id(&id)?;
        let a = state.store.article(id).await?;
        let versions = state.store.article_versions(id).await?;
        let mut names: HashMap<AgentId, String> = HashMap::new();
        for v in &versions {
            if let Some(author) = v.author
                && !names.contains_key(&author)
            {
                let name = state
                    .store
                    .agent(author)
                    .await
                    .map_or_else(|_| format!("#{}", author.0), |ag| ag.name);
                names.insert(author, name);
            }
        }
        Ok::<_, ApiError>((a, versions, names))
    }
    .await;
    let (a, versions, names) = match result {
        Ok(r) => r,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let c = chrome(
        &state,
        lang,
        &csrf,
        &session,
        &format!("/agent/help/{id}/versions"),
    );
    let wanted = q.get("v").and_then(|v| v.parse::<i64>().ok());
    let viewing = wanted.and_then(|n| {
        versions
            .iter()
            .find(|v| v.version == n)
            .map(|v| (n, kb::render_html(&v.body)))
    });
    let page = VersionsPage {
        id: a.id.0,
        title: a.title.clone(),
        current: a.version,
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                title: v.title.clone(),
                author: v
                    .author
                    .and_then(|x| names.get(&x).cloned())
                    .unwrap_or_else(|| c.t.get("help.agent.no_author")),
                at: v.at.rfc3339(),
            })
            .collect(),
        viewing,
        c,
    };
    render(StatusCode::OK, &page)
}

#[derive(Debug, Deserialize)]
pub(crate) struct RestoreForm {
    #[serde(default)]
    csrf: String,
    /// Missing or malformed is answered after the CSRF check, never before it.
    #[serde(default)]
    version: String,
}

/// `POST /agent/help/{id}/restore`: an old version's content becomes the newest version.
pub(crate) async fn restore(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanPublish>,
    Path(id): Path<String>,
    Form(form): Form<RestoreForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let version: i64 = form
            .version
            .trim()
            .parse()
            .map_err(|_| ApiError::NotFound)?;
        let a = state
            .store
            .restore_article_version(parse_id(&id)?, version, Some(session.agent.id), state.now())
            .await?;
        help::reindex_one(&state, &a).await?;
        Ok::<_, ApiError>(a)
    }
    .await;
    match result {
        Ok(a) => see_other(&format!("/agent/help/{}/edit", a.id.0), "article_restored"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
