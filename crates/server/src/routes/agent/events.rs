//! `GET /agent/events`: Server-Sent Events of [`crate::Event`]s for open agent pages.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::session::AgentSession;
use crate::AppState;

pub(crate) async fn stream(
    State(state): State<AppState>,
    _session: AgentSession,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let rx = state.events.subscribe();
    let events = stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(e) => SseEvent::default()
                .json_data(&e)
                .unwrap_or_else(|_| SseEvent::default().data("{}")),
            // Missed some: the page refreshes everything it shows anyway.
            Err(RecvError::Lagged(_)) => SseEvent::default().data(r#"{"type":"lagged"}"#),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
}
