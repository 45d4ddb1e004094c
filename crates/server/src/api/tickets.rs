//! `POST /api/v1/tickets`: a wallet user (or an integration) opens a ticket.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use domain::TicketDraft;
use serde::Serialize;

use crate::AppState;
use crate::error::ApiError;
use crate::tickets;

#[derive(Debug, Serialize)]
pub(crate) struct CreatedTicket {
    id: domain::TicketId,
    access_url: String,
    status: domain::Status,
    priority: domain::Priority,
    secret_exposed: bool,
    /// How many secrets were removed from what was sent.
    secrets_removed: usize,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<Json<TicketDraft>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedTicket>), ApiError> {
    let Json(draft) = body.map_err(|e| ApiError::bad_request("invalid_json", e.body_text()))?;
    let created = tickets::create(&state, &draft, &[], &addr.ip().to_string()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicket {
            id: created.ticket.id,
            access_url: created.access_url,
            status: created.ticket.status,
            priority: created.ticket.priority,
            secret_exposed: created.ticket.secret_exposed,
            secrets_removed: created.secrets_removed,
        }),
    ))
}
