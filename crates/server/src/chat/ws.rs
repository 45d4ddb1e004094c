//! The chat over a WebSocket: `GET /api/v1/chat/conversations/{id}/ws?token=…` for the wallet
//! user (the conversation's token; browsers cannot set headers on a WebSocket) and
//! `GET /agent/chat/ws` for agents (their session cookie).
//!
//! Both check the `Origin` header: a browser always sends it, so a page on another site cannot
//! open a socket with an agent's cookie (cross-site WebSocket hijacking; the WebSocket
//! equivalent of CSRF). Agents' sockets need it to be the desk's own; users' sockets accept the
//! desk's own or none (a native app sends none; the token is the credential there).
//!
//! A user's socket takes its conversation's events from `fanout.rs`, an agent's the node's
//! whole event bus. One task per connection reads frames and events; a second writes, from a bounded queue
//! ([`conn::SEND_QUEUE`]): when a slow reader lets it fill up, the connection is closed with
//! code 1013 rather than buffering without bound. Frames over [`conn::MAX_FRAME_BYTES`] end
//! the connection with 1009; malformed ones get an `error` frame.

use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::ORIGIN;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot};

use super::conn::{self, Close, Conn, Peer};
use super::fanout::{Next, Source};
use super::protocol::Out;
use crate::AppState;
use crate::auth::session::AgentSession;
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
pub(crate) struct TokenQuery {
    #[serde(default)]
    token: Option<String>,
}

