//! `POST /api/v1/tickets/{id}/messages`: an agent's public reply or internal note, through
//! [`tickets::agent_message`] exactly as from the agent ticket page.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::{FieldError, MessageKind};

use crate::AppState;
use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, MessageOut, ReplyIn};
use crate::error::ApiError;
use crate::tickets::{self, Via};

fn field(code: &str, field: &'static str) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        field,
        code: code.to_owned(),
        found: None,
        detail: None,
    }])
}

/// Reply to the user, or add a note only agents see. The text is redacted before it is kept.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/messages",
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket number"), crate::api::dto::IdempotencyKey),
    request_body = ReplyIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added (or the first answer again for a repeated `Idempotency-Key`, with `Idempotent-Replayed: true`)", body = MessageOut),
        (status = 400, description = "`invalid_json` or `idempotency_key_invalid`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden`: a restricted agent's token replies publicly", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 409, description = "`ticket_closed` (a public reply to a closed ticket; a note is still possible) or `idempotency_key_in_flight`", body = ErrorOut),
        (status = 422, description = "`invalid_fields` or `idempotency_key_reused`", body = ErrorOut),
        (status = 429, description = "`rate_limited`: more requests than `[limits] api_per_token` for this token or `api_per_client` for this client in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn reply(
    State(state): State<AppState>,
    caller: ApiAgent,
    Path(id): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<(StatusCode, Json<MessageOut>), ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let input: ReplyIn = crate::api::object_body(body)?;
    let kind = match input.kind.as_deref().unwrap_or("public") {
        "public" => MessageKind::Public,
        "note" => MessageKind::Note,
        _ => return Err(field("unknown_kind", "kind")),
    };
    if kind == MessageKind::Public {
        caller.require(domain::Permission::ReplyPublicly)?;
    }
    let message =
        tickets::agent_message(&state, id, caller.0.id, kind, &input.body, Via::Api).await?;
    Ok((StatusCode::CREATED, Json(MessageOut::from(message))))
}
