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
        ))
    }
    .await;
    let (counts, agents) = match loaded {
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
        },
    )
}