impl TokenQuery {
    pub(crate) fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// The desk's own origin (`scheme://host[:port]`), from its public URL.
pub(crate) fn own_origin(state: &AppState) -> String {
    let url = state.config.effective_public_url();
    match url::Url::parse(&url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => url,
    }
}

/// Whether `origin` is the page's own: the desk's public origin, or the host the request was
/// sent to (a page cannot make a browser lie about either).
fn same_origin(state: &AppState, headers: &HeaderMap, origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    if origin == own_origin(state) {
        return true;
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok());
    match (url::Url::parse(origin), host) {
        (Ok(u), Some(host)) => {
            let authority = match (u.host_str(), u.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_owned(),
                _ => return false,
            };
            authority.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// `Ok` when the request's `Origin` may open this socket.
pub(crate) fn check_origin(
    state: &AppState,
    headers: &HeaderMap,
    required: bool,
) -> Result<(), ApiError> {
    match headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        None if !required => Ok(()),
        Some(o) if same_origin(state, headers, o) => Ok(()),
        _ => {
            tracing::info!("chat socket refused: foreign or missing origin");
            Err(ApiError::Forbidden)
        }
    }
}

/// A socket's read buffer. tungstenite's default (128 KiB) is allocated per connection and
/// zero-filled on the first read, so every idle chat kept 128 KiB resident: 1.3 GB for 10,000
/// chats (bench/chat-load). Frames are small; a larger one grows the buffer while it is read.
const READ_BUFFER_BYTES: usize = 4 * 1024;

fn upgrade(ws: WebSocketUpgrade) -> WebSocketUpgrade {
    ws.max_message_size(conn::MAX_FRAME_BYTES)
        .max_frame_size(conn::MAX_FRAME_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
}

/// The wallet user's socket.
#[utoipa::path(
    get,
    path = "/api/v1/chat/conversations/{id}/ws",
    tag = "chat",
    params(
        ("id" = i64, Path, description = "The conversation's number"),
        ("token" = Option<String>, Query, description = "The conversation's token (or `Authorization: Bearer`)"),
    ),
    responses(
        (status = 101, description = "WebSocket: JSON text frames of docs/CHAT-PROTOCOL.md"),
        (status = 401, description = "`unauthenticated`: no token", body = crate::api::dto::ErrorOut),
        (status = 403, description = "`forbidden`: a browser page from another origin", body = crate::api::dto::ErrorOut),
        (status = 404, description = "`not_found`: no such chat, or not this token's", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_origin(&state, &headers, false)?;
    let token = q
        .token
        .as_deref()
        .or_else(|| super::http::bearer(&headers))
        .ok_or(ApiError::Unauthenticated)?;
    let ticket = super::by_token(&state, token).await?;
    if ticket.id.0 != id {
        return Err(ApiError::NotFound);
    }
    Ok(upgrade(ws)
        .on_upgrade(move |socket| {
            let events = Source::Chat(state.chat.fanout.subscribe(&state.events, ticket.id));
            run(
                socket,
                state,
                Conn::new(Peer::User(Box::new(ticket))),
                events,
            )
        })
        .into_response())
}

/// An agent's socket: every chat's events; accept and answer chats.
pub(crate) async fn agent(
    State(state): State<AppState>,
    session: AgentSession,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_origin(&state, &headers, true)?;
    session.require(domain::Permission::ReplyPublicly)?;
    let agent = session.agent;
    Ok(upgrade(ws)
        .on_upgrade(move |socket| async move {
            // An open chat socket is on the desk, as a workspace tab is (`desk_presence`).
            let _on_desk = state.desk_presence.enter(agent.id, state.events.clone());
            let events = Source::Bus(state.events.subscribe());
            run(socket, state, Conn::new(Peer::Agent(agent)), events).await;
        })
        .into_response())
}

/// Queues a frame for the writer; `false` when the queue is full (a slow reader) or gone.
fn queue(tx: &mpsc::Sender<Message>, out: &Out) -> bool {
    tx.try_send(Message::Text(out.to_json().into())).is_ok()
}

/// Serves one socket. `events` is subscribed before the `hello` is read, so nothing published
/// in between is lost.
async fn run(socket: WebSocket, state: AppState, mut conn: Conn, mut events: Source) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<Message>(conn::SEND_QUEUE);
    let (close_tx, close_rx) = oneshot::channel::<Close>();
    let writer = tokio::spawn(async move {
        let mut close_rx = close_rx;
        loop {
            tokio::select! {
                biased;
                close = &mut close_rx => {
                    if let Ok(c) = close {
                        // What was queued first (the `error` frames before a flood's close),
                        // then the close frame; a reader that stopped reading may never take
                        // them, so this does not wait long.
                        let flush = async {
                            while let Ok(m) = rx.try_recv() {
                                sink.send(m).await?;
                            }
                            let frame = Message::Close(Some(CloseFrame { code: c.code, reason: c.reason.into() }));
                            sink.send(frame).await
                        };
                        let _ = tokio::time::timeout(Duration::from_secs(2), flush).await;
                    }
                    break;
                }
                m = rx.recv() => match m {
                    Some(m) => if sink.send(m).await.is_err() { break },
                    None => break,
                },
            }
        }
    });
    let hello = conn.hello(&state).await;
    let mut why: Option<Close> = None;
    if !queue(&tx, &hello) {
        why = Some(conn::SLOW);
    }
    let mut heartbeat = tokio::time::interval(Duration::from_secs(conn::HEARTBEAT_SECS));
    heartbeat.tick().await;
    let mut last_seen = Instant::now();
    while why.is_none() {
        tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    last_seen = Instant::now();
                    match conn.handle(&state, text.as_str()).await {
                        Ok(outs) => {
                            if !outs.iter().all(|o| queue(&tx, o)) {
                                why = Some(conn::SLOW);
                            }
                        }
                        Err(c) => why = Some(c),
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    last_seen = Instant::now();
                    if !queue(&tx, &Out::error("malformed", "frames are JSON text, not binary")) {
                        why = Some(conn::SLOW);
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => last_seen = Instant::now(),
                Some(Ok(Message::Close(_))) | None => break,
                Some(Err(e)) => {
                    // Too large a frame, or a protocol violation: say why, then close.
                    tracing::info!(error = %e, "chat socket read failed");
                    why = Some(Close { code: 1009, reason: "frame too large or malformed" });
                }
            },
            event = events.recv() => match event {
                Next::Event(e) => {
                    if let Some(out) = conn.event(&e)
                        && !queue(&tx, &out)
                    {
                        why = Some(conn::SLOW);
                    }
                }
                Next::Missed => {
                    if !queue(&tx, &Out::SyncNeeded) {
                        why = Some(conn::SLOW);
                    }
                }
                Next::Closed => break,
            },
            _ = heartbeat.tick() => {
                if last_seen.elapsed() > Duration::from_secs(conn::IDLE_TIMEOUT_SECS) {
                    why = Some(conn::IDLE);
                } else if tx.try_send(Message::Ping(Vec::new().into())).is_err() {
                    why = Some(conn::SLOW);
                }
            }
        }
    }
    drop(events);
    if let Some(c) = why {
        tracing::info!(
            code = c.code,
            reason = c.reason,
            "chat socket closed by the desk"
        );
        let _ = close_tx.send(c);
        // Read (and drop) what the client still sends until it answers the close, for a
        // moment: a socket closed with unread input is reset, and the client would lose the
        // frames that say why.
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(m)) = stream.next().await {
                if matches!(m, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    } else {
        drop(close_tx);
    }
    drop(tx);
    let _ = writer.await;
}
