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

/// One of an agent's passkeys (WebAuthn credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PasskeyRecord {
    pub id: i64,
    pub agent_id: AgentId,
    /// The authenticator's id of the credential, base64url: unique across all agents.
    pub credential_id: String,
    /// What the agent called it ("laptop", "phone").
    pub name: String,
    /// The relying party's record of the credential (public key, signature counter, backup
    /// state), serialised by the server crate; no secret — the private key never leaves the
    /// authenticator.
    #[serde(skip)]
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A new passkey, after its registration ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    pub credential_id: String,
    pub name: String,
    pub credential: String,
}

/// What resetting an agent's factors removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct FactorsReset {
    pub totp: bool,
    pub passkeys: u64,
    pub sessions: u64,
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

    /// Adds a passkey; a credential id already registered (to anyone) is a `Conflict`.
    async fn add_passkey(&self, agent: AgentId, new: &NewPasskey, now: Timestamp) -> Result<i64>;
    /// The agent's passkeys, oldest first.
    async fn passkeys(&self, agent: AgentId) -> Result<Vec<PasskeyRecord>>;
    /// The passkey with this credential id, whoever's it is.
    async fn passkey_by_credential(&self, credential_id: &str) -> Result<Option<PasskeyRecord>>;
    /// Records a use of the passkey: its updated credential (counter, backup state) and when.
    async fn passkey_used(&self, id: i64, credential: &str, now: Timestamp) -> Result<()>;
    /// Removes one of the agent's passkeys; false when the agent has none with this id.
    async fn delete_passkey(&self, agent: AgentId, id: i64) -> Result<bool>;
    /// Lost phone: removes the agent's authenticator, recovery codes and passkeys and ends all
    /// their sessions, in one transaction.
    async fn reset_factors(&self, agent: AgentId) -> Result<FactorsReset>;

    /// The session's second factor (or, for step-up, its password) was checked now.
    async fn mark_session_factor(&self, token: &TokenHash, now: Timestamp) -> Result<()>;
    /// The agent's live sessions, newest first.
    async fn sessions_of(&self, agent: AgentId, now: Timestamp) -> Result<Vec<SessionEntry>>;
    /// Ends the agent's session whose id ([`SessionEntry::id`]) is `id`; true if one ended.
    async fn revoke_session(&self, agent: AgentId, id: &str) -> Result<bool>;
    /// Ends all the agent's sessions but `keep`; returns how many ended.
    async fn revoke_other_sessions(&self, agent: AgentId, keep: Option<&TokenHash>) -> Result<u64>;
}
