//! `POST /api/v1/tickets`: a wallet user (or an integration) opens a ticket.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::api::dto::{CreatedTicketOut, ErrorOut, NewTicketIn};
use crate::error::ApiError;
use crate::idempotency::ReplayLink;
use crate::tickets;

/// Open a ticket (no authentication: this is the wallet user's door).
#[utoipa::path(
    post,
    path = "/api/v1/tickets",
    tag = "tickets",
    request_body = NewTicketIn,
    params(crate::api::dto::IdempotencyKey),
    responses(
        (status = 201, description = "Created (or, with an `Idempotency-Key` sent before by this caller with the same body, the first answer again, with `Idempotent-Replayed: true`)", body = CreatedTicketOut),
        (status = 400, description = "Not JSON (`invalid_json`), or a malformed key (`idempotency_key_invalid`)", body = ErrorOut),
        (status = 409, description = "The first request with this `Idempotency-Key` is still being answered (`idempotency_key_in_flight`)", body = ErrorOut),
        (status = 422, description = "Invalid fields (`invalid_fields`), or the `Idempotency-Key` was used with a different body (`idempotency_key_reused`)", body = ErrorOut),
        (status = 429, description = "Too many tickets (`rate_limited`, with `Retry-After`)", body = ErrorOut),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let input: NewTicketIn = crate::api::object_body(body)?;
    let draft = domain::TicketDraft::from(input);
    let created = tickets::create_via(&state, &draft, &[], domain::Channel::Api).await?;
    // The answer holds the access link: a replay rebuilds it from the seed, never stores it.
    let link = ReplayLink {
        token: created.token.clone(),
        seed: created.seed.clone(),
    };
    let mut resp = (
        StatusCode::CREATED,
        Json(CreatedTicketOut {
            id: created.ticket.id.0,
            access_url: created.access_url,
            status: created.ticket.status.as_str().to_owned(),
            priority: created.ticket.priority.as_str().to_owned(),
            secret_exposed: created.ticket.secret_exposed,
            secrets_removed: created.secrets_removed,
        }),
    )
        .into_response();
    resp.extensions_mut().insert(link);
    Ok(resp)
}
