//! `GET /agent/events`: Server-Sent Events of [`crate::Event`]s for open agent pages. A ticket
//! page adds `?ticket=ID`: while its stream is open, the agent counts as having the ticket open
//! (`crate::presence`); a workspace tab adds `?desk=1`: while it is open, the agent is on the
//! desk (`crate::desk_presence`).
//!
//! Every event names the node that sent it as its SSE `id`, also said first thing on a new
//! stream: a browser's `EventSource` that reconnects (its node stopped, the balancer chose
//! another) sends it back as `Last-Event-ID`, and such a stream starts with `resync`, because
//! whatever happened while it was away is not replayed (`crate::cluster`).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use domain::TicketId;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::session::AgentSession;
use crate::AppState;

/// A stream whose tab has gone is noticed at the latest when this keep-alive cannot be written,
/// so presence lingers at most this long.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Debug, Deserialize)]
pub(crate) struct StreamQuery {
    #[serde(default)]
    ticket: Option<String>,
    /// `desk=1`: the stream of a workspace tab; while open the agent is on the desk
    /// (`crate::desk_presence`).
    #[serde(default)]
    desk: Option<String>,
}

pub(crate) async fn stream(
    State(state): State<AppState>,
    session: AgentSession,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let rx = state.events.subscribe();
    let node = state.node.id.clone();
    let reconnected = headers.contains_key("last-event-id");
    // Subscribed first, so the page hears its own arrival and shows who else is there.
    let here = q
        .ticket
        .as_deref()
        .and_then(|t| t.parse::<TicketId>().ok())
        .map(|ticket| {
            state
                .presence
                .enter(ticket, session.agent.id, state.events.clone())
        });
    let on_desk = (q.desk.as_deref() == Some("1")).then(|| {
        state
            .desk_presence
            .enter(session.agent.id, state.events.clone())
    });
    let here = (here, on_desk);
    // No data, so the page sees no message; only its `lastEventId` is set.
    let hello = SseEvent::default().id(node.clone()).comment("connected");
    let first = if reconnected {
        vec![
            Ok(hello),
            Ok(SseEvent::default()
                .id(node.clone())
                .json_data(crate::Event::Resync)
                .unwrap_or_else(|_| SseEvent::default().data(r#"{"type":"resync"}"#))),
        ]
    } else {
        vec![Ok(hello)]
    };
    let events = stream::unfold((rx, here, node), |(mut rx, here, node)| async move {
        let event = match rx.recv().await {
            Ok(e) => SseEvent::default()
                .json_data(&e)
                .unwrap_or_else(|_| SseEvent::default().data("{}")),
            // Missed some: the page refreshes everything it shows anyway.
            Err(RecvError::Lagged(_)) => SseEvent::default().data(r#"{"type":"lagged"}"#),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event.id(node.clone())), (rx, here, node)))
    });
    Sse::new(stream::iter(first).chain(events)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
