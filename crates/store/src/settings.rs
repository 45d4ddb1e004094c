//! The store's configuration area ([`SettingsStore`], a supertrait of [`crate::Store`]):
//! what admins set in the database rather than the configuration file — the SLA policy,
//! free-form settings (brand overrides, auto-close days) and canned replies.

use async_trait::async_trait;
use domain::sla::SlaPolicy;
use domain::{CannedReplyId, Lang, Redacted};
use serde::Serialize;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CannedReply {
    pub id: CannedReplyId,
    pub title: String,
    /// May use `{{requester_email}}`, `{{ticket_id}}`, `{{agent_name}}`, `{{subject}}`.
    pub body: String,
    pub lang: Lang,
}

/// Configuration kept in the database.
#[async_trait]
pub trait SettingsStore: Send + Sync {
    async fn sla_policy(&self) -> Result<SlaPolicy>;
    async fn set_sla_policy(&self, p: &SlaPolicy) -> Result<()>;
    async fn canned_replies(&self) -> Result<Vec<CannedReply>>;
    async fn save_canned_reply(
        &self,
        id: Option<CannedReplyId>,
        title: Redacted,
        body: Redacted,
        lang: Lang,
    ) -> Result<CannedReply>;
    async fn delete_canned_reply(&self, id: CannedReplyId) -> Result<()>;
    /// Free-form settings (brand overrides, auto-close days), JSON values by key.
    async fn setting(&self, key: &str) -> Result<Option<String>>;
    /// The value is free text somebody typed (a brand name inside JSON, say): redacted.
    async fn set_setting(&self, key: &str, value: &Redacted) -> Result<()>;
}
