//! Routing waiting chats as things happen (issue 11): when a chat is queued, an agent comes
//! online or frees a slot, or an offer is declined, one **round** runs:
//!
//! 1. Offers that expired (nobody answered for [`OFFER_SECS`]) end as `timeout` refusals, and
//!    offers of chats no longer waiting (accepted from the list, ended) are dropped.
//! 2. Every waiting chat without an open offer is routed by `crate::routing` among the online
//!    agents (language, load, round-robin, limit), leaving out who refused it, and the chosen
//!    agent is *offered* it (`desk::route_waiting`): the workspace shows accept and decline.
//! 3. A chat nobody may take stays queued; the next round tries again. A timer runs a round
//!    every [`TICK`] too, so an offer expires without any event.
//!
//! **One round at a time, cluster-wide.** Rounds on one node wait for each other
//! ([`Routing`]), and across nodes for PostgreSQL's advisory lock
//! (`cluster::Job::ChatRouting`): every node hears every event and may run a round for it, but
//! never two at once, so an agent's load is counted with the last round's offers in it. Each
//! offer is also a conditional insert (`DeskStore::offer_chat`), and accepting is a
//! conditional update (`ChatStore::accept_chat`): even a round that raced would offer a chat
//! once and give it to one agent.

use std::collections::HashSet;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use crate::error::ApiError;
use crate::routing::{Assignment, WaitingChat};
use crate::{AppState, Event};

/// How long an agent has to answer an offer before it goes to the next agent. Long enough to
/// hear the chime, look up from another conversation and read the first line; short enough
/// that a user whose first agent stepped away waits about a minute, not five.
pub const OFFER_SECS: i64 = 45;

/// A round runs at least this often, for offers that expire without any event.
pub const TICK: Duration = Duration::from_secs(5);

/// This node's routing: one round at a time.
#[derive(Debug, Default)]
pub struct Routing {
    round: tokio::sync::Mutex<()>,
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    /// Offers that expired unanswered.
    pub expired: Vec<Assignment>,
    /// Offers made.
    pub offered: Vec<Assignment>,
}

/// Whether `e` may let a waiting chat be offered now.
fn triggers(e: &Event) -> bool {
    matches!(
        e,
        Event::ChatQueued { .. }
            | Event::ChatAccepted { .. }
            | Event::ChatEnded { .. }
            | Event::ChatOfferEnded { .. }
            | Event::AgentPresenceChanged { .. }
            | Event::TicketUpdated { .. }
            | Event::Resync
    )
}

/// Runs a round for every event that may free or need an agent, and every [`TICK`], until
/// the task is aborted. A failed round is logged; the next one tries again.
pub async fn run(state: AppState) {
    let mut events = state.events.subscribe();
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            e = events.recv() => match e {
                Ok(e) if triggers(&e) => {}
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            },
        }
        if let Err(e) = round(&state).await {
            tracing::warn!(error = %e, "chat routing round failed");
        }
    }
}

/// One round (see the module doc), now by the state's clock.
///
/// # Errors
/// Storage failures, the lock cannot be asked for.
pub async fn round(state: &AppState) -> Result<Round, ApiError> {
    let _local = state.routing.round.lock().await;
    let _cluster = state
        .node
        .lock(crate::cluster::Job::ChatRouting, Duration::from_millis(50))
        .await?;
    let now = state.now();
    let queue = state.store.chat_queue().await?;
    let queued: HashSet<_> = queue.iter().map(|q| q.ticket_id).collect();
    let mut out = Round::default();
    let mut offered = HashSet::new();
    for o in state.store.chat_offers().await? {
        if !queued.contains(&o.ticket_id) {
            state.store.clear_chat_offer(o.ticket_id).await?;
        } else if o.expires_at <= now {
            if state
                .store
                .end_chat_offer(o.ticket_id, o.agent_id, Some("timeout"), now)
                .await?
            {
                tracing::info!(ticket.id = %o.ticket_id, agent.id = %o.agent_id, "chat offer expired");
                state
                    .store
                    .audit(
                        Some(o.agent_id),
                        "desk.offer_expired",
                        Some(&o.ticket_id.to_string()),
                        &domain::Redacted::clean("chat offer expired unanswered"),
                        now,
                    )
                    .await?;
                state.publish(Event::ChatOfferEnded {
                    ticket: o.ticket_id,
                    agent: o.agent_id,
                    reason: "timeout".to_owned(),
                });
                out.expired.push(Assignment {
                    ticket: o.ticket_id,
                    agent: o.agent_id,
                });
            }
        } else {
            offered.insert(o.ticket_id);
        }
    }
    let mut waiting = Vec::new();
    for q in queue.iter().filter(|q| !offered.contains(&q.ticket_id)) {
        waiting.push(WaitingChat {
            ticket: q.ticket_id,
            lang: q.lang,
            waiting_since: q.queued_at,
            excluded: state.store.chat_refusals(q.ticket_id).await?,
        });
    }
    if !waiting.is_empty() {
        out.offered = crate::desk::route_waiting(state, &waiting, OFFER_SECS * 1000).await?;
    }
    Ok(out)
}
