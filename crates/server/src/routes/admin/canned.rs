//! `/admin/canned`: canned replies agents insert into an answer. Their variables are filled in
//! when used: `{{requester_email}}`, `{{ticket_id}}`, `{{agent_name}}`, `{{subject}}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::{CannedReplyId, Lang};
use serde::Deserialize;
use store::{Agent, CannedReply};

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

pub(crate) const VARIABLES: &[&str] = &[
    "{{requester_email}}",
    "{{ticket_id}}",
    "{{agent_name}}",
    "{{subject}}",
];
pub(crate) const MAX_TITLE_CHARS: usize = 100;
pub(crate) const MAX_BODY_CHARS: usize = 10_000;

#[derive(Debug)]
pub(crate) struct ReplyRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub lang: &'static str,
}

#[derive(Template)]
#[template(path = "admin_canned.html")]
struct CannedPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    replies: Vec<ReplyRow>,
    /// The reply being edited (`?edit=id`), or a blank one.
    editing: ReplyRow,
    variables: &'static [&'static str],
}

fn row(r: CannedReply) -> ReplyRow {
    ReplyRow {
        id: r.id.0,
        title: r.title,
        body: r.body,
        lang: r.lang.as_str(),
    }
}

async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
    edit: Option<i64>,
) -> Response {
    let replies = match state.store.canned_replies().await {
        Ok(r) => r,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    let replies: Vec<ReplyRow> = replies.into_iter().map(row).collect();
    let editing = edit
        .and_then(|id| replies.iter().find(|r| r.id == id))
        .map_or(
            ReplyRow {
                id: 0,
                title: String::new(),
                body: String::new(),
                lang: lang.as_str(),
            },
            |r| ReplyRow {
                id: r.id,
                title: r.title.clone(),
                body: r.body.clone(),
                lang: r.lang,
            },
        );
    render(
        StatusCode::OK,
        &CannedPage {
            c: chrome(state, lang, csrf, "/admin/canned", me),
            flash,
            replies,
            editing,
            variables: VARIABLES,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct EditQuery {
    edit: Option<i64>,
    #[serde(default)]
    done: String,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(q): Query<EditQuery>,
) -> Response {
    let flash = Flash::done(&state, lang, &Done { done: q.done });
    page(&state, lang, &csrf, &me, flash, q.edit).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct SaveForm {
    #[serde(default)]
    csrf: String,
    /// Empty for a new reply.
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    lang: String,
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<SaveForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let title = form.title.trim();
    let body = form.body.trim();
    let id = match form.id.trim() {
        "" | "0" => None,
        s => match s.parse::<CannedReplyId>() {
            Ok(id) => Some(id),
            Err(_) => return error_page(&state, lang, &csrf, &ApiError::NotFound),
        },
    };
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        let flash = Flash::error(t.get("admin.canned.error.title"));
        return page(&state, lang, &csrf, &me, flash, id.map(|i| i.0)).await;
    }
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        let flash = Flash::error(t.get("admin.canned.error.body"));
        return page(&state, lang, &csrf, &me, flash, id.map(|i| i.0)).await;
    }
    let reply_lang = Lang::parse_loose(&form.lang).unwrap_or(lang);
    // Redacted together: a phrase split between the title and the body is still a phrase.
    let Ok(domain::Joint { parts, .. }) = domain::Redacted::joint(&[title, body]) else {
        return error_page(&state, lang, &csrf, &ApiError::PayloadTooLarge);
    };
    let mut parts = parts.into_iter();
    let (Some(title), Some(body)) = (parts.next(), parts.next()) else {
        return error_page(&state, lang, &csrf, &ApiError::PayloadTooLarge);
    };
    let saved = async {
        let r = state
            .store
            .save_canned_reply(id, title, body, reply_lang)
            .await?;
        state
            .store
            .audit(
                Some(me.id),
                if id.is_some() {
                    "canned.update"
                } else {
                    "canned.create"
                },
                Some(&r.id.to_string()),
                &domain::Redacted::clean(&r.title),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match saved {
        Ok(()) => see_other("/admin/canned", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let done = async {
        let id: CannedReplyId = id.parse().map_err(|_| ApiError::NotFound)?;
        state.store.delete_canned_reply(id).await?;
        state
            .store
            .audit(
                Some(me.id),
                "canned.delete",
                Some(&id.to_string()),
                &domain::Redacted::clean(""),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match done {
        Ok(()) => see_other("/admin/canned", "deleted"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
