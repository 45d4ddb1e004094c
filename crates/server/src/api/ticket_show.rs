//! `GET /api/v1/tickets/{id}`: a ticket and its whole conversation, notes included (API tokens
//! belong to agents).

use axum::Json;
use axum::extract::{Path, State};

use crate::AppState;
use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, MessageOut, TicketDetailOut, TicketOut};
use crate::error::ApiError;

/// A ticket with its messages and notes.
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket", body = TicketDetailOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 429, description = "`rate_limited`: more requests than `[limits] api_per_token` for this token or `api_per_client` for this client in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    _agent: ApiAgent,
    Path(id): Path<String>,
) -> Result<Json<TicketDetailOut>, ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let ticket = state.store.ticket(id).await?;
    let messages = state.store.messages(id, true).await?;
    Ok(Json(TicketDetailOut {
        ticket: TicketOut::from(ticket),
        messages: messages.into_iter().map(MessageOut::from).collect(),
    }))
}
