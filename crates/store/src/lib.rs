//! The storage trait, in the desk's own words.
//!
//! [`Store`], used as `Arc<dyn Store>`, is the sum of one trait per area of the desk — tickets
//! ([`TicketStore`]), the help center ([`HelpStore`]), agents ([`AgentStore`]), chat
//! ([`ChatStore`]) and the rest, each in the file named after it with its records — plus the few
//! methods that belong to no one area (the backend, migrations, retention). A method of any
//! area can be called on `dyn Store` as it is; on a backend's own type, the area's trait must
//! be in scope: `use store::prelude::*;` brings every one.
//!
//! Each backend is a crate of its own with its own `migrations/`, numbered in lockstep. Times
//! are [`Timestamp`]s passed in by the caller (the store never reads a clock, so tests control
//! time). Every write that returns `Ok` is durable.

use async_trait::async_trait;
use domain::Timestamp;

mod agents;
mod audit;
mod auth;
mod chat;
pub mod cluster;
mod csat;
mod desk;
mod help;
mod idempotency;
mod mail_in;
mod notify;
mod outbox;
mod ownership;
pub mod prelude;
mod sessions;
mod settings;
mod tickets;

pub use agents::{Agent, AgentStore, ApiToken, NewAgent};
pub use audit::{AuditEntry, AuditStore};
pub use auth::{AuthStore, FactorsReset, NewPasskey, PasskeyRecord, SessionEntry, TotpRecord};
pub use chat::{
    ChatMessage, ChatSender, ChatState, ChatStore, ChatTimes, Conversation, NewChat,
    NewChatMessage, QueuedChat,
};
pub use cluster::{Cluster, Listener, LockGuard};
pub use csat::{CsatStore, RatingEntry};
pub use desk::{ChatOffer, DeskAgentSettings, DeskStore};
pub use help::{
    Article, ArticleDraft, ArticleFeedback, ArticleStatus, ArticleVersion, DeflectionReport,
    HelpEventKind, HelpStore, QueryCount, SearchLogEntry, SearchReport,
};
pub use idempotency::{IdempotencyClaim, IdempotencyStore, IdempotentReply};
pub use mail_in::{BounceRecord, MailInStore};
pub use notify::{CodeChange, MailSettings, MailWithLinks, NewCodeRequest, NotifyStore};
pub use outbox::{MailCounts, MailFailure, MailStatus, NewMail, OutboxMail, OutboxStore};
pub use ownership::{AddressChallenge, NewAddressChallenge, OwnershipStore};
pub use sessions::{Session, SessionStore};
pub use settings::{CannedReply, SettingsStore};
pub use tickets::{
    Attachment, Message, NewAttachment, NewMessage, NewTicket, Rating, Ticket, TicketFields,
    TicketMail, TicketPage, TicketQuery, TicketStore, TicketUpdate, View, ViewCounts,
};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value (an agent's e-mail, say) is taken.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The backend failed (connection, disk, constraint); the message is for logs, never users.
    #[error("storage backend: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SHA-256 of a secret token (access link, session, API token), hex. The store never sees
/// the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

/// The logs that grow with use and are pruned after a number of days
/// ([`Store::prune_log`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogTable {
    /// Help-center searches.
    SearchLog,
    /// Help events (articles opened, suggestions shown, tickets after a search).
    HelpEvents,
    /// Who did what.
    AuditLog,
}

impl LogTable {
    pub const ALL: [LogTable; 3] = [
        LogTable::SearchLog,
        LogTable::HelpEvents,
        LogTable::AuditLog,
    ];

    /// The table's name, also its name in logs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LogTable::SearchLog => "search_log",
            LogTable::HelpEvents => "help_events",
            LogTable::AuditLog => "audit_log",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The trait

/// Everything the desk keeps: every area's trait, and what spans them.
#[async_trait]
pub trait Store:
    AgentStore
    + AuditStore
    + AuthStore
    + ChatStore
    + CsatStore
    + DeskStore
    + HelpStore
    + IdempotencyStore
    + MailInStore
    + NotifyStore
    + OutboxStore
    + OwnershipStore
    + SessionStore
    + SettingsStore
    + TicketStore
    + Send
    + Sync
    + std::fmt::Debug
{
    /// The backend's name: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Messages and locks across server processes on this database (`cluster.rs`), on a
    /// backend several processes can share; `None` on SQLite (one process).
    fn cluster(&self) -> Option<std::sync::Arc<dyn Cluster>> {
        None
    }
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Answers when the database is reachable (for `/readyz`).
    async fn ping(&self) -> Result<()>;
    /// Deletes the rows of `table` written before `before` (a row written at `before` stays);
    /// returns how many. Retention (`[retention]` in the server's configuration).
    async fn prune_log(&self, table: LogTable, before: Timestamp) -> Result<u64>;
}
