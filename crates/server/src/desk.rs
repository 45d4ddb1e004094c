//! The workspace's ticket operations, shared by its pages (`routes/agent/desk_actions.rs`) and
//! by whatever queues chats: assign to me, accept, decline, transfer (with a note), convert a
//! chat into a follow-up ticket, solve, and routing waiting chats (`crate::routing`). Each is a
//! change of assignee or status plus an audit line and an [`Event`]; none knows about
//! channels, so a chat (a ticket whose channel is chat) goes through the same doors.

use std::collections::HashMap;

use domain::{AgentId, MessageKind, Status, TicketId};
use store::{Ticket, TicketQuery, TicketUpdate, View};

use crate::error::ApiError;
use crate::routing::{self, AgentSlot, Assignment, WaitingChat};
use crate::tickets::{self, Via};
use crate::{AppState, Event};

/// The desk's default chat limit when an admin set none (settings key [`LIMIT_KEY`]).
pub const DEFAULT_CHAT_LIMIT: u32 = 3;
/// The settings key of the desk-wide default chat limit.
pub const LIMIT_KEY: &str = "desk.chat_limit";

/// The desk-wide default limit of concurrent chats.
///
/// # Errors
/// Storage failures.
pub async fn default_chat_limit(state: &AppState) -> Result<u32, ApiError> {
    Ok(state
        .store
        .setting(LIMIT_KEY)
        .await?
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_CHAT_LIMIT))
}

async fn audit(
    state: &AppState,
    by: AgentId,
    action: &str,
    id: TicketId,
    detail: &str,
) -> Result<(), ApiError> {
    state
        .store
        .audit(
            Some(by),
            action,
            Some(&id.to_string()),
            &domain::Redacted::clean(detail),
            state.now(),
        )
        .await?;
    Ok(())
}

async fn set_assignee(
    state: &AppState,
    id: TicketId,
    to: Option<AgentId>,
    by: AgentId,
) -> Result<Ticket, ApiError> {
    let update = TicketUpdate {
        assignee: Some(to),
        ..TicketUpdate::default()
    };
    let t = tickets::apply_update(state, id, update, state.now(), Some(by)).await?;
    state.publish(Event::TicketUpdated { ticket: id });
    Ok(t)
}

/// Assigns the ticket to `me` ("a" on the workspace), whoever had it.
///
/// # Errors
/// An unknown ticket, storage failures.
pub async fn assign_to_me(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let t = set_assignee(state, id, Some(me), me).await?;
    audit(state, me, "desk.assign", id, "assigned to self").await?;
    Ok(t)
}

/// Accepts a chat routed or offered to `me`: it becomes mine unless another agent has it
/// (`conflict`: someone was quicker).
///
/// # Errors
/// Someone else's ticket, an unknown ticket, storage failures.
pub async fn accept(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let t = state.store.ticket(id).await?;
    match t.assignee {
        Some(a) if a != me => Err(ApiError::Conflict("another agent has it".to_owned())),
        Some(_) => Ok(t),
        None => {
            let t = set_assignee(state, id, Some(me), me).await?;
            audit(state, me, "desk.accept", id, "accepted").await?;
            Ok(t)
        }
    }
}

/// Declines a chat given to `me`: it goes back to waiting (unassigned) for routing to offer it
/// to someone else. Only the assignee declines.
///
/// # Errors
/// Not mine (`conflict`), an unknown ticket, storage failures.
pub async fn decline(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let t = state.store.ticket(id).await?;
    if t.assignee != Some(me) {
        return Err(ApiError::Conflict(
            "only its assignee declines it".to_owned(),
        ));
    }
    let t = set_assignee(state, id, None, me).await?;
    audit(state, me, "desk.decline", id, "declined").await?;
    Ok(t)
}

