//! The store's audit area ([`AuditStore`], a supertrait of [`crate::Store`]): who did what.

use async_trait::async_trait;
use domain::{AgentId, Redacted, Timestamp};
use serde::Serialize;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: Option<AgentId>,
    /// `ticket.update`, `agent.create`, `sign_in`, `sign_in.failed`…
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
    pub at: Timestamp,
}

/// The audit log: who did what, to what, and when.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit(
        &self,
        actor: Option<AgentId>,
        action: &str,
        target: Option<&str>,
        detail: &Redacted,
        now: Timestamp,
    ) -> Result<()>;
    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditEntry>>;
}
