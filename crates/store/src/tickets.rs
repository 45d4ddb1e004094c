//! The store's ticket area ([`TicketStore`], a supertrait of [`crate::Store`]): tickets, their
//! messages and attachments, the inbox's views and counts, merges and auto-close.

use async_trait::async_trait;
use domain::sla::SlaPolicy;
use domain::{
    AgentId, AttachmentId, Author, Category, Channel, EmailAddress, Lang, MessageId, MessageKind,
    Priority, Redacted, Status, TicketId, Timestamp,
};
use serde::Serialize;

use crate::{NewMail, Result, TokenHash};

/// Structured fields a ticket carries, checked by the wallet crate on the way in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TicketFields {
    pub chain: Option<String>,
    /// Normalised transaction hash.
    pub tx_hash: Option<String>,
    /// Normalised address.
    pub address: Option<String>,
    pub app_version: Option<Redacted>,
    pub device_os: Option<Redacted>,
}

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub requester: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    /// The first message.
    pub body: Redacted,
    pub fields: TicketFields,
    pub priority: Priority,
    /// Something secret was removed from what the user sent.
    pub secret_exposed: bool,
    pub lang: Lang,
    /// How it reached the desk (migration `0013_chat`).
    pub channel: Channel,
    pub access_token: TokenHash,
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub now: Timestamp,
    /// The mail that tells the requester the ticket is open, queued in the ticket's own
    /// transaction: a ticket that exists has its mail in the outbox, and one that does not has
    /// none.
    pub mail: Option<TicketMail>,
}

/// Builds a new ticket's outbox mail once the ticket (and so its number) exists; called by the
/// store inside the transaction that writes the ticket, so it must be quick and must not fail.
#[derive(Clone)]
pub struct TicketMail(std::sync::Arc<dyn Fn(&Ticket) -> NewMail + Send + Sync>);

impl TicketMail {
    pub fn new(build: impl Fn(&Ticket) -> NewMail + Send + Sync + 'static) -> TicketMail {
        TicketMail(std::sync::Arc::new(build))
    }

    /// The mail for `ticket`.
    #[must_use]
    pub fn build(&self, ticket: &Ticket) -> NewMail {
        (self.0)(ticket)
    }
}

impl std::fmt::Debug for TicketMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketMail(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: TicketId,
    pub requester: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    pub fields: TicketFields,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<AgentId>,
    pub tags: Vec<String>,
    pub secret_exposed: bool,
    pub lang: Lang,
    pub channel: Channel,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub solved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// Set when this ticket was merged into another; it is then closed.
    pub merged_into: Option<TicketId>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// 1–5.
    pub score: u8,
    pub comment: Option<Redacted>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author: Author,
    pub kind: MessageKind,
    pub body: Redacted,
    /// How many secrets were removed from it.
    pub secrets_removed: u32,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub ticket_id: TicketId,
    pub author: Author,
    pub kind: MessageKind,
    pub body: Redacted,
    pub secrets_removed: u32,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    /// The user's file name, sanitised.
    pub filename: String,
    /// `image/png`, `image/jpeg` or `image/webp`, from the content.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the stored (metadata-stripped) bytes, hex; also its name on disk.
    pub sha256: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub now: Timestamp,
}

/// A change an agent makes to a ticket; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct TicketUpdate {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<AgentId>>,
    /// Agents' words: redacted like any other text.
    pub tags: Option<Vec<Redacted>>,
    pub category: Option<Category>,
    /// A new subject (a chat's, from the user's first words): redacted like any other text.
    pub subject: Option<Redacted>,
    /// The policy that counts the due times again when the priority changes
    /// ([`SlaPolicy::dues_after_priority_change`]); without it they stay.
    pub sla: Option<SlaPolicy>,
}

/// The inbox views. Each is also a filter of [`TicketQuery`].
///
/// `All` and `SecretExposed` show tickets that are not closed; `Unassigned`, `Mine`, `Urgent`
/// and `SlaAtRisk` only active ones (new, open, waiting on the user): work still to do. An
/// explicit [`TicketQuery::status`] replaces that status rule, except for `SlaAtRisk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Every ticket that is not closed.
    All,
    /// Active tickets nobody is assigned to.
    Unassigned,
    /// Active tickets assigned to this agent.
    Mine(AgentId),
    /// Active tickets of priority urgent.
    Urgent,
    /// Tickets not closed from whose text a secret was removed.
    SecretExposed,
    /// Active tickets whose first-response or resolution timer is breached or within a fifth
    /// of its target of breaching, at `TicketQuery::now`.
    SlaAtRisk,
}