/// Hands the ticket to another active agent, with an internal note for them (redacted like
/// any note; empty means none).
///
/// # Errors
/// An unknown or inactive agent (`bad_assignee`), a bad note, an unknown ticket, storage.
pub async fn transfer(
    state: &AppState,
    id: TicketId,
    me: AgentId,
    to: AgentId,
    note: &str,
) -> Result<Ticket, ApiError> {
    let bad = || {
        ApiError::bad_request(
            crate::error::ErrorCode::BadAssignee,
            crate::error::ErrorCode::BadAssignee.as_str(),
        )
    };
    let agent = state.store.agent(to).await.map_err(|_| bad())?;
    if !agent.active {
        return Err(bad());
    }
    // The ticket must exist before a note is written to it.
    state.store.ticket(id).await?;
    if !note.trim().is_empty() {
        tickets::agent_message(state, id, me, MessageKind::Note, note, Via::Page).await?;
    }
    let t = set_assignee(state, id, Some(to), me).await?;
    audit(state, me, "desk.transfer", id, &format!("to agent {to}")).await?;
    Ok(t)
}

/// Turns a live chat into a follow-up ticket: the conversation stays one ticket, now open and
/// answered at the desk's pace (by mail once the requester has an address), with a note saying
/// so. (The chat's channel, once tickets carry one, is what changes at the merge point.)
///
/// # Errors
/// A closed ticket (`ticket_closed`), an unknown ticket, storage failures.
pub async fn follow_up(
    state: &AppState,
    id: TicketId,
    me: AgentId,
    note: &str,
) -> Result<Ticket, ApiError> {
    let t = state.store.ticket(id).await?;
    if t.status == Status::Closed {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::TicketClosed,
            "this ticket is closed",
        ));
    }
    if !note.trim().is_empty() {
        tickets::agent_message(state, id, me, MessageKind::Note, note, Via::Page).await?;
    }
    let update = TicketUpdate {
        status: Some(Status::Open),
        assignee: Some(Some(t.assignee.unwrap_or(me))),
        ..TicketUpdate::default()
    };
    let t = tickets::apply_update(state, id, update, state.now(), Some(me)).await?;
    audit(
        state,
        me,
        "desk.follow_up",
        id,
        "chat converted to a follow-up ticket",
    )
    .await?;
    state.publish(Event::TicketUpdated { ticket: id });
    Ok(t)
}

/// Marks the ticket solved ("s" on the workspace).
///
/// # Errors
/// An unknown ticket, storage failures.
pub async fn solve(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let update = TicketUpdate {
        status: Some(Status::Solved),
        ..TicketUpdate::default()
    };
    let t = tickets::apply_update(state, id, update, state.now(), Some(me)).await?;
    audit(state, me, "desk.solve", id, "solved").await?;
    state.publish(Event::TicketUpdated { ticket: id });
    Ok(t)
}

/// What routing knows of every active agent now: presence, languages, limit, load (active
/// tickets assigned to them — the chat branch narrows this to chats), last assignment.
///
/// # Errors
/// Storage failures.
pub async fn agent_slots(state: &AppState) -> Result<Vec<AgentSlot>, ApiError> {
    let default_limit = default_chat_limit(state).await?;
    let settings: HashMap<AgentId, store::DeskAgentSettings> = state
        .store
        .desk_agent_settings()
        .await?
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for a in state.store.agents().await?.into_iter().filter(|a| a.active) {
        let s = settings.get(&a.id).cloned().unwrap_or_default();
        let mut q = TicketQuery::view(View::Mine(a.id), state.now());
        q.limit = 1;
        let load = state.store.tickets_for_view(&q).await?.total;
        out.push(AgentSlot {
            agent: a.id,
            state: state.desk_presence.state(a.id),
            languages: s.languages,
            load: u32::try_from(load).unwrap_or(u32::MAX),
            limit: s.chat_limit.unwrap_or(default_limit),
            last_assigned: s.last_assigned_at,
        });
    }
    Ok(out)
}

/// Routes waiting chats to agents (`crate::routing::route`) and applies each assignment as a
/// ticket update with its event. Returns what was assigned.
///
/// # Errors
/// Storage failures (assignments made before one fails stay made).
pub async fn route_waiting(
    state: &AppState,
    waiting: &[WaitingChat],
) -> Result<Vec<Assignment>, ApiError> {
    let slots = agent_slots(state).await?;
    let plan = routing::route(waiting, &slots);
    for a in &plan {
        set_assignee(state, a.ticket, Some(a.agent), a.agent).await?;
        state.store.mark_desk_assigned(a.agent, state.now()).await?;
        audit(state, a.agent, "desk.routed", a.ticket, "routed").await?;
    }
    Ok(plan)
}
