//! `/admin/audit`: who did what, newest first, a page at a time.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

pub(crate) const PER_PAGE: u32 = 50;

#[derive(Debug)]
pub(crate) struct EntryRow {
    pub at: String,
    pub actor: String,
    /// The action's label in the page's language.
    pub action: String,
    /// Its code as recorded (`sign_in.failed`), for searching and for the API.
    pub code: String,
    pub target: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    entries: Vec<EntryRow>,
    page: u32,
    has_next: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<u32>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(q): Query<PageQuery>,
) -> Response {
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let loaded = async {
        let entries = state
            .store
            .audit_log(PER_PAGE + 1, (page - 1) * PER_PAGE)
            .await?;
        let agents = state.store.agents().await?;
        Ok::<_, store::StoreError>((entries, agents))
    }
    .await;
    let (mut entries, agents) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let has_next = entries.len() > PER_PAGE as usize;
    entries.truncate(PER_PAGE as usize);
    let c = chrome(&state, lang, &csrf, "/admin/audit", &me);
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            at: e.at.rfc3339(),
            actor: match e.actor {
                Some(id) => agents
                    .iter()
                    .find(|a| a.id == id)
                    .map_or_else(|| format!("#{id}"), |a| a.name.clone()),
                None => c.t.get("admin.audit.system"),
            },
            action: super::audit_text::action(&c.t, &e.action),
            detail: super::audit_text::detail(&c.t, &e.detail),
            code: e.action,
            target: e.target.unwrap_or_default(),
        })
        .collect();
    render(
        StatusCode::OK,
        &AuditPage {
            c,
            flash: Flash::default(),
            entries: rows,
            page,
            has_next,
        },
    )
}
