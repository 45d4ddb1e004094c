//! `GET /agent/help/analytics`: what people search for, what they do not find, what they still
//! write in about, how often the ticket form's suggestions deflect a ticket, and how live
//! chats went (`chat::report`).

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Timestamp;
use store::{DeflectionReport, QueryCount};

use crate::AppState;
use crate::routes::agent::session::AgentSession;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

#[derive(Template)]
#[template(path = "agent_help_analytics.html")]
struct AnalyticsPage<'a> {
    c: Chrome<'a>,
    searches: u64,
    tables: Vec<(String, Vec<QueryCount>)>,
    deflection: DeflectionReport,
    rate: String,
    chats: crate::chat::report::ChatReport,
    /// The report's times, worded: (median, 90th percentile), or `—`.
    chat_wait: (String, String),
    chat_first_response: (String, String),
}

/// The most chats the report reads (newest first): far more than a month holds at any desk
/// this serves.
const CHAT_REPORT_ROWS: u32 = 100_000;

/// The deflection rate as a percentage with one decimal, `—` when nothing was shown.
pub(crate) fn rate(d: &DeflectionReport) -> String {
    if d.shown == 0 {
        return "—".to_owned();
    }
    let tenths = d.deflected * 1000 / d.shown;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
) -> Response {
    let since = Timestamp(state.now().0 - 30 * Timestamp::DAY);
    // Searches that have answered may still be queued for the log: the report must see them.
    state.search_log.flush().await;
    let result = async {
        let search = state.store.search_report(since, 20).await?;
        let deflection = state.store.deflection_report(since).await?;
        let chats = state.store.chat_times(since, CHAT_REPORT_ROWS).await?;
        Ok::<_, crate::error::ApiError>((search, deflection, chats))
    }
    .await;
    let (search, deflection, chats) = match result {
        Ok(r) => r,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let mut c = Chrome::new(&state, lang, &csrf, "/agent/help/analytics");
    c.agent = Some(session.signed_in());
    let rate = rate(&deflection);
    let chats = crate::chat::report::report(&chats);
    let worded = |t: Option<(u64, u64)>| match t {
        Some((p50, p90)) => (c.t.wait(p50), c.t.wait(p90)),
        None => ("—".to_owned(), "—".to_owned()),
    };
    let chat_wait = worded(chats.wait);
    let chat_first_response = worded(chats.first_response);
    render(
        StatusCode::OK,
        &AnalyticsPage {
            searches: search.searches,
            tables: vec![
                (c.t.get("help.analytics.top"), search.top),
                (c.t.get("help.analytics.no_results"), search.no_results),
                (c.t.get("help.analytics.then_ticket"), search.then_ticket),
            ],
            c,
            deflection,
            rate,
            chats,
            chat_wait,
            chat_first_response,
        },
    )
}
