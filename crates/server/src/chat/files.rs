//! Screenshots in a chat. The protocol sends no file over the socket: a client uploads the
//! image over HTTP with the conversation's token (`POST …/attachments`, multipart field
//! `file`), gets its id, and names that id in the `message` frame that sends it. The upload
//! goes through the ticket form's pipeline (`attachments::read_form`: `images::clean` strips
//! the metadata before anything reaches the disk; same types, sizes and per-ticket quota, same
//! refusal codes), and is stored on the chat's ticket, so agents see it on the ticket too.
//!
//! An upload that no message names stays on the ticket, unlisted in the chat. Users fetch
//! their chat's screenshots with the token (`GET …/attachments/{attachment}`; `?token=` where
//! no header can be set, as an `<img>`); agents through the ticket's own attachment route.

use axum::Json;
use axum::extract::multipart::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::TicketId;
use store::ChatState;

use super::http::authorised;
use super::protocol::WireAttachment;
use super::ws::TokenQuery;
use crate::AppState;
use crate::api::dto::ErrorOut;
use crate::attachments::{self, Refused};
use crate::auth::session::AgentSession;
use crate::error::{ApiError, ErrorCode};
use crate::web::CsrfToken;

/// The multipart field that carries the image.
pub(crate) const FIELD: &str = "file";

/// Uploads a screenshot to a chat; send it with a `message` frame's `attachment`.
#[utoipa::path(
    post,
    path = "/api/v1/chat/conversations/{id}/attachments",
    tag = "chat",
    params(("id" = i64, Path, description = "The conversation's number")),
    security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "One image in the field `file`: PNG, JPEG or WebP, at most 10 MB. Its metadata (Exif, GPS, XMP, comments, ICC) is removed before it is stored."),
    responses(
        (status = 201, description = "Stored without its metadata; name `id` in a `message` frame's `attachment`", body = WireAttachment),
        (status = 400, description = "`bad_image` (not PNG/JPEG/WebP, damaged, over 10 MB, no file, more than one), `image_too_many_pixels`, `attachment_quota`, `bad_form`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`: no token", body = ErrorOut),
        (status = 404, description = "`not_found`: no such chat, or not this token's", body = ErrorOut),
        (status = 409, description = "`conflict`: the chat has ended", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let ticket = authorised(&state, &id, &headers, None).await?;
    store_upload(&state, &ticket, multipart).await
}

/// The same for an agent in a chat (`/agent/chat/conversations/{id}/attachments`): their
/// session cookie, and the CSRF token in the `x-csrf-token` header as the workspace's other
/// JSON calls send it.
pub(crate) async fn agent_upload(
    State(state): State<AppState>,
    session: AgentSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    CsrfToken(session.session.csrf.clone()).check(
        headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )?;
    let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
    let ticket = state.store.ticket(id).await?;
    if ticket.channel != domain::Channel::Chat {
        return Err(ApiError::NotFound);
    }
    store_upload(&state, &ticket, multipart).await
}

async fn store_upload(
    state: &AppState,
    ticket: &store::Ticket,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let multipart = multipart.map_err(|e| {
        ApiError::bad_request(
            ErrorCode::BadForm,
            format!(
                "send the image as multipart/form-data in the field `{FIELD}`: {}",
                e.body_text()
            ),
        )
    })?;
    if state.store.conversation(ticket.id).await?.state == ChatState::Ended {
        return Err(ApiError::Conflict("the chat has ended".into()));
    }
    let parts = attachments::read_form(multipart, FIELD).await?;
    if let Some(why) = parts.refused {
        return Err(why.error());
    }
    let upload = match parts.uploads.as_slice() {
        [one] => one.clone(),
        // None, or more than one: a chat message carries one screenshot.
        _ => return Err(Refused::BadFile.error()),
    };
    crate::tickets::attachment_quota(state, ticket.id, std::slice::from_ref(&upload)).await?;
    let stored = attachments::write_files(state, &[upload]).await?;
    let recorded = attachments::record(state, ticket.id, None, stored).await?;
    let a = recorded
        .first()
        .ok_or_else(|| ApiError::Internal("attachment not recorded".into()))?;
    Ok((StatusCode::CREATED, Json(WireAttachment::from_stored(a))).into_response())
}

/// A screenshot of this chat, for the holder of its token.
#[utoipa::path(
    get,
    path = "/api/v1/chat/conversations/{id}/attachments/{attachment}",
    tag = "chat",
    params(
        ("id" = i64, Path, description = "The conversation's number"),
        ("attachment" = i64, Path, description = "The screenshot's id (a message's `attachment.id`)"),
        ("token" = Option<String>, Query, description = "The token, where no header can be sent (an `<img>`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The image (its metadata removed), `Content-Type` from its bytes, `nosniff`"),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 404, description = "`not_found`: no such chat or screenshot, or another chat's", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    Path((id, attachment)): Path<(String, String)>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let ticket = authorised(&state, &id, &headers, q.token()).await?;
    attachments::serve_ticket_attachment(&state, ticket.id, &attachment).await
}
