//! `/admin`: the desk at a glance and the way to each admin page.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use store::ViewCounts;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

#[derive(Template)]
#[template(path = "admin_overview.html")]
struct OverviewPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    counts: ViewCounts,
    agents: u64,
    /// The assistant's article embeddings (`article_vectors`), already worded.
    vectors: String,
    /// Mails that failed for good (`/admin/mail`): a warning when there are any.
    mail_failed: u64,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
) -> Response {
    let now = state.now();
    let loaded = async {
        Ok::<_, store::StoreError>((
            state.store.view_counts(me.id, now).await?,
            state.store.count_agents().await?,
            state.store.mail_counts().await?.failed,
        ))
    }
    .await;
    let (counts, agents, mail_failed) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    render(
        StatusCode::OK,
        &OverviewPage {
            c: chrome(&state, lang, &csrf, "/admin", &me),
            flash: Flash::default(),
            counts,
            agents,
            vectors: vectors_line(&state, lang),
            mail_failed,
        },
    )
}

/// "40/68, embedding…", "68/68: hybrid retrieval", "failed (timeout) …", or "not configured".
fn vectors_line(state: &AppState, lang: domain::Lang) -> String {
    use crate::article_vectors::Phase;
    let p = state.assistant.vectors.progress();
    let key = match p.phase {
        Phase::Off => return state.i18n.get(lang, "admin.overview.vectors.off"),
        Phase::Running => "admin.overview.vectors.running",
        Phase::Ready => "admin.overview.vectors.ready",
        Phase::Failed => "admin.overview.vectors.failed",
    };
    let error = p.error.map_or_else(String::new, |kind| {
        let k = format!("admin.overview.vectors.error.{kind}");
        if state.i18n.has(&k) {
            state.i18n.get(lang, &k)
        } else {
            kind
        }
    });
    state.i18n.format(
        lang,
        key,
        &[
            ("done", &p.done.to_string()),
            ("total", &p.total.to_string()),
            ("error", &error),
        ],
    )
}
