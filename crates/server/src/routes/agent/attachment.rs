//! `GET /agent/tickets/{id}/attachments/{attachment}`: a screenshot of this ticket for a
//! signed-in agent. A merge moves the source ticket's screenshots to the target
//! (`Store::merge_tickets`), so they are listed and served under the target; a link saved from
//! the source ticket's page still opens them.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::{AttachmentId, TicketId};

use super::session::AgentSession;
use crate::AppState;
use crate::attachments;
use crate::error::ApiError;

pub(crate) async fn show(
    State(state): State<AppState>,
    _session: AgentSession,
    Path((id, attachment)): Path<(String, String)>,
) -> Response {
    let result = async {
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let attachment: AttachmentId = attachment.parse().map_err(|_| ApiError::NotFound)?;
        let a = state.store.attachment(attachment).await?;
        if a.ticket_id != id && state.store.ticket(id).await?.merged_into != Some(a.ticket_id) {
            return Err(ApiError::NotFound);
        }
        Ok(a)
    }
    .await;
    match result {
        Ok(a) => attachments::serve_attachment(&state, &a).await,
        Err(e) => e.into_response(),
    }
}
