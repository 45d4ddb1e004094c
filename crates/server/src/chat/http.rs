//! The chat's HTTP side: the REST contract (start a conversation, read its transcript) and the
//! fallback transport for clients that cannot keep a WebSocket — the same frames as Server-Sent
//! Events down (`GET …/events`) and `POST …/frames` up.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use store::Ticket;
use tokio::sync::broadcast::error::RecvError;
use utoipa::ToSchema;

use super::conn::{Conn, Peer};
use super::protocol::{Out, WireMessage};
use super::ws::TokenQuery;
use crate::AppState;
use crate::api::dto::ErrorOut;
use crate::error::ApiError;

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::api::bearer::bearer_token)
}

/// The chat `id` whose token the request carries (bearer header, or `?token=` where a header
/// cannot be set: `EventSource`).
pub(crate) async fn authorised(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<Ticket, ApiError> {
    let token = bearer(headers).or(query).ok_or(ApiError::Unauthenticated)?;
    let ticket = super::by_token(state, token).await?;
    if id.parse::<i64>().ok() != Some(ticket.id.0) {
        return Err(ApiError::NotFound);
    }
    Ok(ticket)
}

/// A new chat.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartIn {
    /// `en` or `zh-CN`: the language of the assistant's answers and the desk's notices.
    #[serde(default)]
    #[schema(pattern = "^(en|zh-CN)$")]
    pub lang: Option<String>,
}

/// A chat, started.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StartedOut {
    /// The conversation's number (also its ticket number).
    pub id: i64,
    /// The conversation's secret: a bearer token for its transcript, the `token` of its
    /// WebSocket, and the `/t/<token>` page of its ticket. Shown once; keep it.
    pub token: String,
    /// Where to open the WebSocket (the token is in it).
    pub ws_url: String,
    /// The fallback: Server-Sent Events of the same frames (the token is in it).
    pub events_url: String,
    /// The fallback: `POST` a client frame here with the bearer token.
    pub frames_url: String,
    /// The transcript's page for people (`/t/<token>`).
    pub transcript_url: String,
}

/// A chat's transcript.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TranscriptOut {
    pub id: i64,
    /// `en` or `zh-CN`.
    pub lang: String,
    /// `assistant`, `queued`, `agent` or `ended`.
    pub state: String,
    /// The ticket's status (`new`, `open`, … `solved`).
    pub status: String,
    /// A secret was removed from something the user sent.
    pub secret_exposed: bool,
    #[schema(value_type = Vec<Object>)]
    pub messages: Vec<WireMessage>,
}

/// Starts a live chat: the assistant answers first, a person on request.
#[utoipa::path(
    post,
    path = "/api/v1/chat/conversations",
    tag = "chat",
    request_body = StartIn,
    responses(
        (status = 201, description = "Started; open `ws_url` (protocol: docs/CHAT-PROTOCOL.md)", body = StartedOut),
        (status = 400, description = "`invalid_json` or `unsupported_lang`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn start(
    State(state): State<AppState>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let input: StartIn = crate::api::object_body(body)?;
    let lang = crate::api::lang_param(input.lang.as_deref(), domain::Lang::En)?;
    let started = super::start(&state, lang).await?;
    let base = state.config.effective_public_url();
    let ws_base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        base.clone()
    };
    let id = started.ticket.id.0;
    let token = started.token;
    Ok((
        StatusCode::CREATED,
        Json(StartedOut {
            id,
            ws_url: format!("{ws_base}/api/v1/chat/conversations/{id}/ws?token={token}"),
            events_url: format!("{base}/api/v1/chat/conversations/{id}/events?token={token}"),
            frames_url: format!("{base}/api/v1/chat/conversations/{id}/frames"),
            transcript_url: format!("{base}/t/{token}"),
            token,
        }),
    )
        .into_response())
}

/// A chat's transcript, for the holder of its token.
#[utoipa::path(
    get,
    path = "/api/v1/chat/conversations/{id}",
    tag = "chat",
    params(("id" = i64, Path, description = "The conversation's number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The transcript, oldest first", body = TranscriptOut),
        (status = 401, description = "`unauthenticated`: no token", body = ErrorOut),
        (status = 404, description = "`not_found`: no such chat, or not this token's", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn transcript(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<TranscriptOut>, ApiError> {
    let ticket = authorised(&state, &id, &headers, None).await?;
    let conv = state.store.conversation(ticket.id).await?;
    let messages = super::history(&state, ticket.id, None).await?;
    Ok(Json(TranscriptOut {
        id: ticket.id.0,
        lang: ticket.lang.as_str().to_owned(),
        state: conv.state.as_str().to_owned(),
        status: ticket.status.as_str().to_owned(),
        secret_exposed: ticket.secret_exposed,
        messages,
    }))
}

/// The fallback's downstream: the WebSocket's frames as Server-Sent Events (`data:` is the
/// frame's JSON), `hello` first.
#[utoipa::path(
    get,
    path = "/api/v1/chat/conversations/{id}/events",
    tag = "chat",
    params(
        ("id" = i64, Path, description = "The conversation's number"),
        ("token" = Option<String>, Query, description = "The token, where no header can be sent (EventSource)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`text/event-stream` of protocol frames"),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let ticket = authorised(&state, &id, &headers, q.token()).await?;
    let rx = state.events.subscribe();
    let mut conn = Conn::new(Peer::User(Box::new(ticket)));
    let hello = conn.hello(&state).await;
    let first = stream::once(async move { Ok(SseEvent::default().data(hello.to_json())) });
    let rest = stream::unfold((rx, conn), |(mut rx, mut conn)| async move {
        loop {
            let out = match rx.recv().await {
                Ok(e) => match conn.event(&e) {
                    Some(out) => out,
                    None => continue,
                },
                Err(RecvError::Lagged(_)) => Out::SyncNeeded,
                Err(RecvError::Closed) => return None,
            };
            return Some((Ok(SseEvent::default().data(out.to_json())), (rx, conn)));
        }
    });
    Ok(Sse::new(first.chain(rest))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(super::conn::HEARTBEAT_SECS))))
}

/// The fallback's upstream: one client frame; the answer is the frames it gets back directly
/// (`ack`, `history`, `queue`, `error`…); everything else arrives on the event stream.
#[utoipa::path(
    post,
    path = "/api/v1/chat/conversations/{id}/frames",
    tag = "chat",
    params(("id" = i64, Path, description = "The conversation's number")),
    security(("bearer" = [])),
    request_body(content = Object, description = "A client frame (docs/CHAT-PROTOCOL.md)"),
    responses(
        (status = 200, description = "The frames sent back, in order (an `error` frame for a malformed one)", body = Vec<Object>),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 413, description = "`payload_too_large`", body = ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorOut),
    )
)]
pub(crate) async fn frames(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    let ticket = authorised(&state, &id, &headers, None).await?;
    if body.len() > super::conn::MAX_FRAME_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    // No connection to keep a budget on: the conversation's own, in the shared limiter.
    state.limit("chat:frames", &ticket.id.to_string(), 120)?;
    let mut conn = Conn::new(Peer::User(Box::new(ticket)));
    let outs = conn
        .handle(&state, &body)
        .await
        .unwrap_or_else(|c| vec![Out::error("rate_limited", c.reason)]);
    Ok(Json(
        outs.iter()
            .map(|o| serde_json::to_value(o).unwrap_or_default())
            .collect(),
    ))
}
