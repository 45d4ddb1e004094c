//! The workspace's ticket operations, shared by its pages (`routes/agent/desk_actions.rs`) and
//! by whatever queues chats: assign to me, accept, decline, transfer (with a note), convert a
//! chat into a follow-up ticket, solve, and routing waiting chats (`crate::routing`). Each is a
//! change of assignee or status plus an audit line and an [`Event`]; none knows about
//! channels, so a chat (a ticket whose channel is chat) goes through the same doors — except
//! where a chat has more to it than a ticket: accepting takes the conversation (one
//! conditional update, `ChatStore::accept_chat`: of two agents or nodes, one wins), declining
//! answers routing's offer (`crate::desk_routing`), a transfer tells the user who joined, and a
//! follow-up ends the live part (`chat::desk_side`).

use std::collections::HashMap;

use domain::{AgentId, Channel, MessageKind, Status, TicketId};
use store::{Ticket, TicketUpdate};

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

/// Whether `t` is a chat that has not ended: one with a conversation to take or hand over.
async fn live_chat(state: &AppState, t: &Ticket) -> Result<bool, ApiError> {
    Ok(t.channel == Channel::Chat
        && state.store.conversation(t.id).await?.state != store::ChatState::Ended)
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
    if live_chat(state, &state.store.ticket(id).await?).await? {
        // A live chat is taken with its conversation, or not at all.
        return accept(state, id, me).await;
    }
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
    if live_chat(state, &t).await? {
        let agent = state.store.agent(me).await?;
        crate::chat::accept(state, id, &agent).await?;
        state.store.clear_chat_offer(id).await?;
        audit(state, me, "desk.accept", id, "chat accepted").await?;
        return Ok(state.store.ticket(id).await?);
    }
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

/// Declines a chat offered to `me` (routing then offers it to the next agent), or gives back a
/// ticket assigned to `me` (unassigned, waiting for someone else). An accepted chat is not
/// declined but transferred.
///
/// # Errors
/// Not offered to or assigned to me (`conflict`), an unknown ticket, storage failures.
pub async fn decline(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let t = state.store.ticket(id).await?;
    if t.channel == Channel::Chat
        && state
            .store
            .end_chat_offer(id, me, Some("declined"), state.now())
            .await?
    {
        audit(state, me, "desk.decline", id, "chat offer declined").await?;
        state.publish(Event::ChatOfferEnded {
            ticket: id,
            agent: me,
            reason: "declined".to_owned(),
        });
        return Ok(t);
    }
    if live_chat(state, &t).await? {
        return Err(ApiError::Conflict(
            "this chat is not offered to you; transfer a chat you accepted".to_owned(),
        ));
    }
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
    let t = state.store.ticket(id).await?;
    if !note.trim().is_empty() {
        tickets::agent_message(state, id, me, MessageKind::Note, note, Via::Page).await?;
    }
    // A live chat changes hands with its conversation (the user sees who joined).
    let t = if t.channel == Channel::Chat
        && crate::chat::desk_side::transfer(state, id, &agent).await?
    {
        state.publish(Event::TicketUpdated { ticket: id });
        state.store.ticket(id).await?
    } else {
        set_assignee(state, id, Some(to), me).await?
    };
    audit(state, me, "desk.transfer", id, &format!("to agent {to}")).await?;
    Ok(t)
}

/// Turns a live chat into a follow-up ticket: the conversation stays one ticket, now open and
/// answered at the desk's pace (by mail once the requester has an address), with a note saying
/// so; the chat's live part ends and the user is told the conversation goes on at its link.
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
    if t.channel == Channel::Chat {
        crate::chat::desk_side::to_follow_up(state, &t).await?;
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

/// Marks the ticket solved ("s" on the workspace); a chat ends with it.
///
/// # Errors
/// An unknown ticket, storage failures.
pub async fn solve(state: &AppState, id: TicketId, me: AgentId) -> Result<Ticket, ApiError> {
    let t = state.store.ticket(id).await?;
    if live_chat(state, &t).await? {
        // Solving a chat ends it: the user sees it end and may rate it.
        crate::chat::end(state, id, Some(me)).await?;
        audit(state, me, "desk.solve", id, "chat ended and solved").await?;
        return Ok(state.store.ticket(id).await?);
    }
    let update = TicketUpdate {
        status: Some(Status::Solved),
        ..TicketUpdate::default()
    };
    let t = tickets::apply_update(state, id, update, state.now(), Some(me)).await?;
    audit(state, me, "desk.solve", id, "solved").await?;
    state.publish(Event::TicketUpdated { ticket: id });
    Ok(t)
}

/// What routing knows of every active agent now: presence, languages, limit, load (chats they
/// have accepted and not ended, plus open offers), last assignment.
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
    let loads: HashMap<AgentId, u32> = state.store.chat_loads().await?.into_iter().collect();
    let mut out = Vec::new();
    for a in state.store.agents().await?.into_iter().filter(|a| a.active) {
        let s = settings.get(&a.id).cloned().unwrap_or_default();
        out.push(AgentSlot {
            agent: a.id,
            state: state.desk_presence.state(a.id),
            languages: s.languages,
            load: loads.get(&a.id).copied().unwrap_or(0),
            limit: s.chat_limit.unwrap_or(default_limit),
            last_assigned: s.last_assigned_at,
        });
    }
    Ok(out)
}

/// Offers waiting chats to agents (`crate::routing::route`): each offer is written with a
/// conditional insert (`DeskStore::offer_chat`: the chat still queued and not offered yet), so a
/// second round racing this one — on this node or another — offers nothing twice. The chosen
/// agent hears it as [`Event::ChatOffered`] and accepts or declines within `offer_ms`.
/// Returns the offers made. `crate::desk_routing::round` is what calls it, with the queue.
///
/// # Errors
/// Storage failures (offers made before one fails stay made).
pub async fn route_waiting(
    state: &AppState,
    waiting: &[WaitingChat],
    offer_ms: i64,
) -> Result<Vec<Assignment>, ApiError> {
    let slots = agent_slots(state).await?;
    let plan = routing::route(waiting, &slots);
    let now = state.now();
    let expires_at = domain::Timestamp(now.0 + offer_ms);
    let mut made = Vec::with_capacity(plan.len());
    for a in plan {
        if !state
            .store
            .offer_chat(a.ticket, a.agent, now, expires_at)
            .await?
        {
            continue; // taken, ended or offered by another round meanwhile
        }
        state.store.mark_desk_assigned(a.agent, now).await?;
        audit(
            state,
            a.agent,
            "desk.offered",
            a.ticket,
            "chat offered by routing",
        )
        .await?;
        tracing::info!(ticket.id = %a.ticket, agent.id = %a.agent, "chat offered");
        state.publish(Event::ChatOffered {
            ticket: a.ticket,
            agent: a.agent,
            expires_at,
        });
        made.push(a);
    }
    Ok(made)
}