/// What an inbox list asks for. Results come most recently updated first (then highest id).
#[derive(Debug, Clone)]
pub struct TicketQuery {
    pub view: View,
    pub status: Option<Status>,
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    /// Words that must all occur in the subject, a message (public or note), a field or the
    /// requester's address; substring match ignoring ASCII case, so `转账失败` and `pending`
    /// find what says so.
    pub search: Option<String>,
    pub now: Timestamp,
    pub limit: u32,
    pub offset: u32,
}

impl TicketQuery {
    #[must_use]
    pub fn view(view: View, now: Timestamp) -> TicketQuery {
        TicketQuery {
            view,
            status: None,
            category: None,
            priority: None,
            search: None,
            now,
            limit: 50,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketPage {
    pub tickets: Vec<Ticket>,
    /// All matching tickets, not only this page.
    pub total: u64,
}

/// Counts for the inbox's sidebar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ViewCounts {
    pub all: u64,
    pub unassigned: u64,
    pub mine: u64,
    pub urgent: u64,
    pub secret_exposed: u64,
    pub sla_at_risk: u64,
    /// Tickets whose first response or resolution came (or is still missing) after its due
    /// time, ever. A closed ticket's timers stopped when it was closed; merged tickets are not
    /// counted (their conversation moved).
    pub sla_breached: u64,
}

/// Tickets, their conversations and attachments, and the inbox.
#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Writes a ticket, its first message and its mail (`NewTicket::mail`) in one
    /// transaction, and returns once that is durable. A backend may commit several concurrent
    /// creations together (SQLite does: one fsync for many tickets); each still succeeds or
    /// fails on its own, and none returns before its commit.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket>;
    async fn ticket(&self, id: TicketId) -> Result<Ticket>;
    /// The ticket an access link opens.
    /// By the hash of its first access token or of any later one (`ticket_links`).
    async fn ticket_by_access_token(&self, token: &TokenHash) -> Result<Ticket>;
    async fn tickets_for_view(&self, q: &TicketQuery) -> Result<TicketPage>;
    async fn view_counts(&self, agent: AgentId, now: Timestamp) -> Result<ViewCounts>;
    /// A new status sets `solved_at` (solving; closing keeps it or sets it) and `closed_at`
    /// (closing); going back to an active status clears both.
    async fn update_ticket(&self, id: TicketId, u: TicketUpdate, now: Timestamp) -> Result<Ticket>;
    /// A secret was removed from something the user sent: flags the ticket and makes it urgent.
    /// Flags the ticket and makes it urgent; `sla` counts its running timers' due times again
    /// for the new priority.
    async fn mark_secret_exposed(
        &self,
        id: TicketId,
        sla: &SlaPolicy,
        now: Timestamp,
    ) -> Result<Ticket>;
    /// Appends a message. A public agent reply sets the first response time if unset (and
    /// opens a new ticket); a user reply reopens a ticket that waits on the user or was solved.
    async fn append_message(&self, m: NewMessage) -> Result<Message>;
    /// Replaces a stored message's body with a newly redacted one (a secret found later, when
    /// the rest of it arrived in another message) and adds `secrets_removed` to its count; the
    /// audit log records that it happened (`message.redacted`), never the text.
    async fn redact_message(
        &self,
        id: MessageId,
        body: Redacted,
        secrets_removed: u32,
        now: Timestamp,
    ) -> Result<Message>;
    /// The conversation, oldest first; notes only when `include_notes`.
    async fn messages(&self, ticket: TicketId, include_notes: bool) -> Result<Vec<Message>>;
    /// The last `limit` messages of a ticket written by the user (`by_user`) or by agents
    /// (otherwise), at or after `since`, oldest first; notes only when `include_notes`. One
    /// indexed read whatever the conversation's length: what the joint redaction of a new
    /// message looks back at.
    async fn recent_messages(
        &self,
        ticket: TicketId,
        by_user: bool,
        include_notes: bool,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<Message>>;
    /// Moves `from`'s messages and attachments into `into` (in time order), closes `from` with
    /// `merged_into`, adds a system note to both, and returns `into`. Merging a ticket into
    /// itself, or a ticket already merged, is a `Conflict`.
    async fn merge_tickets(&self, from: TicketId, into: TicketId, now: Timestamp)
    -> Result<Ticket>;
    /// Closes tickets solved before `solved_before`; returns how many.
    async fn close_solved(&self, solved_before: Timestamp, now: Timestamp) -> Result<u64>;
    async fn add_attachment(&self, a: NewAttachment) -> Result<Attachment>;
    async fn attachments(&self, ticket: TicketId) -> Result<Vec<Attachment>>;
    async fn attachment(&self, id: AttachmentId) -> Result<Attachment>;
}
