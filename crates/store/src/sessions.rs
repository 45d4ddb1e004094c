//! The store's sign-in area ([`SessionStore`], a supertrait of [`crate::Store`]): browser
//! sessions and one-time sign-in links. Second factors are [`crate::AuthStore`]'s.

use async_trait::async_trait;
use domain::{AgentId, Timestamp};
use serde::Serialize;

use crate::{Result, TokenHash};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub agent_id: AgentId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The CSRF token bound to this session (random, not secret from the agent).
    pub csrf: String,
    /// Signed in completely: the second factor is done, or the agent needs none. A session
    /// that is not verified may only finish signing in.
    pub verified: bool,
    /// When a second factor (or, for an agent without one, the password) was last checked in
    /// this session: risky actions ask again when it is old (step-up).
    pub factor_at: Option<Timestamp>,
}

/// Browser sessions and one-time sign-in links, each by the hash of its token.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, token: &TokenHash, s: Session) -> Result<()>;
    /// A session that has not expired at `now`.
    async fn session(&self, token: &TokenHash, now: Timestamp) -> Result<Session>;
    async fn delete_session(&self, token: &TokenHash) -> Result<()>;
    /// One-time sign-in links (the first admin's, password resets): consumed on use.
    async fn create_sign_in_link(
        &self,
        token: &TokenHash,
        agent: AgentId,
        expires_at: Timestamp,
    ) -> Result<()>;
    async fn consume_sign_in_link(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId>;
    /// Whose unused, unexpired link `token` is, without using it (the page before the button).
    async fn sign_in_link_agent(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId>;
}
