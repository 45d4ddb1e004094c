//! The store's workspace area ([`DeskStore`], a supertrait of [`crate::Store`]): agents' desk
//! settings (chat limit, languages, sound), when routing last gave each a chat, and a
//! requester's conversations for the context pane. Migration `0014_desk`. Offers of queued
//! chats to agents and who refused them, the chats each agent has, and handing a chat to
//! another agent: migration `0017_deskchat` (`server/src/desk_routing.rs`).

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, Lang, TicketId, Timestamp};
use serde::Serialize;

use crate::{Result, Ticket};

/// An agent's workspace settings; [`Default`] for an agent who never changed them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeskAgentSettings {
    /// Concurrent chats; `None`: the desk's default.
    pub chat_limit: Option<u32>,
    /// The languages the agent answers; empty: every language.
    pub languages: Vec<Lang>,
    /// A sound for new chats and tickets.
    pub sound: bool,
    pub last_assigned_at: Option<Timestamp>,
}

/// A queued chat that routing offered to one agent, until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatOffer {
    pub ticket_id: TicketId,
    pub agent_id: AgentId,
    pub offered_at: Timestamp,
    pub expires_at: Timestamp,
}

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// The settings of every agent who has a row (others have the defaults).
    async fn desk_agent_settings(&self) -> Result<Vec<(AgentId, DeskAgentSettings)>>;
    /// One agent's settings, the defaults when none were saved.
    async fn desk_settings_of(&self, agent: AgentId) -> Result<DeskAgentSettings>;
    /// Sets an agent's chat limit and languages (an admin's choice); keeps the rest.
    async fn set_desk_limits(
        &self,
        agent: AgentId,
        chat_limit: Option<u32>,
        languages: &[Lang],
    ) -> Result<()>;
    /// Sets an agent's sound setting (the agent's own choice); keeps the rest.
    async fn set_desk_sound(&self, agent: AgentId, sound: bool) -> Result<()>;
    /// Records that routing gave `agent` a chat at `now`.
    async fn mark_desk_assigned(&self, agent: AgentId, now: Timestamp) -> Result<()>;
    /// A requester's tickets in every status, newest first, merged ones left out.
    async fn tickets_of_requester(
        &self,
        requester: &EmailAddress,
        limit: u32,
    ) -> Result<Vec<Ticket>>;
    /// Offers a queued chat to `agent` until `expires_at`. `false`, and nothing written, when
    /// the chat is not queued or is offered already (another routing round was first).
    async fn offer_chat(
        &self,
        ticket: TicketId,
        agent: AgentId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<bool>;
    /// Every open offer, oldest first.
    async fn chat_offers(&self) -> Result<Vec<ChatOffer>>;
    /// Ends `agent`'s offer of `ticket`. With a `refusal` (`declined`, `timeout`) the chat is not
    /// offered to them again. `false` when there was no such offer (accepted, declined or
    /// expired already): only one of a decline and a timeout takes effect.
    async fn end_chat_offer(
        &self,
        ticket: TicketId,
        agent: AgentId,
        refusal: Option<&str>,
        now: Timestamp,
    ) -> Result<bool>;
    /// Ends whatever offer the chat has (it was accepted, transferred or ended).
    async fn clear_chat_offer(&self, ticket: TicketId) -> Result<()>;
    /// The agents who declined the chat or let its offer expire.
    async fn chat_refusals(&self, ticket: TicketId) -> Result<Vec<AgentId>>;
    /// The chats each agent has now: accepted and not ended, plus open offers. Agents with
    /// none are left out.
    async fn chat_loads(&self) -> Result<Vec<(AgentId, u32)>>;
    /// Hands a chat that is with an agent to `to` (the conversation's agent and the ticket's
    /// assignee). `Conflict` when the chat is not with an agent now.
    async fn transfer_chat(&self, ticket: TicketId, to: AgentId, now: Timestamp) -> Result<()>;
}
