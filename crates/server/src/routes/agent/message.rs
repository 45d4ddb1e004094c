//! `POST /agent/tickets/{id}/messages`: a public reply (mailed to the requester) or an
//! internal note (never shown or sent to the user), through [`tickets::agent_message`] like the
//! API's.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::{MessageKind, TicketId};
use serde::Deserialize;

use super::session::AgentSession;
use crate::AppState;
use crate::error::ApiError;
use crate::tickets::{self, Via};
use crate::web::{CsrfToken, ViewerLang, error_page};

#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn post(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
    Form(form): Form<MessageForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let kind = MessageKind::parse(&form.kind).map_err(|_| {
            ApiError::bad_request(crate::error::ErrorCode::BadKind, "kind is public or note")
        })?;
        tickets::agent_message(&state, id, session.agent.id, kind, &form.body, Via::Page).await?;
        Ok(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/agent/tickets/{id}")).into_response(),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
