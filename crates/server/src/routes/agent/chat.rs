//! `GET /agent/chats`: the minimal agents' chat page — the chats waiting for a person, and one
//! conversation at a time over the agent WebSocket (`static/agent-chat.js`). The full
//! workspace mounts chats through the ticket model (a chat is a ticket with channel chat);
//! this page stays the small, dependable way in.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::session::AgentSession;
use crate::AppState;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

/// A chat in the list.
#[derive(Debug)]
pub(crate) struct QueuedRow {
    pub id: i64,
    pub lang: &'static str,
    pub since: String,
}

#[derive(Template)]
#[template(path = "agent_chats.html")]
struct ChatsPage<'a> {
    c: Chrome<'a>,
    t: Tr<'a>,
    queue: Vec<QueuedRow>,
    strings: Vec<(&'static str, String)>,
}

const JS_STRINGS: &[&str] = &[
    "accept",
    "queued",
    "joined",
    "ended",
    "typing",
    "rated",
    "offline",
    "online",
    "conflict",
    "sender.user",
    "sender.assistant",
    "sender.system",
];

pub(crate) async fn show(
    State(state): State<AppState>,
    session: AgentSession,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let queue = match state.store.chat_queue().await {
        Ok(q) => q,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let mut c = Chrome::new(&state, lang, &csrf, "/agent/chats");
    c.agent = Some(session.signed_in());
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let strings = JS_STRINGS
        .iter()
        .map(|k| (*k, t.get(&format!("chat.agent.js.{k}"))))
        .collect();
    render(
        StatusCode::OK,
        &ChatsPage {
            c,
            t,
            queue: queue
                .into_iter()
                .map(|q| QueuedRow {
                    id: q.ticket_id.0,
                    lang: q.lang.as_str(),
                    since: q.queued_at.rfc3339(),
                })
                .collect(),
            strings,
        },
    )
}
