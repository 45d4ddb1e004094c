//! The store's workspace area ([`DeskStore`], a supertrait of [`crate::Store`]): agents' desk
//! settings (chat limit, languages, sound), when routing last gave each a chat, and a
//! requester's conversations for the context pane. Migration `0014_desk`.

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, Lang, Timestamp};
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
}
