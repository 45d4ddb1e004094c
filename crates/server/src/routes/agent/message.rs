//! `POST /agent/tickets/{id}/messages`: a public reply (mailed to the requester) or an
//! internal note (never shown or sent to the user), through [`tickets::agent_message`] like the
//! API's.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::{MessageKind, TicketId};
use serde::Deserialize;

use super::session::AgentSession;
use super::ticket::{Refused, TicketQueryString};
use crate::AppState;
use crate::error::ApiError;
use crate::tickets::{self, Via};
use crate::web::{CsrfToken, ViewerLang, echo_text, error_page_keeping, see_other};

#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

/// What the ticket page's and the workspace's reply forms both do: the CSRF token, the kind,
/// the permission for a public reply, then [`tickets::agent_message`].
///
/// # Errors
/// A bad token or kind, no permission, and whatever `agent_message` refuses.
pub(crate) async fn post_agent_message(
    state: &AppState,
    csrf: &CsrfToken,
    session: &AgentSession,
    id: &str,
    submitted_csrf: &str,
    kind: &str,
    body: &str,
) -> Result<(TicketId, MessageKind), ApiError> {
    csrf.check(submitted_csrf)?;
    let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
    let kind = MessageKind::parse(kind).map_err(|_| {
        ApiError::bad_request(crate::error::ErrorCode::BadKind, "kind is public or note")
    })?;
    if kind == MessageKind::Public {
        session.require(domain::Permission::ReplyPublicly)?;
    }
    tickets::agent_message(state, id, session.agent.id, kind, body, Via::Page).await?;
    Ok((id, kind))
}

/// The notice (`?done=`) after a message of this kind.
pub(crate) fn done_for(kind: MessageKind) -> &'static str {
    if kind == MessageKind::Note {
        "note"
    } else {
        "agent_replied"
    }
}

pub(crate) async fn post(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
    Form(form): Form<MessageForm>,
) -> Response {
    let result = post_agent_message(
        &state, &csrf, &session, &id, &form.csrf, &form.kind, &form.body,
    )
    .await;
    match result {
        // Post/redirect/get: a reload shows the ticket, it does not post the reply again.
        Ok((id, kind)) => see_other(&format!("/agent/tickets/{id}"), done_for(kind)),
        Err(ApiError::Invalid(errors)) => {
            let refused = Refused {
                draft: echo_text(&form.body),
                errors,
            };
            let q = TicketQueryString::default();
            super::ticket::page(&state, lang, &csrf, &session, &id, &q, Some(refused)).await
        }
        Err(e) => error_page_keeping(&state, lang, &csrf, &e, &form.body),
    }
}
