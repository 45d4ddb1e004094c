//! The workspace's chat and ticket hand-overs as JSON (issue 11): `POST
//! /api/v1/tickets/{id}/accept|decline|transfer|convert`, the same use cases as the workspace's
//! forms (`crate::desk`). For integrations with an API token (`Authorization: Bearer`), and for
//! the workspace's own script with the agent's session cookie and its CSRF token in the
//! `x-csrf-token` header (a cross-site page can send the cookie, never that header). The
//! OpenAPI document names the bearer token only; the session form is the workspace's.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use serde::Deserialize;
use store::Agent;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, TicketOut};
use crate::auth::session::AgentSession;
use crate::error::ApiError;
use crate::web::CsrfToken;

/// The header the workspace's script sends its CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// An agent who may change tickets: by API token, or by session plus the CSRF header.
#[derive(Debug)]
pub(crate) struct DeskAgent(pub(crate) Agent);

impl FromRequestParts<AppState> for DeskAgent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let agent = if parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            ApiAgent::from_request_parts(parts, state).await?.0
        } else {
            let s = AgentSession::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::Unauthenticated)?;
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            CsrfToken(s.session.csrf.clone()).check(sent)?;
            s.agent
        };
        if !agent
            .role
            .allows(domain::Permission::UpdateTickets, agent.can_publish)
        {
            return Err(ApiError::Forbidden);
        }
        Ok(DeskAgent(agent))
    }
}

/// `POST …/transfer`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferIn {
    /// The active agent who takes the ticket or chat.
    pub agent_id: i64,
    /// An internal note for them (redacted like any note); empty or absent for none.
    #[serde(default)]
    #[schema(max_length = 65536)]
    pub note: Option<String>,
}

/// The longest note the document allows (`max_length` on `TransferIn` and `ConvertIn`).
const NOTE_MAX_CHARS: usize = 65536;

/// The note as sent, or `422 invalid_fields` (`note`, `too_long`) past the documented length.
fn note_within_limit(note: Option<&str>) -> Result<&str, ApiError> {
    let note = note.unwrap_or_default();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(ApiError::Invalid(vec![domain::FieldError {
            field: "note",
            code: "too_long".into(),
            found: None,
            detail: None,
        }]));
    }
    Ok(note)
}

/// `POST …/convert`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConvertIn {
    /// An internal note on why (redacted like any note); empty or absent for none.
    #[serde(default)]
    #[schema(max_length = 65536)]
    pub note: Option<String>,
}

/// Accept a chat (offered to you or waiting) or take a ticket nobody has.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/accept",
    tag = "desk",
    params(("id" = i64, Path, description = "Ticket (or chat) number"), crate::api::dto::IdempotencyKey),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket, now yours", body = TicketOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden` (a restricted agent) or `csrf` (a session without the `x-csrf-token` header)", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 400, description = "`idempotency_key_invalid`", body = ErrorOut),
        (status = 409, description = "`conflict`: another agent has it, or the chat ended; or `idempotency_key_in_flight`", body = ErrorOut),
        (status = 422, description = "`idempotency_key_reused`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn accept(
    State(state): State<AppState>,
    DeskAgent(agent): DeskAgent,
    Path(id): Path<String>,
) -> Result<Json<TicketOut>, ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let t = crate::desk::accept(&state, id, agent.id).await?;
    Ok(Json(TicketOut::from(t)))
}

/// Decline a chat offered to you (it is offered to the next agent), or give back a ticket
/// assigned to you.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/decline",
    tag = "desk",
    params(("id" = i64, Path, description = "Ticket (or chat) number"), crate::api::dto::IdempotencyKey),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket", body = TicketOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden` or `csrf`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 400, description = "`idempotency_key_invalid`", body = ErrorOut),
        (status = 409, description = "`conflict`: not offered or assigned to you (an accepted chat is transferred instead); or `idempotency_key_in_flight`", body = ErrorOut),
        (status = 422, description = "`idempotency_key_reused`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn decline(
    State(state): State<AppState>,
    DeskAgent(agent): DeskAgent,
    Path(id): Path<String>,
) -> Result<Json<TicketOut>, ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let t = crate::desk::decline(&state, id, agent.id).await?;
    Ok(Json(TicketOut::from(t)))
}

/// Hand a ticket or a live chat to another agent, with an optional note for them. The chat's
/// user sees the new agent join.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/transfer",
    tag = "desk",
    params(("id" = i64, Path, description = "Ticket (or chat) number"), crate::api::dto::IdempotencyKey),
    request_body = TransferIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket, now theirs", body = TicketOut),
        (status = 400, description = "`invalid_json`, `bad_assignee` (no such active agent) or `idempotency_key_invalid`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden` or `csrf`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 409, description = "`conflict`: the chat changed meanwhile; or `idempotency_key_in_flight`", body = ErrorOut),
        (status = 422, description = "`invalid_fields` (the note is too long) or `idempotency_key_reused`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn transfer(
    State(state): State<AppState>,
    DeskAgent(agent): DeskAgent,
    Path(id): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<TicketOut>, ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let input: TransferIn = crate::api::object_body(body)?;
    let t = crate::desk::transfer(
        &state,
        id,
        agent.id,
        domain::AgentId(input.agent_id),
        note_within_limit(input.note.as_deref())?,
    )
    .await?;
    Ok(Json(TicketOut::from(t)))
}

/// Turn a chat into a follow-up ticket (its live part ends; the user is told it goes on at the
/// conversation's link), or reopen a ticket as yours.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/convert",
    tag = "desk",
    params(("id" = i64, Path, description = "Ticket (or chat) number"), crate::api::dto::IdempotencyKey),
    request_body(content = Option<ConvertIn>, description = "Optional: no body (or `{}`) for no note"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The follow-up ticket (status open)", body = TicketOut),
        (status = 400, description = "`invalid_json` or `idempotency_key_invalid`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden` or `csrf`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 409, description = "`ticket_closed` (a closed ticket cannot be followed up here) or `idempotency_key_in_flight`", body = ErrorOut),
        (status = 422, description = "`invalid_fields` (the note is too long) or `idempotency_key_reused`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn convert(
    State(state): State<AppState>,
    DeskAgent(agent): DeskAgent,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<TicketOut>, ApiError> {
    let id = crate::api::ticket_id(&id)?;
    // No body, or JSON `null`, is no note (the document marks the body optional).
    let input: ConvertIn = crate::api::optional_object_body(&body)?;
    let t = crate::desk::follow_up(
        &state,
        id,
        agent.id,
        note_within_limit(input.note.as_deref())?,
    )
    .await?;
    Ok(Json(TicketOut::from(t)))
}
