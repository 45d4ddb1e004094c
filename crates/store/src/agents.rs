//! The store's agents area ([`AgentStore`], a supertrait of [`crate::Store`]): agent accounts
//! (created, read, changed, passwords) and the API tokens they sign requests with.

use async_trait::async_trait;
use domain::{AgentId, ApiTokenId, EmailAddress, Lang, Redacted, Role, Timestamp};
use serde::Serialize;

use crate::{Result, TokenHash};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agent {
    pub id: AgentId,
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    /// argon2id PHC string; never serialised.
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
    /// Given the [`domain::Permission::PublishArticles`] grant (admins have it anyway).
    pub can_publish: bool,
    pub lang: Lang,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewAgent {
    pub email: EmailAddress,
    pub name: Redacted,
    pub role: Role,
    pub password_hash: String,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub agent_id: AgentId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// Agent accounts and their API tokens.
#[async_trait]
pub trait AgentStore: Send + Sync {
    async fn create_agent(&self, a: NewAgent, now: Timestamp) -> Result<Agent>;
    async fn agent(&self, id: AgentId) -> Result<Agent>;
    async fn agent_by_email(&self, email: &EmailAddress) -> Result<Agent>;
    async fn agents(&self) -> Result<Vec<Agent>>;
    async fn count_agents(&self) -> Result<u64>;
    async fn update_agent(
        &self,
        id: AgentId,
        name: Option<Redacted>,
        role: Option<Role>,
        active: Option<bool>,
        lang: Option<Lang>,
    ) -> Result<Agent>;
    async fn set_agent_password(&self, id: AgentId, password_hash: String) -> Result<()>;
    async fn create_api_token(
        &self,
        token: &TokenHash,
        agent: AgentId,
        name: Redacted,
        now: Timestamp,
    ) -> Result<ApiToken>;
    async fn api_tokens(&self, agent: AgentId) -> Result<Vec<ApiToken>>;
    /// The agent a token belongs to; records its use.
    async fn agent_for_api_token(&self, token: &TokenHash, now: Timestamp) -> Result<Agent>;
    async fn revoke_api_token(&self, agent: AgentId, id: ApiTokenId) -> Result<()>;
}
