//! `POST /api/v1/tickets`: a wallet user (or an integration) opens a ticket.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;

use crate::AppState;
use crate::api::dto::{CreatedTicketOut, ErrorOut, NewTicketIn};
use crate::error::ApiError;
use crate::tickets;

/// Open a ticket (no authentication: this is the wallet user's door).
#[utoipa::path(
    post,
    path = "/api/v1/tickets",
    tag = "tickets",
    request_body = NewTicketIn,
    responses(
        (status = 201, description = "Created", body = CreatedTicketOut),
        (status = 400, description = "Not JSON (`invalid_json`)", body = ErrorOut),
        (status = 422, description = "Invalid fields (`invalid_fields`)", body = ErrorOut),
        (status = 429, description = "Too many tickets (`rate_limited`)", body = ErrorOut),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<Json<NewTicketIn>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedTicketOut>), ApiError> {
    let Json(input) = body.map_err(|e| crate::api::json_rejection(&e))?;
    let draft = domain::TicketDraft::from(input);
    let created = tickets::create(&state, &draft, &[], &addr.ip().to_string()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicketOut {
            id: created.ticket.id.0,
            access_url: created.access_url,
            status: created.ticket.status.as_str().to_owned(),
            priority: created.ticket.priority.as_str().to_owned(),
            secret_exposed: created.ticket.secret_exposed,
            secrets_removed: created.secrets_removed,
        }),
    ))
}
