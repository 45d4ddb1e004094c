//! The store's security area: second factors, recovery codes, sessions by agent, and the
//! publishing grant. A trait of its own ([`AuthStore`], a supertrait of [`crate::Store`]), the
//! first step of splitting the one big trait by area.

use async_trait::async_trait;
use domain::{AgentId, Timestamp};
use serde::Serialize;

use crate::{Result, Session, TokenHash};

/// An agent's TOTP authenticator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpRecord {
    /// The shared secret sealed with the server's key (the server crate's `factors` module);
    /// the store never sees it in clear.
    pub sealed_secret: String,
    /// Enrolment ends when the first code is checked; until then it is not a factor.
    pub confirmed_at: Option<Timestamp>,
    /// The last time step accepted: a code is never accepted twice.
    pub last_step: i64,
}

/// One of an agent's sessions, for the list they (and admins) can revoke from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionEntry {
    /// The first 12 hex digits of the token's hash: names the session without opening it.
    pub id: String,
    pub session: Session,
}

#[async_trait]
pub trait AuthStore: Send + Sync {
    /// Gives or takes an agent's grant to publish help articles.
    async fn set_agent_can_publish(&self, id: AgentId, can: bool) -> Result<()>;

    /// The agent's authenticator, confirmed or not.
    async fn totp(&self, agent: AgentId) -> Result<Option<TotpRecord>>;
    /// Starts enrolment: replaces any authenticator with an unconfirmed one.
    async fn begin_totp(&self, agent: AgentId, sealed_secret: &str) -> Result<()>;
    /// Accepts time step `step` for `agent` if it is later than the last one accepted, and
    /// confirms the authenticator; false when the step was already used (a replay).
    async fn accept_totp_step(&self, agent: AgentId, step: i64, now: Timestamp) -> Result<bool>;
    /// Removes the authenticator and the recovery codes.
    async fn delete_totp(&self, agent: AgentId) -> Result<()>;

    /// Replaces the agent's recovery codes (their hashes).
    async fn set_recovery_codes(&self, agent: AgentId, hashes: &[String]) -> Result<()>;
    /// Uses one recovery code (by hash); false when it is unknown or used.
    async fn use_recovery_code(&self, agent: AgentId, hash: &str, now: Timestamp) -> Result<bool>;
    async fn recovery_codes_left(&self, agent: AgentId) -> Result<u32>;

    /// The session's second factor (or, for step-up, its password) was checked now.
    async fn mark_session_factor(&self, token: &TokenHash, now: Timestamp) -> Result<()>;
    /// The agent's live sessions, newest first.
    async fn sessions_of(&self, agent: AgentId, now: Timestamp) -> Result<Vec<SessionEntry>>;
    /// Ends the agent's session whose id ([`SessionEntry::id`]) is `id`; true if one ended.
    async fn revoke_session(&self, agent: AgentId, id: &str) -> Result<bool>;
    /// Ends all the agent's sessions but `keep`; returns how many ended.
    async fn revoke_other_sessions(&self, agent: AgentId, keep: Option<&TokenHash>) -> Result<u64>;
}
