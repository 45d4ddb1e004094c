//! `GET /agent/chats`: where the first, minimal agents' chat page was. Chats now live in the
//! workspace (`/agent/desk`, its "Waiting chats" view and the live conversation in its pane);
//! old links and bookmarks land there.

use axum::response::{IntoResponse, Redirect, Response};

use super::session::AgentSession;

/// The workspace's waiting chats.
pub(crate) const CHATS_VIEW: &str = "/agent/desk?view=chats";

pub(crate) async fn show(_session: AgentSession) -> Response {
    Redirect::to(CHATS_VIEW).into_response()
}
